from django.core.management.base import BaseCommand

from partnership import demo


class Command(BaseCommand):
    help = "Maakt de demoschool aan (of werkt die bij). Twee keer draaien verandert niets."

    def handle(self, *args, **options):
        for step in demo.DEMO_STEPS:
            step(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo klaar. Inloggen met wachtwoord " + demo.DEMO_PASSWORD)
        )
        for email, *_rest in demo.ACCOUNTS:
            self.stdout.write(f"  {email}")
        self.stdout.write(f"  {demo.GUARDIAN_EMAIL} (ouder: inloggen met een code per e-mail)")
