"""Group names up to 64 characters, as EDEXML allows.

SQLite changes a column by copying the table, and its enrolment triggers (0002) name the group
table: they are taken off for the copy and put back after it. PostgreSQL widens the column in
place and keeps its trigger."""

import importlib

from django.db import migrations, models

triggers = importlib.import_module("schools.migrations.0002_enrolment_same_school_trigger")


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in triggers.SQLITE_BACKWARD:
            schema_editor.execute(statement)


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in triggers.SQLITE_FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("schools", "0007_audit_chain")]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.AlterField(
            model_name="group",
            name="name",
            field=models.CharField(max_length=64, verbose_name="naam"),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
    ]
