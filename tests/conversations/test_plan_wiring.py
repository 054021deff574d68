"""Completing a start conversation creates or updates each present household's communication
plan with the agreements made in it."""

import datetime

import pytest

from conversations import services
from conversations.models import ConversationStatus
from conversations.services import ConversationError
from parents.models import CommunicationPlan, ContactMoment
from parents.services import agree_plan
from tests import factories as f
from tests.conversations.factories import at

HELD_AT = at(datetime.date(2026, 9, 1), 15)  # a Tuesday in the round's window
LOOK_BACK = datetime.date(2026, 10, 1)


@pytest.fixture
def father(setup):
    """Ilyas' father lives in a household of his own and keeps parental authority."""
    household = f.FamilyFactory(board=setup.school.board, name="Gezin El Idrissi")
    father = f.GuardianFactory(family=household, first_name="Karim", language="nl")
    f.PupilGuardianFactory(pupil=setup.child, guardian=father, relation="father", lives_with=False)
    return father


def _log(setup, guardians, **values):
    values = {"child_present": True, "preferred_channels": ["whatsapp", "sms", "phone"], **values}
    services.save_draft(
        conversation=setup.conversation, by=setup.teacher, values=values, guardians=guardians
    )


def _agree_two(setup, *, look_back_on=LOOK_BACK):
    services.add_agreement(
        conversation=setup.conversation,
        by=setup.teacher,
        what="Samen terugkijken op de eerste weken",
        channel="school_visit",
        responsible=setup.teacher,
        schedule="once",
        due_on=look_back_on,
    )
    services.add_agreement(
        conversation=setup.conversation,
        by=setup.teacher,
        what="Elke maand even bellen",
        channel="phone",
        responsible=setup.teacher,
        with_child=False,
        schedule="monthly",
    )


def _complete(setup):
    return services.complete_conversation(
        conversation=setup.conversation, by=setup.teacher, held_at=HELD_AT
    )


def _snapshot():
    """Every plan, agreement and moment as plain values, to compare before and after."""
    return sorted(
        ContactMoment.objects.values_list(
            "agreement__plan__family__name",
            "agreement__what",
            "agreement__schedule",
            "agreement__on_date",
            "due_on",
            "status",
        )
    )


def test_completing_creates_the_plan_with_both_agreements_and_their_moments(setup):
    _log(setup, [setup.mother], interpreter_language="ar")
    _agree_two(setup)
    _complete(setup)

    plan = CommunicationPlan.objects.get(family=setup.family)
    assert plan.school_year == setup.year
    assert plan.agreed_on == datetime.date(2026, 9, 1)
    assert plan.contact_person == setup.teacher
    assert (plan.language, plan.needs_interpreter) == ("ar", True)
    # The guardian's "sms" has no plan channel; the others keep their order.
    assert plan.preferred_channels == ["whatsapp", "phone"]
    look_back, monthly = plan.agreements.order_by("pk")
    assert (look_back.pupil, look_back.channel, look_back.schedule, look_back.on_date) == (
        setup.child,
        "school_visit",
        "once",
        LOOK_BACK,
    )
    assert list(look_back.moments.values_list("due_on", flat=True)) == [LOOK_BACK]
    assert (monthly.schedule, monthly.with_child, monthly.responsible) == (
        "monthly",
        False,
        setup.teacher,
    )
    due = list(monthly.moments.values_list("due_on", flat=True))
    # Monthly from the conversation to the end of the school year, none before it.
    assert len(due) == 11
    assert min(due) >= plan.agreed_on and max(due) <= setup.year.end
    assert {d.month for d in due} == {9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7}


def test_both_households_of_separated_parents_get_the_agreements(setup, father):
    _log(setup, [setup.mother, father], interpreter_language="ar")
    _agree_two(setup)
    _complete(setup)

    plans = {p.family: p for p in CommunicationPlan.objects.all()}
    assert set(plans) == {setup.family, father.family}
    for plan in plans.values():
        assert sorted(plan.agreements.values_list("what", flat=True)) == [
            "Elke maand even bellen",
            "Samen terugkijken op de eerste weken",
        ]
        assert plan.agreements.get(schedule="once").moments.get().due_on == LOOK_BACK
    # The interpreter was for the mother, who speaks Arabic; the father's plan stays in Dutch.
    assert (plans[setup.family].language, plans[setup.family].needs_interpreter) == ("ar", True)
    assert (plans[father.family].language, plans[father.family].needs_interpreter) == (
        "nl",
        False,
    )


def test_completing_again_after_an_edit_duplicates_nothing(setup, father):
    _log(setup, [setup.mother, father])
    _agree_two(setup)
    _complete(setup)
    before = _snapshot()
    assert len(before) == 2 * (1 + 11)

    # Completing a held conversation again is refused and leaves every plan as it was.
    with pytest.raises(ConversationError, match="al afgerond"):
        _complete(setup)
    assert _snapshot() == before

    # Reopened for an edit (the look-back moves a week) and completed again: the plans' agreements
    # are updated in place, never doubled.
    setup.conversation.refresh_from_db()
    setup.conversation.status = ConversationStatus.BOOKED
    setup.conversation.save(update_fields=["status"])
    setup.conversation.agreements.filter(schedule="once").update(
        due_on=LOOK_BACK + datetime.timedelta(weeks=1)
    )
    _complete(setup)
    after = _snapshot()
    assert len(after) == len(before)
    assert {row[:2] for row in after} == {row[:2] for row in before}
    assert {row[4] for row in after if row[2] == "once"} == {
        LOOK_BACK + datetime.timedelta(weeks=1)
    }
    for plan in CommunicationPlan.objects.all():
        assert plan.agreements.count() == 2


def test_an_existing_contact_person_is_kept(setup):
    agree_plan(
        family=setup.family,
        school_year=setup.year,
        agreed_on=datetime.date(2026, 8, 31),
        by=setup.ib,
        contact_person=setup.ib,
    )
    _log(setup, [setup.mother])
    _agree_two(setup)
    _complete(setup)
    plan = CommunicationPlan.objects.get(family=setup.family)
    assert plan.contact_person == setup.ib
    assert plan.agreed_on == datetime.date(2026, 8, 31)  # moves only earlier
    assert plan.agreements.count() == 2


def test_a_channel_the_family_cannot_be_reached_on_leaves_the_conversation_not_held(setup, father):
    # The mother can be called; the father's household has only an e-mail address.
    father.phone = ""
    father.save(update_fields=["phone"])
    _log(setup, [setup.mother, father])
    _agree_two(setup)

    with pytest.raises(ConversationError) as refused:
        _complete(setup)
    message = str(refused.value)
    assert "Het gesprek is nog niet afgerond" in message
    assert "Gezin El Idrissi" in message
    assert "telefoonnummer" in message

    setup.conversation.refresh_from_db()
    assert setup.conversation.status == ConversationStatus.TO_PLAN
    assert setup.conversation.held_at is None and setup.conversation.conducted_by is None
    # Nothing is saved, not even the plan of the mother's household that had no problem.
    assert not CommunicationPlan.objects.exists()
    assert not ContactMoment.objects.exists()


def test_a_date_before_the_conversation_is_refused_in_dutch(setup):
    _log(setup, [setup.mother])
    _agree_two(setup, look_back_on=datetime.date(2026, 8, 20))
    with pytest.raises(ConversationError, match="ligt voor 01-09-2026"):
        _complete(setup)
    setup.conversation.refresh_from_db()
    assert setup.conversation.status == ConversationStatus.TO_PLAN
    assert not CommunicationPlan.objects.exists()
