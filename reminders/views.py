from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from reminders import queries, registry, services, texts
from reminders.models import Reminder


def _overseen_school(user, school_id):
    school = registry.schools_overseen_by(user).get(school_id)
    if school is None:
        raise Http404
    return school


@login_required
def outbox_list(request, school_id):
    school = _overseen_school(request.user, school_id)
    status = request.GET.get("status", "")
    waiting, stalled = queries.queue_state()
    return render(
        request,
        "reminders/outbox_list.html",
        {
            "school": school,
            "school_id": school_id,
            "status": status,
            "counts": queries.status_counts(school_id),
            "rows": queries.outbox_of_school(school_id, status),
            "rules": queries.rules_of_school(school_id),
            "failed": queries.failed_groups(school_id),
            "waiting_minutes": waiting // 60,
            "stalled": stalled,
        },
    )


@login_required
@require_POST
def reminder_resend(request, school_id, pk):
    _overseen_school(request.user, school_id)
    reminder = get_object_or_404(Reminder.objects.of_school(school_id), pk=pk)
    try:
        services.resend(reminder=reminder)
        messages.success(request, _("De herinnering gaat opnieuw de deur uit."))
    except services.RemindersError as exc:
        messages.error(request, str(exc))
    return redirect("reminders:outbox-list", school_id=school_id)


@login_required
@require_POST
def failed_resend(request, school_id):
    """All failed reminders of one kind or one day again, in one click."""
    _overseen_school(request.user, school_id)
    try:
        day = parse_date(request.POST.get("day", ""))
        count = services.resend_failed(
            school_id=school_id, rule=request.POST.get("rule", ""), day=day
        )
    except ValueError:  # a date that does not exist, such as 31 February
        messages.error(request, _("Deze dag bestaat niet."))
        return redirect("reminders:outbox-list", school_id=school_id)
    except services.RemindersError as exc:
        messages.error(request, str(exc))
        return redirect("reminders:outbox-list", school_id=school_id)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s herinnering gaat opnieuw de deur uit.",
                "%(count)s herinneringen gaan opnieuw de deur uit.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Er was niets meer opnieuw te versturen."))
    return redirect("reminders:outbox-list", school_id=school_id)


@login_required
@require_POST
def rule_switch(request, school_id, rule):
    school = _overseen_school(request.user, school_id)
    if not school.can_manage or registry.get(rule) is None:
        raise Http404
    on = request.POST.get("on") == "1"
    services.switch_rule(school_id=school_id, rule=rule, on=on)
    messages.success(request, _("Aangezet.") if on else _("Uitgezet."))
    return redirect("reminders:outbox-list", school_id=school_id)


def stop(request, token):
    """The link at the bottom of every message: no login, the signed token says who and what, and
    the page speaks the language the message was written in."""
    try:
        _recipient_key, _rule, language = services.read_stop_token(token)
    except services.RemindersError as exc:
        return render(request, "reminders/stop.html", {"error": str(exc)}, status=404)
    done = False
    if request.method == "POST":
        services.stop_reminders(token=token)
        done = True
    question, button, confirmation = texts.in_language(language, *texts.STOP_PAGE)
    return render(
        request,
        "reminders/stop.html",
        {
            "done": done,
            "language": texts.language_of_message(language),
            "question": question,
            "button": button,
            "confirmation": confirmation,
        },
    )
