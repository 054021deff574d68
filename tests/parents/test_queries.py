"""The signals on the family page and the lists the reminder rules read."""

import datetime

import time_machine

from parents import queries, services
from parents.models import Family
from tests import factories as f
from tests.parents.factories import AgreementFactory, ContactLogFactory

D = datetime.date


def _signals(home, today):
    start = queries.term_start(home.school, today)
    family = queries.families_with_signals(
        Family.objects.filter(pk=home.family.pk), today=today, term_start=start
    ).get()
    return {s.code for s in queries.signals(family, today)}


def test_no_positive_contact_this_term_until_good_news_is_shared(home, today):
    ContactLogFactory(family=home.family, tone="neutral", happened_on=D(2026, 9, 10))
    assert "no_positive" in _signals(home, today)
    services.log_contact(family=home.family, by=home.teacher, channel="schoolyard", tone="positive")
    assert "no_positive" not in _signals(home, today)
    assert home.family in queries.families_without_positive_contact(home.school, D(2026, 10, 27))


def test_positive_contact_of_last_term_does_not_count_in_the_new_term(home):
    ContactLogFactory(family=home.family, tone="positive", happened_on=D(2026, 10, 15))
    assert "no_positive" not in _signals(home, D(2026, 10, 16))
    assert "no_positive" in _signals(home, D(2026, 10, 27))  # after the autumn holiday
    assert list(queries.families_without_positive_contact(home.school, D(2026, 10, 27))) == [
        home.family
    ]


def test_a_concern_without_follow_up_shows_once_the_follow_up_day_has_come(home, today):
    services.log_contact(
        family=home.family,
        by=home.teacher,
        channel="phone",
        tone="concern",
        happened_on=D(2026, 9, 14),
        follow_up_on=D(2026, 9, 21),
    )
    assert "open_concern" not in _signals(home, today)  # follow-up still ahead
    assert "open_concern" in _signals(home, D(2026, 9, 22))
    assert queries.concerns_without_follow_up(D(2026, 9, 22)).count() == 1
    ContactLogFactory(family=home.family, tone="neutral", happened_on=D(2026, 9, 21))
    assert "open_concern" not in _signals(home, D(2026, 9, 22))
    assert not queries.concerns_without_follow_up(D(2026, 9, 22)).exists()


def test_nothing_heard_for_six_weeks(home, today, settings):
    ContactLogFactory(family=home.family, tone="neutral", happened_on=D(2026, 8, 31))
    assert "not_reached" not in _signals(home, D(2026, 10, 12))
    assert "not_reached" in _signals(home, D(2026, 10, 13))
    assert list(queries.families_not_reached(home.school, D(2026, 10, 13))) == [home.family]
    settings.SCHOUDER_NOT_REACHED_WEEKS = 8
    assert "not_reached" not in _signals(home, D(2026, 10, 13))


def test_interpreter_needed_is_a_signal(home, today):
    assert "interpreter" not in _signals(home, today)
    f.GuardianFactory(family=home.family, needs_interpreter=True)
    assert "interpreter" in _signals(home, today)


def test_moments_for_reminders_due_today_in_two_days_and_overdue(home, today):
    agreement = AgreementFactory(
        plan__family=home.family, pupil=home.pupil, responsible=home.teacher, schedule="weekly"
    )
    for day in (D(2026, 9, 10), D(2026, 9, 15), D(2026, 9, 17)):
        agreement.moments.create(due_on=day)
    assert [m.due_on for m in queries.moments_due_on(today)] == [D(2026, 9, 15)]
    assert [m.due_on for m in queries.moments_due_on(today + datetime.timedelta(days=2))] == [
        D(2026, 9, 17)
    ]
    assert [(m.due_on, m.agreement.responsible) for m in queries.overdue_moments(today)] == [
        (D(2026, 9, 10), home.teacher)
    ]


def test_this_week_lists_own_due_and_overdue_moments_only(home, today):
    colleague = f.StaffMembershipFactory(school=home.school, role="intern_begeleider").user
    mine = AgreementFactory(plan__family=home.family, pupil=home.pupil, responsible=home.teacher)
    theirs = AgreementFactory(
        plan=mine.plan, pupil=home.pupil, responsible=colleague, what="Evaluatie"
    )
    for day in (D(2026, 9, 1), D(2026, 9, 18), D(2026, 9, 21)):
        mine.moments.create(due_on=day)
        theirs.moments.create(due_on=day)
    mine.moments.filter(due_on=D(2026, 9, 1)).update(status="held")
    mine.moments.create(due_on=D(2026, 9, 8))
    assert [m.due_on for m in queries.this_week(home.teacher, today)] == [
        D(2026, 9, 8),  # overdue
        D(2026, 9, 18),  # Friday of this week; Monday 21 is next week
    ]


def test_family_page_signals_follow_the_clock(home):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10), tick=False):
        page = queries.family_page(home.family.pk, home.teacher, D(2026, 11, 2))
    assert [s.code for s in page.signals] == ["no_positive", "not_reached"]
