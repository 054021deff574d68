import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from zeal import zeal_ignore

from parents import calendar, queries, services
from parents.forms import AgreementForm, ContactLogForm, HoldMomentForm, MoveMomentForm, PlanForm
from parents.models import Agreement, CalendarFeed, CommunicationPlan, ContactMoment
from schools import audit, once, permissions
from schools.models import School, SchoolYear

# --- the communication plan (staff pages, and the guardian's read-only view) ------------------


def _family_page(request, pk):
    """The family page's data, or 404 when the user may not see this family."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    page = queries.family_page(pk, request.user, timezone.localdate())
    if page is None:
        raise Http404
    return page


def _schools_of(children):
    return {child.school_id for child in children}


@login_required
def family_list(request, pk):
    """The school's families with their signals: who needs a call, good news, an interpreter."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    only_signals = request.GET.get("signalen") == "1"
    families = queries.families_of_school_with_signals(school, request.user, timezone.localdate())
    if only_signals:
        families = [family for family in families if family.signal_list]
    context = {"school": school, "families": families, "only_signals": only_signals}
    return render(request, "parents/family_list.html", context)


@login_required
@audit.logs_denied("family", "parents.Family", audit.FAMILY_SCHOOL)
def family_detail(request, pk):
    page = _family_page(request, pk)
    form = ContactLogForm(
        children=page.children, initial={"happened_on": timezone.localdate(), "channel": "phone"}
    )
    return render(request, "parents/family_detail.html", {"page": page, "form": form})


@login_required
def contact_log_create(request, pk):
    """Log a contact from the family page: one small form, answered with the fresh timeline.
    A GET (the way back after logging in anew) goes to the family page."""
    page = _family_page(request, pk)
    if request.method != "POST":
        return redirect("parents:family-detail", pk=pk)
    saved = False
    form = ContactLogForm(request.POST, children=page.children)
    if form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("once")
        try:
            # The same form sent twice (a double click) was saved the first time.
            if once.first_time(token, scope="contact-log"):
                services.log_contact(family=page.family, by=request.user, **data)
        except services.PlanError as error:
            once.forget(token, scope="contact-log")
            form.add_error(None, str(error))
        else:
            if not request.htmx:
                messages.success(request, _("Het contact is opgeslagen."), extra_tags="draft-saved")
                return redirect("parents:family-detail", pk=pk)
            saved = True
            # Read afresh so the answer shows the new contact: the repeat of the first read is
            # the point, not a query per row.
            with zeal_ignore():
                page = _family_page(request, pk)
            form = ContactLogForm(
                children=page.children,
                initial={"happened_on": timezone.localdate(), "channel": "phone"},
            )
    template = (
        "parents/family_detail.html#contact" if request.htmx else "parents/family_detail.html"
    )
    return render(request, template, {"page": page, "form": form, "saved": saved})


# Which part of a row on "Deze week" is unfolded: the short form to log it held, or to move it.
ROW_PARTS = ("hold", "move")


def _week_moment(user, pk):
    return get_object_or_404(
        ContactMoment.objects.visible_to(user).select_related(
            "agreement__pupil", "agreement__plan__family", "agreement__responsible"
        ),
        pk=pk,
    )


@login_required
def this_week(request):
    """The staff member's moments of this week, each row with its buttons. A button unfolds a
    short form in the row itself (htmx asks for the row: ``?moment=<pk>&open=hold``); without
    script the same address shows the whole list with that row unfolded."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    today = timezone.localdate()
    opened = request.GET.get("open") if request.GET.get("open") in ROW_PARTS else ""
    opened_pk = request.GET.get("moment", "")
    context = {"today": today, "form": HoldMomentForm(), "open": opened}
    if request.htmx and opened_pk.isdigit():
        moment = _week_moment(request.user, opened_pk)
        return render(request, "parents/moment_list.html#row", {**context, "moment": moment})
    moments = list(queries.this_week(request.user, today))
    lines = [
        line
        for provider in THIS_WEEK_PROVIDERS
        for line in provider(user=request.user, today=today)
    ]
    return render(
        request,
        "parents/moment_list.html",
        {
            **context,
            "moments": moments,
            "lines": lines,
            "opened_pk": int(opened_pk) if opened_pk.isdigit() else None,
        },
    )


# The apps above parents (absence: the children reported sick today) add lines to the top of
# 'Deze week' by registering a provider in their AppConfig.ready(), so that parents imports none
# of them. A provider is called as provider(user=, today=) and returns [{"text", "url"}].
THIS_WEEK_PROVIDERS = []


def register_this_week_provider(provider):
    THIS_WEEK_PROVIDERS.append(provider)


@login_required
@require_POST
def moment_hold(request, pk):
    """Log a held moment with its tone, straight from the 'this week' list."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    moment = _week_moment(request.user, pk)
    form = HoldMomentForm(request.POST)
    if form.is_valid():
        try:
            log = services.hold_moment(moment=moment, by=request.user, **form.cleaned_data)
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            moment.status = log.moment.status
            if not request.htmx:
                messages.success(request, _("Het moment is opgeslagen als gehouden."))
                return redirect("parents:this-week")
    context = {"moment": moment, "form": form, "today": timezone.localdate(), "open": "hold"}
    if request.htmx:
        return render(request, "parents/moment_list.html#row", context)
    return render(
        request,
        "parents/moment_list.html",
        {**context, "moments": [moment], "opened_pk": moment.pk},
    )


