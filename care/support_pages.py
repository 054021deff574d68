"""What the support plan and the meetings about a child add to other apps' pages: a section on
the pupil page (``schools.views.register_pupil_section``) and the IB'er's "Wat nu?"
(``schools.home.register_home_section``)."""

import datetime

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from care import queries
from schools import permissions
from schools.home import SHOWN, Item, Section
from schools.models import Pupil, School


def pupil_section(*, pupil: Pupil, user: User) -> dict | None:
    """Each version of the plan with the parents' answer, the meetings with their date, and for
    the support planners the links to record, plan and involve. None for whoever may not read
    the plan (a teacher of another group, the ouder-coördinator). Four queries."""
    plans = queries.plans_of_pupil(pupil.pk, user)
    plans_it = permissions.holds_role(user, permissions.SUPPORT_PLANNERS, pupil.school_id)
    if not plans and not plans_it:
        return None
    items = [
        {
            "text": _("Opp van %(day)s, evaluatie %(evaluation)s: %(status)s")
            % {
                "day": f"{timezone.localtime(plan.recorded_at):%d-%m-%Y}",
                "evaluation": f"{plan.evaluation_on:%d-%m-%Y}",
                "status": plan.status,
            },
            "url": reverse("care:plan-detail", args=[plan.pk]),
        }
        for plan in plans
    ]
    items += [
        {
            "text": _("%(kind)s: %(when)s")
            % {
                "kind": meeting.get_kind_display().capitalize(),
                "when": f"{timezone.localtime(meeting.starts_at):%d-%m-%Y %H:%M}"
                if meeting.starts_at
                else _("nog te plannen"),
            },
            "url": reverse("care:meeting-detail", args=[meeting.pk]),
        }
        for meeting in queries.meetings_of_pupil(pupil.pk, user)
    ]
    if plans_it:
        items += [
            {
                "text": _("+ Nieuw opp vastleggen"),
                "url": reverse("care:plan-create", args=[pupil.pk]),
            },
            {
                "text": _("+ Overleg plannen"),
                "url": reverse("care:meeting-create", args=[pupil.pk]),
            },
            {
                "text": _("Hulp van buiten de school"),
                "url": reverse("care:involvement-create", args=[pupil.pk]),
            },
        ]
    return {
        "title": _("Ondersteuning: opp en overleg"),
        "items": items,
        "empty": _("Geen opp."),
    }


def home_section(*, user: User, school: School, today: datetime.date) -> Section | None:
    """The conversations the IB'er still has to give a date: parents who disagreed with a plan
    wait for them. One query."""
    if not permissions.holds_role(user, permissions.SUPPORT_PLANNERS, school):
        return None
    waiting = queries.meetings_to_plan(school, user)
    if not waiting:
        return None
    items = [
        Item(
            label=_("Plan een gesprek over het opp van %(child)s")
            % {"child": meeting.pupil.full_name},
            url=reverse("care:meeting-detail", args=[meeting.pk]),
            detail=_("De ouders zijn het niet eens met het plan.")
            if meeting.support_plan_id
            else "",
            urgent=True,
        )
        for meeting in waiting[:SHOWN]
    ]
    return Section(title=_("Opp en overleg"), items=items, order=20)
