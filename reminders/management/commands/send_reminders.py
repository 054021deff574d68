from django.core.management.base import BaseCommand
from django.utils import timezone

from reminders import dispatch


class Command(BaseCommand):
    help = "Eén ronde: zoek wat er nu moet worden verstuurd en verstuur het (voor cron en tests)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Laat zien wat er uit zou gaan; schrijf niets."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        if dry_run:
            result = dispatch.scan(now=now, dry_run=True)
            for row in result.rows:
                self.stdout.write(
                    f"{row.next_attempt_at:%Y-%m-%d %H:%M} {row.rule} {row.channel} "
                    f"{row.language} → {row.recipient_name}: {row.subject}"
                )
            self.stdout.write(f"{len(result.rows)} nieuw (niets geschreven).")
            return
        requeued = dispatch.sweep_stale(now=now)
        result = dispatch.scan(now=now)
        totals = {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0, "held": 0}
        while True:
            outcome = dispatch.send_batch(now=now)
            if not outcome:
                break
            for key, value in outcome.items():
                totals[key] = totals.get(key, 0) + value
        self.stdout.write(
            f"Nieuw: {result.created}, verstuurd: {totals['sent']}, later opnieuw: "
            f"{totals['retry']}, mislukt: {totals['failed']}, niet verstuurd: "
            f"{totals['cancelled']}, wacht op stille uren: {totals['held']}, "
            f"teruggezet: {requeued}."
        )
        if result.failed_rules:
            self.stderr.write("Fout in de regels: " + ", ".join(result.failed_rules))
