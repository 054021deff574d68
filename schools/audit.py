"""The audit log: one line to call from every view or service that shows or changes sensitive data.

    audit.record(request, AuditAction.VIEW_NOTE, pupil=note.pupil, what=f"note:{note.pk}")

Only ids and the action are stored, never the text that was seen: the log must not become a copy of
the data it protects (and so anonymising a pupil never has to touch it).
"""

import functools
import re

from django.apps import apps
from django.http import Http404

from schools import audit_chain, permissions
from schools.models import AuditAction

_WHAT = re.compile(r"^([a-z_]+(:[0-9]+)?)?$")

__all__ = ["AuditAction", "logs_denied", "record"]


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
    return audit_chain.append(
        user=user if getattr(user, "is_authenticated", False) else None,
        roles=",".join(sorted(roles)),
        school_id=school_id,
        pupil=pupil,
        family_id=getattr(family, "pk", family),
        action=action,
        what=what,
    )


# The path from a family to a school: a family has children at one school or several.
FAMILY_SCHOOL = "guardians__pupil_links__pupil__school_id"


def logs_denied(kind, model, school_field=None):
    """Decorate a view of sensitive data whose URL names an object by ``pk``: when it answers
    404 to a logged-in user (the object is not theirs, or does not exist), the attempt is
    written to the log as ``kind:pk`` (ASVS 16.3.2), with the school the object belongs to, so
    that school's director sees who tried. ``model`` is "app.Model"; ``school_field`` the path
    from it to the school id (None: the object has no single school)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Http404:
                pk = kwargs.get("pk")
                if request.user.is_authenticated and isinstance(pk, int):
                    _record_denied(request, kind, pk, model, school_field)
                raise

        return wrapped

    return decorator


def _record_denied(request, kind, pk, model, school_field):
    school_id = None
    if school_field:
        found = apps.get_model(model).objects.filter(pk=pk).values_list(school_field, flat=True)
        school_id = found.first()
    audit_chain.append(
        user=request.user,
        roles=",".join(sorted(permissions.access_for(request.user).all_roles)),
        school_id=school_id,
        family_id=pk if kind == "family" else None,
        action=AuditAction.DENIED,
        what=f"{kind}:{pk}",
    )
