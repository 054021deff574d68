"""What messaging asks ``reminders`` to send: to guardians the acknowledgement of their message,
the school's answer and messages from school, each on the guardian's own channel and in their
language; to staff the conversations left unanswered past the school's answer term.

Each rule filters its candidates in SQL with ``outbox.without_rows`` before it renders, so a scan
costs what is new. The parents' texts are Dutch sources translated in ``locale/``; staff texts are
Dutch.
"""

import datetime
from collections.abc import Iterator, Sequence

from django.utils.translation import gettext_noop

from messaging.models import Post, PostKind, Recipient, Thread
from messaging.translation import Translated, translated
from parents.models import Guardian
from parents.reminder_rules import (
    guardian_name,
    guardian_quiet_hours,
    guardian_route,
    site_link,
)
from reminders import outbox
from reminders.models import Reminder
from reminders.quiet import AMSTERDAM, QuietHours
from reminders.registry import Item, Rule, Verdict
from reminders.texts import in_language, language_of_message
from schools.models import School, StaffMembership

# Only recent rows are candidates: a conversation or message of last month is history.
LOOK_BACK = datetime.timedelta(days=7)
STAFF_MORNING = datetime.time(8, 0)

ACKNOWLEDGEMENT_TEXTS = (
    gettext_noop("Uw bericht is aangekomen – {school}"),
    gettext_noop("Beste {name},\n\n{text}\n\nHet antwoord leest u hier:\n{link}\n\n{school}"),
)
ANSWER_TEXTS = (
    gettext_noop("Antwoord van school – {school}"),
    gettext_noop(
        "Beste {name},\n\n{staff} heeft uw bericht beantwoord. Lees het antwoord hier:\n{link}"
        "\n\n{school}"
    ),
)
ANNOUNCEMENT_TEXTS = (
    gettext_noop("{subject} – {school}"),
    gettext_noop(
        "Beste {name},\n\n{school} stuurt u dit bericht:\n\n{subject}\n\n{body}\n\n"
        "Open het bericht hier:\n{link}"
    ),
)

# Under a message from school that a machine translated, before the link to the original.
MACHINE_TRANSLATED = gettext_noop(
    "(Automatisch vertaald uit het Nederlands. Via de link hieronder leest u ook de "
    "oorspronkelijke tekst.)"
)


def _guardian_item(
    *,
    rule: Rule,
    guardian: Guardian,
    object_ref: str,
    school: School,
    texts: Sequence[str],
    due_at: datetime.datetime,
    quiet_hours: QuietHours | None,
    **values: str,
) -> Item:
    language = language_of_message(guardian.language)
    subject, body = in_language(language, *texts)
    name = guardian_name(guardian.first_name, guardian.infix, guardian.last_name)
    channel, address, note = guardian_route(
        guardian.email, guardian.phone, guardian.preferred_channels
    )
    values = {"name": name, "school": school.name, **values}
    return Item(
        object_ref=object_ref,
        recipient_key=f"parents.guardian:{guardian.pk}",
        occurrence="1",
        school_id=school.pk,
        recipient_name=name,
        address=address,
        channel=channel,
        language=language,
        subject=subject.format(**values),
        body=body.format(**values),
        due_at=due_at,
        sender_name=school.name,
        quiet_hours=quiet_hours,
        note=note,
    )


class PostNoticeRule(Rule):
    """A guardian hears of a post in their conversation: the acknowledgement, or an answer."""

    audience = "parents"
    kind = ""
    texts: tuple[str, ...] = ()

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        posts = Post.objects.filter(
            kind=self.kind, created_at__lte=now, created_at__gte=now - LOOK_BACK
        )
        posts = outbox.without_rows(
            posts,
            rule=self.name,
            object_ref=outbox.key("messaging.post:", "pk"),
            occurrence="1",
        ).select_related("thread__opening__guardian", "thread__school", "author")
        for post in posts:
            guardian = post.thread.opening.guardian
            yield _guardian_item(
                rule=self,
                guardian=guardian,
                object_ref=f"messaging.post:{post.pk}",
                school=post.thread.school,
                texts=self.texts,
                due_at=post.created_at,
                quiet_hours=guardian_quiet_hours(
                    guardian.quiet_hours_start, guardian.quiet_hours_end
                ),
                text=post.text,
                staff=(post.author.get_full_name() if post.author else "")
                or post.thread.school.name,
                link=site_link("messaging:portal-thread-detail", post.thread_id),
            )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        """Cancelled when the conversation is gone (the family's data was removed)."""
        ids = {int(r.object_ref.split(":")[1]) for r in reminders}
        found = set(Post.objects.filter(pk__in=ids).values_list("pk", flat=True))
        return {
            r.pk: Verdict.cancel("Het gesprek bestaat niet meer.")
            for r in reminders
            if int(r.object_ref.split(":")[1]) not in found
        }


