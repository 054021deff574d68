"""Slots only on days the school is open, inside the round's window; a far-off date says so."""

import datetime

import pytest

from conversations.models import Slot
from conversations.services import ConversationError
from schools.models import SchoolClosure
from tests.conversations.factories import WINDOW_START

D = datetime.date


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 9, 5), "weekend"),  # a Saturday in the window
        (D(2026, 9, 9), "Studiedag"),
    ],
)
def test_slots_on_a_day_the_school_is_closed_are_refused_with_the_reason(setup, day, reason):
    SchoolClosure.objects.create(school=setup.school, date=D(2026, 9, 9), reason="Studiedag")
    with pytest.raises(ConversationError, match=f"is de school dicht: {reason}"):
        setup.slots(day=day)
    assert not Slot.objects.exists()


def test_a_public_holiday_inside_a_window_is_refused(setup):
    # A round in spring: Tweede Paasdag 2027 is no school day.
    setup.round.window_start, setup.round.window_end = D(2027, 3, 22), D(2027, 4, 9)
    setup.round.save()
    with pytest.raises(ConversationError, match="dicht: Tweede Paasdag"):
        setup.slots(day=D(2027, 3, 29))


def test_a_date_far_outside_the_window_says_so(setup):
    with pytest.raises(ConversationError, match="ver buiten.*Klopt de maand en het jaar"):
        setup.slots(day=WINDOW_START.replace(year=2027))
    with pytest.raises(ConversationError, match="valt buiten.*31-08-2026 tot en met 20-09-2026"):
        setup.slots(day=WINDOW_START + datetime.timedelta(days=25))
