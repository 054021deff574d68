"""The demo school a newcomer meets after `make run`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from parents.models import Guardian, PupilGuardian
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
