"""Write the database and the uploaded files to one dated archive (see partnership/backup.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnership import backup


class Command(BaseCommand):
    help = "Maak een back-up: database en bestanden in één archief met de datum in de naam."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            dest="directory",
            default=None,
            help="Map voor het archief (standaard BACKUP_DIR). Een bestaand archief blijft staan.",
        )

    def handle(self, *args, directory=None, **options):
        try:
            path = backup.write_backup(directory=directory or settings.BACKUP_DIR)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Back-up geschreven: {path}")
