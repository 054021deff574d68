"""State changes of the partnership domain. Each is one transaction and says no in Dutch."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from zeal import zeal_ignore

from parents.reach import refresh_reach
from partnership import queries
from partnership.holidays_check import calendar_warnings, wording_warnings
from partnership.models import (
    FRAMEWORK_ITEMS,
    RSVP,
    Activity,
    ActivitySeries,
    Attendance,
    Audience,
    BuddyPair,
    Evaluation,
    EvaluationScore,
    Goal,
    Invitation,
    KeyFigure,
    PartnershipArea,
    PartnershipPlan,
    SelfAssessment,
    SelfAssessmentItem,
    TopicStatus,
    TopicSuggestion,
)
from schools.calendar import SchoolCalendar
from schools.models import SchoolYear

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from parents.models import Family, Guardian
    from schools.models import Group, School


class PartnershipError(Exception):
    """A rule of the partnership domain said no; the message is for the user."""


# --- Activities ----------------------------------------------------------------------------------


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise PartnershipError(_("Een activiteit moet eindigen na het begin."))


def _audience_families(
    school: School, audience: str, groups: Iterable[Group], families: Iterable[Family]
) -> list[Family]:
    if audience == Audience.WHOLE_SCHOOL:
        return list(queries.school_families(school))
    if audience == Audience.GROUPS:
        if not groups:
            raise PartnershipError(_("Kies de groepen die u uitnodigt."))
        if any(group.school_id != school.pk for group in groups):
            raise PartnershipError(_("Deze groep hoort niet bij deze school."))
        return list(queries.families_of_groups(groups))
    own = set(queries.school_families(school).values_list("pk", flat=True))
    if any(family.pk not in own for family in families):
        raise PartnershipError(_("Dit gezin hoort niet bij deze school."))
    return list(families)


NEW_ACTIVITY_LINKS = [
    {"model": "partnership.Activity", "field": "groups"},
    {"model": "partnership.Activity", "field": "goals"},
]


def _create_activity(
    *,
    school: School,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    groups: Iterable[Group],
    families: Iterable[Family],
    goals: Iterable[Goal],
    series: ActivitySeries | None,
    fields: dict[str, Any],
) -> Activity:
    activity = Activity.objects.create(
        school=school,
        school_year=SchoolYear.for_date(timezone.localtime(starts_at).date()),
        series=series,
        starts_at=starts_at,
        ends_at=ends_at,
        **fields,
    )
    # A series or a round of receptions makes several activities, each linked to its groups and
    # goals as it is made: writes per new activity, not reads per row of a list.
    with zeal_ignore(NEW_ACTIVITY_LINKS):
        activity.groups.set(groups)
        activity.goals.set(goals)
    Invitation.objects.bulk_create(
        Invitation(activity=activity, family=family) for family in families
    )
    return activity


@transaction.atomic
def plan_activity(
    *,
    school: School,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    groups: Iterable[Group] = (),
    families: Iterable[Family] = (),
    goals: Iterable[Goal] = (),
    by: User | None = None,
    **fields: Any,
) -> tuple[Activity, list[str]]:
    """Plan one activity and invite its audience. Returns (activity, warnings for the planner).

    ``fields``: kind, partnership, title, description, place, audience, organiser, partners,
    interpreter_languages, evening_option. Warnings never block: the school decides.
    """
    _check_times(starts_at, ends_at)
    audience = fields.get("audience", Audience.WHOLE_SCHOOL)
    invited = _audience_families(school, audience, groups, families)
    fields.setdefault("organiser", by)
    activity = _create_activity(
        school=school,
        starts_at=starts_at,
        ends_at=ends_at,
        groups=groups,
        families=invited,
        goals=goals,
        series=None,
        fields=fields,
    )
    return activity, activity.calendar_warnings()


@transaction.atomic
def plan_weekly_series(
    *,
    school: School,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    until: datetime.date,
    groups: Iterable[Group] = (),
    families: Iterable[Family] = (),
    goals: Iterable[Goal] = (),
    by: User | None = None,
    **fields: Any,
) -> tuple[ActivitySeries, Sequence[tuple[Activity | None, str]]]:
    """Plan an activity every week from ``starts_at`` up to and including the date ``until``.

    A series must end inside the school year it starts in; weeks that fall in a school holiday
    (or a day the school is closed) are skipped. Returns (series, warnings): each warning names
    the date it is about, so that the planner can move that one occurrence.
    """
    _check_times(starts_at, ends_at)
    first_date = timezone.localtime(starts_at).date()
    if until is None:
        raise PartnershipError(_("Een wekelijkse reeks heeft een einddatum nodig."))
    school_year = SchoolYear.for_date(first_date)
    if until < first_date:
        raise PartnershipError(_("De einddatum ligt voor de eerste keer."))
    if until > school_year.end:
        raise PartnershipError(
            _("Een reeks eindigt in hetzelfde schooljaar: uiterlijk op %(end)s.")
            % {"end": school_year.end.strftime("%d-%m-%Y")}
        )
    audience = fields.get("audience", Audience.WHOLE_SCHOOL)
    invited = _audience_families(school, audience, groups, families)
    fields.setdefault("organiser", by)
    calendar = SchoolCalendar.build(school, school_year)
    series = ActivitySeries.objects.create(
        school=school, title=fields.get("title", ""), first_date=first_date, until=until
    )
    warnings, skipped = [], []
    week = datetime.timedelta(weeks=1)
    start, end = starts_at, ends_at
    while timezone.localtime(start).date() <= until:
        day = timezone.localtime(start).date()
        if not calendar.is_school_day(day):
            skipped.append(day.isoformat())
        else:
            activity = _create_activity(
                school=school,
                starts_at=start,
                ends_at=end,
                groups=groups,
                families=invited,
                goals=goals,
                series=series,
                fields=fields,
            )
            warnings += [
                (activity, text) for text in calendar_warnings(activity.starts_at, activity.ends_at)
            ]
        start, end = _same_local_time_next_week(start, week), _same_local_time_next_week(end, week)
    if not series.activities.exists():
        raise PartnershipError(_("Alle weken van deze reeks vallen in een schoolvakantie."))
    series.skipped_dates = skipped
    series.save(update_fields=["skipped_dates"])
    text_warnings = wording_warnings(fields.get("title", ""), fields.get("description", ""))
    return series, [(None, text) for text in text_warnings] + warnings


def _same_local_time_next_week(
    moment: datetime.datetime, week: datetime.timedelta
) -> datetime.datetime:
    """A week later at the same wall-clock time, also across a change to or from summer time."""
    naive = timezone.localtime(moment).replace(tzinfo=None) + week
    return timezone.make_aware(naive)


@transaction.atomic
def move_activity(
    *,
    activity: Activity,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str | None = None,
) -> list[str]:
    """Move one activity (one week of a series) to another time; returns the new warnings."""
    _check_times(starts_at, ends_at)
    year = SchoolYear.for_date(timezone.localtime(starts_at).date())
    if year.pk != activity.school_year_id:
        raise PartnershipError(_("Een activiteit blijft in hetzelfde schooljaar."))
    activity.starts_at, activity.ends_at = starts_at, ends_at
    if place is not None:
        activity.place = place
    activity.save(update_fields=["starts_at", "ends_at", "place"])
    return activity.calendar_warnings()


@transaction.atomic
def answer_invitation(*, invitation: Invitation, guardian: Guardian, rsvp: str) -> Invitation:
    """A guardian answers for the household."""
    if guardian.family_id != invitation.family_id:
        raise PartnershipError(_("Deze uitnodiging is niet voor uw gezin."))
    if rsvp not in RSVP.values or rsvp == RSVP.INVITED:
        raise PartnershipError(_("Kies: ik kom, ik kom niet of misschien."))
    if invitation.activity.is_past:
        raise PartnershipError(_("Deze activiteit is al voorbij."))
    invitation.rsvp = rsvp
    invitation.answered_at = timezone.now()
    invitation.answered_by = guardian
    invitation.save(update_fields=["rsvp", "answered_at", "answered_by"])
    return invitation


@transaction.atomic
def register_attendance(*, activity: Activity, family: Family, by: User) -> Attendance:
    """Mark an invited family as present. Registering twice changes nothing."""
    invitation = (
        Invitation.objects.select_for_update().filter(activity=activity, family=family).first()
    )
    if invitation is None:
        raise PartnershipError(
            _("Dit gezin is niet uitgenodigd. Voeg het gezin eerst toe aan de lijst.")
        )
    attendance, _created = Attendance.objects.get_or_create(
        invitation=invitation, defaults={"registered_by": by}
    )
    refresh_reach(families=[family])
    return attendance


@transaction.atomic
def unregister_attendance(*, activity: Activity, family: Family) -> None:
    """Undo a tap at the door."""
    Attendance.objects.filter(invitation__activity=activity, invitation__family=family).delete()
    refresh_reach(families=[family])


@transaction.atomic
def add_walk_in(*, activity: Activity, family: Family, by: User) -> Attendance:
    """A family of the school came without an invitation: invite it on the spot and mark it."""
    if not queries.school_families(activity.school).filter(pk=family.pk).exists():
        raise PartnershipError(_("Dit gezin hoort niet bij deze school."))
    invitation, _created = Invitation.objects.get_or_create(
        activity=activity, family=family, defaults={"walk_in": True}
    )
    return register_attendance(activity=activity, family=family, by=by)


# --- Topics --------------------------------------------------------------------------------------


@transaction.atomic
def suggest_topic(
    *, school: School, text: str, guardian: Guardian | None = None, entered_by: User | None = None
) -> TopicSuggestion:
    """A topic for a coffee morning, from a parent in the portal or entered by the school.

    It stays invisible to other parents until the ouder-coördinator approves it.
    """
    text = (text or "").strip()
    if not text:
        raise PartnershipError(_("Schrijf een onderwerp."))
    if guardian is None and entered_by is None:
        raise PartnershipError(_("Van wie komt dit onderwerp?"))
    return TopicSuggestion.objects.create(
        school=school, text=text[:300], suggested_by=guardian, entered_by=entered_by
    )


@transaction.atomic
def review_topic(
    *, topic: TopicSuggestion, status: str, text: str | None = None
) -> TopicSuggestion:
    """Approve a topic for parents to see, keep it for the school only, or rewrite it first.

    A topic that names a parent or child of the school is never shown to other parents.
    """
    if text is not None:
        text = text.strip()
        if not text:
            raise PartnershipError(_("Schrijf een onderwerp."))
        topic.text = text[:300]
    if status in (TopicStatus.APPROVED, TopicStatus.DISCUSSED):
        names = queries.names_in_text(topic.school, topic.text)
        if names:
            raise PartnershipError(
                _(
                    "Dit onderwerp noemt een naam (%(names)s). Schrijf het zonder namen, "
                    "of houd het alleen voor de school."
                )
                % {"names": ", ".join(names)}
            )
    topic.status = status
    topic.save(update_fields=["text", "status"])
    return topic


@transaction.atomic
def choose_topic(*, topic: TopicSuggestion, activity: Activity) -> TopicSuggestion:
    """Put a topic on the agenda of a coffee morning of the same school."""
    if topic.school_id != activity.school_id:
        raise PartnershipError(_("Dit onderwerp hoort bij een andere school."))
    if topic.status == TopicStatus.NEW:
        # Taking a topic is reviewing it: the same rule about names applies.
        review_topic(topic=topic, status=TopicStatus.APPROVED)
    topic.activity = activity
    topic.save(update_fields=["activity"])
    return topic


@transaction.atomic
def record_topic(*, topic: TopicSuggestion, discussed: str, school_action: str) -> TopicSuggestion:
    """What was discussed, and what the school does with it."""
    if topic.activity_id is None:
        raise PartnershipError(_("Kies eerst een koffieochtend voor dit onderwerp."))
    topic.discussed = discussed.strip()
    topic.school_action = school_action.strip()
    topic.save(update_fields=["discussed", "school_action"])
    if topic.status == TopicStatus.APPROVED:
        review_topic(topic=topic, status=TopicStatus.DISCUSSED)
    return topic


# --- Plan, goals, evaluations ----------------------------------------------------------------------


@transaction.atomic
def save_plan(*, school: School, school_year: SchoolYear, **fields: Any) -> PartnershipPlan:
    """Create or update the school's partnership plan for a year, with its five partnerships."""
    plan, _created = PartnershipPlan.objects.get_or_create(school=school, school_year=school_year)
    if plan.is_closed:
        raise PartnershipError(_("Het plan van dit schooljaar is afgesloten."))
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    return plan


