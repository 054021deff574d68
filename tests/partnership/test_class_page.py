"""The class page (issue 21, part 1): parents of a group together, class parents, class news."""

import pytest
from django.urls import reverse

from partnership import class_services
from partnership.class_models import ClassPost, HouseholdSharing, PostStatus
from partnership.services import PartnershipError
from tests import factories as f
from tests.partnership.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def parent_in(group, first_name, **guardian):
    """A new household with a child in ``group``; returns the guardian (with a portal account)."""
    pupil = f.PupilFactory(school=group.school)
    f.EnrolmentFactory(pupil=pupil, group=group)
    parent = f.GuardianFactory(first_name=first_name, user=f.UserFactory(), **guardian)
    f.PupilGuardianFactory(pupil=pupil, guardian=parent)
    return parent


def page(client, guardian, group):
    client.force_login(guardian.user)
    return client.get(reverse("partnership:class-page", args=[group.pk]))


def test_other_parents_are_shown_only_after_their_household_opts_in(client, world):
    group = world.s1.group
    other = parent_in(group, "Nadia", phone="0611111111", email="nadia@example.test")
    assert "Nadia" not in page(client, world.s1.guardian, group).content.decode()

    class_services.share_with_class(guardian=other, share_email=False, share_phone=True)
    shown = page(client, world.s1.guardian, group).content.decode()
    assert "Nadia" in shown
    assert "0611111111" in shown
    assert "nadia@example.test" not in shown  # the household did not choose its e-mail

    class_services.stop_sharing_with_class(guardian=other)
    assert "Nadia" not in page(client, world.s1.guardian, group).content.decode()


def test_opt_in_is_per_household(client, world):
    group = world.s1.group
    mother = parent_in(group, "Elif")
    father = f.GuardianFactory(family=mother.family, first_name="Emre")
    f.PupilGuardianFactory(pupil=mother.pupil_links.get().pupil, guardian=father)
    class_services.share_with_class(guardian=mother, share_email=False, share_phone=False)
    shown = page(client, world.s1.guardian, group).content.decode()
    assert "Elif" in shown and "Emre" in shown


def test_a_blocked_guardian_stays_invisible_even_when_the_household_shares(client, world):
    group = world.s1.group
    parent = parent_in(group, "Rachid")
    blocked = f.GuardianFactory(family=parent.family, first_name="Verborgen")
    f.PupilGuardianFactory(
        pupil=parent.pupil_links.get().pupil, guardian=blocked, access_blocked_reason="Rechter"
    )
    class_services.share_with_class(guardian=parent, share_email=False, share_phone=False)
    shown = page(client, world.s1.guardian, group).content.decode()
    assert "Rachid" in shown and "Verborgen" not in shown


def test_class_parent_message_waits_for_the_teacher(client, world):
    group = world.s1.group
    teacher = world.users["teacher"]
    class_parent = class_services.appoint_class_parent(
        group=group, guardian=world.s1.guardian, by=teacher
    )
    reader = parent_in(group, "Anna")
    post = class_services.write_class_message(
        class_parent=class_parent, text="Wie rijdt vrijdag mee naar het bos?"
    )
    assert "naar het bos" not in page(client, reader, group).content.decode()

    class_services.approve_class_message(post=post, by=teacher)
    assert "naar het bos" in page(client, reader, group).content.decode()
    with pytest.raises(PartnershipError, match="al beoordeeld"):
        class_services.reject_class_message(post=post, by=teacher)


def test_a_rejected_message_never_appears(client, world):
    class_parent = class_services.appoint_class_parent(
        group=world.s1.group, guardian=world.s1.guardian, by=world.users["teacher"]
    )
    post = class_services.write_class_message(class_parent=class_parent, text="Koop loten!")
    class_services.reject_class_message(post=post, by=world.users["teacher"])
    assert "Koop loten" not in page(client, world.s1.guardian, world.s1.group).content.decode()


def test_only_a_parent_of_the_group_can_become_class_parent(world):
    stranger = parent_in(world.s1.other_group, "Piotr")
    with pytest.raises(PartnershipError, match="geen kind in deze groep"):
        class_services.appoint_class_parent(
            group=world.s1.group, guardian=stranger, by=world.users["teacher"]
        )


def test_an_empty_message_is_refused_in_dutch(world):
    class_parent = class_services.appoint_class_parent(
        group=world.s1.group, guardian=world.s1.guardian, by=world.users["teacher"]
    )
    with pytest.raises(PartnershipError, match="Schrijf een bericht"):
        class_services.write_class_message(class_parent=class_parent, text="   ")
    assert not ClassPost.objects.exists()


def test_teacher_appoints_and_posts_through_the_pages(client, world):
    group = world.s1.group
    client.force_login(world.users["teacher"])
    client.post(
        reverse("partnership:class-parent-appoint", args=[group.pk]),
        {"guardian": world.s1.guardian.pk},
    )
    client.post(reverse("partnership:class-manage", args=[group.pk]), {"text": "Gym op dinsdag"})
    shown = page(client, world.s1.guardian, group).content.decode()
    assert "Gym op dinsdag" in shown
    assert reverse("partnership:class-message-create", args=[group.pk]) in shown


def test_the_sharing_form_opts_in_and_out_for_the_household(client, world):
    client.force_login(world.s1.guardian.user)
    url = reverse("partnership:class-sharing")
    client.post(url, {"share": "on", "share_email": "on"})
    sharing = HouseholdSharing.objects.get(family=world.s1.family)
    assert sharing.share_email and not sharing.share_phone
    client.post(url, {})
    assert not HouseholdSharing.objects.exists()


def test_coming_activities_of_the_group_and_the_school_only(client, world):
    group = world.s1.group
    ActivityFactory(school=group.school, title="Koffie voor iedereen")
    for_group = ActivityFactory(school=group.school, title="Uitje groep 5", audience="groups")
    for_group.groups.set([group])
    other = ActivityFactory(school=group.school, title="Uitje groep 6", audience="groups")
    other.groups.set([world.s1.other_group])
    shown = page(client, world.s1.guardian, group).content.decode()
    assert "Koffie voor iedereen" in shown and "Uitje groep 5" in shown
    assert "Uitje groep 6" not in shown


@pytest.mark.parametrize("size", [2, 12])
def test_class_page_runs_a_fixed_number_of_queries(client, world, size, django_assert_num_queries):
    group = world.s1.group
    teacher = world.users["teacher"]
    for number in range(size):
        parent = parent_in(group, f"Ouder{number}")
        class_services.share_with_class(guardian=parent, share_email=True, share_phone=True)
        class_parent = class_services.appoint_class_parent(group=group, guardian=parent, by=teacher)
        post = class_services.write_class_message(
            class_parent=class_parent, text=f"Bericht {number}"
        )
        class_services.approve_class_message(post=post, by=teacher)
        ActivityFactory(school=group.school)
    client.force_login(world.s1.guardian.user)
    with django_assert_num_queries(9):
        response = client.get(reverse("partnership:class-page", args=[group.pk]))
    assert len(response.context["sharing"]) == size
    assert len(response.context["posts"]) == size
    assert response.context["posts"][0].status == PostStatus.PUBLISHED
