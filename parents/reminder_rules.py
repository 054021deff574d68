"""Reminders to guardians that read the parents app's tables.

Document 000, "herhaal, herhaal, herhaal": a first message at the start of the year, then a short
reminder a week later. Each guardian with a child at the school gets their own message (separated
parents each their own, never a copy to the other), in their own language.
"""

import datetime
from collections import defaultdict

from django.utils.translation import gettext_noop

from parents.models import PupilGuardian
from reminders import queries
from reminders.quiet import QuietHours
from reminders.registry import Item, Rule, Verdict
from reminders.texts import in_language, language_of_message
from schools import permissions
from schools.calendar import first_school_days
from schools.reminder_rules import AMSTERDAM, responsible_emails, start_of_year_moment

REPEAT_AFTER = datetime.timedelta(days=7)

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


def _eligible(year, guardian_ids=None):
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
    return links.values_list(
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
    ).distinct()


def guardian_name(first, infix, last):
    return " ".join(part for part in (first, infix, last) if part)


def guardian_address(email, phone):
    """(channel, address): e-mail when the guardian has it, else a text message."""
    if email:
        return "email", email
    if phone:
        return "sms", phone
    return "email", ""


def guardian_quiet_hours(start, end):
    """The guardian's own quiet hours (set in the portal), when they set both ends; else None:
    the default quiet hours."""
    if start is not None and end is not None and start != end:
        return QuietHours(start=start, end=end)
    return None


class WelcomeRule(Rule):
    name = "parents.welcome"
    label = "Welkom aan het begin van het schooljaar"
    audience = "parents"
    texts = WELCOME

    def _year(self, now):
        from schools.models import SchoolYear

        return SchoolYear.for_date(now.astimezone(AMSTERDAM).date())

    def due_at(self, *, first_day, year, now, school_id, guardian_id, sent):
        return start_of_year_moment(first_day, year, now)

    def sent_before(self, year):
        return {}

    def due(self, now):
        year = self._year(now)
        rows = list(_eligible(year))
        reply_to = responsible_emails({r[0] for r in rows}, ["ouder_coordinator", "director"])
        sent = self.sent_before(year)
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
            language = language_of_message(lang)
            subject, body = in_language(language, *self.texts)
            name = guardian_name(first, infix, last)
            channel, address = guardian_address(email, phone)
            yield Item(
                object_ref=f"schools.school:{school_id}",
                recipient_key=f"parents.guardian:{guardian_id}",
                occurrence=year.label,
                school_id=school_id,
                recipient_name=name,
                address=address,
                channel=channel,
                language=language,
                subject=subject.format(school=school, name=name),
                body=body.format(school=school, name=name),
                due_at=due_at,
                sender_name=school,
                reply_to=reply_to.get(school_id, ""),
                quiet_hours=guardian_quiet_hours(*row[10:]),
            )

    def recheck(self, reminders):
        """Still a guardian with information rights at this school? Same address?"""
        from schools.models import SchoolYear

        current = {}
        for year in SchoolYear.objects.filter(label__in={r.occurrence for r in reminders}):
            guardian_ids = {
                int(r.recipient_key.split(":")[1]) for r in reminders if r.occurrence == year.label
            }
            for row in _eligible(year, guardian_ids):
                key = (year.label, f"schools.school:{row[0]}", f"parents.guardian:{row[3]}")
                current[key] = guardian_address(row[7], row[8])
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

    def sent_before(self, year):
        return queries.sent_at(WelcomeRule.name, year.label)

    def due_at(self, *, first_day, year, now, school_id, guardian_id, sent):
        sent_at = sent.get((f"schools.school:{school_id}", f"parents.guardian:{guardian_id}"))
        return sent_at + REPEAT_AFTER if sent_at else None


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


def _morning(day):
    return datetime.datetime.combine(day, STAFF_MORNING, tzinfo=AMSTERDAM)


def _today(now):
    return now.astimezone(AMSTERDAM).date()


def site_link(name, *args):
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _active_users(ids):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=set(ids), is_active=True).in_bulk()


def _staff_name(user):
    return f"{user.first_name} {user.last_name}".strip() or user.email


def _staff_item(*, user, object_ref, occurrence, school_id, school, subject, body, due_at):
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


def _ref_pk(reminder):
    return int(reminder.object_ref.split(":")[1])


def _user_pk(reminder):
    return int(reminder.recipient_key.split(":")[1])


