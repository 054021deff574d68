"""From a table and a column mapping to a plan: what will be added, changed, left alone, and who
leaves. Every problem names its row and column in Dutch. Reading the database takes a fixed number
of queries, however long the file."""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from parents.contact_details import open_changes
from parents.importing.groups import (
    MAX_NAME,
    existing_groups,
    group_key,
    new_group_name,
    planned_group,
)
from parents.importing.mapping import FIELDS, GUARDIAN_SLOTS
from parents.importing.people import (
    NotAPhoneNumber,
    address_key,
    first_email,
    parse_phone,
    stored_phone_key,
)
from parents.models import Guardian, PupilGuardian
from schools.models import Enrolment, Pupil, SchoolYear

DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y")
NAME_LIMITS = {"first_name": 100, "infix": 20, "last_name": 100}
PUPIL_FIELDS = ("first_name", "infix", "last_name", "date_of_birth", "eck_id")
MAX_KEY = Pupil._meta.get_field("pupil_number").max_length
# A file with fewer pupils than this share of the school is probably a part of it (one group).
PARTIAL_SHARE = 0.8
SUMMARY = re.compile(
    r"^(totaal|aantal|total|som|afgedrukt|gemaakt|datum|bron|export)\b", re.IGNORECASE
)


@dataclass
class RowError:
    row: int
    column: str
    message: str
    label: str = ""  # how the staff member finds the row, when not by its number

    def __str__(self):
        return _("%(where)s, %(column)s: %(message)s") % {
            "where": self.label or _("rij %(row)s") % {"row": self.row},
            "column": self.column,
            "message": self.message,
        }


@dataclass
class GuardianRow:
    first_name: str
    last_name: str
    email: str
    phone: str  # E.164
    address: str = ""  # a key of the address, "" when the row gives none

    @property
    def keys(self):
        """What makes this person the same person elsewhere in the file or in Schouder."""
        keys = [("email", self.email.lower())] if self.email else []
        return keys + ([("phone", self.phone)] if self.phone else [])


@dataclass
class PupilRow:
    row: int
    pupil_number: str
    first_name: str
    infix: str
    last_name: str
    date_of_birth: datetime.date | None  # None: not in the file (EDEXML), keep what we know
    group_name: str
    guardians: list = field(default_factory=list)
    eck_id: str = ""
    group_spelling: str = ""  # as the file writes it, for the name of a new group


@dataclass
class Plan:
    school: object
    year: object
    rows: list = field(default_factory=list)  # valid PupilRows
    errors: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # worth a second look before confirming
    added: list = field(default_factory=list)  # PupilRow
    changed: list = field(default_factory=list)  # (Pupil, PupilRow, [field labels])
    unchanged: list = field(default_factory=list)  # Pupil
    leaving: list = field(default_factory=list)  # Pupil not in the file (left only on request)
    groups: dict = field(default_factory=dict)  # normalised name -> Group
    new_groups: dict = field(default_factory=dict)  # normalised name -> Group, not saved yet
    enrolments: dict = field(default_factory=dict)  # pupil id -> Enrolment of the year
    error_rows: set = field(default_factory=set)
    source: str = "table"  # or "edexml"
    teachers: list = field(default_factory=list)  # (e-mail, [normalised group names]), EDEXML
    pupils_at_school: int = 0  # pupils of the school not marked as left, before this import

    @property
    def has_errors(self):
        return bool(self.errors)


DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


# Excel counts days from 30 December 1899; a date in a General cell arrives as that count.
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EXCEL_SERIAL = re.compile(r"^\d{5}$")


def parse_date(text):
    """dd-mm-jjjj (also with / or .), jjjj-mm-dd, dd-mm-jj, or an Excel day number ("43132" is
    1 February 2018); None when it is not a real date."""
    if EXCEL_SERIAL.match(text) and 10_000 <= int(text) <= 80_000:  # 1927 .. 2119
        return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    match = DMY.match(text)
    parts = (match[3], match[2], match[1]) if match else None
    if match is None and (match := YMD.match(text)):
        parts = (match[1], match[2], match[3])
    if parts:
        try:
            return datetime.date(*map(int, parts))
        except ValueError:
            return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def pupil_values(row):
    """What the row says about the pupil: a birth date or ECK iD the file lacks stays as it is."""
    values = {name: getattr(row, name) for name in ("first_name", "infix", "last_name")}
    if row.date_of_birth is not None:
        values["date_of_birth"] = row.date_of_birth
    if row.eck_id:
        values["eck_id"] = row.eck_id
    return values


def _label(name):
    return str(FIELDS[name][0])


