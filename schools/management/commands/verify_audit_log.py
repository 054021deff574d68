"""Walk the audit log's hash chain: exit status 1 and the event where it breaks, when a row was
changed or removed in the middle."""

from django.core.management.base import BaseCommand, CommandError

from schools import audit_chain


class Command(BaseCommand):
    help = "Controleer de hash-keten van het logboek."

    def handle(self, *args, **options):
        checked, broken = audit_chain.verify()
        if broken is not None:
            raise CommandError(
                f"Het logboek is veranderd: de keten klopt niet meer bij regel {broken} "
                f"(na {checked} goede regels)."
            )
        self.stdout.write(f"Logboek in orde: {checked} regels, de keten klopt.")
