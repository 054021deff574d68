"""The Python half of `.ci/backup-restore`, run against one database at a time:

    seed SENT.json            the demo at a fixed moment, a few pupil pages opened (audit log),
                              one uploaded file, the due reminders sent; SENT.json lists them
    counts                    rows per table, as JSON
    check COUNTS.json SENT.json   on the restored database: the same rows per table, a staff and
                              a parent page render, and the reminders sent before the backup do
                              not go out again

Each failure exits non-zero with a line that says what differs.
"""

import datetime
import json
import os
import re
import sys
from pathlib import Path

import django
import time_machine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
# Messages stay in memory, so the check can see every one that would go out.
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ["SMS_BACKEND"] = "reminders.channels.OutboxSmsBackend"
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import storages  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from partnership import backup  # noqa: E402
from reminders.channels import OutboxSmsBackend  # noqa: E402
from reminders.models import Reminder, Status  # noqa: E402
from schools.models import Pupil, School  # noqa: E402

# A Tuesday morning in the school year (10:00 in the Netherlands): reminders are due and no
# quiet hours hold them.
SEEDED_AT = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC)
CHECKED_AT = SEEDED_AT + datetime.timedelta(hours=2)
DEMO_SCHOOL = "Basisschool De Regenboog"


def fail(message):
    sys.stderr.write(f"backup-restore: {message}\n")
    sys.exit(1)


def seed(sent_path):
    with time_machine.travel(SEEDED_AT, tick=True):
        call_command("seed_demo", verbosity=0)
        school = School.objects.get(name=DEMO_SCHOOL)
        staff = Client()
        staff.force_login(get_user_model().objects.get(email="directeur@demo.test"))
        for pupil in Pupil.objects.filter(school=school).order_by("pk")[:5]:
            if staff.get(reverse("schools:pupil-detail", args=[pupil.pk])).status_code != 200:
                fail(f"pupil page {pupil.pk} does not open before the backup")
        storages["default"].save("photos/demo-klassenfoto.txt", ContentFile(b"a class photo"))
        call_command("send_reminders", verbosity=0)
    sent = list(Reminder.objects.filter(status=Status.SENT).values_list("pk", flat=True))
    if not sent:
        fail("no reminder was sent before the backup: nothing to prove")
    Path(sent_path).write_text(json.dumps(sent))
    print(f"seeded: {len(sent)} reminders sent before the backup")


def counts():
    print(json.dumps(backup.table_counts(), sort_keys=True))


def check(counts_path, sent_path):
    expected = json.loads(Path(counts_path).read_text())
    differences = backup.compare_counts(expected, backup.table_counts())
    if differences:
        fail("row counts differ after the restore: " + "; ".join(differences))
    print(f"rows per table equal: {len(expected)} tables, {sum(expected.values())} rows")

    with time_machine.travel(CHECKED_AT, tick=True):
        school = School.objects.get(name=DEMO_SCHOOL)
        users = get_user_model().objects
        pages = [
            ("directeur@demo.test", reverse("dashboard:school-dashboard", args=[school.pk])),
            ("ouder@demo.test", reverse("parents:portal-home")),
        ]
        for email, url in pages:
            client = Client()
            client.force_login(users.get(email=email))
            response = client.get(url)
            if response.status_code != 200:
                fail(f"{url} as {email} answers {response.status_code} after the restore")
            print(f"{url} as {email}: 200")

        sent = set(json.loads(Path(sent_path).read_text()))
        still_sent = Reminder.objects.filter(pk__in=sent, status=Status.SENT).count()
        if still_sent != len(sent):
            fail(f"{len(sent) - still_sent} reminders sent before the backup lost their status")
        call_command("send_reminders", verbosity=0)
        # Each message carries its outbox row: the Message-ID of a mail, the reference of a text.
        references = [m.extra_headers["Message-ID"] for m in getattr(mail, "outbox", [])]
        references += [sms["reference"] for sms in OutboxSmsBackend.outbox]
        rows = [int(found[1]) for ref in references if (found := re.search(r"reminder-(\d+)", ref))]
        again = [row for row in rows if row in sent]
        if again:
            fail(f"{len(again)} reminders sent before the backup went out again")
        print(
            f"outbox: the {len(sent)} reminders sent before the backup stay sent, none again "
            f"({len(references)} new messages)"
        )
    if not storages["default"].exists("photos/demo-klassenfoto.txt"):
        fail("the uploaded file is missing after the restore")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"seed": seed, "counts": counts, "check": check}[command](*args)