def _check_name(row, name, value, errors, required=True):
    if not value:
        if required:
            errors.append(RowError(row, _label(name), _("is leeg")))
        return
    if "?" in value or "\ufffd" in value:
        errors.append(
            RowError(
                row,
                _label(name),
                _(
                    "'%(value)s' bevat een '?': er is een letter verloren gegaan bij het "
                    "opslaan. Sla het bestand op als 'CSV UTF-8' en probeer het opnieuw."
                )
                % {"value": value},
            )
        )
    elif any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        errors.append(RowError(row, _label(name), _("bevat onzichtbare tekens")))
    limit = NAME_LIMITS.get(name.split("_", 1)[-1] if name.startswith("guardian") else name, 100)
    if len(value) > limit:
        errors.append(RowError(row, _label(name), _("is langer dan %(n)s tekens") % {"n": limit}))


def _parse_guardian(row, n, cell, errors, warnings):
    names = [f"guardian{n}_{part}" for part in ("first_name", "last_name", "email", "phone")]
    first, last, email, phone = (cell(name) for name in names)
    if not any((first, last, email, phone)):
        return None
    _check_name(row, names[0], first, errors, required=False)
    _check_name(row, names[1], last, errors, required=False)
    if email:
        email, more = first_email(email)
        if more:
            warnings.append(
                RowError(
                    row,
                    _label(names[2]),
                    _("er staan twee e-mailadressen in; het eerste (%(v)s) is gebruikt")
                    % {"v": email},
                )
            )
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                RowError(row, _label(names[2]), _("'%(v)s' is geen e-mailadres") % {"v": email})
            )
    if phone:
        try:
            phone, warning = parse_phone(phone)
        except NotAPhoneNumber:
            errors.append(
                RowError(row, _label(names[3]), _("'%(v)s' is geen telefoonnummer") % {"v": phone})
            )
        else:
            if warning:
                warnings.append(RowError(row, _label(names[3]), warning))
    if not email and not phone:
        errors.append(
            RowError(
                row,
                _label(names[2]),
                _("ouder %(n)s heeft geen e-mail en geen telefoon") % {"n": n},
            )
        )
    address = address_key(
        cell(f"guardian{n}_street"),
        cell(f"guardian{n}_house_number"),
        cell(f"guardian{n}_postcode"),
    )
    return GuardianRow(first, last, email, phone, address)


def _parse_row(row, cells, index, errors, warnings, optional_birth_date):
    def cell(name):
        position = index.get(name)
        return cells[position] if position is not None else ""

    number = cell("pupil_number")
    if not number:
        errors.append(RowError(row, _label("pupil_number"), _("is leeg")))
    elif len(number) > MAX_KEY or any(unicodedata.category(ch)[0] in "CZ" for ch in number):
        errors.append(
            RowError(
                row, _label("pupil_number"), _("'%(v)s' is geen leerlingnummer") % {"v": number}
            )
        )
    for name in ("first_name", "last_name"):
        _check_name(row, name, cell(name), errors)
    _check_name(row, "infix", cell("infix"), errors, required=False)
    born = parse_date(cell("date_of_birth")) if cell("date_of_birth") else None
    if born is None and (cell("date_of_birth") or not optional_birth_date):
        errors.append(
            RowError(
                row,
                _label("date_of_birth"),
                _("'%(v)s' is geen datum") % {"v": cell("date_of_birth")}
                if cell("date_of_birth")
                else _("is leeg"),
            )
        )
    eck_id = cell("eck_id")
    if len(eck_id) > MAX_KEY:
        errors.append(
            RowError(row, _label("eck_id"), _("is langer dan %(n)s tekens") % {"n": MAX_KEY})
        )
    group_name = group_key(cell("group"))
    if not group_name:
        errors.append(RowError(row, _label("group"), _("is leeg")))
    elif len(new_group_name(cell("group"))) > MAX_NAME:
        errors.append(
            RowError(row, _label("group"), _("is langer dan %(n)s tekens") % {"n": MAX_NAME})
        )
    guardians = [
        g for n in GUARDIAN_SLOTS if (g := _parse_guardian(row, n, cell, errors, warnings))
    ]
    return PupilRow(
        row,
        number,
        cell("first_name"),
        cell("infix"),
        cell("last_name"),
        born,
        group_name,
        guardians,
        eck_id,
        cell("group"),
    )


def _is_summary(cells, index):
    """A row under the pupils like "Totaal: 600 leerlingen" or "Afgedrukt op 3-9-2026": a word of
    counting or printing, or hardly anything filled in."""
    number = cells[index["pupil_number"]] if "pupil_number" in index else ""
    filled = [c for c in cells if c]
    return any(SUMMARY.match(c) for c in filled) or (not number and len(filled) <= 2)


