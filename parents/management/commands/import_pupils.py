"""python manage.py import_pupils FILE --school VESTIGINGSNUMMER [--dry-run] [--only-good-rows]
[--mark-leavers]"""

from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from parents.importing import ImportRefused, edexml
from parents.importing.apply import confirm_import
from parents.importing.mapping import missing, parse_map, resolve
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
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="KOLOM=VELD",
            help='welke kolom welk veld is, bv. --map "Nummer=leerlingnummer" (herhaalbaar)',
        )
        parser.add_argument(
            "--mark-leavers",
            action="store_true",
            help="leerlingen die niet in het bestand staan als 'van school af' markeren",
        )

    def handle(self, *args, **options):
        number = options["school"].strip().upper()
        school = School.objects.filter(brin=number[:4], location_code=number[4:]).first()
        if school is None:
            raise CommandError(f"Geen school met vestigingsnummer {number}.")
        path = Path(options["file"])
        try:
            planner = self._planner(school, path.read_bytes(), path.name, options["map"])
            with transaction.atomic():  # planning may add the school year; a dry run keeps nothing
                plan = planner()
                self._report(plan)
                transaction.set_rollback(True)
            if options["dry_run"]:
                self.stdout.write("Proefdraai: er is niets opgeslagen.")
                return
            result = confirm_import(
                make=planner,
                only_good_rows=options["only_good_rows"],
                mark_leavers=options["mark_leavers"],
                filename=path.name,
            )
        except (OSError, ImportRefused) as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{k}: {v}" for k, v in asdict(result).items())
        self.stdout.write(self.style.SUCCESS(f"Ingelezen: {summary}"))

    def _planner(self, school, data, filename, pairs):
        if edexml.looks_like_edexml(data):
            return lambda: edexml.plan_edexml(school=school, data=data)
        table = read_table(data, filename)
        remembered = ImportColumnMapping.objects.filter(school=school).first()
        columns = resolve(table.headers, remembered.columns if remembered else None)
        columns.update(parse_map(pairs, table.headers))
        if lacking := missing(columns):
            raise CommandError(
                f"Kolommen niet gevonden: {', '.join(str(f) for f in lacking)}. "
                f"Rij {table.header_row} is gelezen als de kopregel: "
                f"{'; '.join(table.headers)}. Geef de kolommen aan met "
                '--map "Kolom=veld", bv. --map "Nummer=leerlingnummer".'
            )
        return lambda: make_plan(school=school, table=table, columns=columns)

    def _report(self, plan):
        for line in plan.notices + plan.warnings + [str(e) for e in plan.errors]:
            self.stdout.write(str(line))
        self.stdout.write(
            f"nieuw: {len(plan.added)}, gewijzigd: {len(plan.changed)}, "
            f"ongewijzigd: {len(plan.unchanged)}, niet in het bestand: {len(plan.leaving)}, "
            f"nieuwe groepen: {len(plan.new_groups)}, nieuwe ouders: {len(plan.new_guardians)}, "
            f"rijen met fouten: {len(plan.error_rows)}"
        )
        if plan.leaving:
            self.stdout.write(
                f"{len(plan.leaving)} leerlingen staan niet in het bestand; ze blijven op school, "
                "tenzij u --mark-leavers meegeeft."
            )
