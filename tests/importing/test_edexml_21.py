"""EDEXML 2.1 as its XSD defines it: optional birth date and group, historic pupils skipped with a
count, combination groups with the year level per pupil, ECK iDs, long keys and group names,
errors that name the pupil, and a hardened parser over the whole file."""

import datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from parents.importing import ImportRefused
from parents.importing.edexml import import_edexml, plan_edexml
from schools.models import Enrolment, Group, ImportBatch, Pupil
from tests.importing import edexml_files as files
from tests.importing.conftest import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_school_year_2026(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC))


def test_the_edustandaard_example_imports_its_complete_pupil_and_counts_the_rest(school):
    data = files.edustandaard_shaped()
    plan = plan_edexml(school=school, data=data)
    assert not plan.errors
    assert plan.notices == [
        "1 oud-leerling (historisch of uitgeschreven) is overgeslagen.",
        "1 leerling zonder groep is overgeslagen.",
    ]
    import_edexml(school=school, data=data)
    fenna = Pupil.objects.get(school=school)
    assert (fenna.pupil_number, fenna.full_name) == ("00001", "Fenna Vos")
    assert fenna.eck_id == "https://id.school/LL_0f3c9a7e21b44d2c8e5a_fenna"
    group = Enrolment.objects.get(pupil=fenna).group
    assert (group.name, group.lowest_grade, group.highest_grade) == ("4b", 4, 4)


def test_a_file_of_64_pupils_with_combination_groups(school):
    data = files.large_school()
    plan = plan_edexml(school=school, data=data)
    assert [str(e) for e in plan.errors] == []
    assert len(plan.added) == 64
    assert plan.notices == ["1 oud-leerling (historisch of uitgeschreven) is overgeslagen."]
    import_edexml(school=school, data=data)
    grades = {
        g.name: (g.lowest_grade, g.highest_grade, g.enrolments.count())
        for g in Group.objects.filter(school=school).exclude(name__in=["3", "1/2a"])
    }
    long_name = files.LONG_NAME.removeprefix("Groep ")
    assert grades == {
        "1/2": (1, 2, 16),  # jaargroep C: the year levels of its pupils
        "3/4": (3, 4, 16),
        "5": (5, 5, 16),  # the school's own group (5 to 5) keeps its grades
        long_name: (7, 8, 16),
    }
    assert len(long_name) == 58
    assert Pupil.objects.get(pupil_number="00017").date_of_birth is None
    assert len(Pupil.objects.get(pupil_number="00001").eck_id) == 225
    assert not Pupil.objects.filter(pupil_number="99999").exists()
    before = snapshot()
    import_edexml(school=school, data=data)  # again: nothing changes
    assert snapshot() == before


def test_one_group_per_leerjaar_sharing_a_name_takes_both_grades(db):
    from tests import factories as f

    school = f.SchoolFactory(brin="12AB", location_code="00")
    import_edexml(school=school, data=files.large_school())
    five = Group.objects.get(school=school, name="5")
    assert (five.lowest_grade, five.highest_grade) == (5, 6)


def test_errors_name_the_pupils_key_and_name(school):
    data = files.document(
        files.group("G5", "5", "5"),
        files.pupil("00070", "Bos", "Sem", born="2017-02-31", level="5", group_key="G5")
        + files.pupil("00071", "Smit", "Bo", born="2017-02-03", level="5", group_key="G9"),
    )
    plan = plan_edexml(school=school, data=data)
    assert [str(e) for e in plan.errors] == [
        "leerling 00070 (Sem Bos), geboortedatum: '2017-02-31' is geen datum",
        "leerling 00071 (Bo Smit), groep: groep 'G9' staat niet bij de groepen",
    ]


def test_only_good_rows_on_the_command_line(school, tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(
        files.document(
            files.group("G5", "5", "5"),
            files.pupil("00070", "Bos", "Sem", born="2017-02-31", group_key="G5")
            + files.pupil("00072", "Jansen", "Lot", born="2017-03-01", group_key="G5"),
        )
    )
    out = StringIO()
    with pytest.raises(Exception, match="1 fouten"):
        call_command("import_pupils", str(path), "--school", "12AB00", stdout=out)
    assert not Pupil.objects.filter(school=school).exists()
    call_command("import_pupils", str(path), "--school", "12AB00", "--only-good-rows", stdout=out)
    assert list(Pupil.objects.filter(school=school).values_list("pupil_number", flat=True)) == [
        "00072"
    ]


def test_a_doctype_anywhere_in_the_file_is_refused(school):
    padding = b"<!-- " + b"x" * 70_000 + b" -->\n"
    data = (
        b'<?xml version="1.0"?>\n'
        + padding
        + b'<!DOCTYPE EDEX [<!ENTITY a "aaaaaaaaaa">]>'
        + files.document("", "").split(b"\n", 1)[1]
    )
    with pytest.raises(ImportRefused, match="DOCTYPE"):
        plan_edexml(school=school, data=data)


def test_the_bsn_in_an_upload_is_never_kept(world, client_for):
    director = client_for("director")
    school = world.s1.school
    school.brin, school.location_code = "12AB", "00"
    school.save()
    response = director.post(
        reverse("parents:import-upload", kwargs={"pk": school.pk}),
        {"file": SimpleUploadedFile("export.xml", files.edustandaard_shaped())},
    )
    assert response.status_code == 302
    kept = bytes(ImportBatch.objects.get().content)
    assert b"111222333" not in kept and b"<bsn>" not in kept
    assert b"Fenna" in kept
    preview = director.get(response.url)
    assert "1 oud-leerling (historisch of uitgeschreven) is overgeslagen." in (
        preview.content.decode()
    )
