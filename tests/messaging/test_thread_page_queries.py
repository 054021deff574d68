"""The staff's conversation page runs the same queries however long the conversation is."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from messaging import services
from parents import portal_services
from tests.audit_cost import audit_write

pytestmark = pytest.mark.django_db
MONDAY = datetime.datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.mark.parametrize("messages", [1, 6])
def test_the_conversation_page_runs_fixed_queries(
    client, world, messages, django_assert_num_queries
):
    guardian = world.s1.guardian
    guardian.language = "tr"
    guardian.save()
    teacher = world.users["teacher"]
    with time_machine.travel(MONDAY, tick=False):
        thread = portal_services.send_guardian_message(
            guardian=guardian, pupil=world.s1.pupil, kind="call_request", text="Bericht 0"
        ).thread
        for number in range(1, messages):
            if number % 2:
                services.answer_thread(thread=thread, by=teacher, text=f"Antwoord {number}")
            else:
                services.reply_as_guardian(
                    thread=thread, guardian=guardian, text=f"Bericht {number}"
                )
    client.force_login(teacher)
    url = reverse("messaging:thread-detail", kwargs={"pk": thread.pk})
    client.get(url)

    # The conversation, its posts with their authors, the audit row, and the Dutch translations
    # of everything the parent wrote at once. The session and the user come from the cache.
    with django_assert_num_queries(3 + audit_write()):
        response = client.get(url)

    page = response.content.decode()
    assert page.count('class="card mb-2') == messages + 1  # the acknowledgement besides
    for number in range(1, messages):
        assert f"{'Antwoord' if number % 2 else 'Bericht'} {number}" in page
