"""Photo consent (issue 19, item 4): per child, purpose and school year; the strictest answer of
the guardians with parental authority holds; staff see per group who may not appear; the
dashboard counts the families that did not answer; the question is repeated until answered."""

import datetime
import html
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from parents import consent
from parents.models import PhotoConsent, PhotoPurpose
from partnership import privacy
from partnership.dashboards import figures as dashboard
from reminders import dispatch
from reminders.models import Reminder, Status
from schools.models import AuditAction, AuditEvent, SchoolYear
from tests import factories as f
from tests.audit_cost import audit_write

AMS = ZoneInfo("Europe/Amsterdam")
ALL_YES = dict.fromkeys(PhotoPurpose.values, True)


def _answer(guardian, pupil, year, **changes):
    consent.answer_photo_consent(
        guardian=guardian,
        pupil=pupil,
        year=year,
        answers={**ALL_YES, **changes},
        by=guardian.user or AnonymousUser(),
    )


@pytest.fixture
def year(today):
    return SchoolYear.for_date(today)


@pytest.fixture
def parents_apart(home):
    """Yasmina's mother (home.guardian) and her father in another household, both with
    parental authority."""
    father = f.GuardianFactory(
        family=f.FamilyFactory(board=home.school.board, name="Gezin Amrani"),
        user=f.UserFactory(),
    )
    f.PupilGuardianFactory(pupil=home.pupil, guardian=father, relation="father")
    home.guardian.user = f.UserFactory()
    home.guardian.save()
    return home.guardian, father


def test_two_guardians_answering_differently_give_the_strictest_answer(home, year, parents_apart):
    mother, father = parents_apart
    _answer(mother, home.pupil, year)
    # Only the mother answered: the father's silence counts as no, for every purpose.
    assert not consent.may_appear(pupil=home.pupil, purpose="website")
    _answer(father, home.pupil, year, social_media=False)
    assert consent.may_appear(pupil=home.pupil, purpose="website")
    assert consent.may_appear(pupil=home.pupil, purpose="newsletter")
    assert not consent.may_appear(pupil=home.pupil, purpose="social_media")
    child = consent.refusals([home.pupil.pk], year)[home.pupil.pk]
    assert child.refused_purposes == ["social_media"]
    assert child.purposes["social_media"].refused and not child.purposes["social_media"].unanswered


def test_a_parent_without_authority_does_not_decide_and_does_not_block(home, year, today):
    stepfather = f.GuardianFactory(family=home.family, user=f.UserFactory())
    f.PupilGuardianFactory(
        pupil=home.pupil,
        guardian=stepfather,
        has_parental_authority=False,
        information_right="granted",
    )
    with pytest.raises(consent.ConsentError, match="ouder met gezag"):
        _answer(stepfather, home.pupil, year)
    _answer(home.guardian, home.pupil, year)
    assert consent.may_appear(pupil=home.pupil, purpose="school_guide")


def test_an_answer_holds_for_its_school_year_only(home, year, today):
    _answer(home.guardian, home.pupil, year)
    assert consent.may_appear(pupil=home.pupil, purpose="portal")
    next_year = today.replace(year=today.year + 1)
    assert not consent.may_appear(pupil=home.pupil, purpose="portal", on=next_year)


def test_a_changed_answer_replaces_the_earlier_one(home, year):
    _answer(home.guardian, home.pupil, year)
    _answer(home.guardian, home.pupil, year, website=False)
    assert not consent.may_appear(pupil=home.pupil, purpose="website")
    assert PhotoConsent.objects.filter(guardian=home.guardian).count() == len(PhotoPurpose)


# --- the portal ----------------------------------------------------------------------------------


def _form_data(pupil, **answers):
    data = {"child": pupil.pk}
    for purpose in PhotoPurpose.values:
        data[f"child-{pupil.pk}-{purpose}"] = answers.get(purpose, "yes")
    return data


def test_parent_answers_in_the_portal_and_can_change_it(home, year, client):
    home.guardian.user = f.UserFactory()
    home.guardian.save()
    client.force_login(home.guardian.user)
    url = reverse("parents:portal-photo-consent")
    assert "Yasmina" in client.get(url).content.decode()
    response = client.post(url, _form_data(home.pupil, social_media="no"))
    assert response.status_code == 302
    assert consent.may_appear(pupil=home.pupil, purpose="website")
    assert not consent.may_appear(pupil=home.pupil, purpose="social_media")
    assert AuditEvent.objects.filter(action=AuditAction.PHOTO_CONSENT, pupil=home.pupil).exists()
    # The page shows their answer back, and a change replaces it.
    page = client.get(url).content.decode()
    assert f'name="child-{home.pupil.pk}-social_media" value="no"' in page.replace(" checked", "")
    client.post(url, _form_data(home.pupil))
    assert consent.may_appear(pupil=home.pupil, purpose="social_media")


