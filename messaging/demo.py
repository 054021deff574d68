"""Demo step: a message from the teacher of group 5 to her group a few days ago, read by most
families, and the first parent's message answered, so the messages pages show their figures."""

import datetime
from io import TextIOBase

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from messaging import services
from messaging.models import Announcement, Recipient, Thread
from schools.models import Group, School, SchoolYear

SENT_DAYS_AGO = 4
SUBJECT = "Schoolreis naar het strand"
BODY = (
    "Donderdag gaan we met groep 5 naar het strand van Scheveningen. Geeft u uw kind een "
    "lunchpakket, drinken en een jas mee? We zijn om 15.00 uur terug op school."
)


def seed_messages(stdout: TextIOBase | None = None, *, board_name: str, teacher_group: str) -> None:
    """Idempotent: only when the demo school has no message from school yet."""

    school = School.objects.filter(board__name=board_name).order_by("pk").first()
    if school is None or Announcement.objects.filter(school=school).exists():
        return
    teacher = get_user_model().objects.get(email="leerkracht@demo.test")
    year = SchoolYear.current()
    group = Group.objects.get(school=school, school_year=year, name=teacher_group)
    with transaction.atomic():
        announcement = services.send_announcement(
            school=school,
            by=teacher,
            audience="groups",
            groups=[group],
            subject=SUBJECT,
            body=BODY,
        )
        # Written a few days ago: the read list then names the families nobody reached yet.
        sent_at = timezone.now() - datetime.timedelta(days=SENT_DAYS_AGO)
        Announcement.objects.filter(pk=announcement.pk).update(send_at=sent_at)
        recipients = list(Recipient.objects.filter(announcement=announcement).order_by("pk"))
        opened = [r.pk for index, r in enumerate(recipients) if index % 3 != 2]
        Recipient.objects.filter(pk__in=opened).update(
            opened_at=sent_at + datetime.timedelta(hours=5)
        )
        thread = (
            Thread.objects.filter(school=school, responsible__isnull=False)
            .select_related("responsible")
            .order_by("pk")
            .first()
        )
        if thread is not None:
            services.answer_thread(
                thread=thread,
                by=thread.responsible,
                text="Dank u voor het bericht. Ik heb het in het dossier gezet.",
            )
    if stdout:
        stdout.write(f"Demo: een bericht aan groep {teacher_group}, {len(opened)} keer gelezen.")
