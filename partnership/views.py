"""Pages of the partnership with parents: activities and the door list for the ouder-coördinator,
the plan and its evaluations for the team, invitations and topics for parents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from zeal import zeal_ignore

from partnership import forms, queries, services
from partnership.holidays_check import year_overview
from partnership.models import (
    FRAMEWORK_ITEMS,
    Activity,
    BuddyPair,
    Evaluation,
    Framework,
    Invitation,
    KeyFigure,
    Partnership,
    PartnershipPlan,
    TopicSuggestion,
    can_plan,
)
from partnership.services import PartnershipError
from schools import permissions
from schools.models import School, SchoolYear


def _school(request, pk, planner=False, names=False):
    """The school of a page; ``names``: a page naming parents, not for the board."""
    schools = School.objects.records_visible_to if names else School.objects.visible_to
    school = get_object_or_404(schools(request.user), pk=pk)
    if planner and not can_plan(request.user, school):
        raise Http404
    return school


def _activity(request, pk, planner=False):
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("school", "series"), pk=pk
    )
    if planner and not can_plan(request.user, activity.school):
        raise Http404
    return activity


def _plan(school, year):
    return PartnershipPlan.objects.filter(school=school, school_year=year).first()


# --- Activities ----------------------------------------------------------------------------------


@login_required
def activity_list(request, pk):
    school = _school(request, pk)
    year = SchoolYear.current()
    partnership = request.GET.get("partnerschap", "")
    if partnership not in Partnership.values:
        partnership = ""
    context = {
        "school": school,
        "year": year,
        "partnership": partnership,
        "partnerships": Partnership.choices,
        "counts": queries.partnership_counts(school, year),
        "activities": queries.activities_for_list(school, year, partnership),
        "can_plan": can_plan(request.user, school),
        "calendar": year_overview(year.start, year.end),
    }
    return render(request, "partnership/activity_list.html", context)


@login_required
def activity_create(request, pk):
    school = _school(request, pk, planner=True)
    year = SchoolYear.current()
    form = forms.ActivityForm(
        request.POST or None, school=school, school_year=year, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            if form.cleaned_data["weekly"]:
                series, warnings = services.plan_weekly_series(
                    school=school, until=form.cleaned_data["until"], by=request.user, **arguments
                )
                first = series.activities.order_by("starts_at").first()
            else:
                first, found = services.plan_activity(school=school, by=request.user, **arguments)
                warnings = [(first, text) for text in found]
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            # The page of the first activity shows its own warnings: each is said once.
            for activity, text in warnings:
                if activity is None:
                    messages.warning(request, text)
                elif activity != first:
                    day = date_format(timezone.localtime(activity.starts_at), "j E")
                    messages.warning(request, f"{day}: {text}")
            messages.success(request, _("De activiteit staat in de planning."))
            return redirect("partnership:activity-detail", pk=first.pk)
    return render(request, "partnership/activity_form.html", {"school": school, "form": form})


@login_required
def activity_detail(request, pk):
    activity = _activity(request, pk)
    planner = can_plan(request.user, activity.school)
    series = (
        activity.series.activities.order_by("starts_at")
        if activity.series_id
        else Activity.objects.none()
    )
    context = {
        "activity": activity,
        "school": activity.school,
        "warnings": activity.calendar_warnings(),
        "can_plan": planner,
        "series_activities": series,
        "rsvp_counts": queries.rsvp_counts(activity),
        "topics": activity.topics.all(),
    }
    return render(request, "partnership/activity_detail.html", context)


@login_required
def activity_move(request, pk):
    activity = _activity(request, pk, planner=True)
    form = forms.MoveForm.for_activity(activity, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # The activity's page shows its calendar warnings: each is said once, there.
            services.move_activity(
                activity=activity,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
            )
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De activiteit is verplaatst."))
            return redirect("partnership:activity-detail", pk=activity.pk)
    return render(
        request,
        "partnership/activity_move.html",
        {"activity": activity, "school": activity.school, "form": form},
    )


# --- At the door ---------------------------------------------------------------------------------


@login_required
def door_list(request, pk):
    """Attendance on a phone: one big button per invited family; search to add a walk-in."""
    activity = _activity(request, pk, planner=True)
    # The search is posted: a family's name does not belong in a URL or an access log.
    search = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    context = {
        "activity": activity,
        "school": activity.school,
        "invitations": queries.door_list(activity, request.user),
        "search": search,
        "candidates": queries.families_to_add(activity, request.user, search),
    }
    template = "partnership/door_list.html"
    if request.htmx and request.htmx.target == "candidates":
        template += "#candidates"
    return render(request, template, context)


@login_required
@require_POST
def attendance_toggle(request, pk, family_pk):
    activity = _activity(request, pk, planner=True)
    invitation = get_object_or_404(
        activity.invitations.select_related("family"), family_id=family_pk
    )
    if hasattr(invitation, "attendance"):
        services.unregister_attendance(activity=activity, family=invitation.family)
    else:
        services.register_attendance(activity=activity, family=invitation.family, by=request.user)
    if request.htmx:
        invitation = queries.door_list(activity, request.user).get(pk=invitation.pk)
        return render(
            request,
            "partnership/door_list.html#row",
            {"activity": activity, "invitation": invitation},
        )
    return redirect("partnership:door-list", pk=activity.pk)


@login_required
@require_POST
def attendance_add(request, pk):
    activity = _activity(request, pk, planner=True)
    family = get_object_or_404(
        queries.school_families(activity.school), pk=request.POST.get("family", 0) or 0
    )
    try:
        services.add_walk_in(activity=activity, family=family, by=request.user)
    except PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(family)s is erbij.") % {"family": family.name})
    return redirect("partnership:door-list", pk=activity.pk)


# --- Topics --------------------------------------------------------------------------------------


@login_required
def topic_list(request, pk):
    school = _school(request, pk, planner=True)
    form = forms.TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.suggest_topic(
            school=school, text=form.cleaned_data["text"], entered_by=request.user
        )
        messages.success(request, _("Het onderwerp is toegevoegd."))
        return redirect("partnership:topic-list", pk=school.pk)
    context = {"school": school, "form": form, "topics": queries.topics_for_review(school)}
    return render(request, "partnership/topic_list.html", context)


@login_required
def topic_edit(request, pk):
    """Review a topic, put it on a coffee morning's agenda, and record what came of it."""
    topic = get_object_or_404(
        TopicSuggestion.objects.visible_to(request.user).select_related("school", "suggested_by"),
        pk=pk,
    )
    school = topic.school
    if not can_plan(request.user, school):
        raise Http404
    action = request.POST.get("action", "")
    data = request.POST if request.method == "POST" else None
    review = forms.TopicReviewForm(
        data if action == "review" else None, initial={"text": topic.text, "status": topic.status}
    )
    choose = forms.TopicChooseForm(data if action == "choose" else None, school=school)
    record = forms.TopicRecordForm(
        data if action == "record" else None,
        initial={"discussed": topic.discussed, "school_action": topic.school_action},
    )
    bound = {"review": review, "choose": choose, "record": record}.get(action)
    if bound is not None and bound.is_valid():
        try:
            _apply_topic_action(action, topic, bound.cleaned_data)
        except PartnershipError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect("partnership:topic-edit", pk=topic.pk)
    # After a refused approval the page names what the check found: the same reading again,
    # once, not a query per row.
    with zeal_ignore([{"model": "schools.School", "field": "pupils"}]):
        names = queries.names_in_text(school, topic.text)
    context = {
        "topic": topic,
        "school": school,
        "review": review,
        "choose": choose,
        "record": record,
        "names": names,
    }
    return render(request, "partnership/topic_edit.html", context)


