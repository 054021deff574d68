"""Backups: the database and the uploaded files in one dated archive, and the way back.

An archive (``schouder-2026-12-07-093000.tar.gz``) holds:

- ``manifest.json``: when, which database engine, the migrations applied, the row count of every
  table and the names of the uploaded files;
- ``database.dump`` (PostgreSQL, ``pg_dump`` custom format) or ``database.sqlite3``;
- ``media/…``: the uploaded files from the default storage.

The dump and the row counts come from one snapshot: on PostgreSQL ``pg_dump`` joins the
REPEATABLE READ transaction in which we count (``pg_export_snapshot``), on SQLite the online
backup API copies the file and we count in the copy. A restore counts again and refuses to call
the result good when a single table differs.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.db import connection, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media/"


class BackupError(Exception):
    """Something an operator must fix; the message says what, in Dutch."""


def archive_name(now):
    return f"schouder-{now.astimezone(datetime.UTC):%Y-%m-%d-%H%M%S}.tar.gz"


def write_backup(*, directory, now=None):
    """Write a new archive into ``directory`` and return its path. Never overwrites a file: a
    backup that exists stays as it is."""
    now = now or timezone.now()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / archive_name(now)
    try:
        # O_EXCL: refuse an existing file; 0600: the archive holds children's data.
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{path} bestaat al. Een back-up wordt nooit overschreven.") from None
    try:
        with os.fdopen(handle, "wb") as raw, tempfile.TemporaryDirectory() as work:
            dump, tables = _dump_database(Path(work))
            media = _media_names()
            manifest = {
                "format": ARCHIVE_FORMAT,
                "created_at": now.isoformat(),
                "engine": connection.vendor,
                "migrations": sorted(_applied_migrations()),
                "tables": tables,
                "media": media,
            }
            with tarfile.open(fileobj=raw, mode="w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
                archive.add(dump, arcname=dump.name)
                storage = storages["default"]
                for name in media:
                    with storage.open(name, "rb") as content:
                        _add_file(archive, MEDIA + name, content, storage.size(name))
    except BaseException:
        path.unlink(missing_ok=True)  # half an archive is no backup
        raise
    return path


def restore_backup(*, archive):
    """Bring an archive into the (empty) database and storage of the settings. Returns the
    manifest. Refuses a database with tables or a storage with files: a restore never mixes."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} bestaat niet.")
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            manifest = json.load(tar.extractfile(MANIFEST))
    except (tarfile.TarError, KeyError, ValueError):
        raise BackupError(f"{archive} is geen back-up van Schouder.") from None
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError("Dit archief heeft een onbekende indeling.")
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"Dit is een back-up van {manifest['engine']}; de database is "
            f"{connection.vendor}. Zet terug in hetzelfde soort database."
        )
    existing = connection.introspection.table_names()
    if existing:
        raise BackupError(
            f"De database is niet leeg ({len(existing)} tabellen). Zet een back-up alleen "
            "terug in een nieuwe, lege database."
        )
    if _media_names():
        raise BackupError("De opslag voor bestanden is niet leeg. Zet terug in een lege map.")
    with tarfile.open(archive, mode="r:gz") as tar, tempfile.TemporaryDirectory() as work:
        name = "database.dump" if manifest["engine"] == "postgresql" else "database.sqlite3"
        dump = Path(work) / name
        with tar.extractfile(name) as source, open(dump, "wb") as target:
            shutil.copyfileobj(source, target)
        _load_database(dump)
        differences = compare_counts(manifest["tables"], table_counts())
        if differences:
            raise BackupError("Aantallen kloppen niet na terugzetten: " + "; ".join(differences))
        storage = storages["default"]
        for name in manifest["media"]:
            with tar.extractfile(MEDIA + name) as content:
                if storage.save(name, File(content)) != name:
                    raise BackupError(f"Bestand {name} kreeg een andere naam bij terugzetten.")
    return manifest