def test_a_question_left_open_is_named_and_nothing_is_stored(home, year, client):
    home.guardian.user = f.UserFactory()
    home.guardian.save()
    client.force_login(home.guardian.user)
    data = _form_data(home.pupil)
    del data[f"child-{home.pupil.pk}-newsletter"]
    response = client.post(reverse("parents:portal-photo-consent"), data)
    assert response.status_code == 200
    assert "Kies ja of nee." in response.content.decode()
    assert not PhotoConsent.objects.exists()


def test_a_parent_cannot_answer_for_another_familys_child(home, year, client):
    home.guardian.user = f.UserFactory()
    home.guardian.save()
    other = f.PupilFactory(school=home.school)
    client.force_login(home.guardian.user)
    response = client.post(reverse("parents:portal-photo-consent"), _form_data(other))
    assert response.status_code == 404
    assert not PhotoConsent.objects.exists()


# --- what staff see ------------------------------------------------------------------------------


@pytest.fixture
def group_five(home, year, parents_apart):
    """Group 5: Yasmina (mother yes, father no to social media), Daan (all yes), Noor (not
    answered)."""
    mother, father = parents_apart
    _answer(mother, home.pupil, year)
    _answer(father, home.pupil, year, social_media=False)
    daan = f.PupilFactory(school=home.school, first_name="Daan")
    f.EnrolmentFactory(pupil=daan, group=home.group)
    daan_parent = f.GuardianFactory(family=f.FamilyFactory(board=home.school.board))
    f.PupilGuardianFactory(pupil=daan, guardian=daan_parent)
    _answer(daan_parent, daan, year)
    noor = f.PupilFactory(school=home.school, first_name="Noor")
    f.EnrolmentFactory(pupil=noor, group=home.group)
    f.PupilGuardianFactory(
        pupil=noor, guardian=f.GuardianFactory(family=f.FamilyFactory(board=home.school.board))
    )
    return daan, noor


def test_the_group_list_names_who_may_not_appear_and_for_what(home, group_five, client):
    daan, noor = group_five
    client.force_login(home.teacher)
    response = client.get(reverse("parents:photo-consent-list", args=[home.school.pk]))
    [row] = response.context["rows"]
    refused = {pupil.first_name: child.refused_purposes for pupil, child in row.refused}
    assert refused == {"Yasmina": ["social_media"], "Noor": list(PhotoPurpose.values)}
    assert row.pupils == 3
    body = response.content.decode()
    assert "Daan" not in body
    assert f'data-pupil="{home.pupil.pk}"' in body and 'data-refused="social_media"' in body
    assert "geen antwoord" in body  # Noor: nobody answered
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_LIST, school=home.school).exists()


def test_a_teacher_sees_only_their_own_groups(home, group_five, client):
    other_group = f.GroupFactory(school=home.school, name="6")
    f.EnrolmentFactory(
        pupil=f.PupilFactory(school=home.school, first_name="Ilias"), group=other_group
    )
    client.force_login(home.teacher)
    response = client.get(reverse("parents:photo-consent-list", args=[home.school.pk]))
    assert [row.group for row in response.context["rows"]] == [home.group]
    response = client.get(
        reverse("parents:photo-consent-list", args=[home.school.pk]), {"groep": other_group.pk}
    )
    assert response.context["rows"] == []


@pytest.mark.parametrize("size", [1, 6])
def test_the_group_list_runs_a_fixed_number_of_queries(
    home, year, client, size, django_assert_num_queries
):
    for n in range(size):
        group = f.GroupFactory(school=home.school, name=f"{n + 1}x")
        for _child in range(size):
            pupil = f.PupilFactory(school=home.school)
            f.EnrolmentFactory(pupil=pupil, group=group)
            for parent in range(2):
                guardian = f.GuardianFactory(family=home.family)
                f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
                if parent == 0:
                    _answer(guardian, pupil, year, website=False)
    director = f.StaffMembershipFactory(school=home.school, role="director").user
    client.force_login(director)
    url = reverse("parents:photo-consent-list", args=[home.school.pk])
    # user, school, school year, groups, pupils, guardian links, answers, and the audit row.
    with django_assert_num_queries(7 + audit_write()):
        response = client.get(url)
    assert sum(len(row.refused) for row in response.context["rows"]) == size * size + 1


def test_the_dashboard_counts_the_families_that_did_not_answer(home, group_five, year):
    """Yasmina's two households answered, Daan's family answered, Noor's did not."""
    director = f.StaffMembershipFactory(school=home.school, role="director").user
    figures = dashboard.school_dashboard(home.school, year, director)
    assert figures["families"]["consent_unanswered"] == 1
    assert figures["families"]["families"] == 4


