"""Staff pages (the school's messages, a conversation, the composer, who read a message) and the
parent portal's messages. Each view fetches through a scoped queryset and calls a service.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from messaging import queries, services
from messaging.forms import (
    AnnouncementForm,
    AnswerForm,
    OwnTranslationForm,
    ReplyForm,
    SchoolTermsForm,
    days_choice,
)
from messaging.models import Announcement, Recipient, SchoolMessaging, Translation
from parents.models import Family
from reminders.texts import language_of_message
from schools import permissions
from schools.models import School


def _school_for_translators(user: User, school_id: int) -> School:
    school = get_object_or_404(School.objects.visible_to(user), pk=school_id)
    permissions.require_role(user, permissions.TRANSLATORS, school)
    return school


@login_required
def translation_list(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school_for_translators(request.user, school_id)
    languages = [(code, name) for code, name in settings.PARENT_LANGUAGES if code != "nl"]
    language = request.GET.get("taal", "")
    language = language if language in dict(languages) else ""
    wanted = request.GET.get("open") == "1"
    return render(
        request,
        "messaging/translation_list.html",
        {
            "school": school,
            "languages": languages,
            "language": language,
            "wanted": wanted,
            "rows": queries.translations_of_school(school.pk, language=language, wanted=wanted),
            "backend_on": bool(settings.TRANSLATION_BACKEND),
        },
    )


@login_required
def translation_edit(request: HttpRequest, school_id: int, pk: int) -> HttpResponse:
    school = _school_for_translators(request.user, school_id)
    row = get_object_or_404(Translation.objects.of_school(school.pk), pk=pk)
    form = OwnTranslationForm(request.POST or None, initial={"text": row.text})
    form.fields["text"].widget.attrs.update(lang=row.language, dir="auto")
    if request.method == "POST" and form.is_valid():
        try:
            services.save_own_translation(
                translation=row, text=form.cleaned_data["text"], by=request.user
            )
        except services.TranslationError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, _("Uw vertaling is bewaard. Ouders lezen voortaan deze."))
            return redirect("messaging:translation-list", school_id=school.pk)
    return render(
        request,
        "messaging/translation_edit.html",
        {
            "school": school,
            "row": row,
            "form": form,
            "language_name": dict(settings.PARENT_LANGUAGES).get(row.language, row.language),
        },
    )


# --- staff ----------------------------------------------------------------------------------------


def _school(request: HttpRequest, pk: int) -> School:
    permissions.require_role(request.user, permissions.NAME_READERS)
    return get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)


@never_cache
@login_required
def message_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The school's conversations with parents (waiting first) and its messages to families."""
    school = _school(request, pk)
    return render(
        request,
        "messaging/message_list.html",
        {
            "school": school,
            "threads": queries.threads_of_school(school, request.user),
            "announcements": queries.announcements_of_school(school, request.user),
            "today": timezone.localdate(),
            "may_write_to_school": permissions.holds_role(
                request.user, services.SCHOOL_WIDE_SENDERS, school
            ),
            "may_set_terms": permissions.holds_role(
                request.user, permissions.MESSAGING_TERM_KEEPERS, school
            ),
        },
    )


