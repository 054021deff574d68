"""RELIABILITY E1 (audit log of views and changes) and the court-order block of a guardian."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from schools import audit
from schools.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_viewing_a_pupil_is_recorded_once_with_ids_only(world, client_for):
    client_for("teacher").get(reverse("schools:pupil-detail", kwargs={"pk": world.s1.pupil.pk}))
    event = AuditEvent.objects.get()
    assert (event.user, event.pupil, event.school, event.action) == (
        world.users["teacher"],
        world.s1.pupil,
        world.s1.school,
        "view_pupil",
    )
    assert event.roles == "teacher"
    assert event.what == f"pupil:{world.s1.pupil.pk}"


@pytest.mark.parametrize(
    ("url_name", "target", "kind"),
    [
        ("schools:pupil-detail", lambda w: w.s3.pupil.pk, "pupil"),
        ("privacy:pupil-log", lambda w: w.s3.pupil.pk, "pupil"),
        ("parents:family-detail", lambda w: w.s3.family.pk, "family"),
        ("privacy:family-export", lambda w: w.s3.family.pk, "family"),
    ],
)
def test_an_attempt_on_another_schools_data_is_denied_and_logged_for_that_school(
    world, client_for, url_name, target, kind
):
    pk = target(world)
    response = client_for("director").get(reverse(url_name, kwargs={"pk": pk}))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.DENIED)
    assert (event.user, event.what, event.school) == (
        world.users["director"],
        f"{kind}:{pk}",
        world.s3.school,
    )
    # The director of the school that was aimed at reads the attempt in her log.
    assert AuditEvent.objects.visible_to(world.users["foreign_director"]).filter(pk=event.pk)
    assert not AuditEvent.objects.visible_to(world.users["director"]).filter(pk=event.pk)


def test_a_request_for_a_pupil_that_does_not_exist_is_logged_without_a_school(world, client_for):
    client_for("teacher").get(reverse("schools:pupil-detail", kwargs={"pk": 10**9}))
    event = AuditEvent.objects.get()
    assert (event.action, event.what, event.school) == ("denied", f"pupil:{10**9}", None)


def test_a_view_of_a_conversation_note_is_one_line_to_record(world):
    audit.record(
        world.users["intern_begeleider"],
        AuditAction.VIEW_NOTE,
        pupil=world.s1.pupil,
        what="note:12",
    )
    assert AuditEvent.objects.get().what == "note:12"


def test_free_text_cannot_enter_the_audit_log(world):
    with pytest.raises(ValueError):
        audit.record(
            world.users["director"],
            AuditAction.VIEW_NOTE,
            pupil=world.s1.pupil,
            what="Moeder is ziek",
        )
    assert not AuditEvent.objects.exists()


def test_director_reads_the_pupils_log(world, client_for):
    client_for("teacher").get(reverse("schools:pupil-detail", kwargs={"pk": world.s1.pupil.pk}))
    page = client_for("director").get(
        reverse("privacy:pupil-log", kwargs={"pk": world.s1.pupil.pk})
    )
    assert page.status_code == 200
    assert escape(world.users["teacher"].get_full_name()) in page.content.decode()
    assert "leerling bekeken" in page.content.decode()


def test_pupil_log_query_count_does_not_grow_with_events(world, client_for):
    client = client_for("director")
    url = reverse("privacy:pupil-log", kwargs={"pk": world.s1.pupil.pk})
    client.get(url)  # the session's first request writes its own bookkeeping
    counts = []
    for n in (2, 20):
        for _ in range(n):
            audit.record(world.users["teacher"], AuditAction.VIEW_PUPIL, pupil=world.s1.pupil)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    # the user with memberships, pupil, events (with their users), and the audit write: read
    # the last chain and insert, in a savepoint, on PostgreSQL after taking the append lock.
    assert counts[0] == counts[1] <= 10


def test_blocking_a_guardian_hides_the_child_and_is_logged(world, client_for):
    link = world.s1.pupil.guardian_links.get(guardian=world.s1.guardian)
    url = reverse("privacy:guardian-access", kwargs={"pk": world.s1.pupil.pk, "link_pk": link.pk})
    assert (
        client_for("guardian").get(reverse("parents:portal-home")).content.decode().count("Sem")
        >= 1
    )
    response = client_for("intern_begeleider").post(url, {"reason": "Besluit rechter 3 maart"})
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.access_blocked_reason == "Besluit rechter 3 maart"
    event = AuditEvent.objects.get(action="block_access")
    assert event.what == f"guardian:{world.s1.guardian.pk}"
    assert "rechter" not in str(event.__dict__)  # the reason lives on the link, not in the log
    assert "Sem" not in client_for("guardian").get(reverse("parents:portal-home")).content.decode()
    client_for("director").post(url, {"reason": ""})
    link.refresh_from_db()
    assert link.access_blocked_reason == ""
    assert AuditEvent.objects.filter(action="unblock_access").count() == 1


def test_teacher_cannot_block(world, client_for):
    link = world.s1.pupil.guardian_links.get(guardian=world.s1.guardian)
    url = reverse("privacy:guardian-access", kwargs={"pk": world.s1.pupil.pk, "link_pk": link.pk})
    assert client_for("teacher").post(url, {"reason": "x"}).status_code == 404
    link.refresh_from_db()
    assert link.access_blocked_reason == ""


def test_a_parent_without_authority_gets_information_once_the_school_grants_the_request(
    world, client_for, client
):
    from tests import factories as f

    father = f.GuardianFactory(
        family=f.FamilyFactory(board=world.s1.school.board), user=f.UserFactory()
    )
    link = f.PupilGuardianFactory(
        pupil=world.s1.pupil,
        guardian=father,
        has_parental_authority=False,
        information_right="on_request",
        lives_with=False,
    )
    child = world.s1.pupil.first_name

    def father_sees_the_child():
        client.force_login(father.user)
        return child in client.get(reverse("parents:portal-home")).content.decode()

    assert not father_sees_the_child()
    url = reverse("privacy:guardian-access", kwargs={"pk": world.s1.pupil.pk, "link_pk": link.pk})
    director = client_for("director")
    assert "Verzoek om informatie toekennen" in director.get(url).content.decode()
    director.post(url, {"information": "grant"})
    assert father_sees_the_child()
    event = AuditEvent.objects.get(action=AuditAction.GRANT_INFORMATION)
    assert (event.pupil, event.what) == (world.s1.pupil, f"guardian:{father.pk}")

    client_for("director").post(url, {"information": "withdraw"})
    assert not father_sees_the_child()
    assert AuditEvent.objects.filter(action=AuditAction.WITHDRAW_INFORMATION).count() == 1


def test_no_information_decision_for_a_parent_with_authority(world, client_for):
    link = world.s1.pupil.guardian_links.get(guardian=world.s1.guardian)
    url = reverse("privacy:guardian-access", kwargs={"pk": world.s1.pupil.pk, "link_pk": link.pk})
    response = client_for("director").post(url, {"information": "grant"}, follow=True)
    assert "er valt niets te beslissen" in response.content.decode()
    link.refresh_from_db()
    assert link.information_right == "full"
    assert not AuditEvent.objects.filter(action=AuditAction.GRANT_INFORMATION).exists()


def test_a_parent_without_authority_asks_for_information_from_the_portal(world, client_for, client):
    from parents.models import GuardianMessage
    from tests import factories as f

    father = f.GuardianFactory(
        family=f.FamilyFactory(board=world.s1.school.board), user=f.UserFactory()
    )
    f.PupilGuardianFactory(
        pupil=world.s1.pupil,
        guardian=father,
        has_parental_authority=False,
        information_right="on_request",
        lives_with=False,
    )
    client.force_login(father.user)
    page = client.get(reverse("parents:portal-preferences")).content.decode()
    assert "Vraag de school om informatie" in page
    request_url = reverse("parents:portal-information-request")
    response = client.post(request_url, follow=True)
    assert "De school beslist over uw verzoek" in response.content.decode()
    client.post(request_url)  # asking twice makes one open request
    (request,) = GuardianMessage.objects.filter(guardian=father)
    assert (request.pupil, request.kind) == (world.s1.pupil, "information_request")
    inbox = client_for("director").get(
        reverse("parents:guardian-message-list", kwargs={"pk": world.s1.school.pk})
    )
    assert "Verzoek om informatie" in inbox.content.decode()
    # The director's decision answers the request.
    link = world.s1.pupil.guardian_links.get(guardian=father)
    access = reverse(
        "privacy:guardian-access", kwargs={"pk": world.s1.pupil.pk, "link_pk": link.pk}
    )
    client_for("director").post(access, {"information": "grant"})
    request.refresh_from_db()
    assert request.handled_by == world.users["director"]

    # A parent with authority has nothing to ask: no button, and a clear answer.
    client.force_login(world.s1.guardian.user)
    assert (
        "Vraag de school om informatie"
        not in client.get(reverse("parents:portal-preferences")).content.decode()
    )
    response = client.post(request_url, follow=True)
    assert "U hebt al informatie over uw kinderen" in response.content.decode()
    assert not GuardianMessage.objects.filter(guardian=world.s1.guardian).exists()
