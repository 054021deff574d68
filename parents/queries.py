"""What the plan pages, the family page and the reminder rules read.

The reminder rules (reminders app) need, per responsible staff member: moments due in two days,
due today, overdue (``moments_due_on``, ``overdue_moments``); concerns without follow-up
(``concerns_without_follow_up``); families with no positive contact this term
(``families_without_positive_contact``); families not reached for N weeks
(``families_not_reached``). The family page's signals use the same definitions
(``families_with_signals``), so a signal and its reminder never disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parents.models import (
    CommunicationPlan,
    ContactChange,
    ContactLog,
    ContactMoment,
    Family,
    Guardian,
    GuardianMessage,
    MomentStatus,
    PupilGuardian,
    Tone,
)
from schools import audit, permissions
from schools.calendar import SchoolCalendar
from schools.models import Pupil, SchoolYear
from schools.permissions import visible_pupil_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from parents.models import Agreement, ContactMomentQuerySet
    from schools.models import School

DEFAULT_NOT_REACHED_WEEKS = 6


def not_reached_weeks() -> int:
    """After how many weeks without any contact a family counts as 'not reached'."""
    return getattr(settings, "SCHOUDER_NOT_REACHED_WEEKS", DEFAULT_NOT_REACHED_WEEKS)


# --- moments -----------------------------------------------------------------------------------


def _moments() -> ContactMomentQuerySet:
    return ContactMoment.objects.open().select_related(
        "agreement__pupil", "agreement__plan__family", "agreement__responsible"
    )


def moments_due_on(day: datetime.date) -> ContactMomentQuerySet:
    """Planned moments due on ``day`` (e.g. today, or in two days), with their responsible."""
    return _moments().filter(due_on=day)


def overdue_moments(today: datetime.date) -> ContactMomentQuerySet:
    """Planned moments whose day has passed and that nobody marked held, missed or moved."""
    return _moments().filter(due_on__lt=today)


def week_end(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=6 - today.weekday())


def this_week(user: User, today: datetime.date) -> ContactMomentQuerySet:
    """The staff member's list: their planned moments due this week or overdue, for families they
    may see, oldest first."""
    return (
        _moments()
        .visible_to(user)
        .filter(agreement__responsible=user, due_on__lte=week_end(today))
        .order_by("due_on", "pk")
    )


# --- contact facts and signals -----------------------------------------------------------------


def _open_concerns(today: datetime.date) -> QuerySet[ContactLog]:
    """Concerns whose follow-up day has come (or was never set) and after which nothing happened."""
    later_contact = ContactLog.objects.filter(
        family=OuterRef("family"), happened_on__gt=OuterRef("happened_on")
    )
    return ContactLog.objects.filter(tone=Tone.CONCERN).filter(
        Q(follow_up_on__isnull=True) | Q(follow_up_on__lte=today), ~Exists(later_contact)
    )


def concerns_without_follow_up(today: datetime.date) -> QuerySet[ContactLog]:
    """Concern contacts still waiting for their follow-up, with who logged them."""
    return _open_concerns(today).select_related("family", "by", "pupil")


def families_with_signals(
    queryset: QuerySet[Family], *, today: datetime.date, term_start: datetime.date
) -> Any:  # a FamilyQuerySet with fields the checker cannot see (see ``signals``)
    """Annotate families with the facts behind the signals: ``positive_this_term``,
    ``open_concern``, ``last_contact_on``, ``interpreter_needed``."""
    return queryset.annotate(
        positive_this_term=Exists(
            ContactLog.objects.filter(
                family=OuterRef("pk"),
                tone=Tone.POSITIVE,
                happened_on__gte=term_start,
                happened_on__lte=today,
            )
        ),
        open_concern=Exists(_open_concerns(today).filter(family=OuterRef("pk"))),
        last_contact_on=Subquery(
            ContactLog.objects.filter(family=OuterRef("pk"), happened_on__lte=today)
            .order_by("-happened_on")
            .values("happened_on")[:1]
        ),
        interpreter_needed=Exists(
            Guardian.objects.filter(family=OuterRef("pk"), needs_interpreter=True)
        ),
    )


def _families_of_school(school: School) -> QuerySet[Family]:
    return Family.objects.filter(
        guardians__pupil_links__pupil__in=Pupil.objects.present().filter(school=school)
    ).distinct()


def term_start(
    school: School, today: datetime.date, year: SchoolYear | None = None
) -> datetime.date:
    """The first day of the term (periode) of ``school`` that contains ``today``."""
    year = year or SchoolYear.for_date(today)
    return SchoolCalendar.build(school, year).term_of(today)[0]


def families_without_positive_contact(
    school: School, today: datetime.date
) -> QuerySet[Family, Any]:
    """Families with a child at ``school`` who heard nothing positive from school this term."""
    start = term_start(school, today)
    return families_with_signals(_families_of_school(school), today=today, term_start=start).filter(
        positive_this_term=False
    )


def families_not_reached(
    school: School, today: datetime.date, weeks: int | None = None
) -> QuerySet[Family]:
    """Families with a child at ``school`` without any contact in the last ``weeks`` weeks."""
    since = today - datetime.timedelta(weeks=weeks or not_reached_weeks())
    recent = ContactLog.objects.filter(
        family=OuterRef("pk"), happened_on__gt=since, happened_on__lte=today
    )
    return _families_of_school(school).filter(~Exists(recent))


@dataclass(frozen=True)
class Signal:
    code: str
    text: str | Promise


def signals(family: Any, today: datetime.date) -> list[Signal]:
    """The signals of a family annotated by ``families_with_signals``, as Dutch texts."""
    found = []
    if not family.positive_this_term:
        found.append(Signal("no_positive", _("Deze periode nog geen positief contact")))
    if family.open_concern:
        found.append(Signal("open_concern", _("Een zorg zonder vervolg")))
    weeks = not_reached_weeks()
    if family.last_contact_on is None or family.last_contact_on < today - datetime.timedelta(
        weeks=weeks
    ):
        found.append(
            Signal("not_reached", _("Al %(weeks)s weken niets gehoord") % {"weeks": weeks})
        )
    if family.interpreter_needed:
        found.append(Signal("interpreter", _("Tolk nodig")))
    return found


def families_of_school_with_signals(
    school: School, user: User, today: datetime.date
) -> list[Family]:
    """The families with a present child at ``school`` whom the user may see, each with its
    signals (``family.signal_list``) and children (``family.label``), sorted by name; a fixed
    number of queries."""
    year = SchoolYear.for_date(today)
    pupils = Pupil.objects.present().filter(school=school, pk__in=visible_pupil_ids(user))
    families = (
        families_with_signals(
            Family.objects.filter(
                pk__in=Family.objects.filter(guardians__pupil_links__pupil__in=pupils).values("pk")
            ),
            today=today,
            term_start=term_start(school, today, year),
        )
        .annotate(
            has_plan=Exists(
                CommunicationPlan.objects.filter(family=OuterRef("pk"), school_year=year)
            )
        )
        .with_children(user, today=today)
        .order_by("name", "pk")
    )
    families = list(families)
    for family in families:
        family.signal_list = signals(family, today)
    return families


# --- the family page ---------------------------------------------------------------------------


@dataclass
class FamilyPage:
    family: object
    children: list
    guardians: list
    other_households: list
    plan: object
    agreements: list
    upcoming: list
    past: list
    timeline: list
    signals: list
    sections: list = field(default_factory=list)
    # The school year the page shows, so a view acting on it does not look the year up again.
    year: SchoolYear | None = None


@dataclass(frozen=True)
class FamilySection:
    """A part of the family page that an app above this one adds (activity attendance, later
    messages and incidents): a title and lines of text, or ``empty`` when there are none."""

    title: str
    lines: list
    empty: str = ""


# Apps above parents add to the family page by registering a provider in AppConfig.ready():
# ``provider(family_pk=, children=, user=, year=)`` returns a FamilySection (or None) in a fixed
# number of queries.
FAMILY_SECTIONS = []


def register_family_section(provider: Callable[..., FamilySection | None]) -> None:
    if provider not in FAMILY_SECTIONS:
        FAMILY_SECTIONS.append(provider)


def family_page(family_pk: int, user: User, today: datetime.date) -> FamilyPage | None:
    """Everything on the family page, in a fixed number of queries whatever the family's size.
    Returns None when the user may not see the family. Each read is written to the audit log
    (the contact log and the plan are sensitive), one event per page.

    The children query is the permission check: a family shows only through a child the user
    may see."""
    year = SchoolYear.for_date(today)
    visible = visible_pupil_ids(user)
    children = list(
        Pupil.objects.filter(pk__in=visible, guardian_links__guardian__family_id=family_pk)
        .distinct()
        .select_related("school")
        .order_by("first_name")
    )
    if not children:
        return None
    audit.record(
        user,
        audit.AuditAction.VIEW_FAMILY,
        family=family_pk,
        school=children[0].school_id,
        what=f"family:{family_pk}",
    )
    child_ids = [child.pk for child in children]
    start = term_start(children[0].school, today, year)
    family = _family_with_signals_and_plan(family_pk, year, today=today, term_start=start)
    # select_related through a reverse relation leaves the attribute unset when nothing matched.
    plan = getattr(family, "plan_this_year", None)
    guardians, other_households = _grown_ups(family_pk, child_ids)
    moments, agreements = [], []
    if plan is not None:
        agreements = list(
            plan.agreements.filter(pupil__in=child_ids).select_related("pupil", "responsible")
        )
        moments = list(
            ContactMoment.objects.filter(
                agreement__plan=plan, agreement__pupil__in=child_ids
            ).select_related("agreement__pupil", "agreement__responsible", "log")
        )
    timeline = list(
        ContactLog.objects.filter(family_id=family_pk)
        .filter(Q(pupil__isnull=True) | Q(pupil__in=child_ids))
        .select_related("by", "pupil")[:50]
    )
    return FamilyPage(
        family=family,
        children=children,
        guardians=guardians,
        other_households=other_households,
        plan=plan,
        agreements=agreements,
        upcoming=[m for m in moments if m.status == MomentStatus.PLANNED and m.due_on >= today],
        past=[m for m in moments if not (m.status == MomentStatus.PLANNED and m.due_on >= today)],
        timeline=timeline,
        signals=signals(family, today),
        sections=[
            section
            for provider in FAMILY_SECTIONS
            if (section := provider(family_pk=family_pk, children=children, user=user, year=year))
        ],
        year=year,
    )


def _family_with_signals_and_plan(
    family_pk: int, year: SchoolYear, *, today: datetime.date, term_start: datetime.date
) -> Family:
    """The family with its signals and, as ``plan_this_year``, its plan of ``year`` (or None)
    with the contact person: one row, as a family has at most one plan per year."""
    families = Family.objects.filter(pk=family_pk).annotate(
        plan_this_year=FilteredRelation("plans", condition=Q(plans__school_year=year))
    )
    return (
        families_with_signals(families, today=today, term_start=term_start)
        .select_related("plan_this_year__contact_person")
        .get()
    )


def _grown_ups(family_pk: int, child_ids: Iterable[int]) -> tuple[list[Guardian], list[Family]]:
    """The family's guardians (by pk), and the other households the children also live in (by
    name): both read from one query of the guardians around these children."""
    linked = PupilGuardian.objects.filter(pupil__in=child_ids).values("guardian_id")
    changes = ContactChange.objects.select_related("changed_by")
    rows = list(
        Guardian.objects.filter(Q(family_id=family_pk) | Q(pk__in=linked))
        .select_related("family")
        .prefetch_related(
            Prefetch("contact_changes", queryset=changes, to_attr="recent_contact_changes")
        )
        .order_by("pk")
    )
    guardians = [guardian for guardian in rows if guardian.family_id == family_pk]
    others = {guardian.family_id: guardian.family for guardian in rows}
    others.pop(family_pk, None)
    return guardians, sorted(others.values(), key=lambda family: (family.name, family.pk))


def portal_plan(
    guardian: Guardian, today: datetime.date
) -> tuple[CommunicationPlan | None, list[Agreement], list[ContactMoment]]:
    """What a guardian sees of their own family's plan: this year's plan with the agreements and
    upcoming moments of the children this guardian may see (``sees_child``). A guardian who may
    see none of the children sees no plan at all."""
    year = SchoolYear.for_date(today)
    seen = [
        link.pupil_id for link in PupilGuardian.objects.filter(guardian=guardian) if link.sees_child
    ]
    plan = CommunicationPlan.objects.filter(family_id=guardian.family_id, school_year=year)
    plan = plan.select_related("contact_person").first() if seen else None
    if plan is None:
        return None, [], []
    agreements = list(plan.agreements.filter(pupil__in=seen).select_related("pupil"))
    upcoming = list(
        ContactMoment.objects.open()
        .filter(agreement__in=agreements, due_on__gte=today)
        .select_related("agreement__pupil")[:20]
    )
    return plan, agreements, upcoming


# --- what guardians tell the school ------------------------------------------------------------


def messages_of_school(school: School, user: User) -> list[GuardianMessage]:
    """The messages of guardians about the school's pupils that ``user`` may see, open ones
    first; the read is written to the audit log (what parents tell the school is sensitive)."""
    rows = list(
        GuardianMessage.objects.visible_to(user)
        .filter(pupil__school=school)
        .select_related("guardian", "pupil", "handled_by")
        .order_by("handled_at", "-created_at")
    )
    audit.record(user, audit.AuditAction.VIEW_MESSAGES, school=school, what=f"school:{school.pk}")
    return rows


def refuse_blocked_guardian(guardian: Guardian, pupil_pk: int) -> None:
    """A guardian asked for a child the portal does not show them. When the school blocked their
    access to that child, or the law gives them no information right, the refused attempt is
    written to the audit log, so the school can see it; any other id is simply not found."""
    link = (
        PupilGuardian.objects.filter(guardian=guardian, pupil_id=pupil_pk)
        .exclude(
            access_blocked_reason="",
            information_right__in=permissions.VISIBLE_INFORMATION_RIGHTS,
        )
        .select_related("pupil")
        .first()
    )
    if link is not None:
        audit.record(
            guardian.user,
            audit.AuditAction.DENIED_BLOCKED,
            pupil=link.pupil,
            family=guardian.family_id,
            what=f"pupil:{pupil_pk}",
        )
