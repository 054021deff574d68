"""A school (or a board of schools) with known start conversations, plans, moments, contacts,
activities and goals, for the dashboard tests. Dates are in the school year 2026-2027."""

import datetime

from conversations.models import ConversationStatus
from parents.models import ContactMoment, Family, MomentStatus
from parents.reach import refresh_reach
from partnership.models import (
    Attendance,
    Evaluation,
    EvaluationScore,
    Goal,
    GoalStatus,
    PartnershipPlan,
    SelfAssessment,
    SelfAssessmentItem,
)
from tests import factories as f
from tests.conversations.factories import RoundFactory, StartConversationFactory, at
from tests.parents.factories import AgreementFactory, CommunicationPlanFactory, ContactLogFactory
from tests.partnership.factories import ActivityFactory, InvitationFactory, local

D = datetime.date


def pupil_with_family(school, group, family=None, language="nl", interpreter=False):
    pupil = f.PupilFactory(school=school)
    f.EnrolmentFactory(pupil=pupil, group=group, school_year=group.school_year)
    if family is None:
        family = f.FamilyFactory(board=school.board)
        f.GuardianFactory(family=family, language=language, needs_interpreter=interpreter)
    for guardian in family.guardians.all():
        f.PupilGuardianFactory(pupil=pupil, guardian=guardian)
    return pupil, family


def conversation(round, pupil, group, status, held_on=None, child=None):
    fields = {}
    if status == ConversationStatus.HELD:
        fields = {"held_at": at(held_on, 14), "child_present": child}
        if not child:
            fields["child_absent_reason"] = "ziek"
    return StartConversationFactory(round=round, pupil=pupil, group=group, status=status, **fields)


def known_school(school, year):
    """The small school the exact figures of the tests come from (see test_dashboard.py)."""
    a = f.GroupFactory(school=school, school_year=year, name="3a", lowest_grade=3, highest_grade=3)
    b = f.GroupFactory(school=school, school_year=year, name="5b", lowest_grade=5, highest_grade=5)
    f.GroupFactory(school=school, school_year=year, name="7c", lowest_grade=7, highest_grade=7)
    p1, f1 = pupil_with_family(school, a)
    p2, f2 = pupil_with_family(school, a)
    p3, f3 = pupil_with_family(school, a, language="ar", interpreter=True)
    p4, _ = pupil_with_family(school, b, family=f2)
    p5, f4 = pupil_with_family(school, b, language="pl")
    round = RoundFactory(school=school, school_year=year)
    conversation(round, p1, a, ConversationStatus.HELD, D(2026, 9, 2), child=True)
    conversation(round, p2, a, ConversationStatus.HELD, D(2026, 10, 1), child=False)
    conversation(round, p3, a, ConversationStatus.BOOKED)
    conversation(round, p4, b, ConversationStatus.NOT_REACHED)
    conversation(round, p5, b, ConversationStatus.TO_PLAN)

    ContactLogFactory(family=f4, pupil=p5, happened_on=D(2026, 9, 10), tone="positive")
    ContactLogFactory(
        family=f2, pupil=p4, happened_on=D(2026, 9, 15), tone="concern", follow_up_on=D(2026, 9, 22)
    )
    plan = CommunicationPlanFactory(family=f1, school_year=year)
    CommunicationPlanFactory(family=f2, school_year=year)
    agreement = AgreementFactory(plan=plan, pupil=p1)
    held = MomentStatus.HELD
    m1 = ContactMoment.objects.create(agreement=agreement, due_on=D(2026, 9, 20), status=held)
    m2 = ContactMoment.objects.create(agreement=agreement, due_on=D(2026, 10, 1), status=held)
    ContactMoment.objects.create(agreement=agreement, due_on=D(2026, 10, 10))
    ContactMoment.objects.create(agreement=agreement, due_on=D(2026, 11, 1))
    ContactLogFactory(family=f1, pupil=p1, moment=m1, happened_on=D(2026, 9, 18), tone="positive")
    ContactLogFactory(family=f1, moment=m2, happened_on=D(2026, 10, 5))

    coffee = ActivityFactory(
        school=school, school_year=year, partnership="informal", starts_at=local(D(2026, 9, 9), 8)
    )
    Attendance.objects.create(invitation=InvitationFactory(activity=coffee, family=f1))
    InvitationFactory(activity=coffee, family=f3)
    ActivityFactory(
        school=school,
        school_year=year,
        partnership="pedagogical",
        kind="information_evening",
        starts_at=local(D(2026, 11, 3), 19),
    )
    partnership_plan = PartnershipPlan.objects.create(school=school, school_year=year)
    for partnership, status in (
        ("pedagogical", GoalStatus.ACHIEVED),
        ("pedagogical", GoalStatus.IN_PROGRESS),
        ("formal", GoalStatus.PLANNED),
    ):
        Goal.objects.create(
            plan=partnership_plan,
            partnership=partnership,
            description="Doel",
            term="short",
            status=status,
        )
    last_year = f.SchoolYearFactory(label="2025-2026", start=D(2025, 8, 1), end=D(2026, 7, 31))
    for held_on, in_year, scores in (
        (D(2026, 3, 10), last_year, {"pedagogical": 2, "informal": 3}),
        (D(2026, 6, 10), last_year, {"pedagogical": 3}),
        (D(2026, 10, 6), year, {"pedagogical": 4, "informal": 5}),
    ):
        evaluation = Evaluation.objects.create(
            school=school, school_year=in_year, quarter=held_on.month // 3 + 1, held_on=held_on
        )
        for partnership, score in scores.items():
            EvaluationScore.objects.create(
                evaluation=evaluation, partnership=partnership, score=score
            )
    assessment = SelfAssessment.objects.create(school=school, school_year=year, framework="ob30")
    for item, score in ((1, 2), (2, 3)):
        SelfAssessmentItem.objects.create(assessment=assessment, item=item, score=score)
    count_reached(school)
    return {"a": a, "b": b, "families": (f1, f2, f3, f4), "last_year": last_year}


def count_reached(school):
    """The factories write contacts, conversations and attendance past the services that keep
    who was reached; count it for the school's families, as the rebuild command would."""
    refresh_reach(families=Family.objects.filter(board=school.board).values("pk"))


def sized_school(school, year, groups, pupils_per_group):
    """A school of any size with every kind of row, for the query-count tests."""
    round = RoundFactory(school=school, school_year=year)
    activity = ActivityFactory(school=school, school_year=year, starts_at=local(D(2026, 9, 9), 8))
    PartnershipPlan.objects.create(school=school, school_year=year)
    for g in range(groups):
        group = f.GroupFactory(school=school, school_year=year, name=f"g{g}")
        for n in range(pupils_per_group):
            pupil, family = pupil_with_family(school, group)
            conversation(round, pupil, group, ConversationStatus.HELD, D(2026, 9, 2), child=True)
            plan = CommunicationPlanFactory(family=family, school_year=year)
            agreement = AgreementFactory(plan=plan, pupil=pupil)
            ContactMoment.objects.create(agreement=agreement, due_on=D(2026, 9, 20 + n % 5))
            ContactLogFactory(family=family, pupil=pupil, tone="positive")
            Attendance.objects.create(
                invitation=InvitationFactory(activity=activity, family=family)
            )
    count_reached(school)
