"""Issue 14: every sensitive read is in the audit log, written by the query or service that reads
the data: the family page, the messages of parents, each download with names, the lists behind
the dashboard's figures, and a blocked guardian's refused attempt."""

import pytest
from django.urls import reverse

from conversations.models import CalendarFeed
from schools.models import AuditAction, AuditEvent
from tests.access.conversations import _booking
from tests.access.parents import _moment

pytestmark = pytest.mark.django_db


def _events():
    return list(AuditEvent.objects.order_by("pk").values_list("action", "what", "school_id"))


def test_viewing_a_family_page_adds_exactly_one_audit_row(world, client_for):
    client = client_for("intern_begeleider")
    url = reverse("parents:family-detail", kwargs={"pk": world.s1.family.pk})
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.get()
    assert (event.action, event.what, event.family_id, event.school_id, event.user) == (
        AuditAction.VIEW_FAMILY,
        f"family:{world.s1.family.pk}",
        world.s1.family.pk,
        world.s1.school.pk,
        world.users["intern_begeleider"],
    )
    assert event.roles == "intern_begeleider"
    client.get(url)
    assert AuditEvent.objects.count() == 2  # each view is a row of its own


@pytest.mark.parametrize(
    ("url_name", "kwargs", "action", "what"),
    [
        (
            "parents:guardian-message-list",
            lambda w: {"pk": w.s1.school.pk},
            AuditAction.VIEW_MESSAGES,
            lambda w: f"school:{w.s1.school.pk}",
        ),
        (
            "dashboard:not-reached",
            lambda w: {"pk": w.s1.school.pk},
            AuditAction.VIEW_LIST,
            lambda w: "not_reached",
        ),
        (
            "dashboard:figure-list",
            lambda w: {"pk": w.s1.school.pk, "figure": "gesprek-gehouden"},
            AuditAction.VIEW_LIST,
            lambda w: "figure_gesprek_gehouden",
        ),
        (
            "dashboard:school-export",
            lambda w: {"pk": w.s1.school.pk, "table": "niet-bereikt", "fmt": "csv"},
            AuditAction.DOWNLOAD,
            lambda w: "not_reached",
        ),
        (
            "parents:year-calendar-ics",
            lambda w: _moment(w.s1) and {"pk": w.s1.school.pk},
            AuditAction.DOWNLOAD,
            lambda w: f"year_calendar:{w.s1.school.pk}",
        ),
    ],
)
def test_a_sensitive_read_of_the_school_is_one_audit_row(
    world, client_for, url_name, kwargs, action, what
):
    response = client_for("director").get(reverse(url_name, kwargs=kwargs(world)))
    assert response.status_code == 200
    assert _events() == [(action, what(world), world.s1.school.pk)]


def test_the_dashboard_table_of_figures_is_not_a_read_of_names(world, client_for):
    kwargs = {"pk": world.s1.school.pk, "table": "groepen", "fmt": "xlsx"}
    assert client_for("director").get(reverse("dashboard:school-export", kwargs=kwargs))
    assert _events() == []


def test_a_booking_file_is_audit_logged_with_the_child(world, client_for):
    booking = _booking(world.s1)
    url = reverse("conversations:booking-ics", kwargs={"pk": booking.pk})
    for principal in ("teacher", "guardian"):
        assert client_for(principal).get(url).status_code == 200
    rows = AuditEvent.objects.order_by("pk")
    assert [(e.user, e.action, e.pupil_id, e.what) for e in rows] == [
        (world.users[p], AuditAction.DOWNLOAD, world.s1.pupil.pk, f"booking:{booking.pk}")
        for p in ("teacher", "guardian")
    ]


def test_each_fetch_of_a_staff_calendar_feed_is_audit_logged_for_its_owner(world, client):
    _booking(world.s1)
    feed = CalendarFeed.objects.create(user=world.s1.director)
    response = client.get(reverse("conversations:staff-feed", args=[feed.token]))
    assert b"BEGIN:VEVENT" in response.content
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.what) == (
        world.s1.director,
        AuditAction.DOWNLOAD,
        f"calendar_feed:{feed.pk}",
    )


@pytest.mark.parametrize(
    "url_name", ["parents:portal-child-detail", "parents:portal-message-create"]
)
def test_a_blocked_guardians_attempt_on_the_child_is_refused_and_logged(
    world, client_for, url_name
):
    client = client_for("blocked_guardian")
    response = client.get(reverse(url_name, kwargs={"pk": world.s1.pupil.pk}))
    assert response.status_code == 404
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.pupil_id, event.school_id, event.what) == (
        world.users["blocked_guardian"],
        AuditAction.DENIED_BLOCKED,
        world.s1.pupil.pk,
        world.s1.school.pk,
        f"pupil:{world.s1.pupil.pk}",
    )
    # The school's director reads the attempt in the child's log.
    assert AuditEvent.objects.visible_to(world.users["director"]).filter(pk=event.pk).exists()


def test_a_guardian_trying_another_familys_child_is_just_not_found(world, client_for):
    url = reverse("parents:portal-child-detail", kwargs={"pk": world.s2.pupil.pk})
    assert client_for("guardian").get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.DENIED_BLOCKED).exists()
