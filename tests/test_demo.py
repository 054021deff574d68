"""The demo school a newcomer meets after `make run`."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conversations import demo as conversations_demo
from conversations.models import Round, RoundKind
from parents.models import Guardian, PupilGuardian
from schools.calendar import SchoolCalendar
from schools.models import Pupil, School

pytestmark = pytest.mark.django_db


def counts():
    return (
        School.objects.count(),
        Pupil.objects.count(),
        Guardian.objects.count(),
        PupilGuardian.objects.count(),
        get_user_model().objects.count(),
    )


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first


def test_demo_has_three_schools_600_pupils_and_families_as_they_are():
    call_command("seed_demo")
    assert School.objects.count() == 3
    assert 550 <= Pupil.objects.count() <= 650
    languages = set(Guardian.objects.values_list("language", flat=True))
    assert {"nl", "ar", "tr", "pl", "bg", "uk", "en", "zgh"} <= languages
    assert Guardian.objects.filter(needs_interpreter=True).exists()
    # Separated parents: a child with guardians in two households, one without parental authority.
    two_homes = [
        pupil
        for pupil in Pupil.objects.prefetch_related("guardian_links__guardian")
        if len({link.guardian.family_id for link in pupil.guardian_links.all()}) == 2
    ]
    assert two_homes
    assert PupilGuardian.objects.filter(has_parental_authority=False).exists()


def test_demo_logins_exist_with_their_roles():
    call_command("seed_demo")
    users = get_user_model().objects
    director = users.get(email="directeur@demo.test")
    assert director.check_password("schouder-demo")
    assert director.memberships.get().role == "director"
    assert users.get(email="bestuur@demo.test").memberships.get().role == "board"
    guardian = users.get(email="ouder@demo.test")
    assert not guardian.has_usable_password()  # parents log in by code
    assert guardian.guardian.pupil_links.count() == 2


# A Tuesday morning in an ordinary school week of the demo's school year.
TUESDAY = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=datetime.UTC)


@time_machine.travel(TUESDAY, tick=False)
def test_demo_has_an_open_kindgesprek_round_the_upper_groups_teachers_see_on_their_home(client):
    call_command("seed_demo")
    today = timezone.localdate()
    round_ = Round.objects.get(
        school__name="Basisschool De Regenboog", kind=RoundKind.PUPIL_LED, opened_at__isnull=False
    )
    assert round_.is_open and round_.window_start < today < round_.window_end
    # Groups 7 and 8 are invited; the demo mother's children (groups 3 and 6) are not, so her
    # booking page holds only their start conversations.
    conversations = round_.conversations.all()
    assert {c.group.name for c in conversations.select_related("group")} == {"7", "8"}
    assert not conversations.filter(pupil__guardian_links__guardian__email="ouder@demo.test")
    assert Counter(conversations.values_list("status", flat=True)) == {
        "to_plan": conversations.count() - 5,
        "booked": 4,  # two per group
        "held": 1,
    }
    held = conversations.get(status="held")
    assert held.group.name == "8" and timezone.localdate(held.held_at) < today
    assert held.pupil_proud_of == conversations_demo.HELD_PROUD_OF
    assert held.pupil_learn_next == conversations_demo.HELD_LEARN_NEXT
    assert held.agreements.get().what == conversations_demo.HELD_AGREEMENT
    # The slots ahead lie on school days: never a weekend or a holiday.
    calendar = SchoolCalendar.build(round_.school, round_.school_year)
    ahead = round_.slots.filter(starts_at__gt=timezone.now())
    assert ahead.free().count() == 2 * 9 - 4
    assert all(calendar.is_school_day(timezone.localdate(s.starts_at)) for s in ahead)

    users = get_user_model().objects
    client.force_login(users.get(email="groep8@demo.test"))
    home = client.get(reverse("home")).content.decode()
    assert "Kindgesprekken, ronde 1" in home
    assert "1 van 27 kindgesprekken gehouden." in home
    assert "2 kindgesprekken gepland, nog te houden" in home
    # The round page shows the teacher their own group's progress, not the other group's.
    detail = client.get(reverse("conversations:round-detail", args=[round_.pk])).content.decode()
    assert 'data-group="8"' in detail and 'data-group="7"' not in detail
    client.force_login(users.get(email="leerkracht@demo.test"))  # groep 5 is not in the round
    assert "Kindgesprekken, ronde" not in client.get(reverse("home")).content.decode()