@transaction.atomic
def save_area(
    *, plan: PartnershipPlan, partnership: str, current_state: str, ambition: str
) -> PartnershipArea:
    if plan.is_closed:
        raise PartnershipError(_("Het plan van dit schooljaar is afgesloten."))
    area, _created = PartnershipArea.objects.update_or_create(
        plan=plan,
        partnership=partnership,
        defaults={"current_state": current_state, "ambition": ambition},
    )
    return area


@transaction.atomic
def add_goal(
    *,
    plan: PartnershipPlan,
    partnership: str,
    description: str,
    term: str,
    owner: User | None = None,
    status: str = "planned",
) -> Goal:
    if plan.is_closed:
        raise PartnershipError(_("Het plan van dit schooljaar is afgesloten."))
    return Goal.objects.create(
        plan=plan,
        partnership=partnership,
        description=description,
        term=term,
        owner=owner,
        status=status,
    )


@transaction.atomic
def close_plan(*, plan: PartnershipPlan, on: datetime.date | None = None) -> PartnershipPlan:
    """Close a finished year: its evaluations are then final."""
    on = on or timezone.localdate()
    if plan.school_year.end >= on:
        raise PartnershipError(_("Een schooljaar sluit u af als het voorbij is."))
    plan.closed_on = on
    plan.save(update_fields=["closed_on"])
    return plan


