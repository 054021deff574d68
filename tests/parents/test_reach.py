"""Who was reached is kept as data when a contact or an attendance is written, and the kept rows
always equal a recount from the contacts, held conversations and attendance themselves."""

import datetime
import io

from django.core.management import call_command

from parents import services
from parents.models import ContactLog, FamilyReach
from parents.reach import kept, recount
from partnership import services as partnership_services
from partnership.dashboards import figures as dashboard
from partnership.models import Invitation
from tests import factories as f
from tests.partnership.factories import ActivityFactory, local


def _reached(home):
    figures = dashboard.school_dashboard(home.school, home.year, home.teacher)["families"]
    return figures["reached"], figures["families"]


def _second_family(home):
    pupil = f.PupilFactory(school=home.school)
    f.EnrolmentFactory(pupil=pupil, group=home.group)
    family = f.FamilyFactory(board=home.school.board, name="Gezin Kaya")
    f.PupilGuardianFactory(pupil=pupil, guardian=f.GuardianFactory(family=family))
    return family


def test_a_logged_contact_reaches_the_family_at_once(home):
    other = _second_family(home)
    assert _reached(home) == (0, 2)

    services.log_contact(
        family=home.family, pupil=home.pupil, by=home.teacher, channel="phone", tone="positive"
    )

    assert kept() == recount() == {(home.family.pk, home.school.pk, home.year.pk)}
    assert _reached(home) == (1, 2)
    assert other.pk in dashboard.families_not_reached(home.school, home.year).values_list(
        "pk", flat=True
    )


def test_a_contact_about_no_child_reaches_the_family_at_every_school(home):
    services.log_contact(family=home.family, by=home.teacher, channel="phone", tone="neutral")

    assert kept() == recount() == {(home.family.pk, None, home.year.pk)}
    assert _reached(home) == (1, 1)


def test_attendance_reaches_the_family_and_undoing_it_takes_that_back(home):
    other = _second_family(home)
    activity = ActivityFactory(
        school=home.school, school_year=home.year, starts_at=local(datetime.date(2026, 9, 9), 8)
    )
    Invitation.objects.create(activity=activity, family=other)

    partnership_services.register_attendance(activity=activity, family=other, by=home.teacher)
    assert kept() == recount() == {(other.pk, home.school.pk, home.year.pk)}
    assert _reached(home) == (1, 2)

    partnership_services.unregister_attendance(activity=activity, family=other)
    assert kept() == recount() == set()
    assert _reached(home) == (0, 2)


def test_the_command_recounts_rows_written_past_the_services(home):
    """A restore or a hand-made fix writes rows directly; the command makes the facts right."""
    ContactLog.objects.create(
        family=home.family,
        pupil=home.pupil,
        by=home.teacher,
        happened_on=datetime.date(2026, 9, 1),
        channel="phone",
        tone="positive",
    )
    FamilyReach.objects.create(
        family=_second_family(home), school=home.school, school_year=home.year
    )
    assert kept() != recount()

    out = io.StringIO()
    call_command("rebuild_family_reach", stdout=out)

    assert "1 regels" in out.getvalue()

    assert kept() == recount() == {(home.family.pk, home.school.pk, home.year.pk)}
    assert _reached(home) == (1, 2)
