"""What the partnership pages, the dashboard and the reminder rules read."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from parents.models import Family, Guardian, PupilGuardian, children_prefetch
from partnership.models import (
    RSVP,
    Activity,
    Attendance,
    Invitation,
    Partnership,
    SelfAssessmentItem,
    TopicSuggestion,
)
from partnership.reception_queries import is_new_family
from schools.models import Enrolment

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from care.queries import FeedbackFigures
    from parents.models import FamilyQuerySet
    from partnership.models import PartnershipPlan
    from schools.models import Group, School, SchoolYear


def school_families(school: School) -> FamilyQuerySet:
    """Families with a guardian of a present pupil of ``school``: who the school can invite."""
    # A semi-join on ids, not DISTINCT over a three-table join: the planner keeps it cheap at
    # every size, also before the database has statistics on freshly imported rows.
    links = PupilGuardian.objects.filter(pupil__school=school, pupil__left_on__isnull=True)
    return Family.objects.filter(pk__in=links.values("guardian__family_id"))


def families_of_groups(groups: Iterable[Group] | QuerySet[Group]) -> FamilyQuerySet:
    """Families of the present pupils enrolled in ``groups``."""
    pupils = Enrolment.objects.filter(group__in=groups, pupil__left_on__isnull=True)
    links = PupilGuardian.objects.filter(pupil__in=pupils.values("pupil_id"))
    return Family.objects.filter(pk__in=links.values("guardian__family_id"))


def partnership_counts(school: School, school_year: SchoolYear) -> list[dict[str, Any]]:
    """Per partnership: activities planned, held (someone came) and families reached this year.

    Returns a list of dicts in the order of the five partnerships; three queries.
    """
    activities = Activity.objects.filter(school=school, school_year=school_year)
    planned = dict(activities.values_list("partnership").annotate(n=Count("pk")).order_by())
    attended = Attendance.objects.filter(invitation__activity__in=activities)
    held = dict(
        attended.values_list("invitation__activity__partnership")
        .annotate(n=Count("invitation__activity", distinct=True))
        .order_by()
    )
    reached = dict(
        attended.values_list("invitation__activity__partnership")
        .annotate(n=Count("invitation__family", distinct=True))
        .order_by()
    )
    return [
        {
            "partnership": value,
            "label": label,
            "planned": planned.get(value, 0),
            "held": held.get(value, 0),
            "families_reached": reached.get(value, 0),
        }
        for value, label in Partnership.choices
    ]


def activities_for_list(
    school: School, school_year: SchoolYear, partnership: str = ""
) -> QuerySet[Activity]:
    """The year's activities of a school with their invitation and attendance counts."""
    activities = (
        Activity.objects.filter(school=school, school_year=school_year)
        .annotate(
            invited=Count("invitations", distinct=True),
            attending=Count("invitations__attendance", distinct=True),
        )
        .select_related("series")
        .order_by("starts_at")
    )
    if partnership:
        activities = activities.filter(partnership=partnership)
    return activities


def door_list(activity: Activity, user: User, search: str = "") -> QuerySet[Invitation]:
    """Invitations of an activity for the door: family name and the children ``user`` may see,
    whether they came, the RSVP, and whether the family is new at the school."""
    invitations = (
        activity.invitations.select_related("family", "attendance")
        .prefetch_related(children_prefetch(user, through="family"))
        .annotate(came=Exists(Attendance.objects.filter(invitation=OuterRef("pk"))))
        .annotate(is_new_family=is_new_family())
        .order_by("-came", "family__name")
    )
    if search:
        invitations = invitations.filter(family__name__icontains=search)
    return invitations


def families_to_add(activity: Activity, user: User, search: str) -> FamilyQuerySet:
    """Families of the school, not yet invited, whose name matches: the walk-ins at the door,
    each with the children ``user`` may see."""
    if len(search) < 2:
        return Family.objects.none()
    return (
        school_families(activity.school)
        .with_children(user)
        .filter(
            Q(name__icontains=search)
            | Q(guardians__last_name__icontains=search)
            | Q(guardians__first_name__icontains=search)
        )
        .exclude(pk__in=activity.invitations.values("family_id"))
        .distinct()
        .order_by("name")[:10]
    )


