"""The ouder-coördinator sees who was not reached, their language and what they were invited
to; the family page shows the family's activities and whether they came."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from partnership.models import Attendance
from tests import factories as f
from tests.audit_cost import audit_write
from tests.dashboard.factories import count_reached, pupil_with_family
from tests.partnership.factories import ActivityFactory, InvitationFactory, local

D = datetime.date


@pytest.fixture
def school(db):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0), tick=False):
        school = f.SchoolFactory()
        year = f.SchoolYearFactory()
        group = f.GroupFactory(school=school, school_year=year, name="5")
        coordinator = f.StaffMembershipFactory(school=school, role="ouder_coordinator").user
        _pupil, family = pupil_with_family(school, group, language="ar")
        family.name = "Gezin Bouzid"
        family.save()
        coffee = ActivityFactory(
            school=school,
            school_year=year,
            title="Koffieochtend",
            starts_at=local(D(2026, 10, 6), 8),
        )
        evening = ActivityFactory(
            school=school,
            school_year=year,
            title="Informatieavond",
            starts_at=local(D(2026, 11, 10), 19),
        )
        InvitationFactory(activity=coffee, family=family, rsvp="no")
        InvitationFactory(activity=evening, family=family)
        _other_pupil, came = pupil_with_family(school, group)
        Attendance.objects.create(invitation=InvitationFactory(activity=coffee, family=came))
        count_reached(school)
        yield {"school": school, "family": family, "came": came, "coordinator": coordinator}


def test_ouder_coordinator_lists_the_families_not_reached_with_language_and_invitations(
    school, client
):
    client.force_login(school["coordinator"])
    page = client.get(reverse("dashboard:not-reached", args=[school["school"].pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Gezin Bouzid" in body and "Arabisch" in body
    assert "Koffieochtend (komt niet), Informatieavond (nog geen antwoord)" in body
    assert f'data-family="{school["came"].pk}"' not in body  # came to the coffee morning
    # The coordinator reads no dashboard: the page does not send them there.
    assert "Terug naar het dashboard" not in body


def test_family_page_shows_the_activities_and_whether_the_family_came(school, client):
    client.force_login(school["coordinator"])
    body = client.get(reverse("parents:family-detail", args=[school["came"].pk])).content.decode()
    assert "Activiteiten dit schooljaar" in body
    assert "dinsdag 6 oktober · Koffieochtend · nog geen antwoord · gekomen" in body


@pytest.mark.parametrize("more", [1, 10])
def test_the_not_reached_list_runs_a_fixed_number_of_queries(
    school, client, more, django_assert_num_queries
):
    from partnership.models import Activity

    group = school["family"].guardians.first().pupil_links.first().pupil.enrolments.first().group
    activities = list(Activity.objects.all())
    for _n in range(more):
        _pupil, family = pupil_with_family(school["school"], group, language="tr")
        for activity in activities:
            InvitationFactory(activity=activity, family=family)
    client.force_login(school["coordinator"])
    url = reverse("dashboard:not-reached", args=[school["school"].pk])
    client.get(url)
    # The school, the year, the families with their guardians, children and invitations; then
    # the audit row (session, user and memberships come from the cache).
    with django_assert_num_queries(6 + audit_write()):
        body = client.get(url).content.decode()
    assert body.count("Turks") == more
