from django.utils import timezone

from conversations.models import Booking, Round, Slot, StartConversation
from parents.models import Agreement, CommunicationPlan
from partnership import demo


def test_demo_round_is_under_way_and_samira_can_book(db):
    for _run in range(2):  # idempotent
        for step in demo.DEMO_STEPS:
            step()
    round_ = Round.objects.get(school__name="Basisschool De Regenboog", kind="start")
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
    # Each logged conversation handed its agreement to the plan of the household that was there.
    for conversation in round_.conversations.filter(status="held"):
        what = conversation.agreements.get().what
        for guardian in conversation.guardians_present.all():
            assert Agreement.objects.filter(
                plan__family=guardian.family_id, pupil=conversation.pupil, what=what
            ).exists()
    # The plans step ran first and still gave the school its own plans.
    assert CommunicationPlan.objects.filter(contact_person__email="ib@demo.test").exists()