def _moment_row(request, moment, error=""):
    """Answer a change on the 'this week' list: the row for htmx, else the list again."""
    if request.htmx:
        context = {
            "moment": moment,
            "form": HoldMomentForm(),
            "error": error,
            "today": timezone.localdate(),
            "open": "move" if error else "",
        }
        return render(request, "parents/moment_list.html#row", context)
    if error:
        messages.error(request, error)
    return redirect("parents:this-week")


@login_required
@require_POST
def moment_miss(request, pk):
    """The moment did not happen: nobody answered or came. It stays visible as 'niet gelukt'."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    moment = get_object_or_404(ContactMoment.objects.visible_to(request.user), pk=pk)
    try:
        services.miss_moment(moment=moment, by=request.user)
    except services.PlanError as error:
        return _moment_row(request, moment, str(error))
    moment.refresh_from_db(fields=["status"])
    return _moment_row(request, moment)


@login_required
@require_POST
def moment_move(request, pk):
    """Move a moment to another day; the row then shows the moment on its new day."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    moment = get_object_or_404(ContactMoment.objects.visible_to(request.user), pk=pk)
    form = MoveMomentForm(request.POST)
    if not form.is_valid():
        return _moment_row(request, moment, _("Kies een nieuwe dag."))
    try:
        moment = services.move_moment(moment=moment, by=request.user, to=form.cleaned_data["to"])
    except services.PlanError as error:
        return _moment_row(request, moment, str(error))
    return _moment_row(request, moment)


@login_required
def plan_edit(request, pk):
    """Make or change the family's plan of this school year. Saving checks the version that was
    read, so a colleague's change in between is never overwritten."""
    page = _family_page(request, pk)
    plan = page.plan or CommunicationPlan(
        family=page.family, school_year=page.year, agreed_on=timezone.localdate()
    )
    form = PlanForm(request.POST or None, instance=plan, schools=_schools_of(page.children))
    saved = None  # the colleague's version, shown beside the user's own after a conflict
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            if plan.pk:
                services.save_plan(
                    plan=plan, by=request.user, version=form.cleaned_data["version"], **data
                )
            else:
                services.agree_plan(
                    family=page.family, school_year=plan.school_year, by=request.user, **data
                )
        except services.PlanError as error:
            form.add_error(None, str(error))
            if plan.pk:
                saved = CommunicationPlan.objects.select_related("contact_person").get(pk=plan.pk)
                # Saving again now is a choice made with both versions in view.
                form.data = form.data.copy()
                form.data["version"] = saved.version
        else:
            messages.success(request, _("Het plan is opgeslagen."))
            return redirect("parents:family-detail", pk=pk)
    context = {"page": page, "form": form, "saved": saved}
    return render(request, "parents/plan_edit.html", context)


