from django.core.management.base import BaseCommand

from parents.reach import rebuild_reach


class Command(BaseCommand):
    help = (
        "Telt opnieuw welke gezinnen dit schooljaar bereikt zijn (de cijfers van de dashboards), "
        "uit de contacten, gehouden startgesprekken en aanwezigheid. Nodig na het terugzetten "
        "van een back-up of na rijen die buiten de app om zijn geschreven."
    )

    def handle(self, *args, **options):
        rows = rebuild_reach()
        self.stdout.write(self.style.SUCCESS(f"Bereikte gezinnen opnieuw geteld: {rows} regels."))
