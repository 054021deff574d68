"""EDEXML 2.1, the exchange file ParnasSys and ESIS export, read as its XSD defines it: school year,
BRIN and vestiging, groups (``jaargroep`` 0-8, 11-16, C for a combination group whose pupils carry
their own year level, ...), pupils (``@key``, ``@eckid``, names, an optional birth date, an
optional group, the year level, a leaving date) and teachers. It carries no guardian contacts
(those come from a CSV).

The file becomes the same table of pupils a CSV gives, so one planner and one writer serve both.
Historic pupils (``jaargroep`` H, or a leaving date that has passed) and pupils without a group
are not imported; the preview counts them. Identification numbers the XSD allows (BSN,
onderwijsnummer, ...) are never read, and ``without_identifiers`` removes them before the file is
kept for the preview.
"""

import datetime
import re
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parents.importing import ImportRefused
from parents.importing.apply import confirm_import
from parents.importing.groups import grades_in, group_key, planned_group
from parents.importing.plan import make_plan, parse_date
from parents.importing.tabular import Table, max_bytes
from schools.models import SchoolYear

HEADERS = ["key", "roepnaam", "voorvoegsel", "achternaam", "geboortedatum", "groep", "eckid"]
COLUMNS = dict(
    zip(
        ("pupil_number", "first_name", "infix", "last_name", "date_of_birth", "group", "eck_id"),
        HEADERS,
        strict=True,
    )
)
# Elements the XSD allows on a pupil that Schouder may not hold (UAVG art. 46).
IDENTIFIERS = {"bsn", "sofinummer", "onderwijsnummer", "bsn_ondwnr-4", "rijksregisternummer"}


@dataclass
class Edexml:
    year_label: str
    brin: str
    location_code: str
    groups: dict  # normalised name -> (spelling, lowest grade, highest grade)
    table: Table
    teachers: list  # (email, [normalised group names])
    skipped: dict = field(default_factory=dict)  # reason -> count


def looks_like_edexml(data):
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") and b"EDEX" in data[:4096].upper()


def _root(data):
    if len(data) > max_bytes():
        raise ImportRefused(_("Het bestand is te groot."))
    # defusedxml refuses a DOCTYPE, entities and external references wherever they stand in the
    # file: entities are how XML bombs explode, and an export never needs them.
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise ImportRefused(
            _("Dit EDEXML-bestand bevat een DOCTYPE of entiteiten; dat lezen we niet.")
        ) from error
    except SafeET.ParseError as error:
        raise ImportRefused(
            _("Dit is geen geldig EDEXML-bestand (regel %(line)s).") % {"line": error.position[0]}
        ) from error
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]  # with or without a namespace
    return root


def without_identifiers(data):
    """The file without BSN-like elements, to keep between upload and confirmation; and how many
    were removed."""
    root = _root(data)
    removed = 0
    for pupil in root.iterfind("leerlingen/leerling"):
        for child in list(pupil):
            if child.tag in IDENTIFIERS:
                pupil.remove(child)
                removed += 1
    if not removed:
        return data, 0
    return SafeET.tostring(root, encoding="utf-8"), removed


def _text(element, name):
    found = element.find(name)
    return (found.text or "").strip() if found is not None else ""


def _level(code):
    """The year level of a jaargroep code: 0-8 as is, 11-16 (secondary) as 1-6; None for the
    codes without one (C, H, S, V, N, B, D)."""
    if not code.isdigit():
        return None
    number = int(code)
    return number - 10 if number > 10 else number


