"""Reminders to guardians that read the parents app's tables.

Document 000, "herhaal, herhaal, herhaal": a first message at the start of the year, then a short
reminder a week later. Each guardian with a child at the school gets their own message (separated
parents each their own, never a copy to the other), in their own language.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_noop
from zeal import zeal_ignore

from parents.models import Guardian, PupilGuardian
from reminders import outbox, queries
from reminders.quiet import QuietHours
from reminders.registry import Item, Rule, Verdict
from reminders.texts import in_language, language_of_message
from schools import permissions
from schools.calendar import first_school_day, first_school_days
from schools.models import School
from schools.reminder_rules import AMSTERDAM, responsible_emails, start_of_year_moment

if TYPE_CHECKING:
    from parents.models import Agreement, ContactMoment
    from reminders.models import Reminder
    from schools.models import SchoolYear

REPEAT_AFTER = datetime.timedelta(days=7)
# The welcome goes out in the first weeks of the school year only.
WELCOME_WEEKS = datetime.timedelta(weeks=4)

# Short and at B1 level: the school's name and the one action. Translated in locale/.
WELCOME = (
    gettext_noop("Welkom op {school}"),
    gettext_noop(
        "Beste {name},\n\nWelkom op {school}! Wij werken dit jaar graag samen met u. U kent uw "
        "kind het best, wij zien uw kind op school. Samen weten we meer.\n\n"
        "Wat wij vragen: antwoord op dit bericht en vertel hoe en wanneer wij u het best kunnen "
        "bereiken.\n\nMet vriendelijke groet,\n{school}"
    ),
)
WELCOME_REPEAT = (
    gettext_noop("Nog even: hoe bereiken wij u?"),
    gettext_noop(
        "Beste {name},\n\nVorige week stuurden wij u een welkom van {school}. Wij horen graag "
        "hoe en wanneer wij u het best kunnen bereiken. Antwoord op dit bericht, of spreek de "
        "leerkracht aan op het schoolplein.\n\n{school}"
    ),
)


def _eligible(
    year: SchoolYear, guardian_ids: Iterable[int] | None = None
) -> QuerySet[PupilGuardian, tuple[Any, ...]]:
    """(school, guardian) pairs: a guardian who may receive information about a child enrolled
    at the school this year. Blocked access or no information right means no message."""
    links = PupilGuardian.objects.filter(
        pupil__enrolments__school_year=year,
        pupil__left_on__isnull=True,
        access_blocked_reason="",
        information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
    )
    if guardian_ids is not None:
        links = links.filter(guardian_id__in=guardian_ids)
    return links.values_list(*GUARDIAN_AT_SCHOOL).distinct()


# The columns of a (school, guardian) row of the parents' rules, read from PupilGuardian.
GUARDIAN_AT_SCHOOL = (
    "pupil__school_id",
    "pupil__school__name",
    "pupil__school__holiday_region",
    "guardian_id",
    "guardian__first_name",
    "guardian__infix",
    "guardian__last_name",
    "guardian__email",
    "guardian__phone",
    "guardian__language",
    "guardian__quiet_hours_start",
    "guardian__quiet_hours_end",
    "guardian__preferred_channels",
)


def guardian_name(first: str, infix: str, last: str) -> str:
    return " ".join(part for part in (first, infix, last) if part)


def guardian_route(
    email: str, phone: str, channels: Sequence[str] | None = ()
) -> tuple[str, str, str]:
    """(channel, address, note): the first channel the guardian chose (portal) that Schouder
    can send by and has an address for; else e-mail, else a text message, with a Dutch note for
    the school saying why the guardian's choice could not be followed."""
    addresses = {"email": email, "sms": phone}
    for channel in channels or ():
        if addresses.get(channel):
            break
    else:
        channel = None
    if channel:
        return channel, addresses[channel], _route_note(channels, channel, addresses)
    fallback = ("email", email) if email else ("sms", phone) if phone else ("email", "")
    return (*fallback, _route_note(channels, fallback[0], addresses) if fallback[1] else "")


def _route_note(channels: Sequence[str] | None, used: str, addresses: dict[str, str]) -> str:
    if not channels or channels[0] == used:
        return ""
    from parents.models import Channel

    wanted = channels[0]
    label = dict(Channel.choices).get(wanted, wanted)
    if wanted in addresses:
        why = "geen telefoonnummer bekend" if wanted == "sms" else "geen e-mailadres bekend"
    else:
        why = "Schouder kan zo niet versturen"
    used_label = "e-mail" if used == "email" else "sms"
    return f"Ouder koos {label} ({why}); verstuurd per {used_label}."


def guardian_address(
    email: str, phone: str, channels: Sequence[str] | None = ()
) -> tuple[str, str]:
    """(channel, address) as ``guardian_route`` chooses them."""
    return guardian_route(email, phone, channels)[:2]


def guardians_wanting_one_message_a_day(recipient_keys: Iterable[str]) -> set[tuple[str, str]]:
    """{(recipient_key, channel)}: the guardians among ``recipient_keys`` who chose one message
    a day over a channel (in the portal). For reminders, which imports no app. One query."""
    prefix = "parents.guardian:"
    ids = {int(key[len(prefix) :]) for key in recipient_keys if key.startswith(prefix)}
    if not ids:
        return set()
    rows = Guardian.objects.filter(pk__in=ids).exclude(daily_channels=[])
    return {
        (f"{prefix}{pk}", channel)
        for pk, channels in rows.values_list("pk", "daily_channels")
        for channel in channels
    }


