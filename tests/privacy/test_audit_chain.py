"""RELIABILITY E2: the audit log cannot be changed without it showing. Each event carries a hash
of its fields and of the event before it; `manage.py verify_audit_log` walks the chain. On
PostgreSQL a trigger refuses UPDATE and DELETE outright (only the retention task deletes)."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from schools import audit, audit_chain
from schools.models import AuditAction, AuditEvent

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
