"""The year calendar: moments, report dates and holidays per month, and the iCalendar feed."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from parents import calendar
from tests import factories as f
from tests.parents.factories import AgreementFactory, ReportDateFactory

D = datetime.date


def _setup(home):
    agreement = AgreementFactory(
        plan__family=home.family,
        plan__school_year=home.year,
        pupil=home.pupil,
        responsible=home.teacher,
        what="Bellen over de start",
    )
    moment = agreement.moments.create(due_on=D(2026, 10, 14))
    ReportDateFactory(
        school=home.school, school_year=home.year, date=D(2026, 10, 9), name="Eerste rapport"
    )
    return moment


def test_a_month_shows_moments_report_dates_and_holidays(home, today, client):
    _setup(home)
    client.force_login(home.teacher)
    body = client.get(
        reverse("parents:year-calendar", args=[home.school.pk]), {"maand": "2026-10"}
    ).content.decode()
    assert "Gezin Bouzid (Yasmina): Bellen over de start" in body
    assert "Eerste rapport" in body
    assert "Autumn" in body or "Herfst" in body


def test_a_teacher_sees_no_moments_of_pupils_outside_their_groups(home, today, client):
    _setup(home)
    colleague = f.StaffMembershipFactory(school=home.school, role="teacher").user
    client.force_login(colleague)
    body = client.get(
        reverse("parents:year-calendar", args=[home.school.pk]), {"maand": "2026-10"}
    ).content.decode()
    assert "Bellen over de start" not in body
    assert "Eerste rapport" in body


def test_the_feed_has_stable_uids_so_updates_replace_entries(home, today, client):
    moment = _setup(home)
    client.force_login(home.teacher)
    url = reverse("parents:year-calendar-ics", args=[home.school.pk])
    first = icalendar.Calendar.from_ical(client.get(url).content)
    moment.due_on = D(2026, 10, 15)
    moment.save()
    second = icalendar.Calendar.from_ical(client.get(url).content)
    events = {str(e["uid"]): e for e in second.walk("VEVENT")}
    assert {str(e["uid"]) for e in first.walk("VEVENT")} == set(events)
    assert events[f"moment-{moment.pk}@schouder"].decoded("dtstart") == D(2026, 10, 15)


def test_another_app_can_add_a_source_of_entries(home, today):
    def activities(scope):
        return [
            calendar.CalendarEntry(
                D(2026, 10, 7), "Koffieochtend", "activity", "activity-1@schouder"
            )
        ]

    scope = calendar.CalendarScope.school_year_calendar(
        home.school, home.teacher, D(2026, 10, 1), D(2026, 10, 31)
    )
    entries = calendar.calendar_entries(scope, sources=[*calendar.CALENDAR_SOURCES, activities])
    assert [(e.day, e.kind) for e in entries if e.kind != "holiday"] == [
        (D(2026, 10, 7), "activity")
    ]


@pytest.mark.parametrize("size", [1, 10])
def test_a_month_runs_a_fixed_number_of_queries(
    home, today, client, size, django_assert_num_queries
):
    agreement = AgreementFactory(
        plan__family=home.family,
        plan__school_year=home.year,
        pupil=home.pupil,
        responsible=home.teacher,
    )
    for day in range(size):
        agreement.moments.create(due_on=D(2026, 10, 1) + datetime.timedelta(days=day))
        ReportDateFactory(
            school=home.school,
            school_year=home.year,
            date=D(2026, 10, 1) + datetime.timedelta(days=day),
        )
    client.force_login(home.teacher)
    with django_assert_num_queries(9):  # one more: the activities
        response = client.get(
            reverse("parents:year-calendar", args=[home.school.pk]), {"maand": "2026-10"}
        )
    assert response.content.decode().count("entry-moment") == size
