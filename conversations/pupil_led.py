"""Pupil-led conversations (kindgesprekken): three rounds a year in which the pupil presents their
own work to their parents and the teacher.

The rounds are ordinary rounds of another kind, so inviting, offering slots, booking (siblings
adjacent), the log and the hand-over of agreements to the communication plan are the start
conversation's own code (``conversations.services``). What is added here: the three rounds made
in one step, and what the pupil brings: portfolio items and their own words."""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from conversations.models import (
    PUPIL_LED_ROUNDS_PER_YEAR,
    PortfolioItem,
    Round,
    RoundKind,
    StartConversation,
)
from conversations.portfolio_models import MAX_ITEM_TEXT, MAX_PORTFOLIO_ITEMS
from conversations.services import ConversationError, create_round
from parents import photos
from parents.consent import refusals
from parents.models import PhotoPurpose
from schools import permissions
from schools.calendar import SchoolCalendar
from schools.models import School, SchoolYear

# The conversations fall in the last weeks of a term, when there is work to show.
WINDOW_DAYS = 21
MAX_VOICE_LENGTH = 1000


def pupil_led_terms(calendar: SchoolCalendar) -> list[tuple[datetime.date, datetime.date]]:
    """(first, last) school day of the window of each of the year's pupil-led rounds: the last
    three weeks of terms spread over the year. The first term is left out: it holds the start
    conversations. With the usual five terms that is the 2nd, 4th and 5th (November, March,
    June)."""
    terms = calendar.terms()[1:]
    if len(terms) < PUPIL_LED_ROUNDS_PER_YEAR:
        raise ConversationError(
            _("Dit schooljaar heeft te weinig periodes voor drie rondes kindgesprekken.")
        )
    last = len(terms) - 1
    picked = [
        terms[round(i * last / (PUPIL_LED_ROUNDS_PER_YEAR - 1))]
        for i in range(PUPIL_LED_ROUNDS_PER_YEAR)
    ]
    windows = []
    for start, end in picked:
        while not calendar.is_school_day(end) and end > start:  # the term ends in a holiday
            end -= datetime.timedelta(days=1)
        first = max(start, end - datetime.timedelta(days=WINDOW_DAYS - 1))
        windows.append((calendar.next_school_day(first), end))
    return windows


@transaction.atomic
def create_pupil_led_rounds(*, school: School, school_year: SchoolYear, by) -> list[Round]:
    """The year's three pupil-led rounds in one step, each in a different term. Rounds already
    made are kept as they are; only the missing ones are added. Returns the new rounds."""
    calendar = SchoolCalendar.build(school, school_year)
    existing = set(
        Round.objects.filter(
            school=school, school_year=school_year, kind=RoundKind.PUPIL_LED
        ).values_list("number", flat=True)
    )
    made = []
    for number, (first, last) in enumerate(pupil_led_terms(calendar), start=1):
        if number in existing:
            continue
        made.append(
            create_round(
                school=school,
                school_year=school_year,
                by=by,
                window_start=first,
                window_end=last,
                kind=RoundKind.PUPIL_LED,
                number=number,
            )
        )
    if not made:
        raise ConversationError(_("De drie rondes kindgesprekken van dit jaar bestaan al."))
    return made


# --- What the pupil brings -------------------------------------------------------------------


def _require_preparer(conversation: StartConversation, user) -> StartConversation:
    """The staff who see the child prepare with the pupil, while the conversation is to come."""
    conversation = (
        StartConversation.objects.select_for_update()
        .select_related("round")
        .get(pk=conversation.pk)
    )
    if not (
        permissions.reads_names(user, conversation.round.school_id)
        and StartConversation.objects.visible_to(user).filter(pk=conversation.pk).exists()
    ):
        raise ConversationError(_("Dit kind hoort niet bij uw groepen."))
    if not conversation.round.is_pupil_led:
        raise ConversationError(_("Een portfolio hoort bij een kindgesprek."))
    if conversation.is_held:
        raise ConversationError(_("Dit kindgesprek is al gehouden."))
    return conversation