def _apply_topic_action(action, topic, data):
    if action == "review":
        services.review_topic(topic=topic, status=data["status"], text=data["text"])
    elif action == "choose":
        services.choose_topic(topic=topic, activity=data["activity"])
    else:
        services.record_topic(
            topic=topic, discussed=data["discussed"], school_action=data["school_action"]
        )


# --- The plan, evaluations, self-assessment ---------------------------------------------------------


@login_required
def plan_detail(request, pk):
    school = _school(request, pk)
    year = SchoolYear.current()
    plan = _plan(school, year)
    context = {
        "school": school,
        "year": year,
        "plan": plan,
        "sections": queries.plan_sections(plan),
        "counts": queries.partnership_counts(school, year),
        "can_plan": can_plan(request.user, school),
    }
    return render(request, "partnership/plan_detail.html", context)


@login_required
def plan_edit(request, pk):
    school = _school(request, pk, planner=True)
    year = SchoolYear.current()
    form = forms.PlanForm(request.POST or None, instance=_plan(school, year))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_plan(school=school, school_year=year, **form.cleaned_data)
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het plan is opgeslagen."))
            return redirect("partnership:plan-detail", pk=school.pk)
    return render(
        request, "partnership/plan_edit.html", {"school": school, "year": year, "form": form}
    )


