"""The dashboard tables as rows for CSV and Excel. Every cell passes ``safe_cell``."""

import io
from collections.abc import Iterable, Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from partnership.dashboards import figures as dashboard
from partnership.models import GoalStatus
from schools import audit
from schools.spreadsheets import csv_bytes, safe_cell


def group_rows(school, year, user, group, language=""):
    figures = dashboard.school_dashboard(school, year, user, group, language)
    yield [
        _("Groep"),
        _("Leerlingen"),
        _("Gehouden"),
        _("Gepland"),
        _("Nog plannen"),
        _("Niet bereikt"),
        _("Binnen de periode"),
        _("Kind erbij"),
        _("Contacten"),
        _("Positief"),
    ]
    for row in figures["groups"]:
        yield [
            row["group"].name,
            *(row[k] for k in dashboard.CONVERSATION_KEYS),
            row["contacts"],
            row["positive"],
        ]


def partnership_rows(school, year, user, group, language=""):
    yield [
        _("Partnerschap"),
        _("Activiteiten"),
        _("Aanwezig"),
        _("Gezinnen gekomen"),
        _("Gezinnen hielpen"),
    ]
    for row in dashboard.partnership_balance(school, year):
        yield [
            row["label"],
            row["activities"],
            row["attendance"],
            row["families_came"],
            row["families_helped"],
        ]


def goal_rows(school, year, user, group, language=""):
    yield [_("Partnerschap"), *GoalStatus.labels, _("Totaal")]
    for row in dashboard.goals_by_partnership(school, year):
        yield [row["label"], *row["statuses"], row["total"]]


def not_reached_rows(school, year, user, group, language=""):
    """Names and languages of the families not reached: the download is audit-logged."""
    audit.record(user, audit.AuditAction.DOWNLOAD, school=school, what="not_reached")
    yield [_("Gezin"), _("Ouder"), _("Taal"), _("Tolk nodig")]
    for family in dashboard.families_not_reached(school, year, group, language):
        for guardian in family.guardians.all():
            yield [
                family.name,
                guardian.full_name,
                guardian.get_language_display(),
                _("ja") if guardian.needs_interpreter else _("nee"),
            ]


# Tables that name families: only for who may see the lists behind the figures.
NAMED_TABLES = frozenset({"niet-bereikt"})

SCHOOL_TABLES = {
    "groepen": group_rows,
    "partnerschappen": partnership_rows,
    "doelen": goal_rows,
    "niet-bereikt": not_reached_rows,
}


def board_rows(board, year, user):
    figures = dashboard.board_dashboard(board, year, user)
    yield [str(label) for label in BOARD_HEADERS]
    for row in [*figures["schools"], {**figures["totals"], "name": _("Totaal bestuur")}]:
        yield [row[key] for key in dashboard.BOARD_COLUMNS]


# Headers a reader understands without the dashboard beside it (plain Dutch, B1).
BOARD_HEADERS = (
    gettext_lazy("School"),
    gettext_lazy("Leerlingen"),
    gettext_lazy("Startgesprekken gehouden"),
    gettext_lazy("Startgesprekken gepland"),
    gettext_lazy("Startgesprekken nog te plannen"),
    gettext_lazy("Startgesprekken: gezin niet bereikt"),
    gettext_lazy("Startgesprekken gehouden in de afgesproken weken"),
    gettext_lazy("Startgesprekken met het kind erbij"),
    gettext_lazy("Gezinnen"),
    gettext_lazy("Gezinnen met een communicatieplan"),
    gettext_lazy("Gezinnen bereikt"),
    gettext_lazy("Contactmomenten tot vandaag"),
    gettext_lazy("Contactmomenten op tijd gehouden"),
    gettext_lazy("Contactmomenten te laat gehouden"),
    gettext_lazy("Contactmomenten te laat en nog niet gehouden"),
    gettext_lazy("Contacten met ouders"),
    gettext_lazy("Positieve contacten"),
    gettext_lazy("Activiteiten"),
    gettext_lazy("Aanwezig bij activiteiten"),
    gettext_lazy("Doelen"),
    gettext_lazy("Doelen bereikt"),
)
BOARD_SHEET_TITLE = gettext_lazy("Scholen")
# The name of the sheet in Excel, per school table (at most 31 characters).
SHEET_TITLES = {
    "groepen": gettext_lazy("Groepen"),
    "partnerschappen": gettext_lazy("Partnerschappen"),
    "doelen": gettext_lazy("Doelen"),
    "niet-bereikt": gettext_lazy("Niet bereikt"),
}


def csv_file(rows):
    return csv_bytes(rows)


def xlsx_file(rows: Iterable[Sequence[object]], title: str | Promise) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title))
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The columns of the board dashboard page, in its order: (sort key, heading).
BOARD_SORT_COLUMNS = (
    ("name", gettext_lazy("School")),
    ("held_share", gettext_lazy("Startgesprek gehouden")),
    ("pupils", gettext_lazy("Leerlingen")),
    ("held", gettext_lazy("Gehouden")),
    ("not_reached", gettext_lazy("Niet bereikt")),
    ("families", gettext_lazy("Gezinnen")),
    ("reached", gettext_lazy("Bereikt")),
    ("with_plan", gettext_lazy("Met plan")),
    ("held_on_time", gettext_lazy("Op tijd")),
    ("overdue", gettext_lazy("Achterstallig")),
    ("positive_share", gettext_lazy("Positief %")),
    ("activities", gettext_lazy("Activiteiten")),
    ("attendance", gettext_lazy("Aanwezig")),
    ("goals_achieved", gettext_lazy("Doelen bereikt")),
)
