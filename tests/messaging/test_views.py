"""The messages pages as each role sees them, and their query counts at two sizes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from messaging import services
from messaging.models import Announcement, Recipient, Thread
from parents import portal_services
from reminders import dispatch
from schools.models import AuditEvent
from tests import factories as f
from tests.audit_cost import audit_write

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime.datetime(2026, 12, 7, 10, tzinfo=AMS)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def add_family(world, *, language="nl", interpreter=False, phone="0612345678", name=None):
    """A family with one child in S1's group 5 and one guardian."""
    family = f.FamilyFactory(board=world.b1, **({"name": name} if name else {}))
    guardian = f.GuardianFactory(
        family=family, language=language, needs_interpreter=interpreter, phone=phone
    )
    pupil = f.PupilFactory(school=world.s1.school)
    f.EnrolmentFactory(pupil=pupil, group=world.s1.group)
    f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    return guardian, pupil


def write(guardian, pupil, text="Graag een telefoontje."):
    return portal_services.send_guardian_message(
        guardian=guardian, pupil=pupil, kind="call_request", text=text
    ).thread


def group_message(world, **values):
    return services.send_announcement(
        school=world.s1.school,
        by=world.users["teacher"],
        audience="groups",
        groups=[world.s1.group],
        subject=values.get("subject", "Schoolreis"),
        body=values.get("body", "Donderdag gaan we naar het strand."),
    )


# --- the parent's side ------------------------------------------------------------------------


def test_after_writing_the_parent_lands_on_the_conversation_with_the_acknowledgement(client, world):
    client.force_login(world.users["guardian"])
    url = reverse("parents:portal-message-create", kwargs={"pk": world.s1.pupil.pk})
    response = client.post(url, {"kind": "call_request", "text": "Bel mij na 17 uur."})
    thread = Thread.objects.get()
    assert response.url == reverse("messaging:portal-thread-detail", kwargs={"pk": thread.pk})
    page = client.get(response.url).content.decode()
    teacher = world.users["teacher"]
    assert "Bel mij na 17 uur." in page
    assert f"{teacher.get_full_name()} antwoordt u uiterlijk woensdag 9 december" in page


def test_the_parent_reads_the_answer_and_replies(client, world):
    thread = write(world.s1.guardian, world.s1.pupil)
    services.answer_thread(thread=thread, by=world.users["teacher"], text="Ik bel u morgen.")
    client.force_login(world.users["guardian"])
    inbox = client.get(reverse("messaging:portal-inbox")).content.decode()
    assert "nieuw antwoord" in inbox
    url = reverse("messaging:portal-thread-detail", kwargs={"pk": thread.pk})
    assert "Ik bel u morgen." in client.get(url).content.decode()
    assert "nieuw antwoord" not in client.get(reverse("messaging:portal-inbox")).content.decode()
    response = client.post(url, {"text": "Dank u, tot morgen."})
    assert response.status_code == 302
    assert thread.posts.filter(kind="guardian", text="Dank u, tot morgen.").exists()


def test_an_empty_reply_keeps_the_page_with_a_dutch_message(client, world):
    thread = write(world.s1.guardian, world.s1.pupil)
    client.force_login(world.users["guardian"])
    url = reverse("messaging:portal-thread-detail", kwargs={"pk": thread.pk})
    response = client.post(url, {"text": "  "})
    assert response.status_code == 200
    assert "Schrijf een bericht." in response.content.decode()


def test_opening_a_message_from_school_in_the_portal_counts_as_read(client, world):
    announcement = group_message(world)
    client.force_login(world.users["guardian"])
    url = reverse("messaging:portal-announcement-detail", kwargs={"pk": announcement.pk})
    assert "Donderdag gaan we naar het strand." in client.get(url).content.decode()
    assert Recipient.objects.get(guardian=world.s1.guardian).opened_at == MONDAY


def test_the_link_in_the_mail_opens_the_message_in_the_parents_language(client, world):
    world.s1.guardian.language = "ar"
    world.s1.guardian.save()
    announcement = group_message(world)
    recipient = announcement.recipients.get(guardian=world.s1.guardian)
    page = client.get(reverse("messaging:read-link", kwargs={"token": recipient.token}))
    html = page.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "Donderdag gaan we naar het strand." in html
    recipient.refresh_from_db()
    assert recipient.opened_at == MONDAY
    assert client.get(reverse("messaging:read-link", kwargs={"token": "x" * 32})).status_code == 404


# --- the staff's side -------------------------------------------------------------------------


def test_staff_see_the_thread_with_language_and_interpreter_and_answer_it(client, world):
    world.s1.guardian.language = "tr"
    world.s1.guardian.needs_interpreter = True
    world.s1.guardian.save()
    thread = write(world.s1.guardian, world.s1.pupil)
    client.force_login(world.users["teacher"])
    url = reverse("messaging:thread-detail", kwargs={"pk": thread.pk})
    page = client.get(url).content.decode()
    assert "Türkçe" in page and "tolk nodig" in page
    assert AuditEvent.objects.filter(what=f"thread:{thread.pk}").exists()
    response = client.post(url, {"text": "Ik bel u met een tolk."})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.answered_at == MONDAY
    family_page = client.get(reverse("parents:family-detail", kwargs={"pk": world.s1.family.pk}))
    assert "bericht in Schouder" in family_page.content.decode()


def test_the_messages_list_shows_a_late_conversation(client, world):
    write(world.s1.guardian, world.s1.pupil)
    url = reverse("messaging:message-list", kwargs={"pk": world.s1.school.pk})
    with time_machine.travel(MONDAY + datetime.timedelta(days=3), tick=False):
        client.force_login(world.users["intern_begeleider"])
        page = client.get(url).content.decode()
    assert world.s1.family.name in page and "te laat" in page


