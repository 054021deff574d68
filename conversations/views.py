import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conversations import ics, pupil_led, queries, services
from conversations.forms import (
    AgreementForm,
    AssignmentForm,
    BookForm,
    LogForm,
    MoveForm,
    RoundForm,
    SlotForm,
    WishForm,
)
from conversations.models import (
    Booking,
    CalendarFeed,
    ConversationAgreement,
    Round,
    Slot,
    StartConversation,
)
from conversations.services import ConversationError
from parents.models import Family
from schools import audit, permissions
from schools.audit import AuditAction
from schools.models import Group, School, SchoolYear


def _visible_round(user, pk):
    permissions.require_role(user, permissions.NAME_READERS)
    return get_object_or_404(
        Round.objects.visible_to(user).select_related("school", "school_year"), pk=pk
    )


def _visible_conversation(user, pk):
    permissions.require_role(user, permissions.NAME_READERS)
    return get_object_or_404(
        StartConversation.objects.visible_to(user).select_related(
            "pupil", "group", "school_year", "round__school"
        ),
        pk=pk,
    )


def _visible_booking(user, pk):
    permissions.require_role(user, permissions.NAME_READERS)
    return get_object_or_404(
        Booking.objects.visible_to(user).select_related(
            "slot__staff", "conversation__pupil", "conversation__round", "family"
        ),
        pk=pk,
    )


# --- Staff: rounds -------------------------------------------------------------------------


@login_required
def round_list(request, pk):
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    permissions.require_role(request.user, permissions.NAME_READERS)
    year = SchoolYear.current()
    planner = Round(school=school).may_plan(request.user)
    form = RoundForm(request.POST or None) if planner else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            round_ = services.create_round(school=school, school_year=year, by=request.user, **data)
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            return redirect("conversations:round-detail", pk=round_.pk)
    rounds = queries.rounds_of_school(school)
    has_current = any(r.school_year_id == year.pk and not r.is_pupil_led for r in rounds)
    return render(
        request,
        "conversations/round_list.html",
        {
            "school": school,
            "year": year,
            "rounds": rounds,
            "form": form,
            "has_current": has_current,
        },
    )


@login_required
def round_detail(request, pk):
    round_ = _visible_round(request.user, pk)
    rows = queries.progress_by_group(round_, request.user)
    planner = round_.may_plan(request.user)
    context = {
        "round": round_,
        "rows": rows,
        "totals": queries.totals(rows),
        "planner": planner,
        "assign_form": AssignmentForm(round=round_) if planner else None,
        "assignments": queries.assignments(round_),
        "slot_days": queries.slot_days(round_, request.user),
        "unbooked": queries.unbooked_invitations(round_).count() if planner else None,
    }
    return render(request, "conversations/round_detail.html", context)


@login_required
@require_POST
def round_open(request, pk):
    round_ = _visible_round(request.user, pk)
    if not round_.may_plan(request.user):
        raise Http404
    services.open_round(round=round_, by=request.user)
    count = services.invite_families(round=round_, by=request.user)
    messages.success(
        request,
        _("De ronde is open. %(count)s gezinnen zijn uitgenodigd.") % {"count": count},
    )
    return redirect("conversations:round-detail", pk=round_.pk)


@login_required
@require_POST
def round_close(request, pk):
    round_ = _visible_round(request.user, pk)
    if not round_.may_plan(request.user):
        raise Http404
    try:
        services.close_round(round=round_, by=request.user)
    except ConversationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("De ronde is gesloten. Ouders kunnen niet meer boeken; de herinneringen stoppen."),
        )
    return redirect("conversations:round-detail", pk=round_.pk)


@login_required
@require_POST
def slot_remove(request, pk):
    permissions.require_role(request.user, permissions.NAME_READERS)
    slot = get_object_or_404(
        Slot.objects.filter(round__in=Round.objects.visible_to(request.user)), pk=pk
    )
    try:
        services.remove_slot(slot=slot, by=request.user)
    except ConversationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het tijdstip is weggehaald."))
    day = timezone.localtime(slot.starts_at).date().isoformat()
    url = reverse("conversations:day-schedule", args=[slot.round_id])
    return redirect(f"{url}?dag={day}&medewerker={slot.staff_id}")


@login_required
def round_edit(request, pk):
    round_ = _visible_round(request.user, pk)
    if not round_.may_plan(request.user):
        raise Http404
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(round=round_, by=request.user, **form.cleaned_data)
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect("conversations:round-detail", pk=round_.pk)
    return render(request, "conversations/round_edit.html", {"round": round_, "form": form})


