"""The parent portal: what a guardian sees of their own children, and what they tell the school.

Every page starts from the guardian's own links (``own_links``), scoped again through the one
access module, so a child the guardian may not see, or another family's child, is simply not found.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from parents import consent, contact_details, portal_services, queries
from parents.middleware import set_language_cookie
from parents.models import ContactMoment, GuardianMessage, PhotoPurpose, PupilGuardian
from parents.portal_forms import (
    ContactDetailsForm,
    GuardianMessageForm,
    PhotoConsentForm,
    PreferencesForm,
)
from parents.portal_home import home_parts
from schools import audit, permissions
from schools.models import Enrolment, Group, School, SchoolYear, StaffMembership

# The order in which a parent sees whom to turn to at the school.
SCHOOL_CONTACT_ORDER = (
    "teacher",
    "mentor",
    "intern_begeleider",
    "ouder_coordinator",
    "social_worker",
    "care_coordinator",
    "behaviour_coach",
    "director",
)


def own_links(guardian, user):
    """The guardian's links to the present children they may see, with school and this year's
    group; a fixed number of queries however many children."""
    today = timezone.localdate()
    enrolments = Enrolment.objects.filter(
        school_year__start__lte=today, school_year__end__gte=today
    ).select_related("group")
    return (
        PupilGuardian.objects.filter(
            guardian=guardian,
            access_blocked_reason="",
            information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
            pupil__left_on__isnull=True,
            pupil__in=permissions.visible_pupil_ids(user),
        )
        .select_related("pupil__school")
        .prefetch_related(
            Prefetch("pupil__enrolments", queryset=enrolments, to_attr="current_enrolments")
        )
        .order_by("pupil__first_name", "pupil__pk")
    )


def school_contacts(links):
    """Per school of the children, the people a parent can turn to and how to reach them: the
    teachers of their children's groups first, then the school's other contacts."""
    schools = sorted({link.pupil.school for link in links}, key=lambda s: (s.name, s.pk))
    group_ids = {e.group_id for link in links for e in link.pupil.current_enrolments}
    contacts = {school.pk: [] for school in schools}
    memberships = (
        StaffMembership.objects.filter(school__in=list(contacts))
        .filter(
            Q(role__in=permissions.SCHOOL_CONTACTS)
            | Q(role__in=permissions.GROUP_ROLES, user__taught_groups__in=group_ids)
        )
        .with_answer_hours()
        .select_related("user")
        .distinct()
    )
    order = {role: n for n, role in enumerate(SCHOOL_CONTACT_ORDER)}
    for membership in sorted(
        memberships, key=lambda m: (order[m.role], m.user.last_name, m.user.pk)
    ):
        contacts[membership.school_id].append(membership)
    return [(school, contacts[school.pk]) for school in schools]


def next_moments(guardian, links, limit=3):
    """The next open moments of this year's communication plan of the guardian's household,
    only about the children this guardian may see (``links`` are those already). One query."""
    today = timezone.localdate()
    return list(
        ContactMoment.objects.open()
        .filter(
            agreement__plan__family_id=guardian.family_id,
            agreement__plan__school_year__start__lte=today,
            agreement__plan__school_year__end__gte=today,
            agreement__pupil__in=[link.pupil_id for link in links if link.sees_child],
            due_on__gte=today,
        )
        .select_related("agreement__pupil")
        .order_by("due_on", "pk")[:limit]
    )


@never_cache
@login_required
def portal_home(request):
    """The guardian's start page: their children, their schools and what comes next."""
    guardian = permissions.guardian_or_404(request.user)
    links = list(own_links(guardian, request.user))
    contacts = school_contacts(links)
    actions, extra = home_parts(guardian=guardian, user=request.user)
    return render(
        request,
        "parents/portal_home.html",
        {
            "guardian": guardian,
            "links": links,
            "contacts": contacts,
            "next_actions": actions,
            "next_moments": next_moments(guardian, links),
            **extra,
        },
    )