def test_the_composer_previews_who_gets_dutch_then_sends(client, world):
    add_family(world, language="pl", name="Gezin Nowak")
    add_family(world, language="ar", interpreter=True, phone="0687654321", name="Gezin Haddad")
    client.force_login(world.users["teacher"])
    url = reverse("messaging:announcement-create", kwargs={"pk": world.s1.school.pk})
    data = {
        "audience": "groups",
        "groups": [world.s1.group.pk],
        "kind": "news",
        "subject": "Studiedag",
        "body": "Vrijdag zijn alle kinderen vrij.",
    }
    preview = client.post(url, {**data, "preview": "1"}).content.decode()
    assert not Announcement.objects.exists()
    assert "Gezin Nowak" in preview and "Polski" in preview
    assert "Gezin Haddad" in preview and "0687654321" in preview
    response = client.post(url, {**data, "send": "1"})
    announcement = Announcement.objects.get()
    assert response.url == reverse("messaging:announcement-detail", kwargs={"pk": announcement.pk})
    assert announcement.recipients.count() == 3


def test_a_teacher_cannot_choose_another_group_in_the_composer(client, world):
    client.force_login(world.users["teacher"])
    url = reverse("messaging:announcement-create", kwargs={"pk": world.s1.school.pk})
    page = client.post(
        url,
        {
            "audience": "groups",
            "groups": [world.s1.other_group.pk],
            "kind": "news",
            "subject": "x",
            "body": "y",
            "send": "1",
        },
    )
    assert page.status_code == 200 and not Announcement.objects.exists()


def test_a_late_moment_is_a_message_on_the_form(client, world):
    client.force_login(world.users["director"])
    url = reverse("messaging:announcement-create", kwargs={"pk": world.s1.school.pk})
    page = client.post(
        url,
        {
            "audience": "school",
            "kind": "news",
            "subject": "Kerst",
            "body": "Kerstviering donderdag.",
            "send_at": "2026-12-08T23:00",
            "send": "1",
        },
    ).content.decode()
    assert "Kies een moment tussen 07:30 en 21:00 uur" in page
    assert "Kerstviering donderdag." in page  # nothing the director typed is lost


def test_the_read_list_shows_delivered_read_and_who_to_call(client, world):
    quiet, _pupil = add_family(world, language="tr", phone="0611122233", name="Gezin Yılmaz")
    announcement = group_message(world)
    dispatch.scan()
    dispatch.send_batch()
    services.mark_opened(recipient=announcement.recipients.get(guardian=world.s1.guardian))
    url = reverse("messaging:announcement-detail", kwargs={"pk": announcement.pk})
    with time_machine.travel(MONDAY + datetime.timedelta(days=4), tick=False):
        client.force_login(world.users["teacher"])
        page = client.get(url, {"dagen": "3"}).content.decode()
    not_reached = page.split('id="not-reached"')[1].split("</table>")[0]
    assert "Gezin Yılmaz" in not_reached and "Türkçe" in not_reached
    assert "0611122233" in not_reached
    assert world.s1.family.name not in not_reached
    assert "2 gezinnen · afgeleverd bij 2 · gelezen door 1" in page


# --- exact query counts at two sizes -------------------------------------------------------------


@pytest.mark.parametrize("families", [2, 12])
def test_the_messages_list_runs_fixed_queries(client, world, families, django_assert_num_queries):
    for number in range(families):
        guardian, pupil = add_family(world, name=f"Gezin {number:02d}")
        write(guardian, pupil)
    for _ in range(families // 2):
        group_message(world)
    client.force_login(world.users["director"])
    url = reverse("messaging:message-list", kwargs={"pk": world.s1.school.pk})
    # session with the user and memberships, school, conversations, messages, their figures
    with django_assert_num_queries(5 + audit_write()):
        response = client.get(url)
    assert response.content.decode().count("/berichten/gesprekken/") == families


@pytest.mark.parametrize("families", [2, 12])
def test_the_read_list_runs_fixed_queries(client, world, families, django_assert_num_queries):
    for number in range(families):
        add_family(world, name=f"Gezin {number:02d}")
    announcement = group_message(world)
    dispatch.scan()
    dispatch.send_batch()
    client.force_login(world.users["teacher"])
    url = reverse("messaging:announcement-detail", kwargs={"pk": announcement.pk})
    # session with the user and memberships, the message (scoped), recipients with status,
    # their families with the children the teacher sees
    with django_assert_num_queries(5 + audit_write()):
        response = client.get(url)
    assert response.content.decode().count("data-family=") == families + 1  # + the world's


# --- the dashboards: response times, figures without names ----------------------------------------


def test_the_dashboards_show_response_times_per_group_and_per_school(client, world):
    answered = write(world.s1.guardian, world.s1.pupil)
    with time_machine.travel(MONDAY + datetime.timedelta(hours=3), tick=False):
        services.answer_thread(thread=answered, by=world.users["teacher"], text="Graag gedaan.")
    client.force_login(world.users["director"])
    page = client.get(
        reverse("dashboard:school-dashboard", kwargs={"pk": world.s1.school.pk})
    ).content.decode()
    responses = page.split('data-table="responses"')[1].split("</table>")[0]
    assert '<th scope="row">5</th>' in responses
    assert "data-median>3,0<" in responses and "data-within>100%<" in responses

    client.force_login(world.users["board"])
    board_page = client.get(
        reverse("dashboard:board-dashboard", kwargs={"pk": world.b1.pk})
    ).content.decode()
    board_table = board_page.split('data-table="responses"')[1].split("</table>")[0]
    assert world.s1.school.name in board_table and "100%" in board_table
    assert world.s1.family.name not in board_page
    assert world.users["teacher"].get_full_name() not in board_page
