from typing import Any

from django.core.management.base import BaseCommand

from partnership.dashboards.figures import recount_all_boards


class Command(BaseCommand):
    help = (
        "Telt de bewaarde cijfers van het bestuursdashboard opnieuw, voor elke school in het "
        "schooljaar van vandaag (dat doet de taak elke ochtend ook)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        schools = recount_all_boards()
        self.stdout.write(f"Cijfers van {schools} scholen opnieuw geteld.")
