"""The team scores the criterion about parents' ideas and complaints with the school's own figures
beside it: open, late, answered in time, average days to an answer. Counts only, no names."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from care import services as care_services

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
RECEIVED = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=AMS)  # a Monday
ANSWERED = RECEIVED + datetime.timedelta(days=1)
SCORED = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=AMS)  # weeks after any answer term


@pytest.fixture
def ideas_and_complaints(world):
    """At S1: an idea answered the next day, a complaint never answered, and at S2 (the same
    board) a complaint that must not count for S1."""
    guardian, school = world.s1.guardian, world.s1.school
    with time_machine.travel(RECEIVED, tick=False):
        idea = care_services.submit_feedback(
            guardian=guardian, school=school, kind="idea", text="Een ruilkast voor boeken."
        )
        care_services.submit_feedback(
            guardian=guardian, school=school, kind="complaint", text="De poort is vaak dicht."
        )
        care_services.submit_feedback(
            guardian=world.s2.guardian,
            school=world.s2.school,
            kind="complaint",
            text="Te weinig fietsenrekken.",
        )
    with time_machine.travel(ANSWERED, tick=False):
        care_services.answer_feedback(
            feedback=idea, answer="Goed idee, we zetten hem bij de ingang.", by=world.s1.director
        )


def _page(client, world, framework):
    url = reverse("partnership:self-assessment-edit", args=[world.s1.school.pk, framework])
    return client.get(url).content.decode()


@pytest.mark.parametrize("framework", ["checklist", "ob30"])
@time_machine.travel(SCORED, tick=False)
def test_the_ideas_and_complaints_criterion_shows_the_schools_figures(
    client_for, world, ideas_and_complaints, framework
):
    page = _page(client_for("director"), world, framework)

    item = page.split('data-item="8"')[1].split('data-item="9"')[0]
    facts = item.split('data-facts="ideas-and-complaints"')[1]
    assert "open: 2" in facts  # the answered idea stays open until it is closed
    assert "te laat: 1" in facts
    assert "op tijd beantwoord: 1 van 1" in facts
    assert "gemiddeld 1,0 dagen tot antwoord" in facts
    # Beside that criterion only, and without a parent's name or words.
    assert page.count('data-facts="ideas-and-complaints"') == 1
    assert world.s1.guardian.last_name not in page
    assert "ruilkast" not in page


@time_machine.travel(SCORED, tick=False)
def test_without_any_idea_or_complaint_the_figures_read_zero(client_for, world):
    facts = _page(client_for("director"), world, "ob30").split('data-facts="ideas-and-complaints"')[
        1
    ]

    assert "open: 0" in facts and "op tijd beantwoord: 0 van 0" in facts
    assert "dagen tot antwoord" not in facts


@time_machine.travel(SCORED, tick=False)
def test_scores_are_still_saved_from_the_page_with_the_figures(
    client_for, world, ideas_and_complaints
):
    from partnership.models import SelfAssessment

    client = client_for("director")
    url = reverse("partnership:self-assessment-edit", args=[world.s1.school.pk, "ob30"])
    scores = {f"score_{n}": 2 for n in range(1, 11)} | {"evidence_8": "Eén klacht liep te laat."}

    assert client.post(url, scores).status_code == 302

    item = SelfAssessment.objects.get(school=world.s1.school).items.get(item=8)
    assert (item.score, item.evidence) == (2, "Eén klacht liep te laat.")
    # A score left out keeps the page, with the Dutch message and what was typed.
    page = client.post(url, scores | {"score_3": ""}).content.decode()
    assert "Eén klacht liep te laat." in page and "verplicht" in page