def guardian_quiet_hours(
    start: datetime.time | None, end: datetime.time | None
) -> QuietHours | None:
    """The guardian's own quiet hours (set in the portal), when they set both ends; else None:
    the default quiet hours."""
    if start is not None and end is not None and start != end:
        return QuietHours(start=start, end=end)
    return None


def _welcoming(first_day: datetime.date, today: datetime.date) -> bool:
    return today < first_day + WELCOME_WEEKS


def welcomes_new_guardians(school: School, today: datetime.date) -> bool:
    """Whether a guardian added to ``school`` today still gets the start-of-year welcome: before
    and in the first weeks of the school year, not after (see ``WelcomeRule.candidates``)."""
    from schools.models import SchoolYear

    return _welcoming(first_school_day(school, SchoolYear.for_date(today)), today)


class WelcomeRule(Rule):
    name = "parents.welcome"
    label = "Welkom aan het begin van het schooljaar"
    audience = "parents"
    texts = WELCOME

    def _year(self, now: datetime.datetime) -> SchoolYear:
        from schools.models import SchoolYear

        return SchoolYear.for_date(now.astimezone(AMSTERDAM).date())

    def due_at(
        self,
        *,
        first_day: datetime.date,
        year: SchoolYear,
        now: datetime.datetime,
        school_id: int,
        guardian_id: int,
        sent: dict[tuple[str, str], datetime.datetime],
    ) -> datetime.datetime | None:
        return start_of_year_moment(first_day, year, now)

    def candidates(
        self, year: SchoolYear, now: datetime.datetime
    ) -> tuple[Iterable[tuple[Any, ...]], dict[tuple[str, str], datetime.datetime]]:
        """(guardian rows without a row of this rule yet, {(object_ref, recipient_key): the
        moment the welcome went out}). Only in the first weeks of the school year (per holiday
        region): a family that arrives in December is welcomed by people, not by a message
        written for the first school day."""
        today = now.astimezone(AMSTERDAM).date()
        first_days = first_school_days(School.objects.values_list("pk", flat=True), year)
        welcoming = [pk for pk, day in first_days.items() if _welcoming(day, today)]
        if not welcoming:
            return [], {}
        rows = _eligible(year).filter(pupil__school_id__in=welcoming)
        return self._without_rows(rows, year), {}

    def _without_rows(
        self, rows: QuerySet[PupilGuardian, tuple[Any, ...]], year: SchoolYear
    ) -> QuerySet[PupilGuardian, tuple[Any, ...]]:
        return outbox.without_rows(
            rows,
            rule=self.name,
            object_ref=outbox.key("schools.school:", "pupil__school_id"),
            recipient_key=outbox.key("parents.guardian:", "guardian_id"),
            occurrence=year.label,
        )

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        year = self._year(now)
        rows, sent = self.candidates(year, now)
        rows = list(rows)
        if not rows:
            return
        reply_to = responsible_emails({r[0] for r in rows}, ["ouder_coordinator", "director"])
        first_days = first_school_days({r[0] for r in rows}, year)
        for row in rows:
            school_id, school, region, guardian_id, first, infix, last, email, phone, lang = row[
                :10
            ]
            due_at = self.due_at(
                first_day=first_days[school_id],
                year=year,
                now=now,
                school_id=school_id,
                guardian_id=guardian_id,
                sent=sent,
            )
            if due_at is None or due_at > now:
                continue
            yield guardian_item(
                guardian_id=guardian_id,
                names=(first, infix, last),
                email=email,
                phone=phone,
                channels=row[12],
                language=lang,
                quiet_hours=row[10:12],
                texts=self.texts,
                context={},
                object_ref=f"schools.school:{school_id}",
                occurrence=year.label,
                school_id=school_id,
                school=school,
                due_at=due_at,
                reply_to=reply_to.get(school_id, ""),
            )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        """Still a guardian with information rights at this school? Same address?"""
        from schools.models import SchoolYear

        current = {}
        for year in SchoolYear.objects.filter(label__in={r.occurrence for r in reminders}):
            guardian_ids = {
                int(r.recipient_key.split(":")[1]) for r in reminders if r.occurrence == year.label
            }
            for row in _eligible(year, guardian_ids):
                key = (year.label, f"schools.school:{row[0]}", f"parents.guardian:{row[3]}")
                current[key] = guardian_address(row[7], row[8], row[12])
        verdicts = {}
        for reminder in reminders:
            found = current.get((reminder.occurrence, reminder.object_ref, reminder.recipient_key))
            if found is None:
                verdicts[reminder.pk] = Verdict.cancel(
                    "Geen kind meer op school, of geen recht op informatie."
                )
            elif not found[1]:
                verdicts[reminder.pk] = Verdict.cancel("Geen e-mailadres of telefoonnummer meer.")
            elif found != (reminder.channel, reminder.address):
                verdicts[reminder.pk] = Verdict.send_to(found[1], channel=found[0])
        return verdicts


