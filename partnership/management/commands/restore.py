"""Bring a backup archive into an empty database and storage, and check it (row counts per
table, the audit log's chain)."""

from django.core.management.base import BaseCommand, CommandError

from partnership import backup
from schools import audit_chain


class Command(BaseCommand):
    help = "Zet een back-up terug in een lege database en een lege map voor bestanden."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Het archief van `manage.py backup`.")

    def handle(self, *args, archive, **options):
        try:
            manifest = backup.restore_backup(archive=archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Teruggezet: {len(manifest['tables'])} tabellen, {rows} rijen (aantallen kloppen), "
            f"{len(manifest['media'])} bestand(en); back-up van {manifest['created_at']}."
        )
        checked, broken = audit_chain.verify()
        if broken is not None:
            raise CommandError(
                f"Het logboek is teruggezet, maar de keten klopt niet bij regel {broken}."
            )
        self.stdout.write(f"Logboek in orde: {checked} regels.")
        pending = backup.pending_migrations(manifest)
        if pending:
            self.stdout.write(
                f"Deze versie heeft {len(pending)} migraties die de back-up nog niet had: "
                "draai nu `python manage.py migrate`."
            )