def guardian_invitations(user: User, now: datetime.datetime | None = None) -> QuerySet[Invitation]:
    """A guardian's invitations to coming activities, soonest first."""
    now = now or timezone.now()
    return (
        Invitation.objects.for_guardian(user)
        .filter(activity__ends_at__gte=now)
        .select_related("activity", "activity__school")
        .order_by("activity__starts_at")
    )


def topics_for_review(school: School) -> QuerySet[TopicSuggestion]:
    return (
        TopicSuggestion.objects.filter(school=school)
        .select_related("suggested_by", "entered_by", "activity")
        .order_by("status", "-created_at")
    )


_WORD = re.compile(r"\w+", re.UNICODE)
# Parts of surnames that are ordinary words too ("de moeder van ..."), never a name on their own.
NAME_PARTICLES = frozenset({"van", "der", "den", "het", "ter", "ten", "de", "el", "al", "la", "le"})


def names_in_text(school: School, text: str) -> list[str]:
    """Names of the school's guardians and pupils that occur as words in ``text``.

    A topic like "de moeder van Kerem schreeuwt" must never reach other parents; the review shows
    the ouder-coördinator which words look like names.
    """
    words = {w for w in _WORD.findall(text.lower()) if len(w) >= 3}
    if not words:
        return []
    # Anonymised pupils (retention) carry placeholder names such as "Leerling": not names.
    pupils = school.pupils.filter(anonymisation__isnull=True)
    guardians = Guardian.objects.filter(pupil_links__pupil__in=pupils).values_list(
        "first_name", "last_name"
    )
    pupils = pupils.values_list("first_name", "last_name")
    names = set()
    for first, last in [*guardians, *pupils]:
        for name in (first, last):
            for part in _WORD.findall((name or "").lower()):
                if len(part) >= 3 and part in words and part not in NAME_PARTICLES:
                    names.add(part)
    return sorted(names)


def self_assessment_trend(school: School, framework: str) -> dict[int, list[tuple[str, int]]]:
    """Per item the score of each year: {item: [(year label, score), ...]} oldest first."""
    items = (
        SelfAssessmentItem.objects.filter(
            assessment__school=school, assessment__framework=framework
        )
        .select_related("assessment__school_year")
        .order_by("assessment__school_year__start", "item")
    )
    trend = {}
    for item in items:
        trend.setdefault(item.item, []).append((item.assessment.school_year.label, item.score))
    return trend


# --- What the activity reminders ask (partnership/reminder_rules.py) ----------------------------
# One-off activities are announced well ahead, then a week and a day before. A weekly series (the
# coffee morning) gets one reminder, the day before each week: more would drown it out.
ACTIVITY_REMINDER_DAYS = (21, 7, 1)
SERIES_REMINDER_DAYS = (1,)


def _invitations_starting_on(day: datetime.date) -> QuerySet[Invitation]:
    return (
        Invitation.objects.exclude(rsvp=RSVP.NO)
        .filter(activity__starts_at__date=day)
        .select_related("activity", "activity__school", "family")
        .prefetch_related("family__guardians")
        .order_by("activity__starts_at", "pk")
    )


def activity_invitations_due(*, on_day: datetime.date, days_before: int) -> QuerySet[Invitation]:
    """Invitations (not declined) to one-off activities that start ``days_before`` days after
    ``on_day``. The dedupe key of a reminder: (rule, invitation id, guardian id, days_before)."""
    day = on_day + datetime.timedelta(days=days_before)
    return _invitations_starting_on(day).filter(activity__series__isnull=True)


def series_invitations_due(*, on_day: datetime.date, days_before: int = 1) -> QuerySet[Invitation]:
    """Invitations (not declined) to the weeks of a series that start ``days_before`` days after
    ``on_day``: the weekly coffee-morning reminder."""
    day = on_day + datetime.timedelta(days=days_before)
    return _invitations_starting_on(day).filter(activity__series__isnull=False)