def _refuse_closed_year(school: School, school_year: SchoolYear) -> None:
    plan = PartnershipPlan.objects.filter(school=school, school_year=school_year).first()
    if plan is not None and plan.is_closed:
        raise PartnershipError(
            _("Schooljaar %(year)s is afgesloten: daar komt geen evaluatie meer bij.")
            % {"year": school_year.label}
        )


@transaction.atomic
def record_evaluation(
    *,
    school: School,
    school_year: SchoolYear,
    quarter: int,
    held_on: datetime.date,
    scores: dict[str, tuple[int, str]],
    **fields: Any,
) -> Evaluation:
    """The quarterly evaluation; ``scores`` maps a partnership to (score 1-5, notes)."""
    _refuse_closed_year(school, school_year)
    if not 1 <= quarter <= 4:
        raise PartnershipError(_("Een kwartaal is 1, 2, 3 of 4."))
    if Evaluation.objects.filter(school=school, school_year=school_year, quarter=quarter).exists():
        raise PartnershipError(_("Dit kwartaal is al geëvalueerd."))
    if any(not 1 <= score <= 5 for score, _notes in scores.values()):
        raise PartnershipError(_("Een cijfer is 1 tot en met 5."))
    evaluation = Evaluation.objects.create(
        school=school, school_year=school_year, quarter=quarter, held_on=held_on, **fields
    )
    EvaluationScore.objects.bulk_create(
        EvaluationScore(evaluation=evaluation, partnership=p, score=score, notes=notes)
        for p, (score, notes) in scores.items()
    )
    return evaluation


