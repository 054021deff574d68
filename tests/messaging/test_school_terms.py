"""The director sets the school's answer term and sending hours: parents' acknowledgements name
the new day, planned messages keep to the new hours, and bad input gets a Dutch message and
changes nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from messaging import services
from messaging.models import SchoolMessaging
from parents import portal_services

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime.datetime(2026, 12, 7, 10, tzinfo=AMS)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def url(world):
    return reverse("messaging:school-terms-edit", args=[world.s1.school.pk])


def save(client, world, **values):
    client.force_login(world.users["director"])
    data = {"answer_term_days": "3", "sending_from": "08:00", "sending_until": "18:00", **values}
    return client.post(url(world), data)


def test_the_director_sets_the_term_and_parents_are_promised_the_new_day(client, world):
    response = save(client, world)
    assert response.status_code == 302
    terms = SchoolMessaging.of(world.s1.school)
    assert (terms.answer_term_days, terms.sending_from, terms.sending_until) == (
        3,
        datetime.time(8),
        datetime.time(18),
    )
    thread = portal_services.send_guardian_message(
        guardian=world.s1.guardian, pupil=world.s1.pupil, kind="call_request", text="Bel mij."
    ).thread
    assert thread.answer_by == datetime.date(2026, 12, 10)  # Monday + 3 school days: Thursday
    assert "donderdag 10 december" in thread.posts.get(kind="ack").text
    # The page shows what was saved.
    page = client.get(url(world)).content.decode()
    assert 'value="3"' in page and 'value="08:00"' in page and 'value="18:00"' in page


def test_a_message_planned_after_the_new_hours_is_refused_with_those_hours(client, world):
    save(client, world)
    with pytest.raises(services.MessagingError, match="tussen 08:00 en 18:00 uur"):
        services.send_announcement(
            school=world.s1.school,
            by=world.users["director"],
            audience="school",
            subject="Kerstviering",
            body="Donderdag vieren we kerst.",
            send_at=datetime.datetime(2026, 12, 8, 19, tzinfo=AMS),
        )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"answer_term_days": "0"}, "Kies een termijn van 1 tot en met 10 schooldagen."),
        ({"answer_term_days": "11"}, "Kies een termijn van 1 tot en met 10 schooldagen."),
        ({"answer_term_days": "twee"}, "Vul een heel getal in, bijvoorbeeld 2."),
        ({"sending_from": "18:00"}, "De begintijd moet voor de eindtijd liggen."),
        ({"sending_until": "laat"}, "Vul een tijd in als 21:00."),
        ({"sending_from": ""}, "Vul een begintijd in."),
    ],
)
def test_bad_input_gets_a_dutch_message_and_keeps_what_was_typed(client, world, values, message):
    response = save(client, world, **values)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert not SchoolMessaging.objects.filter(school=world.s1.school).exists()


def test_only_the_director_finds_the_settings_on_the_messages_page(client, world):
    messages_page = reverse("messaging:message-list", args=[world.s1.school.pk])
    client.force_login(world.users["director"])
    assert url(world) in client.get(messages_page).content.decode()
    client.force_login(world.users["intern_begeleider"])
    assert url(world) not in client.get(messages_page).content.decode()
    assert client.get(url(world)).status_code == 404