def rsvp_counts(activity: Activity) -> dict[str, int]:
    """How many families answered what, and how many came: {rsvp: n, "came": n}."""
    counts = dict(activity.invitations.values_list("rsvp").annotate(n=Count("pk")).order_by())
    counts["came"] = Attendance.objects.filter(invitation__activity=activity).count()
    counts["total"] = sum(v for k, v in counts.items() if k != "came")
    return counts


def plan_sections(plan: PartnershipPlan | None) -> list[dict[str, Any]]:
    """Per partnership: the area (or None) and the goals with the activities that serve them."""
    if plan is None:
        return [
            {"partnership": v, "label": lbl, "area": None, "goals": []}
            for v, lbl in Partnership.choices
        ]
    areas = {area.partnership: area for area in plan.areas.all()}
    goals = plan.goals.select_related("owner").prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("starts_at"))
    )
    by_partnership = {}
    for goal in goals:
        by_partnership.setdefault(goal.partnership, []).append(goal)
    return [
        {
            "partnership": value,
            "label": label,
            "area": areas.get(value),
            "goals": by_partnership.get(value, []),
        }
        for value, label in Partnership.choices
    ]


def self_assessment_trend_rows(school: School, framework: str) -> dict[str, Any]:
    """Rows for the trend table: (item number, item text, [score per year]), and the years."""
    from partnership.models import FRAMEWORK_ITEMS

    trend = self_assessment_trend(school, framework)
    years = sorted({label for scores in trend.values() for label, _score in scores})
    rows = []
    for number, text in FRAMEWORK_ITEMS[framework].items():
        scores = dict(trend.get(number, []))
        rows.append((number, text, [scores.get(year) for year in years]))
    return {"years": years, "rows": rows}


# The criterion about parents' ideas and complaints, in each list: scored beside the school's
# figures of them, so that the team scores on facts rather than on memory.
IDEAS_AND_COMPLAINTS_ITEM = 8


def self_assessment_facts(
    school: School, school_year: SchoolYear, today: datetime.date
) -> dict[int, FeedbackFigures]:
    """Figures kept elsewhere in the product, by the item of the list they are facts for (the
    same number in both lists). Counts only, no names. One query."""
    from care.queries import feedback_figures

    return {IDEAS_AND_COMPLAINTS_ITEM: feedback_figures(school, school_year, today)}


def self_assessment_initial(
    school: School, school_year: SchoolYear, framework: str
) -> dict[str, Any]:
    """The form's starting values: this year's scores, or last time's as a starting point."""
    items = SelfAssessmentItem.objects.filter(
        assessment__school=school,
        assessment__framework=framework,
        assessment__school_year__start__lte=school_year.start,
    ).order_by("assessment__school_year__start")
    initial = {}
    for item in items:
        initial[f"score_{item.item}"] = item.score
        initial[f"evidence_{item.item}"] = item.evidence
    return initial


def topics_for_parents(user: User) -> QuerySet[TopicSuggestion]:
    """Reviewed topics of the schools where the guardian sees a child; never who suggested them."""
    from schools import permissions
    from schools.models import School

    schools = School.objects.filter(pupils__in=permissions.visible_pupil_ids(user))
    return (
        TopicSuggestion.objects.shown_to_parents()
        .filter(school__in=schools)
        .select_related("activity")
        .order_by("-created_at")[:20]
    )


def reach_rows(families: Iterable[Any]) -> QuerySet[Attendance, tuple[Any, ...]]:
    """Attendance at an activity reaches the family at the activity's school (a source of
    ``parents.reach``): (family id, school id, school year id) rows."""
    return (
        Attendance.objects.filter(invitation__family__in=families)
        .values_list(
            "invitation__family",
            "invitation__activity__school",
            "invitation__activity__school_year",
        )
        .distinct()
        .order_by()
    )


def year_invitations(school_ids: Iterable[int], year: SchoolYear) -> QuerySet[Invitation]:
    """Invitations to activities of ``school_ids`` in ``year``, each with its activity and
    ``came`` (attendance registered), soonest first: what a family was invited to."""
    return (
        Invitation.objects.filter(activity__school__in=school_ids, activity__school_year=year)
        .select_related("activity")
        .annotate(came=Exists(Attendance.objects.filter(invitation=OuterRef("pk"))))
        .order_by("activity__starts_at", "pk")
    )