class WelcomeRepeatRule(WelcomeRule):
    """A week after the welcome went out, a short reminder of the one question."""

    name = "parents.welcome_repeat"
    label = "Herhaling van het welkom, een week later"
    texts = WELCOME_REPEAT

    def candidates(
        self, year: SchoolYear, now: datetime.datetime
    ) -> tuple[Iterable[tuple[Any, ...]], dict[tuple[str, str], datetime.datetime]]:
        """Only the guardians whose welcome went out a week ago and who have no repeat yet."""
        sent = queries.sent_without_follow_up(
            WelcomeRule.name, year.label, follow_up=self.name, sent_before=now - REPEAT_AFTER
        )
        if not sent:
            return [], {}
        guardian_ids = {int(key.split(":")[1]) for _ref, key in sent}
        return self._without_rows(_eligible(year, guardian_ids), year), sent

    def due_at(
        self,
        *,
        first_day: datetime.date,
        year: SchoolYear,
        now: datetime.datetime,
        school_id: int,
        guardian_id: int,
        sent: dict[tuple[str, str], datetime.datetime],
    ) -> datetime.datetime | None:
        sent_at = sent.get((f"schools.school:{school_id}", f"parents.guardian:{guardian_id}"))
        return sent_at + REPEAT_AFTER if sent_at else None


# --- parents: photo consent ----------------------------------------------------------------------
#
# Every school year the school asks each guardian with parental authority whether their children
# may appear in photos and videos, and for what (``parents.consent``). The question goes out on
# the first school day (or the day a family arrives), then a reminder every week while they have
# not answered, at most ``CONSENT_REPEATS`` times: after that the dashboard counts the family as
# not answered, for a personal word from the teacher (parents who do not answer messages rarely
# answer the seventh one).

CONSENT_REPEATS = 5
CONSENT_TEXTS = (
    gettext_noop("Mag uw kind op foto's van school? – {school}"),
    gettext_noop(
        "Beste {name},\n\nOp {school} maken wij soms foto's en video's, bijvoorbeeld voor de "
        "website of de nieuwsbrief. Mag {children} daarop staan? U kiest zelf waarvoor wel en "
        "waarvoor niet.\n\nWat wij vragen: geef uw antwoord in het ouderportaal:\n{link}\n\n"
        "Zonder antwoord zetten wij uw kind niet op foto's.\n\nMet vriendelijke groet,\n{school}"
    ),
)
CONSENT_REPEAT_TEXTS = (
    gettext_noop("Nog geen antwoord: foto's van uw kind – {school}"),
    gettext_noop(
        "Beste {name},\n\nWij vroegen u of {children} op foto's en video's van {school} mag. "
        "Wij hebben uw antwoord nog niet.\n\nGeef uw antwoord in het ouderportaal:\n{link}\n\n"
        "Vragen? Antwoord op dit bericht.\n\n{school}"
    ),
)


def _consent_rows(
    year: SchoolYear, guardian_ids: Iterable[int] | None = None
) -> QuerySet[PupilGuardian, tuple[Any, ...]]:
    """(school, guardian, child's first name) rows of the guardians who still have to answer."""
    from parents.consent import unanswered_links

    links = unanswered_links(year)
    if guardian_ids is not None:
        links = links.filter(guardian_id__in=guardian_ids)
    return links.values_list(*GUARDIAN_AT_SCHOOL, "pupil__first_name").distinct()


def _consent_step(year: SchoolYear, step: int) -> str:
    return f"{year.label}:{step}"


class PhotoConsentRule(Rule):
    """The question about photo consent, then a weekly reminder while unanswered; an answer
    cancels what is still waiting."""

    name = "parents.photo_consent"
    label = "Toestemming beeldmateriaal vragen, en herinneren zolang niet beantwoord"
    audience = "parents"

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        from schools.models import SchoolYear

        year = SchoolYear.for_date(_today(now))
        found = []  # (step, rows, {(object_ref, recipient_key): previous sent_at})
        first = outbox.without_rows(
            _consent_rows(year),
            rule=self.name,
            object_ref=outbox.key("schools.school:", "pupil__school_id"),
            recipient_key=outbox.key("parents.guardian:", "guardian_id"),
            occurrence=_consent_step(year, 0),
        )
        found.append((0, list(first), {}))
        for step in range(1, CONSENT_REPEATS + 1):
            sent = queries.sent_without_follow_up(
                self.name,
                _consent_step(year, step - 1),
                follow_up=self.name,
                follow_up_occurrence=_consent_step(year, step),
                sent_before=now - WEEK,
            )
            if sent:
                guardian_ids = {int(key.split(":")[1]) for _ref, key in sent}
                found.append((step, list(_consent_rows(year, guardian_ids)), sent))
        schools = {row[0] for _step, rows, _sent in found for row in rows}
        if not schools:
            return
        first_days = first_school_days(schools, year)
        reply_to = responsible_emails(schools, ["ouder_coordinator", "director"])
        link = site_link("parents:portal-photo-consent")
        for step, rows, sent in found:
            for (school_id, guardian_id), (row, children) in _by_guardian(rows).items():
                ref, key = f"schools.school:{school_id}", f"parents.guardian:{guardian_id}"
                if step == 0:
                    due_at = start_of_year_moment(first_days[school_id], year, now)
                elif (ref, key) in sent:
                    due_at = sent[(ref, key)] + WEEK
                else:
                    continue
                if due_at > now:
                    continue
                texts = CONSENT_TEXTS if step == 0 else CONSENT_REPEAT_TEXTS
                yield self._item(row, children, year, step, due_at, texts, link, reply_to)

    def _item(
        self,
        row: tuple[Any, ...],
        children: str,
        year: SchoolYear,
        step: int,
        due_at: datetime.datetime,
        texts: tuple[str, str],
        link: str,
        reply_to: dict[int, str],
    ) -> Item:
        school_id, school, _region, guardian_id, first, infix, last, email, phone, lang = row[:10]
        language = language_of_message(lang)
        subject, body = in_language(language, *texts)
        name = guardian_name(first, infix, last)
        channel, address, note = guardian_route(email, phone, row[12])
        context = {"school": school, "name": name, "children": children, "link": link}
        return Item(
            object_ref=f"schools.school:{school_id}",
            recipient_key=f"parents.guardian:{guardian_id}",
            occurrence=_consent_step(year, step),
            school_id=school_id,
            recipient_name=name,
            address=address,
            channel=channel,
            language=language,
            subject=subject.format(**context),
            body=body.format(**context),
            due_at=due_at,
            sender_name=school,
            reply_to=reply_to.get(school_id, ""),
            quiet_hours=guardian_quiet_hours(*row[10:12]),
            note=note,
        )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        """Cancelled once the guardian answered for every child at the school (or no longer
        decides about one); sent to the new address when it changed."""
        from schools.models import SchoolYear

        labels = {r.occurrence.split(":")[0] for r in reminders}
        current = {}
        for year in SchoolYear.objects.filter(label__in=labels):
            ids = {_user_pk(r) for r in reminders if r.occurrence.startswith(f"{year.label}:")}
            for row in _consent_rows(year, ids):
                key = (year.label, f"schools.school:{row[0]}", f"parents.guardian:{row[3]}")
                current[key] = guardian_address(row[7], row[8], row[12])
        verdicts = {}
        for reminder in reminders:
            label = reminder.occurrence.split(":")[0]
            found = current.get((label, reminder.object_ref, reminder.recipient_key))
            if found is None:
                verdicts[reminder.pk] = Verdict.cancel("De ouder heeft al geantwoord.")
            elif not found[1]:
                verdicts[reminder.pk] = Verdict.cancel("Geen e-mailadres of telefoonnummer meer.")
            elif found != (reminder.channel, reminder.address):
                verdicts[reminder.pk] = Verdict.send_to(found[1], channel=found[0])
        return verdicts


