"""What the school and board dashboards read.

Every function runs a fixed number of queries whatever the number of groups, schools, pupils or
families: the figures are grouped aggregates (conditional ``Count`` with ``filter=``, ``Exists``
or ``IN`` subqueries), never a query per group or per school. The board dashboard counts the
same figures as the school dashboard, grouped by school instead of by group, so the two never
disagree. Each figure's condition is defined once (``conversation_filters`` and its siblings)
and serves both the count and the list behind it (``dashboard_lists``).
"""

import datetime
import hashlib
import json
from operator import itemgetter
from typing import Any, NamedTuple

from django.db.models import (
    Avg,
    BigIntegerField,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
)
from django.db.models.lookups import In
from django.utils import timezone

from conversations.models import ConversationStatus, RoundKind, StartConversation
from parents.consent import unanswered_links
from parents.models import (
    CommunicationPlan,
    ContactLog,
    ContactMoment,
    Family,
    FamilyReach,
    Guardian,
    MomentStatus,
    PupilGuardian,
    Tone,
)
from partnership.helper_queries import families_helped
from partnership.models import (
    Activity,
    EvaluationScore,
    Framework,
    Goal,
    GoalStatus,
    KeptBoardFigures,
    KeptSchoolFigures,
    Partnership,
    SelfAssessmentItem,
)
from schools import changes, permissions
from schools.models import Board, Group, School, SchoolYear

CONVERSATION_KEYS = ("pupils", "held", "booked", "to_plan", "not_reached", "in_window", "child")
FAMILY_KEYS = ("families", "with_plan", "reached")
MOMENT_KEYS = ("moments_due", "held_on_time", "held_late", "overdue")
CONTACT_KEYS = ("contacts", "positive")
BOARD_COLUMNS = (
    "name",
    *CONVERSATION_KEYS,
    *FAMILY_KEYS,
    *MOMENT_KEYS,
    *CONTACT_KEYS,
    "activities",
    "attendance",
    "goals",
    "goals_achieved",
)


# --- who sees which dashboard ----------------------------------------------------------------


def dashboard_schools(user):
    """Schools whose dashboard ``user`` may open: directors and IB'ers of the school, and the
    board members of its board. Everybody else gets 404."""
    return permissions.schools_where(user, permissions.DASHBOARD_READERS)


def may_see_school_dashboard(user, school):
    """The rule of ``dashboard_schools`` for one school already in hand, without a query."""
    return permissions.holds_role(user, permissions.DASHBOARD_READERS, school)


def dashboard_boards(user):
    """Boards whose dashboard ``user`` may open: only the board's own members."""
    return Board.objects.filter(pk__in=permissions.access_for(user).board_ids)


# --- building blocks, shared by both dashboards ------------------------------------------------


def _year_range(year):
    return (year.start, year.end)


def conversation_filters():
    """What each start-conversation figure counts; the counts and the lists behind them both
    use these conditions, so a list never disagrees with its number."""
    held = Q(status=ConversationStatus.HELD)
    # Held inside its round's window, compared on the local date, as the school sees it. A plain
    # condition on the joined round: no subquery per conversation.
    in_window = Q(held_at__date__range=(F("round__window_start"), F("round__window_end")))
    return {
        "pupils": Q(),
        "held": held,
        "booked": Q(status=ConversationStatus.BOOKED),
        "to_plan": Q(status=ConversationStatus.TO_PLAN),
        "not_reached": Q(status=ConversationStatus.NOT_REACHED),
        "in_window": held & in_window,
        "child": held & Q(child_present=True),
    }


def _counts(filters):
    # An empty Q counts every row: ``Count`` takes no filter then.
    return {key: Count("pk", filter=condition or None) for key, condition in filters.items()}


def _conversation_counts():
    return _counts(conversation_filters())


def _conversations(year):
    """The year's start conversations of present pupils (not the pupil-led ones)."""
    return StartConversation.objects.filter(
        school_year=year, pupil__left_on__isnull=True, round__kind=RoundKind.START
    )


# School and family ids stay far below 2**31, so a pair of them fits in a bigint without overlap.
_PAIR_FACTOR = 2**31


def _school_family(school, family):
    """One number for a pair (school id, family id) of the fields ``school`` and ``family``."""
    return ExpressionWrapper(F(school) * _PAIR_FACTOR + F(family), output_field=BigIntegerField())


