"""Safe upgrades: `migrate` runs while the old release still serves pages and runs Celery tasks,
so a new migration must not break that old code.

django-migration-linter reads the SQL each new migration runs on PostgreSQL and names what
breaks the running release: a column or table dropped or renamed (the old code still selects
it) and a NOT NULL column without a default in the database (the old code's INSERTs leave it
out: Django's ``default=`` is dropped from the column right after it filled the existing rows;
``db_default=`` stays). Migrations up to RELEASED ran in production already; only newer ones
are checked. SQLite's table rebuilds look like all of these, so the check runs on PostgreSQL,
as production and CI do.
"""

import pytest
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader
from django_migration_linter import MigrationLinter
from django_migration_linter.sql_analyser.analyser import (
    analyse_sql_statements,
    get_sql_analyser_class,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the SQL that production runs is PostgreSQL's (set DATABASE_URL)",
    ),
    pytest.mark.django_db,
]

OUR_APPS = ("schools", "parents", "conversations", "reminders", "partnership")
# The last migration of each app in the release that runs in production. Move these forward
# when a release is out; a new app is checked from its first migration.
RELEASED = {
    "schools": "0007_audit_chain",
    "parents": "0004_information_request",
    "conversations": "0007_agreement_channel_from_the_plan",
    "reminders": "0001_outbox",
    "partnership": "0001_activities_plans_evaluations",
}
# (app, migration) -> why the running release is not hurt, e.g. "the previous release no longer
# reads Guardian.fax". Only after that release is out everywhere.
ACKNOWLEDGED = {
    # The photo's NOT NULL file column goes on the class news table that 0002 of the same
    # release creates: no running release writes that table yet.
    ("partnership", "0003_class_news_photo"): "class news is new in this release",
}
# The linter's errors that do not break the running code: a column's type widened, a unique
# constraint the old code's forms already kept.
NOT_BREAKING = ["ALTER_COLUMN", "ADD_UNIQUE"]

ADVICE = (
    "The release that is still running while `migrate` runs would break. Drop or rename a "
    "column one release after the code stopped using it (first release: remove the field from "
    "the model with SeparateDatabaseAndState and keep the column, nullable or with db_default; "
    "next release: drop it). Add a NOT NULL column with db_default=, or as null=True first. "
    "When the running release really does not use it, add the migration to ACKNOWLEDGED in "
    "tests/test_migration_safety.py with the reason."
)


def breaking_changes(migration, state):
    """The linter's errors for one migration, applied on top of ``state``."""
    with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
        migration.apply(state.clone(), editor, collect_sql=True)
    analyser = get_sql_analyser_class(connection.vendor)
    errors, _ignored, _warnings = analyse_sql_statements(
        analyser, editor.collected_sql, NOT_BREAKING
    )
    linter = MigrationLinter(no_cache=True, no_output=True, exclude_migration_tests=NOT_BREAKING)
    errors += linter.analyse_data_migration(migration)[0]
    return [
        issue.message
        + (f" (table: {issue.table}" + (f", column: {issue.column}" if issue.column else "") + ")")
        * bool(issue.table)
        for issue in errors
    ]


def report(label, problems):
    return f"Migration {label}:\n" + "".join(f"  - {p}\n" for p in problems) + ADVICE


def unreleased(loader):
    released = set()
    for app, name in RELEASED.items():
        released.update(loader.graph.forwards_plan((app, name)))
    return sorted(
        key for key in loader.disk_migrations if key[0] in OUR_APPS and key not in released
    )


def test_new_migrations_keep_the_running_release_working():
    loader = MigrationLoader(connection)
    assert all((app, name) in loader.graph.nodes for app, name in RELEASED.items())
    failures = []
    for key in unreleased(loader):
        if key in ACKNOWLEDGED:
            continue
        problems = breaking_changes(
            loader.graph.nodes[key], loader.project_state(key, at_end=False)
        )
        if problems:
            failures.append(report(".".join(key), problems))
    assert not failures, "\n\n".join(failures)


def next_migration(*operations):
    """A migration after the last one of ``schools``, built in memory."""
    loader = MigrationLoader(connection)
    (leaf,) = loader.graph.leaf_nodes("schools")
    migration = migrations.Migration("9999_in_memory", "schools")
    migration.dependencies = [leaf]
    migration.operations = list(operations)
    return migration, loader.project_state(leaf)


def test_a_dropped_column_fails_with_a_clear_message():
    migration, state = next_migration(migrations.RemoveField("pupil", "eck_id"))

    problems = breaking_changes(migration, state)

    assert problems == ["DROPPING columns (table: schools_pupil, column: eck_id)"]
    assert "one release after the code stopped using it" in report("schools.9999", problems)


def test_a_renamed_column_fails():
    migration, state = next_migration(migrations.RenameField("pupil", "eck_id", "eck"))

    assert breaking_changes(migration, state) == [
        "RENAMING columns (table: schools_pupil, column: eck_id)"
    ]


def test_a_not_null_column_without_a_database_default_fails():
    field = models.CharField(max_length=20, default="")
    migration, state = next_migration(migrations.AddField("pupil", "nickname", field))

    assert breaking_changes(migration, state) == ["NOT NULL constraint on columns"]


def test_the_safe_ways_pass():
    migration, state = next_migration(
        migrations.AddField("pupil", "nickname", models.CharField(max_length=20, db_default="")),
        migrations.AddField("pupil", "motto", models.CharField(max_length=20, null=True)),
        # The first half of a removal: the model forgets the field, the column stays.
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField("pupil", "eck_id")]
        ),
        migrations.AlterField("pupil", "first_name", models.CharField(max_length=200)),
    )

    assert breaking_changes(migration, state) == []