class AcknowledgementRule(PostNoticeRule):
    name = "messaging.acknowledgement"
    label = "Bevestiging aan de ouder: uw bericht is aangekomen"
    kind = PostKind.ACKNOWLEDGEMENT
    texts = ACKNOWLEDGEMENT_TEXTS


class AnswerRule(PostNoticeRule):
    name = "messaging.answer"
    label = "Aan de ouder: de school heeft uw bericht beantwoord"
    kind = PostKind.STAFF
    texts = ANSWER_TEXTS


def _with_label(text: str, *parts: Translated) -> str:
    """``text``, labelled as a machine's translation when a machine translated any part."""
    machine = [part for part in parts if part.machine and part.is_translated]
    if not machine:
        return text
    (label,) = in_language(machine[0].language, MACHINE_TRANSLATED)
    return f"{text}\n\n{label}"


class AnnouncementRule(Rule):
    """A message from school, to each guardian of its audience at its moment, inside the
    school's sending hours (or the guardian's own quiet hours, when they set them)."""

    name = "messaging.announcement"
    label = "Bericht van school aan ouders"
    audience = "parents"

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        from messaging.services import quiet_hours_of

        recipients = Recipient.objects.filter(
            announcement__send_at__lte=now, announcement__send_at__gte=now - LOOK_BACK
        )
        recipients = outbox.without_rows(
            recipients,
            rule=self.name,
            object_ref=outbox.key("messaging.recipient:", "pk"),
            occurrence="1",
        ).select_related("guardian", "announcement__school")
        school_hours = {}
        memo = {}  # the stored translations, read once per school and language for the scan
        for recipient in recipients:
            announcement, guardian = recipient.announcement, recipient.guardian
            school = announcement.school
            if school.pk not in school_hours:
                school_hours[school.pk] = quiet_hours_of(school)
            own = guardian_quiet_hours(guardian.quiet_hours_start, guardian.quiet_hours_end)
            subject, body = (
                translated(
                    text, language_of_message(guardian.language), school_id=school.pk, memo=memo
                )
                for text in (announcement.subject, announcement.body)
            )
            yield _guardian_item(
                rule=self,
                guardian=guardian,
                object_ref=f"messaging.recipient:{recipient.pk}",
                school=school,
                texts=ANNOUNCEMENT_TEXTS,
                due_at=announcement.send_at,
                quiet_hours=own or school_hours[school.pk],
                subject=subject.text,
                body=_with_label(body.text, subject, body),
                link=site_link("messaging:read-link", recipient.token),
            )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        ids = {int(r.object_ref.split(":")[1]) for r in reminders}
        found = set(Recipient.objects.filter(pk__in=ids).values_list("pk", flat=True))
        return {
            r.pk: Verdict.cancel("Het bericht bestaat niet meer.")
            for r in reminders
            if int(r.object_ref.split(":")[1]) not in found
        }


GUARDIAN_REPLY = {
    "subject": "{guardian} schreef terug over {child} – {school}",
    "body": (
        "Beste {name},\n\n{guardian} ({family}) heeft op {sent} geantwoord in het gesprek over "
        "{child}: {kind}.\n\nLees en antwoord hier:\n{link}\n"
    ),
}


class GuardianReplyRule(Rule):
    """A guardian wrote again in an existing conversation: the staff member who answers it
    hears of it once, on their own terms (at once, or in their daily overview when they chose
    one). The text stays in Schouder: what parents write is read behind a login."""

    name = "messaging.guardian_reply"
    label = "Aan wie antwoordt: de ouder schreef terug in een gesprek"
    audience = "staff"
    # A parent waits for this one: at once, unless the staff member chose one message a day.
    routine = False

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        posts = Post.objects.filter(
            kind=PostKind.GUARDIAN,
            created_at__lte=now,
            created_at__gte=now - LOOK_BACK,
            thread__responsible__is_active=True,
        )
        posts = outbox.without_rows(
            posts,
            rule=self.name,
            object_ref=outbox.key("messaging.post:", "pk"),
            occurrence="1",
        ).select_related(
            "thread__opening__guardian__family",
            "thread__opening__pupil",
            "thread__school",
            "thread__responsible",
        )
        for post in posts:
            thread, opening = post.thread, post.thread.opening
            user = thread.responsible
            values = {
                "name": user.first_name or user.email,
                "guardian": opening.guardian.full_name,
                "family": opening.guardian.family.name,
                "child": opening.pupil.first_name,
                "kind": opening.get_kind_display(),
                "sent": f"{post.created_at.astimezone(AMSTERDAM):%d-%m-%Y %H:%M}",
                "school": thread.school.name,
                "link": site_link("messaging:thread-detail", thread.pk),
            }
            yield Item(
                object_ref=f"messaging.post:{post.pk}",
                recipient_key=f"auth.user:{user.pk}",
                occurrence="1",
                school_id=thread.school_id,
                recipient_name=user.get_full_name() or user.email,
                address=user.email,
                channel="email",
                language="nl",
                subject=GUARDIAN_REPLY["subject"].format(**values),
                body=GUARDIAN_REPLY["body"].format(**values),
                due_at=post.created_at,
                sender_name=thread.school.name,
            )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        """Cancelled when the conversation is gone (the family's data was removed)."""
        ids = {int(r.object_ref.split(":")[1]) for r in reminders}
        found = set(Post.objects.filter(pk__in=ids).values_list("pk", flat=True))
        return {
            r.pk: Verdict.cancel("Het gesprek bestaat niet meer.")
            for r in reminders
            if int(r.object_ref.split(":")[1]) not in found
        }


