"""Helping parents (issue 21, part 2): a coffee morning asks for helpers, parents sign up from the
portal, get a reminder the day before, see who else helps, and count as reached."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from parents import reach
from parents.models import FamilyReach
from partnership import helper_services, services
from partnership.dashboards import figures as dashboard
from partnership.services import PartnershipError
from reminders import dispatch
from reminders.models import Reminder
from tests import factories as f
from tests.partnership.factories import local
from tests.partnership.test_services import coffee, family_at

pytestmark = pytest.mark.django_db

TUESDAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)  # 11:00 in Amsterdam
RULE = "partnership.helper_signup"


def coffee_morning(school, days_ahead=7):
    day = TUESDAY.date() + datetime.timedelta(days=days_ahead)
    activity, _warnings = services.plan_activity(
        school=school, starts_at=local(day, 8, 30), ends_at=local(day, 10), **coffee()
    )
    return activity


def parent(family):
    return family.guardians.get()


@pytest.fixture
def school():
    return f.SchoolFactory(name="De Linde")


@time_machine.travel(TUESDAY, tick=False)
def test_three_helpers_sign_up_and_the_fourth_hears_there_are_enough(school):
    families = [family_at(school, f"Gezin {n}") for n in range(4)]
    activity = coffee_morning(school)
    task = helper_services.ask_for_helpers(activity=activity, kind="setting_up", needed=3)
    for family in families[:3]:
        helper_services.sign_up_as_helper(task=task, guardian=parent(family))
    helper_services.sign_up_as_helper(task=task, guardian=parent(families[0]))  # twice: once
    with pytest.raises(PartnershipError, match="al genoeg ouders"):
        helper_services.sign_up_as_helper(task=task, guardian=parent(families[3]))
    assert task.signups.count() == 3


@time_machine.travel(TUESDAY, tick=False)
def test_a_parent_of_another_school_cannot_sign_up(school):
    family_at(school)
    outsider = family_at(f.SchoolFactory(board=school.board), "Gezin Elders")
    task = helper_services.ask_for_helpers(
        activity=coffee_morning(school), kind="reading", needed=2
    )
    with pytest.raises(PartnershipError, match="niet voor uw gezin"):
        helper_services.sign_up_as_helper(task=task, guardian=parent(outsider))
    assert not task.signups.exists()


@time_machine.travel(TUESDAY, tick=False)
def test_helping_reaches_the_family_and_the_dashboard_counts_it(school):
    family = family_at(school)
    activity = coffee_morning(school)
    task = helper_services.ask_for_helpers(activity=activity, kind="reading", needed=3)
    director = f.StaffMembershipFactory(school=school, role="director").user

    def informal_row():
        figures = dashboard.school_dashboard(school, activity.school_year, director)
        return {row["partnership"]: row for row in figures["partnerships"]}["informal"]

    assert informal_row()["families_helped"] == 0
    assert not FamilyReach.objects.filter(family=family).exists()

    helper_services.sign_up_as_helper(task=task, guardian=parent(family))
    assert informal_row()["families_helped"] == 1
    assert FamilyReach.objects.filter(
        family=family, school=school, school_year=activity.school_year
    ).exists()
    # The kept facts agree with a recount from the sources (manage.py rebuild_family_reach).
    assert reach.kept() == reach.recount()

    helper_services.withdraw_as_helper(task=task, guardian=parent(family))
    assert informal_row()["families_helped"] == 0
    assert not FamilyReach.objects.filter(family=family).exists()
    assert reach.kept() == reach.recount()


def test_the_helper_is_reminded_the_day_before_in_their_language_once(school):
    family = family_at(school)
    family.guardians.update(language="pl")
    with time_machine.travel(TUESDAY, tick=False):
        activity = coffee_morning(school, days_ahead=1)
        task = helper_services.ask_for_helpers(activity=activity, kind="driving", needed=2)
        helper_services.sign_up_as_helper(task=task, guardian=parent(family))
        dispatch.scan()
        dispatch.scan()  # a second scan adds nothing
    (reminder,) = Reminder.objects.filter(rule=RULE)
    assert reminder.language == "pl"
    assert "Koffieochtend" in reminder.subject and "De Linde" in reminder.subject
    assert "08:30" in reminder.body and "podwożenie" in reminder.body


def test_a_withdrawn_helper_gets_no_reminder(school):
    family = family_at(school)
    with time_machine.travel(TUESDAY, tick=False):
        activity = coffee_morning(school, days_ahead=1)
        task = helper_services.ask_for_helpers(activity=activity, kind="driving", needed=2)
        helper_services.sign_up_as_helper(task=task, guardian=parent(family))
        dispatch.scan()
        helper_services.withdraw_as_helper(task=task, guardian=parent(family))
        dispatch.send_batch()
    assert Reminder.objects.get(rule=RULE).status == "cancelled"


@time_machine.travel(TUESDAY, tick=False)
def test_parents_see_who_else_helps_by_first_name_only(client, school):
    first, second = family_at(school, "Gezin Bakker"), family_at(school, "Gezin Kaya")
    parent(first).__class__.objects.filter(pk=parent(first).pk).update(first_name="Sanne")
    task = helper_services.ask_for_helpers(
        activity=coffee_morning(school), kind="library", needed=3
    )
    helper_services.sign_up_as_helper(task=task, guardian=parent(first))
    reader = parent(second)
    reader.user = f.UserFactory()
    reader.save()
    client.force_login(reader.user)
    url = reverse("partnership:helper-signup", args=[task.activity_id])
    page = client.get(url).content.decode()
    assert "Sanne" in page and "Bakker" not in page
    client.post(url, {"task": task.pk, "action": "sign_up"})
    assert task.signups.filter(guardian=reader).exists()
