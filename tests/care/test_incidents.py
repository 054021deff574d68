"""Incidents with a parent: registered by any colleague, seen only by the director, the staff
member concerned and whom the director adds; followed up with reminders; counted for the board
without names; in the family's data export unless withheld on a legal ground."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from care import services
from care.models import ContactArrangement, Incident
from partnership import privacy
from reminders import dispatch
from reminders.models import Reminder, Status
from schools.models import AuditAction, AuditEvent
from tests import factories as f
from tests.audit_cost import audit_write
from tests.care.factories import IncidentFactory

D = datetime.date
WHAT = "De vader schreeuwde bij het hek en schold de juf uit."


def _incident(care, **extra):
    return IncidentFactory(
        school=care.school,
        guardian=care.guardian,
        staff_member=care.teacher,
        what_happened=WHAT,
        **extra,
    )


def _form(care, **extra):
    return {
        "guardian": care.guardian.pk,
        "staff_member": care.teacher.pk,
        "kind": "verbal",
        "day": "2026-10-06",
        "time": "08:25",
        "place": "Bij het hek",
        "what_happened": WHAT,
        "witnesses": "Meester Joost",
        "measure_conversation": "on",
        **extra,
    }


def test_teacher_registers_an_incident_that_the_director_sees(care, client):
    client.force_login(care.teacher)
    response = client.post(reverse("care:incident-create", args=[care.school.pk]), _form(care))
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("care:incident-detail", args=[incident.pk])
    assert incident.reported_by == care.teacher and incident.kind == "verbal"
    assert timezone.localtime(incident.occurred_at).strftime("%H:%M") == "08:25"

    client.force_login(care.director)
    body = client.get(response.url).content.decode()
    assert escape(WHAT) in body and "gesprek met de ouder" in body
    assert "Opvolging plannen" in body  # the director's forms


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"day": "2026-10-07"}, "Het incident kan niet in de toekomst liggen."),
        ({"access_ban_until": "2026-10-01"}, "Het schoolverbod kan niet eindigen vóór het"),
    ],
)
def test_a_wrong_date_gets_a_clear_message_and_loses_nothing(care, client, extra, message):
    client.force_login(care.teacher)
    response = client.post(
        reverse("care:incident-create", args=[care.school.pk]), _form(care, **extra)
    )
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert escape(WHAT) in body  # what the teacher wrote is still on the form
    assert not Incident.objects.exists()


def test_a_parent_of_another_school_cannot_be_chosen(care, client):
    stranger = f.GuardianFactory()
    f.PupilGuardianFactory(guardian=stranger, pupil=f.PupilFactory(school=care.other_school))
    client.force_login(care.director)
    response = client.post(
        reverse("care:incident-create", args=[care.school.pk]),
        _form(care, guardian=stranger.pk),
    )
    assert response.status_code == 200 and not Incident.objects.exists()
    assert "guardian" in response.context["form"].errors


def test_others_get_404_and_the_attempt_is_logged(care, client):
    incident = _incident(care)
    url = reverse("care:incident-detail", args=[incident.pk])
    for outsider in (care.colleague, care.intern_begeleider, care.board):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 404, outsider
        assert WHAT not in response.content.decode()
    denied = AuditEvent.objects.filter(action=AuditAction.DENIED, what=f"incident:{incident.pk}")
    assert denied.count() == 3


def test_the_director_adds_a_reader_who_then_sees_it(care, client):
    incident = _incident(care)
    url = reverse("care:incident-detail", args=[incident.pk])
    client.force_login(care.intern_begeleider)
    assert client.get(url).status_code == 404

    client.force_login(care.director)
    client.post(
        reverse("care:incident-reader-add", args=[incident.pk]),
        {"reader": care.intern_begeleider.pk},
    )
    client.force_login(care.intern_begeleider)
    body = client.get(url).content.decode()
    assert escape(WHAT) in body and "Opvolging plannen" not in body
    # A reader reads; only the director plans the follow-up.
    response = client.post(
        reverse("care:incident-follow-up", args=[incident.pk]), {"aftercare_on": "2026-10-07"}
    )
    assert response.status_code == 404


def test_every_read_is_audit_logged(care, client):
    incident = _incident(care)
    client.force_login(care.teacher)
    client.get(reverse("care:incident-list", args=[care.school.pk]))
    client.get(reverse("care:incident-detail", args=[incident.pk]))
    events = AuditEvent.objects.filter(user=care.teacher, action=AuditAction.VIEW_INCIDENT)
    assert sorted(events.values_list("what", flat=True)) == [
        f"incident:{incident.pk}",
        f"school:{care.school.pk}",
    ]
    assert events.get(what=f"incident:{incident.pk}").family_id == care.family.pk


def test_follow_up_is_reminded_on_its_day_to_whom_does_it(care, client, now):
    incident = _incident(care)
    client.force_login(care.director)
    response = client.post(
        reverse("care:incident-follow-up", args=[incident.pk]),
        {
            "aftercare_by": care.director.pk,
            "aftercare_on": "2026-10-07",
            "repair_by": care.director.pk,
            "repair_on": "2026-10-12",
            "evaluation_by": care.director.pk,
            "evaluation_on": "2026-11-16",
        },
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "gepland:" in page and "12 oktober 2026" in page

    ours = Reminder.objects.filter(rule="care.incident_follow_up")
    dispatch.scan(now=timezone.now())
    assert not ours.exists()  # nothing is due today

    at_eight = timezone.make_aware(datetime.datetime(2026, 10, 7, 8, 0))
    dispatch.scan(now=at_eight)
    reminder = ours.get()
    assert reminder.address == care.director.email and reminder.due_at == at_eight
    assert "nazorg" in reminder.subject.lower()
    assert care.guardian.last_name not in reminder.body  # the e-mail names no parent
    dispatch.scan(now=at_eight)
    assert ours.count() == 1  # exactly once

    # Done before it went out: the re-check stops it.
    services.plan_follow_up(incident=incident, by=care.director, aftercare_done_on=D(2026, 10, 7))
    dispatch.send_batch(now=at_eight)
    reminder.refresh_from_db()
    assert reminder.status == Status.CANCELLED


def test_a_day_without_a_person_is_refused(care):
    incident = _incident(care)
    with pytest.raises(services.CareError, match="kies wie dit doet"):
        services.plan_follow_up(incident=incident, by=care.director, repair_on=D(2026, 10, 8))
    with pytest.raises(services.CareError, match="Alleen de directeur"):
        services.plan_follow_up(
            incident=incident, by=care.teacher, repair_by=care.teacher, repair_on=D(2026, 10, 8)
        )


def test_colleagues_see_only_the_contact_arrangement_on_the_family_page(care, client):
    incident = _incident(care)
    client.force_login(care.director)
    client.post(
        reverse("care:incident-arrangement", args=[incident.pk]),
        {"text": "Alleen met twee collega's"},
    )
    assert ContactArrangement.objects.get().text == "Alleen met twee collega's"

    client.force_login(care.colleague)
    body = client.get(reverse("parents:family-detail", args=[care.family.pk])).content.decode()
    assert escape("Alleen met twee collega's") in body
    assert escape(WHAT) not in body and "incident" not in body.lower()
    assert (
        client.get(reverse("care:incident-list", args=[care.school.pk])).context["incidents"] == []
    )

    # An empty arrangement removes it.
    client.force_login(care.director)
    client.post(reverse("care:incident-arrangement", args=[incident.pk]), {"text": ""})
    client.force_login(care.colleague)
    body = client.get(reverse("parents:family-detail", args=[care.family.pk])).content.decode()
    assert "Contactafspraak met dit gezin" not in body


def test_the_board_sees_counts_per_school_and_kind_without_names(care, client):
    _incident(care)
    _incident(care, kind="digital")
    other = f.GuardianFactory(family=care.family)
    f.PupilGuardianFactory(guardian=other, pupil=f.PupilFactory(school=care.other_school))
    IncidentFactory(school=care.other_school, guardian=other, kind="digital")
    client.force_login(care.board)
    response = client.get(reverse("care:incident-figures", args=[care.school.board_id]))
    body = response.content.decode()
    rows = {
        school.name: (counts, total) for school, counts, total in response.context["figures"].rows
    }
    # kinds in order: verbal, non-verbal, physical, digital
    assert rows == {"De Linde": ([0, 0, 0, 1], 1), "De Regenboog": ([1, 0, 0, 1], 2)}
    assert care.guardian.last_name not in body and care.teacher.last_name not in body

    # A director sees the row of their own school only.
    client.force_login(care.director)
    response = client.get(reverse("care:incident-figures", args=[care.school.board_id]))
    assert [school.name for school, *_ in response.context["figures"].rows] == ["De Regenboog"]


def test_the_family_export_holds_the_incident_unless_withheld(care, client):
    incident = _incident(care)

    def exported():
        export = privacy.export_family(care.family)
        return [s for s in export["sections"] if s.label == "care.incident"]

    assert [obj.pk for obj in exported()[0].objects] == [incident.pk]
    client.force_login(care.director)
    client.post(
        reverse("care:incident-withhold", args=[incident.pk]),
        {"ground": "Art. 41 UAVG: bescherming van de medewerker"},
    )
    assert exported() == []
    body = client.get(reverse("care:incident-detail", args=[incident.pk])).content.decode()
    assert "Art. 41 UAVG" in body


@pytest.mark.parametrize("size", [1, 6])
def test_incident_list_runs_a_fixed_number_of_queries(
    care, client, size, django_assert_num_queries
):
    for _ in range(size):
        _incident(care)
        guardian = f.GuardianFactory(family=f.FamilyFactory(board=care.school.board))
        f.PupilGuardianFactory(guardian=guardian, pupil=care.pupil)
        IncidentFactory(school=care.school, guardian=guardian, staff_member=care.colleague)
    client.force_login(care.director)
    # The user with their roles, the school, the incidents with their people; the audit row.
    with django_assert_num_queries(3 + audit_write()):
        response = client.get(reverse("care:incident-list", args=[care.school.pk]))
    assert response.content.decode().count("data-incident=") == 2 * size


def test_the_protocol_says_whom_to_call_and_the_director_adapts_it(care, client):
    url = reverse("care:protocol-detail", args=[care.school.pk])
    client.force_login(care.teacher)
    body = client.get(url).content.decode()
    assert "112" in body and "standaardprotocol" in body
    assert client.get(reverse("care:protocol-edit", args=[care.school.pk])).status_code == 404

    client.force_login(care.director)
    client.post(
        reverse("care:protocol-edit", args=[care.school.pk]),
        {
            "steps": "1. Stop het gesprek.\n2. Bel de directeur.",
            "confidant": "Mw. Jansen, 070-1234567",
            "director_phone": "070-7654321",
            "police": "112",
        },
    )
    client.force_login(care.teacher)
    body = client.get(url).content.decode()
    assert "Bel de directeur." in body and "Mw. Jansen" in body and "standaardprotocol" not in body