def make_plan(*, school, table, columns, year=None, new_groups=None, source="table"):
    """Validate every row and compare it with the school's pupils. Writes nothing.

    ``new_groups`` (normalised name -> unsaved Group) are groups the file itself defines, as
    EDEXML does with their year levels; other groups the school lacks are planned from their
    names."""
    year = year or SchoolYear.current()
    plan = Plan(school=school, year=year, notices=list(table.notices), source=source)
    position = {header: i for i, header in enumerate(table.headers)}
    index = {name: position[header] for name, header in columns.items() if header in position}
    plan.groups = existing_groups(school, year)
    for key, group in (new_groups or {}).items():
        if key not in plan.groups:
            plan.groups[key] = plan.new_groups[key] = group
    rows = table.rows
    # Footer rows ("Totaal: 600 leerlingen", "Afgedrukt op ...") under the last pupil.
    footers = []
    while source == "table" and rows and _is_summary(rows[-1][1], index):
        footers.insert(0, rows[-1][0])
        rows = rows[:-1]
    plan.notices.extend(
        _("Rij %(row)s is overgeslagen: dat lijkt een totaalregel.") % {"row": row}
        for row in footers
    )

    seen_numbers = {}
    parsed = []
    row_warnings = []
    for row, cells in rows:
        errors = []
        pupil_row = _parse_row(row, cells, index, errors, row_warnings, source == "edexml")
        for name, message in table.row_errors.get(row, []):
            errors = [e for e in errors if e.column != _label(name)]
            errors.append(RowError(row, _label(name), message))
        if pupil_row.pupil_number:
            if pupil_row.pupil_number in seen_numbers:
                first = seen_numbers[pupil_row.pupil_number]
                message = _("leerlingnummer %(v)s staat ook in rij %(other)s")
                errors.append(
                    RowError(
                        row,
                        _label("pupil_number"),
                        message % {"v": pupil_row.pupil_number, "other": first},
                    )
                )
                plan.errors.append(
                    RowError(
                        first,
                        _label("pupil_number"),
                        message % {"v": pupil_row.pupil_number, "other": row},
                    )
                )
                plan.error_rows.add(first)
            else:
                seen_numbers[pupil_row.pupil_number] = row
        if errors:
            plan.errors.extend(errors)
            plan.error_rows.add(row)
        parsed.append(pupil_row)
    for error in plan.errors + row_warnings:
        error.label = table.row_labels.get(error.row, "")
    plan.warnings.extend(str(w) for w in row_warnings)
    plan.errors.sort(key=lambda e: e.row)
    plan.rows = [r for r in parsed if r.row not in plan.error_rows]
    for row in plan.rows:
        if row.group_name not in plan.groups:
            group = planned_group(school=school, year=year, spelling=row.group_spelling)
            plan.groups[row.group_name] = plan.new_groups[row.group_name] = group
    _compare(plan, set(seen_numbers) | table.skipped_numbers)
    return plan


def _compare(plan, numbers_in_file):
    existing = {p.pupil_number: p for p in Pupil.objects.filter(school=plan.school)}
    plan.enrolments = {
        e.pupil_id: e
        for e in Enrolment.objects.filter(pupil__school=plan.school, school_year=plan.year)
    }
    for row in plan.rows:
        pupil = existing.get(row.pupil_number)
        if pupil is None:
            plan.added.append(row)
            continue
        changes = [
            _label(name)
            for name, value in pupil_values(row).items()
            if getattr(pupil, name) != value
        ]
        enrolment = plan.enrolments.get(pupil.pk)
        group = plan.groups[row.group_name]
        if enrolment is None or enrolment.group_id != group.pk:
            changes.append(_label("group"))
        if pupil.left_on is not None:
            changes.append(_("weer op school"))
        if changes:
            plan.changed.append((pupil, row, changes))
        else:
            plan.unchanged.append(pupil)
    # A pupil whose row has an error is still in the file: never mark them as left.
    plan.leaving = [
        pupil
        for number, pupil in sorted(existing.items())
        if pupil.left_on is None and number not in numbers_in_file
    ]
    plan.pupils_at_school = sum(1 for p in existing.values() if p.left_on is None)
    if plan.leaving and len(numbers_in_file) < plan.pupils_at_school * PARTIAL_SHARE:
        plan.warnings.append(
            _(
                "Dit bestand heeft %(file)s leerlingen; de school heeft er nu %(school)s. Is het "
                "een deel van de school? Dan blijven de %(missing)s andere leerlingen gewoon op "
                "school: zet ze alleen als 'van school af' als ze echt weg zijn."
            )
            % {
                "file": len(numbers_in_file),
                "school": plan.pupils_at_school,
                "missing": len(plan.leaving),
            }
        )
    _plan_guardians(plan)


@dataclass
class ParentValue:
    """A contact field the parent changed in the portal after the administration's value: the
    import keeps the parent's value unless staff choose otherwise."""

    guardian: object
    field: str  # "phone" or "email"
    parent_value: str
    file_value: str
    change: object  # the ContactChange

    @property
    def label(self):
        return self.change.get_field_display()