def parse(data, today=None):
    root = _root(data)
    school = root.find("school")
    if school is None:
        raise ImportRefused(_("Dit EDEXML-bestand heeft geen <school>."))
    today = today or timezone.localdate()
    group_by_key = {}  # key -> normalised name
    spellings = {}  # normalised name -> the name as the file writes it
    levels = {}  # normalised name -> set of year levels
    for group in root.iterfind("groepen/groep"):
        name = group_key(_text(group, "naam"))
        spellings.setdefault(name, _text(group, "naam"))
        group_by_key[group.get("key", "")] = name
        level = _level(_text(group, "jaargroep"))
        levels.setdefault(name, set()).update({level} if level is not None else set())
    pupil_levels = {}  # normalised name -> year levels of its pupils
    rows, labels, skipped_numbers, row_errors = [], {}, set(), {}
    skipped = {"historic": 0, "no_group": 0}
    for number, pupil in enumerate(root.iterfind("leerlingen/leerling"), start=1):
        year_level = _text(pupil, "jaargroep")
        left = parse_date(_text(pupil, "uitstroomdatum"))
        key = pupil.get("key", "") or _text(pupil, "leerlingnummer")
        if year_level.upper() == "H" or (left is not None and left <= today):
            skipped["historic"] += 1
            continue
        group_ref = pupil.find("groep")
        if group_ref is None:
            skipped["no_group"] += 1
            skipped_numbers.add(key)
            continue
        ref = group_ref.get("key", "")
        group_name = group_by_key.get(ref, "")
        first_name = _text(pupil, "roepnaam") or _text(pupil, "voornamen").split(" ")[0]
        last_name = _text(pupil, "achternaam")
        labels[number] = _("leerling %(key)s (%(name)s)") % {
            "key": key,
            "name": " ".join(p for p in (first_name, _text(pupil, "voorvoegsel"), last_name) if p),
        }
        if not group_name:
            # An unknown group reference is an error of this pupil, not of the whole file.
            row_errors[number] = [
                ("group", _("groep '%(key)s' staat niet bij de groepen") % {"key": ref})
            ]
        elif (level := _level(year_level)) is not None:
            pupil_levels.setdefault(group_name, set()).add(level)
        rows.append(
            (
                number,
                [
                    key,
                    first_name,
                    _text(pupil, "voorvoegsel"),
                    last_name,
                    _text(pupil, "geboortedatum"),
                    group_name,
                    pupil.get("eckid", ""),
                ],
            )
        )
    grades = {}
    for name in set(levels) | set(pupil_levels):
        # A group's grades come from its pupils where they carry a year level (a combination
        # group has none of its own); then from the group's jaargroep; then from its name.
        found = pupil_levels.get(name) or levels.get(name)
        grades[name] = (min(found), max(found)) if found else grades_in(spellings[name])
    teachers = [
        (
            _text(teacher, "emailadres").lower(),
            [
                group_by_key[g.get("key")]
                for g in teacher.iterfind("groepen/groep")
                if g.get("key") in group_by_key
            ],
        )
        for teacher in root.iterfind("leerkrachten/leerkracht")
    ]
    return Edexml(
        year_label=_text(school, "schooljaar"),
        brin=_text(school, "brincode").upper(),
        location_code=_text(school, "dependancecode") or "00",
        groups={name: (spellings[name], grades[name]) for name in grades},
        table=Table(
            HEADERS,
            rows,
            row_labels=labels,
            skipped_numbers=skipped_numbers,
            row_errors=row_errors,
        ),
        teachers=teachers,
        skipped=skipped,
    )


def _skipped_notices(skipped):
    notices = []
    if skipped["historic"]:
        notices.append(
            ngettext(
                "%(n)s oud-leerling (historisch of uitgeschreven) is overgeslagen.",
                "%(n)s oud-leerlingen (historisch of uitgeschreven) zijn overgeslagen.",
                skipped["historic"],
            )
            % {"n": skipped["historic"]}
        )
    if skipped["no_group"]:
        notices.append(
            ngettext(
                "%(n)s leerling zonder groep is overgeslagen.",
                "%(n)s leerlingen zonder groep zijn overgeslagen.",
                skipped["no_group"],
            )
            % {"n": skipped["no_group"]}
        )
    return notices


def plan_edexml(*, school, data):
    """The plan for an EDEXML file, with the groups it would add (unsaved) on ``plan.new_groups``."""
    parsed = parse(data)
    if (parsed.brin, parsed.location_code) != (school.brin, school.location_code):
        raise ImportRefused(
            _("Dit bestand is van vestiging %(file)s, niet van %(school)s.")
            % {"file": parsed.brin + parsed.location_code, "school": school.vestigingsnummer}
        )
    match = re.fullmatch(r"(\d{4})\s*[-/]\s*(\d{4})", parsed.year_label)
    if not match:
        raise ImportRefused(_("Het schooljaar '%(v)s' klopt niet.") % {"v": parsed.year_label})
    year = SchoolYear.for_date(datetime.date(int(match[1]), 9, 1))
    new_groups = {
        name: planned_group(school=school, year=year, spelling=spelling, grades=grades)
        for name, (spelling, grades) in parsed.groups.items()
        if name
    }
    parsed.table.notices = _skipped_notices(parsed.skipped)
    plan = make_plan(
        school=school,
        table=parsed.table,
        columns=COLUMNS,
        year=year,
        new_groups=new_groups,
        source="edexml",
    )
    plan.teachers = parsed.teachers
    plan.skipped = parsed.skipped
    return plan


def import_edexml(*, school, data, dry_run=False, **options):
    if dry_run:
        with transaction.atomic():
            plan = plan_edexml(school=school, data=data)
            transaction.set_rollback(True)
            return _(
                "Proefdraai: %(a)s nieuw, %(c)s gewijzigd, %(l)s niet meer in het bestand, "
                "%(g)s nieuwe groepen, %(e)s fouten."
            ) % {
                "a": len(plan.added),
                "c": len(plan.changed),
                "l": len(plan.leaving),
                "g": len(plan.new_groups),
                "e": len(plan.errors),
            }
    return confirm_import(make=lambda: plan_edexml(school=school, data=data), **options)
