"""Make the next school year ready (see partnership/rollover.py); --dry-run lists what it would
do and writes nothing."""

import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from partnership import rollover


class Command(BaseCommand):
    help = (
        "Zet het volgende schooljaar klaar: het schooljaar en per school de ronde "
        "startgesprekken. Dit jaar blijft zoals het is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            help="Het nieuwe schooljaar, bijvoorbeeld 2027-2028 (standaard: het volgende).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Laat zien wat er zou gebeuren; schrijf niets."
        )

    def handle(self, *args, year=None, dry_run=False, **options):
        label = year or rollover.next_year_label(timezone.localdate())
        match = re.fullmatch(r"(\d{4})-(\d{4})", label)
        if not match or int(match[2]) != int(match[1]) + 1:
            raise CommandError(f"'{label}' is geen schooljaar. Schrijf het zo: 2027-2028.")
        if dry_run:
            plan = rollover.plan_rollover(label=label)
        else:
            plan = rollover.rollover_school_year(label=label)
        verb = "zou" if dry_run else "is"
        year_state = "bestaat al" if plan.year_exists else f"{verb} nieuw"
        self.stdout.write(
            f"Schooljaar {label} ({plan.year.start:%d-%m-%Y} t/m {plan.year.end:%d-%m-%Y}): "
            f"{year_state}."
        )
        for step in plan.schools:
            self.stdout.write(
                f"  {step.school}: eerste schooldag {step.first_day:%d-%m-%Y} "
                f"(regio {step.school.holiday_region}); {step.action}"
            )
        self.stdout.write(
            "De groepen van het nieuwe jaar komen uit de volgende import (Leerlingen inlezen). "
            "Gesprekken, plannen en groepen van dit jaar blijven zoals ze zijn."
        )
        if dry_run:
            self.stdout.write("Proefdraai: er is niets geschreven.")
