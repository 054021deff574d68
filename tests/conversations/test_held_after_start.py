"""A conversation is held after it starts: its log cannot be completed before the booked time,
and once held it no longer offers move, cancel or no-show."""

import pytest
from django.urls import reverse

from conversations import services
from conversations.services import ConversationError


def _booked_and_logged(setup):
    slot = setup.slots()[0]
    booking = services.book_slot(
        slot=slot, conversation=setup.conversation, family=setup.family, by=setup.mother.user
    )
    services.save_draft(
        conversation=setup.conversation,
        by=setup.teacher,
        values={"child_present": True, "qualities": "Leest graag"},
        guardians=[setup.mother],
    )
    services.add_agreement(
        conversation=setup.conversation,
        by=setup.teacher,
        what="Elke maand even bellen",
        channel="phone",
        responsible=setup.teacher,
        schedule="monthly",
    )
    return booking


def test_completing_before_the_booked_time_is_refused_and_the_log_kept(setup, frozen):
    booking = _booked_and_logged(setup)
    with pytest.raises(ConversationError, match="begint pas op"):
        services.complete_conversation(conversation=setup.conversation, by=setup.teacher)
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == "booked"
    assert setup.conversation.qualities == "Leest graag"

    frozen.move_to(booking.slot.starts_at)
    services.complete_conversation(conversation=setup.conversation, by=setup.teacher)
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == "held"


def test_the_log_page_says_why_it_cannot_be_completed_yet(setup, client):
    _booked_and_logged(setup)
    client.force_login(setup.teacher)
    response = client.post(
        reverse("conversations:conversation-log", args=[setup.conversation.pk]),
        {"child_present": "True", "guardians_present": [setup.mother.pk], "complete": "1"},
        follow=True,
    )
    assert "begint pas op" in response.content.decode()
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == "booked"


def test_a_held_conversation_offers_no_move_cancel_or_no_show(setup, frozen, client):
    booking = _booked_and_logged(setup)
    url = reverse("conversations:group-detail", args=[setup.round.pk, setup.group.pk])
    client.force_login(setup.teacher)
    before = client.get(url).content.decode()
    assert reverse("conversations:booking-move", args=[booking.pk]) in before

    frozen.move_to(booking.slot.ends_at)
    services.complete_conversation(conversation=setup.conversation, by=setup.teacher)
    after = client.get(url).content.decode()
    for name in ("booking-move", "booking-cancel", "booking-no-show"):
        assert reverse(f"conversations:{name}", args=[booking.pk]) not in after
    with pytest.raises(ConversationError, match="al afgehandeld"):
        services.mark_no_show(booking=booking, by=setup.teacher)
