"""Backup and restore: one dated archive with the database and the uploaded files, never
overwritten; a restore into an empty database gives back every row and the audit log's chain,
and refuses a database that has data."""

import datetime
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection

from partnership import backup
from reminders.models import Status
from schools import audit_chain
from schools.models import AuditAction
from tests.reminders.factories import ReminderFactory

ROOT = Path(django_settings.BASE_DIR)
NOON = datetime.datetime(2026, 12, 7, 11, 0, tzinfo=datetime.UTC)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    storages._storages.pop("default", None)  # the storage reads MEDIA_ROOT when first made
    yield settings.MEDIA_ROOT
    storages._storages.pop("default", None)


@pytest.fixture
def empty_database(tmp_path):
    """The address of a new, empty database of the same engine as the tests' one."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    params = connection.get_connection_params()
    params.pop("dbname", None)
    params.pop("cursor_factory", None)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    sd = connection.settings_dict
    yield f"postgres://{sd['USER']}:{sd['PASSWORD']}@{sd['HOST']}:{sd['PORT'] or 5432}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        # Without FORCE: PostgreSQL stops its own autovacuum there, which we may not.
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def manage(database_url, media_root, *args):
    """Run a management command in its own process against another database."""
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root), "DEBUG": "1"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def evaluate(database_url, imports, expression):
    """The JSON value of an expression, computed by a process of its own on another database."""
    script = f"import json; {imports}; print(json.dumps({expression}, default=str))"
    result = manage(database_url, "unused", "shell", "-v0", "-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def counts_in(database_url):
    return evaluate(database_url, "from partnership import backup", "backup.table_counts()")


def seed(world):
    for pupil in (world.s1.pupil, world.s2.pupil):
        audit_chain.append(
            user_id=world.users["director"].pk,
            school_id=pupil.school_id,
            pupil_id=pupil.pk,
            action=AuditAction.VIEW_PUPIL,
        )
    sent = ReminderFactory(status=Status.SENT, sent_at=NOON, attempts=1)
    storages["default"].save("photos/klas-5.jpg", ContentFile(b"\xff\xd8 a photo"))
    return sent


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_give_back_every_row_file_and_the_audit_chain(
    world, media, empty_database, tmp_path
):
    sent = seed(world)
    before = backup.table_counts()

    archive = backup.write_backup(directory=tmp_path / "backups", now=NOON)

    assert archive.name == "schouder-2026-12-07-110000.tar.gz"
    assert archive.stat().st_mode & 0o077 == 0  # children's data: readable by the owner only
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert tar.extractfile("media/photos/klas-5.jpg").read() == b"\xff\xd8 a photo"
    assert manifest["tables"] == before
    assert manifest["tables"]["schools_auditevent"] == 2

    restored_media = tmp_path / "restored-media"
    result = manage(empty_database, restored_media, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "aantallen kloppen" in result.stdout
    assert "Logboek in orde: 2 regels" in result.stdout

    assert counts_in(empty_database) == before
    assert manage(empty_database, restored_media, "verify_audit_log").returncode == 0
    assert (restored_media / "photos" / "klas-5.jpg").read_bytes() == b"\xff\xd8 a photo"

    # The reminder sent before the backup is not sent again from the restored outbox.
    again = manage(empty_database, restored_media, "send_reminders")
    assert again.returncode == 0, again.stderr
    assert "verstuurd: 0" in again.stdout
    assert evaluate(
        empty_database,
        "from reminders.models import Reminder",
        f"list(Reminder.objects.filter(pk={sent.pk}).values_list('status', 'attempts'))",
    ) == [["sent", 1]]

    # A second restore into the now filled database is refused and changes nothing.
    filled = counts_in(empty_database)
    refused = manage(empty_database, tmp_path / "other-media", "restore", str(archive))
    assert refused.returncode != 0
    assert "De database is niet leeg" in refused.stderr
    assert counts_in(empty_database) == filled


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_never_overwritten(media, tmp_path):
    first = backup.write_backup(directory=tmp_path, now=NOON)
    content = first.read_bytes()

    with pytest.raises(backup.BackupError, match="wordt nooit overschreven"):
        backup.write_backup(directory=tmp_path, now=NOON)

    assert first.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == [first.name]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_data(media, tmp_path):
    archive = backup.write_backup(directory=tmp_path, now=NOON)

    with pytest.raises(backup.BackupError, match="De database is niet leeg"):
        backup.restore_backup(archive=archive)


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    not_a_backup = tmp_path / "leerlingen.csv"
    not_a_backup.write_text("leerlingnummer;roepnaam\n1;Sem\n")
    before = backup.table_counts()

    with pytest.raises(backup.BackupError, match="is geen back-up van Schouder"):
        backup.restore_backup(archive=not_a_backup)

    assert backup.table_counts() == before