def _own_link_or_404(request, pk):
    guardian = permissions.guardian_or_404(request.user)
    link = own_links(guardian, request.user).filter(pupil_id=pk).first()
    if link is None:
        queries.refuse_blocked_guardian(guardian, pk)
        raise Http404
    return link


@never_cache
@login_required
def portal_child_detail(request, pk):
    link = _own_link_or_404(request, pk)
    sent = GuardianMessage.objects.visible_to(request.user).filter(
        guardian=link.guardian, pupil=link.pupil
    )
    return render(
        request,
        "parents/portal_child_detail.html",
        {"link": link, "child": link.pupil, "sent": sent},
    )


# Where a guardian lands after writing: the first registered page that knows the message (the
# conversation page of the messaging app), else the child's page.
MESSAGE_PAGES = []


def register_message_page(page):
    """``page(message)`` returns a URL, or None."""
    MESSAGE_PAGES.append(page)


def _page_of(message):
    for page in MESSAGE_PAGES:
        url = page(message)
        if url:
            return url
    return None


@never_cache
@login_required
def portal_message_create(request, pk):
    link = _own_link_or_404(request, pk)
    form = GuardianMessageForm(request.POST or None, may_change=link.may_change)
    if request.method == "POST" and form.is_valid():
        try:
            message = portal_services.send_guardian_message(
                guardian=link.guardian,
                pupil=link.pupil,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except portal_services.PortalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Dank u. De school heeft uw bericht gekregen."))
            return redirect(
                _page_of(message) or reverse("parents:portal-child-detail", args=[link.pupil_id])
            )
    return render(
        request,
        "parents/portal_message_form.html",
        {"link": link, "child": link.pupil, "form": form},
    )


@never_cache
@login_required
def portal_preferences(request):
    guardian = permissions.guardian_or_404(request.user)
    form = PreferencesForm.for_guardian(guardian, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_services.save_guardian_preferences(guardian=guardian, **_preferences(form))
        except portal_services.PortalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Uw keuzes zijn bewaard."))
            # The chosen language shows from the next page on.
            response = redirect("parents:portal-preferences")
            set_language_cookie(response, guardian.language)
            return response
    return render(
        request,
        "parents/portal_preferences.html",
        {
            "form": form,
            "may_request_information": portal_services.may_request_information(guardian),
        },
    )


@never_cache
@login_required
@require_POST
def portal_information_request(request):
    """A parent without parental authority asks for information about their children."""
    guardian = permissions.guardian_or_404(request.user)
    try:
        asked = portal_services.request_information(guardian=guardian)
    except portal_services.PortalError as error:
        messages.error(request, str(error))
    else:
        if asked:
            messages.success(
                request, _("Dank u. De school beslist over uw verzoek en laat het u weten.")
            )
        else:
            messages.info(request, _("De school heeft uw verzoek al. U hoort het besluit."))
    return redirect("parents:portal-preferences")


@never_cache
@login_required
def portal_contact_details(request):
    """The guardian keeps their own phone, e-mail and address right; the school sees the change."""
    guardian = permissions.guardian_or_404(request.user)
    form = ContactDetailsForm.for_guardian(guardian, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = contact_details.change_contact_details(
                guardian=guardian,
                by=request,
                phone=data["phone"],
                email=data["email"],
                address={name: data[name] for name in contact_details.ADDRESS_FIELDS},
            )
        except contact_details.ContactDetailsError as error:
            form.add_error(None, str(error))
        else:
            if changed:
                messages.success(request, _("Dank u. De school ziet uw nieuwe gegevens."))
            else:
                messages.info(request, _("Er was niets veranderd."))
            return redirect("parents:portal-contact-details")
    return render(request, "parents/portal_contact_details.html", {"form": form})


def _consent_forms(guardian, links, year, data=None, child=None):
    """A form per child the guardian decides about (with parental authority); ``data`` binds
    the one of ``child`` (the form that was sent)."""
    deciding = [link for link in links if link.may_change]
    answers = consent.own_answers(guardian, [link.pupil_id for link in deciding], year)
    return [
        PhotoConsentForm(
            data if link.pupil_id == child else None,
            pupil=link.pupil,
            answers=answers.get(link.pupil_id),
        )
        for link in deciding
    ]


@never_cache
@login_required
def portal_photo_consent(request):
    """Per child and purpose: may the school show the child in photos and videos this year?"""
    guardian = permissions.guardian_or_404(request.user)
    links = list(own_links(guardian, request.user))
    year = SchoolYear.for_date(timezone.localdate())
    child = _int(request.POST.get("child")) if request.method == "POST" else None
    forms = _consent_forms(guardian, links, year, request.POST, child)
    sent = next((form for form in forms if form.is_bound), None)
    if request.method == "POST" and sent is None:
        raise Http404
    if sent is not None and sent.is_valid():
        try:
            consent.answer_photo_consent(
                guardian=guardian, pupil=sent.pupil, year=year, answers=sent.answers(), by=request
            )
        except consent.ConsentError as error:
            sent.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Dank u. Uw antwoord voor %(child)s is bewaard.")
                % {"child": sent.pupil.first_name},
            )
            return redirect("parents:portal-photo-consent")
    others = [link for link in links if not link.may_change]
    context = {"forms": forms, "others": others, "year": year}
    return render(request, "parents/portal_photo_consent.html", context)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Staff: who may not appear in pictures ------------------------------------------------------


@never_cache
@login_required
def photo_consent_list(request, pk):
    """Per group, the children who may not appear in photos or videos, and for what: a page
    to print for the classroom wall and the photographer."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    year = SchoolYear.for_date(timezone.localdate())
    groups = Group.objects.visible_to(request.user).filter(school=school, school_year=year)
    chosen = _int(request.GET.get("groep"))
    all_groups = list(groups.order_by("lowest_grade", "name"))
    shown = [g for g in all_groups if chosen is None or g.pk == chosen]
    rows = consent.consent_by_group(shown, year)
    audit.record(request, audit.AuditAction.VIEW_LIST, school=school, what=f"school:{school.pk}")
    context = {
        "school": school,
        "year": year,
        "groups": all_groups,
        "chosen": chosen,
        "rows": rows,
        "purposes": PhotoPurpose.choices,
    }
    return render(request, "parents/photo_consent_list.html", context)


def _preferences(form):
    data = form.cleaned_data
    return {
        "language": data["language"],
        "channel": data["channel"],
        "wants_reminders": data["wants_reminders"],
        "quiet_hours_start": data["quiet_hours_start"],
        "quiet_hours_end": data["quiet_hours_end"],
        "daily_channels": form.daily_channels(),
    }


@require_POST
def portal_language_set(request):
    """The language switch on every page; a guardian's choice is kept as their preference."""
    language = request.POST.get("language", "")
    if permissions.is_guardian(request.user) and language in portal_services.PARENT_LANGUAGE_CODES:
        portal_services.set_guardian_language(guardian=request.user.guardian, language=language)
    return set_language(request)


# --- Staff: what guardians told the school ------------------------------------------------------


@never_cache
@login_required
def guardian_message_list(request, pk):
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    rows = queries.messages_of_school(school, request.user)
    return render(request, "parents/guardian_message_list.html", {"school": school, "rows": rows})


@login_required
@require_POST
def guardian_message_handle(request, pk):
    permissions.require_role(request.user, permissions.NAME_READERS)
    message = get_object_or_404(GuardianMessage.objects.visible_to(request.user), pk=pk)
    portal_services.mark_message_handled(message=message, by=request.user)
    return redirect("parents:guardian-message-list", pk=message.pupil.school_id)
