"""python manage.py anonymise_left_pupils [--dry-run]: the retention task by hand. Run with
--dry-run first to see (by id) who would be anonymised."""

from django.core.management.base import BaseCommand

from partnership import privacy


class Command(BaseCommand):
    help = "Anonimiseert leerlingen die langer dan de bewaartermijn van school af zijn."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="alleen laten zien, niets wijzigen"
        )

    def handle(self, *args, **options):
        report = privacy.anonymise_left_pupils(dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