def test_the_dashboard_page_shows_the_figure(home, group_five, year, client):
    director = f.StaffMembershipFactory(school=home.school, role="director").user
    client.force_login(director)
    body = client.get(reverse("dashboard:school-dashboard", args=[home.school.pk])).content
    assert b'data-consent-unanswered="1"' in body


def test_the_answers_are_in_the_familys_data_export(home, year):
    _answer(home.guardian, home.pupil, year, newsletter=False)
    export = privacy.export_as_json(privacy.export_family(home.family))
    rows = export["data"]["parents.photoconsent"]
    assert {(r["purpose"], r["given"]) for r in rows} == {
        (p, p != "newsletter") for p in PhotoPurpose.values
    }


# --- the question and its reminders --------------------------------------------------------------

# The school year 2026-2027 starts in region midden on Monday 31 August 2026.
FIRST_DAY = datetime.datetime(2026, 8, 31, 10, 0, tzinfo=AMS)


def _consent_rows(guardian):
    return Reminder.objects.filter(
        rule="parents.photo_consent", recipient_key=f"parents.guardian:{guardian.pk}"
    ).order_by("occurrence")


@pytest.fixture
def start_of_year(db):
    with time_machine.travel(FIRST_DAY, tick=False):
        school = f.SchoolFactory(holiday_region="midden")
        group = f.GroupFactory(school=school, name="4")
        pupil = f.PupilFactory(school=school, first_name="Amira")
        f.EnrolmentFactory(pupil=pupil, group=group)
        family = f.FamilyFactory(board=school.board)
        mother = f.GuardianFactory(family=family, language="ar")
        f.PupilGuardianFactory(pupil=pupil, guardian=mother)
        stepfather = f.GuardianFactory(family=family)
        f.PupilGuardianFactory(
            pupil=pupil,
            guardian=stepfather,
            has_parental_authority=False,
            information_right="on_request",
        )
        yield pupil, mother, stepfather


def test_the_question_is_asked_then_repeated_weekly_and_stops_once_answered(
    start_of_year, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    pupil, mother, stepfather = start_of_year
    with time_machine.travel(FIRST_DAY, tick=False):
        dispatch.scan()
        dispatch.send_batch()
    [asked] = _consent_rows(mother)
    assert asked.status == Status.SENT and asked.language == "ar"
    assert "Amira" in asked.body and "/ouders/foto-toestemming/" in asked.body
    assert not _consent_rows(stepfather).exists()  # no parental authority: not asked
    with time_machine.travel(FIRST_DAY + datetime.timedelta(days=6), tick=False):
        dispatch.scan()
    assert _consent_rows(mother).count() == 1
    with time_machine.travel(FIRST_DAY + datetime.timedelta(days=7), tick=False):
        dispatch.scan()
        dispatch.scan()
    assert [r.occurrence for r in _consent_rows(mother)] == ["2026-2027:0", "2026-2027:1"]
    # She answers before the reminder goes out: it is cancelled, and no further one comes.
    with time_machine.travel(FIRST_DAY + datetime.timedelta(days=7, minutes=5), tick=False):
        consent.answer_photo_consent(
            guardian=mother,
            pupil=pupil,
            year=SchoolYear.for_date(FIRST_DAY.date()),
            answers=ALL_YES,
            by=AnonymousUser(),
        )
        dispatch.send_batch()
    reminder = _consent_rows(mother).get(occurrence="2026-2027:1")
    assert reminder.status == Status.CANCELLED and "al geantwoord" in reminder.last_error
    with time_machine.travel(FIRST_DAY + datetime.timedelta(days=30), tick=False):
        dispatch.scan()
    assert _consent_rows(mother).count() == 2


def test_the_reminders_end_after_the_last_repeat(start_of_year, settings):
    from parents.reminder_rules import CONSENT_REPEATS

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _pupil, mother, _stepfather = start_of_year
    for week in range(CONSENT_REPEATS + 3):
        # Mondays at 10:00: outside the default quiet hours.
        with time_machine.travel(FIRST_DAY + datetime.timedelta(weeks=week), tick=False):
            dispatch.scan()
            dispatch.send_batch()
    rows = list(_consent_rows(mother))
    assert len(rows) == CONSENT_REPEATS + 1
    assert all(r.status == Status.SENT for r in rows)


def test_a_parent_reads_their_own_answers_in_my_data_not_the_other_parents(
    home, year, parents_apart, client
):
    mother, father = parents_apart
    _answer(mother, home.pupil, year)
    _answer(father, home.pupil, year, social_media=False)
    client.force_login(mother.user)
    data = client.get(reverse("privacy:my-data"), {"format": "json"}).json()["data"]
    rows = data["parents.photoconsent"]
    assert {r["guardian"] for r in rows} == {mother.pk}
    assert all(r["given"] for r in rows)
    page = html.unescape(client.get(reverse("privacy:my-data")).content.decode())
    assert "Foto's en video's" in page and "sociale media van de school" in page
