"""What absence adds to pages of the apps below it: the guardian's home page, the teacher's
'Deze week' and the pupil page. Each part reads a fixed number of queries."""

import datetime

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from absence import queries
from absence.models import InfoCard, InfoCardReading
from parents.models import Guardian, PupilGuardian
from schools import permissions
from schools.models import Pupil


def home_section(*, guardian: Guardian, user: User) -> dict:
    """Report a child sick, and read this year's information card while the household has not
    confirmed it. One query."""
    today = timezone.localdate()
    schools = PupilGuardian.objects.filter(
        guardian=guardian,
        access_blocked_reason="",
        information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
        pupil__left_on__isnull=True,
    ).values("pupil__school_id")
    unread = (
        InfoCard.objects.filter(
            school_year__start__lte=today, school_year__end__gte=today, school_id__in=schools
        )
        .exclude(pk__in=InfoCardReading.objects.filter(family_id=guardian.family_id).values("card"))
        .select_related("school")
        .order_by("school__name")
    )
    actions = [
        {
            "url": reverse("absence:portal-info-card", args=[card.school_id]),
            "label": _("Lees de informatiekaart van %(school)s") % {"school": card.school.name},
        }
        for card in unread
    ]
    return {"actions": actions}


def this_week_lines(*, user: User, today: datetime.date) -> list[dict]:
    """A line per group the user teaches with the children reported today. One query."""
    lines = []
    for group in queries.taught_groups_today(user, today):
        text = ngettext(
            "Groep %(group)s: %(count)s kind vandaag ziek of later gemeld",
            "Groep %(group)s: %(count)s kinderen vandaag ziek of later gemeld",
            group.reported,
        ) % {"group": group.name, "count": group.reported}
        lines.append({"text": text, "url": reverse("absence:group-reports", args=[group.pk])})
    return lines


def pupil_leave_section(*, pupil: Pupil, user: User) -> dict:
    """The pupil's leave requests and the decisions on them. One query."""
    items = [
        {
            "text": _("%(kind)s %(first)s t/m %(last)s (%(days)s schooldagen): %(status)s")
            % {
                "kind": leave.get_kind_display(),
                "first": f"{leave.first_day:%d-%m-%Y}",
                "last": f"{leave.last_day:%d-%m-%Y}",
                "days": leave.school_days,
                "status": leave.get_status_display(),
            }
            + (
                _(", door %(name)s op %(day)s")
                % {
                    "name": leave.decided_by.get_full_name() if leave.decided_by else "",
                    "day": f"{timezone.localtime(leave.decided_at):%d-%m-%Y}",
                }
                if leave.decided_at
                else ""
            ),
            "url": reverse("absence:leave-detail", args=[leave.pk])
            if permissions.holds_role(user, permissions.ABSENCE_MANAGERS, pupil.school_id)
            else "",
        }
        for leave in queries.leave_of_pupil(pupil)
    ]
    return {"title": _("Verlof"), "items": items, "empty": _("Geen verlof aangevraagd.")}
