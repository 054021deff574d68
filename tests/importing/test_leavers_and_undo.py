"""Leavers only on purpose, and every confirmed import undone as a whole within a week."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from parents.importing import ImportRefused
from parents.importing.apply import import_table
from parents.importing.mapping import resolve
from parents.importing.models import ImportRun
from parents.importing.plan import make_plan
from parents.importing.tabular import read_table
from parents.importing.undo import undo_import
from parents.models import ContactLog, Guardian
from schools.models import Enrolment, ImportBatch, Pupil
from tests import factories as f
from tests.importing.conftest import csv_bytes, snapshot

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(autouse=True)
def _in_school_year_2026(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC))


def _import(school, *lines, **options):
    table = read_table(csv_bytes(*lines), "export.csv")
    return import_table(school=school, table=table, columns=resolve(table.headers), **options)


def _row(number, group="5", email=None, first="Kind"):
    return f"{number};{first};;Bos;01-05-2017;{group};{email or f'ouder{number}@example.test'};;"


@pytest.fixture
def big_school(school):
    _import(school, *[_row(1000 + i) for i in range(40)])
    return school


def test_a_partial_file_marks_nobody_as_left_unless_asked(big_school):
    table = read_table(csv_bytes(*[_row(1000 + i) for i in range(5)]), "export.csv")
    plan = make_plan(school=big_school, table=table, columns=resolve(table.headers))
    assert len(plan.leaving) == 35
    assert plan.warnings == [
        "Dit bestand heeft 5 leerlingen; de school heeft er nu 40. Is het een deel van de "
        "school? Dan blijven de 35 andere leerlingen gewoon op school: zet ze alleen als "
        "'van school af' als ze echt weg zijn."
    ]
    result = _import(big_school, *[_row(1000 + i) for i in range(5)])
    assert result.left == 0
    assert Pupil.objects.filter(school=big_school, left_on__isnull=True).count() == 40
    result = _import(big_school, *[_row(1000 + i) for i in range(5)], mark_leavers=True)
    assert result.left == 35
    assert Pupil.objects.filter(school=big_school, left_on__isnull=True).count() == 5


def test_a_whole_file_gives_no_warning(big_school):
    table = read_table(csv_bytes(*[_row(1000 + i) for i in range(39)]), "export.csv")
    plan = make_plan(school=big_school, table=table, columns=resolve(table.headers))
    assert len(plan.leaving) == 1 and plan.warnings == []


def test_undo_puts_the_school_back_as_it_was(big_school):
    before = snapshot()
    changed = [_row(1000, group="3", first="Anders", email="nieuw@example.test")]
    result = _import(
        big_school, *changed, _row(2000, group="Groep 8"), _row(2001, group="8"), mark_leavers=True
    )
    assert (result.added, result.changed, result.left, result.groups_added) == (2, 1, 39, 1)
    assert snapshot() != before
    undo_import(run=ImportRun.objects.get(pk=result.run_id), by=f.UserFactory())
    assert snapshot() == before
    with pytest.raises(ImportRefused, match="al teruggedraaid"):
        undo_import(run=ImportRun.objects.get(pk=result.run_id), by=f.UserFactory())


def test_only_within_a_week_and_only_the_latest(big_school, time_machine):
    first = _import(big_school, _row(2000))
    second = _import(big_school, _row(2001))
    with pytest.raises(ImportRefused, match="Draai eerst de nieuwste import terug"):
        undo_import(run=ImportRun.objects.get(pk=first.run_id), by=None)
    time_machine.move_to(datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC))
    with pytest.raises(ImportRefused, match="tot een week later"):
        undo_import(run=ImportRun.objects.get(pk=second.run_id), by=None)


def test_undo_refuses_when_the_new_rows_are_in_use(big_school):
    result = _import(big_school, _row(2000))
    family = Guardian.objects.get(email="ouder2000@example.test").family
    ContactLog.objects.create(
        family=family,
        by=f.UserFactory(),
        happened_on=datetime.date(2026, 11, 24),
        channel="phone",
        tone="positive",
    )
    before = snapshot()
    with pytest.raises(ImportRefused, match="al gewerkt"):
        undo_import(run=ImportRun.objects.get(pk=result.run_id), by=None)
    assert snapshot() == before
    assert ImportRun.objects.get(pk=result.run_id).undone_at is None


def test_the_preview_asks_before_anyone_leaves_and_the_import_can_be_undone(world, client_for):
    director = client_for("director")
    school = world.s1.school
    f.PupilFactory.create_batch(9, school=school)
    at_school = Pupil.objects.filter(school=school, left_on__isnull=True).count()
    director.post(
        reverse("parents:import-upload", kwargs={"pk": school.pk}),
        {"file": SimpleUploadedFile("export.csv", csv_bytes(_row(9201)))},
    )
    batch = ImportBatch.objects.get()
    preview = reverse("parents:import-preview", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    page = director.get(preview).content.decode()
    assert f"Deze {at_school} leerlingen zijn van school af" in page
    assert "Is het een deel van de school?" in page
    response = director.post(preview)  # the box not ticked
    assert Pupil.objects.filter(school=school, left_on__isnull=True).count() == at_school + 1
    run_page = director.get(response.url).content.decode()
    assert "Import terugdraaien" in run_page
    director.post(response.url)
    assert not Pupil.objects.filter(pupil_number="9201").exists()
    assert "Import terugdraaien" not in director.get(response.url).content.decode()


def test_command_marks_leavers_only_when_asked(big_school, tmp_path):
    path = tmp_path / "deel.csv"
    path.write_bytes(csv_bytes(_row(1000)))
    out = StringIO()
    call_command("import_pupils", str(path), "--school", "12AB00", stdout=out)
    assert "39 leerlingen staan niet in het bestand" in out.getvalue()
    assert Pupil.objects.filter(school=big_school, left_on__isnull=True).count() == 40
    call_command("import_pupils", str(path), "--school", "12AB00", "--mark-leavers", stdout=out)
    assert Pupil.objects.filter(school=big_school, left_on__isnull=True).count() == 1
    assert Enrolment.objects.filter(pupil__school=big_school).count() == 40


def test_the_record_of_an_import_is_removed_after_its_week(big_school, time_machine):
    from partnership import tasks

    result = _import(big_school, _row(2000))
    time_machine.move_to(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC))
    tasks.anonymise_left_pupils()
    assert ImportRun.objects.filter(pk=result.run_id).exists()
    time_machine.move_to(datetime.datetime(2026, 12, 1, 11, tzinfo=datetime.UTC))
    tasks.anonymise_left_pupils()
    assert not ImportRun.objects.filter(pk=result.run_id).exists()


def test_a_parent_linked_by_an_import_counts_as_reached_by_the_childs_held_conversation(school):
    """The dashboards count kept facts of who was reached: a family that a new file links to a
    child whose start conversation was held counts as reached at once, and an undo takes it back."""
    from conversations.models import ConversationStatus
    from parents.reach import kept, recount
    from tests.conversations.factories import RoundFactory, StartConversationFactory

    _import(school, "1001;Sem;;Bos;01-05-2017;5;;;")
    pupil = Pupil.objects.get(school=school, pupil_number="1001")
    StartConversationFactory(
        round=RoundFactory(school=school),
        pupil=pupil,
        group=pupil.enrolments.get().group,
        status=ConversationStatus.HELD,
        held_at=datetime.datetime(2026, 9, 8, 14, tzinfo=datetime.UTC),
        child_present=True,
    )
    assert kept() == set()

    _import(school, _row(1001, email="moeder@example.test"))

    family = Guardian.objects.get(email="moeder@example.test").family
    assert kept() == recount() == {(family.pk, school.pk, pupil.enrolments.get().school_year_id)}

    undo_import(run=ImportRun.objects.latest("at"), by=f.UserFactory())
    assert kept() == recount() == set()
