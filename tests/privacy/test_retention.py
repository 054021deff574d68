"""RELIABILITY E4/E5: pupils who left more than two years ago are anonymised by an idempotent task,
with a dry-run report first, and no trace of their name is left in any table."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from parents.models import Family, Guardian
from partnership import privacy, tasks
from schools import audit
from schools.models import Anonymisation, AuditAction, AuditEvent, Pupil
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 24, 3, tzinfo=datetime.UTC))


def everything_as_text():
    """Every text value in every table: what a grep over a database dump would see."""
    values = []
    for model in apps.get_models():
        fields = [
            fld.attname
            for fld in model._meta.concrete_fields
            if isinstance(
                fld, models.CharField | models.TextField | models.EmailField | models.JSONField
            )
        ]
        if fields:
            values.extend(str(row) for row in model._default_manager.values_list(*fields))
    return "\n".join(values)


@pytest.fixture
def left(world):
    """Pupils who left long ago, just within the term, and a sibling still at school."""
    school = world.s1.school
    gone = f.PupilFactory(
        school=school,
        first_name="Xanthippe",
        infix="van",
        last_name="Oudenaller",
        left_on=datetime.date(2024, 11, 23),
    )
    recent = f.PupilFactory(
        school=school,
        first_name="Quirijn",
        last_name="Nogniet",
        left_on=datetime.date(2024, 11, 25),
    )
    family = f.FamilyFactory(board=world.b1, name="Gezin Oudenaller")
    mother = f.GuardianFactory(
        family=family,
        first_name="Henriëtte",
        last_name="Oudenaller",
        email="henriette@oudenaller.test",
        phone="0611223344",
        user=f.UserFactory(username="henriette@oudenaller.test"),
    )
    f.PupilGuardianFactory(pupil=gone, guardian=mother)
    sibling_family = f.FamilyFactory(board=world.b1, name="Gezin Blijft")
    father = f.GuardianFactory(
        family=sibling_family,
        first_name="Boudewijn",
        last_name="Blijft",
        email="boudewijn@blijft.test",
    )
    f.PupilGuardianFactory(pupil=gone, guardian=father, relation="father")
    f.PupilGuardianFactory(pupil=world.s1.pupil, guardian=father, relation="father")
    # Free text elsewhere that names the child (a colleague's note, an outbox body, …).
    world.s1.director_membership.task_description = (
        "Vraag naar Xanthippe van Oudenaller; mail henriette@oudenaller.test"
    )
    world.s1.director_membership.save()
    audit.record(world.users["director"], AuditAction.VIEW_PUPIL, pupil=gone)
    return gone, recent, mother, father


def test_dry_run_reports_ids_and_changes_nothing(left):
    gone, recent, *_ = left
    before = everything_as_text()
    out = StringIO()
    call_command("anonymise_left_pupils", "--dry-run", stdout=out)
    assert f"leerling {gone.pk} " in out.getvalue()
    assert f"leerling {recent.pk} " not in out.getvalue()
    assert "Xanthippe" not in out.getvalue()
    assert everything_as_text() == before
    assert not Anonymisation.objects.exists()


def test_task_leaves_no_trace_of_the_name_and_is_idempotent(left, world):
    gone, recent, mother, father = left
    tasks.anonymise_left_pupils()
    dump = everything_as_text()
    for trace in (
        "Xanthippe",
        "Oudenaller",
        "Henriëtte",
        "henriette@oudenaller.test",
        "0611223344",
    ):
        assert trace not in dump, trace
    gone.refresh_from_db()
    assert (gone.first_name, gone.last_name, gone.date_of_birth) == (
        "Leerling",
        f"#{gone.pk}",
        datetime.date(gone.date_of_birth.year, 1, 1),
    )
    assert not Guardian.objects.filter(pk=mother.pk).exists()
    assert not Family.objects.filter(name="Gezin Oudenaller").exists()
    # The father has another child at school: he stays, with his details.
    assert Guardian.objects.get(pk=father.pk).email == "boudewijn@blijft.test"
    # Within the term: untouched.
    assert Pupil.objects.get(pk=recent.pk).first_name == "Quirijn"
    # The audit log kept its ids and action (it never held the name).
    assert AuditEvent.objects.filter(pupil=gone, action="view_pupil").exists()
    assert AuditEvent.objects.filter(pupil=gone, action="anonymise").count() == 1
    # A second run changes nothing.
    before = everything_as_text()
    report = privacy.anonymise_left_pupils(dry_run=False)
    assert report.pupils == []
    assert everything_as_text() == before


def test_term_is_configurable(left, settings):
    gone, recent, *_ = left
    settings.RETENTION_YEARS_AFTER_LEAVING = 1
    assert {p.pk for p in privacy.pupils_due()} == {gone.pk, recent.pk}


def test_unconfirmed_uploads_are_removed_after_a_day(world, time_machine):
    from schools.models import ImportBatch

    ImportBatch.objects.create(
        school=world.s1.school, uploaded_by=world.users["director"], filename="a.csv", content=b"x"
    )
    time_machine.move_to(datetime.datetime(2026, 11, 25, 2, tzinfo=datetime.UTC))
    assert privacy.remove_stale_import_batches() == 0
    time_machine.move_to(datetime.datetime(2026, 11, 25, 4, tzinfo=datetime.UTC))
    tasks.anonymise_left_pupils()
    assert not ImportBatch.objects.exists()


def test_audit_events_older_than_the_retention_term_are_removed_nightly(world, time_machine):
    from schools import audit
    from schools.models import AuditEvent

    time_machine.move_to(datetime.datetime(2020, 11, 1, 12, tzinfo=datetime.UTC))
    old = audit.record(world.users["director"], audit.AuditAction.VIEW_PUPIL, pupil=world.s1.pupil)
    time_machine.move_to(datetime.datetime(2022, 6, 1, 12, tzinfo=datetime.UTC))
    recent = audit.record(
        world.users["director"], audit.AuditAction.VIEW_PUPIL, pupil=world.s1.pupil
    )
    time_machine.move_to(datetime.datetime(2025, 10, 31, 12, tzinfo=datetime.UTC))
    tasks.anonymise_left_pupils()
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == {old.pk, recent.pk}
    time_machine.move_to(datetime.datetime(2025, 11, 2, 12, tzinfo=datetime.UTC))
    tasks.anonymise_left_pupils()
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_an_anonymised_pupil_is_no_name_in_a_parents_topic(left, world):
    from partnership.queries import names_in_text

    privacy.anonymise_left_pupils(dry_run=False)
    # "Leerling" is what anonymising writes in place of the name: a topic about "de leerling"
    # is not about somebody.
    assert names_in_text(world.s1.school, "Hoe helpen we een leerling met huiswerk?") == []
    assert names_in_text(world.s1.school, "Quirijn doet niet mee") == ["quirijn"]
