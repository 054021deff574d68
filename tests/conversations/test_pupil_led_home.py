"""A teacher whose group has children in an open pupil-led round sees on their home how many of
them are still to plan and to hold, linking to the round."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from conversations import pupil_led, services
from tests import factories as f
from tests.conversations.factories import at

pytestmark = pytest.mark.django_db

OPENS = datetime.date(2026, 11, 16)
ROUND_TUESDAY = datetime.date(2026, 12, 1)
# The teacher's home with an open pupil-led round: the sections' queries (the user and their
# memberships come from the cache after the first request).
HOME_QUERIES = 11


@pytest.fixture
def round_(setup):
    services.close_round(round=setup.round, by=setup.ib)
    first = pupil_led.create_pupil_led_rounds(
        school=setup.school, school_year=setup.year, by=setup.ib
    )[0]
    with time_machine.travel(at(OPENS, 8), tick=False):
        services.open_round(round=first, by=setup.ib)
        services.invite_families(round=first, by=setup.ib)
    return first


def home(client, user, day=OPENS):
    with time_machine.travel(at(day, 9), tick=False):
        client.force_login(user)
        return client.get(reverse("home")).content.decode()


def add_pupils(setup, round_, count):
    for _n in range(count):
        pupil = f.PupilFactory(school=setup.school)
        f.EnrolmentFactory(pupil=pupil, group=setup.group)
        f.PupilGuardianFactory(pupil=pupil, guardian=f.GuardianFactory())
    with time_machine.travel(at(OPENS, 8), tick=False):
        services.invite_families(round=round_, by=setup.ib)


def test_the_teacher_sees_how_many_children_of_the_group_are_still_to_plan_and_to_hold(
    setup, round_, client
):
    add_pupils(setup, round_, 2)
    slot = services.generate_slots(
        round=round_,
        staff=setup.teacher,
        day=ROUND_TUESDAY,
        start=datetime.time(14),
        end=datetime.time(15),
        by=setup.ib,
    )[0]
    with time_machine.travel(at(OPENS, 10), tick=False):
        services.book_slot(
            slot=slot,
            conversation=round_.conversations.get(pupil=setup.child),
            family=setup.family,
            by=setup.mother.user,
        )

    page = home(client, setup.teacher)

    assert "Kindgesprekken, ronde 1" in page
    assert "0 van 3 kindgesprekken gehouden." in page
    assert "2 kinderen hebben nog geen kindgesprek gepland" in page
    assert "1 kindgesprek gepland, nog te houden" in page
    assert reverse("conversations:round-detail", args=[round_.pk]) in page
    # The teacher of group 6 counts only the sibling in their own group.
    other = home(client, setup.teacher6)
    assert "0 van 1 kindgesprekken gehouden." in other
    assert "1 kind heeft nog geen kindgesprek gepland" in other


def test_no_kindgesprek_item_before_the_round_is_open_or_after_it_closed(setup, client):
    services.close_round(round=setup.round, by=setup.ib)
    first = pupil_led.create_pupil_led_rounds(
        school=setup.school, school_year=setup.year, by=setup.ib
    )[0]
    services.invite_families(round=first, by=setup.ib)
    assert "Kindgesprekken, ronde" not in home(client, setup.teacher)
    with time_machine.travel(at(OPENS, 8), tick=False):
        services.open_round(round=first, by=setup.ib)
    assert "Kindgesprekken, ronde 1" in home(client, setup.teacher)
    services.close_round(round=first, by=setup.ib)
    assert "Kindgesprekken, ronde" not in home(client, setup.teacher)


def test_the_ib_er_without_a_group_gets_no_kindgesprek_item(setup, round_, client):
    assert "Kindgesprekken, ronde" not in home(client, setup.ib)


def test_the_teachers_home_reads_as_many_queries_for_a_small_group_as_for_a_large_one(
    setup, round_, client, django_assert_num_queries
):
    with time_machine.travel(at(OPENS, 9), tick=False):
        client.force_login(setup.teacher)
        client.get(reverse("home"))  # the user and memberships are kept in the cache
        with django_assert_num_queries(HOME_QUERIES):
            assert client.get(reverse("home")).status_code == 200
        add_pupils(setup, round_, 12)
        with django_assert_num_queries(HOME_QUERIES):
            page = client.get(reverse("home")).content.decode()
    assert "13 kinderen hebben nog geen kindgesprek gepland" in page
