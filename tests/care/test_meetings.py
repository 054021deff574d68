"""Meetings about a child without surprise attendees: the parents' invitation names everyone with
their role; someone added later is announced at once, by name; parents say whom they bring.
Before the school involves help from outside, the parents are told what and why; the meldcode
exception is recorded with its reason and never reaches the parents."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from care import services
from care.models import MeetingAttendee, OutsideInvolvement
from partnership import privacy
from reminders import dispatch
from reminders.models import Reminder
from tests import factories as f

WHEN = datetime.datetime(2026, 10, 14, 15, 30)  # Wednesday next week


@pytest.fixture
def parent(care):
    care.guardian.user = f.UserFactory()
    care.guardian.language = "tr"
    care.guardian.save()
    browser = Client()
    browser.force_login(care.guardian.user)
    return browser


def _scan_and_send():
    dispatch.scan(now=timezone.now())
    dispatch.send_batch(now=timezone.now())


def _sent(rule):
    subjects = set(Reminder.objects.filter(rule=rule).values_list("subject", flat=True))
    return [m for m in mail.outbox if m.subject in subjects]


def _planned(care, client):
    client.force_login(care.intern_begeleider)
    client.post(
        reverse("care:meeting-create", args=[care.pupil.pk]),
        {
            "kind": "zorgoverleg",
            "purpose": "Wat helpt Yasmina bij het lezen?",
            "day": "2026-10-14",
            "time": "15:30",
            "place": "Kamer van de IB'er",
        },
    )
    return care.pupil.care_meetings.get()


def test_the_invitation_names_every_attendee_in_the_parents_language(care, client, parent):
    meeting = _planned(care, client)
    client.post(
        reverse("care:meeting-attendee-add", args=[meeting.pk]),
        {"name": "Juf Anne", "role": "leerkracht van groep 5"},
    )
    _scan_and_send()
    _scan_and_send()
    [invitation] = _sent("care.meeting_invitation")
    assert invitation.to == [care.guardian.email]
    assert invitation.subject.startswith("Davet:")  # Turkish
    ib = care.intern_begeleider.get_full_name()
    assert f"- {ib}," in invitation.body and "- Juf Anne, leerkracht van groep 5" in invitation.body
    assert "Wat helpt Yasmina bij het lezen?" in invitation.body
    assert timezone.localtime(meeting.starts_at) == timezone.make_aware(WHEN)
    # Added before the invitation went out: no separate announcement.
    assert not Reminder.objects.filter(rule="care.meeting_attendee_added").exists()


def test_adding_an_outside_professional_later_tells_the_parents_at_once_by_name(
    care, client, parent
):
    meeting = _planned(care, client)
    _scan_and_send()
    response = client.post(
        reverse("care:meeting-attendee-add", args=[meeting.pk]),
        {"name": "Sanne de Vries", "role": "jeugdverpleegkundige GGD", "is_external": "on"},
    )
    assert response.status_code == 302
    _scan_and_send()
    _scan_and_send()
    [announcement] = _sent("care.meeting_attendee_added")
    assert announcement.to == [care.guardian.email]
    assert "- Sanne de Vries, jeugdverpleegkundige GGD" in announcement.body
    assert "Yasmina" in announcement.subject
    assert len(_sent("care.meeting_invitation")) == 1


def test_a_moved_meeting_is_a_new_invitation(care, client, parent):
    meeting = _planned(care, client)
    _scan_and_send()
    client.post(
        reverse("care:meeting-schedule", args=[meeting.pk]),
        {"day": "2026-10-15", "time": "09:00", "place": ""},
    )
    _scan_and_send()
    assert Reminder.objects.filter(rule="care.meeting_invitation").count() == 2


def test_the_parent_says_whom_they_bring_and_the_school_sees_it(care, client, parent):
    meeting = _planned(care, client)
    parent.cookies["django_language"] = "nl"
    page = parent.get(reverse("care:meeting-portal-detail", args=[meeting.pk])).content.decode()
    # Escaped as the page writes it: a generated name may be "Yusuf 's Gravensande".
    assert "Wie zijn erbij?" in page and escape(care.intern_begeleider.get_full_name()) in page
    response = parent.post(
        reverse("care:meeting-portal-detail", args=[meeting.pk]),
        {"name": "Fatma Bouzid", "role": "mijn zus"},
    )
    assert response.status_code == 302
    attendee = MeetingAttendee.objects.get(brought_by=care.guardian)
    assert (attendee.name, attendee.announced) == ("Fatma Bouzid", False)
    page = client.get(reverse("care:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Fatma Bouzid, mijn zus" in page and "meegenomen door Karim Bouzid" in page

    empty = parent.post(reverse("care:meeting-portal-detail", args=[meeting.pk]), {"name": ""})
    assert (
        empty.status_code == 200
        and MeetingAttendee.objects.filter(brought_by=care.guardian).count() == 1
    )


def test_a_meeting_in_the_past_or_without_purpose_is_refused(care, client):
    client.force_login(care.intern_begeleider)
    page = client.post(
        reverse("care:meeting-create", args=[care.pupil.pk]),
        {"kind": "mdo", "purpose": "Overleg", "day": "2026-10-01", "time": "10:00"},
    ).content.decode()
    assert "Kies een datum en tijd in de toekomst." in page
    page = client.post(
        reverse("care:meeting-create", args=[care.pupil.pk]),
        {"kind": "mdo", "purpose": "Overleg", "day": "2026-10-20"},
    ).content.decode()
    assert "Vul de datum én de tijd in, of laat beide leeg." in page
    assert not care.pupil.care_meetings.exists()


def test_parents_are_told_what_and_why_before_outside_help(care, client, parent):
    client.force_login(care.intern_begeleider)
    client.post(
        reverse("care:involvement-create", args=[care.pupil.pk]),
        {
            "service": "Schoolmaatschappelijk werk",
            "what": "Een gesprek met Yasmina over vriendschappen.",
            "why": "Yasmina voelt zich vaak alleen in de pauze.",
        },
    )
    _scan_and_send()
    _scan_and_send()
    [message] = _sent("care.outside_involvement")
    assert message.to == [care.guardian.email]
    assert "Schoolmaatschappelijk werk" in message.body
    assert "Yasmina voelt zich vaak alleen in de pauze." in message.body


def test_the_meldcode_exception_is_recorded_with_its_reason_and_never_reaches_the_parents(
    care, client, parent
):
    client.force_login(care.intern_begeleider)
    reason = "Signalen van huiselijk geweld; de veiligheid van het kind gaat voor."
    client.post(
        reverse("care:involvement-create", args=[care.pupil.pk]),
        {
            "service": "Veilig Thuis",
            "what": "Melding",
            "why": "Onveilig",
            "meldcode_reason": reason,
        },
    )
    involvement = OutsideInvolvement.objects.get()
    assert involvement.meldcode_reason == reason and not involvement.parents_told
    page = client.get(reverse("care:involvement-create", args=[care.pupil.pk])).content.decode()
    assert "meldcode: ouders niet verteld" in page and reason in page

    _scan_and_send()
    assert not Reminder.objects.filter(rule="care.outside_involvement").exists()
    parent.cookies["django_language"] = "nl"
    for url in (reverse("parents:portal-home"), reverse("privacy:my-data")):
        assert "Veilig Thuis" not in parent.get(url).content.decode()
    export = privacy.export_family(care.family, guardian=care.guardian)
    assert "care.outsideinvolvement" not in {s.label for s in export["sections"]}


def test_only_the_ib_or_the_director_records_a_meldcode_exception(care):
    coordinator = f.StaffMembershipFactory(school=care.school, role="care_coordinator").user
    with pytest.raises(services.CareError, match="meldcode"):
        services.involve_outside_service(
            pupil=care.pupil,
            by=coordinator,
            service="Veilig Thuis",
            what="Melding",
            why="Onveilig",
            meldcode_reason="Onveilig thuis",
        )
    told = services.involve_outside_service(
        pupil=care.pupil, by=coordinator, service="Jeugdteam", what="Gesprek", why="Zorgen"
    )
    assert told.parents_told


@pytest.mark.parametrize("attendees", [1, 5])
def test_meeting_page_runs_a_fixed_number_of_queries(
    care, client, attendees, django_assert_num_queries
):
    meeting = _planned(care, client)
    for n in range(attendees):
        services.add_attendee(meeting=meeting, name=f"Gast {n}", role="gast", by=care.director)
    # The meeting with its pupil; its attendees; the audit row. The user with their roles comes
    # from the cache after the first request.
    from tests.audit_cost import audit_write

    client.get(reverse("care:meeting-detail", args=[meeting.pk]))
    with django_assert_num_queries(2 + audit_write()):
        response = client.get(reverse("care:meeting-detail", args=[meeting.pk]))
    assert response.content.decode().count("Gast ") == attendees


def _link_second_parent(care):
    second = f.GuardianFactory(
        family=care.family, first_name="Ewa", email="ewa@example.test", language="pl"
    )
    f.PupilGuardianFactory(pupil=care.pupil, guardian=second, relation="father")
    return second


def test_a_parent_linked_after_the_invitation_gets_it_once_too(care, client, parent):
    _planned(care, client)
    _scan_and_send()
    second = _link_second_parent(care)

    _scan_and_send()
    _scan_and_send()

    invitations = _sent("care.meeting_invitation")
    assert sorted(m.to[0] for m in invitations) == sorted([care.guardian.email, second.email])
    [late] = [m for m in invitations if m.to == [second.email]]
    assert "Wat helpt Yasmina bij het lezen?" in late.body
    assert f"- {care.intern_begeleider.get_full_name()}," in late.body


def test_a_parent_linked_after_the_meeting_gets_no_invitation(care, client, parent, now):
    _planned(care, client)
    _scan_and_send()

    with time_machine.travel(WHEN + datetime.timedelta(days=1), tick=False):
        _link_second_parent(care)
        _scan_and_send()

    assert [m.to for m in _sent("care.meeting_invitation")] == [[care.guardian.email]]
