"""Activities (the coffee mornings, information evenings, ...) in the calendars of
``parents.calendar``: all of them in the school's year calendar, the ones a staff member organises
in their own feed, and the ones a household is invited to (and did not decline) in a guardian's
feed. Registered from PartnershipConfig.ready(), so that parents never imports this app."""

import datetime

from django.urls import reverse
from django.utils import timezone

from parents.calendar import CalendarEntry
from partnership.models import RSVP, Activity, Invitation


def activity_entries(scope):
    tz = timezone.get_current_timezone()
    activities = Activity.objects.filter(
        school__in=scope.schools,
        starts_at__gte=datetime.datetime.combine(scope.start, datetime.time(), tzinfo=tz),
        starts_at__lt=datetime.datetime.combine(
            scope.end + datetime.timedelta(days=1), datetime.time(), tzinfo=tz
        ),
    )
    if scope.guardian is not None:
        invited = Invitation.objects.filter(family_id=scope.guardian.family_id).exclude(
            rsvp=RSVP.NO
        )
        activities = activities.filter(pk__in=invited.values("activity_id"))
        url = reverse("partnership:invitation-list")
    elif scope.personal:
        activities = activities.filter(organiser=scope.user)
        url = None
    else:
        url = None
    return [
        CalendarEntry(
            day=timezone.localdate(activity.starts_at),
            title=activity.title,
            kind="activity",
            uid=f"activity-{activity.pk}@schouder",
            url=url or reverse("partnership:activity-detail", args=[activity.pk]),
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            location=activity.place,
        )
        for activity in activities.order_by("starts_at")
    ]
