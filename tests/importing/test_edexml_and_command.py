"""EDEXML (groups, pupils, teachers) and the import_pupils command with the sample files."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from parents.importing import ImportRefused
from parents.importing.edexml import import_edexml, plan_edexml
from schools.models import Enrolment, Group, Pupil
from tests import factories as f
from tests.importing.conftest import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_school_year_2026(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC))


SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_edexml_adds_groups_pupils_and_couples_teachers(school):
    teacher = f.StaffMembershipFactory(school=school, user__email="leerkracht@demo.test").user
    data = (SAMPLES / "edexml.xml").read_bytes()
    plan = plan_edexml(school=school, data=data)
    assert sorted(plan.new_groups) == ["7"]  # 1/2a and 5 exist already
    assert not plan.errors
    import_edexml(school=school, data=data)
    assert Group.objects.get(school=school, name="7").lowest_grade == 7
    assert Pupil.objects.get(pupil_number="6003").last_name == "Öztürk"
    assert Enrolment.objects.get(pupil__pupil_number="6002").group.name == "5"
    assert list(Group.objects.get(school=school, name="5").teachers.all()) == [teacher]
    before = snapshot()
    import_edexml(school=school, data=data)  # again: nothing changes
    assert snapshot() == before


def test_edexml_of_another_vestiging_is_refused(db):
    other = f.SchoolFactory(brin="99ZZ", location_code="00")
    with pytest.raises(ImportRefused, match="vestiging 12AB00"):
        plan_edexml(school=other, data=(SAMPLES / "edexml.xml").read_bytes())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><EDEX>&a;</EDEX>', "DOCTYPE"),
        (b"<EDEX><school>", "geen geldig EDEXML"),
        (b"<EDEX></EDEX>", "geen <school>"),
    ],
)
def test_bad_edexml(school, data, message):
    with pytest.raises(ImportRefused, match=message):
        plan_edexml(school=school, data=data)


def test_command_dry_run_then_import_of_the_sample_csv(school):
    for name in ("4", "6"):
        f.GroupFactory(school=school, name=name)
    out = StringIO()
    before = snapshot()
    call_command(
        "import_pupils",
        str(SAMPLES / "leerlingen.csv"),
        "--school",
        "12AB00",
        "--dry-run",
        stdout=out,
    )
    assert "nieuw: 5" in out.getvalue()
    assert "Rij 7 is overgeslagen" in out.getvalue()
    assert snapshot() == before
    call_command("import_pupils", str(SAMPLES / "leerlingen.csv"), "--school", "12AB00", stdout=out)
    assert Pupil.objects.filter(school=school).count() == 5
    assert Pupil.objects.get(pupil_number="5005").last_name == "Đorđević"
    # Yasmina and Ilyas share their mother.
    assert Pupil.objects.get(pupil_number="5001").guardian_links.get().guardian_id == (
        Pupil.objects.get(pupil_number="5002").guardian_links.get().guardian_id
    )


def test_command_refuses_unknown_school_and_bad_file(school, tmp_path):
    with pytest.raises(CommandError, match="Geen school"):
        call_command("import_pupils", str(SAMPLES / "leerlingen.csv"), "--school", "00XX00")
    bad = tmp_path / "x.csv"
    bad.write_bytes(b"\x89PNG\r\n")
    with pytest.raises(CommandError, match="PNG"):
        call_command("import_pupils", str(bad), "--school", "12AB00")


def test_command_imports_edexml(school):
    call_command(
        "import_pupils", str(SAMPLES / "edexml.xml"), "--school", "12AB00", stdout=StringIO()
    )
    assert Pupil.objects.filter(school=school).count() == 3
