"""Issue 9: the audit log records who viewed and changed a start conversation's notes."""

import pytest
from django.urls import reverse

from schools.models import AuditEvent
from tests.access.conversations import _conversation

pytestmark = pytest.mark.django_db


def test_viewing_the_conversation_log_is_recorded_without_its_text(world, client_for):
    conversation = _conversation(world.s1)
    conversation.home_situation = "Vader werkt in ploegendienst"
    conversation.save()
    url = reverse("conversations:conversation-log", kwargs={"pk": conversation.pk})

    assert client_for("intern_begeleider").get(url).status_code == 200

    event = AuditEvent.objects.get(pupil=world.s1.pupil)
    assert event.user == world.users["intern_begeleider"]
    assert event.action == "view_home"
    assert event.what == f"start_conversation:{conversation.pk}"
    assert "ploegendienst" not in str(event.__dict__)


def test_a_colleague_who_does_not_see_the_home_situation_is_logged_as_viewing_the_note(
    world, client_for
):
    conversation = _conversation(world.s1)
    url = reverse("conversations:conversation-log", kwargs={"pk": conversation.pk})
    client_for("ouder_coordinator").get(url)
    actions = set(AuditEvent.objects.filter(pupil=world.s1.pupil).values_list("action", flat=True))
    assert actions == {"view_note"}


def test_an_outsider_leaves_no_view_event(world, client_for):
    conversation = _conversation(world.s1)
    url = reverse("conversations:conversation-log", kwargs={"pk": conversation.pk})
    assert client_for("foreign_director").get(url).status_code == 404
    assert not AuditEvent.objects.filter(action__in=["view_note", "view_home"]).exists()