@transaction.atomic
def record_self_assessment(
    *,
    school: School,
    school_year: SchoolYear,
    framework: str,
    scores: dict[int, tuple[int, str]],
    on: datetime.date | None = None,
) -> SelfAssessment:
    """Score each item of the checklist (8) or the OB 3.0 criteria (10): {item: (1-4, evidence)}."""
    _refuse_closed_year(school, school_year)
    items = FRAMEWORK_ITEMS[framework]
    if set(scores) - set(items):
        raise PartnershipError(_("Dit onderdeel staat niet op de lijst."))
    if any(not 1 <= score <= 4 for score, _evidence in scores.values()):
        raise PartnershipError(_("Een score is 1 tot en met 4."))
    assessment, _created = SelfAssessment.objects.update_or_create(
        school=school,
        school_year=school_year,
        framework=framework,
        defaults={"assessed_on": on or timezone.localdate()},
    )
    assessment.items.all().delete()
    SelfAssessmentItem.objects.bulk_create(
        SelfAssessmentItem(assessment=assessment, item=item, score=score, evidence=evidence)
        for item, (score, evidence) in sorted(scores.items())
    )
    return assessment


# --- Buddies and key figures ----------------------------------------------------------------------


def _refuse_foreign_guardian(school: School, *guardians: Guardian) -> None:
    own = set(
        school.pupils.filter(left_on__isnull=True).values_list(
            "guardian_links__guardian_id", flat=True
        )
    )
    if any(guardian.pk not in own for guardian in guardians):
        raise PartnershipError(_("Deze ouder heeft geen kind op deze school."))


@transaction.atomic
def couple_buddies(
    *,
    school: School,
    guardian_a: Guardian,
    guardian_b: Guardian,
    reason: str,
    note: str = "",
    since: datetime.date | None = None,
) -> BuddyPair:
    """Couple two guardians of the school as buddies (stored once, whatever the order)."""
    if guardian_a.pk == guardian_b.pk:
        raise PartnershipError(_("Een buddy is een andere ouder."))
    _refuse_foreign_guardian(school, guardian_a, guardian_b)
    first, second = sorted((guardian_a, guardian_b), key=lambda g: g.pk)
    if BuddyPair.objects.filter(school=school, guardian_a=first, guardian_b=second).exists():
        raise PartnershipError(_("Deze ouders zijn al buddy's."))
    return BuddyPair.objects.create(
        school=school,
        guardian_a=first,
        guardian_b=second,
        reason=reason,
        note=note,
        since=since or timezone.localdate(),
    )


@transaction.atomic
def end_buddy_pair(*, pair: BuddyPair) -> BuddyPair:
    pair.active = False
    pair.save(update_fields=["active"])
    return pair


@transaction.atomic
def add_key_figure(*, school: School, guardian: Guardian, reaches: str = "") -> KeyFigure:
    _refuse_foreign_guardian(school, guardian)
    figure, _created = KeyFigure.objects.update_or_create(
        school=school, guardian=guardian, defaults={"reaches": reaches, "active": True}
    )
    return figure
