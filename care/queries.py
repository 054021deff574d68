"""What the care pages read: each a fixed number of queries whatever the data size."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import (
    Avg,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from care.models import (
    CareMeeting,
    ChangesReport,
    ContactArrangement,
    Feedback,
    Incident,
    IncidentKind,
    MeetingAttendee,
    OutsideInvolvement,
    PlanAnswer,
    SupportPlan,
    SupportPlanAnswer,
)
from parents.models import PupilGuardian
from reminders.models import Reminder, Status
from schools.models import School, SchoolYear, StaffMembership


def incidents_of_school(school: School, user: User) -> QuerySet:
    """The school's incidents this user may see, newest first, with the people named on them."""
    return (
        Incident.objects.visible_to(user)
        .filter(school=school)
        .select_related("guardian__family", "staff_member")
    )


def incident_for_page(user: User, pk: int) -> Incident | None:
    return (
        Incident.objects.visible_to(user)
        .select_related(
            "school",
            "guardian__family",
            "staff_member",
            "reported_by",
            "aftercare_by",
            "repair_by",
            "evaluation_by",
        )
        .prefetch_related("readers")
        .filter(pk=pk)
        .first()
    )


def colleagues(school: School) -> QuerySet:
    """The staff of the school (not the board), to choose who follows an incident up."""
    user_ids = StaffMembership.objects.filter(school=school).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids).order_by("first_name", "last_name")


@dataclass(frozen=True)
class IncidentCounts:
    kinds: list  # [(value, label)]
    rows: list  # [(school, [count per kind], total)]


