"""What happens when someone logs in: the session length and, for a guardian, their language."""

from typing import Any

from allauth.account.signals import user_logged_in
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from django.utils import translation

from parents import portal_services
from parents.models import Guardian
from schools.permissions import access_for, forget_signed_in

# The language is handed to the response by parents.middleware.ProfileLanguageMiddleware, which
# writes Django's language cookie (the session no longer carries the language).
PENDING_LANGUAGE_KEY = "parents_pending_language"


@receiver(user_logged_in)
def start_portal_session(sender, request, user, **kwargs):
    access = access_for(user)
    if access.is_guardian and not access.is_staff_member:
        request.session.set_expiry(int(portal_services.GUARDIAN_SESSION_AGE.total_seconds()))
        language = user.guardian.language
        if language in portal_services.PARENT_LANGUAGE_CODES:
            request.session[PENDING_LANGUAGE_KEY] = language
            translation.activate(language)
            request.LANGUAGE_CODE = language
    else:
        request.session.set_expiry(int(portal_services.STAFF_SESSION_AGE.total_seconds()))


@receiver(post_init, sender=Guardian, dispatch_uid="signed-in-guardian-loaded")
def remember_guardian_account(sender: type[Guardian], instance: Guardian, **kwargs: Any) -> None:
    """The account the record was read with: when the record moves to another account, the old
    one must stop being a guardian at once too. Read from ``__dict__``: a deferred ``user_id``
    must not cost a query."""
    instance._loaded_user_id = instance.__dict__.get("user_id")


@receiver(post_save, sender=Guardian, dispatch_uid="signed-in-guardian")
@receiver(post_delete, sender=Guardian, dispatch_uid="signed-in-guardian-deleted")
def forget_kept_guardian(sender: type[Guardian], instance: Guardian, **kwargs: Any) -> None:
    """Whether a user is a guardian is part of the rows kept for a signed-in user: both the
    account the record has now and the one it had when read."""
    forget_signed_in([instance.user_id, getattr(instance, "_loaded_user_id", None)])
    instance._loaded_user_id = instance.user_id