@never_cache
@login_required
def school_terms_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The director sets the answer term and the sending hours of the school's messages."""
    school = get_object_or_404(School.objects.visible_to(request.user), pk=pk)
    permissions.require_role(request.user, permissions.MESSAGING_TERM_KEEPERS, school)
    terms = SchoolMessaging.of(school)
    form = SchoolTermsForm(
        request.POST or None,
        initial={
            "answer_term_days": terms.answer_term_days,
            "sending_from": terms.sending_from,
            "sending_until": terms.sending_until,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_school_terms(school=school, by=request.user, **form.cleaned_data)
        except services.MessagingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De instellingen voor berichten zijn bewaard."))
            return redirect("messaging:message-list", pk=school.pk)
    return render(request, "messaging/school_terms_edit.html", {"school": school, "form": form})


@never_cache
@login_required
def family_messages(request: HttpRequest, pk: int) -> HttpResponse:
    """The conversations with one family, reached from the family page, with its language."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    family = get_object_or_404(Family.objects.visible_to(request.user), pk=pk)
    school = (
        School.objects.records_visible_to(request.user)
        .filter(pupils__guardian_links__guardian__family=family)
        .order_by("pk")
        .first()
    )
    if school is None:
        raise Http404
    return render(
        request,
        "messaging/family_messages.html",
        {
            "family": family,
            "school": school,
            "guardians": list(family.guardians.order_by("pk")),
            "threads": queries.threads_of_school(school, request.user, family=family),
            "today": timezone.localdate(),
        },
    )


@never_cache
@login_required
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A conversation: read it with the family's language and interpreter need, and answer."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    thread = queries.thread_page(pk, request.user)
    if thread is None:
        raise Http404
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_thread(thread=thread, by=request.user, text=form.cleaned_data["text"])
        except services.MessagingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Uw antwoord is verstuurd."))
            return redirect("messaging:thread-detail", pk=thread.pk)
    return render(
        request,
        "messaging/thread_detail.html",
        {
            "thread": thread,
            "guardian": thread.opening.guardian,
            "form": form,
            "overdue": queries.is_overdue(thread, timezone.localdate()),
        },
    )


@login_required
@require_POST
def thread_close(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require_role(request.user, permissions.NAME_READERS)
    thread = queries.thread_page(pk, request.user)
    if thread is None:
        raise Http404
    services.close_thread(thread=thread, by=request.user)
    messages.success(request, _("Het bericht staat op afgehandeld."))
    return redirect("messaging:thread-detail", pk=thread.pk)


def _announcement_values(form: AnnouncementForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "audience": data["audience"],
        "kind": data["kind"],
        "family": data.get("family"),
        "groups": list(data.get("groups") or []),
        "subject": data["subject"],
        "body": data["body"],
        "send_at": data.get("send_at"),
    }


@never_cache
@login_required
def announcement_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a message from school. First a preview that says who gets Dutch and who needs an
    interpreter or a call; then send."""
    school = _school(request, pk)
    initial = {"audience": "groups", "kind": "news"}
    if request.GET.get("gezin"):
        initial.update(audience="family", family=request.GET["gezin"])
    if request.GET.get("soort") == "good_news":
        initial.update(audience="family", kind="good_news")
    form = AnnouncementForm(request.POST or None, school=school, user=request.user, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        values = _announcement_values(form)
        if "send" in request.POST:
            try:
                announcement = services.send_announcement(school=school, by=request.user, **values)
            except services.MessagingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Het bericht gaat naar de ouders."))
                return redirect("messaging:announcement-detail", pk=announcement.pk)
        links = services.audience_guardians(
            school=school,
            audience=values["audience"],
            family=values["family"],
            groups=values["groups"],
        )
        preview = queries.language_preview(links)
    return render(
        request,
        "messaging/announcement_create.html",
        {"school": school, "form": form, "preview": preview},
    )


@never_cache
@login_required
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Per family: delivered and read; after the chosen days, who was not reached, to call."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    announcement = get_object_or_404(
        Announcement.objects.visible_to(request.user).select_related("school", "author", "family"),
        pk=pk,
    )
    days = days_choice(request.GET.get("dagen"), queries.DEFAULT_NOT_READ_DAYS)
    return render(
        request,
        "messaging/announcement_detail.html",
        {
            "announcement": announcement,
            "reads": queries.announcement_reads(announcement, request.user, days=days),
        },
    )


# --- the parent portal ----------------------------------------------------------------------------


@never_cache
@login_required
def portal_inbox(request: HttpRequest) -> HttpResponse:
    guardian = permissions.guardian_or_404(request.user)
    return render(
        request,
        "messaging/portal_inbox.html",
        {
            "threads": queries.guardian_threads(guardian, request.user),
            "received": queries.guardian_announcements(guardian),
        },
    )


@never_cache
@login_required
def portal_thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The guardian's conversation: their message, the acknowledgement, the school's answers;
    opening it marks the answers read."""
    guardian = permissions.guardian_or_404(request.user)
    thread = queries.guardian_thread(pk, guardian, request.user)
    if thread is None:
        raise Http404
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_as_guardian(
                thread=thread, guardian=guardian, text=form.cleaned_data["text"]
            )
        except services.MessagingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Dank u. De school heeft uw antwoord gekregen."))
            return redirect("messaging:portal-thread-detail", pk=thread.pk)
    services.mark_read_by_guardian(thread=thread)
    return render(request, "messaging/portal_thread_detail.html", {"thread": thread, "form": form})


@never_cache
@login_required
def portal_announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    guardian = permissions.guardian_or_404(request.user)
    recipient = get_object_or_404(
        Recipient.objects.filter(
            guardian=guardian, announcement__send_at__lte=timezone.now()
        ).select_related("announcement__school"),
        announcement_id=pk,
    )
    services.mark_opened(recipient=recipient)
    return render(request, "messaging/portal_announcement_detail.html", {"recipient": recipient})


@never_cache
def read_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a message from school: whoever follows it opened the message (the address is
    the key, like a calendar address). Shows the message itself, so a parent without a portal
    account reads it too."""
    recipient = get_object_or_404(
        Recipient.objects.filter(announcement__send_at__lte=timezone.now()).select_related(
            "announcement__school", "guardian"
        ),
        token=token,
    )
    services.mark_opened(recipient=recipient)
    with translation.override(language_of_message(recipient.guardian.language)):
        return render(
            request, "messaging/portal_announcement_detail.html", {"recipient": recipient}
        )