def _by_guardian(
    rows: Iterable[tuple[Any, ...]],
) -> dict[tuple[int, int], tuple[tuple[Any, ...], str]]:
    """{(school, guardian): (row, "Amira en Youssef")}: one message per guardian per school,
    naming the children still to answer for."""
    from django.utils.text import get_text_list

    found = {}
    for row in rows:
        entry = found.setdefault((row[0], row[3]), (row[:-1], []))
        if row[-1] not in entry[1]:
            entry[1].append(row[-1])
    return {key: (row, get_text_list(sorted(names), "&")) for key, (row, names) in found.items()}


# --- staff: the communication plan ---------------------------------------------------------------
#
# Document 003: a plan only works when the moments in it happen. The staff member who is
# responsible hears of a moment two days before and on the day, then weekly while it is overdue;
# whoever noted a concern hears when its follow-up day passed without contact; the contact
# person hears weekly of families who heard nothing positive this term; the IB'er and the
# ouder-coördinator hear weekly of families nobody reached for weeks. Staff texts are Dutch.

STAFF_MORNING = datetime.time(8, 0)
WEEK = datetime.timedelta(days=7)
# A new term starts with nobody having heard anything positive yet: give it two weeks.
POSITIVE_GRACE = datetime.timedelta(days=14)
NAMES_SHOWN = 15
# Weekly reminders of an overdue moment stop after this many weeks; then the IB'er hears once.
OVERDUE_WEEKS = 3


def _morning(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, STAFF_MORNING, tzinfo=AMSTERDAM)


def _today(now: datetime.datetime) -> datetime.date:
    return now.astimezone(AMSTERDAM).date()


def site_link(name: str, *args: object) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _active_users(ids: Iterable[int]) -> dict[Any, Any]:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=set(ids), is_active=True).in_bulk()


def _staff_name(user: Any) -> str:
    return f"{user.first_name} {user.last_name}".strip() or user.email


def _moment_context(
    user: Any, agreement: Agreement, moment: ContactMoment, link: str, **extra: object
) -> dict[str, object]:
    """The placeholders of a contact moment's message to a staff member."""
    return {
        "name": user.first_name or _staff_name(user),
        "family": agreement.plan.family.name,
        "child": agreement.pupil.first_name,
        "what": agreement.what,
        "channel": agreement.get_channel_display(),
        "day": f"{moment.due_on:%d-%m-%Y}",
        "school": agreement.pupil.school.name,
        "link": link,
        **extra,
    }


def _staff_item(
    *,
    user: Any,
    object_ref: str,
    occurrence: str,
    school_id: int,
    school: str,
    subject: str,
    body: str,
    due_at: datetime.datetime,
) -> Item:
    return Item(
        object_ref=object_ref,
        recipient_key=f"auth.user:{user.pk}",
        occurrence=occurrence,
        school_id=school_id,
        recipient_name=_staff_name(user),
        address=user.email,
        channel="email",
        language="nl",
        subject=subject,
        body=body,
        due_at=due_at,
        sender_name=school,
    )