@login_required
@require_POST
def assignment_create(request, pk):
    round_ = _visible_round(request.user, pk)
    if not round_.may_plan(request.user):
        raise Http404
    form = AssignmentForm(request.POST, round=round_)
    if form.is_valid():
        services.assign_staff(round=round_, by=request.user, **form.cleaned_data)
        messages.success(request, _("Opgeslagen."))
    else:
        messages.error(request, _("Kies een groep en een medewerker."))
    return redirect("conversations:round-detail", pk=round_.pk)


@login_required
def slot_create(request, pk):
    round_ = _visible_round(request.user, pk)
    form = SlotForm(request.POST or None, round=round_, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            slots = services.generate_slots(round=round_, by=request.user, **form.cleaned_data)
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(count)s tijden gemaakt.") % {"count": len(slots)})
            return redirect("conversations:round-detail", pk=round_.pk)
    return render(request, "conversations/slot_create.html", {"round": round_, "form": form})


@login_required
def group_detail(request, pk, group_pk):
    round_ = _visible_round(request.user, pk)
    group = get_object_or_404(
        Group.objects.visible_to(request.user).filter(school=round_.school), pk=group_pk
    )
    conversations = queries.conversations_of_group(round_, group, request.user)
    return render(
        request,
        "conversations/group_detail.html",
        {"round": round_, "group": group, "conversations": conversations},
    )


@login_required
def day_schedule(request, pk):
    """A printable list of one staff member's conversations on one day (default: mine, today)."""
    round_ = _visible_round(request.user, pk)
    try:
        day = datetime.date.fromisoformat(request.GET.get("dag", ""))
    except ValueError:
        day = timezone.localdate()
    staff = request.user
    if request.GET.get("medewerker") and round_.may_plan(request.user):
        staff = get_object_or_404(
            queries.staff_of_round_school(round_), pk=request.GET["medewerker"]
        )
    slots = queries.day_schedule(staff, round_, day)
    return render(
        request,
        "conversations/day_schedule.html",
        {"round": round_, "day": day, "staff": staff, "slots": slots},
    )


# --- Staff: bookings -----------------------------------------------------------------------


@login_required
def conversation_book(request, pk):
    """Staff book a slot for a family, for instance after a phone call: the child's teacher's
    free times first, and siblings still to plan adjacent in one step."""
    conversation = _visible_conversation(request.user, pk)
    families = Family.objects.filter(
        pk__in=[family.pk for family in queries.families_of(conversation)]
    ).with_children(request.user)
    children = queries.to_plan_with_siblings(conversation, request.user)
    options = queries.portal_slot_options(children)
    form = BookForm(
        request.POST or None,
        families=families,
        slots=queries.free_slots(conversation.round),
        own_slots=list(options.get(conversation.pk, {}).values()),
        runs=queries.sibling_suggestions(children, options),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["run"]:
            choices = [(slot, child) for child, slot in data["run"]]
        else:
            choices = [(data["slot"], conversation)]
        try:
            services.book_slots(choices=choices, family=data["family"], by=request.user)
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het gesprek is gepland."))
            return redirect(
                "conversations:group-detail",
                pk=conversation.round_id,
                group_pk=conversation.group_id,
            )
    return render(
        request,
        "conversations/conversation_book.html",
        {"conversation": conversation, "form": form, "siblings": children[1:]},
    )


@login_required
@require_POST
def conversation_not_reached(request, pk):
    """Staff tried every way and could not reach the family: the dashboard counts it."""
    conversation = _visible_conversation(request.user, pk)
    try:
        services.mark_not_reached(conversation=conversation, by=request.user)
    except ConversationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Genoteerd: niet bereikt. U kunt later alsnog een gesprek plannen.")
        )
    return redirect(
        "conversations:group-detail", pk=conversation.round_id, group_pk=conversation.group_id
    )


@login_required
def booking_move(request, pk):
    booking = _visible_booking(request.user, pk)
    form = MoveForm(request.POST or None, slots=queries.free_slots(booking.conversation.round))
    if request.method == "POST" and form.is_valid():
        try:
            services.move_booking(booking=booking, slot=form.cleaned_data["slot"], by=request.user)
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het gesprek is verzet. Het gezin krijgt bericht."))
            return _back_to_group(booking)
    return render(request, "conversations/booking_move.html", {"booking": booking, "form": form})


def _back_to_group(booking):
    conversation = booking.conversation
    return redirect(
        "conversations:group-detail", pk=conversation.round_id, group_pk=conversation.group_id
    )


@login_required
def booking_cancel(request, pk):
    """Ask first, saying that the family will be told; cancel on the confirmation."""
    booking = _visible_booking(request.user, pk)
    if request.method != "POST":
        return render(request, "conversations/booking_cancel.html", {"booking": booking})
    try:
        services.cancel_booking(booking=booking, by=request.user)
    except ConversationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Het gesprek gaat niet door. Het gezin krijgt bericht."))
    return _back_to_group(booking)


@login_required
@require_POST
def booking_no_show(request, pk):
    booking = _visible_booking(request.user, pk)
    try:
        services.mark_no_show(booking=booking, by=request.user)
    except ConversationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Genoteerd: niet gekomen. Het gezin staat weer op 'nog plannen'.")
        )
    return _back_to_group(booking)