def _agreement_form_view(request, page, agreement):
    form = AgreementForm(
        request.POST or None,
        instance=agreement,
        children=page.children,
        schools=_schools_of(page.children),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if agreement.pk:
                services.change_agreement(agreement=agreement, by=request.user, **form.cleaned_data)
            else:
                services.add_agreement(plan=agreement.plan, by=request.user, **form.cleaned_data)
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De afspraak is opgeslagen."))
            return redirect("parents:family-detail", pk=page.family.pk)
    return render(
        request,
        "parents/agreement_edit.html",
        {"page": page, "form": form, "agreement": agreement},
    )


@login_required
def agreement_create(request, pk):
    page = _family_page(request, pk)
    if page.plan is None:
        messages.info(request, _("Maak eerst het plan van dit schooljaar."))
        return redirect("parents:plan-edit", pk=pk)
    return _agreement_form_view(request, page, Agreement(plan=page.plan))


@login_required
def agreement_edit(request, pk):
    permissions.require_role(request.user, permissions.NAME_READERS)
    agreement = get_object_or_404(Agreement.objects.visible_to(request.user), pk=pk)
    page = _family_page(request, agreement.plan.family_id)
    return _agreement_form_view(request, page, agreement)


@login_required
def portal_plan(request):
    """The guardian's read-only view of their own family's plan and upcoming moments."""
    guardian = permissions.guardian_or_404(request.user)
    plan, agreements, upcoming = queries.portal_plan(guardian, timezone.localdate())
    return render(
        request,
        "parents/portal_plan.html",
        {"plan": plan, "agreements": agreements, "upcoming": upcoming},
    )


def _month(request):
    """The month asked for as ?maand=2026-10, this month when absent or malformed."""
    try:
        return datetime.datetime.strptime(request.GET.get("maand", ""), "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def year_calendar(request, pk):
    """One month of the school's year calendar: contact moments, report dates, holidays."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    month = _month(request)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "parents/year_calendar.html",
        {
            "school": school,
            "month": month,
            "previous": previous,
            "following": following,
            "weeks": calendar.month_weeks(school, request.user, month.year, month.month),
        },
    )


@login_required
def year_calendar_ics(request, pk):
    """The whole school year's calendar as an iCalendar file."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    year = SchoolYear.current()
    response = HttpResponse(
        calendar.year_file(school, request.user, year), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="jaarkalender-{year.label}.ics"'
    return response


def _feed_page(request, feed, template, back):
    """Show the private address; a POST renews it (the old one then answers 404)."""
    if request.method == "POST":
        services.renew_calendar_feed(feed=feed, by=request.user)
        messages.success(request, _("U heeft een nieuw agenda-adres. Het oude werkt niet meer."))
        return redirect(back)
    url = request.build_absolute_uri(reverse("parents:calendar-feed", args=[feed.token]))
    return render(request, template, {"feed_url": url, "feed": feed})


@login_required
def my_calendar_feed(request):
    """A staff member's own year calendar to subscribe to in a calendar app (a board member's
    holds no families: only their own moments, conversations and activities)."""
    if not permissions.is_staff_member(request.user):
        raise Http404
    feed = services.calendar_feed_for(by=request.user)
    return _feed_page(request, feed, "parents/calendar_feed.html", "parents:my-calendar-feed")


@never_cache
@login_required
def portal_calendar_feed(request):
    """The same for a guardian: their family's moments, conversations and activities."""
    if not permissions.is_guardian(request.user):
        raise Http404
    feed = services.calendar_feed_for(by=request.user, guardian=request.user.guardian)
    return _feed_page(
        request, feed, "parents/portal_calendar_feed.html", "parents:portal-calendar-feed"
    )


def calendar_feed(request, token):
    """The private feed: no session (calendar apps cannot log in); the token is the key. A
    staff member who left or a guardian whose account was closed gets nothing."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user", "guardian__user"), token=token
    )
    year = SchoolYear.current()
    # From a month back, so that what just happened stays; to the end of the school year.
    start = max(year.start, timezone.localdate() - datetime.timedelta(days=31))
    if feed.guardian_id:
        account = feed.guardian.user
        if account is None or not account.is_active:
            raise Http404
        scope = calendar.CalendarScope.of_guardian(feed.guardian, start, year.end)
        # No session to carry a language: the feed speaks the guardian's own.
        with translation.override(feed.guardian.language or "nl"):
            body = calendar.ics_feed(_("Schoolagenda"), calendar.calendar_entries(scope))
    else:
        if not (feed.user.is_active and permissions.is_staff_member(feed.user)):
            raise Http404
        scope = calendar.CalendarScope.of_staff(feed.user, start, year.end)
        body = calendar.ics_feed(_("Schouder: mijn agenda"), calendar.calendar_entries(scope))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
