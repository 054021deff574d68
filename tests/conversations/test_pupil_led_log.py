"""Beside a kindgesprek's log the teacher sees the child's previous kindgesprek that was held,
earlier this year or last year, with what the child said and the agreements made then; not
last year's start conversation."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from conversations import pupil_led, services
from conversations.models import ConversationAgreement, ConversationStatus, RoundKind
from tests import factories as f
from tests.conversations.factories import RoundFactory, StartConversationFactory, at

pytestmark = pytest.mark.django_db

FIRST_ROUND_DAY = datetime.date(2026, 12, 1)  # in the window of the year's first round


@pytest.fixture
def rounds(setup):
    return pupil_led.create_pupil_led_rounds(
        school=setup.school, school_year=setup.year, by=setup.ib
    )


def hold(setup, round_, *, proud_of, learn_next, agreement, day):
    """The child's conversation in ``round_`` prepared, held on ``day`` and logged."""
    conversation = round_.conversations.get(pupil=setup.child)
    pupil_led.save_pupil_voice(
        conversation=conversation, by=setup.teacher, proud_of=proud_of, learn_next=learn_next
    )
    services.save_draft(
        conversation=conversation,
        by=setup.teacher,
        values={"child_present": True},
        guardians=[setup.mother],
    )
    services.add_agreement(
        conversation=conversation,
        by=setup.teacher,
        what=agreement,
        channel="email",
        responsible=setup.teacher,
        schedule="once",
        due_on=day + datetime.timedelta(weeks=4),
    )
    with time_machine.travel(at(day, 14), tick=False):
        services.complete_conversation(conversation=conversation, by=setup.teacher)
    return conversation


def log_page(client, user, conversation):
    client.force_login(user)
    url = reverse("conversations:conversation-log", args=[conversation.pk])
    return client.get(url).content.decode()


def last_years_conversation(setup, kind, **values):
    last_year = f.SchoolYearFactory(
        label="2025-2026", start=datetime.date(2025, 8, 1), end=datetime.date(2026, 7, 31)
    )
    round_ = RoundFactory(
        school=setup.school,
        school_year=last_year,
        created_by=setup.ib,
        kind=kind,
        number=3 if kind == RoundKind.PUPIL_LED else None,
        window_start=datetime.date(2026, 6, 15),
        window_end=datetime.date(2026, 7, 3),
    )
    conversation = StartConversationFactory(
        round=round_,
        pupil=setup.child,
        status=ConversationStatus.HELD,
        held_at=at(datetime.date(2026, 6, 16), 14),
        conducted_by=setup.teacher,
        child_present=True,
        **values,
    )
    ConversationAgreement.objects.create(
        conversation=conversation,
        what=f"Afspraak van vorig jaar ({kind})",
        channel="phone",
        responsible=setup.teacher,
        schedule="once",
        due_on=datetime.date(2026, 7, 1),
    )
    return conversation


def test_the_second_kindgesprek_shows_what_the_child_said_and_agreed_in_the_first(
    setup, rounds, client
):
    for round_ in rounds[:2]:
        services.invite_families(round=round_, by=setup.ib)
    hold(
        setup,
        rounds[0],
        proud_of="Ik lees nu hele boeken",
        learn_next="De tafels van 7 en 8",
        agreement="Ilyas oefent thuis elke dag vijf minuten de tafels",
        day=FIRST_ROUND_DAY,
    )
    last_years_conversation(setup, RoundKind.START, ambition="Meer durven zeggen in de groep")

    page = log_page(client, setup.teacher, rounds[1].conversations.get(pupil=setup.child))

    aside = page[page.index("Vorig kindgesprek") :]
    assert "Kindgesprekken 2026-2027, ronde 1" in aside and "1 december 2026" in aside
    assert "Ik lees nu hele boeken" in aside and "De tafels van 7 en 8" in aside
    assert "Ilyas oefent thuis elke dag vijf minuten de tafels" in aside
    assert "Meer durven zeggen in de groep" not in page  # last year's start conversation


def test_the_first_kindgesprek_of_the_year_shows_last_years_last_one(setup, rounds, client):
    services.invite_families(round=rounds[0], by=setup.ib)
    last_years_conversation(
        setup, RoundKind.PUPIL_LED, pupil_proud_of="Mijn spreekbeurt over haaien"
    )

    page = log_page(client, setup.teacher, rounds[0].conversations.get(pupil=setup.child))

    aside = page[page.index("Vorig kindgesprek") :]
    assert "Kindgesprekken 2025-2026, ronde 3" in aside
    assert "Mijn spreekbeurt over haaien" in aside
    assert "Afspraak van vorig jaar (pupil_led)" in aside


def test_without_an_earlier_kindgesprek_the_log_says_so(setup, rounds, client):
    services.invite_families(round=rounds[0], by=setup.ib)
    last_years_conversation(setup, RoundKind.START, ambition="Meer durven zeggen in de groep")

    page = log_page(client, setup.teacher, rounds[0].conversations.get(pupil=setup.child))

    assert "Er is nog geen eerder kindgesprek gehouden." in page
    assert "Meer durven zeggen in de groep" not in page


def test_the_start_conversation_still_shows_last_years_start_conversation(setup, client):
    last_years_conversation(setup, RoundKind.PUPIL_LED, pupil_proud_of="Mijn spreekbeurt")
    last_years_conversation(setup, RoundKind.START, ambition="Meer durven zeggen in de groep")

    page = log_page(client, setup.teacher, setup.conversation)

    aside = page[page.index("Vorig jaar") :]
    assert "Meer durven zeggen in de groep" in aside
    assert "Afspraak van vorig jaar (start)" in aside
    assert "Mijn spreekbeurt" not in aside
