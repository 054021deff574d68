"""The database refuses an enrolment in a group of another school or another school year.

A check constraint cannot look into other tables, so a trigger does it, on both PostgreSQL and SQLite.
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE FUNCTION schools_enrolment_same_school() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM schools_group g JOIN schools_pupil p ON p.school_id = g.school_id
    WHERE g.id = NEW.group_id AND p.id = NEW.pupil_id AND g.school_year_id = NEW.school_year_id
  ) THEN
    RAISE EXCEPTION 'enrolment_group_of_other_school' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER schools_enrolment_same_school BEFORE INSERT OR UPDATE ON schools_enrolment
FOR EACH ROW EXECUTE FUNCTION schools_enrolment_same_school();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS schools_enrolment_same_school ON schools_enrolment;
DROP FUNCTION IF EXISTS schools_enrolment_same_school();
"""

SQLITE_CONDITION = """
WHEN NOT EXISTS (
  SELECT 1 FROM schools_group g JOIN schools_pupil p ON p.school_id = g.school_id
  WHERE g.id = NEW.group_id AND p.id = NEW.pupil_id AND g.school_year_id = NEW.school_year_id
)
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: enrolment_group_of_other_school'); END;
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER schools_enrolment_same_school_insert BEFORE INSERT ON schools_enrolment "
    + SQLITE_CONDITION,
    "CREATE TRIGGER schools_enrolment_same_school_update BEFORE UPDATE ON schools_enrolment "
    + SQLITE_CONDITION,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS schools_enrolment_same_school_insert",
    "DROP TRIGGER IF EXISTS schools_enrolment_same_school_update",
]


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


def _run(schema_editor, postgres_sql, sqlite_statements):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres_sql)
    elif vendor == "sqlite":
        for statement in sqlite_statements:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
