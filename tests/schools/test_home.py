"""Each staff member's home says what to do now, each item linking to where it is done, with a
fixed number of queries whatever the size of the school."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from conversations.models import ConversationStatus
from parents.models import ContactMoment, GuardianMessage
from schools import home
from tests import factories as f
from tests.conversations.factories import RoundFactory
from tests.dashboard.factories import conversation, count_reached, pupil_with_family
from tests.parents.factories import AgreementFactory, CommunicationPlanFactory, ContactLogFactory
from tests.partnership.factories import ActivityFactory, InvitationFactory, local

TODAY = datetime.date(2026, 9, 15)  # a Tuesday


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 9, 15, 9, 0), tick=False):
        yield


@pytest.fixture
def school(db, frozen):
    school = f.SchoolFactory(holiday_region="midden")
    year = f.SchoolYearFactory()
    group = f.GroupFactory(school=school, school_year=year, name="5")
    staff = {
        role: f.StaffMembershipFactory(school=school, role=role).user
        for role in ("teacher", "intern_begeleider", "director", "ouder_coordinator")
    }
    group.teachers.add(staff["teacher"])
    round_ = RoundFactory(school=school, school_year=year, opened_at=None)
    activity = ActivityFactory(
        school=school, school_year=year, title="Koffieochtend", starts_at=local(TODAY, 14)
    )
    return {
        "school": school,
        "year": year,
        "group": group,
        "staff": staff,
        "round": round_,
        "activity": activity,
    }


def grow(s, families):
    """Add ``families`` families to group 5, each with a moment of the teacher this week, a
    concern waiting for a follow-up, a message, an unplanned start conversation and an
    unanswered invitation."""
    teacher = s["staff"]["teacher"]
    for n in range(families):
        pupil, family = pupil_with_family(s["school"], s["group"])
        conversation(s["round"], pupil, s["group"], ConversationStatus.TO_PLAN)
        plan = CommunicationPlanFactory(family=family, school_year=s["year"])
        agreement = AgreementFactory(plan=plan, pupil=pupil, responsible=teacher, what="Bellen")
        ContactMoment.objects.create(agreement=agreement, due_on=TODAY + datetime.timedelta(n % 3))
        if n % 2 == 0:
            ContactLogFactory(
                family=family,
                pupil=pupil,
                by=teacher,
                tone="concern",
                happened_on=TODAY - datetime.timedelta(days=3),
                follow_up_on=TODAY - datetime.timedelta(days=1),
            )
        GuardianMessage.objects.create(
            guardian=family.guardians.first(), pupil=pupil, kind="call_request", text="Bel mij"
        )
        InvitationFactory(activity=s["activity"], family=family)
    count_reached(s["school"])


def _home(client, user):
    client.force_login(user)
    return client.get(reverse("home"))


def test_teacher_sees_todays_moments_concerns_families_and_messages(client, school):
    grow(school, 2)
    response = _home(client, school["staff"]["teacher"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vandaag en deze week" in page
    assert "vandaag · Gezin" in page  # the moment of today, by family
    assert reverse("parents:this-week") + "#moment-" in page
    assert "Zorgen zonder vervolg" in page and "plan het vervolg" in page
    assert "2 berichten van ouders wachten op antwoord" in page
    assert reverse("parents:guardian-message-list", args=[school["school"].pk]) in page
    assert "Nog geen positief contact deze periode" in page
    # Not the teacher's work: the director's figures and the activity.
    assert "Cijfers die aandacht vragen" not in page
    assert "Volgende activiteit" not in page


def test_ib_sees_the_rounds_progress_and_the_families_not_reached(client, school):
    grow(school, 3)
    page = _home(client, school["staff"]["intern_begeleider"]).content.decode()
    assert "0 van 3 gesprekken gehouden, 0 gepland." in page
    assert "Bied tijden aan en zet de ronde open voor ouders" in page
    assert "3 kinderen hebben nog geen gesprek gepland" in page
    assert reverse("conversations:round-detail", args=[school["round"].pk]) in page
    assert "Gezinnen niet bereikt" in page


def test_ib_without_a_round_is_asked_to_make_one(client, school):
    school["round"].delete()
    page = _home(client, school["staff"]["intern_begeleider"]).content.decode()
    assert "Maak de ronde van dit schooljaar" in page
    assert reverse("conversations:round-list", args=[school["school"].pk]) in page


def test_director_sees_only_the_figures_that_need_attention(client, school):
    grow(school, 2)
    page = _home(client, school["staff"]["director"]).content.decode()
    assert "Cijfers die aandacht vragen" in page
    assert "2 van 2 startgesprekken nog niet gehouden" in page
    assert reverse("dashboard:school-dashboard", args=[school["school"].pk]) in page
    assert "contactmomenten zijn te laat" not in page  # none are overdue yet


def test_ouder_coordinator_sees_the_next_activity_its_answers_and_who_is_not_reached(
    client, school
):
    grow(school, 4)
    client.force_login(school["staff"]["ouder_coordinator"])
    page = client.get(reverse("home")).content.decode()
    assert "Koffieochtend · dinsdag 15 september, 14:00" in page
    assert "0 komen, 0 misschien, 0 niet, van 4 uitgenodigd." in page
    assert "4 gezinnen gaven nog geen antwoord" in page
    not_reached = reverse("dashboard:not-reached", args=[school["school"].pk])
    assert not_reached in page
    assert client.get(not_reached).status_code == 200


def test_a_registered_section_appears_on_the_home(client, school):
    def sickness(*, user, school, today):
        return home.Section(title="Ziekmeldingen van vandaag", order=5)

    home.register_home_section(sickness)
    try:
        page = _home(client, school["staff"]["teacher"]).content.decode()
    finally:
        home.PROVIDERS.remove(sickness)
    assert page.index("Ziekmeldingen van vandaag") < page.index("Vandaag en deze week")


# Queries of a home: the sections (session, user and memberships come from the cache; the support
# planners' meetings still to plan: one query).
HOME_QUERIES = {
    "teacher": 11,
    "intern_begeleider": 9,
    "director": 13,
    "ouder_coordinator": 8,
}


@pytest.mark.parametrize("role", sorted(HOME_QUERIES))
def test_each_home_runs_a_fixed_number_of_queries(client, school, role, django_assert_num_queries):
    client.force_login(school["staff"][role])
    client.get(reverse("home"))  # the first request keeps the user and memberships in the cache
    grow(school, 2)
    with django_assert_num_queries(HOME_QUERIES[role]):
        assert client.get(reverse("home")).status_code == 200
    grow(school, 12)
    with django_assert_num_queries(HOME_QUERIES[role]):
        assert client.get(reverse("home")).status_code == 200
