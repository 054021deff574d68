"""The plan, the quarterly evaluation, the self-assessment with its trend, and buddies."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from partnership import queries, services
from partnership.models import BuddyPair, Evaluation, Framework
from partnership.services import PartnershipError
from schools.models import SchoolYear
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def school():
    return f.SchoolFactory()


def guardian_at(school):
    guardian = f.GuardianFactory(family=f.FamilyFactory(board=school.board))
    f.PupilGuardianFactory(pupil=f.PupilFactory(school=school), guardian=guardian)
    return guardian


@time_machine.travel(NOW, tick=False)
def test_evaluation_for_a_closed_past_year_is_refused_and_an_open_one_is_kept(school):
    last_year = SchoolYear.for_date(datetime.date(2026, 3, 1))
    plan = services.save_plan(school=school, school_year=last_year, vision="Samen")
    scores = {"informal": (4, "Koffieochtenden lopen goed"), "formal": (2, "MR zoekt ouders")}
    services.record_evaluation(
        school=school,
        school_year=last_year,
        quarter=4,
        held_on=datetime.date(2026, 6, 20),
        scores=scores,
        team_changes="Meer avondmomenten",
    )
    services.close_plan(plan=plan)
    with pytest.raises(PartnershipError, match="afgesloten"):
        services.record_evaluation(
            school=school,
            school_year=last_year,
            quarter=3,
            held_on=datetime.date(2026, 4, 1),
            scores=scores,
        )
    assert Evaluation.objects.filter(school=school).count() == 1
    this_year = SchoolYear.current()
    with pytest.raises(PartnershipError, match="sluit u af als het voorbij is"):
        services.close_plan(plan=services.save_plan(school=school, school_year=this_year))
    evaluation = services.record_evaluation(
        school=school, school_year=this_year, quarter=1, held_on=NOW.date(), scores=scores
    )
    assert evaluation.scores.count() == 2
    with pytest.raises(PartnershipError, match="al geëvalueerd"):
        services.record_evaluation(
            school=school, school_year=this_year, quarter=1, held_on=NOW.date(), scores=scores
        )


def test_evaluation_scores_are_bounded_in_the_database(school):
    evaluation = Evaluation.objects.create(
        school=school, school_year=SchoolYear.current(), quarter=1, held_on=datetime.date.today()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        evaluation.scores.create(partnership="formal", score=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            school=school,
            school_year=SchoolYear.current(),
            quarter=5,
            held_on=datetime.date.today(),
        )


@time_machine.travel(NOW, tick=False)
def test_self_assessment_trend_over_two_years(school):
    last_year = SchoolYear.for_date(datetime.date(2026, 3, 1))
    this_year = SchoolYear.current()
    services.record_self_assessment(
        school=school,
        school_year=last_year,
        framework=Framework.CHECKLIST,
        scores=dict.fromkeys(range(1, 9), (2, "")),
    )
    services.record_self_assessment(
        school=school,
        school_year=this_year,
        framework=Framework.CHECKLIST,
        scores={**dict.fromkeys(range(1, 9), (2, "")), 5: (4, "Twintig buddyparen")},
    )
    trend = queries.self_assessment_trend(school, Framework.CHECKLIST)
    assert trend[5] == [(last_year.label, 2), (this_year.label, 4)]
    assert len(trend) == 8
    with pytest.raises(PartnershipError, match="niet op de lijst"):
        services.record_self_assessment(
            school=school,
            school_year=this_year,
            framework=Framework.CHECKLIST,
            scores={9: (3, "")},
        )
    services.record_self_assessment(
        school=school,
        school_year=this_year,
        framework=Framework.OB30,
        scores=dict.fromkeys(range(1, 11), (3, "")),
    )
    assert len(queries.self_assessment_trend(school, Framework.OB30)) == 10


def test_buddies_are_two_guardians_of_the_same_school_coupled_once(school):
    a, b = guardian_at(school), guardian_at(school)
    pair = services.couple_buddies(school=school, guardian_a=b, guardian_b=a, reason="first_child")
    assert (pair.guardian_a, pair.guardian_b) == (a, b)
    with pytest.raises(PartnershipError, match="al buddy"):
        services.couple_buddies(school=school, guardian_a=a, guardian_b=b, reason="first_child")
    with pytest.raises(PartnershipError, match="andere ouder"):
        services.couple_buddies(school=school, guardian_a=a, guardian_b=a, reason="other")
    with pytest.raises(PartnershipError, match="geen kind op deze school"):
        services.couple_buddies(
            school=school, guardian_a=a, guardian_b=guardian_at(f.SchoolFactory()), reason="other"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        BuddyPair.objects.create(school=school, guardian_a=b, guardian_b=a, reason="other")
    services.end_buddy_pair(pair=pair)
    pair.refresh_from_db()
    assert not pair.active
    figure = services.add_key_figure(school=school, guardian=a, reaches="Arabische moeders")
    assert figure.active