# The contact fields a parent keeps in the portal that the file also carries.
PARENT_KEPT_FIELDS = ("email", "phone")


def _same(name, a, b):
    return a.lower() == b.lower() if name == "email" else stored_phone_key(a) == b


@dataclass
class NewGuardian:
    data: GuardianRow
    family_id: int | None  # an existing household, or None: a new family
    family_name: str
    family_token: tuple  # (row, address): new guardians of one household share one new family


def _plan_guardians(plan):
    """Match each row's guardians by e-mail and by phone number (E.164): first among the pupil's
    own guardians, then among the board's (a sibling's parent), then among the new ones of the
    file, and create the rest. Guardians of a row with two different addresses are two households
    (separated parents); a guardian without an address lives at the row's first one."""
    board = Guardian.objects.filter(family__board_id=plan.school.board_id)
    board_guardians = {}
    for guardian in board:
        for key in _keys(guardian):
            board_guardians.setdefault(key, guardian)
    parent_changes = open_changes(board)
    # The administration may still have the details a parent replaced: they find the parent too.
    by_pk = {g.pk: g for g in board_guardians.values()}
    for guardian_id, changes in parent_changes.items():
        for name, change in changes.items():
            if name in PARENT_KEPT_FIELDS and change.old_value and guardian_id in by_pk:
                old = change.old_value
                key = (name, old.lower() if name == "email" else stored_phone_key(old))
                board_guardians.setdefault(key, by_pk[guardian_id])
    plan.parent_values = []  # ParentValue
    plan.settled_changes = set()  # ids of parent changes the file now agrees with
    linked = {}
    for link in PupilGuardian.objects.filter(pupil__school=plan.school).values(
        "pupil__pupil_number", "guardian_id"
    ):
        linked.setdefault(link["pupil__pupil_number"], set()).add(link["guardian_id"])
    plan.new_guardians = {}  # first key -> NewGuardian
    new_by_key = {}  # every key of a new guardian -> its first key
    plan.new_links = []  # (pupil number, existing guardian id or first key of a new guardian)
    plan.guardian_updates = {}  # guardian id -> (Guardian, GuardianRow)
    for row_index, row in enumerate(plan.rows):
        own = set(linked.get(row.pupil_number, set()))
        first_address = next((g.address for g in row.guardians if g.address), "")
        households = {}  # address -> the existing family of a guardian living there
        pending = []
        for data in row.guardians:
            household = data.address or first_address
            guardian = next((board_guardians[k] for k in data.keys if k in board_guardians), None)
            if guardian is not None:
                households.setdefault(household, guardian.family_id)
                if guardian.pk not in own:
                    plan.new_links.append((row.pupil_number, guardian.pk))
                    own.add(guardian.pk)
                if _differs(guardian, data):
                    plan.guardian_updates[guardian.pk] = (guardian, data)
                _compare_parent_changes(plan, guardian, data, parent_changes.get(guardian.pk, {}))
                continue
            first_key = next((new_by_key[k] for k in data.keys if k in new_by_key), None)
            if first_key is None:
                first_key = data.keys[0]
                pending.append((data, household))
                new_by_key.update(dict.fromkeys(data.keys, first_key))
            else:  # known from an earlier row (or ouder 1 = ouder 2): perhaps by another key now
                new_by_key.update(dict.fromkeys(data.keys, first_key))
            if first_key not in own:
                plan.new_links.append((row.pupil_number, first_key))
                own.add(first_key)
        for data, household in pending:
            surname = row.last_name if household == first_address else data.last_name
            plan.new_guardians[data.keys[0]] = NewGuardian(
                data,
                households.get(household),
                _("Gezin %(name)s") % {"name": surname or row.last_name},
                (row_index, household),
            )


def _compare_parent_changes(plan, guardian, data, changes):
    """Per field the parent changed: the file agrees now (settled), or it differs (the parent's
    value is kept and the preview names it)."""
    for name in PARENT_KEPT_FIELDS:
        change, value = changes.get(name), getattr(data, name)
        if change is None or not value:
            continue
        current = getattr(guardian, name)
        if _same(name, current, value):
            plan.settled_changes.add(change.pk)
        elif not any(p.change.pk == change.pk for p in plan.parent_values):
            plan.parent_values.append(ParentValue(guardian, name, current, value, change))


def _keys(guardian):
    keys = []
    if guardian.email:
        keys.append(("email", guardian.email.lower()))
    if guardian.phone:
        keys.append(("phone", stored_phone_key(guardian.phone)))
    return keys


def _differs(guardian, data):
    return any(
        value and getattr(guardian, name) != value
        for name, value in (
            ("first_name", data.first_name),
            ("last_name", data.last_name),
            ("email", data.email),
            ("phone", data.phone),
        )
    )