@login_required
def area_edit(request, pk, partnership):
    """One partnership of the plan: what goes well, the ambition, and a new goal."""
    school = _school(request, pk, planner=True)
    if partnership not in Partnership.values:
        raise Http404
    year = SchoolYear.current()
    plan = _plan(school, year)  # made by the first save, not by opening the page
    area = plan.areas.filter(partnership=partnership).first() if plan else None
    action = request.POST.get("action")
    if request.method == "POST" and plan is None:
        plan = services.save_plan(school=school, school_year=year)
    area_form = forms.AreaForm(request.POST if action == "area" else None, instance=area)
    goal_form = forms.GoalForm(request.POST if action == "goal" else None, school=school)
    try:
        if action == "area" and area_form.is_valid():
            services.save_area(plan=plan, partnership=partnership, **area_form.cleaned_data)
            return redirect("partnership:plan-detail", pk=school.pk)
        if action == "goal" and goal_form.is_valid():
            services.add_goal(plan=plan, partnership=partnership, **goal_form.cleaned_data)
            return redirect("partnership:area-edit", pk=school.pk, partnership=partnership)
    except PartnershipError as error:
        messages.error(request, str(error))
    context = {
        "school": school,
        "year": year,
        "label": Partnership(partnership).label,
        "area_form": area_form,
        "goal_form": goal_form,
        "goals": plan.goals.filter(partnership=partnership).select_related("owner") if plan else [],
    }
    return render(request, "partnership/area_edit.html", context)


@login_required
def evaluation_list(request, pk):
    school = _school(request, pk)
    context = {
        "school": school,
        "evaluations": Evaluation.objects.filter(school=school)
        .select_related("school_year")
        .prefetch_related("scores"),
        "trends": [
            (label, queries.self_assessment_trend_rows(school, value))
            for value, label in Framework.choices
        ],
        "frameworks": Framework.choices,
        "can_plan": can_plan(request.user, school),
    }
    return render(request, "partnership/evaluation_list.html", context)


@login_required
def evaluation_create(request, pk):
    school = _school(request, pk, planner=True)
    year = SchoolYear.current()
    form = forms.EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_evaluation(
                school=school, school_year=year, scores=form.scores(), **form.fields_for_service()
            )
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De evaluatie is opgeslagen."))
            return redirect("partnership:evaluation-list", pk=school.pk)
    return render(
        request, "partnership/evaluation_form.html", {"school": school, "year": year, "form": form}
    )


