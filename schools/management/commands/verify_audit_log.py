"""Walk the audit log's hash chain and compare its ends with the latest signed checkpoint: exit
status 1, naming the row or the gap, when a row was changed or removed, in the middle or at
either end, or when the log was emptied."""

from django.core.management.base import BaseCommand, CommandError

from schools import audit_chain


class Command(BaseCommand):
    help = "Controleer de hash-keten van het logboek en het laatste controlepunt."

    def handle(self, *args, **options):
        checked, broken = audit_chain.verify()
        problems = audit_chain.missing_at_the_ends()
        if broken is not None:
            problems.insert(
                0,
                f"De keten klopt niet meer bij regel {broken} (na {checked} goede regels).",
            )
        if problems:
            raise CommandError("Het logboek is veranderd: " + " ".join(problems))
        self.stdout.write(f"Logboek in orde: {checked} regels, de keten klopt.")
