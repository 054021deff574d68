"""The new-year reception per group (issue 21, part 5): one action plans a reception for every
group, one after the other, each inviting its group's families; the door list marks the
families that are new at the school."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from partnership.models import Activity, ActivityKind
from partnership.receptions import plan_new_year_receptions
from partnership.services import PartnershipError
from schools.models import SchoolYear
from tests import factories as f

pytestmark = pytest.mark.django_db

AFTER_SUMMER = datetime.datetime(2026, 8, 25, 9, 0, tzinfo=datetime.UTC)
RECEPTION_DAY = datetime.date(2026, 9, 2)  # a Wednesday in the first weeks


def family_in(group, name, earlier_group=None):
    family = f.FamilyFactory(board=group.school.board, name=name)
    guardian = f.GuardianFactory(family=family)
    pupil = f.PupilFactory(school=group.school)
    f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    f.EnrolmentFactory(pupil=pupil, group=group)
    if earlier_group is not None:
        f.EnrolmentFactory(pupil=pupil, group=earlier_group)
    return family


@pytest.fixture
def school():
    return f.SchoolFactory(name="De Linde")


@pytest.fixture
def groups(school):
    year = SchoolYear.for_date(RECEPTION_DAY)
    return [
        f.GroupFactory(school=school, school_year=year, name=name, lowest_grade=g, highest_grade=g)
        for g, name in ((3, "3"), (4, "4"), (5, "5"))
    ]


@time_machine.travel(AFTER_SUMMER, tick=False)
def test_one_action_plans_a_reception_per_group_one_after_the_other(school, groups):
    families = [family_in(group, f"Gezin {group.name}") for group in groups]
    receptions, _warnings = plan_new_year_receptions(
        school=school, day=RECEPTION_DAY, first_start=datetime.time(14, 0), minutes=45
    )
    assert [r.title for r in receptions] == [
        "Nieuwjaarsreceptie groep 3",
        "Nieuwjaarsreceptie groep 4",
        "Nieuwjaarsreceptie groep 5",
    ]
    starts = [f"{r.starts_at.astimezone(datetime.UTC):%H:%M}" for r in receptions]
    assert starts == ["12:00", "12:45", "13:30"]  # 14:00, 14:45, 15:30 in Amsterdam
    for reception, family in zip(receptions, families, strict=True):
        assert reception.kind == ActivityKind.NEW_YEAR_RECEPTION
        assert reception.partnership == "informal"
        assert list(reception.invitations.values_list("family", flat=True)) == [family.pk]


@time_machine.travel(AFTER_SUMMER, tick=False)
def test_planning_again_adds_only_the_groups_without_a_reception(school, groups):
    plan_new_year_receptions(
        school=school, day=RECEPTION_DAY, first_start=datetime.time(14, 0), minutes=45
    )
    with pytest.raises(PartnershipError, match="al een receptie"):
        plan_new_year_receptions(
            school=school, day=RECEPTION_DAY, first_start=datetime.time(14, 0), minutes=45
        )
    newcomer = f.GroupFactory(
        school=school, school_year=groups[0].school_year, name="8", lowest_grade=8, highest_grade=8
    )
    receptions, _warnings = plan_new_year_receptions(
        school=school, day=RECEPTION_DAY, first_start=datetime.time(16, 0)
    )
    assert [r.groups.get() for r in receptions] == [newcomer]
    assert Activity.objects.filter(kind=ActivityKind.NEW_YEAR_RECEPTION).count() == 4


@time_machine.travel(AFTER_SUMMER, tick=False)
def test_a_school_without_groups_hears_why(school):
    with pytest.raises(PartnershipError, match="nog geen groepen"):
        plan_new_year_receptions(school=school, day=RECEPTION_DAY, first_start=datetime.time(14, 0))


@time_machine.travel(AFTER_SUMMER, tick=False)
def test_the_door_list_marks_families_new_at_the_school(client, school, groups):
    last_year = SchoolYear.for_date(datetime.date(2025, 10, 1))
    old_group = f.GroupFactory(school=school, school_year=last_year, name="2")
    known = family_in(groups[0], "Gezin Bekend", earlier_group=old_group)
    new = family_in(groups[0], "Gezin Nieuw")
    (reception, *_rest), _warnings = plan_new_year_receptions(
        school=school, day=RECEPTION_DAY, first_start=datetime.time(14, 0)
    )
    coordinator = f.StaffMembershipFactory(school=school, role="ouder_coordinator").user
    client.force_login(coordinator)
    response = client.get(reverse("partnership:door-list", args=[reception.pk]))
    marked = {i.family_id: i.is_new_family for i in response.context["invitations"]}
    assert marked == {known.pk: False, new.pk: True}
    assert response.content.decode().count("data-new-family") == 1


@time_machine.travel(AFTER_SUMMER, tick=False)
def test_the_planner_plans_all_receptions_from_the_page(client, school, groups):
    for group in groups:
        family_in(group, f"Gezin {group.name}")
    client.force_login(f.StaffMembershipFactory(school=school, role="ouder_coordinator").user)
    response = client.post(
        reverse("partnership:reception-plan", args=[school.pk]),
        {"day": "2026-09-02", "first_start": "14:00", "minutes": "60", "place": "Aula"},
    )
    assert response.status_code == 302
    assert Activity.objects.filter(kind=ActivityKind.NEW_YEAR_RECEPTION, place="Aula").count() == 3


@time_machine.travel(AFTER_SUMMER, tick=False)
def test_a_reception_of_an_impossible_length_is_refused_with_a_message(client, school, groups):
    client.force_login(f.StaffMembershipFactory(school=school, role="director").user)
    response = client.post(
        reverse("partnership:reception-plan", args=[school.pk]),
        {"day": "2026-09-02", "first_start": "14:00", "minutes": "5"},
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()