def _family_schools(family_ids):
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
    """A planned contact moment: two days before, on the day, then weekly while overdue, to the
    staff member responsible. Held, missed or moved: the re-check cancels (the day is part of
    the occurrence, so a moved moment is reminded of on its new day)."""

    name = "parents.contact_moment"
    label = "Contactmoment uit het communicatieplan (vooraf, op de dag, te laat)"
    audience = "staff"

    def _moments(self, queryset):
        return queryset.select_related("agreement__pupil__school", "agreement__plan__family")

    def due(self, now):
        from parents import queries as plan_queries

        today = _today(now)
        found = []
        for moment in self._moments(plan_queries.moments_due_on(today + datetime.timedelta(2))):
            found.append((moment, f"2-days-before:{moment.due_on}", _morning(today)))
        for moment in self._moments(plan_queries.moments_due_on(today)):
            found.append((moment, f"on-the-day:{moment.due_on}", _morning(today)))
        for moment in self._moments(plan_queries.overdue_moments(today)):
            weeks = (today - moment.due_on).days // 7
            if weeks >= 1:
                found.append(
                    (
                        moment,
                        f"overdue-{weeks}:{moment.due_on}",
                        _morning(moment.due_on + weeks * WEEK),
                    )
                )
        users = _active_users(m.agreement.responsible_id for m, _o, _d in found)
        link = site_link("parents:this-week")
        for moment, occurrence, due_at in found:
            user = users.get(moment.agreement.responsible_id)
            if user is None or due_at > now:
                continue
            agreement = moment.agreement
            school = agreement.pupil.school
            kind = "overdue" if occurrence.startswith("overdue") else occurrence.split(":")[0]
            subject, body = MOMENT_TEXTS[kind]
            context = {
                "name": user.first_name or _staff_name(user),
                "family": agreement.plan.family.name,
                "child": agreement.pupil.first_name,
                "what": agreement.what,
                "channel": agreement.get_channel_display(),
                "day": f"{moment.due_on:%d-%m-%Y}",
                "school": school.name,
                "link": link,
            }
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

    def recheck(self, reminders):
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
    follow-up day and then weekly. Any later contact with the family cancels."""

    name = "parents.concern_follow_up"
    label = "Zorg zonder vervolg (aan wie de zorg noteerde)"
    audience = "staff"

    def due(self, now):
        from parents import queries as plan_queries

        today = _today(now)
        concerns = list(plan_queries.concerns_without_follow_up(today))
        users = _active_users(c.by_id for c in concerns)
        schools = _family_schools(c.family_id for c in concerns)
        for concern in concerns:
            user, school = users.get(concern.by_id), schools.get(concern.family_id)
            if user is None or school is None or concern.follow_up_on is None:
                continue
            weeks = (today - concern.follow_up_on).days // 7
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

    def recheck(self, reminders):
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


class WeeklySchoolRule(Rule):
    """Once a week (Monday 08:00, or later in the week when it first applies), one message per
    staff member per school listing the families concerned. The re-check recounts and cancels
    when none are left for that person."""

    audience = "staff"
    subject = ""
    body = ""

    def families_by_staff(self, school, today):
        """{user pk: [family name]} for one school."""
        raise NotImplementedError

    def _schools(self, ids=None):
        from schools.models import Pupil, School

        schools = School.objects.filter(pk__in=Pupil.objects.present().values("school_id"))
        return schools if ids is None else schools.filter(pk__in=ids)

    def due(self, now):
        today = _today(now)
        monday = today - datetime.timedelta(days=today.weekday())
        week = today.isocalendar()
        for school in self._schools():
            due_at = max(_morning(monday), self.first_moment(school, today))
            if due_at > now:
                continue
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
                    occurrence=f"{week.year}-W{week.week:02d}",
                    school_id=school.pk,
                    school=school.name,
                    subject=self.subject.format(**values),
                    body=self.body.format(**values),
                    due_at=due_at,
                )

    def first_moment(self, school, today):
        return _morning(today - datetime.timedelta(days=today.weekday()))

    def _weeks(self):
        from parents import queries as plan_queries

        return plan_queries.not_reached_weeks()

    def recheck(self, reminders):
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

    def first_moment(self, school, today):
        from parents import queries as plan_queries

        return _morning(plan_queries.term_start(school, today) + POSITIVE_GRACE)

    def families_by_staff(self, school, today):
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

    def families_by_staff(self, school, today):
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
