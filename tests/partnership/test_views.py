"""The pages of the ouder-coördinator and of parents, through the test client."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from partnership.models import (
    RSVP,
    Activity,
    Attendance,
    BuddyPair,
    Evaluation,
    Invitation,
    KeyFigure,
    SelfAssessment,
    TopicStatus,
    TopicSuggestion,
)
from tests import factories as f
from tests.partnership.factories import ActivityFactory, TopicFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)


def family_at(school, name):
    family = f.FamilyFactory(board=school.board, name=name)
    guardian = f.GuardianFactory(family=family, last_name=name.split()[-1])
    f.PupilGuardianFactory(pupil=f.PupilFactory(school=school), guardian=guardian)
    return family


def series_post(**extra):
    return {
        "kind": "coffee_morning",
        "partnership": "informal",
        "title": "Koffieochtend",
        "date": "2027-02-16",
        "start_time": "08:30",
        "end_time": "10:00",
        "weekly": "on",
        "until": "2027-03-30",
        "place": "Ouderkamer",
        "audience": "school",
        "interpreter_languages": ["ar", "tr"],
        **extra,
    }


@time_machine.travel(NOW, tick=False)
def test_ouder_coordinator_plans_a_weekly_series_and_is_warned_about_eid(world, client_for):
    client = client_for("ouder_coordinator")
    response = client.post(
        reverse("partnership:activity-create", args=[world.s1.school.pk]),
        series_post(),
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "9 maart: Deze datum valt op Suikerfeest" in page
    activities = Activity.objects.filter(school=world.s1.school)
    assert activities.count() == 6
    assert all(a.interpreter_languages == ["ar", "tr"] for a in activities)
    assert Invitation.objects.filter(activity__in=activities, family=world.s1.family).count() == 6


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": "08:00"}, "eindigen na het begin"),
        ({"until": ""}, "einddatum nodig"),
        ({"until": "2027-08-30"}, "uiterlijk op 31-07-2027"),
    ],
)
def test_bad_activity_input_gives_a_message_and_saves_nothing(world, client_for, changes, message):
    client = client_for("ouder_coordinator")
    response = client.post(
        reverse("partnership:activity-create", args=[world.s1.school.pk]), series_post(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_moving_an_activity_off_eid_removes_the_warning(world, client_for):
    client = client_for("ouder_coordinator")
    client.post(reverse("partnership:activity-create", args=[world.s1.school.pk]), series_post())
    on_eid = Activity.objects.get(starts_at__date=datetime.date(2027, 3, 9))
    detail = reverse("partnership:activity-detail", args=[on_eid.pk])
    assert "Suikerfeest" in client.get(detail).content.decode()
    response = client.post(
        reverse("partnership:activity-move", args=[on_eid.pk]),
        {"date": "2027-03-15", "start_time": "08:30", "end_time": "10:00", "place": "Ouderkamer"},
    )
    assert response.status_code == 302
    assert "Suikerfeest" not in client.get(detail).content.decode()


def test_door_list_toggles_attendance_and_adds_a_walk_in(world, client_for):
    activity = ActivityFactory(school=world.s1.school)
    Invitation.objects.create(activity=activity, family=world.s1.family)
    walk_in = family_at(world.s1.school, "Gezin Kaya")
    client = client_for("ouder_coordinator")
    toggle = reverse("partnership:attendance-toggle", args=[activity.pk, world.s1.family.pk])
    response = client.post(toggle, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in response.content.decode()
    assert Attendance.objects.filter(invitation__family=world.s1.family).exists()
    response = client.post(toggle, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in response.content.decode()
    assert not Attendance.objects.exists()
    search = client.post(
        reverse("partnership:door-list", args=[activity.pk]),
        {"q": "Kaya"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="candidates",
    )
    assert "Gezin Kaya" in search.content.decode() and "<html" not in search.content.decode()
    client.post(reverse("partnership:attendance-add", args=[activity.pk]), {"family": walk_in.pk})
    assert Attendance.objects.get().invitation.family == walk_in


def bouzid_with(school, *children):
    """A household named Bouzid with children given as (first name, group)."""
    family = f.FamilyFactory(board=school.board, name="Gezin Bouzid")
    guardian = f.GuardianFactory(family=family, last_name="Bouzid")
    for first_name, group in children:
        pupil = f.PupilFactory(school=school, first_name=first_name, last_name="Bouzid")
        f.EnrolmentFactory(pupil=pupil, group=group)
        f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    return family


def test_door_list_tells_two_families_bouzid_apart_and_ticks_the_right_one(world, client_for):
    school = world.s1.school
    five, three = (f.GroupFactory(school=school, name=name) for name in ("5b", "3b"))
    invited = bouzid_with(school, ("Amira", five), ("Youssef", three))
    walk_in = bouzid_with(school, ("Nadia", three))
    activity = ActivityFactory(school=school)
    Invitation.objects.create(activity=activity, family=invited)
    client = client_for("ouder_coordinator")
    door = reverse("partnership:door-list", args=[activity.pk])
    assert "Gezin Bouzid — Amira (5b), Youssef (3b)" in client.get(door).content.decode()
    found = client.post(door, {"q": "Bouz"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="candidates")
    assert "+ Gezin Bouzid — Nadia (3b)" in found.content.decode()
    assert "Amira" not in found.content.decode()  # already invited, so not offered again
    client.post(reverse("partnership:attendance-add", args=[activity.pk]), {"family": walk_in.pk})
    toggle = reverse("partnership:attendance-toggle", args=[activity.pk, invited.pk])
    row = client.post(toggle, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-pressed="true"' in row and "Amira (5b), Youssef (3b)" in row
    came = {a.invitation.family for a in Attendance.objects.select_related("invitation")}
    assert came == {invited, walk_in}


def test_invitation_dropdown_names_the_children(world, client_for):
    school = world.s1.school
    bouzid_with(school, ("Amira", f.GroupFactory(school=school, name="5b")))
    client = client_for("ouder_coordinator")
    body = client.get(reverse("partnership:activity-create", args=[school.pk])).content.decode()
    assert "Gezin Bouzid — Amira (5b)</option>" in body


def test_door_list_refuses_a_family_of_another_school(world, client_for):
    activity = ActivityFactory(school=world.s1.school)
    client = client_for("ouder_coordinator")
    add = client.post(
        reverse("partnership:attendance-add", args=[activity.pk]), {"family": world.s3.family.pk}
    )
    toggle = client.post(
        reverse("partnership:attendance-toggle", args=[activity.pk, world.s2.family.pk])
    )
    assert (add.status_code, toggle.status_code) == (404, 404)
    assert not Invitation.objects.exists()


def _fill(school, activities, families):
    people = [family_at(school, f"Gezin Extra{n}") for n in range(families)]
    for _ in range(activities):
        activity = ActivityFactory(school=school)
        Invitation.objects.bulk_create(Invitation(activity=activity, family=p) for p in people)
        Attendance.objects.create(invitation=activity.invitations.first())
    return activity


@pytest.mark.parametrize("size", [1, 6])
def test_activity_list_runs_a_fixed_number_of_queries(
    world, client_for, size, django_assert_num_queries
):
    _fill(world.s1.school, activities=size, families=size)
    client = client_for("ouder_coordinator")
    url = reverse("partnership:activity-list", args=[world.s1.school.pk])
    client.get(url)
    # school, school year, three counts, the list (user and memberships: the cache)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("Koffieochtend") >= size


@pytest.mark.parametrize("size", [1, 8])
def test_door_list_runs_a_fixed_number_of_queries(
    world, client_for, size, django_assert_num_queries
):
    activity = _fill(world.s1.school, activities=1, families=size)
    client = client_for("ouder_coordinator")
    url = reverse("partnership:door-list", args=[activity.pk])
    client.get(url)
    # activity, the invitations, and the children shown beside each family's name
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.content.decode().count("aria-pressed") == size


@time_machine.travel(NOW, tick=False)
def test_guardian_answers_an_invitation_and_suggests_a_topic(world, client_for):
    activity = ActivityFactory(school=world.s1.school, title="Koffie met de directeur")
    invitation = Invitation.objects.create(activity=activity, family=world.s1.family)
    client = client_for("guardian")
    assert (
        "Koffie met de directeur"
        in client.get(reverse("partnership:invitation-list")).content.decode()
    )
    client.post(reverse("partnership:invitation-respond", args=[invitation.pk]), {"rsvp": "yes"})
    invitation.refresh_from_db()
    assert invitation.rsvp == RSVP.YES
    client.post(
        reverse("partnership:topic-suggest"),
        {"school": world.s1.school.pk, "text": "Hoe help ik met rekenen?"},
    )
    topic = TopicSuggestion.objects.get()
    assert (topic.suggested_by, topic.status) == (world.s1.guardian, TopicStatus.NEW)


def test_other_parents_see_only_reviewed_topics_and_never_who_suggested_them(world, client_for):
    TopicFactory(school=world.s1.school, text="Ruzie met Sem op het plein")
    TopicFactory(
        school=world.s1.school,
        text="Gezond trakteren",
        status=TopicStatus.APPROVED,
        suggested_by=f.GuardianFactory(family=world.s1.family, first_name="Zeldzaam"),
    )
    page = client_for("guardian").get(reverse("partnership:invitation-list")).content.decode()
    assert "Gezond trakteren" in page
    assert "Ruzie" not in page and "Zeldzaam" not in page


def test_approving_a_topic_with_a_name_keeps_it_hidden_with_a_message(world, client_for):
    topic = TopicFactory(school=world.s1.school, text="De moeder van Sem is altijd te laat")
    response = client_for("ouder_coordinator").post(
        reverse("partnership:topic-edit", args=[topic.pk]),
        {"action": "review", "text": topic.text, "status": "approved"},
    )
    page = response.content.decode()
    assert "noemt een naam (sem)" in page, page[page.find("<main") :]
    topic.refresh_from_db()
    assert topic.status == TopicStatus.NEW


def test_only_planners_couple_buddies(world, client_for):
    second = family_at(world.s1.school, "Gezin Demir").guardians.get()
    data = {
        "action": "buddy",
        "guardian_a": world.s1.guardian.pk,
        "guardian_b": second.pk,
        "reason": "same_language",
    }
    url = reverse("partnership:buddy-list", args=[world.s1.school.pk])
    assert client_for("teacher").post(url, data).status_code == 404
    assert client_for("ouder_coordinator").post(url, data).status_code == 302
    assert BuddyPair.objects.count() == 1
    assert "Demir" in client_for("teacher").get(url).content.decode()
    key = {"action": "key", "guardian": second.pk, "reaches": "Turkse vaders"}
    assert client_for("ouder_coordinator").post(url, key).status_code == 302
    assert "Turkse vaders" in client_for("director").get(url).content.decode()
    foreign = {"action": "key", "guardian": world.s3.guardian.pk}
    response = client_for("ouder_coordinator").post(url, foreign)
    assert response.status_code == 200 and KeyFigure.objects.count() == 1


def test_buddy_dropdown_tells_two_parents_of_the_same_name_apart(world, client_for):
    school = world.s1.school
    five, three = (f.GroupFactory(school=school, name=name) for name in ("5b", "3b"))
    for family in (bouzid_with(school, ("Amira", five)), bouzid_with(school, ("Nadia", three))):
        family.guardians.update(first_name="Fatima", infix="")
    body = client_for("ouder_coordinator").get(reverse("partnership:buddy-list", args=[school.pk]))
    page = body.content.decode()
    assert "Fatima Bouzid — Amira (5b)</option>" in page
    assert "Fatima Bouzid — Nadia (3b)</option>" in page


def test_a_planner_ends_a_buddy_pair_and_another_schools_pair_is_not_found(world, client_for):
    second = family_at(world.s1.school, "Gezin Demir").guardians.get()
    url = reverse("partnership:buddy-list", args=[world.s1.school.pk])
    client = client_for("ouder_coordinator")
    data = {"guardian_a": world.s1.guardian.pk, "guardian_b": second.pk}
    client.post(url, {"action": "buddy", "reason": "same_language", **data})
    pair = BuddyPair.objects.get()
    assert client_for("teacher").post(url, {"action": "end", "pair": pair.pk}).status_code == 404
    client = client_for("ouder_coordinator")
    assert client.post(url, {"action": "end", "pair": pair.pk + 1000}).status_code == 404
    assert client.post(url, {"action": "end", "pair": "x"}).status_code == 404
    response = client.post(url, {"action": "end", "pair": pair.pk}, follow=True)
    assert "niet langer gekoppeld" in response.content.decode()
    pair.refresh_from_db()
    assert not pair.active
    assert "gestopt" in client.get(url).content.decode()


@time_machine.travel(NOW, tick=False)
def test_director_records_an_evaluation_and_a_self_assessment(world, client_for):
    client = client_for("director")
    data = {
        "quarter": 2,
        "held_on": "2026-11-20",
        "with_parents": "on",
        "team_changes": "Meer avonden",
    }
    for partnership in ("pedagogical", "didactic", "formal", "informal", "societal"):
        data[f"score_{partnership}"] = 3
    response = client.post(
        reverse("partnership:evaluation-create", args=[world.s1.school.pk]), data
    )
    assert response.status_code == 302
    assert Evaluation.objects.get().scores.count() == 5
    scores = {f"score_{n}": 3 for n in range(1, 9)}
    client.post(
        reverse("partnership:self-assessment-edit", args=[world.s1.school.pk, "checklist"]), scores
    )
    assert SelfAssessment.objects.get().items.count() == 8
    page = client.get(reverse("partnership:evaluation-list", args=[world.s1.school.pk]))
    assert "Meer avonden" in page.content.decode()


def test_plan_pages_show_goals_with_their_activities(world, client_for):
    client = client_for("ouder_coordinator")
    school = world.s1.school
    client.post(
        reverse("partnership:plan-edit", args=[school.pk]),
        {
            "vision": "Samen voor elk kind",
            "vision_written_with": "team en ouders",
            "focus_points": "",
        },
    )
    area_url = reverse("partnership:area-edit", args=[school.pk, "informal"])
    client.post(
        area_url, {"action": "area", "current_state": "Koffie loopt", "ambition": "Meer vaders"}
    )
    client.post(
        area_url,
        {
            "action": "goal",
            "description": "Tien vaders op de koffie",
            "term": "short",
            "status": "planned",
        },
    )
    goal = school.partnership_plans.get().goals.get()
    ActivityFactory(school=school, title="Vaderochtend").goals.add(goal)
    page = (
        client_for("teacher")
        .get(reverse("partnership:plan-detail", args=[school.pk]))
        .content.decode()
    )
    assert (
        "Samen voor elk kind" in page
        and "Tien vaders op de koffie" in page
        and "Vaderochtend" in page
    )


@pytest.mark.parametrize("size", [1, 5])
def test_guardian_invitation_list_runs_a_fixed_number_of_queries(
    world, client_for, size, django_assert_num_queries
):
    for _ in range(size):
        Invitation.objects.create(
            activity=ActivityFactory(school=world.s1.school), family=world.s1.family
        )
    TopicFactory(school=world.s1.school, status=TopicStatus.APPROVED)
    client = client_for("guardian")
    url = reverse("partnership:invitation-list")
    client.get(url)
    # guardian, the invitations, the reviewed topics (user and memberships: the cache)
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.content.decode().count("Koffieochtend") == size


def test_guardian_cannot_answer_another_familys_invitation_of_the_same_school(world, client_for):
    other = family_at(world.s1.school, "Gezin Ander")
    invitation = Invitation.objects.create(
        activity=ActivityFactory(school=world.s1.school), family=other
    )
    url = reverse("partnership:invitation-respond", args=[invitation.pk])
    assert client_for("guardian").post(url, {"rsvp": "yes"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.rsvp == RSVP.INVITED


def test_activity_list_shows_the_holidays_of_the_year(world, client_for):
    page = client_for("teacher").get(
        reverse("partnership:activity-list", args=[world.s1.school.pk])
    )
    text = page.content.decode()
    assert "Suikerfeest" in text and "Ramadan" in text and "Divali" in text


@time_machine.travel(NOW, tick=False)
def test_invited_families_are_chosen_among_the_schools_families_only(world, client_for):
    client = client_for("director")
    url = reverse("partnership:activity-create", args=[world.s1.school.pk])
    data = series_post(
        weekly="", until="", kind="sounding_board", partnership="formal", audience="invited"
    )
    response = client.post(url, {**data, "families": [world.s3.family.pk]})
    assert response.status_code == 200 and not Activity.objects.exists()
    response = client.post(url, {**data, "families": [world.s1.family.pk]})
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert list(activity.invitations.values_list("family", flat=True)) == [world.s1.family.pk]
    assert activity.organiser == world.users["director"]


def test_opening_a_partnership_area_saves_nothing_until_the_planner_does(world, client_for):
    from partnership.models import PartnershipPlan

    school = world.s1.school
    url = reverse("partnership:area-edit", args=[school.pk, "informal"])
    client = client_for("ouder_coordinator")
    assert client.get(url).status_code == 200
    assert not PartnershipPlan.objects.filter(school=school).exists()
    client.post(url, {"action": "area", "current_state": "Koffie loopt", "ambition": "Meer"})
    assert school.partnership_plans.get().areas.get().ambition == "Meer"
