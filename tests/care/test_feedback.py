"""Ideas and complaints: a parent sends one in their language, the school acknowledges it
automatically, assigns, answers within its term of school days and closes it; the parent follows
each step; once a year the school publishes what changed because of parents."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from care import services
from care.models import ComplaintsProcedure, Feedback
from reminders import dispatch
from reminders.models import Reminder
from schools.models import SchoolYear
from tests import factories as f
from tests.audit_cost import audit_write

D = datetime.date
TEXT = "Het hek gaat 's ochtends te laat open; wij staan in de regen."


@pytest.fixture
def parent(care):
    """The guardian's own browser, beside the staff's ``client``."""
    care.guardian.user = f.UserFactory()
    care.guardian.language = "ar"
    care.guardian.save()
    browser = Client()
    browser.force_login(care.guardian.user)
    return browser


def _send(parent, kind="complaint", text=TEXT):
    # The school is a hidden field when the children go to one school.
    school = Feedback._meta.get_field("school").related_model.objects.get(name="De Regenboog")
    return parent.post(
        reverse("care:feedback-portal-create"), {"kind": kind, "text": text, "school": school.pk}
    )


def _scan_and_send():
    dispatch.scan(now=timezone.now())
    dispatch.send_batch(now=timezone.now())


def test_the_answer_term_counts_school_days_around_the_autumn_holiday(care, parent):
    _send(parent)
    # Ten school days from Tuesday 6 October: the autumn holiday (midden, 17-25 October) does
    # not count.
    assert Feedback.objects.get().answer_due_on == D(2026, 10, 27)


def test_a_complaint_is_acknowledged_in_the_parents_language_once(care, parent):
    response = _send(parent)
    feedback = Feedback.objects.get()
    assert response.url == reverse("care:feedback-portal-detail", args=[feedback.pk])
    assert feedback.language == "ar" and feedback.text == TEXT

    _scan_and_send()
    _scan_and_send()
    acknowledgements = Reminder.objects.filter(rule="care.feedback_received")
    assert acknowledgements.count() == 1
    # A new family is also asked about photos (tests/parents/test_consent.py): only this rule's.
    subjects = set(acknowledgements.values_list("subject", flat=True))
    [message] = [m for m in mail.outbox if m.to == [care.guardian.email] and m.subject in subjects]
    assert "لقد استلمنا شكواكم" in message.subject  # "Wij hebben uw klacht ontvangen"
    assert "27" in message.body and "/ouders/ideeen-en-klachten/" in message.body

    parent.cookies["django_language"] = "nl"
    page = parent.get(response.url).content.decode()
    assert "Bevestigd: u kreeg een bericht" in page


def test_school_assigns_answers_and_closes_and_the_parent_sees_each_step(care, parent, client):
    _send(parent)
    feedback = Feedback.objects.get()
    detail = reverse("care:feedback-portal-detail", args=[feedback.pk])

    def steps():
        parent.cookies["django_language"] = "nl"
        return parent.get(detail).content.decode()

    assert "In behandeling: nog niet" in steps()

    client.force_login(care.director)
    client.post(reverse("care:feedback-assign", args=[feedback.pk]), {"to": care.teacher.pk})
    assert "In behandeling ·" in steps()

    # The teacher it was given to answers it; another teacher does not even see it.
    client.force_login(care.colleague)
    assert client.get(reverse("care:feedback-detail", args=[feedback.pk])).status_code == 404
    client.force_login(care.teacher)
    client.post(
        reverse("care:feedback-answer", args=[feedback.pk]),
        {"answer": "Vanaf maandag gaat het hek om 8.15 uur open.", "change_made": "Hek eerder"},
    )
    page = steps()
    assert "Beantwoord ·" in page and "Vanaf maandag gaat het hek om 8.15 uur open." in page
    _scan_and_send()
    assert Reminder.objects.filter(rule="care.feedback_answered").count() == 1

    client.post(reverse("care:feedback-close", args=[feedback.pk]))
    assert "Afgesloten ·" in steps()
    feedback.refresh_from_db()
    assert feedback.status == "closed"


def test_closing_before_an_answer_is_refused_with_a_message(care, parent, client):
    _send(parent)
    feedback = Feedback.objects.get()
    client.force_login(care.director)
    with pytest.raises(services.CareError, match="Geef eerst een antwoord"):
        services.close_feedback(feedback=feedback, by=care.director)
    response = client.post(reverse("care:feedback-answer", args=[feedback.pk]), {"answer": " "})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()


def test_a_complaint_names_the_procedure_and_the_national_committee(care, parent):
    ComplaintsProcedure.objects.create(
        school=care.school, url="https://regenboog.example/klachten", contact="Mw. Jansen"
    )
    parent.cookies["django_language"] = "nl"
    _send(parent)
    _send(parent, kind="idea", text="Een moestuin op het plein")
    complaint, idea = Feedback.objects.order_by("kind")
    page = parent.get(reverse("care:feedback-portal-detail", args=[complaint.pk])).content.decode()
    assert "https://regenboog.example/klachten" in page and "Mw. Jansen" in page
    assert "Landelijke Klachtencommissie Onderwijs" in page and "onderwijsgeschillen.nl" in page
    page = parent.get(reverse("care:feedback-portal-detail", args=[idea.pk])).content.decode()
    assert "Landelijke Klachtencommissie" not in page


def test_another_parent_does_not_find_it(care, parent, client):
    _send(parent)
    feedback = Feedback.objects.get()
    other = f.GuardianFactory(user=f.UserFactory())
    f.PupilGuardianFactory(guardian=other, pupil=f.PupilFactory(school=care.school))
    client.force_login(other.user)
    response = client.get(reverse("care:feedback-portal-detail", args=[feedback.pk]))
    assert response.status_code == 404 and TEXT not in response.content.decode()


def test_an_empty_message_is_refused_and_a_school_without_a_child_too(care, parent):
    response = _send(parent, text="   ")
    assert response.status_code == 200 and not Feedback.objects.exists()
    with pytest.raises(services.CareError, match="geen kind op deze school"):
        services.submit_feedback(
            guardian=care.guardian, school=care.other_school, kind="idea", text="Idee"
        )


def test_what_changed_is_published_to_parents_without_names(care, parent, client):
    _send(parent, kind="idea", text="Een moestuin op het plein")
    feedback = Feedback.objects.get()
    services.answer_feedback(
        feedback=feedback,
        by=care.director,
        answer="Goed idee! Groep 6 begint in het voorjaar.",
        change_made="Een moestuin op het plein, onderhouden door groep 6",
    )
    page = parent.get(reverse("care:feedback-portal-list")).content.decode()
    assert "moestuin" not in page  # not published yet

    client.force_login(care.director)
    client.post(
        reverse("care:changes-edit", args=[care.school.pk]),
        {"introduction": "Dank aan alle ouders die meedachten."},
    )
    parent.cookies["django_language"] = "nl"
    page = parent.get(reverse("care:feedback-portal-list")).content.decode()
    assert "Een moestuin op het plein, onderhouden door groep 6" in page
    assert "Dank aan alle ouders die meedachten." in page
    # Another family of the school reads it too, with nobody named.
    other = f.GuardianFactory(user=f.UserFactory(), first_name="Anouk")
    f.PupilGuardianFactory(guardian=other, pupil=f.PupilFactory(school=care.school))
    client.force_login(other.user)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("care:feedback-portal-list")).content.decode()
    assert "onderhouden door groep 6" in page and escape(care.guardian.full_name) not in page


@pytest.mark.parametrize("size", [1, 6])
def test_feedback_list_counts_and_runs_a_fixed_number_of_queries(
    care, client, size, django_assert_num_queries
):
    for _ in range(size):
        services.submit_feedback(guardian=care.guardian, school=care.school, kind="idea", text="x")
        late = services.submit_feedback(
            guardian=care.guardian, school=care.school, kind="complaint", text="y"
        )
        Feedback.objects.filter(pk=late.pk).update(answer_due_on=D(2026, 10, 1))
    _scan_and_send()
    client.force_login(care.intern_begeleider)
    # The user with their roles, the school, the items with their acknowledgement, the
    # figures, the school year; the audit row.
    with django_assert_num_queries(5 + audit_write()):
        response = client.get(reverse("care:feedback-list", args=[care.school.pk]))
    body = response.content.decode()
    assert body.count("data-feedback=") == 2 * size and body.count("bevestigd") == 2 * size
    figures = response.context["figures"]
    assert (figures.open, figures.overdue, figures.answered) == (2 * size, size, 0)
    assert SchoolYear.objects.count() == 1


def test_the_school_dashboard_counts_ideas_and_complaints_for_the_board_without_names(
    care, parent, client
):
    for kind in ("idea", "complaint"):
        _send(parent, kind=kind)
    answered = Feedback.objects.get(kind="idea")
    services.answer_feedback(feedback=answered, answer="Goed idee, doen we.", by=care.director)
    client.force_login(care.board)
    page = client.get(reverse("dashboard:school-dashboard", args=[care.school.pk]))
    body = page.content.decode()
    figures = body.split("data-feedback>", 1)[1].split("</dd>", 1)[0]
    assert "open: 2" in figures and "te laat: 0" in figures
    assert "op tijd beantwoord: 1 van 1" in figures
    assert "Bouzid" not in body and "Karim" not in body
