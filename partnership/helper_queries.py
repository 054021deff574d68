"""What the helpers' pages, the dashboard and the reach count read about helping parents."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from partnership.helper_models import HelperSignup, HelperTask


def tasks_with_helpers(activity) -> list:
    """The activity's tasks, each with its sign-ups (``signups_shown``) and their guardians, in
    the order they signed up. Two queries."""
    signups = HelperSignup.objects.select_related("guardian").order_by("signed_up_at", "pk")
    return list(
        HelperTask.objects.filter(activity=activity).prefetch_related(
            Prefetch("signups", queryset=signups, to_attr="signups_shown")
        )
    )


def helping_rows(families: QuerySet):
    """Helping reaches the family at the activity's school (a source of ``parents.reach``):
    (family id, school id, school year id) rows."""
    return (
        HelperSignup.objects.filter(guardian__family__in=families)
        .values_list("guardian__family", "task__activity__school", "task__activity__school_year")
        .distinct()
        .order_by()
    )


def families_helped(school, year, partnership_field: str = "partnership"):
    """A subquery for the dashboard's table per partnership: the families that helped at the
    school's activities of the partnership in ``partnership_field`` of the outer row this year."""
    helped = (
        HelperSignup.objects.filter(
            task__activity__school=school,
            task__activity__school_year=year,
            task__activity__partnership=OuterRef(partnership_field),
        )
        .order_by()
        .values("task__activity__partnership")
        .annotate(n=Count("guardian__family", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(helped, output_field=IntegerField()), Value(0))
