"""Groups the way schools name them: matched to the school's groups after normalising, and the
groups a school lacks created only after the confirmation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parents.importing.apply import import_table
from parents.importing.mapping import resolve
from parents.importing.plan import make_plan
from parents.importing.tabular import read_table
from schools.models import Enrolment, Group, ImportBatch
from tests import factories as f
from tests.importing.conftest import csv_bytes, snapshot

pytestmark = pytest.mark.django_db


def _table(*lines):
    table = read_table(csv_bytes(*lines), "export.csv")
    return table, resolve(table.headers)


def _row(number, group):
    return f"{number};Kind;;Bos;01-05-2017;{group};bos{number}@example.test;;"


def _group_of(number):
    return Enrolment.objects.get(pupil__pupil_number=number).group


def test_the_schools_spellings_find_its_groups(school):
    # The school's groups are "3", "5" and "1/2a".
    table, columns = _table(
        _row(1, "Groep 3"), _row(2, "groep 5"), _row(3, "Groep 1/2A"), _row(4, "1-2 a")
    )
    plan = make_plan(school=school, table=table, columns=columns)
    assert not plan.errors and not plan.new_groups
    import_table(school=school, table=table, columns=columns)
    assert [_group_of(n).name for n in (1, 2, 3, 4)] == ["3", "5", "1/2a", "1/2a"]
    assert Group.objects.filter(school=school).count() == 3


def test_one_combination_group_however_it_is_written(school):
    f.GroupFactory(school=school, name="1/2")
    table, columns = _table(_row(1, "1-2"), _row(2, "1/2"), _row(3, "Groep 1/2"))
    import_table(school=school, table=table, columns=columns)
    assert {_group_of(n).name for n in (1, 2, 3)} == {"1/2"}


def test_a_new_school_gets_its_groups_after_the_confirmation(db):
    school = f.SchoolFactory()
    table, columns = _table(_row(1, "Groep 4A"), _row(2, "groep 5b"), _row(3, "Groep 1-2"))
    before = snapshot()
    plan = make_plan(school=school, table=table, columns=columns)
    assert sorted(plan.new_groups) == ["1/2", "4a", "5b"]
    assert not plan.errors
    assert snapshot() == before  # planned, not created
    import_table(school=school, table=table, columns=columns)
    groups = {
        g.name: (g.lowest_grade, g.highest_grade) for g in Group.objects.filter(school=school)
    }
    assert groups == {"4a": (4, 4), "5b": (5, 5), "1/2": (1, 2)}
    assert _group_of(3).name == "1/2"


def test_a_group_name_too_long_is_an_error_of_its_row(school):
    table, columns = _table(_row(1, "x" * 65))
    plan = make_plan(school=school, table=table, columns=columns)
    assert [str(e) for e in plan.errors] == ["rij 2, groep: is langer dan 64 tekens"]


def test_the_preview_names_the_new_groups(world, client_for):
    director = client_for("director")
    school = world.s1.school
    data = csv_bytes(_row(9101, "Groep 4a"), _row(9102, "Groep 5B"))
    director.post(
        reverse("parents:import-upload", kwargs={"pk": school.pk}),
        {"file": SimpleUploadedFile("export.csv", data)},
    )
    batch = ImportBatch.objects.get()
    preview = reverse("parents:import-preview", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    page = director.get(preview).content.decode()
    assert "Nieuwe groepen: 4a, 5b." in page
    assert not Group.objects.filter(school=school, name__in=["4a", "5b"]).exists()
    director.post(preview)
    assert Group.objects.filter(school=school, name__in=["4a", "5b"]).count() == 2
