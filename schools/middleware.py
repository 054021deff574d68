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
        if not access_for(user).mfa_required:
            return False
        return not user.authenticator_set.exists()
