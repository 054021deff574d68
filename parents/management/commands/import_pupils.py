"""python manage.py import_pupils FILE --school VESTIGINGSNUMMER [--dry-run] [--only-good-rows]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parents.importing import ImportRefused, edexml
from parents.importing.apply import import_table
from parents.importing.mapping import missing, resolve
from parents.importing.plan import make_plan
from parents.importing.tabular import read_table
from schools.models import ImportColumnMapping, School


class Command(BaseCommand):
    help = "Leest leerlingen (en ouders) in uit een CSV-, Excel- of EDEXML-bestand."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--school", required=True, help="vestigingsnummer, bv. 12AB00")
        parser.add_argument(
            "--dry-run", action="store_true", help="alleen laten zien, niets opslaan"
        )
        parser.add_argument(
            "--only-good-rows", action="store_true", help="rijen met fouten overslaan"
        )

    def handle(self, *args, **options):
        number = options["school"].strip().upper()
        school = School.objects.filter(brin=number[:4], location_code=number[4:]).first()
        if school is None:
            raise CommandError(f"Geen school met vestigingsnummer {number}.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
            if edexml.looks_like_edexml(data):
                result = edexml.import_edexml(school=school, data=data, dry_run=options["dry_run"])
                self.stdout.write(str(result))
                return
            table = read_table(data, path.name)
        except (OSError, ImportRefused) as error:
            raise CommandError(str(error)) from error
        remembered = ImportColumnMapping.objects.filter(school=school).first()
        columns = resolve(table.headers, remembered.columns if remembered else None)
        if lacking := missing(columns):
            raise CommandError("Kolommen niet gevonden: " + ", ".join(str(f) for f in lacking))
        plan = make_plan(school=school, table=table, columns=columns)
        for line in plan.notices + [str(e) for e in plan.errors]:
            self.stdout.write(str(line))
        self.stdout.write(
            f"nieuw: {len(plan.added)}, gewijzigd: {len(plan.changed)}, "
            f"ongewijzigd: {len(plan.unchanged)}, van school af: {len(plan.leaving)}, "
            f"nieuwe ouders: {len(plan.new_guardians)}, rijen met fouten: {len(plan.error_rows)}"
        )
        if options["dry_run"]:
            self.stdout.write("Proefdraai: er is niets opgeslagen.")
            return
        try:
            result = import_table(
                school=school,
                table=table,
                columns=columns,
                only_good_rows=options["only_good_rows"],
            )
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Ingelezen: {result}"))
