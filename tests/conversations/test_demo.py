from django.utils import timezone

from conversations.models import Booking, Round, Slot, StartConversation
from partnership import demo


def test_demo_round_is_under_way_and_samira_can_book(db):
    for _run in range(2):  # idempotent
        for step in demo.DEMO_STEPS:
            step()
    round_ = Round.objects.get(school__name="Basisschool De Regenboog")
    assert round_.is_open
    statuses = set(round_.conversations.values_list("status", flat=True))
    assert {"to_plan", "booked", "held"} <= statuses
    assert Slot.objects.filter(round=round_, starts_at__gt=timezone.now()).free().exists()
    assert Booking.objects.filter(slot__starts_at__gt=timezone.now()).exists()
    bouzid = StartConversation.objects.filter(
        round=round_, pupil__guardian_links__guardian__email="ouder@demo.test"
    )
    assert sorted(bouzid.values_list("status", flat=True)) == ["to_plan", "to_plan"]
    held = round_.conversations.filter(status="held").first()
    assert held.agreements.exists() and held.is_in_window