@login_required
def booking_ics(request, pk):
    """One booking as a calendar file, for the staff member or the family."""
    bookings = Booking.objects.visible_to(request.user).select_related(
        "slot", "conversation__pupil", "conversation__round__school"
    )
    if not permissions.reads_names(request.user):
        bookings = bookings.filter(family__guardians__user=request.user)
    booking = get_object_or_404(bookings, pk=pk)
    response = HttpResponse(
        ics.calendar_for(
            [booking], _("Startgesprek"), by=request.user, what=f"booking:{booking.pk}"
        ),
        content_type="text/calendar",
    )
    response["Content-Disposition"] = 'attachment; filename="startgesprek.ics"'
    return response


@login_required
def my_calendar(request):
    """The staff member's private feed address (made on first visit, renewable)."""
    permissions.require_role(request.user, permissions.NAME_READERS)
    if request.method == "POST":
        CalendarFeed.objects.filter(user=request.user).delete()
    feed, _created = CalendarFeed.objects.get_or_create(user=request.user)
    if request.method == "POST":
        messages.success(request, _("U heeft een nieuw agenda-adres. Het oude werkt niet meer."))
        return redirect("conversations:my-calendar")
    url = request.build_absolute_uri(reverse("conversations:staff-feed", args=[feed.token]))
    return render(request, "conversations/my_calendar.html", {"feed_url": url})