def guardian_item(
    *,
    guardian_id: int,
    names: tuple[str, str, str],
    email: str,
    phone: str,
    channels: Sequence[str] | None,
    language: str,
    quiet_hours: tuple[datetime.time | None, datetime.time | None],
    texts: tuple[str, str],
    context: dict[str, object],
    object_ref: str,
    occurrence: str,
    school_id: int,
    school: str,
    due_at: datetime.datetime,
    reply_to: str = "",
) -> Item:
    """A reminder to one guardian: by the channel they chose (``guardian_route``), in their own
    language, within their own quiet hours. ``names`` is (first, infix, last), ``quiet_hours``
    (start, end) as the portal keeps them; ``texts`` (subject, body) are the Dutch sources, filled
    in with ``context`` plus the guardian's ``name`` and the ``school``."""
    language = language_of_message(language)
    name = guardian_name(*names)
    channel, address, note = guardian_route(email, phone, channels)
    subject, body = in_language(language, *texts)
    context = {"school": school, "name": name, **context}
    return Item(
        object_ref=object_ref,
        recipient_key=f"parents.guardian:{guardian_id}",
        occurrence=occurrence,
        school_id=school_id,
        recipient_name=name,
        address=address,
        channel=channel,
        language=language,
        subject=subject.format(**context),
        body=body.format(**context),
        due_at=due_at,
        sender_name=school,
        reply_to=reply_to,
        quiet_hours=guardian_quiet_hours(*quiet_hours),
        note=note,
    )


def _ref_pk(reminder: Reminder) -> int:
    return int(reminder.object_ref.split(":")[1])


def _user_pk(reminder: Reminder) -> int:
    return int(reminder.recipient_key.split(":")[1])


