"""Dashboard queries at two sizes of a board: the school and the board dashboard must run the same
number of queries at 5 and at 50 schools.

The data is generated with a fixed random seed inside a transaction that is rolled back: the
database is left as it was. This first slice builds small schools (3 groups of 8 pupils); the
full 50-school / 15,000-pupil generator and the time ratio against hand-written SQL come later.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conversations.models import ConversationStatus, Round, StartConversation
from parents.models import (
    Agreement,
    CommunicationPlan,
    ContactLog,
    ContactMoment,
    Family,
    Guardian,
    PupilGuardian,
)
from partnership import dashboard
from partnership.models import Activity, Attendance, Goal, Invitation, PartnershipPlan
from schools.models import Board, Enrolment, Group, Pupil, School, SchoolYear

SEED = 20261015
GROUPS = 3
PUPILS_PER_GROUP = 8
TONES = ["positive", "positive", "neutral"]
PARTNERSHIPS = ["pedagogical", "didactic", "formal", "informal", "societal"]


class _Rollback(Exception):
    pass


def _add_school(board, year, user, rng, number):
    school = School.objects.create(
        board=board,
        name=f"Bench school {number:02d}",
        brin=f"{number:02d}XX",
        location_code="00",
        sector="PO",
        city="Den Haag",
        holiday_region="midden",
    )
    groups = Group.objects.bulk_create(
        Group(
            school=school,
            school_year=year,
            name=str(g + 1),
            lowest_grade=g + 1,
            highest_grade=g + 1,
        )
        for g in range(GROUPS)
    )
    pupils = Pupil.objects.bulk_create(
        Pupil(
            school=school,
            pupil_number=str(10000 + i),
            first_name=f"Kind{i}",
            last_name="Bench",
            date_of_birth=datetime.date(2018, 1, 1),
        )
        for i in range(GROUPS * PUPILS_PER_GROUP)
    )
    group_of = {p.pk: groups[i % GROUPS] for i, p in enumerate(pupils)}
    Enrolment.objects.bulk_create(
        Enrolment(pupil=p, group=group_of[p.pk], school_year=year) for p in pupils
    )
    families = Family.objects.bulk_create(
        Family(board=board, name=f"Gezin {number}-{i}") for i in range(len(pupils))
    )
    guardians = Guardian.objects.bulk_create(
        Guardian(family=fam, first_name="Ouder", last_name="Bench", phone="0612345678")
        for fam in families
    )
    PupilGuardian.objects.bulk_create(
        PupilGuardian(pupil=p, guardian=g, relation="mother")
        for p, g in zip(pupils, guardians, strict=True)
    )
    round = Round.objects.create(
        school=school,
        school_year=year,
        window_start=datetime.date(2026, 8, 31),
        window_end=datetime.date(2026, 9, 18),
        created_by=user,
    )
    conversations = []
    for p in pupils:
        status = rng.choice(ConversationStatus.values)
        held = status == ConversationStatus.HELD
        conversations.append(
            StartConversation(
                round=round,
                pupil=p,
                school_year=year,
                group=group_of[p.pk],
                status=status,
                held_at=timezone.make_aware(datetime.datetime(2026, 9, rng.randint(1, 30), 14))
                if held
                else None,
                child_present=True if held else None,
            )
        )
    StartConversation.objects.bulk_create(conversations)
    plans = CommunicationPlan.objects.bulk_create(
        CommunicationPlan(family=fam, school_year=year, agreed_on=datetime.date(2026, 9, 20))
        for fam in families
        if rng.random() < 0.6
    )
    family_pupil = {g.family_id: p for p, g in zip(pupils, guardians, strict=True)}
    agreements = Agreement.objects.bulk_create(
        Agreement(
            plan=plan,
            what="Bellen",
            pupil=family_pupil[plan.family_id],
            channel="phone",
            responsible=user,
            schedule="once",
            on_date=datetime.date(2026, 10, 1),
        )
        for plan in plans
    )
    ContactMoment.objects.bulk_create(
        ContactMoment(
            agreement=a,
            due_on=datetime.date(2026, 10, rng.randint(1, 28)),
            status=rng.choice(["planned", "held"]),
        )
        for a in agreements
    )
    ContactLog.objects.bulk_create(
        ContactLog(
            family=fam,
            pupil=family_pupil[fam.pk],
            by=user,
            happened_on=datetime.date(2026, 9, rng.randint(1, 30)),
            channel="phone",
            tone=rng.choice(TONES),
        )
        for fam in families
        if rng.random() < 0.5
    )
    activities = Activity.objects.bulk_create(
        Activity(
            school=school,
            school_year=year,
            kind="coffee_morning",
            partnership=partnership,
            title=f"Activiteit {partnership}",
            starts_at=timezone.make_aware(datetime.datetime(2026, 9, 9, 8)),
            ends_at=timezone.make_aware(datetime.datetime(2026, 9, 9, 9)),
        )
        for partnership in PARTNERSHIPS
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(activity=rng.choice(activities), family=fam) for fam in families
    )
    Attendance.objects.bulk_create(
        Attendance(invitation=inv) for inv in invitations if rng.random() < 0.4
    )
    plan = PartnershipPlan.objects.create(school=school, school_year=year)
    Goal.objects.bulk_create(
        Goal(plan=plan, partnership=p, description="Doel", term="short") for p in PARTNERSHIPS
    )
    return school


def _queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def run():
    rng = random.Random(SEED)
    figures = {}
    try:
        with transaction.atomic():
            year = SchoolYear.objects.filter(
                label="2026-2027"
            ).first() or SchoolYear.objects.create(
                label="2026-2027", start=datetime.date(2026, 8, 1), end=datetime.date(2027, 7, 31)
            )
            user = get_user_model().objects.create_user(
                username="bench-dashboard@bench.test", email="bench-dashboard@bench.test"
            )
            board = Board.objects.create(name="Bench bestuur")
            first = None
            for size in (5, 50):
                while School.objects.filter(board=board).count() < size:
                    number = School.objects.filter(board=board).count() + 1
                    school = _add_school(board, year, user, rng, number)
                    first = first or school
                figures[size] = (
                    _queries(lambda s=first: dashboard.school_dashboard(s, year, user)),
                    _queries(lambda: dashboard.board_dashboard(board, year, user)),
                )
            raise _Rollback
    except _Rollback:
        pass
    yield (
        "school_dashboard_queries",
        f"{figures[5][0]} at 5 schools, {figures[50][0]} at 50 schools",
    )
    yield (
        "board_dashboard_queries",
        f"{figures[5][1]} at 5 schools, {figures[50][1]} at 50 schools",
    )