def staff_feed(request, token):
    """The private feed: no login (calendar apps cannot log in), the token is the key."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    today = timezone.localdate()
    bookings = queries.bookings_between(
        feed.user, today - datetime.timedelta(days=30), today + datetime.timedelta(days=120)
    )
    return HttpResponse(
        ics.calendar_for(
            bookings, _("Startgesprekken"), by=feed.user, what=f"calendar_feed:{feed.pk}"
        ),
        content_type="text/calendar",
    )


@login_required
def my_week(request):
    permissions.require_role(request.user, permissions.NAME_READERS)
    bookings = queries.conversations_this_week(request.user)
    return render(request, "conversations/my_week.html", {"bookings": bookings})


# --- Staff: the conversation log ----------------------------------------------------------


@login_required
@audit.logs_denied("start_conversation", "conversations.StartConversation", "pupil__school_id")
def conversation_log(request, pk):
    """The log form. htmx posts it as you type (a draft); "Afronden" completes it."""
    conversation = _visible_conversation(request.user, pk)
    show_home = conversation.shows_home_situation_to(request.user)
    form = LogForm(request.POST or None, instance=conversation, show_home_situation=show_home)
    if request.method == "POST" and not conversation.is_held:
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "guardians_present"}
            try:
                conversation = services.save_draft(
                    conversation=conversation,
                    by=request.user,
                    values=values,
                    guardians=form.cleaned_data["guardians_present"],
                )
            except ConversationError as error:
                form.add_error(None, str(error))
            else:
                _audit(request, conversation, AuditAction.CHANGE_NOTE)
        if request.htmx:
            return render(
                request,
                "conversations/conversation_log.html#saved",
                {"conversation": conversation, "form": form, "just_saved": form.is_valid()},
            )
        if form.is_valid() and "complete" in request.POST:
            return _complete(request, conversation)
    # One event per page view: the home situation is the more sensitive part when it is shown.
    _audit(
        request,
        conversation,
        AuditAction.VIEW_HOME_SITUATION if show_home else AuditAction.VIEW_NOTE,
    )
    context = {
        "conversation": conversation,
        "form": form,
        "agreement_form": AgreementForm(school=conversation.round.school, user=request.user),
        "agreements": conversation.agreements.select_related("responsible"),
        "portfolio": pupil_led.portfolio_items(conversation),
        "previous": queries.previous_conversation(conversation),
        "show_home": show_home,
        "bookings": conversation.bookings.select_related("slot__staff", "family"),
        "invitations": queries.invitations_of(conversation),
    }
    return render(request, "conversations/conversation_log.html", context)


def _audit(request, conversation, action):
    audit.record(
        request, action, pupil=conversation.pupil, what=f"start_conversation:{conversation.pk}"
    )


def _complete(request, conversation):
    try:
        services.complete_conversation(conversation=conversation, by=request.user)
    except ConversationError as error:
        messages.error(request, str(error))
        return redirect("conversations:conversation-log", pk=conversation.pk)
    messages.success(request, _("Het startgesprek is afgerond. Dank u wel!"))
    return redirect(
        "conversations:group-detail", pk=conversation.round_id, group_pk=conversation.group_id
    )


@login_required
@require_POST
def agreement_create(request, pk):
    conversation = _visible_conversation(request.user, pk)
    form = AgreementForm(request.POST, school=conversation.round.school, user=request.user)
    if form.is_valid():
        try:
            services.add_agreement(conversation=conversation, by=request.user, **form.cleaned_data)
        except ConversationError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("conversations:conversation-log", pk=conversation.pk)


@login_required
@require_POST
def agreement_delete(request, pk):
    permissions.require_role(request.user, permissions.NAME_READERS)
    agreement = get_object_or_404(
        ConversationAgreement.objects.filter(
            conversation__in=StartConversation.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    try:
        services.remove_agreement(agreement=agreement, by=request.user)
    except ConversationError as error:
        messages.error(request, str(error))
    return redirect("conversations:conversation-log", pk=agreement.conversation_id)


# --- Guardians: booking in the portal -------------------------------------------------------


@login_required
def portal_booking(request):
    """The guardian's children in open rounds; pick a slot per child, or for siblings one of the
    suggested runs of adjacent slots with their own teachers, in one step."""
    guardian = permissions.guardian_or_404(request.user)
    conversations = queries.portal_conversations(request.user)
    bookable = [c for c in conversations if c.bookable]
    options = queries.portal_slot_options(bookable)
    for conversation in bookable:
        conversation.slot_options = list(options.get(conversation.pk, {}).values())
    if request.method == "POST":
        try:
            choices = _chosen_slots(request.POST, bookable, options)
            services.book_slots(choices=choices, family=guardian.family, by=request.user)
        except ConversationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Dank u wel! Uw gesprek staat vast."))
        return redirect("conversations:portal-booking")
    context = {
        "conversations": conversations,
        "bookable": bookable,
        "suggestions": queries.sibling_suggestions(bookable, options),
        "invitations": queries.portal_invitations(request.user),
    }
    return render(request, "conversations/portal_booking.html", context)


def _chosen_slots(data, bookable, options):
    """(slot, conversation) pairs from the form: a suggested run ("together": slot ids in the
    children's order) or one select per child. Only slots offered to that child count."""
    wanted = {}
    if data.get("together"):
        # Each slot goes to the first child (in the page's order) it is offered to: a run holds
        # the children of one round, each with their own teacher.
        remaining = list(bookable)
        for slot_id in data["together"].split(","):
            pk = int(slot_id) if slot_id.isdigit() else 0
            child = next((c for c in remaining if pk in options.get(c.pk, {})), None)
            if child is None:
                raise ConversationError(_("Dit tijdstip is niet meer vrij. Kies een ander."))
            remaining.remove(child)
            wanted[child.pk] = slot_id
    else:
        wanted = {c.pk: data.get(f"slot-{c.pk}", "") for c in bookable}
    choices = []
    for conversation in bookable:
        slot_id = wanted.get(conversation.pk, "")
        if not slot_id:
            continue
        slot = options.get(conversation.pk, {}).get(int(slot_id) if slot_id.isdigit() else 0)
        if slot is None:
            raise ConversationError(_("Dit tijdstip is niet meer vrij. Kies een ander."))
        choices.append((slot, conversation))
    return choices


@login_required
def portal_wish(request, pk):
    permissions.guardian_or_404(request.user)
    invitation = get_object_or_404(queries.portal_invitations(request.user), pk=pk)
    form = WishForm(
        request.POST or None,
        initial={
            "wish": invitation.wish,
            "home_visit": invitation.wants_home_visit,
            "interpreter_language": invitation.interpreter_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_other_time(
                invitation=invitation,
                by=request.user,
                wish=form.cleaned_data["wish"],
                home_visit=form.cleaned_data["home_visit"],
                interpreter_language=form.cleaned_data["interpreter_language"],
            )
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Dank u wel! De school neemt contact met u op."))
            return redirect("conversations:portal-booking")
    return render(
        request, "conversations/portal_wish.html", {"invitation": invitation, "form": form}
    )
