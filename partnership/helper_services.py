"""Helping parents: an activity asks for helpers per task, a parent of an invited household signs
up (or withdraws) from the portal. Helping reaches the family: the kept reach rows change in the
same transaction as the sign-up (``parents.reach``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from parents.models import Guardian
from parents.reach import refresh_reach
from partnership.helper_models import HelperSignup, HelperTask, HelperTaskKind
from partnership.models import Activity, Invitation
from partnership.services import PartnershipError
from schools import permissions


@transaction.atomic
def ask_for_helpers(*, activity: Activity, kind: str, needed: int) -> HelperTask:
    """Ask for ``needed`` helpers for one task of the activity (again: change the number)."""
    if kind not in HelperTaskKind.values:
        raise PartnershipError(_("Kies een taak."))
    if not 1 <= needed <= 50:
        raise PartnershipError(_("Vraag 1 tot 50 ouders."))
    if activity.is_past:
        raise PartnershipError(_("Deze activiteit is al voorbij."))
    task, _created = HelperTask.objects.update_or_create(
        activity=activity, kind=kind, defaults={"needed": needed}
    )
    return task


def _refuse_outsider(task: HelperTask, guardian: Guardian) -> None:
    activity = task.activity
    invited = Invitation.objects.filter(activity=activity, family_id=guardian.family_id).exists()
    sees_child = guardian.pupil_links.filter(
        pupil__school_id=activity.school_id,
        pupil__left_on__isnull=True,
        access_blocked_reason="",
        information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
    ).exists()
    if not (invited and sees_child):
        raise PartnershipError(_("Deze activiteit is niet voor uw gezin."))


@transaction.atomic
def sign_up_as_helper(*, task: HelperTask, guardian: Guardian) -> HelperSignup:
    """The guardian helps with ``task``. Refused when enough parents already help; signing up
    twice changes nothing."""
    task = HelperTask.objects.select_for_update().select_related("activity").get(pk=task.pk)
    _refuse_outsider(task, guardian)
    if task.activity.is_past:
        raise PartnershipError(_("Deze activiteit is al voorbij."))
    existing = task.signups.filter(guardian=guardian).first()
    if existing is not None:
        return existing
    if task.signups.count() >= task.needed:
        raise PartnershipError(_("Er zijn al genoeg ouders voor deze taak. Dank u wel!"))
    signup = HelperSignup.objects.create(task=task, guardian=guardian)
    refresh_reach(families=[guardian.family_id])
    return signup


@transaction.atomic
def withdraw_as_helper(*, task: HelperTask, guardian: Guardian) -> None:
    """The guardian cannot help after all."""
    HelperSignup.objects.filter(task=task, guardian=guardian).delete()
    refresh_reach(families=[guardian.family_id])