def _reached(year, schools, *, per_row):
    """Condition on a guardian link: the family was reached this year at the school of the
    link's pupil, or anywhere (a contact about no child). Read from the kept facts
    (``FamilyReach``, see ``parents.reach``), not from the contacts, conversations and
    attendance themselves: their history grows every year, the facts one row per family.

    Two ways to ask the same thing. ``per_row``: an ``Exists`` per link, an index lookup each;
    right for one school's few hundred links. Otherwise ``IN`` a subquery of (school, family)
    pairs of the board's rows this year, run once and looked up in a hash.
    """
    facts = FamilyReach.objects.filter(school_year=year)
    if per_row:
        at_school = Q(school=OuterRef("pupil__school")) | Q(school__isnull=True)
        return Q(Exists(facts.filter(at_school, family=OuterRef("guardian__family"))))
    at_schools = facts.filter(**_at(schools, "school")).values(
        pair=_school_family("school", "family")
    )
    anywhere = facts.filter(school__isnull=True, family__board=schools["board"])
    return Q(In(_school_family("pupil__school", "guardian__family"), at_schools.order_by())) | Q(
        guardian__family__in=anywhere.values("family")
    )


def _at(schools, path):
    """The School lookups ``schools`` as lookups from another model through ``path``."""
    return {f"{path}__{lookup}": value for lookup, value in schools.items()}


def _family_links(year, *, board=None, school=None, school_ids=None):
    """Guardian links of present pupils enrolled in ``year`` (one enrolment per pupil and year)
    at one ``school`` or at any school of ``board`` (or at those of ``school_ids``), annotated with the family's plan and reach
    this year. Grouped by school or group, ``Count('guardian__family', distinct=True)`` counts
    families.

    For one school each flag is an ``Exists`` per link, tied to the link's family and school;
    for a board an ``IN`` a subquery run once, reading only the board's rows (see
    ``_reached``)."""
    per_row = school is not None
    schools = {"pk": school.pk} if per_row else {"board": board}
    if school_ids is not None:
        schools["pk__in"] = school_ids
    if per_row:
        plans = CommunicationPlan.objects.filter(
            school_year=year, family=OuterRef("guardian__family")
        )
        has_plan = Exists(plans)
    else:
        of_pupils = Guardian.objects.filter(**_at(schools, "pupil_links__pupil__school"))
        plans = CommunicationPlan.objects.filter(
            school_year=year, family__in=of_pupils.values("family")
        )
        has_plan = Q(guardian__family__in=plans.values("family"))
    return (
        PupilGuardian.objects.filter(
            pupil__left_on__isnull=True,
            pupil__enrolments__school_year=year,
            **_at(schools, "pupil__school"),
        )
        .annotate(
            has_plan=ExpressionWrapper(has_plan, output_field=BooleanField()),
            is_reached=ExpressionWrapper(
                _reached(year, schools, per_row=per_row), output_field=BooleanField()
            ),
        )
        .order_by()
    )


def family_filters():
    """What each family figure counts (per family: all guardian links of a family agree)."""
    return {"families": Q(), "with_plan": Q(has_plan=True), "reached": Q(is_reached=True)}


def _family_counts():
    family = "guardian__family"
    return {
        key: Count(family, distinct=True, filter=condition or None)
        for key, condition in family_filters().items()
    }


def moment_filters(today):
    """What each contact-moment figure counts. A held moment is late when its log (one at most)
    is later than its due day. The log is a left join on the one-to-one key: no subquery per
    moment."""
    held = Q(status=MomentStatus.HELD)
    late = Q(log__happened_on__gt=F("due_on"))
    on_time = Q(log__isnull=True) | Q(log__happened_on__lte=F("due_on"))
    return {
        "moments_due": Q(due_on__lte=today) & ~Q(status=MomentStatus.UNPLANNED),
        "held_on_time": held & on_time,
        "held_late": held & late,
        "overdue": Q(status=MomentStatus.PLANNED, due_on__lt=today),
    }


def _moment_counts(today):
    return _counts(moment_filters(today))


def _moments(year):
    return ContactMoment.objects.filter(due_on__range=_year_range(year)).order_by()


