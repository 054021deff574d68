"""Private calendar feeds a staff member or a guardian subscribes to in a calendar app: no session
needed, renewable (the old address then answers 404), audit-logged. Each feed is read back with
vobject, a parser independent of the library that writes it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
import vobject
from django.test import Client
from django.urls import reverse

from conversations.models import Booking, Slot
from parents.models import CalendarFeed
from partnership import services as partnership_services
from schools.models import AuditEvent
from tests import factories as f
from tests.conversations.factories import RoundFactory, StartConversationFactory
from tests.parents.factories import AgreementFactory
from tests.partnership.factories import InvitationFactory, local

D = datetime.date
AMS = ZoneInfo("Europe/Amsterdam")
NOVEMBER = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=AMS)


@pytest.fixture
def november():
    with time_machine.travel(NOVEMBER, tick=False):
        yield


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed = vobject.readOne(response.content.decode())
    return {str(e.uid.value): e for e in parsed.vevent_list}


def _feed_url(client, user, page="parents:my-calendar-feed"):
    client.force_login(user)
    client.get(reverse(page))
    return reverse("parents:calendar-feed", args=[CalendarFeed.objects.latest("pk").token])


def _agreement(home, family=None, pupil=None, what="Bellen over hoe het gaat"):
    agreement = AgreementFactory(
        plan__family=family or home.family,
        plan__school_year=home.year,
        pupil=pupil or home.pupil,
        responsible=home.teacher,
        what=what,
    )
    return agreement.moments.create(due_on=D(2026, 12, 2))


def test_a_staff_feed_needs_no_session_and_holds_holidays_as_periods(home, november, client):
    moment = _agreement(home)
    url = _feed_url(client, home.teacher)
    events = _events(Client().get(url))
    christmas = next(e for e in events.values() if e.summary.value == "Kerstvakantie")
    assert christmas.dtstart.value == D(2026, 12, 19)
    # DTEND is exclusive: two weeks, the last day Sunday 3 January.
    assert christmas.dtend.value == D(2027, 1, 4)
    assert events[f"moment-{moment.pk}@schouder"].summary.value == (
        "Gezin Bouzid (Yasmina): Bellen over hoe het gaat"
    )
    easter = [e for e in events.values() if e.summary.value == "Tweede Paasdag"]
    assert [e.dtstart.value for e in easter] == [D(2027, 3, 29)]


def test_renewing_the_address_makes_the_old_one_404_and_is_audit_logged(home, november, client):
    old = _feed_url(client, home.teacher)
    response = client.post(reverse("parents:my-calendar-feed"), follow=True)
    assert "Het oude werkt niet meer" in response.content.decode()
    new = reverse("parents:calendar-feed", args=[CalendarFeed.objects.get().token])
    anonymous = Client()
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200
    assert len(CalendarFeed.objects.get().token) >= 40
    assert AuditEvent.objects.filter(user=home.teacher, action="renew_feed").count() == 2


def test_a_staff_member_who_left_has_no_feed(home, november, client):
    url = _feed_url(client, home.teacher)
    home.teacher.is_active = False
    home.teacher.save()
    assert Client().get(url).status_code == 404


def test_families_with_the_same_surname_are_told_apart_by_the_child(home, november, client):
    other_family = f.FamilyFactory(board=home.school.board, name="Gezin Bouzid")
    other_child = f.PupilFactory(school=home.school, first_name="Sem")
    f.EnrolmentFactory(pupil=other_child, group=home.group)
    f.PupilGuardianFactory(pupil=other_child, guardian=f.GuardianFactory(family=other_family))
    _agreement(home)
    _agreement(home, family=other_family, pupil=other_child)
    titles = {
        e.summary.value for e in _events(Client().get(_feed_url(client, home.teacher))).values()
    }
    assert "Gezin Bouzid (Yasmina): Bellen over hoe het gaat" in titles
    assert "Gezin Bouzid (Sem): Bellen over hoe het gaat" in titles


def test_a_guardian_feed_has_the_booked_conversation_in_amsterdam_time_and_the_activities(
    home, november, client
):
    home.guardian.user = f.UserFactory()
    home.guardian.save()
    moment = _agreement(home)
    round_ = RoundFactory(school=home.school, school_year=home.year, created_by=home.teacher)
    conversation = StartConversationFactory(
        round=round_, pupil=home.pupil, group=home.group, school_year=home.year
    )
    slot = Slot.objects.create(
        round=round_,
        staff=home.teacher,
        starts_at=local(D(2026, 11, 24), 15, 30),
        ends_at=local(D(2026, 11, 24), 15, 50),
    )
    booking = Booking.objects.create(
        slot=slot, conversation=conversation, family=home.family, booked_by=home.guardian.user
    )
    invited = InvitationFactory(
        family=home.family,
        activity__school=home.school,
        activity__title="Informatieavond lezen",
        activity__starts_at=local(D(2026, 12, 3), 19),
    )
    InvitationFactory(
        family=home.family,
        rsvp="no",
        activity__school=home.school,
        activity__title="Excursie",
        activity__starts_at=local(D(2026, 12, 4), 9),
    )
    url = _feed_url(client, home.guardian.user, page="parents:portal-calendar-feed")
    events = _events(Client().get(url))

    talk = events[f"{booking.uid}@schouder"]
    assert talk.dtstart.value == datetime.datetime(2026, 11, 24, 15, 30, tzinfo=AMS)
    assert talk.dtstart.value.tzinfo.tzname(talk.dtstart.value) == "CET"
    assert "Yasmina" in talk.summary.value
    assert events[f"moment-{moment.pk}@schouder"].summary.value == (
        "Contact met school over Yasmina: Bellen over hoe het gaat"
    )
    titles = {e.summary.value for e in events.values()}
    assert invited.activity.title in titles
    assert "Excursie" not in titles  # declined
    assert "Kerstvakantie" in titles


def test_a_guardian_feed_is_only_theirs(home, november, client):
    """Another family's moment at the same school is not in it; a blocked child neither."""
    home.guardian.user = f.UserFactory()
    home.guardian.save()
    other_family = f.FamilyFactory(board=home.school.board, name="Gezin Jansen")
    other_child = f.PupilFactory(school=home.school, first_name="Noor")
    f.PupilGuardianFactory(pupil=other_child, guardian=f.GuardianFactory(family=other_family))
    _agreement(home, family=other_family, pupil=other_child, what="Huisbezoek")
    url = _feed_url(client, home.guardian.user, page="parents:portal-calendar-feed")
    titles = {e.summary.value for e in _events(Client().get(url)).values()}
    assert not any("Noor" in title or "Huisbezoek" in title for title in titles)
    assert client.get(reverse("parents:my-calendar-feed")).status_code == 404