def pending_migrations(manifest):
    """Migrations this code has that the archive's database did not: run ``migrate``."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    applied = {tuple(node) for node in manifest["migrations"]}
    return sorted(set(loader.disk_migrations) - applied)


def table_counts():
    """Rows per table of the default database (every table, Django's own included)."""
    with connection.cursor() as cursor:
        return _count_tables(cursor, connection.introspection.table_names(cursor))


def compare_counts(expected, actual):
    """One Dutch line per table whose row count differs (or that is missing)."""
    return [
        f"{table}: {count} verwacht, {actual.get(table, 'geen tabel')} gevonden"
        for table, count in sorted(expected.items())
        if actual.get(table) != count
    ]


def _count_tables(cursor, tables):
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations():
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return [list(row) for row in cursor.fetchall()]


def _dump_database(work):
    if connection.vendor == "postgresql":
        return _dump_postgresql(work)
    if connection.vendor == "sqlite":
        return _dump_sqlite(work)
    raise BackupError(f"Back-ups van {connection.vendor} kan Schouder niet maken.")


def _dump_postgresql(work):
    dump = work / "database.dump"
    with transaction.atomic(), connection.cursor() as cursor:
        # One snapshot for our counts and for pg_dump: what the manifest promises is exactly
        # what the dump holds, whatever the web and the workers write meanwhile.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _count_tables(cursor, connection.introspection.table_names(cursor))
        # -Z0: the archive is compressed as a whole.
        _run_pg("pg_dump", ["--format=custom", "-Z0", f"--snapshot={snapshot}", "-f", dump])
    return dump, tables


def _dump_sqlite(work):
    dump = work / "database.sqlite3"
    if connection.in_atomic_block:
        # SQLite's backup waits for the source's own open transaction, forever.
        raise BackupError("Een back-up van SQLite kan niet binnen een transactie.")
    connection.ensure_connection()
    copy = sqlite3.connect(dump)
    try:
        # The online backup copies in one step (pages=-1), under a read lock: a consistent file.
        connection.connection.backup(copy)
        tables = _count_tables(
            copy.cursor(),
            [
                row[0]
                for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")
                if not row[0].startswith("sqlite_")
            ],
        )
    finally:
        copy.close()
    return dump, tables


def _load_database(dump):
    if connection.vendor == "postgresql":
        # One transaction: a restore that fails half-way leaves the database empty, not half.
        # Owner and grants follow the role of the settings, not the one of the old server.
        _run_pg(
            "pg_restore",
            ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"],
            restore_from=dump,
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()  # the next query sees the restored tables with a fresh connection


def _pg_program(name):
    """Debian's program for the server's major version; a newer one on the PATH otherwise."""
    connection.ensure_connection()
    major = connection.pg_version // 10000
    debian = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    program = str(debian) if debian.exists() else shutil.which(name)
    if not program:
        raise BackupError(f"{name} ontbreekt. Installeer de PostgreSQL-clientprogramma's.")
    return program


def _run_pg(name, options, restore_from=None):
    args, env = DatabaseClient.settings_to_cmd_args_env(
        connection.settings_dict, [str(option) for option in options]
    )
    args[0] = _pg_program(name)
    if restore_from:
        # pg_restore takes the database as an option; its one argument is the file.
        args[-1:] = [f"--dbname={args[-1]}", str(restore_from)]
    result = subprocess.run(
        args, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{name} is mislukt: {result.stderr.strip()[-2000:]}")


def _media_names(directory=""):
    """Every file in the default storage, with its path inside it."""
    storage = storages["default"]
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}{name}" for name in files]
    for folder in folders:
        names += _media_names(f"{directory}{folder}/")
    return sorted(names)


def _add_bytes(archive, name, data):
    _add_file(archive, name, io.BytesIO(data), len(data))


def _add_file(archive, name, content, size):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = time.time()
    archive.addfile(info, content)
