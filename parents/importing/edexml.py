"""EDEXML, the exchange file ParnasSys and ESIS export: school year, BRIN and vestiging, groups
with their year levels, pupils with number, names, birth date and group, and teachers. It carries
no guardian contacts (those come from a CSV).

The file becomes the same table of pupils a CSV gives, so one planner and one writer serve both;
groups the school does not have yet are added, teachers are coupled to their groups by e-mail.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parents.importing import ImportRefused
from parents.importing.apply import confirm_import
from parents.importing.groups import group_key, planned_group
from parents.importing.plan import make_plan
from parents.importing.tabular import Table, max_bytes
from schools.models import SchoolYear

HEADERS = ["leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam", "geboortedatum", "groep"]
COLUMNS = dict(
    zip(
        ("pupil_number", "first_name", "infix", "last_name", "date_of_birth", "group"),
        HEADERS,
        strict=True,
    )
)


@dataclass
class Edexml:
    year_label: str
    brin: str
    location_code: str
    groups: dict  # key -> (name, lowest grade, highest grade)
    table: Table
    teachers: list  # (email, [group names])


def looks_like_edexml(data):
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") and b"EDEX" in data[:4096].upper()


def _text(element, name):
    found = element.find(name)
    return (found.text or "").strip() if found is not None else ""


def parse(data):
    if len(data) > max_bytes():
        raise ImportRefused(_("Het bestand is te groot."))
    # Entities are how XML bombs explode; an export never needs them.
    if re.search(rb"<!(DOCTYPE|ENTITY)", data[:65536], re.IGNORECASE):
        raise ImportRefused(_("Dit EDEXML-bestand bevat een DOCTYPE; dat lezen we niet."))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise ImportRefused(
            _("Dit is geen geldig EDEXML-bestand (regel %(line)s).") % {"line": error.position[0]}
        ) from error
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]  # namespaces differ per version
    school = root.find("school")
    if school is None:
        raise ImportRefused(_("Dit EDEXML-bestand heeft geen <school>."))
    groups = {}
    for group in root.iterfind("groepen/groep"):
        name = _text(group, "naam")
        levels = [int(d) for d in re.findall(r"\d+", _text(group, "jaargroep") or name)] or [0]
        groups[group.get("key", name)] = (name, min(levels), max(levels))
    rows = []
    for number, pupil in enumerate(root.iterfind("leerlingen/leerling"), start=1):
        group_ref = pupil.find("groep")
        group_key = group_ref.get("key", "") if group_ref is not None else ""
        rows.append(
            (
                number,
                [
                    _text(pupil, "leerlingnummer") or pupil.get("key", ""),
                    _text(pupil, "roepnaam") or _text(pupil, "voornamen"),
                    _text(pupil, "voorvoegsel"),
                    _text(pupil, "achternaam"),
                    _text(pupil, "geboortedatum"),
                    groups.get(group_key, (group_key, 0, 0))[0],
                ],
            )
        )
    teachers = [
        (
            _text(teacher, "emailadres").lower(),
            [
                groups[g.get("key")][0]
                for g in teacher.iterfind("groepen/groep")
                if g.get("key") in groups
            ],
        )
        for teacher in root.iterfind("leerkrachten/leerkracht")
    ]
    return Edexml(
        year_label=_text(school, "schooljaar"),
        brin=_text(school, "brincode").upper(),
        location_code=_text(school, "dependancecode") or "00",
        groups=groups,
        table=Table(HEADERS, rows, [_("Leerling n = n-de leerling in het EDEXML-bestand.")]),
        teachers=teachers,
    )


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
    year = SchoolYear.for_date(timezone.datetime(int(match[1]), 9, 1).date())
    new_groups = {
        group_key(name): planned_group(
            school=school, year=year, key=group_key(name), grades=(low, high)
        )
        for name, low, high in parsed.groups.values()
    }
    plan = make_plan(
        school=school, table=parsed.table, columns=COLUMNS, year=year, new_groups=new_groups
    )
    plan.source = "edexml"
    plan.teachers = [(email, [group_key(n) for n in names]) for email, names in parsed.teachers]
    return plan


def import_edexml(*, school, data, dry_run=False, **options):
    if dry_run:
        with transaction.atomic():
            plan = plan_edexml(school=school, data=data)
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
