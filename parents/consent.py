"""Photo consent (toestemming beeldmateriaal): who may appear in pictures, for which purpose.

The school asks every guardian with parental authority, each school year, per child and per
purpose. When they differ the strictest answer holds: a no from either means no, and a guardian
who has not answered counts as a no. A child nobody may answer for (no guardian with authority
the school can ask) may not appear either.

Other features ask ``may_appear(pupil=, purpose=)`` (one child) or ``refusals(pupil_ids, year)``
(a whole list at once) before they show a child in a picture.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parents.models import PhotoConsent, PhotoPurpose, PupilGuardian
from schools import audit
from schools.models import Pupil, SchoolYear

PURPOSES = tuple(PhotoPurpose.values)


class ConsentError(Exception):
    """A rule of photo consent said no; the message (Dutch, or the parent's language) says why."""


def asked_links() -> QuerySet[PupilGuardian]:
    """The links whose guardian decides about photos of the child: parental authority, and
    access not blocked by the school (a court decision). Their answers count."""
    return PupilGuardian.objects.filter(has_parental_authority=True, access_blocked_reason="")


def _answered(year: SchoolYear):
    return PhotoConsent.objects.filter(
        pupil=OuterRef("pupil_id"), guardian=OuterRef("guardian_id"), school_year=year
    )


def unanswered_links(year: SchoolYear) -> QuerySet[PupilGuardian]:
    """Asked links of present children enrolled in ``year`` whose guardian has not answered for
    that child this year (an answer covers every purpose at once: ``answer_photo_consent``)."""
    return (
        asked_links()
        .filter(pupil__left_on__isnull=True, pupil__enrolments__school_year=year)
        .filter(~Exists(_answered(year)))
    )


@dataclass
class Refusal:
    """Why a child may not appear for one purpose: someone said no, or someone did not answer."""

    purpose: str
    refused: bool = False
    unanswered: bool = False


@dataclass
class ChildConsent:
    """The strict result for one child: per purpose None (may appear) or a ``Refusal``."""

    pupil_id: int
    purposes: dict = field(default_factory=dict)

    @property
    def refused_purposes(self) -> list[str]:
        return [p for p in PURPOSES if self.purposes.get(p) is not None]

    @property
    def cells(self) -> list:
        """Per purpose, in the order of ``PhotoPurpose``: None (may appear) or the Refusal."""
        return [self.purposes.get(p) for p in PURPOSES]

    def may_appear(self, purpose: str) -> bool:
        return self.purposes.get(purpose) is None


def refusals(pupil_ids, year: SchoolYear) -> dict[int, ChildConsent]:
    """{pupil id: ChildConsent} for ``pupil_ids`` (a list or a subquery) in ``year``: two
    queries, however many children."""
    links = defaultdict(set)
    for pupil_id, guardian_id in (
        asked_links().filter(pupil__in=pupil_ids).values_list("pupil_id", "guardian_id")
    ):
        links[pupil_id].add(guardian_id)
    answers = defaultdict(dict)  # (pupil, guardian) -> {purpose: given}
    for pupil_id, guardian_id, purpose, given in PhotoConsent.objects.filter(
        pupil__in=pupil_ids, school_year=year
    ).values_list("pupil_id", "guardian_id", "purpose", "given"):
        answers[(pupil_id, guardian_id)][purpose] = given
    result = {}
    for pupil_id in _ids(pupil_ids, links):
        child = ChildConsent(pupil_id)
        guardians = links.get(pupil_id, set())
        for purpose in PURPOSES:
            given = [answers[(pupil_id, g)].get(purpose) for g in guardians]
            if guardians and all(given):
                child.purposes[purpose] = None
            else:
                child.purposes[purpose] = Refusal(
                    purpose, refused=False in given, unanswered=not guardians or None in given
                )
        result[pupil_id] = child
    return result


def _ids(pupil_ids, links):
    if isinstance(pupil_ids, QuerySet):
        return sorted(links)  # a subquery: the children that have asked guardians
    return list(pupil_ids)


def may_appear(*, pupil: Pupil | int, purpose: str, on: datetime.date | None = None) -> bool:
    """May this child appear in pictures for ``purpose`` (a ``PhotoPurpose``) in the school year
    of ``on`` (default today)? Only when every guardian with parental authority said yes."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown photo purpose: {purpose}")
    year = SchoolYear.for_date(on or timezone.localdate())
    pupil_id = getattr(pupil, "pk", pupil)
    return refusals([pupil_id], year)[pupil_id].may_appear(purpose)


def own_answers(guardian, pupil_ids, year: SchoolYear) -> dict[int, dict[str, bool]]:
    """{pupil id: {purpose: given}}: this guardian's own answers (not the other parent's)."""
    found = defaultdict(dict)
    for pupil_id, purpose, given in PhotoConsent.objects.filter(
        guardian=guardian, pupil__in=pupil_ids, school_year=year
    ).values_list("pupil_id", "purpose", "given"):
        found[pupil_id][purpose] = given
    return dict(found)


@transaction.atomic
def answer_photo_consent(*, guardian, pupil, year: SchoolYear, answers: dict, by) -> None:
    """Store a guardian's answer for one child for every purpose at once (yes or no each); a
    later answer replaces the earlier one. Only a guardian with parental authority decides."""
    link = PupilGuardian.objects.filter(guardian=guardian, pupil=pupil).first()
    if link is None or not link.sees_child:
        raise ConsentError(_("Dit kind vinden wij niet bij uw account."))
    if not link.has_parental_authority:
        raise ConsentError(
            _("Alleen een ouder met gezag beslist over foto's en video's van het kind.")
        )
    if set(answers) != set(PURPOSES) or not all(isinstance(v, bool) for v in answers.values()):
        raise ConsentError(_("Kies bij elke vraag ja of nee."))
    now = timezone.now()
    PhotoConsent.objects.bulk_create(
        [
            PhotoConsent(
                pupil=pupil,
                guardian=guardian,
                school_year=year,
                purpose=purpose,
                given=given,
                answered_at=now,
            )
            for purpose, given in answers.items()
        ],
        update_conflicts=True,
        unique_fields=["pupil", "guardian", "school_year", "purpose"],
        update_fields=["given", "answered_at"],
    )
    audit.record(
        by,
        audit.AuditAction.PHOTO_CONSENT,
        pupil=pupil,
        family=guardian.family_id,
        what=f"guardian:{guardian.pk}",
    )


# --- what staff read ---------------------------------------------------------------------------


@dataclass
class GroupConsent:
    group: object
    pupils: int
    refused: list  # (Pupil, ChildConsent) of the children who may not appear for some purpose


def consent_by_group(groups, year: SchoolYear) -> list[GroupConsent]:
    """Per group (of ``year``), the children who may not appear for one purpose or more, by
    name: three queries, however many groups and children."""
    groups = list(groups)
    pupils = list(
        Pupil.objects.present()
        .filter(enrolments__group__in=groups, enrolments__school_year=year)
        .annotate(group_pk=F("enrolments__group_id"))
        .order_by("first_name", "last_name", "pk")
    )
    result = refusals([p.pk for p in pupils], year)
    by_group = defaultdict(list)
    for pupil in pupils:
        by_group[pupil.group_pk].append(pupil)
    return [
        GroupConsent(
            group=group,
            pupils=len(by_group[group.pk]),
            refused=[
                (p, result[p.pk]) for p in by_group[group.pk] if result[p.pk].refused_purposes
            ],
        )
        for group in groups
    ]