@login_required
def self_assessment_edit(request, pk, framework):
    school = _school(request, pk, planner=True)
    if framework not in FRAMEWORK_ITEMS:
        raise Http404
    year = SchoolYear.current()
    form = forms.SelfAssessmentForm(
        request.POST or None,
        framework=framework,
        initial=queries.self_assessment_initial(school, year, framework),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_self_assessment(
                school=school, school_year=year, framework=framework, scores=form.scores()
            )
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De zelfevaluatie is opgeslagen."))
            return redirect("partnership:evaluation-list", pk=school.pk)
    context = {
        "school": school,
        "year": year,
        "form": form,
        "title": Framework(framework).label,
        "rows": form.rows(queries.self_assessment_facts(school, year, timezone.localdate())),
    }
    return render(request, "partnership/self_assessment_form.html", context)


# --- Buddies -------------------------------------------------------------------------------------


@login_required
def buddy_list(request, pk):
    """Buddies and key figures of the school; the planners couple and add them."""
    school = _school(request, pk, names=True)
    planner = can_plan(request.user, school)
    if request.method == "POST" and not planner:
        raise Http404
    action = request.POST.get("action")
    if action == "end":
        pair_pk = request.POST.get("pair", "")
        if not pair_pk.isdigit():
            raise Http404
        pair = get_object_or_404(BuddyPair, school=school, pk=pair_pk)
        services.end_buddy_pair(pair=pair)
        messages.success(request, _("De buddy's zijn niet langer gekoppeld."))
        return redirect("partnership:buddy-list", pk=school.pk)
    buddy_form = key_form = None
    if planner:
        buddy_form = forms.BuddyForm(
            request.POST if action == "buddy" else None, school=school, user=request.user
        )
        key_form = forms.KeyFigureForm(
            request.POST if action == "key" else None, school=school, user=request.user
        )
    bound = {"buddy": buddy_form, "key": key_form}.get(action)
    if bound is not None and bound.is_valid():
        try:
            if action == "buddy":
                services.couple_buddies(school=school, **bound.cleaned_data)
            else:
                services.add_key_figure(school=school, **bound.cleaned_data)
        except PartnershipError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect("partnership:buddy-list", pk=school.pk)
    context = {
        "school": school,
        "can_plan": planner,
        "buddy_form": buddy_form,
        "key_form": key_form,
        "pairs": BuddyPair.objects.filter(school=school).select_related("guardian_a", "guardian_b"),
        "key_figures": KeyFigure.objects.filter(school=school, active=True).select_related(
            "guardian"
        ),
    }
    return render(request, "partnership/buddy_list.html", context)


# --- For parents ---------------------------------------------------------------------------------


@login_required
def invitation_list(request):
    permissions.guardian_or_404(request.user)
    context = {
        "invitations": queries.guardian_invitations(request.user),
        "topics": queries.topics_for_parents(request.user),
    }
    return render(request, "partnership/invitation_list.html", context)


@login_required
def invitation_respond(request, pk):
    guardian = permissions.guardian_or_404(request.user)
    invitation = get_object_or_404(
        Invitation.objects.for_guardian(request.user).select_related("activity__school"), pk=pk
    )
    if request.method == "POST":
        try:
            services.answer_invitation(
                invitation=invitation, guardian=guardian, rsvp=request.POST.get("rsvp", "")
            )
        except PartnershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Dank u wel voor uw antwoord."))
            return redirect("partnership:invitation-list")
    context = {
        "invitation": invitation,
        "asks_for_helpers": invitation.activity.helper_tasks.exists(),
    }
    return render(request, "partnership/invitation_respond.html", context)


@login_required
def topic_suggest(request):
    guardian = permissions.guardian_or_404(request.user)
    schools = School.objects.filter(
        pk__in=School.objects.filter(pupils__in=permissions.visible_pupil_ids(request.user))
    )
    if not schools.exists():
        raise Http404
    form = forms.GuardianTopicForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        services.suggest_topic(
            school=form.cleaned_data["school"], text=form.cleaned_data["text"], guardian=guardian
        )
        messages.success(
            request,
            _("Dank u wel! De ouder-coördinator leest uw onderwerp en zet het op de agenda."),
        )
        return redirect("partnership:invitation-list")
    return render(request, "partnership/topic_suggest.html", {"form": form})
