import hashlib

import pytest

from parents.models import Family, Guardian, PupilGuardian
from schools.models import Enrolment, Group, Pupil
from tests import factories as f

HEADER = "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;groep;e-mail ouder 1;telefoon ouder 1;e-mail ouder 2"


def snapshot():
    """Row counts and a checksum of every table an import writes: 'the database exactly as before'."""
    digest = hashlib.sha256()
    counts = {}
    for model in (Pupil, Enrolment, Family, Guardian, PupilGuardian, Group):
        rows = list(model.objects.order_by("pk").values_list())
        counts[model.__name__] = len(rows)
        digest.update(repr(rows).encode())
    return counts, digest.hexdigest()


@pytest.fixture
def school(db):
    school = f.SchoolFactory(brin="12AB", location_code="00")
    for name in ("3", "5", "1/2a"):
        f.GroupFactory(school=school, name=name)
    return school


def csv_bytes(*lines, encoding="utf-8", header=HEADER):
    return ("\r\n".join((header, *lines)) + "\r\n").encode(encoding)