def contact_filters():
    return {"contacts": Q(), "positive": Q(tone=Tone.POSITIVE)}


def _contact_counts():
    return _counts(contact_filters())


def _contacts(year):
    """Contacts about a child this year: the ones a group or school can be told from."""
    return ContactLog.objects.filter(
        happened_on__range=_year_range(year), pupil__isnull=False
    ).order_by()


def _zero(keys):
    return dict.fromkeys(keys, 0)


def share(part, whole):
    """A percentage rounded to a whole number, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


# --- the school dashboard ---------------------------------------------------------------------


def school_dashboard(school, year, user, group=None, language=""):
    """The figures of one school in one school year, optionally for one group and for the
    families with a guardian who speaks ``language`` (the partnership tables stay school-wide).

    ``user`` must be allowed to see the school (``dashboard_schools``); the view checks that.
    Returns a dict of plain data; ten queries, whatever the size of the school.
    """
    today = timezone.localdate()
    groups = list(
        Group.objects.filter(school=school, school_year=year).order_by("lowest_grade", "name")
    )
    if group is not None:
        groups = [g for g in groups if g.pk == group.pk]
    group_ids = [g.pk for g in groups]

    scope = school_scope(school, year, group, group_ids, language)
    by_group = {
        row["group_id"]: row
        for row in scope["conversations"].values("group_id").annotate(**_conversation_counts())
    }
    contacts_by_group = {
        row["pupil__enrolments__group"]: row
        for row in scope["contacts"]
        .values("pupil__enrolments__group")
        .annotate(**_contact_counts())
    }
    rows = []
    for g in groups:
        row = {"group": g, **_zero(CONVERSATION_KEYS), **_zero(CONTACT_KEYS)}
        row.update({k: v for k, v in by_group.get(g.pk, {}).items() if k != "group_id"})
        row.update(
            {
                k: v
                for k, v in contacts_by_group.get(g.pk, {}).items()
                if k != "pupil__enrolments__group"
            }
        )
        row["positive_share"] = share(row["positive"], row["contacts"])
        rows.append(row)
    totals = {key: sum(r[key] for r in rows) for key in (*CONVERSATION_KEYS, *CONTACT_KEYS)}
    totals["positive_share"] = share(totals["positive"], totals["contacts"])

    links, moments = scope["family_links"], scope["moments"]
    families = links.aggregate(**_family_counts())
    families["not_reached"] = families["families"] - families["reached"]
    families["reached_share"] = share(families["reached"], families["families"])
    families["plan_share"] = share(families["with_plan"], families["families"])
    families["consent_unanswered"] = consent_unanswered(links, year)
    moment_figures = moments.aggregate(**_moment_counts(today))
    balance = partnership_balance(school, year)

    return {
        "school": school,
        "year": year,
        "group": group,
        "language": language,
        "has_groups": bool(group_ids),
        "groups": rows,
        "totals": totals,
        "families": families,
        "moments": moment_figures,
        "partnerships": balance,
        "balance_max": max(row["activities"] for row in balance),
        "goals": goals_by_partnership(school, year),
        "goal_statuses": GoalStatus.labels,
        "evaluations": evaluation_trend(school, year),
        "self_assessments": self_assessment_trend(school, year),
    }


def consent_unanswered(links, year):
    """How many families of ``links`` (the dashboard's guardian links) have a guardian with
    parental authority who has not answered the photo consent question for a child this year.
    One query."""
    unanswered = unanswered_links(year).filter(pk__in=links.values("pk"))
    return unanswered.aggregate(n=Count("guardian__family", distinct=True))["n"]


def school_scope(school, year, group=None, group_ids=None, language=""):
    """The rows behind the school dashboard, optionally of one group: querysets of the year's
    start conversations and contacts (of the pupils in ``group_ids``, the school's groups this
    year), the guardian links of present pupils, and the contact moments. The dashboard counts
    them; the list behind each figure shows them. ``language``: only families with a guardian
    who speaks it."""
    if group_ids is None:
        group_ids = (
            [group.pk]
            if group is not None
            else Group.objects.filter(school=school, school_year=year).values("pk")
        )
    links = _family_links(year, school=school)
    moments = _moments(year).filter(agreement__pupil__school=school)
    if group is not None:
        in_group = {"enrolments__group": group, "enrolments__school_year": year}
        links = links.filter(**{f"pupil__{k}": v for k, v in in_group.items()})
        moments = moments.filter(**{f"agreement__pupil__{k}": v for k, v in in_group.items()})
    scope = {
        "conversations": _conversations(year).filter(round__school=school, group__in=group_ids),
        "contacts": _contacts(year).filter(
            pupil__school=school,
            pupil__enrolments__school_year=year,
            pupil__enrolments__group__in=group_ids,
        ),
        "family_links": links,
        "moments": moments,
    }
    if language:
        scope = _speaking(scope, language)
    return scope


def _speaking(scope, language):
    """The scope narrowed to families with a guardian who speaks ``language``; id subqueries,
    so no row is counted twice when both parents speak it."""
    families = Guardian.objects.filter(language=language).values("family_id")
    children = PupilGuardian.objects.filter(guardian__family__in=families).values("pupil_id")
    return {
        "conversations": scope["conversations"].filter(pupil__in=children),
        "contacts": scope["contacts"].filter(family__in=families),
        "family_links": scope["family_links"].filter(guardian__family__in=families),
        "moments": scope["moments"].filter(agreement__plan__family__in=families),
    }


def partnership_balance(school, year):
    """Per partnership (all five, in their order): activities held this year, families that
    came, attendances, and families that helped (helping parents). One query."""
    counts = {
        row["partnership"]: row
        for row in Activity.objects.filter(school=school, school_year=year)
        .values("partnership")
        .annotate(
            activities=Count("pk", distinct=True),
            attendance=Count("invitations__attendance", distinct=True),
            families_came=Count(
                "invitations__family",
                distinct=True,
                filter=Q(invitations__attendance__isnull=False),
            ),
            families_helped=families_helped(school, year),
        )
        .order_by()
    }
    return [
        {
            "partnership": value,
            "label": label,
            **{
                k: counts.get(value, {}).get(k, 0)
                for k in ("activities", "attendance", "families_came", "families_helped")
            },
        }
        for value, label in Partnership.choices
    ]


def goals_by_partnership(school, year):
    """Per partnership: the number of goals in the year's partnership plan in each status."""
    counts = {
        (row["partnership"], row["status"]): row["n"]
        for row in Goal.objects.filter(plan__school=school, plan__school_year=year)
        .values("partnership", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        {
            "partnership": value,
            "label": label,
            "statuses": [counts.get((value, status), 0) for status in GoalStatus.values],
            "total": sum(counts.get((value, status), 0) for status in GoalStatus.values),
        }
        for value, label in Partnership.choices
    ]


def evaluation_trend(school, year):
    """Per school year up to ``year``: the average score (1-5) per partnership of that year's
    quarterly evaluations, and the day of the last one. Oldest year first; one query."""
    rows = (
        EvaluationScore.objects.filter(
            evaluation__school=school, evaluation__school_year__start__lte=year.start
        )
        .values("evaluation__school_year__label", "partnership")
        .annotate(average=Avg("score"), last=Max("evaluation__held_on"))
        .order_by("evaluation__school_year__label")
    )
    years = {}
    for row in rows:
        entry = years.setdefault(
            row["evaluation__school_year__label"],
            {"label": row["evaluation__school_year__label"], "scores": {}, "last": None},
        )
        entry["scores"][row["partnership"]] = round(row["average"], 1)
        entry["last"] = max(filter(None, (entry["last"], row["last"])))
    return [
        {**entry, "scores": [entry["scores"].get(p) for p in Partnership.values]}
        for entry in years.values()
    ]


def self_assessment_trend(school, year):
    """Per school year up to ``year`` and per list (checklist, OB 3.0 criteria): the average item
    score (1-4). Oldest year first; one query."""
    rows = (
        SelfAssessmentItem.objects.filter(
            assessment__school=school, assessment__school_year__start__lte=year.start
        )
        .values("assessment__school_year__label", "assessment__framework")
        .annotate(average=Avg("score"))
        .order_by("assessment__school_year__label")
    )
    years = {}
    for row in rows:
        label = row["assessment__school_year__label"]
        years.setdefault(label, {"label": label, "scores": {}})["scores"][
            row["assessment__framework"]
        ] = round(row["average"], 1)
    return [
        {**entry, "scores": [entry["scores"].get(f) for f in Framework.values]}
        for entry in years.values()
    ]


def families_of(links):
    """The families of the guardian links ``links``, with their guardians (for the language and
    interpreter), by name. Two queries."""
    return (
        Family.objects.filter(pk__in=links.values("guardian__family_id"))
        .prefetch_related(
            Prefetch("guardians", queryset=Guardian.objects.order_by("last_name", "first_name"))
        )
        .order_by("name")
    )


def families_not_reached(school, year, group=None, language=""):
    """Families of the school's present pupils that year (optionally of one group, or with a
    guardian who speaks ``language``) that nobody reached. Every link of a family agrees on
    its reach."""
    links = school_scope(school, year, group, language=language)["family_links"]
    return families_of(links.filter(is_reached=False))


# --- the board dashboard ----------------------------------------------------------------------


def board_dashboard(board, year, user, sort="name"):
    """The school dashboard's figures per school of ``board`` side by side, with the board's
    total. ``sort`` names a column (``-`` in front for descending); an unknown one sorts by name.

    Reads the kept table (``kept_board_table``): two queries when it is fresh, a fixed number
    more when some schools are recounted, whatever the number of schools."""
    today = timezone.localdate()
    schools = marked_schools(board)
    table = kept_board_table(board, year, schools, today)
    # One dict per row straight from one zip: this runs once per school on every view.
    school_rows = [
        dict(zip(_ROW_KEYS, (school, school.name, *values), strict=True))
        for school, values in zip(schools, table["schools"], strict=True)
    ]
    sort_key = sort.removeprefix("-")
    if sort_key not in (*BOARD_COLUMNS, *SHARE_COLUMNS):
        sort, sort_key = "name", "name"
    if sort != "name":  # the schools come sorted by name
        # Schools without a figure (nothing to divide) come last, whichever the direction.
        known = sorted(
            (r for r in school_rows if r[sort_key] is not None),
            key=lambda r: r[sort_key],
            reverse=sort.startswith("-"),
        )
        school_rows = known + [r for r in school_rows if r[sort_key] is None]
    return {
        "board": board,
        "year": year,
        "schools": school_rows,
        "totals": dict(zip(TABLE_COLUMNS, table["totals"], strict=True)),
        "sort": sort,
    }


# --- kept per-school figures ------------------------------------------------------------------
#
# Counting every school's figures over all of a board's rows of the year grows with the board.
# So each school's row of figures is kept (``KeptSchoolFigures``) with the day it was counted for
# and the school's change marker (``schools.changes``) it was counted at; the board dashboard
# sums the kept rows and recounts only the schools whose row is missing or stale, with the same
# grouped queries narrowed to those schools.
#
# A change committed while a recount runs is not lost: the marker is read (with the schools,
# before any count) and stored with the row, and every write moves the marker on in its own
# transaction. A write committed before the marker was read is in the counts; one committed
# after it leaves the marker unequal to the stored version, so the next view recounts. What
# remains: a write that neither sends a signal nor calls ``school_data_changed`` (raw SQL, a
# bulk path without the call), and a school without a marker row (made by ``bulk_create``),
# whose first marker is made just before its first count, so a write racing that very first
# count may go unmarked. A row moved to another school marks both (``changes.track``).

KEPT_COLUMNS = BOARD_COLUMNS[1:]
SHARE_COLUMNS = ("held_share", "plan_share", "reached_share", "positive_share")
# A row of the board's kept table: plain lists in this order are a third of the size of
# dicts, and the table is read on every view.
TABLE_COLUMNS = (*KEPT_COLUMNS, *SHARE_COLUMNS)
_ROW_KEYS = ("school", "name", *TABLE_COLUMNS)


class MarkedSchool(NamedTuple):
    """What the board dashboard needs of a school: plain values, not a model object, because it
    is made once per school of the board on every view."""

    pk: int
    name: str
    marker: int | None  # the school's change marker; None for a school without a marker row


def marked_schools(board: Board) -> list[MarkedSchool]:
    """The schools of ``board`` with their change markers, in the page's order (by name). One
    query."""
    rows = changes.with_marker(School.objects.filter(board=board).order_by()).values_list(
        "pk", "name", "marker"
    )
    return list(map(MarkedSchool._make, sorted(rows, key=itemgetter(1, 0))))  # name, then pk


def _stamp(schools: list[MarkedSchool]) -> str:
    """Changes whenever a school joins or leaves the board, the order of the names changes or
    a school's marker moves on: then a kept table no longer fits the page."""
    # A school without a marker row gets one at 0 when it is counted (``ensure_markers``). The
    # columns are in it too: a table kept by an older version of this code has other columns.
    listed = ";".join(f"{school.pk}:{school.marker or 0}" for school in schools)
    return hashlib.sha256(f"{','.join(TABLE_COLUMNS)}|{listed}".encode()).hexdigest()


def kept_board_table(
    board: Board, year: SchoolYear, schools: list[MarkedSchool], today: datetime.date
) -> dict[str, Any]:
    """The table of ``board``: ``{"schools": [per school in the order of ``schools``, its
    figures and shares in ``TABLE_COLUMNS`` order], "totals": [the same for the board]}``. The
    kept one when it fits ``schools`` and today (one query), else made from the schools' kept
    rows (recounting the stale ones) and kept."""
    # A school without a marker row may have changed unmarked: it is counted first.
    if all(school.marker is not None for school in schools):
        kept = (
            KeptBoardFigures.objects.filter(
                board=board, school_year=year, counted_for=today, stamp=_stamp(schools)
            )
            .values_list("table", flat=True)
            .first()
        )
        if kept is not None:
            return json.loads(kept)
    return keep_board_table(
        board, year, schools, today, kept_board_figures(board, year, schools, today)
    )


def keep_board_table(
    board: Board,
    year: SchoolYear,
    schools: list[MarkedSchool],
    today: datetime.date,
    figures: dict[int, dict[str, int]],
) -> dict[str, Any]:
    """Keep the table of ``board`` made from ``figures`` per school (counted at the markers of
    ``schools``, read before counting: a write committed since changes the stamp). One query."""
    rows = []
    for school in schools:
        row = dict(figures[school.pk])
        _add_shares(row)
        rows.append(row)
    totals: dict[str, Any] = {key: sum(r[key] for r in rows) for key in KEPT_COLUMNS}
    _add_shares(totals)
    table = {
        "schools": [[row[key] for key in TABLE_COLUMNS] for row in rows],
        "totals": [totals[key] for key in TABLE_COLUMNS],
    }
    KeptBoardFigures.objects.bulk_create(
        [
            KeptBoardFigures(
                board=board,
                school_year=year,
                counted_for=today,
                stamp=_stamp(schools),
                table=json.dumps(table),
            )
        ],
        update_conflicts=True,
        unique_fields=["board", "school_year"],
        update_fields=["counted_for", "stamp", "table"],
    )
    return table


def kept_board_figures(
    board: Board, year: SchoolYear, schools: list[MarkedSchool], today: datetime.date
) -> dict[int, dict[str, int]]:
    """``{school id: figures}`` for ``schools`` of ``board`` (with their change ``marker``):
    the kept rows that are fresh, the others recounted and written back. One query when all
    are fresh; four more plus seven counts when some are not."""
    # Plain tuples, not model objects: this runs once per school of the board.
    kept = {
        school_id: (version, counted_for, counted)
        for school_id, version, counted_for, counted in KeptSchoolFigures.objects.filter(
            school__board=board, school_year=year
        ).values_list("school_id", "version", "counted_for", "figures")
    }
    figures = {}
    stale = []
    for school in schools:
        version, counted_for, counted = kept.get(school.pk, (None, None, None))
        if school.marker is not None and version == school.marker and counted_for == today:
            figures[school.pk] = counted
        else:
            stale.append(school)
    if stale:
        figures.update(recount_school_figures(board, year, stale, today))
    return figures


def recount_school_figures(
    board: Board, year: SchoolYear, schools: list[MarkedSchool], today: datetime.date
) -> dict[int, dict[str, int]]:
    """Count the figures of ``schools`` of ``board`` (with the change ``marker`` read before
    this call) and keep them. Returns ``{school id: figures}``."""
    unmarked = [s.pk for s in schools if s.marker is None]
    if unmarked:
        changes.ensure_markers(unmarked)
    counted = count_school_figures(board, year, [s.pk for s in schools], today)
    KeptSchoolFigures.objects.bulk_create(
        [
            KeptSchoolFigures(
                school_id=school.pk,
                school_year=year,
                counted_for=today,
                version=school.marker or 0,
                figures=counted[school.pk],
            )
            for school in schools
        ],
        update_conflicts=True,
        unique_fields=["school", "school_year"],
        update_fields=["counted_for", "version", "figures"],
    )
    return counted


def recount_board(board: Board, year: SchoolYear, today: datetime.date | None = None) -> int:
    """Recount and keep the figures of every school of ``board``, and the board's table (the
    morning task, the command). Returns the number of schools."""
    today = today or timezone.localdate()
    schools = marked_schools(board)
    keep_board_table(
        board, year, schools, today, recount_school_figures(board, year, schools, today)
    )
    return len(schools)


def count_school_figures(
    board: Board, year: SchoolYear, school_ids: list[int], today: datetime.date
) -> dict[int, dict[str, int]]:
    """The board dashboard's figures (``KEPT_COLUMNS``) of the schools ``school_ids`` of
    ``board``, counted from the data: seven grouped queries, whatever the number of schools."""
    rows = {pk: _zero(KEPT_COLUMNS) for pk in school_ids}
    schools = {"board": board, "pk__in": school_ids}

    def merge(queryset: Any, key: str) -> None:
        for figures in queryset:
            school_id = figures.pop(key)
            if school_id in rows:
                rows[school_id].update(figures)

    merge(
        _conversations(year)
        .filter(**_at(schools, "round__school"))
        .values("round__school")
        .annotate(**_conversation_counts()),
        "round__school",
    )
    merge(
        _family_links(year, board=board, school_ids=school_ids)
        .values("pupil__school")
        .annotate(**_family_counts()),
        "pupil__school",
    )
    merge(
        _moments(year)
        .filter(**_at(schools, "agreement__pupil__school"))
        .values("agreement__pupil__school")
        .annotate(**_moment_counts(today)),
        "agreement__pupil__school",
    )
    merge(
        _contacts(year)
        .filter(**_at(schools, "pupil__school"))
        .values("pupil__school")
        .annotate(**_contact_counts()),
        "pupil__school",
    )
    merge(
        Activity.objects.filter(**_at(schools, "school"), school_year=year)
        .values("school")
        .annotate(
            activities=Count("pk", distinct=True),
            attendance=Count("invitations__attendance", distinct=True),
        )
        .order_by(),
        "school",
    )
    merge(
        Goal.objects.filter(**_at(schools, "plan__school"), plan__school_year=year)
        .values("plan__school")
        .annotate(
            goals=Count("pk"), goals_achieved=Count("pk", filter=Q(status=GoalStatus.ACHIEVED))
        )
        .order_by(),
        "plan__school",
    )
    return rows


def _add_shares(row):
    row["held_share"] = share(row["held"], row["pupils"])
    row["plan_share"] = share(row["with_plan"], row["families"])
    row["reached_share"] = share(row["reached"], row["families"])
    row["positive_share"] = share(row["positive"], row["contacts"])


def attention_figures(school, year, today):
    """The few figures of ``school`` that ask the director to act: families not reached,
    start conversations not held, contact moments overdue. Three queries."""
    scope = school_scope(school, year)
    families = scope["family_links"].aggregate(**_family_counts())
    conversations = scope["conversations"].aggregate(**_conversation_counts())
    moments = scope["moments"].aggregate(**_moment_counts(today))
    return {
        "families": families["families"],
        "not_reached": families["families"] - families["reached"],
        "reached_share": share(families["reached"], families["families"]),
        "conversations": conversations["pupils"],
        "not_held": conversations["pupils"] - conversations["held"],
        "overdue": moments["overdue"],
    }


def recount_all_boards(today: datetime.date | None = None) -> int:
    """Recount and keep every school's figures of the school year of ``today`` (the morning task
    and ``manage.py recount_dashboard_figures``), board by board. Returns the number of schools."""
    today = today or timezone.localdate()
    year = SchoolYear.objects.containing(today).first()
    if year is None:
        return 0
    return sum(recount_board(board, year, today) for board in Board.objects.order_by("pk"))
