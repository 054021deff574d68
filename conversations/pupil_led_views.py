"""Pages of the pupil-led conversations: making the year's rounds, the teacher preparing the
portfolio with the pupil, and the parents seeing it in the portal. Booking and the log are the
start conversation's own pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conversations import pupil_led
from conversations.forms import PortfolioItemForm, PupilVoiceForm
from conversations.models import PortfolioItem, Round, StartConversation
from conversations.services import ConversationError
from schools import audit, permissions
from schools.audit import AuditAction
from schools.models import School, SchoolYear


@login_required
@require_POST
def pupil_led_rounds_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(School.objects.records_visible_to(request.user), pk=pk)
    if not Round(school=school).may_plan(request.user):
        raise Http404
    try:
        made = pupil_led.create_pupil_led_rounds(
            school=school, school_year=SchoolYear.current(), by=request.user
        )
    except ConversationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(count)s rondes kindgesprekken gemaakt. Bied tijden aan en open ze voor ouders.")
            % {"count": len(made)},
        )
    return redirect("conversations:round-list", pk=school.pk)


def _pupil_led_conversation(user, pk: int) -> StartConversation:
    permissions.require_role(user, permissions.NAME_READERS)
    return get_object_or_404(
        StartConversation.objects.visible_to(user)
        .filter(round__kind="pupil_led")
        .select_related("pupil", "group", "round__school_year"),
        pk=pk,
    )


@login_required
def portfolio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The teacher and the pupil prepare: the pupil's items, and their own words."""
    conversation = _pupil_led_conversation(request.user, pk)
    form = PupilVoiceForm(request.POST or None, instance=conversation)
    if request.method == "POST" and form.is_valid():
        try:
            pupil_led.save_pupil_voice(
                conversation=conversation,
                by=request.user,
                proud_of=form.cleaned_data["pupil_proud_of"],
                learn_next=form.cleaned_data["pupil_learn_next"],
            )
        except ConversationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect("conversations:portfolio-detail", pk=conversation.pk)
    audit.record(request, AuditAction.VIEW_NOTE, pupil=conversation.pupil, what=f"portfolio:{pk}")
    context = {
        "conversation": conversation,
        "items": pupil_led.portfolio_items(conversation),
        "voice_form": form,
        "item_form": PortfolioItemForm(),
    }
    return render(request, "conversations/portfolio_detail.html", context)


@login_required
@require_POST
def portfolio_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _pupil_led_conversation(request.user, pk)
    form = PortfolioItemForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            pupil_led.add_portfolio_item(
                conversation=conversation, by=request.user, **form.cleaned_data
            )
        except ConversationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Het stuk staat in het portfolio."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("conversations:portfolio-detail", pk=conversation.pk)


@login_required
@require_POST
def portfolio_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require_role(request.user, permissions.NAME_READERS)
    item = get_object_or_404(PortfolioItem.objects.visible_to(request.user), pk=pk)
    try:
        pupil_led.remove_portfolio_item(item=item, by=request.user)
    except ConversationError as error:
        messages.error(request, str(error))
    return redirect("conversations:portfolio-detail", pk=item.conversation_id)


@login_required
def portfolio_photo(request: HttpRequest, pk: int) -> FileResponse:
    """An item's photo, for the staff who see the child and the child's own parents only
    (never a public media address)."""
    item = pupil_led.visible_portfolio_item(request.user, pk)
    if item is None:
        raise Http404
    response = FileResponse(item.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def portal_portfolio(request: HttpRequest) -> HttpResponse:
    """What the guardian's children will show in their pupil-led conversation."""
    permissions.guardian_or_404(request.user)
    conversations = pupil_led.portal_portfolios(request.user)
    return render(request, "conversations/portal_portfolio.html", {"conversations": conversations})
