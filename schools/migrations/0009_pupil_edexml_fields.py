"""Pupil numbers and ECK iDs up to 256 characters, and an unknown birth date allowed, as EDEXML
2.1 defines them. SQLite copies the pupil table for this, so the enrolment triggers (0002), which
name it, are taken off and put back, as in 0008."""

import importlib

from django.db import migrations, models

group_name_64 = importlib.import_module("schools.migrations.0008_group_name_64")


class Migration(migrations.Migration):
    dependencies = [("schools", "0008_group_name_64")]

    operations = [
        migrations.RunPython(
            group_name_64.drop_sqlite_triggers, group_name_64.create_sqlite_triggers
        ),
        migrations.AlterField(
            model_name="pupil",
            name="pupil_number",
            field=models.CharField(max_length=256, verbose_name="leerlingnummer"),
        ),
        migrations.AlterField(
            model_name="pupil",
            name="eck_id",
            field=models.CharField(blank=True, max_length=256, verbose_name="ECK iD"),
        ),
        migrations.AlterField(
            model_name="pupil",
            name="date_of_birth",
            field=models.DateField(blank=True, null=True, verbose_name="geboortedatum"),
        ),
        migrations.RunPython(
            group_name_64.create_sqlite_triggers, group_name_64.drop_sqlite_triggers
        ),
    ]
