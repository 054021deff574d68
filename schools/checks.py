"""Deploy checks Django does not make itself: a missing Content Security Policy goes unnoticed there."""

from django.conf import settings
from django.core import checks

REQUIRED_DIRECTIVES = {
    "default-src": None,
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


@checks.register(checks.Tags.security, deploy=True)
def content_security_policy(app_configs, **kwargs):
    errors = []
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        errors.append(checks.Error("CSPMiddleware is not installed.", id="schouder.E001"))
    directives = getattr(settings, "CONTENT_SECURITY_POLICY", {}) or {}
    directives = directives.get("DIRECTIVES", {})
    for name, value in REQUIRED_DIRECTIVES.items():
        if name not in directives or (value and directives[name] != [value]):
            errors.append(
                checks.Error(
                    f"Content Security Policy lacks {name} {value or ''}".strip(),
                    id="schouder.E002",
                )
            )
    script = directives.get("script-src", [])
    if "'unsafe-inline'" in script or "'nonce'" not in script:
        errors.append(
            checks.Error("script-src must use a nonce, not 'unsafe-inline'.", id="schouder.E003")
        )
    return errors