UNANSWERED = {
    "subject": "Nog geen antwoord aan {family} (antwoord uiterlijk {day}) – {school}",
    "body": (
        "Beste {name},\n\n{guardian} stuurde op {sent} een bericht over {child}: "
        "{kind}. Het antwoord was beloofd uiterlijk {day}, door {responsible}.\n\n"
        "Actie: antwoord de ouder vandaag, of bel:\n{link}\n"
    ),
}


class UnansweredRule(Rule):
    """A conversation without an answer past the school's answer term: once, the morning after
    the last day, to the staff member who answers and to the school's IB'ers."""

    name = "messaging.unanswered"
    label = (
        "Bericht van een ouder niet beantwoord binnen de termijn (aan wie antwoordt en de IB'er)"
    )
    audience = "staff"

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        today = now.astimezone(AMSTERDAM).date()
        threads = Thread.objects.waiting().filter(
            answer_by__lt=today, answer_by__gte=today - LOOK_BACK * 2
        )
        threads = outbox.without_rows(
            threads,
            rule=self.name,
            object_ref=outbox.key("messaging.thread:", "pk"),
            occurrence=outbox.key("overdue:", "answer_by"),
        ).select_related("opening__guardian__family", "opening__pupil", "school", "responsible")
        threads = list(threads)
        if not threads:
            return
        ibers = {}
        for membership in StaffMembership.objects.filter(
            school__in={t.school_id for t in threads},
            role="intern_begeleider",
            user__is_active=True,
        ).select_related("user"):
            ibers.setdefault(membership.school_id, []).append(membership.user)
        for thread in threads:
            people = {u.pk: u for u in ibers.get(thread.school_id, [])}
            if thread.responsible and thread.responsible.is_active:
                people[thread.responsible.pk] = thread.responsible
            opening = thread.opening
            due_at = datetime.datetime.combine(
                thread.answer_by + datetime.timedelta(days=1), STAFF_MORNING, tzinfo=AMSTERDAM
            )
            for user in people.values():
                values = {
                    "name": user.first_name or user.email,
                    "family": opening.guardian.family.name,
                    "guardian": opening.guardian.full_name,
                    "child": opening.pupil.first_name,
                    "kind": opening.get_kind_display(),
                    "sent": f"{opening.created_at.astimezone(AMSTERDAM):%d-%m-%Y}",
                    "day": f"{thread.answer_by:%d-%m-%Y}",
                    "responsible": (
                        thread.responsible.get_full_name() if thread.responsible else "niemand"
                    ),
                    "school": thread.school.name,
                    "link": site_link("messaging:thread-detail", thread.pk),
                }
                yield Item(
                    object_ref=f"messaging.thread:{thread.pk}",
                    recipient_key=f"auth.user:{user.pk}",
                    occurrence=f"overdue:{thread.answer_by}",
                    school_id=thread.school_id,
                    recipient_name=user.get_full_name() or user.email,
                    address=user.email,
                    channel="email",
                    language="nl",
                    subject=UNANSWERED["subject"].format(**values),
                    body=UNANSWERED["body"].format(**values),
                    due_at=due_at,
                    sender_name=thread.school.name,
                )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        """Cancelled once the school answered or marked the message handled."""
        ids = {int(r.object_ref.split(":")[1]) for r in reminders}
        waiting = set(Thread.objects.waiting().filter(pk__in=ids).values_list("pk", flat=True))
        return {
            r.pk: Verdict.cancel("De ouder heeft al antwoord.")
            for r in reminders
            if int(r.object_ref.split(":")[1]) not in waiting
        }
