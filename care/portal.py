"""What care adds to the guardian's home page (see parents.portal_views): answers to ideas and
complaints, a support plan to answer, meetings to come, and the outside help the parents were
told about (``care/portal_outside_help.html``)."""

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from care import queries
from care.models import Feedback, OutsideInvolvement
from parents.models import Guardian
from schools import audit

# Outside help is part of a child's support, read as the plan and the meetings are.
READ = audit.AuditAction.VIEW_SUPPORT_NEEDS


def home_section(*, guardian: Guardian, user: User) -> dict[str, Any]:
    """An answer the school gave and the parent has not seen closed yet, a plan not answered yet
    and a meeting to come are next steps; the outside help the school told the parent about is
    listed per child. Four queries, and the audit rows of the children whose help is shown."""
    answered = Feedback.objects.visible_to(user).filter(
        guardian=guardian, answered_at__isnull=False, closed_at__isnull=True
    )
    actions = [
        {
            "url": reverse("care:feedback-portal-detail", args=[feedback.pk]),
            "label": _("Lees het antwoord van de school op uw klacht")
            if feedback.is_complaint
            else _("Lees het antwoord van de school op uw idee"),
        }
        for feedback in answered.only("pk", "kind")
    ]
    plans, meetings = queries.guardian_care_items(user, guardian.pk)
    actions += [
        {
            "url": reverse("care:plan-portal-detail", args=[plan.pk]),
            "label": _("Lees het plan voor %(child)s en geef uw antwoord")
            % {"child": plan.pupil.first_name},
        }
        for plan in plans
    ]
    actions += [
        {
            "url": reverse("care:meeting-portal-detail", args=[meeting.pk]),
            "label": _("Overleg over %(child)s op %(when)s: wie er zijn")
            % {
                "child": meeting.pupil.first_name,
                "when": formats.date_format(timezone.localtime(meeting.starts_at), "j F, H:i"),
            },
        }
        for meeting in meetings
    ]
    return {"actions": actions, "context": {"outside_help": outside_help(user)}}


def outside_help(user: User) -> list[OutsideInvolvement]:
    """The outside help told to this parent, its read written to the audit log once per child
    (the log names the child whose care was read, like the plan and meeting pages do)."""
    told = queries.outside_help_told(user)
    for pupil in {involvement.pupil_id: involvement.pupil for involvement in told}.values():
        audit.record(user, READ, pupil=pupil, what=f"pupil:{pupil.pk}")
    return told
