"""The navigation a user sees depends on their roles; one place decides which items appear."""

from django.conf import settings

from schools.permissions import access_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": set(), "available_languages_for_user": settings.PARENT_LANGUAGES}
    access = access_for(user)
    staff_only = access.is_staff_member and not access.is_guardian
    return {
        "nav_roles": access.all_roles,
        "nav_is_guardian": access.is_guardian,
        "nav_is_staff": access.is_staff_member,
        # The board reads figures: no lists of families or conversations in its menu.
        "nav_reads_names": bool(access.name_school_ids),
        "available_languages_for_user": (
            settings.STAFF_LANGUAGES if staff_only else settings.PARENT_LANGUAGES
        ),
    }
