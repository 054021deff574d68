"""Staff of a board that requires a second factor must set one up before they see any page."""

from django.shortcuts import redirect
from django.urls import reverse

from schools.permissions import access_for

# Pages a staff member without an authenticator may still open: setting one up, and leaving.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/")


class RequireBoardMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_enrol(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request):
        user = request.user
        if not user.is_authenticated or request.path.startswith(_OPEN_PREFIXES):
            return False
        access = access_for(user)
        return access.mfa_required and not access.has_authenticator


class StaffIdleTimeoutMiddleware:
    """Staff who read pupil files are logged out after a quiet spell (``STAFF_IDLE_TIMEOUT``
    seconds); a forgotten session on a shared school computer must not stay open all day.
    Guardians keep the ordinary session age."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.contrib.auth import logout
        from django.contrib.auth.views import redirect_to_login
        from django.utils import timezone

        user = request.user
        if user.is_authenticated and access_for(user).is_staff_member:
            now = int(timezone.now().timestamp())
            last = request.session.get("last_seen", now)
            if now - last > settings.STAFF_IDLE_TIMEOUT:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - last > 60 or "last_seen" not in request.session:
                request.session["last_seen"] = now  # at most one session write a minute
        return self.get_response(request)


def note_login_time(sender, request, user, **kwargs):
    """Start the idle clock at login, so the first page after it needs no session write."""
    from django.utils import timezone

    if request is not None and hasattr(request, "session"):
        request.session["last_seen"] = int(timezone.now().timestamp())


class NoStoreWhenSignedInMiddleware:
    """Nothing a signed-in user sees is kept by a browser or proxy cache: every page and download
    then holds pupil or parent data (a shared school computer's back button, a proxy's disk).
    Static files never come this far (whitenoise answers them first) and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