def test_coffee_mornings_appear_in_the_year_calendar_and_the_invited_parents_feed(
    home, november, client
):
    home.guardian.user = f.UserFactory()
    home.guardian.save()
    coordinator = f.StaffMembershipFactory(school=home.school, role="ouder_coordinator").user
    series, _warnings = partnership_services.plan_weekly_series(
        school=home.school,
        starts_at=local(D(2026, 12, 1), 8, 30),
        ends_at=local(D(2026, 12, 1), 9, 30),
        until=D(2027, 1, 31),
        groups=[home.group],
        by=coordinator,
        kind="coffee_morning",
        partnership="informal",
        title="Koffieochtend",
        audience="groups",
    )
    client.force_login(coordinator)
    page = client.get(
        reverse("parents:year-calendar", args=[home.school.pk]), {"maand": "2026-12"}
    ).content.decode()
    assert page.count("Koffieochtend") == 3  # 1, 8 and 15 December; then the Kerstvakantie

    url = _feed_url(client, home.guardian.user, page="parents:portal-calendar-feed")
    mornings = sorted(
        e.dtstart.value.date()
        for e in _events(Client().get(url)).values()
        if e.summary.value == "Koffieochtend"
    )
    assert mornings == sorted(a.starts_at.date() for a in series.activities.all())
    assert D(2026, 12, 22) not in mornings and D(2026, 12, 29) not in mornings
    assert len(mornings) == 7  # 1, 8, 15 December and 5, 12, 19, 26 January


def test_a_guardian_feed_speaks_the_guardian_language(home, november, client):
    home.guardian.user = f.UserFactory()
    home.guardian.language = "tr"
    home.guardian.save()
    url = _feed_url(client, home.guardian.user, page="parents:portal-calendar-feed")
    titles = {e.summary.value for e in _events(Client().get(url)).values()}
    assert "Noel tatili" in titles
    assert "Paskalya Pazartesisi" in titles
