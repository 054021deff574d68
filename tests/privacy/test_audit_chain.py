"""RELIABILITY E2: the audit log cannot be changed without it showing. Each event carries a hash
of its fields and of the event before it; `manage.py verify_audit_log` walks the chain. On
PostgreSQL a trigger refuses UPDATE and DELETE outright (only the retention task deletes)."""

import threading

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from partnership import privacy
from schools import audit, audit_chain
from schools.models import AuditAction, AuditCheckpoint, AuditEvent

POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")


def _events(world, n):
    return [
        audit.record(world.users["teacher"], AuditAction.VIEW_PUPIL, pupil=world.s1.pupil)
        for _ in range(n)
    ]


def _tamper(event, **changes):
    """Change a row behind the application's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE schools_auditevent DISABLE TRIGGER USER")
        AuditEvent.objects.filter(pk=event.pk).update(**changes)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE schools_auditevent ENABLE TRIGGER USER")


@pytest.mark.django_db
def test_the_chain_holds_and_names_the_row_that_was_changed(world, capsys):
    events = _events(world, 30)
    call_command("verify_audit_log")
    assert "30 regels, de keten klopt" in capsys.readouterr().out
    _tamper(events[17], what=f"pupil:{world.s3.pupil.pk}")
    assert audit_chain.verify() == (17, events[17].pk)
    with pytest.raises(CommandError, match=f"regel {events[17].pk}"):
        call_command("verify_audit_log")


@pytest.mark.django_db
def test_a_removed_row_breaks_the_chain(world):
    events = _events(world, 5)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE schools_auditevent DISABLE TRIGGER USER")
        AuditEvent.objects.filter(pk=events[2].pk).delete()
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE schools_auditevent ENABLE TRIGGER USER")
    assert audit_chain.verify() == (2, events[3].pk)


@POSTGRES
@pytest.mark.django_db
def test_the_application_cannot_update_or_delete_the_log(world):
    (event,) = _events(world, 1)
    for change in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(what="pupil:1"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
    ):
        with (
            pytest.raises(DatabaseError, match="audit log cannot be changed"),
            transaction.atomic(),
        ):
            change()
    assert AuditEvent.objects.get(pk=event.pk).what == event.what


@POSTGRES
@pytest.mark.django_db(transaction=True)
def test_appends_at_the_same_moment_keep_one_chain(world):
    def write():
        try:
            _events(world, 25)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert audit_chain.verify() == (100, None)


# --- Issue 14: what is missing at the ends ---------------------------------------------------


def _remove(*events):
    """Delete rows behind the application's back (on PostgreSQL past the trigger, as the owner
    of the table could)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE schools_auditevent DISABLE TRIGGER USER")
        AuditEvent.objects.filter(pk__in=[event.pk for event in events]).delete()
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE schools_auditevent ENABLE TRIGGER USER")


def _verify_fails(match):
    with pytest.raises(CommandError, match=match):
        call_command("verify_audit_log")


@pytest.mark.django_db
def test_removing_the_first_row_is_reported(world):
    events = _events(world, 6)
    audit_chain.write_checkpoint()
    _remove(events[0])
    assert audit_chain.verify() == (5, None)  # the chain alone still holds
    _verify_fails(f"begint bij regel {events[0].pk}, het logboek nu bij regel {events[1].pk}")


@pytest.mark.django_db
def test_removing_the_first_row_is_reported_before_any_checkpoint(world):
    events = _events(world, 3)
    _remove(events[0])
    _verify_fails(f"Regels vóór regel {events[1].pk} ontbreken")


@pytest.mark.django_db
def test_removing_the_last_row_is_reported(world):
    events = _events(world, 6)
    audit_chain.write_checkpoint()
    _events(world, 2)  # written after the checkpoint: the chain goes on from its head
    _remove(events[-1])
    _verify_fails(f"regel {events[-1].pk}, de laatste bij het controlepunt")


@pytest.mark.django_db
def test_removing_every_row_is_reported(world):
    events = _events(world, 4)
    audit_chain.write_checkpoint()
    _remove(*events)  # TRUNCATE where the database has it, see below
    _verify_fails("Het logboek is leeg, maar bij het controlepunt van .* had het 4 regels")


@pytest.mark.django_db
def test_a_checkpoint_changed_in_the_database_is_reported(world):
    _events(world, 3)
    checkpoint = audit_chain.write_checkpoint()
    forged = AuditCheckpoint(
        at=checkpoint.at,
        first_id=checkpoint.first_id,
        first_chain=checkpoint.first_chain,
        last_id=checkpoint.last_id,
        head=checkpoint.head,
        count=2,  # a shorter log, signed without the key
        signature=checkpoint.signature,
    )
    forged.save()
    _verify_fails("de handtekening klopt niet")


@pytest.mark.django_db
def test_retention_moves_the_checkpoint_and_the_log_stays_in_order(world, capsys, settings):
    settings.AUDIT_RETENTION_YEARS = 1
    with time_machine.travel("2025-09-01 10:00 +0000", tick=False):
        old = _events(world, 3)
    with time_machine.travel("2026-11-01 10:00 +0000", tick=False):
        _events(world, 2)
        assert privacy.remove_old_audit_events() == 3
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    call_command("verify_audit_log")
    assert "2 regels, de keten klopt" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_checkpoint_signed_with_a_replaced_key_still_holds(world, settings):
    _events(world, 2)
    audit_chain.write_checkpoint()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-after-rotation-" + "x" * 40
    assert audit_chain.missing_at_the_ends() == []


@POSTGRES
@pytest.mark.django_db
def test_the_database_refuses_to_truncate_the_log_or_touch_a_checkpoint(world):
    _events(world, 2)
    checkpoint = audit_chain.write_checkpoint()
    for statement in (
        "TRUNCATE schools_auditevent",
        "TRUNCATE schools_auditcheckpoint",
        f"DELETE FROM schools_auditcheckpoint WHERE id = {checkpoint.pk}",
        f"UPDATE schools_auditcheckpoint SET count = 0 WHERE id = {checkpoint.pk}",
    ):
        with (
            pytest.raises(DatabaseError, match="cannot be (emptied|changed)"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 2


@POSTGRES
@pytest.mark.django_db
def test_a_truncate_past_the_trigger_is_reported(world):
    _events(world, 3)
    audit_chain.write_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE schools_auditevent DISABLE TRIGGER USER")
        cursor.execute("TRUNCATE schools_auditevent")
        cursor.execute("ALTER TABLE schools_auditevent ENABLE TRIGGER USER")
    _verify_fails("Het logboek is leeg")
