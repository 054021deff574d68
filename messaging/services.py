"""State changes of conversations, messages from school and a staff member's own translation
of a text. Each function checks its rule, writes
in one transaction and raises ``MessagingError`` with a Dutch message when the rule says no.

Nothing here sends: the rules in ``messaging.reminder_rules`` turn new acknowledgements, answers
and messages into outbox rows of ``reminders``. A change that a guardian should hear of at once
asks the outbox to look right after the commit (``_look_now``) instead of waiting for the next
minute.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from messaging.models import (
    Announcement,
    AnnouncementKind,
    Audience,
    Post,
    PostKind,
    Recipient,
    SchoolMessaging,
    Thread,
    Translation,
)
from parents import portal_services
from parents import services as plan_services
from parents.models import (
    CommunicationPlan,
    ContactChannel,
    Family,
    Guardian,
    GuardianMessage,
    GuardianMessageKind,
    PupilGuardian,
    Tone,
)
from reminders.quiet import AMSTERDAM, QuietHours
from reminders.texts import in_language
from schools import permissions
from schools.calendar import school_days_after
from schools.models import Enrolment, Group, Pupil, School, SchoolYear, StaffMembership


class TranslationError(Exception):
    pass


def save_own_translation(*, translation: Translation, text: str, by: User) -> Translation:
    """Keep ``text`` as the school's own translation: it wins over the machine's from now on."""
    text = text.strip()
    if not text:
        raise TranslationError("Vul de vertaling in.")
    with transaction.atomic():
        translation.text = text
        translation.machine = False
        translation.translated_by = by
        translation.save(update_fields=["text", "machine", "translated_by", "updated_at"])
    return translation


# Who may write to the whole school at once; everyone who sees families by name may write to the
# families and groups they see.
SCHOOL_WIDE_SENDERS = frozenset({"director", "intern_begeleider", "ouder_coordinator"})

# The acknowledgement a guardian reads in the portal (and gets on their own channel) at once.
ACKNOWLEDGEMENT = gettext_noop("Dank u voor uw bericht. {staff} antwoordt u uiterlijk {day}.")
ACKNOWLEDGEMENT_NOBODY = gettext_noop(
    "Dank u voor uw bericht. De school antwoordt u uiterlijk {day}."
)


class MessagingError(Exception):
    """A rule of messaging said no; the message is Dutch (or the guardian's language)."""


def _look_now() -> None:
    """Ask the outbox to scan right after the commit, so an acknowledgement or an answer goes
    out now rather than at the next minute's tick."""
    from reminders.tasks import tick

    tick.delay_on_commit()


# --- the answer term ------------------------------------------------------------------------------


def staff_name(user: User | None) -> str:
    return (user.get_full_name() or user.email) if user else ""


def responsible_for(
    pupil: Pupil, family_id: int, today: datetime.date
) -> tuple[User | None, Group | None]:
    """(staff member, group): the contact person of the family's plan this year, else the
    first teacher of the child's group, else the school's IB'er, else its director."""
    year = SchoolYear.for_date(today)
    enrolment = (
        Enrolment.objects.filter(pupil=pupil, school_year=year).select_related("group").first()
    )
    group = enrolment.group if enrolment else None
    plan = (
        CommunicationPlan.objects.filter(
            family_id=family_id, school_year=year, contact_person__is_active=True
        )
        .select_related("contact_person")
        .first()
    )
    if plan is not None and plan.contact_person is not None:
        return plan.contact_person, group
    if group is not None:
        teacher = group.teachers.filter(is_active=True).order_by("pk").first()
        if teacher is not None:
            return teacher, group
    for role in ("intern_begeleider", "director"):
        membership = (
            StaffMembership.objects.filter(school=pupil.school_id, role=role, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            return membership.user, group
    return None, group


def format_day(day: datetime.date, language: str) -> str:
    """ "dinsdag 8 december" in the guardian's language."""
    with translation.override(language):
        return formats.date_format(day, "l j F")


def acknowledgement_text(thread: Thread, language: str) -> str:
    source = ACKNOWLEDGEMENT if thread.responsible else ACKNOWLEDGEMENT_NOBODY
    (text,) = in_language(language, source)
    return text.format(
        staff=staff_name(thread.responsible), day=format_day(thread.answer_by, language)
    )


# --- conversations --------------------------------------------------------------------------------


@transaction.atomic
def start_thread(*, message: GuardianMessage) -> Thread | None:
    """A guardian's message arrived: open its conversation, fix who answers by when, and write
    the acknowledgement in the guardian's language. A request for information (decided by the
    director on the guardian's access page) opens none."""
    if message.kind == GuardianMessageKind.INFORMATION_REQUEST:
        return None
    pupil = message.pupil
    guardian = message.guardian
    arrived = timezone.localdate(message.created_at)
    terms = SchoolMessaging.of(pupil.school)
    responsible, group = responsible_for(pupil, guardian.family_id, arrived)
    thread = Thread.objects.create(
        opening=message,
        school=pupil.school,
        group=group,
        responsible=responsible,
        answer_by=school_days_after(pupil.school, arrived, terms.answer_term_days),
    )
    Post.objects.create(
        thread=thread,
        kind=PostKind.ACKNOWLEDGEMENT,
        text=acknowledgement_text(thread, guardian.language),
    )
    _look_now()
    return thread


def _thread_for_staff(thread: Thread, by: User) -> Thread:
    if not (
        permissions.reads_names(by, thread.school_id)
        and Thread.objects.visible_to(by).filter(pk=thread.pk).exists()
    ):
        raise MessagingError(_("Dit gesprek vindt u niet bij uw leerlingen."))
    return thread


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise MessagingError(_("Schrijf een bericht."))
    if len(text) > 4000:
        raise MessagingError(_("Uw bericht is te lang. Houd het korter dan 4000 tekens."))
    return text


@transaction.atomic
def answer_thread(*, thread: Thread, by: User, text: str) -> Post:
    """A staff member answers the guardian. The first answer counts for the response time; the
    answer is a contact with the family (once a day per conversation in the contact log)."""
    _thread_for_staff(thread, by)
    text = _clean_text(text)
    thread = Thread.objects.select_for_update().select_related("opening").get(pk=thread.pk)
    start_of_day = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    logged_today = thread.posts.filter(kind=PostKind.STAFF, created_at__gte=start_of_day).exists()
    post = Post.objects.create(thread=thread, kind=PostKind.STAFF, author=by, text=text)
    if thread.answered_at is None:
        thread.answered_at = post.created_at
        thread.save(update_fields=["answered_at"])
    if not logged_today:
        opening = thread.opening
        plan_services.log_contact(
            family=opening.guardian.family,
            by=by,
            channel=ContactChannel.MESSAGE,
            tone=Tone.NEUTRAL,
            pupil=opening.pupil,
            summary=_("Bericht beantwoord: %(kind)s") % {"kind": opening.get_kind_display()},
        )
    _look_now()
    return post


@transaction.atomic
def close_thread(*, thread: Thread, by: User) -> bool:
    """Mark the guardian's message handled without (another) answer; counts as the first
    response when nobody answered yet."""
    _thread_for_staff(thread, by)
    handled = portal_services.mark_message_handled(message=thread.opening, by=by)
    Thread.objects.filter(pk=thread.pk, answered_at__isnull=True).update(answered_at=timezone.now())
    return handled


@transaction.atomic
def reply_as_guardian(*, thread: Thread, guardian: Guardian, text: str) -> Post:
    """The guardian answers in their own conversation, while they may still see the child."""
    link = PupilGuardian.objects.filter(guardian=guardian, pupil=thread.opening.pupil_id).first()
    if thread.opening.guardian_id != guardian.pk or link is None or not link.sees_child:
        raise MessagingError(_("Dit gesprek vinden wij niet bij uw account."))
    text = _clean_text(text)
    post = Post.objects.create(thread=thread, kind=PostKind.GUARDIAN, text=text)
    Thread.objects.filter(pk=thread.pk).update(guardian_read_at=post.created_at)
    _look_now()  # the staff member who answers hears of it (messaging.guardian_reply)
    return post


def mark_read_by_guardian(*, thread: Thread) -> None:
    Thread.objects.filter(pk=thread.pk).update(guardian_read_at=timezone.now())


# --- messages from school ------------------------------------------------------------------------


def audience_guardians(
    *, school: School, audience: str, family: Family | None = None, groups: Iterable[Group] = ()
) -> QuerySet[PupilGuardian]:
    """The guardian links a message to this audience goes to: guardians with an information
    right (not blocked) of present children at the school (in ``groups`` this year, or of
    ``family``)."""
    links = PupilGuardian.objects.filter(
        pupil__school=school,
        pupil__left_on__isnull=True,
        access_blocked_reason="",
        information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
    )
    if audience == Audience.FAMILY:
        links = links.filter(guardian__family=family)
    elif audience == Audience.GROUPS:
        year = SchoolYear.for_date(timezone.localdate())
        links = links.filter(
            pupil__enrolments__group__in=list(groups), pupil__enrolments__school_year=year
        )
    return links


def _check_audience(
    *, school: School, by: User, audience: str, family: Family | None, groups: Sequence[Group]
) -> None:
    if not permissions.reads_names(by, school):
        raise MessagingError(_("U kunt geen berichten sturen voor deze school."))
    if audience == Audience.FAMILY:
        if family is None or not Family.objects.visible_to(by).filter(pk=family.pk).exists():
            raise MessagingError(_("Kies een gezin."))
    elif audience == Audience.GROUPS:
        allowed = Group.objects.visible_to(by).filter(school=school)
        if not groups or allowed.filter(pk__in=[g.pk for g in groups]).count() != len(groups):
            raise MessagingError(_("Kies een of meer van uw groepen."))
    elif audience == Audience.SCHOOL:
        if not permissions.holds_role(by, SCHOOL_WIDE_SENDERS, school):
            raise MessagingError(
                _("Een bericht aan de hele school stuurt de directeur, IB'er of ouder-coördinator.")
            )
    else:
        raise MessagingError(_("Kies aan wie het bericht gaat."))


def _check_moment(
    school: School, send_at: datetime.datetime | None, now: datetime.datetime
) -> datetime.datetime:
    """A planned moment lies ahead, on a weekday other than Sunday, in the school's hours."""
    if send_at is None:
        return now
    if send_at < now - datetime.timedelta(minutes=1):
        raise MessagingError(_("Dit moment is al voorbij. Kies een later moment, of verstuur nu."))
    terms = SchoolMessaging.of(school)
    local = send_at.astimezone(AMSTERDAM)
    if local.weekday() == 6 or not terms.in_sending_hours(local.time()):
        raise MessagingError(
            _("Kies een moment tussen %(start)s en %(end)s uur, niet op zondag.")
            % {"start": f"{terms.sending_from:%H:%M}", "end": f"{terms.sending_until:%H:%M}"}
        )
    return send_at


@transaction.atomic
def send_announcement(
    *,
    school: School,
    by: User,
    audience: str,
    subject: str,
    body: str,
    kind: str = AnnouncementKind.NEWS,
    family: Family | None = None,
    groups: Iterable[Group] = (),
    send_at: datetime.datetime | None = None,
) -> Announcement:
    """Write a message from school to one family, some groups or the whole school, now or at
    ``send_at`` (in the school's sending hours). Every guardian of the audience gets it
    separately. Good news goes to one family, now, and counts as a positive contact."""
    groups = list(groups)
    _check_audience(school=school, by=by, audience=audience, family=family, groups=groups)
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise MessagingError(_("Vul een onderwerp in."))
    if not body:
        raise MessagingError(_("Schrijf een bericht."))
    if kind == AnnouncementKind.GOOD_NEWS and audience != Audience.FAMILY:
        raise MessagingError(_("Goed nieuws stuurt u aan één gezin."))
    if kind == AnnouncementKind.GOOD_NEWS and send_at is not None:
        raise MessagingError(_("Goed nieuws gaat meteen: kies geen later moment."))
    now = timezone.now()
    send_at = _check_moment(school, send_at, now)
    links = audience_guardians(school=school, audience=audience, family=family, groups=groups)
    guardians = dict(links.values_list("guardian_id", "guardian__family_id").distinct())
    if not guardians:
        raise MessagingError(_("Er is niemand om dit bericht aan te sturen."))
    announcement = Announcement.objects.create(
        school=school,
        author=by,
        kind=kind,
        audience=audience,
        family=family if audience == Audience.FAMILY else None,
        subject=subject,
        body=body,
        send_at=send_at,
    )
    if audience == Audience.GROUPS:
        announcement.groups.set(groups)
    Recipient.objects.bulk_create(
        Recipient(announcement=announcement, guardian_id=guardian, family_id=family_id)
        for guardian, family_id in sorted(guardians.items())
    )
    if kind == AnnouncementKind.GOOD_NEWS:
        assert family is not None  # good news goes to one family (_check_audience)
        plan_services.log_contact(
            family=family,
            by=by,
            channel=ContactChannel.MESSAGE,
            tone=Tone.POSITIVE,
            summary=_("Goed nieuws: %(subject)s") % {"subject": subject},
        )
    if send_at <= now:
        _look_now()
    return announcement


def mark_opened(*, recipient: Recipient) -> bool:
    """The guardian opened the message (in the portal, or by its link): the first time counts."""
    return bool(
        Recipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    )


MAX_ANSWER_TERM_DAYS = 10


@transaction.atomic
def set_school_terms(
    *,
    school: School,
    by: User | AnonymousUser,
    answer_term_days: int,
    sending_from: datetime.time,
    sending_until: datetime.time,
) -> SchoolMessaging:
    """The director sets within how many school days parents get an answer (for messages that
    arrive from now on) and between which hours messages from school go out."""
    if not permissions.holds_role(by, permissions.MESSAGING_TERM_KEEPERS, school):
        raise MessagingError(_("Alleen de directeur stelt dit in."))
    if not 1 <= answer_term_days <= MAX_ANSWER_TERM_DAYS:
        raise MessagingError(
            _("Kies een termijn van 1 tot en met %(most)s schooldagen.")
            % {"most": MAX_ANSWER_TERM_DAYS}
        )
    if sending_from >= sending_until:
        raise MessagingError(_("De begintijd moet voor de eindtijd liggen."))
    terms, _created = SchoolMessaging.objects.update_or_create(
        school=school,
        defaults={
            "answer_term_days": answer_term_days,
            "sending_from": sending_from,
            "sending_until": sending_until,
        },
    )
    return terms


def quiet_hours_of(school: School) -> QuietHours:
    """The school's sending hours as quiet hours for the outbox: nothing outside them, nor on
    Sunday."""
    terms = SchoolMessaging.of(school)
    return QuietHours(start=terms.sending_until, end=terms.sending_from, sunday=True)
