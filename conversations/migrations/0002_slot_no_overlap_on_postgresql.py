"""On PostgreSQL the database itself refuses two slots of one staff member that overlap in time
(a staff member cannot be in two places at once), in whatever round or school. SQLite has no
exclusion constraints; there the service's locked overlap check and the unique start do the work."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE conversations_slot ADD CONSTRAINT slot_staff_no_overlap "
    "EXCLUDE USING gist (staff_id WITH =, tstzrange(starts_at, ends_at) WITH &&)",
]
BACKWARD = ["ALTER TABLE conversations_slot DROP CONSTRAINT IF EXISTS slot_staff_no_overlap"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_rounds_slots_bookings")]

    operations = [migrations.RunPython(forward, backward)]
