"""Helping parents: the ouder-coördinator asks for helpers per task of an activity; a parent of an
invited household signs up in the portal and sees who else helps (first names only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from partnership import helper_queries, helper_services
from partnership.helper_forms import HelperTaskForm
from partnership.helper_models import HelperTask
from partnership.models import Activity, Invitation, can_plan
from partnership.services import PartnershipError
from schools import permissions


@never_cache
@login_required
def helper_tasks(request, pk):
    """The planner's page: ask for helpers, and see who signed up."""
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("school"), pk=pk
    )
    if not can_plan(request.user, activity.school):
        raise Http404
    form = HelperTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            helper_services.ask_for_helpers(
                activity=activity,
                kind=form.cleaned_data["kind"],
                needed=form.cleaned_data["needed"],
            )
        except PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De ouders kunnen zich nu aanmelden."))
            return redirect("partnership:helper-tasks", pk=activity.pk)
    context = {
        "activity": activity,
        "school": activity.school,
        "form": form,
        "tasks": helper_queries.tasks_with_helpers(activity),
    }
    return render(request, "partnership/helper_tasks.html", context)


@never_cache
@login_required
def helper_signup(request, pk):
    """A parent signs up for a task of an activity their household is invited to."""
    guardian = permissions.guardian_or_404(request.user)
    invitation = get_object_or_404(
        Invitation.objects.for_guardian(request.user).select_related("activity__school"),
        activity_id=pk,
    )
    activity = invitation.activity
    if request.method == "POST":
        task = get_object_or_404(HelperTask, activity=activity, pk=request.POST.get("task") or 0)
        try:
            if request.POST.get("action") == "withdraw":
                helper_services.withdraw_as_helper(task=task, guardian=guardian)
                messages.success(request, _("U bent afgemeld. Jammer, en toch bedankt."))
            else:
                helper_services.sign_up_as_helper(task=task, guardian=guardian)
                messages.success(request, _("Dank u wel! U krijgt de dag ervoor een herinnering."))
        except PartnershipError as error:
            messages.error(request, str(error))
        return redirect("partnership:helper-signup", pk=activity.pk)
    tasks = helper_queries.tasks_with_helpers(activity)
    for task in tasks:
        task.helps = any(s.guardian_id == guardian.pk for s in task.signups_shown)
        task.open_places = max(task.needed - len(task.signups_shown), 0)
    return render(request, "partnership/helper_signup.html", {"activity": activity, "tasks": tasks})