def add_portfolio_item(
    *,
    conversation: StartConversation,
    by,
    text: str,
    photo=None,
    photo_shows_child: bool = False,
) -> PortfolioItem:
    """Add a piece of work the pupil chose, with a short text and perhaps a photo.

    The photo is seen by the child's own parents in the portal, so the consent for the parent
    portal (``PhotoPurpose.PORTAL``) applies when the child is on it; a photo of the work alone
    shows nobody. Other children must not be on it: their parents did not choose to show them to
    this family, and we cannot check a picture for faces. A photo of a rolled-back item does not
    stay in storage."""
    text = (text or "").strip()
    if not text:
        raise ConversationError(_("Schrijf kort wat dit stuk laat zien."))
    if len(text) > MAX_ITEM_TEXT:
        raise ConversationError(_("Schrijf het in hoogstens 300 tekens."))
    scaled = None
    if photo:
        try:
            scaled = photos.scaled_photo(photo)
        except photos.PhotoError as error:
            raise ConversationError(str(error)) from error
    with photos.removed_on_rollback() as keep:
        conversation = _require_preparer(conversation, by)
        if conversation.portfolio_items.count() >= MAX_PORTFOLIO_ITEMS:
            raise ConversationError(
                _("Kies hoogstens %(max)s stukken: dan is er tijd om over elk te praten.")
                % {"max": MAX_PORTFOLIO_ITEMS}
            )
        shows_child = bool(scaled) and photo_shows_child
        if shows_child and not _may_appear_in_portal(conversation):
            raise ConversationError(
                _(
                    "De ouders hebben geen toestemming gegeven voor foto's van %(child)s in het "
                    "ouderportaal. Maak een foto van alleen het werk, of laat de foto weg."
                )
                % {"child": conversation.pupil.first_name}
            )
        item = PortfolioItem(
            conversation=conversation, text=text, photo_shows_child=shows_child, added_by=by
        )
        if scaled:
            item.photo = scaled
        item.save()
        keep(item.photo)
    return item


def _may_appear_in_portal(conversation: StartConversation) -> bool:
    consent = refusals([conversation.pupil_id], conversation.school_year)
    return consent[conversation.pupil_id].may_appear(PhotoPurpose.PORTAL)


@transaction.atomic
def remove_portfolio_item(*, item: PortfolioItem, by) -> None:
    """Take an item out; its photo goes once the removal is committed."""
    _require_preparer(item.conversation, by)
    photo = item.photo
    item.delete()
    if photo:
        transaction.on_commit(lambda: photo.storage.delete(photo.name))


@transaction.atomic
def save_pupil_voice(
    *, conversation: StartConversation, by, proud_of: str, learn_next: str
) -> StartConversation:
    """The pupil's own words: what they are proud of and what they want to learn next, typed by
    the teacher in class on the pupil's behalf (pupils have no accounts)."""
    conversation = _require_preparer(conversation, by)
    proud_of, learn_next = (proud_of or "").strip(), (learn_next or "").strip()
    if len(proud_of) > MAX_VOICE_LENGTH or len(learn_next) > MAX_VOICE_LENGTH:
        raise ConversationError(
            _("Schrijf elk antwoord in hoogstens %(max)s tekens.") % {"max": MAX_VOICE_LENGTH}
        )
    conversation.pupil_proud_of = proud_of
    conversation.pupil_learn_next = learn_next
    conversation.save(update_fields=["pupil_proud_of", "pupil_learn_next"])
    return conversation


# --- What pages read -------------------------------------------------------------------------


def portfolio_items(conversation: StartConversation) -> QuerySet[PortfolioItem]:
    return conversation.portfolio_items.order_by("added_at", "pk")


def portal_portfolios(user) -> list[StartConversation]:
    """For a guardian: this school year's pupil-led conversations of their own children, each with ``items`` (the photos of a child shown only while the
    portal consent holds: consent withdrawn later hides them). Three queries."""
    year = SchoolYear.current()
    conversations = list(
        StartConversation.objects.visible_to(user)
        .filter(round__kind=RoundKind.PUPIL_LED, school_year=year)
        .select_related("pupil", "round__school_year")
        .prefetch_related("portfolio_items")
        .order_by("pupil__date_of_birth", "round__number")
    )
    consent = refusals([c.pupil_id for c in conversations], year)
    for c in conversations:
        may_show_child = consent[c.pupil_id].may_appear(PhotoPurpose.PORTAL)
        c.items = list(c.portfolio_items.all())
        for item in c.items:
            item.photo_shown = bool(item.photo) and (may_show_child or not item.photo_shows_child)
    return [c for c in conversations if c.items or c.pupil_proud_of or c.pupil_learn_next]


def visible_portfolio_item(user, pk: int) -> PortfolioItem | None:
    """The item whose photo ``user`` may see: staff who see the child, or the child's own
    guardian while the photo may be shown in the portal. None for anyone else."""
    item = (
        PortfolioItem.objects.filter(
            conversation__pupil__in=permissions.visible_pupil_ids(user), pk=pk
        )
        .exclude(photo="")
        .select_related("conversation__school_year")
        .first()
    )
    if item is None or permissions.reads_names(user) or not item.photo_shows_child:
        return item
    consent = refusals([item.conversation.pupil_id], item.conversation.school_year)
    return item if consent[item.conversation.pupil_id].may_appear(PhotoPurpose.PORTAL) else None
