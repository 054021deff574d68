"""The privacy pages: a pupil's audit log (director), blocking a guardian's access (director or
IB'er), a family's data export (staff who keep the records, and the guardian for their own
household), and security.txt."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from parents.models import Family
from partnership import privacy
from partnership.privacy import display as privacy_display
from schools import audit, permissions
from schools.models import AuditAction, AuditEvent, Pupil


class GuardianAccessForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Bijvoorbeeld: besluit van de rechter van 3 maart. Maak leeg om de toegang te herstellen."
        ),
    )


def _pupil(request, pk):
    permissions.require_role(request.user, permissions.NAME_READERS)
    return get_object_or_404(Pupil.objects.visible_to(request.user).select_related("school"), pk=pk)


@login_required
@never_cache
@audit.logs_denied("pupil", "schools.Pupil", "school_id")
def pupil_log(request, pk):
    pupil = _pupil(request, pk)
    permissions.require_role(request.user, permissions.AUDIT_READERS, pupil.school_id)
    events = AuditEvent.objects.visible_to(request.user).filter(pupil=pupil)
    events = list(events.select_related("user")[:500])
    audit.record(request, AuditAction.VIEW_AUDIT_LOG, pupil=pupil, what=f"pupil:{pupil.pk}")
    return render(request, "privacy/pupil_log.html", {"pupil": pupil, "events": events})


@login_required
def guardian_access(request, pk, link_pk):
    pupil = _pupil(request, pk)
    permissions.require_role(request.user, permissions.RECORD_KEEPERS, pupil.school_id)
    link = get_object_or_404(pupil.guardian_links.select_related("guardian"), pk=link_pk)
    if request.method == "POST" and "information" in request.POST:
        try:
            privacy.decide_information_request(
                link=link, granted=request.POST["information"] == "grant", by=request
            )
        except privacy.PrivacyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Opgeslagen."))
        return redirect("schools:pupil-detail", pk=pupil.pk)
    form = GuardianAccessForm(request.POST or None, initial={"reason": link.access_blocked_reason})
    if request.method == "POST" and form.is_valid():
        privacy.set_guardian_access(link=link, reason=form.cleaned_data["reason"], by=request)
        messages.success(request, _("Opgeslagen."))
        return redirect("schools:pupil-detail", pk=pupil.pk)
    return render(
        request, "privacy/guardian_access.html", {"pupil": pupil, "link": link, "form": form}
    )


def _export_response(request, family, export, *, own=False):
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(privacy.export_as_json(export), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        # The name is ours, never the user's: no header injection, no names in a download folder.
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="gezin-{family.pk}-{stamp}.json"'
        return response
    parts = privacy_display.readable_export(export, own=own)
    return render(request, "privacy/family_export.html", {"parts": parts, "own": own})


@login_required
@never_cache
@audit.logs_denied("family", "parents.Family", audit.FAMILY_SCHOOL)
def family_export(request, pk):
    family = get_object_or_404(Family.objects.visible_to(request.user), pk=pk)
    schools = Pupil.objects.filter(
        guardian_links__guardian__family=family, pk__in=permissions.visible_pupil_ids(request.user)
    ).values_list("school_id", flat=True)
    keeps = permissions.RECORD_KEEPERS
    if not any(permissions.holds_role(request.user, keeps, sid) for sid in set(schools)):
        raise Http404
    export = privacy.export_family(family, pupils=permissions.visible_pupil_ids(request.user))
    audit.record(
        request,
        AuditAction.EXPORT_FAMILY,
        family=family,
        school=schools[0],
        what=f"family:{family.pk}",
    )
    return _export_response(request, family, export)


@login_required
@never_cache
def my_data(request):
    guardian = permissions.guardian_or_404(request.user)
    family = guardian.family
    export = privacy.export_family(
        family, pupils=permissions.visible_pupil_ids(request.user), guardian=guardian
    )
    audit.record(request, AuditAction.EXPORT_FAMILY, family=family, what=f"family:{family.pk}")
    return _export_response(request, family, export, own=True)


@require_GET
def security_txt(request):
    """RFC 9116: where to report a vulnerability."""
    expires = (timezone.now() + timezone.timedelta(days=180)).strftime("%Y-%m-%dT00:00:00Z")
    site = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "Contact: mailto:security@schouder.nl",
        f"Expires: {expires}",
        "Preferred-Languages: nl, en",
        f"Canonical: {site}{reverse('privacy:security-txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
