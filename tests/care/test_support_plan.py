"""The support plan (opp): the IB'er records its handelingsdeel or attaches the document; each
guardian with parental authority reads it in the portal in plain words with a glossary, in their
language, and agrees, agrees with remarks or disagrees; disagreeing plans a conversation that the
IB'er sees on "Wat nu?"; the evaluation date is reminded; every read is in the audit log."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from care import services
from care.models import CareMeeting, SupportPlan, SupportPlanAnswer
from partnership import privacy
from reminders import dispatch
from reminders.models import Reminder
from schools.models import AuditAction, AuditEvent
from tests import factories as f
from tests.audit_cost import audit_write

D = datetime.date
GOALS = "Yasmina leest aan het eind van het jaar op niveau E4."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def parent(care):
    care.guardian.user = f.UserFactory()
    care.guardian.language = "ar"
    care.guardian.save()
    browser = Client()
    browser.force_login(care.guardian.user)
    return browser


def _scan_and_send():
    dispatch.scan(now=timezone.now())
    dispatch.send_batch(now=timezone.now())


def _plan(care, **extra):
    values = {"goals": GOALS, "support": "Elke dag 20 minuten extra lezen.", **extra}
    return services.record_support_plan(
        pupil=care.pupil, by=care.intern_begeleider, evaluation_on=D(2027, 1, 20), **values
    )


def test_ib_records_a_plan_and_the_guardian_is_told_in_their_language(care, client, parent):
    client.force_login(care.intern_begeleider)
    response = client.post(
        reverse("care:plan-create", args=[care.pupil.pk]),
        {"goals": GOALS, "support": "Elke dag extra lezen.", "evaluation_on": "2027-01-20"},
    )
    plan = SupportPlan.objects.get()
    assert response.url == reverse("care:plan-detail", args=[plan.pk])
    page = client.get(response.url).content.decode()
    assert "Wacht op antwoord van de ouders" in page and GOALS in page

    _scan_and_send()
    _scan_and_send()
    [row] = Reminder.objects.filter(rule="care.support_plan_ready")
    [message] = [m for m in mail.outbox if m.subject == row.subject]
    assert message.to == [care.guardian.email]
    assert "Yasmina" in message.subject and "الخطة" in message.subject  # "Het plan"
    assert f"/ouders/opp/{plan.pk}/" in message.body


def test_guardian_reads_the_plan_with_the_glossary_in_arabic_and_disagrees(care, client, parent):
    plan = _plan(care)
    parent.cookies["django_language"] = "ar"  # set at login from the guardian's language
    home = parent.get(reverse("parents:portal-home")).content.decode()
    assert reverse("care:plan-portal-detail", args=[plan.pk]) in home

    page = parent.get(reverse("care:plan-portal-detail", args=[plan.pk])).content.decode()
    assert 'dir="rtl"' in page and GOALS in page
    assert "handelingsdeel" in page and escape("IB'er") in page
    assert "المعلم المسؤول عن الرعاية" in page  # the glossary explains "IB'er" in Arabic

    response = parent.post(
        reverse("care:plan-portal-detail", args=[plan.pk]),
        {"answer": "disagree", "remarks": "Wij willen eerst praten."},
    )
    assert response.status_code == 302
    answer = SupportPlanAnswer.objects.get()
    assert (answer.guardian, answer.answer) == (care.guardian, "disagree")
    meeting = CareMeeting.objects.get()
    assert meeting.support_plan == plan and meeting.starts_at is None

    client.force_login(care.intern_begeleider)
    home = client.get(reverse("home")).content.decode()
    assert "Plan een gesprek over het opp van Yasmina" in home
    assert reverse("care:meeting-detail", args=[meeting.pk]) in home
    assert (
        "Niet akkoord" in client.get(reverse("care:plan-detail", args=[plan.pk])).content.decode()
    )

    # Once answered, the form is gone; a second answer is refused.
    again = parent.get(reverse("care:plan-portal-detail", args=[plan.pk])).content.decode()
    assert 'name="answer"' not in again
    with pytest.raises(services.CareError):
        services.answer_support_plan(plan=plan, guardian=care.guardian, answer="agree")


def test_agreeing_with_remarks_needs_the_remarks_and_loses_nothing(care, parent):
    plan = _plan(care)
    parent.cookies["django_language"] = "nl"
    response = parent.post(
        reverse("care:plan-portal-detail", args=[plan.pk]), {"answer": "remarks", "remarks": ""}
    )
    assert response.status_code == 200
    assert "Schrijf uw opmerkingen op." in response.content.decode()
    assert not SupportPlanAnswer.objects.exists()

    parent.post(
        reverse("care:plan-portal-detail", args=[plan.pk]),
        {"answer": "remarks", "remarks": "Graag ook op vrijdag."},
    )
    assert SupportPlanAnswer.objects.get().remarks == "Graag ook op vrijdag."
    assert not CareMeeting.objects.exists()


def test_a_guardian_without_parental_authority_does_not_see_the_plan(care):
    other = f.GuardianFactory(family=care.family, user=f.UserFactory())
    f.PupilGuardianFactory(
        pupil=care.pupil, guardian=other, has_parental_authority=False, information_right="granted"
    )
    plan = _plan(care)
    browser = Client()
    browser.force_login(other.user)
    assert browser.get(reverse("care:plan-portal-detail", args=[plan.pk])).status_code == 404
    with pytest.raises(services.CareError):
        services.answer_support_plan(plan=plan, guardian=other, answer="agree")


def test_an_answer_to_an_older_version_is_refused(care, parent):
    old = _plan(care)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1), tick=False):
        _plan(care, goals="Nieuwe doelen.")
    assert (
        'name="answer"'
        not in parent.get(reverse("care:plan-portal-detail", args=[old.pk])).content.decode()
    )
    with pytest.raises(services.CareError, match="nieuwere versie"):
        services.answer_support_plan(plan=old, guardian=care.guardian, answer="agree")


def test_status_and_history_on_the_pupil_page_for_the_ib_and_the_groups_teacher(care, client):
    first = _plan(care)
    services.answer_support_plan(plan=first, guardian=care.guardian, answer="agree")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1), tick=False):
        _plan(care, goals="Tweede versie.")
    for user in (care.intern_begeleider, care.teacher):
        client.force_login(user)
        page = client.get(reverse("schools:pupil-detail", args=[care.pupil.pk])).content.decode()
        assert "Ondersteuning: opp en overleg" in page
        assert "Opp van 06-10-2026, evaluatie 20-01-2027: Akkoord" in page
        assert "Opp van 07-10-2026, evaluatie 20-01-2027: Wacht op antwoord van de ouders" in page
        # Only the IB'er records plans and plans meetings; the group's teacher reads.
        assert ("Nieuw opp vastleggen" in page) is (user == care.intern_begeleider)


def test_teachers_of_other_groups_and_the_ouder_coordinator_do_not_see_the_plan(care, client):
    plan = _plan(care)
    other_teacher = f.StaffMembershipFactory(school=care.school, role="teacher").user
    f.GroupFactory(school=care.school, name="7").teachers.add(other_teacher)
    coordinator = f.StaffMembershipFactory(school=care.school, role="ouder_coordinator").user
    for user in (other_teacher, coordinator, care.board):
        client.force_login(user)
        assert client.get(reverse("care:plan-detail", args=[plan.pk])).status_code == 404
    client.force_login(coordinator)
    page = client.get(reverse("schools:pupil-detail", args=[care.pupil.pk])).content.decode()
    assert "Ondersteuning: opp en overleg" not in page
    client.force_login(care.teacher)
    assert client.get(reverse("care:plan-detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("care:plan-create", args=[care.pupil.pk])).status_code == 404


def test_every_read_of_the_plan_is_in_the_audit_log(care, client, parent):
    plan = _plan(care)
    client.force_login(care.teacher)
    client.get(reverse("care:plan-detail", args=[plan.pk]))
    parent.get(reverse("care:plan-portal-detail", args=[plan.pk]))
    events = AuditEvent.objects.filter(
        action=AuditAction.VIEW_SUPPORT_NEEDS, what=f"supportplan:{plan.pk}"
    )
    assert {e.user_id for e in events} == {care.teacher.pk, care.guardian.user_id}
    assert all(e.pupil_id == care.pupil.pk for e in events)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_the_attached_document_is_checked_and_only_for_who_reads_the_plan(care, client, parent):
    client.force_login(care.intern_begeleider)
    url = reverse("care:plan-create", args=[care.pupil.pk])
    picture = SimpleUploadedFile(
        "opp.pdf", b"\x89PNG\r\n\x1a\n....", content_type="application/pdf"
    )
    response = client.post(url, {"evaluation_on": "2027-01-20", "document": picture})
    assert "Kies een PDF- of Word-bestand" in response.content.decode()
    assert not SupportPlan.objects.exists()

    document = SimpleUploadedFile("Opp Yasmina.pdf", PDF, content_type="application/pdf")
    client.post(url, {"evaluation_on": "2027-01-20", "document": document})
    plan = SupportPlan.objects.get()
    assert "Yasmina" not in plan.document.name and plan.document.name.endswith(".pdf")

    download = parent.get(reverse("care:plan-document", args=[plan.pk]))
    assert b"".join(download.streaming_content) == PDF
    stranger = Client()
    stranger.force_login(f.GuardianFactory(user=f.UserFactory()).user)
    assert stranger.get(reverse("care:plan-document", args=[plan.pk])).status_code == 404


def test_a_plan_without_goals_or_document_or_with_a_past_evaluation_is_refused(care, client):
    client.force_login(care.intern_begeleider)
    url = reverse("care:plan-create", args=[care.pupil.pk])
    page = client.post(url, {"evaluation_on": "2027-01-20"}).content.decode()
    assert "Schrijf de doelen op of voeg het document van het opp toe." in page
    page = client.post(url, {"goals": GOALS, "evaluation_on": "2026-10-01"}).content.decode()
    assert "Kies een evaluatiedatum na vandaag." in page and GOALS in page
    assert not SupportPlan.objects.exists()


def test_the_evaluation_date_is_reminded_to_the_ib_once_on_the_day(care):
    plan = _plan(care)
    _scan_and_send()
    assert not Reminder.objects.filter(rule="care.support_plan_evaluation").exists()
    with time_machine.travel(datetime.datetime(2027, 1, 20, 9, 0), tick=False):
        _scan_and_send()
        _scan_and_send()
    [row] = Reminder.objects.filter(rule="care.support_plan_evaluation")
    assert row.recipient_key == f"auth.user:{care.intern_begeleider.pk}"
    assert row.occurrence == "evaluation:2027-01-20"
    assert reverse("care:plan-detail", args=[plan.pk]) in row.body
    assert "Yasmina" not in row.body  # a message names no child


@pytest.mark.parametrize("versions", [1, 4])
def test_plan_page_runs_a_fixed_number_of_queries(
    care, client, versions, django_assert_num_queries
):
    for day in range(versions):
        with time_machine.travel(timezone.now() + datetime.timedelta(days=day), tick=False):
            plan = _plan(care)
        services.answer_support_plan(plan=plan, guardian=care.guardian, answer="agree")
    client.force_login(care.intern_begeleider)
    # The user with their roles; the plan with its pupil and its answers; the audit row; the
    # guardians who decide; whether it is the newest; every version with their answers and the
    # guardians who decide.
    with django_assert_num_queries(8 + audit_write()):
        response = client.get(reverse("care:plan-detail", args=[plan.pk]))
    body = response.content.decode()
    assert body.count("</a>: Akkoord") == versions - 1  # the older versions in the history


def test_a_guardians_own_data_export_holds_their_answer_not_the_other_parents(care):
    other = f.GuardianFactory(family=care.family, first_name="Nadia")
    f.PupilGuardianFactory(pupil=care.pupil, guardian=other)
    plan = _plan(care)
    services.answer_support_plan(plan=plan, guardian=care.guardian, answer="agree")
    services.answer_support_plan(
        plan=plan, guardian=other, answer="remarks", remarks="Alleen als de juf meedoet."
    )
    export = privacy.export_family(care.family, guardian=care.guardian)
    [answers] = [s for s in export["sections"] if s.label == "care.supportplananswer"]
    assert [r["guardian"] for r in answers.records] == [care.guardian.pk]
    staff_export = privacy.export_family(care.family)
    [both] = [s for s in staff_export["sections"] if s.label == "care.supportplananswer"]
    assert len(both.records) == 2
