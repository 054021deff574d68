"""The audit log: one line to call from every view or service that shows or changes sensitive data.

    audit.record(request, AuditAction.VIEW_NOTE, pupil=note.pupil, what=f"note:{note.pk}")

Only ids and the action are stored, never the text that was seen: the log must not become a copy of
the data it protects (and so anonymising a pupil never has to touch it).
"""

import re

from schools import permissions
from schools.models import AuditAction, AuditEvent

_WHAT = re.compile(r"^([a-z_]+(:[0-9]+)?)?$")

__all__ = ["AuditAction", "record"]


def record(request_or_user, action, *, pupil=None, family=None, what="", school=None):
    """Write one audit event for the user behind ``request_or_user``.

    ``what`` names the object as ``kind:id`` (e.g. ``note:12``); anything else is refused, so free
    text cannot slip into the log.
    """
    user = getattr(request_or_user, "user", request_or_user)
    if not _WHAT.match(what):
        raise ValueError("audit 'what' must be kind:id, not free text")
    if school is None and pupil is not None:
        school = pupil.school_id
    school_id = getattr(school, "pk", school)
    access = permissions.access_for(user)
    roles = access.roles_at(school_id) if school_id else access.all_roles
    if school_id and access.board_ids and not roles:
        roles = {"board"}
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        roles=",".join(sorted(roles)),
        school_id=school_id,
        pupil=pupil,
        family_id=getattr(family, "pk", family),
        action=action,
        what=what,
    )