def incident_counts(schools: QuerySet) -> IncidentCounts:
    """Incidents per school and kind: the board's view, without a name. One query for the
    schools, one for the counts."""
    schools = list(schools.order_by("name"))
    counts = Counter(
        {
            (row["school_id"], row["kind"]): row["n"]
            for row in Incident.objects.filter(school__in=schools)
            .values("school_id", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    rows = []
    for school in schools:
        per_kind = [counts[(school.pk, kind)] for kind in IncidentKind.values]
        rows.append((school, per_kind, sum(per_kind)))
    return IncidentCounts(kinds=list(IncidentKind.choices), rows=rows)


def contact_arrangements(family_pk: int, school_ids: set) -> list:
    """The arrangements about this family at the schools of its children the user sees."""
    return list(
        ContactArrangement.objects.filter(family_id=family_pk, school_id__in=school_ids)
        .select_related("school")
        .order_by("school__name")
    )


# --- ideas and complaints -------------------------------------------------------------------------

RECEIVED_RULE = "care.feedback_received"


def _acknowledged_at() -> Subquery:
    """When the acknowledgement went out: the sent outbox row of the receipt rule."""
    sent = Reminder.objects.filter(
        rule=RECEIVED_RULE,
        object_ref=Concat(Value("care.feedback:"), Cast(OuterRef("pk"), CharField())),
        status=Status.SENT,
    )
    return Subquery(sent.values("sent_at")[:1])


def feedback_of_school(school: School, user: User) -> QuerySet:
    return (
        Feedback.objects.visible_to(user)
        .filter(school=school)
        .select_related("guardian", "assigned_to")
        .annotate(acknowledged_at=_acknowledged_at())
    )


def feedback_for_page(user: User, pk: int) -> Feedback | None:
    return (
        Feedback.objects.visible_to(user)
        .select_related("school", "guardian", "assigned_to", "answered_by")
        .annotate(acknowledged_at=_acknowledged_at())
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class FeedbackFigures:
    open: int
    overdue: int
    answered: int
    answered_in_time: int
    average_days: float | None  # calendar days from receipt to answer


def feedback_figures(school: School, year: SchoolYear, today: datetime.date) -> FeedbackFigures:
    """The counts for the school's dashboard: open items, overdue, and how fast the school
    answers (this school year). One query."""
    rows = Feedback.objects.filter(
        school=school, created_at__date__range=(year.start, year.end)
    ).aggregate(
        open=Count("pk", filter=Q(closed_at__isnull=True)),
        overdue=Count("pk", filter=Q(answered_at__isnull=True, answer_due_on__lt=today)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        in_time=Count("pk", filter=Q(answered_at__date__lte=F("answer_due_on"))),
        average=Avg(F("answered_at") - F("created_at")),
    )
    average = rows["average"]
    return FeedbackFigures(
        open=rows["open"],
        overdue=rows["overdue"],
        answered=rows["answered"],
        answered_in_time=rows["in_time"],
        average_days=round(average.total_seconds() / 86400, 1) if average else None,
    )


def guardian_feedback(user: User) -> QuerySet:
    return (
        Feedback.objects.visible_to(user)
        .filter(guardian__user=user)
        .select_related("school")
        .annotate(acknowledged_at=_acknowledged_at())
    )


def published_changes(school_ids: set) -> list:
    """The published reports of these schools, newest first, each with its changes as
    ``changes`` (texts only: no parent is named). Two queries."""
    reports = list(
        ChangesReport.objects.filter(school_id__in=school_ids, published_at__isnull=False)
        .select_related("school", "school_year")
        .order_by("-school_year__start", "school__name")
    )
    if not reports:
        return []
    wanted = {(r.school_id, r.school_year_id) for r in reports}
    years = {r.school_year_id: r.school_year for r in reports}
    rows = (
        Feedback.objects.filter(school_id__in=school_ids)
        .exclude(change_made="")
        .order_by("created_at")
        .values_list("school_id", "created_at", "change_made")
    )
    for report in reports:
        report.changes = []
    by_key = {(r.school_id, r.school_year_id): r for r in reports}
    for school_id, created_at, change in rows:
        day = timezone.localtime(created_at).date()
        for year_id, year in years.items():
            if (school_id, year_id) in wanted and year.start <= day <= year.end:
                by_key[(school_id, year_id)].changes.append(change)
    return reports


def changes_of_year(school: School, year: SchoolYear) -> list:
    return list(
        Feedback.objects.filter(school=school, created_at__date__range=(year.start, year.end))
        .exclude(change_made="")
        .order_by("created_at")
        .values_list("change_made", flat=True)
    )


# --- the support plan (opp) and meetings about a child --------------------------------------------


def deciders(pupil_id: int) -> list:
    """The pupil's guardians who answer to the plan: parental authority, access not blocked."""
    return list(
        PupilGuardian.objects.filter(
            pupil_id=pupil_id, has_parental_authority=True, access_blocked_reason=""
        )
        .select_related("guardian")
        .order_by("guardian__last_name", "guardian__first_name", "pk")
    )


def consent_status(plan: SupportPlan, decider_ids: set) -> str:
    """The plan's status for the school: one disagreement decides, then a missing answer."""
    answers = {answer.guardian_id: answer.answer for answer in plan.answers.all()}
    if PlanAnswer.DISAGREE in answers.values():
        return _("Niet akkoord: gesprek met de ouders")
    if decider_ids - set(answers):
        return _("Wacht op antwoord van de ouders")
    if PlanAnswer.AGREE_WITH_REMARKS in answers.values():
        return _("Akkoord, met opmerkingen")
    return _("Akkoord")


def _with_answers(plans: QuerySet) -> QuerySet:
    return plans.prefetch_related(
        Prefetch(
            "answers",
            queryset=SupportPlanAnswer.objects.order_by("answered_at", "pk").select_related(
                "guardian"
            ),
        )
    )


def plans_of_pupil(pupil_id: int, user: User) -> list:
    """Every version of the pupil's plan the user may see, newest first, each with its answers
    and ``status``. Three queries."""
    plans = list(
        _with_answers(SupportPlan.objects.visible_to(user).filter(pupil_id=pupil_id)).order_by(
            "-recorded_at", "-pk"
        )
    )
    if plans:
        decider_ids = {link.guardian_id for link in deciders(pupil_id)}
        for plan in plans:
            plan.status = consent_status(plan, decider_ids)
    return plans


def plan_for_page(user: User, pk: int) -> SupportPlan | None:
    return (
        _with_answers(SupportPlan.objects.visible_to(user))
        .select_related("school", "pupil", "recorded_by")
        .filter(pk=pk)
        .first()
    )


def is_current_plan(plan: SupportPlan) -> bool:
    newest = SupportPlan.objects.filter(pupil_id=plan.pupil_id).order_by("-recorded_at", "-pk")
    return newest.values_list("pk", flat=True).first() == plan.pk


def _with_attendees(meetings: QuerySet) -> QuerySet:
    return meetings.prefetch_related(
        Prefetch(
            "attendees",
            queryset=MeetingAttendee.objects.select_related("brought_by").order_by("pk"),
        )
    )


def meetings_of_pupil(pupil_id: int, user: User) -> list:
    return list(_with_attendees(CareMeeting.objects.visible_to(user).filter(pupil_id=pupil_id)))


def meeting_for_page(user: User, pk: int) -> CareMeeting | None:
    return (
        _with_attendees(CareMeeting.objects.visible_to(user))
        .select_related("school", "pupil", "support_plan")
        .filter(pk=pk)
        .first()
    )


def meetings_to_plan(school: School, user: User) -> list:
    """The meetings of the school without a date (parents who disagreed with a plan wait for
    one), oldest first, for the IB'er's home. One query."""
    return list(
        CareMeeting.objects.visible_to(user)
        .filter(school=school, starts_at__isnull=True)
        .select_related("pupil")
        .order_by("created_at", "pk")
    )


def involvements_of_pupil(pupil_id: int, user: User) -> list:
    return list(
        OutsideInvolvement.objects.visible_to(user)
        .filter(pupil_id=pupil_id)
        .select_related("recorded_by")
    )


def outside_help_told(user: User) -> list[OutsideInvolvement]:
    """For the portal home: the outside help the school told this parent about, for each of
    their own children still at school, the newest first. Only the fields the parents were
    told; never the meldcode exception. One query."""
    return list(
        OutsideInvolvement.objects.told_to(user)
        .filter(pupil__left_on__isnull=True)
        .select_related("pupil")
        .only("service", "what", "recorded_at", "pupil__first_name", "pupil__school_id")
        .order_by("pupil__first_name", "pupil_id", "-recorded_at", "-pk")
    )


def guardian_care_items(user: User, guardian_pk: int) -> tuple[list, list]:
    """For the portal home: the current plans this guardian has not answered yet, and the
    meetings still to come. Two queries."""

    from care.models import SupportPlanAnswer

    newer = SupportPlan.objects.filter(
        pupil_id=OuterRef("pupil_id"), recorded_at__gt=OuterRef("recorded_at")
    )
    answered = SupportPlanAnswer.objects.filter(plan=OuterRef("pk"), guardian_id=guardian_pk)
    plans = list(
        SupportPlan.objects.visible_to(user)
        .filter(~Exists(newer), ~Exists(answered))
        .select_related("pupil")
        .order_by("pk")
    )
    meetings = list(
        CareMeeting.objects.visible_to(user)
        .filter(starts_at__gt=timezone.now())
        .select_related("pupil")
        .order_by("starts_at")
    )
    return plans, meetings
