"""What the care pages read: each a fixed number of queries whatever the data size."""

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from care.models import ContactArrangement, Incident, IncidentKind
from schools.models import School, StaffMembership


def incidents_of_school(school: School, user: AbstractBaseUser) -> QuerySet:
    """The school's incidents this user may see, newest first, with the people named on them."""
    return (
        Incident.objects.visible_to(user)
        .filter(school=school)
        .select_related("guardian__family", "staff_member")
    )


def incident_for_page(user: AbstractBaseUser, pk: int) -> Incident | None:
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
