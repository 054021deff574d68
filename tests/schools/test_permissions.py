"""The one permission module: each role sees what it should, and no more."""

import pytest

from parents.models import Family, Guardian
from schools.models import Group, Pupil, School
from tests import factories as f

pytestmark = pytest.mark.django_db


def names(queryset):
    return sorted(str(obj) for obj in queryset)


def test_teacher_sees_only_pupils_of_the_groups_they_teach(world):
    teacher = world.users["teacher"]
    classmate = f.PupilFactory(school=world.s1.school)
    f.EnrolmentFactory(pupil=classmate, group=world.s1.group)
    other = f.PupilFactory(school=world.s1.school)
    f.EnrolmentFactory(pupil=other, group=world.s1.other_group)

    visible = set(Pupil.objects.visible_to(teacher))

    assert visible == {world.s1.pupil, classmate}
    assert set(Group.objects.visible_to(teacher)) == {world.s1.group}


def test_intern_begeleider_sees_the_whole_school_but_not_the_sibling_school(world):
    ib = world.users["intern_begeleider"]
    other = f.PupilFactory(school=world.s1.school)
    f.EnrolmentFactory(pupil=other, group=world.s1.other_group)

    assert set(Pupil.objects.visible_to(ib)) == {world.s1.pupil, other}
    assert set(School.objects.visible_to(ib)) == {world.s1.school}


def test_board_member_sees_every_school_of_the_board_but_no_child_or_parent(world):
    board = world.users["board"]
    assert set(School.objects.visible_to(board)) == {world.s1.school, world.s2.school}
    assert not School.objects.records_visible_to(board).exists()
    assert not Pupil.objects.visible_to(board).exists()
    assert not Group.objects.visible_to(board).exists()
    assert not Family.objects.visible_to(board).exists()
    assert not Guardian.objects.visible_to(board).exists()


def test_a_board_member_who_is_also_director_sees_that_schools_records_only(world, client_for):
    from django.urls import reverse

    user = world.users["board"]
    f.StaffMembershipFactory(user=user, school=world.s1.school, role="director")
    assert set(Pupil.objects.visible_to(user)) == {world.s1.pupil}
    client = client_for("board")
    ok = [
        reverse("schools:pupil-detail", kwargs={"pk": world.s1.pupil.pk}),
        reverse("parents:family-detail", kwargs={"pk": world.s1.family.pk}),
        reverse("privacy:family-export", kwargs={"pk": world.s1.family.pk}),
        reverse("dashboard:not-reached", kwargs={"pk": world.s1.school.pk}),
        reverse("dashboard:board-dashboard", kwargs={"pk": world.b1.pk}),
        reverse("dashboard:school-dashboard", kwargs={"pk": world.s2.school.pk}),
    ]
    not_found = [
        reverse("schools:pupil-list", kwargs={"pk": world.s2.school.pk}),
        reverse("schools:pupil-detail", kwargs={"pk": world.s2.pupil.pk}),
        reverse("parents:family-detail", kwargs={"pk": world.s2.family.pk}),
        reverse("privacy:family-export", kwargs={"pk": world.s2.family.pk}),
        reverse("dashboard:not-reached", kwargs={"pk": world.s2.school.pk}),
    ]
    assert [client.get(url).status_code for url in ok] == [200] * len(ok)
    assert [client.get(url).status_code for url in not_found] == [404] * len(not_found)


def test_holds_role_answers_per_school_and_counts_the_board_at_its_schools(world):
    from schools import permissions

    board, director = world.users["board"], world.users["director"]
    readers = permissions.DASHBOARD_READERS
    assert permissions.holds_role(board, readers, world.s2.school)
    assert permissions.holds_role(board, readers, world.s2.school.pk)  # an id costs a query
    assert not permissions.holds_role(board, readers, world.s3.school)
    assert not permissions.holds_role(board, permissions.NAME_READERS, world.s1.school)
    assert not permissions.holds_role(board, permissions.RECORD_KEEPERS)
    assert permissions.holds_role(director, permissions.RECORD_KEEPERS, world.s1.school)
    assert not permissions.holds_role(director, permissions.RECORD_KEEPERS, world.s2.school)
    assert permissions.holds_role(director, permissions.NAME_READERS)  # at any school


def test_guardian_sees_own_child_household_and_self_only(world):
    guardian_user = world.users["guardian"]
    assert list(Pupil.objects.visible_to(guardian_user)) == [world.s1.pupil]
    assert list(Family.objects.visible_to(guardian_user)) == [world.s1.family]
    assert list(Guardian.objects.visible_to(guardian_user)) == [world.s1.guardian]
    assert not School.objects.visible_to(guardian_user).exists()


def test_guardian_whose_access_the_school_blocked_sees_no_child(world):
    assert not Pupil.objects.visible_to(world.users["blocked_guardian"]).exists()


def test_parent_without_authority_sees_child_only_after_granted_request(world):
    link = f.PupilGuardianFactory(
        pupil=world.s1.pupil,
        guardian=f.GuardianFactory(user=f.UserFactory()),
        has_parental_authority=False,
        information_right="on_request",
    )
    user = link.guardian.user
    assert not Pupil.objects.visible_to(user).exists()
    link.information_right = "granted"
    link.save()
    del user._schouder_access
    assert list(Pupil.objects.visible_to(user)) == [world.s1.pupil]


def test_user_without_any_role_sees_nothing(db):
    f.PupilFactory()
    nobody = f.UserFactory()
    assert not Pupil.objects.visible_to(nobody).exists()
    assert not School.objects.visible_to(nobody).exists()


def test_access_of_a_teacher_who_is_also_a_parent_is_read_in_one_query(
    world, django_assert_num_queries
):
    from django.contrib.auth import get_user_model

    from schools.permissions import access_for

    teacher = world.users["teacher"]
    f.StaffMembershipFactory(user=teacher, school=world.s2.school, role="mentor")
    world.b1.mfa_required = True
    world.b1.save()
    f.GuardianFactory(user=teacher)
    teacher = get_user_model().objects.get(pk=teacher.pk)  # nothing cached on the user

    with django_assert_num_queries(1):
        access = access_for(teacher)

    assert access.is_guardian and access.mfa_required
    assert access.roles_by_school == {
        world.s1.school.pk: {"teacher"},
        world.s2.school.pk: {"mentor"},
    }
    assert access.board_ids == frozenset()


def test_access_of_a_user_without_memberships(world):
    from schools.permissions import access_for

    guardian = access_for(world.users["guardian"])
    nobody = access_for(f.UserFactory())

    assert guardian.is_guardian and not guardian.is_staff_member
    assert not nobody.is_guardian and not nobody.is_staff_member


def test_the_boards_school_page_links_only_to_what_the_board_may_open(world, client_for):
    from django.urls import reverse

    school = world.s1.school
    body = client_for("board").get(reverse("schools:school-detail", args=[school.pk]))
    body = body.content.decode()
    for hidden in ("schools:pupil-list", "parents:family-list", "parents:guardian-message-list"):
        assert reverse(hidden, args=[school.pk]) not in body
    assert reverse("dashboard:school-dashboard", args=[school.pk]) in body
    assert "zonder namen van kinderen of ouders" in body
    assert world.s1.pupil.last_name not in body
