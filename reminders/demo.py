"""Demo step: the reminders due today (welcome messages in the families' languages, the
information card for the teachers), scanned into the outbox. ``send_reminders`` sends them."""

from reminders import dispatch


def seed_reminders(stdout=None):
    result = dispatch.scan()
    if stdout:
        stdout.write(f"Demo: {result.created} herinneringen klaargezet voor vandaag.")
