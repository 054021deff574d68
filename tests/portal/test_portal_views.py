"""The parent portal as a guardian uses it, and the staff list of what guardians told the school."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from parents.models import GuardianMessage, GuardianMessageKind
from tests import factories as f
from tests.audit_cost import audit_write
from tests.portal.factories import GuardianMessageFactory

pytestmark = pytest.mark.django_db

HOME = reverse("parents:portal-home")


def child_of(guardian, school, first_name, **link):
    pupil = f.PupilFactory(school=school, first_name=first_name)
    f.EnrolmentFactory(pupil=pupil, group=f.GroupFactory(school=school, name=f"g{first_name}"))
    f.PupilGuardianFactory(pupil=pupil, guardian=guardian, **link)
    return pupil


def logged_in(client, guardian):
    client.force_login(guardian.user)
    return client


def test_home_shows_children_at_several_schools_of_the_board(client, world):
    guardian = world.s1.guardian
    child_of(guardian, world.s2.school, "Broertje")
    page = logged_in(client, guardian).get(HOME).content.decode()
    assert world.s1.pupil.first_name in page and "Broertje" in page
    assert world.s1.school.name in page and world.s2.school.name in page
    # Another family's child at the same board stays out of sight.
    assert world.s2.pupil.last_name not in page and "Zusje" not in page.replace(
        world.s2.school.name, ""
    )


def test_home_lists_who_to_reach_with_phone(client, world):
    world.s1.director_membership.phone = "070-1234567"
    world.s1.director_membership.save()
    page = logged_in(client, world.s1.guardian).get(HOME).content.decode()
    assert 'href="tel:070-1234567"' in page
    # A phone number keeps its order inside right-to-left text.
    assert '<bdi dir="ltr">070-1234567</bdi>' in page


def test_home_shows_the_childs_own_teacher_not_every_teacher(client, world):
    own_teacher = world.users["teacher"]
    other = f.StaffMembershipFactory(school=world.s1.school, role="teacher").user
    world.s1.other_group.teachers.add(other)
    page = logged_in(client, world.s1.guardian).get(HOME).content.decode()
    assert own_teacher.get_full_name() in page
    assert other.get_full_name() not in page


def test_blocked_guardian_sees_no_child_data(client, world):
    blocked = world.users["blocked_guardian"]
    client.force_login(blocked)
    page = client.get(HOME).content.decode()
    url = reverse("parents:portal-child-detail", kwargs={"pk": world.s1.pupil.pk})
    # Not the child's first name: "Sem" may also be the first name of a teacher on the page.
    assert url not in page
    assert client.get(url).status_code == 404


def test_guardian_without_information_right_sees_nothing_of_that_child(client, world):
    guardian = world.s1.guardian
    hidden = child_of(
        guardian,
        world.s1.school,
        "Verborgen",
        has_parental_authority=False,
        information_right="on_request",
    )
    logged_in(client, guardian)
    assert "Verborgen" not in client.get(HOME).content.decode()
    url = reverse("parents:portal-child-detail", kwargs={"pk": hidden.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("children", [1, 4])
def test_home_runs_a_fixed_number_of_queries(client, world, children, django_assert_num_queries):
    guardian = world.s1.guardian
    for number in range(children):
        child_of(guardian, world.s2.school, f"Kind{number}")
    logged_in(client, guardian)
    # user with memberships, guardian, links, enrolments, contacts, the guardian's
    # invitations, conversation links, conversations, plan moments, unread information cards,
    # new messages from school, answered ideas and complaints, support plans to answer,
    # meetings to come (issue 20) and the outside help the parents were told about
    with django_assert_num_queries(15):
        assert client.get(HOME).status_code == 200


def test_guardian_with_authority_adds_information_to_the_file(client, world):
    guardian, pupil = world.s1.guardian, world.s1.pupil
    url = reverse("parents:portal-message-create", kwargs={"pk": pupil.pk})
    response = logged_in(client, guardian).post(
        url, {"kind": "file_information", "text": "Ze slaapt slecht sinds de verhuizing."}
    )
    assert response.status_code == 302
    message = GuardianMessage.objects.get()
    assert (message.guardian, message.pupil, message.kind) == (
        guardian,
        pupil,
        GuardianMessageKind.FILE_INFORMATION,
    )
    detail = client.get(response.url).content.decode()
    assert "Ze slaapt slecht" in detail


def test_guardian_without_authority_may_ask_to_be_called_but_not_change_the_file(client, world):
    guardian = f.GuardianFactory(family=world.s1.family, user=f.UserFactory())
    pupil = child_of(
        guardian,
        world.s1.school,
        "Zonder",
        has_parental_authority=False,
        information_right="granted",
    )
    url = reverse("parents:portal-message-create", kwargs={"pk": pupil.pk})
    logged_in(client, guardian)
    form_page = client.get(url).content.decode()
    assert 'value="file_information"' not in form_page
    refused = client.post(url, {"kind": "file_information", "text": "Iets voor het dossier"})
    assert refused.status_code == 200 and not GuardianMessage.objects.exists()
    allowed = client.post(url, {"kind": "call_request", "text": "Bel mij na 17 uur"})
    assert allowed.status_code == 302
    assert GuardianMessage.objects.get().kind == GuardianMessageKind.CALL_REQUEST


def test_message_about_another_familys_child_is_not_found(client, world):
    url = reverse("parents:portal-message-create", kwargs={"pk": world.s2.pupil.pk})
    response = logged_in(client, world.s1.guardian).post(
        url, {"kind": "call_request", "text": "Hallo"}
    )
    assert response.status_code == 404 and not GuardianMessage.objects.exists()


def test_preferences_are_saved_and_the_language_follows(client, world):
    guardian = world.s1.guardian
    guardian.preferred_channels = ["email", "sms"]
    guardian.save()
    response = logged_in(client, guardian).post(
        reverse("parents:portal-preferences"),
        {
            "language": "tr",
            "channel": "sms",
            "quiet_hours_start": "21:00",
            "quiet_hours_end": "07:30",
        },
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "tr"
    guardian.refresh_from_db()
    assert guardian.language == "tr"
    assert guardian.preferred_channels == ["sms", "email"]
    assert guardian.wants_reminders is False
    assert guardian.quiet_hours_start == datetime.time(21, 0)
    assert guardian.in_quiet_hours(datetime.time(23, 0))
    assert not guardian.in_quiet_hours(datetime.time(12, 0))


def test_quiet_hours_need_a_start_and_an_end(client, world):
    guardian = world.s1.guardian
    response = logged_in(client, guardian).post(
        reverse("parents:portal-preferences"),
        {"language": "nl", "channel": "email", "quiet_hours_start": "21:00"},
    )
    assert response.status_code == 200
    assert "begintijd en een eindtijd" in response.content.decode()
    guardian.refresh_from_db()
    assert guardian.quiet_hours_start is None


def test_language_switch_is_kept_as_the_guardians_preference(client, world):
    guardian = world.s1.guardian
    response = logged_in(client, guardian).post(
        reverse("parents:portal-language-set"), {"language": "uk", "next": HOME}
    )
    assert response.status_code == 302 and response.url == HOME
    guardian.refresh_from_db()
    assert guardian.language == "uk"
    page = client.get(HOME).content.decode()
    assert '<html lang="uk" dir="ltr">' in page


def test_language_switch_works_before_login(client):
    response = client.post(reverse("parents:portal-language-set"), {"language": "ar", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    page = client.get(reverse("account_request_login_code")).content.decode()
    assert 'dir="rtl"' in page and "bootstrap.rtl.min.css" in page


@time_machine.travel(datetime.datetime(2026, 11, 3, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_dates_follow_the_parents_language(client, world):
    GuardianMessageFactory(guardian=world.s1.guardian, pupil=world.s1.pupil)
    url = reverse("parents:portal-child-detail", kwargs={"pk": world.s1.pupil.pk})
    logged_in(client, world.s1.guardian)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "tr"
    assert "3 Kasım 2026" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "3 november 2026" in client.get(url).content.decode()


# --- Staff ---------------------------------------------------------------------------------------


def test_teacher_sees_messages_about_their_own_group_only(client, world):
    GuardianMessageFactory(guardian=world.s1.guardian, pupil=world.s1.pupil, text="Over groep 5")
    other = f.PupilFactory(school=world.s1.school)
    f.EnrolmentFactory(pupil=other, group=world.s1.other_group)
    other_guardian = f.GuardianFactory(family=world.s1.family)
    f.PupilGuardianFactory(pupil=other, guardian=other_guardian)
    GuardianMessageFactory(guardian=other_guardian, pupil=other, text="Over groep 6")
    url = reverse("parents:guardian-message-list", kwargs={"pk": world.s1.school.pk})

    client.force_login(world.users["teacher"])
    page = client.get(url).content.decode()
    assert "Over groep 5" in page and "Over groep 6" not in page

    client.force_login(world.users["intern_begeleider"])
    page = client.get(url).content.decode()
    assert "Over groep 5" in page and "Over groep 6" in page


def test_staff_mark_a_message_handled_and_it_stays_on_record(client, world):
    message = GuardianMessageFactory(guardian=world.s1.guardian, pupil=world.s1.pupil)
    teacher = world.users["teacher"]
    client.force_login(teacher)
    handle = reverse("parents:guardian-message-handle", kwargs={"pk": message.pk})
    client.post(handle)
    message.refresh_from_db()
    first_handled_at = message.handled_at
    assert message.handled_by == teacher and first_handled_at is not None
    client.force_login(world.users["director"])
    client.post(handle)
    message.refresh_from_db()
    assert (message.handled_by, message.handled_at) == (teacher, first_handled_at)


@pytest.mark.parametrize("count", [1, 5])
def test_message_list_runs_a_fixed_number_of_queries(
    client, world, count, django_assert_num_queries
):
    for _ in range(count):
        GuardianMessageFactory(guardian=world.s1.guardian, pupil=world.s1.pupil)
    client.force_login(world.users["director"])
    url = reverse("parents:guardian-message-list", kwargs={"pk": world.s1.school.pk})
    # user with memberships (with the guardian check), school, messages; and the audit row of
    # the read (issue 14)
    with django_assert_num_queries(3 + audit_write()):
        assert client.get(url).status_code == 200