def _family_schools(family_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """{family pk: (school pk, school name)}: the school of a present child of the family."""
    rows = (
        PupilGuardian.objects.filter(
            guardian__family_id__in=set(family_ids), pupil__left_on__isnull=True
        )
        .order_by("pupil_id")
        .values_list("guardian__family_id", "pupil__school_id", "pupil__school__name")
    )
    found = {}
    for family_id, school_id, school in rows:
        found.setdefault(family_id, (school_id, school))
    return found


MOMENT_TEXTS = {
    "2-days-before": (
        "Over twee dagen: contact met {family} – {school}",
        "Beste {name},\n\nOp {day} staat een contactmoment met {family} over {child}: {what} "
        "({channel}).\n\nActie: zet het in uw agenda. Na het contact vult u in hoe het ging:\n"
        "{link}\n",
    ),
    "on-the-day": (
        "Vandaag: contact met {family} – {school}",
        "Beste {name},\n\nVandaag staat een contactmoment met {family} over {child}: {what} "
        "({channel}).\n\nActie: neem contact op en vul daarna in hoe het ging:\n{link}\n",
    ),
    "overdue": (
        "Nog niet gedaan: contact met {family} (sinds {day}) – {school}",
        "Beste {name},\n\nOp {day} stond een contactmoment met {family} over {child}: {what} "
        "({channel}). Het staat nog open.\n\nActie: neem contact op, of zet het moment op een "
        "nieuwe datum:\n{link}\n",
    ),
}


class ContactMomentRule(Rule):
    """A planned contact moment: two days before, on the day, then weekly while overdue (for
    ``OVERDUE_WEEKS`` weeks, then ``ContactMomentEscalationRule`` tells the IB'er once), to the
    staff member responsible. Held, missed or moved: the re-check cancels (the day is part of
    the occurrence, so a moved moment is reminded of on its new day). Only moments of the
    current school year: last year's open moments are history, not work."""

    name = "parents.contact_moment"
    label = "Contactmoment uit het communicatieplan (vooraf, op de dag, te laat)"
    audience = "staff"

    def _moments(
        self, queryset: QuerySet[ContactMoment], occurrence: str
    ) -> QuerySet[ContactMoment]:
        """``queryset`` without the moments this occurrence already has a row for."""
        return outbox.without_rows(
            queryset.select_related("agreement__pupil__school", "agreement__plan__family"),
            rule=self.name,
            object_ref=outbox.key("parents.contactmoment:", "pk"),
            occurrence=outbox.key(occurrence, "due_on"),
        )

    def candidates(
        self, today: datetime.date, year: SchoolYear
    ) -> Iterator[tuple[QuerySet[ContactMoment], str, datetime.date | None]]:
        """(moments, occurrence prefix, due day) per step; each one query, read only for the
        moments that have no row for the step yet."""
        from parents import queries as plan_queries

        yield (
            plan_queries.moments_due_on(today + datetime.timedelta(2)),
            "2-days-before:",
            today,
        )
        yield plan_queries.moments_due_on(today), "on-the-day:", today
        overdue = plan_queries.overdue_moments(today).filter(due_on__gte=year.start)
        for weeks in range(1, OVERDUE_WEEKS + 1):
            # ``weeks`` whole weeks overdue: the weekly reminder of that week.
            in_week = overdue.filter(
                due_on__lte=today - weeks * WEEK, due_on__gt=today - (weeks + 1) * WEEK
            )
            yield in_week, f"overdue-{weeks}:", None

    def _nobody(self, moment: ContactMoment, occurrence: str) -> None:
        outbox.mark_looked(
            rule=self.name,
            occurrence=occurrence,
            object_refs=[f"parents.contactmoment:{moment.pk}"],
        )

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        from schools.models import SchoolYear

        today = _today(now)
        found = []
        for queryset, prefix, day in self.candidates(today, SchoolYear.for_date(today)):
            for moment in self._moments(queryset, prefix):
                weeks = (today - moment.due_on).days // 7
                due_at = _morning(day or moment.due_on + weeks * WEEK)
                found.append((moment, f"{prefix}{moment.due_on}", due_at))
        if not found:
            return
        users = _active_users(m.agreement.responsible_id for m, _o, _d in found)
        link = site_link("parents:this-week")
        for moment, occurrence, due_at in found:
            user = users.get(moment.agreement.responsible_id)
            if user is None:
                # Nobody (active) is responsible: nothing to send, and no need to look again.
                self._nobody(moment, occurrence)
                continue
            if due_at > now:
                continue
            agreement = moment.agreement
            school = agreement.pupil.school
            kind = "overdue" if occurrence.startswith("overdue") else occurrence.split(":")[0]
            subject, body = MOMENT_TEXTS[kind]
            context = _moment_context(user, agreement, moment, link)
            yield _staff_item(
                user=user,
                object_ref=f"parents.contactmoment:{moment.pk}",
                occurrence=occurrence,
                school_id=school.pk,
                school=school.name,
                subject=subject.format(**context),
                body=body.format(**context),
                due_at=due_at,
            )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        from parents.models import ContactMoment, MomentStatus

        current = {
            pk: (status, due_on, responsible)
            for pk, status, due_on, responsible in ContactMoment.objects.filter(
                pk__in={_ref_pk(r) for r in reminders}
            ).values_list("pk", "status", "due_on", "agreement__responsible_id")
        }
        verdicts = {}
        for reminder in reminders:
            status, due_on, responsible = current.get(_ref_pk(reminder), (None, None, None))
            if status != MomentStatus.PLANNED or not reminder.occurrence.endswith(f":{due_on}"):
                verdicts[reminder.pk] = Verdict.cancel(
                    "Het moment is al gehouden, niet gelukt of verzet."
                )
            elif responsible != _user_pk(reminder):
                verdicts[reminder.pk] = Verdict.cancel("Iemand anders is nu verantwoordelijk.")
        return verdicts


ESCALATION = {
    "subject": "Al {weeks} weken te laat: contact met {family} – {school}",
    "body": (
        "Beste {name},\n\nOp {day} stond een contactmoment met {family} over {child}: {what} "
        "({channel}). {responsible} is verantwoordelijk en kreeg {weeks} weken lang elke week een "
        "herinnering, maar het moment staat nog open.\n\nActie: vraag na wat er nodig is, of "
        "plan het contact samen opnieuw:\n{link}\n"
    ),
}


class ContactMomentEscalationRule(ContactMomentRule):
    """A moment still open after the weekly overdue reminders ended: one message to the IB'ers of
    the school, instead of a reminder to the responsible one every week for ever."""

    name = "parents.contact_moment_escalated"
    label = "Contactmoment al weken te laat (eenmalig, aan de IB'er)"
    roles = ("intern_begeleider",)

    def candidates(
        self, today: datetime.date, year: SchoolYear
    ) -> Iterator[tuple[QuerySet[ContactMoment], str, datetime.date | None]]:
        from parents import queries as plan_queries

        overdue = plan_queries.overdue_moments(today).filter(
            due_on__gte=year.start, due_on__lte=today - (OVERDUE_WEEKS + 1) * WEEK
        )
        yield overdue, "escalated:", None

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        from schools.models import SchoolYear, StaffMembership

        today = _today(now)
        ((queryset, prefix, _day),) = self.candidates(today, SchoolYear.for_date(today))
        moments = list(self._moments(queryset, prefix))
        if not moments:
            return
        staff = defaultdict(set)
        for school_id, user_id in StaffMembership.objects.filter(
            school_id__in={m.agreement.pupil.school_id for m in moments}, role__in=self.roles
        ).values_list("school_id", "user_id"):
            staff[school_id].add(user_id)
        users = _active_users(
            [u for ids in staff.values() for u in ids]
            + [m.agreement.responsible_id for m in moments]
        )
        link = site_link("parents:this-week")
        for moment in moments:
            agreement = moment.agreement
            school = agreement.pupil.school
            responsible = users.get(agreement.responsible_id)
            if not any(users.get(u) for u in staff.get(school.pk, ())):
                self._nobody(moment, f"{prefix}{moment.due_on}")
            for user_id in sorted(staff.get(school.pk, ())):
                user = users.get(user_id)
                if user is None:
                    continue
                context = _moment_context(
                    user,
                    agreement,
                    moment,
                    link,
                    weeks=OVERDUE_WEEKS,
                    responsible=_staff_name(responsible) if responsible else "Niemand",
                )
                yield _staff_item(
                    user=user,
                    object_ref=f"parents.contactmoment:{moment.pk}",
                    occurrence=f"{prefix}{moment.due_on}",
                    school_id=school.pk,
                    school=school.name,
                    subject=ESCALATION["subject"].format(**context),
                    body=ESCALATION["body"].format(**context),
                    due_at=_morning(moment.due_on + (OVERDUE_WEEKS + 1) * WEEK),
                )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        """Cancelled when the moment was held, missed or moved meanwhile."""
        from parents.models import ContactMoment, MomentStatus

        current = dict(
            ContactMoment.objects.filter(pk__in={_ref_pk(r) for r in reminders}).values_list(
                "pk", "status"
            )
        )
        return {
            r.pk: Verdict.cancel("Het moment is al gehouden, niet gelukt of verzet.")
            for r in reminders
            if current.get(_ref_pk(r)) != MomentStatus.PLANNED
        }


CONCERN = {
    "subject": "Zorg over {family}: nog geen vervolg – {school}",
    "body": (
        "Beste {name},\n\nOp {day} schreef u een zorg op over {family}{child}. Het vervolg "
        "stond op {follow_up}, maar daarna is er nog geen contact geweest.\n\n"
        "Actie: neem contact op met het gezin en schrijf op hoe het ging:\n{link}\n"
    ),
}


class ConcernFollowUpRule(Rule):
    """A concern whose follow-up day came without any later contact: to whoever noted it, on the
    follow-up day and then weekly for ``OVERDUE_WEEKS`` weeks. Any later contact with the family
    cancels."""

    name = "parents.concern_follow_up"
    label = "Zorg zonder vervolg (aan wie de zorg noteerde)"
    audience = "staff"

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        from parents import queries as plan_queries

        today = _today(now)
        concerns = []
        for weeks in range(OVERDUE_WEEKS + 1):
            # The follow-up day passed ``weeks`` whole weeks ago: that week's reminder, until
            # the reminders end (the family page keeps showing the open concern).
            in_week = plan_queries.concerns_without_follow_up(today).filter(
                follow_up_on__lte=today - weeks * WEEK,
                follow_up_on__gt=today - (weeks + 1) * WEEK,
            )
            concerns += outbox.without_rows(
                in_week,
                rule=self.name,
                object_ref=outbox.key("parents.contactlog:", "pk"),
                occurrence=outbox.key(f"week-{weeks}:", "follow_up_on"),
            )
        if not concerns:
            return
        users = _active_users(c.by_id for c in concerns)
        schools = _family_schools(c.family_id for c in concerns)
        for concern in concerns:
            user, school = users.get(concern.by_id), schools.get(concern.family_id)
            weeks = (today - concern.follow_up_on).days // 7
            if user is None or school is None:
                # Nobody to tell (left the school, or no child there any more): don't look again.
                outbox.mark_looked(
                    rule=self.name,
                    occurrence=f"week-{weeks}:{concern.follow_up_on}",
                    object_refs=[f"parents.contactlog:{concern.pk}"],
                )
                continue
            context = {
                "name": user.first_name or _staff_name(user),
                "family": concern.family.name,
                "child": f" ({concern.pupil.first_name})" if concern.pupil else "",
                "day": f"{concern.happened_on:%d-%m-%Y}",
                "follow_up": f"{concern.follow_up_on:%d-%m-%Y}",
                "school": school[1],
                "link": site_link("parents:family-detail", concern.family_id),
            }
            yield _staff_item(
                user=user,
                object_ref=f"parents.contactlog:{concern.pk}",
                occurrence=f"week-{weeks}:{concern.follow_up_on}",
                school_id=school[0],
                school=school[1],
                subject=CONCERN["subject"].format(**context),
                body=CONCERN["body"].format(**context),
                due_at=_morning(concern.follow_up_on + weeks * WEEK),
            )

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        from django.utils import timezone

        from parents import queries as plan_queries

        still_open = dict(
            plan_queries.concerns_without_follow_up(timezone.localdate())
            .filter(pk__in={_ref_pk(r) for r in reminders})
            .values_list("pk", "follow_up_on")
        )
        return {
            r.pk: Verdict.cancel("Er is al weer contact geweest met het gezin.")
            for r in reminders
            if _ref_pk(r) not in still_open
            or not r.occurrence.endswith(f":{still_open[_ref_pk(r)]}")
        }


ONE_CALENDAR_PER_SCHOOL = [{"model": "schools.School", "field": "closures"}]


class WeeklySchoolRule(Rule):
    """Once a week (Monday 08:00, or later in the week when it first applies), one message per
    staff member per school listing the families concerned, counted when the school's turn
    comes; a family that appears later in the week is in next week's list. The re-check
    recounts and cancels when none are left for that person."""

    audience = "staff"
    subject = ""
    body = ""
    gone: str  # why the re-check cancels: each rule below says it

    def families_by_staff(self, school: School, today: datetime.date) -> dict[int, list[str]]:
        """{user pk: [family name]} for one school."""
        raise NotImplementedError

    def _schools(self, ids: Iterable[int] | None = None) -> QuerySet[School]:
        from schools.models import Pupil, School

        schools = School.objects.filter(pk__in=Pupil.objects.present().values("school_id"))
        return schools if ids is None else schools.filter(pk__in=ids)

    def due(self, now: datetime.datetime) -> Iterator[Item]:
        today = _today(now)
        monday = today - datetime.timedelta(days=today.weekday())
        week = today.isocalendar()
        occurrence = f"{week.year}-W{week.week:02d}"
        # The fields of the school's calendar too, or each would be read per school.
        fields = ("pk", "name", "holiday_region", "closed_on_good_friday", "closed_after_ascension")
        schools = {f"schools.school:{s.pk}": s for s in self._schools().only(*fields)}
        # Only the schools not looked at this week: once every school had its turn, a scan of
        # this rule is two queries, whatever the size of the board.
        todo = outbox.not_looked(rule=self.name, occurrence=occurrence, object_refs=schools)
        looked = []
        for ref in sorted(todo):
            school = schools[ref]
            # A school's terms come from its own closures: that query per school, once a week,
            # is the unit of this rule's work.
            with zeal_ignore(ONE_CALENDAR_PER_SCHOOL):
                due_at = max(_morning(monday), self.first_moment(school, today))
                found = [] if due_at > now else list(self._items(school, today, occurrence, due_at))
            if due_at > now:
                continue
            looked.append(ref)
            yield from found
        outbox.mark_looked(rule=self.name, occurrence=occurrence, object_refs=looked)

    def _items(
        self, school: School, today: datetime.date, occurrence: str, due_at: datetime.datetime
    ) -> Iterator[Item]:
        found = self.families_by_staff(school, today)
        users = _active_users(found)
        context = {"school": school.name, "weeks": self._weeks()}
        context["link"] = site_link("parents:family-list", school.pk)
        for user_id, names in sorted(found.items()):
            user = users.get(user_id)
            if user is None or not names:
                continue
            names = sorted(names)
            shown = "\n".join(f"- {n}" for n in names[:NAMES_SHOWN])
            if len(names) > NAMES_SHOWN:
                shown += f"\n- en nog {len(names) - NAMES_SHOWN}"
            values = {
                **context,
                "name": user.first_name or _staff_name(user),
                "count": len(names),
                "families": shown,
            }
            yield _staff_item(
                user=user,
                object_ref=f"schools.school:{school.pk}",
                occurrence=occurrence,
                school_id=school.pk,
                school=school.name,
                subject=self.subject.format(**values),
                body=self.body.format(**values),
                due_at=due_at,
            )

    def first_moment(self, school: School, today: datetime.date) -> datetime.datetime:
        return _morning(today - datetime.timedelta(days=today.weekday()))

    def _weeks(self) -> int:
        from parents import queries as plan_queries

        return plan_queries.not_reached_weeks()

    def recheck(self, reminders: Sequence[Reminder]) -> dict[int, Verdict]:
        from django.utils import timezone

        today = timezone.localdate()
        found = {}
        for school in self._schools({_ref_pk(r) for r in reminders}):
            for user_id, names in self.families_by_staff(school, today).items():
                found[(school.pk, user_id)] = names
        return {
            r.pk: Verdict.cancel(self.gone)
            for r in reminders
            if not found.get((_ref_pk(r), _user_pk(r)))
        }


class NoPositiveContactRule(WeeklySchoolRule):
    name = "parents.no_positive_contact"
    label = "Gezinnen zonder positief contact deze periode (wekelijks, aan de contactpersoon)"
    gone = "Elk gezin heeft deze periode iets positiefs gehoord."
    subject = "{count} gezinnen nog zonder positief contact deze periode – {school}"
    body = (
        "Beste {name},\n\nDeze gezinnen hoorden deze periode nog niets positiefs van school:\n"
        "{families}\n\nActie: vertel elk gezin deze week iets goeds over hun kind, en schrijf "
        "het op:\n{link}\n"
    )

    def first_moment(self, school: School, today: datetime.date) -> datetime.datetime:
        from parents import queries as plan_queries

        return _morning(plan_queries.term_start(school, today) + POSITIVE_GRACE)

    def families_by_staff(self, school: School, today: datetime.date) -> dict[int, list[str]]:
        """The contact person of this year's plan; without one, the teachers of the family's
        children this year."""
        from parents import queries as plan_queries
        from parents.models import CommunicationPlan
        from schools.models import Group, SchoolYear

        families = dict(
            plan_queries.families_without_positive_contact(school, today).values_list("pk", "name")
        )
        if not families:
            return {}
        year = SchoolYear.for_date(today)
        contact = dict(
            CommunicationPlan.objects.filter(
                family_id__in=families, school_year=year, contact_person__isnull=False
            ).values_list("family_id", "contact_person_id")
        )
        found = defaultdict(set)
        for family_id, user_id in contact.items():
            found[user_id].add(families[family_id])
        rest = [pk for pk in families if pk not in contact]
        teachers = Group.teachers.through.objects.filter(
            group__school=school,
            group__school_year=year,
            group__enrolments__pupil__left_on__isnull=True,
            group__enrolments__pupil__guardian_links__guardian__family_id__in=rest,
        ).values_list("group__enrolments__pupil__guardian_links__guardian__family_id", "user_id")
        for family_id, user_id in teachers.distinct():
            found[user_id].add(families[family_id])
        return {user_id: sorted(names) for user_id, names in found.items()}


class NotReachedRule(WeeklySchoolRule):
    name = "parents.not_reached"
    label = "Gezinnen al weken niet bereikt (wekelijks, aan IB'er en ouder-coördinator)"
    gone = "Alle gezinnen zijn weer bereikt."
    subject = "{count} gezinnen al {weeks} weken niet bereikt – {school}"
    body = (
        "Beste {name},\n\nMet deze gezinnen is al {weeks} weken geen contact geweest:\n"
        "{families}\n\nActie: spreek af wie elk gezin deze week belt of aanspreekt:\n{link}\n"
    )
    roles = ("intern_begeleider", "ouder_coordinator")

    def families_by_staff(self, school: School, today: datetime.date) -> dict[int, list[str]]:
        from parents import queries as plan_queries
        from schools.models import StaffMembership

        names = sorted(
            plan_queries.families_not_reached(school, today).values_list("name", flat=True)
        )
        if not names:
            return {}
        staff = StaffMembership.objects.filter(school=school, role__in=self.roles).values_list(
            "user_id", flat=True
        )
        return dict.fromkeys(set(staff), names)
