"""python manage.py unplan_early_moments [--dry-run]: repair plans from before plans started on
the day an agreement was made. A start conversation's agreement planned its moments from the day
the family's plan began, so a rule agreed in October brought "te laat" moments from August. Those
moments, still open and due before the conversation was held, become "vervallen". Run with
--dry-run first: it shows the counts per school and changes nothing."""

from django.core.management.base import BaseCommand

from conversations.queries import agreement_days
from parents.services import unplan_moments_made_too_early


class Command(BaseCommand):
    help = "Zet contactmomenten die gepland zijn voor de dag van de afspraak op 'vervallen'."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="alleen tellen, niets wijzigen")

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        counts = unplan_moments_made_too_early(made_on=agreement_days(), dry_run=dry_run)
        verb = "zou vervallen" if dry_run else "vervallen"
        for school, number in counts.items():
            self.stdout.write(f"{school}: {number} contactmomenten {verb}")
        self.stdout.write(f"Totaal: {sum(counts.values())} contactmomenten {verb}")
