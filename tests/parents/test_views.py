"""The staff pages of the plan: family page, 'this week' with one-click logging, plan editing,
and the guardian's read-only plan. Query counts are fixed whatever the data size."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from parents.models import CommunicationPlan, ContactLog, MomentStatus
from tests import factories as f
from tests.audit_cost import audit_write
from tests.parents.factories import AgreementFactory, CommunicationPlanFactory, ContactLogFactory

D = datetime.date
HTMX = {"HTTP_HX_REQUEST": "true"}


def _plan(home):
    return CommunicationPlanFactory(
        family=home.family,
        school_year=home.year,
        agreed_on=D(2026, 9, 1),
        contact_person=home.teacher,
    )


def _add_families(home, count, plan_for_first=None):
    """``count`` families in the teacher's group, each with a plan, an agreement with moments
    this week (one overdue) and a few contacts."""
    for index in range(count):
        pupil = f.PupilFactory(school=home.school)
        f.EnrolmentFactory(pupil=pupil, group=home.group)
        family = f.FamilyFactory(board=home.school.board)
        guardian = f.GuardianFactory(family=family, needs_interpreter=index % 2 == 0)
        f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
        agreement = AgreementFactory(
            plan__family=family, plan__school_year=home.year, pupil=pupil, responsible=home.teacher
        )
        agreement.moments.create(due_on=D(2026, 9, 10))
        agreement.moments.create(due_on=D(2026, 9, 16))
        ContactLogFactory(family=family, by=home.teacher, pupil=pupil)


def _family_with_history(home, size):
    plan = _plan(home)
    for index in range(size):
        agreement = AgreementFactory(
            plan=plan, pupil=home.pupil, responsible=home.teacher, what=f"Afspraak {index}"
        )
        agreement.moments.create(due_on=D(2026, 9, 8))
        agreement.moments.create(due_on=D(2026, 10, 1))
        ContactLogFactory(family=home.family, by=home.teacher, pupil=home.pupil, tone="positive")
    second = f.GuardianFactory(family=home.family)
    f.PupilGuardianFactory(pupil=home.pupil, guardian=second)


@pytest.mark.parametrize("size", [1, 8])
def test_this_week_runs_a_fixed_number_of_queries(
    home, today, client, size, django_assert_num_queries
):
    _add_families(home, size)
    client.force_login(home.teacher)
    # The moments, and the line per taught group with today's sickness reports (absence).
    with django_assert_num_queries(3):
        response = client.get(reverse("parents:this-week"))
    assert response.content.decode().count('id="moment-') == 2 * size


@pytest.mark.parametrize("size", [1, 8])
def test_family_page_runs_a_fixed_number_of_queries(
    home, today, client, size, django_assert_num_queries
):
    _family_with_history(home, size)
    client.force_login(home.teacher)
    # The page's 9, the parents' own changes of their contact details, and the sections of the
    # apps above: care's contact arrangements, partnership's activities of the family; and the
    # audit row of the view (issue 14).
    with django_assert_num_queries(12 + audit_write()):
        response = client.get(reverse("parents:family-detail", args=[home.family.pk]))
    body = response.content.decode()
    assert body.count("Afspraak ") >= size
    assert body.count('class="border-bottom py-2"') == size


def test_family_page_shows_this_years_plan_and_the_other_household(home, today, client):
    last_year = f.SchoolYearFactory(label="2025-2026", start=D(2025, 8, 1), end=D(2026, 7, 31))
    CommunicationPlanFactory(family=home.family, school_year=last_year, notes="Oud plan")
    other_home = f.FamilyFactory(board=home.school.board, name="Gezin De Vries")
    other_parent = f.GuardianFactory(family=other_home, first_name="Hendrika")
    f.PupilGuardianFactory(pupil=home.pupil, guardian=other_parent)
    client.force_login(home.teacher)
    url = reverse("parents:family-detail", args=[home.family.pk])

    body = client.get(url).content.decode()
    assert "Er is nog geen plan voor dit schooljaar." in body and "Oud plan" not in body
    assert "Gezin De Vries" in body and escape(home.guardian.full_name) in body
    assert "Hendrika" not in body  # the other household's parent is not one of this family

    CommunicationPlanFactory(
        family=home.family, school_year=home.year, contact_person=home.teacher, notes="Dit jaar"
    )
    body = client.get(url).content.decode()
    assert "Dit jaar" in body and escape(home.teacher.get_full_name()) in body


def test_teacher_logs_a_held_moment_with_one_click_and_the_signal_goes(home, today, client):
    agreement = AgreementFactory(plan=_plan(home), pupil=home.pupil, responsible=home.teacher)
    moment = agreement.moments.create(due_on=D(2026, 9, 14))
    client.force_login(home.teacher)
    family_url = reverse("parents:family-detail", args=[home.family.pk])
    assert 'data-signal="no_positive"' in client.get(family_url).content.decode()
    response = client.post(
        reverse("parents:moment-hold", args=[moment.pk]),
        {"tone": "positive", "summary": "Goed gesprek"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "gehouden" in response.content.decode()
    assert "<html" not in response.content.decode()  # only the row, for htmx
    moment.refresh_from_db()
    assert moment.status == MomentStatus.HELD
    assert moment.log.tone == "positive"
    assert 'data-signal="no_positive"' not in client.get(family_url).content.decode()


def test_a_concern_without_follow_up_date_is_asked_for_and_nothing_is_saved(home, today, client):
    agreement = AgreementFactory(plan=_plan(home), pupil=home.pupil, responsible=home.teacher)
    moment = agreement.moments.create(due_on=D(2026, 9, 14))
    client.force_login(home.teacher)
    response = client.post(
        reverse("parents:moment-hold", args=[moment.pk]), {"tone": "concern"}, **HTMX
    )
    assert "Bij een zorg hoort meteen een datum voor het vervolg." in response.content.decode()
    moment.refresh_from_db()
    assert moment.status == MomentStatus.PLANNED
    assert not ContactLog.objects.exists()


def test_logging_a_contact_from_the_family_page_answers_with_the_new_timeline(home, today, client):
    client.force_login(home.teacher)
    response = client.post(
        reverse("parents:contact-log-create", args=[home.family.pk]),
        {
            "happened_on": "2026-09-15",
            "channel": "schoolyard",
            "tone": "positive",
            "summary": "Mooie tekening",
        },
        **HTMX,
    )
    body = response.content.decode()
    assert "Mooie tekening" in body
    assert "<html" not in body
    assert ContactLog.objects.get().by == home.teacher


def test_the_same_contact_form_sent_twice_saves_one_contact(home, today, client):
    """A double click, or a retry after a slow answer: the token of the form the teacher saw
    makes the second one a repeat. A form sent back with an error can be sent again."""
    client.force_login(home.teacher)
    page = client.get(reverse("parents:family-detail", args=[home.family.pk])).content.decode()
    token = re.search(r'name="once" value="([0-9a-f]{32})"', page).group(1)
    url = reverse("parents:contact-log-create", args=[home.family.pk])
    data = {"happened_on": "2026-09-15", "channel": "phone", "tone": "concern", "once": token}
    assert "is-invalid" in client.post(url, data, **HTMX).content.decode()  # no follow-up day
    data["follow_up_on"] = "2026-09-22"
    for _ in range(2):
        assert client.post(url, data, **HTMX).status_code == 200
    assert ContactLog.objects.count() == 1
    assert 'hx-disabled-elt="find button[type=submit]"' in page  # no second click meanwhile


def test_a_contact_about_one_of_the_children_keeps_that_child(home, today, client):
    client.force_login(home.teacher)
    page = client.get(reverse("parents:family-detail", args=[home.family.pk])).content.decode()
    assert f'<option value="{home.pupil.pk}">' in page
    client.post(
        reverse("parents:contact-log-create", args=[home.family.pk]),
        {
            "happened_on": "2026-09-15",
            "channel": "phone",
            "tone": "neutral",
            "pupil": home.pupil.pk,
        },
    )
    assert ContactLog.objects.get().pupil == home.pupil


def test_a_teacher_cannot_log_for_a_pupil_of_another_family(home, today, client):
    other = f.PupilFactory(school=home.school)
    f.EnrolmentFactory(pupil=other, group=home.group)
    client.force_login(home.teacher)
    response = client.post(
        reverse("parents:contact-log-create", args=[home.family.pk]),
        {"happened_on": "2026-09-15", "channel": "phone", "tone": "neutral", "pupil": other.pk},
        **HTMX,
    )
    assert "is-invalid" in response.content.decode()
    assert not ContactLog.objects.exists()


def test_a_teacher_of_another_group_does_not_find_the_family(home, today, client):
    colleague = f.StaffMembershipFactory(school=home.school, role="teacher").user
    client.force_login(colleague)
    response = client.get(reverse("parents:family-detail", args=[home.family.pk]))
    assert response.status_code == 404


def test_making_a_plan_and_an_agreement_plans_the_moments(home, today, client):
    client.force_login(home.teacher)
    response = client.post(
        reverse("parents:plan-edit", args=[home.family.pk]),
        {
            "agreed_on": "2026-09-15",
            "contact_person": home.teacher.pk,
            "language": "ar",
            "needs_interpreter": "on",
            "preferred_channels": ["phone", "whatsapp"],
            "notes": "Werkt 's avonds",
        },
    )
    assert response.status_code == 302
    plan = CommunicationPlan.objects.get()
    assert (plan.language, plan.needs_interpreter, plan.notes) == ("ar", True, "Werkt 's avonds")
    assert plan.preferred_channels == ["phone", "whatsapp"]
    response = client.post(
        reverse("parents:agreement-create", args=[home.family.pk]),
        {
            "what": "Begin van elke periode even bellen",
            "pupil": home.pupil.pk,
            "channel": "phone",
            "responsible": home.teacher.pk,
            "schedule": "term_start",
        },
    )
    assert response.status_code == 302
    assert [m.due_on for m in plan.agreements.get().moments.all()] == [
        D(2026, 10, 26),
        D(2027, 1, 4),
        D(2027, 3, 1),
        D(2027, 5, 3),
    ]


def test_a_rule_without_dates_shows_the_dutch_message_on_the_form(home, today, client):
    _plan(home)
    client.force_login(home.teacher)
    response = client.post(
        reverse("parents:agreement-create", args=[home.family.pk]),
        {
            "what": "Na elk rapport",
            "pupil": home.pupil.pk,
            "channel": "phone",
            "responsible": home.teacher.pk,
            "schedule": "after_report",
        },
    )
    assert response.status_code == 200
    assert "geen enkele datum op in schooljaar 2026-2027" in response.content.decode()


def test_a_colleague_saving_the_plan_in_between_gets_a_conflict_with_both_versions(
    home, today, client
):
    """RELIABILITY C4: no silent overwrite; the second writer sees both versions."""
    plan = _plan(home)
    client.force_login(home.teacher)
    url = reverse("parents:plan-edit", args=[home.family.pk])
    form = {
        "agreed_on": "2026-09-01",
        "contact_person": home.teacher.pk,
        "language": "nl",
        "version": plan.version,
    }
    assert client.post(url, {**form, "notes": "Eerste"}).status_code == 302
    response = client.post(url, {**form, "notes": "Tweede"})
    body = response.content.decode()
    assert "Een collega heeft dit plan net ook aangepast" in body
    assert "Eerste" in body  # the colleague's saved version
    assert "Tweede</textarea>" in body  # and the user's own input, kept
    plan.refresh_from_db()
    assert plan.notes == "Eerste"
    # Saving again from this page is a deliberate choice and goes through.
    assert response.context["form"].data["version"] == plan.version
    assert client.post(url, {**form, "version": plan.version, "notes": "Tweede"}).status_code == 302
    plan.refresh_from_db()
    assert plan.notes == "Tweede"


def test_guardian_sees_the_plan_but_not_a_child_they_may_not_see(home, today, client):
    plan = _plan(home)
    AgreementFactory(
        plan=plan, pupil=home.pupil, responsible=home.teacher, what="Bellen na rapport"
    ).moments.create(due_on=D(2026, 10, 1))
    sibling = f.PupilFactory(school=home.school, first_name="Geheimkind")
    f.PupilGuardianFactory(
        pupil=sibling,
        guardian=home.guardian,
        has_parental_authority=False,
        information_right="on_request",
    )
    AgreementFactory(
        plan=plan, pupil=sibling, responsible=home.teacher, what="Verborgen afspraak"
    ).moments.create(due_on=D(2026, 10, 2))
    home.guardian.user = f.UserFactory()
    home.guardian.save()
    client.force_login(home.guardian.user)
    body = client.get(reverse("parents:portal-plan")).content.decode()
    assert "Bellen na rapport" in body
    assert "Verborgen afspraak" not in body and "Geheimkind" not in body


def test_a_moment_that_did_not_happen_is_marked_and_leaves_the_open_list(home, today, client):
    agreement = AgreementFactory(plan=_plan(home), pupil=home.pupil, responsible=home.teacher)
    moment = agreement.moments.create(due_on=D(2026, 9, 14))
    client.force_login(home.teacher)
    response = client.post(reverse("parents:moment-miss", args=[moment.pk]), **HTMX)
    assert "niet gelukt" in response.content.decode()
    moment.refresh_from_db()
    assert moment.status == MomentStatus.MISSED
    assert 'id="moment-' not in client.get(reverse("parents:this-week")).content.decode()


def test_moving_a_moment_shows_it_on_its_new_day(home, today, client):
    agreement = AgreementFactory(plan=_plan(home), pupil=home.pupil, responsible=home.teacher)
    moment = agreement.moments.create(due_on=D(2026, 9, 14))
    client.force_login(home.teacher)
    response = client.post(
        reverse("parents:moment-move", args=[moment.pk]), {"to": "2026-09-17"}, **HTMX
    )
    new = agreement.moments.get(status=MomentStatus.PLANNED)
    assert new.due_on == D(2026, 9, 17)
    assert f'id="moment-{new.pk}"' in response.content.decode()
    response = client.post(
        reverse("parents:moment-move", args=[new.pk]), {"to": "2026-08-20"}, **HTMX
    )
    assert "Kies een dag tussen" in response.content.decode()
    assert agreement.moments.get(status=MomentStatus.PLANNED) == new


def test_forms_refuse_objects_from_elsewhere(home, today, client):
    """RELIABILITY A5: a posted pupil or colleague from another school is a form error."""
    _plan(home)
    foreign_pupil = f.PupilFactory()
    foreign_staff = f.StaffMembershipFactory(role="director").user
    client.force_login(home.teacher)
    agreement = {
        "what": "Bellen",
        "pupil": home.pupil.pk,
        "channel": "phone",
        "responsible": home.teacher.pk,
        "schedule": "monthly",
    }
    url = reverse("parents:agreement-create", args=[home.family.pk])
    for field, value in (("pupil", foreign_pupil.pk), ("responsible", foreign_staff.pk)):
        response = client.post(url, {**agreement, field: value})
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
    assert not home.family.plans.get().agreements.exists()
    response = client.post(
        reverse("parents:plan-edit", args=[home.family.pk]),
        {
            "agreed_on": "2026-09-01",
            "contact_person": foreign_staff.pk,
            "language": "nl",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert home.family.plans.get().contact_person == home.teacher


def test_a_contact_in_the_future_is_refused(home, today, client):
    client.force_login(home.teacher)
    response = client.post(
        reverse("parents:contact-log-create", args=[home.family.pk]),
        {"happened_on": "2026-09-30", "channel": "phone", "tone": "neutral"},
        **HTMX,
    )
    assert "kan niet in de toekomst liggen" in response.content.decode()
    assert not ContactLog.objects.exists()


@pytest.mark.parametrize("size", [1, 8])
def test_family_list_runs_a_fixed_number_of_queries(
    home, today, client, size, django_assert_num_queries
):
    _add_families(home, size)
    client.force_login(home.teacher)
    # One of them fetches the children shown beside every family's name.
    with django_assert_num_queries(6):
        response = client.get(reverse("parents:family-list", args=[home.school.pk]))
    assert response.content.decode().count('href="/gezinnen/') == size + 1


def test_family_list_tells_families_of_the_same_name_apart(home, today, client):
    other = f.PupilFactory(school=home.school, first_name="Amira")
    f.EnrolmentFactory(pupil=other, group=home.group)
    namesake = f.FamilyFactory(board=home.school.board, name="Gezin Bouzid")
    f.PupilGuardianFactory(pupil=other, guardian=f.GuardianFactory(family=namesake))
    # A brother in another group: not the teacher's pupil, so not named to them.
    brother = f.PupilFactory(school=home.school, first_name="Youssef")
    f.EnrolmentFactory(pupil=brother, group=f.GroupFactory(school=home.school, name="3"))
    f.PupilGuardianFactory(pupil=brother, guardian=home.guardian)
    client.force_login(home.teacher)
    body = client.get(reverse("parents:family-list", args=[home.school.pk])).content.decode()
    assert "Gezin Bouzid — Amira (5)" in body
    assert "Gezin Bouzid — Yasmina (5)" in body
    assert "Youssef" not in body


def test_family_list_can_show_only_families_with_a_signal(home, today, client):
    other = f.PupilFactory(school=home.school)
    f.EnrolmentFactory(pupil=other, group=home.group)
    quiet = f.FamilyFactory(board=home.school.board, name="Gezin Tevreden")
    f.PupilGuardianFactory(pupil=other, guardian=f.GuardianFactory(family=quiet))
    ContactLogFactory(family=quiet, tone="positive", happened_on=D(2026, 9, 14))
    client.force_login(home.teacher)
    url = reverse("parents:family-list", args=[home.school.pk])
    assert "Gezin Tevreden" in client.get(url).content.decode()
    body = client.get(url, {"signalen": "1"}).content.decode()
    assert "Gezin Tevreden" not in body
    assert "Gezin Bouzid" in body


def test_a_guardian_whose_access_is_blocked_sees_no_plan(world, client):
    plan = CommunicationPlanFactory(
        family=world.s1.family, contact_person=world.s1.director, notes="Alleen voor school"
    )
    AgreementFactory(plan=plan, pupil=world.s1.pupil, what="Bellen na rapport")
    client.force_login(world.users["blocked_guardian"])
    body = client.get(reverse("parents:portal-plan")).content.decode()
    assert "Bellen na rapport" not in body
    assert world.s1.director.get_full_name() not in body
    client.force_login(world.users["guardian"])
    body = client.get(reverse("parents:portal-plan")).content.decode()
    assert "Bellen na rapport" in body
    assert "Alleen voor school" not in body  # the school's own notes stay with the school


def test_the_plan_page_of_a_family_without_a_plan_looks_the_school_year_up_once(
    home, today, client
):
    client.force_login(home.teacher)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("parents:plan-edit", args=[home.family.pk]))
    assert response.status_code == 200
    year_lookups = [q for q in queries.captured_queries if '"schools_schoolyear"' in q["sql"]]
    assert len(year_lookups) == 1
