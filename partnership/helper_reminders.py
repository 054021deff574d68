"""The reminder to a helping parent, the day before the activity at nine in the morning: what
they help with, when and where. Sent once per sign-up and day (a moved activity: again)."""

import datetime

from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from parents.reminder_rules import (
    guardian_address,
    guardian_name,
    guardian_quiet_hours,
    guardian_route,
    site_link,
)
from partnership.helper_models import HelperSignup
from reminders import outbox
from reminders.registry import Item, Rule, Verdict
from reminders.texts import in_language, language_of_message
from schools import permissions
from schools.reminder_rules import AMSTERDAM, responsible_emails

MORNING = datetime.time(9)

HELPER_REMINDER = (
    gettext_noop("Morgen helpt u: {title} – {school}"),
    gettext_noop(
        "Beste {name},\n\nMorgen om {time} helpt u bij {title} op {school} ({task}). "
        "Dank u wel!\n\nKunt u toch niet? Laat het weten in het ouderportaal:\n{link}\n\n{school}"
    ),
)


def _occurrence(activity) -> str:
    return f"1d:{timezone.localtime(activity.starts_at).date().isoformat()}"


def signups_due(*, on_day: datetime.date):
    """Sign-ups for activities that start the day after ``on_day``, of guardians who want
    reminders and still see a child at the activity's school."""
    day = on_day + datetime.timedelta(days=1)
    return (
        HelperSignup.objects.filter(
            task__activity__starts_at__date=day,
            guardian__wants_reminders=True,
            guardian__pupil_links__pupil__school=F("task__activity__school"),
            guardian__pupil_links__access_blocked_reason="",
            guardian__pupil_links__information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
        )
        .select_related("guardian", "task__activity__school")
        .distinct()
        .order_by("pk")
    )


class HelperReminderRule(Rule):
    name = "partnership.helper_signup"
    label = "Herinnering voor hulpouders, de dag voor de activiteit"
    audience = "parents"

    def due(self, now):
        today = now.astimezone(AMSTERDAM).date()
        due_at = datetime.datetime.combine(today, MORNING, tzinfo=AMSTERDAM)
        if due_at > now:
            return
        day = today + datetime.timedelta(days=1)
        signups = list(
            outbox.without_rows(
                signups_due(on_day=today),
                rule=self.name,
                object_ref=outbox.key("partnership.helpersignup:", "pk"),
                occurrence=f"1d:{day.isoformat()}",
            )
        )
        if not signups:
            return
        schools = {signup.task.activity.school_id for signup in signups}
        reply_to = responsible_emails(schools, ["ouder_coordinator", "director"])
        for signup in signups:
            yield _item(signup, due_at, reply_to)

    def recheck(self, reminders):
        """Still signed up, for an activity on the same day? Same address?"""
        signups = HelperSignup.objects.select_related("guardian", "task__activity").in_bulk(
            {int(r.object_ref.split(":")[1]) for r in reminders}
        )
        verdicts = {}
        for reminder in reminders:
            signup = signups.get(int(reminder.object_ref.split(":")[1]))
            if signup is None:
                verdicts[reminder.pk] = Verdict.cancel("De ouder helpt niet meer.")
            elif _occurrence(signup.task.activity) != reminder.occurrence:
                verdicts[reminder.pk] = Verdict.cancel("De activiteit is verplaatst.")
            else:
                guardian = signup.guardian
                channel, address = guardian_address(
                    guardian.email, guardian.phone, guardian.preferred_channels
                )
                if address and address != reminder.address:
                    verdicts[reminder.pk] = Verdict.send_to(address, channel)
        return verdicts


def _item(signup, due_at, reply_to) -> Item:
    activity, guardian = signup.task.activity, signup.guardian
    school = activity.school.name
    name = guardian_name(guardian.first_name, guardian.infix, guardian.last_name)
    channel, address, note = guardian_route(
        guardian.email, guardian.phone, guardian.preferred_channels
    )
    language = language_of_message(guardian.language)
    subject, body = in_language(language, *HELPER_REMINDER)
    with translation.override(language):
        task = str(signup.task.get_kind_display())
    context = {
        "name": name,
        "title": activity.title,
        "school": school,
        "task": task,
        "time": f"{timezone.localtime(activity.starts_at):%H:%M}",
        "link": site_link("partnership:helper-signup", activity.pk),
    }
    return Item(
        object_ref=f"partnership.helpersignup:{signup.pk}",
        recipient_key=f"parents.guardian:{guardian.pk}",
        occurrence=_occurrence(activity),
        school_id=activity.school_id,
        recipient_name=name,
        address=address,
        channel=channel,
        language=language,
        subject=subject.format(**context),
        body=body.format(**context),
        due_at=due_at,
        sender_name=school,
        reply_to=reply_to.get(activity.school_id, ""),
        quiet_hours=guardian_quiet_hours(guardian.quiet_hours_start, guardian.quiet_hours_end),
        note=note,
    )
