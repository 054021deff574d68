"""The new-year reception per group after the summer (document 003, form 3; 001): in one action
for all groups of the school, each group in its own slot, inviting the group's families."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.models import Activity, ActivityKind, Audience, Partnership
from partnership.services import PartnershipError, plan_activity
from schools.models import Group, School, SchoolYear


@transaction.atomic
def plan_new_year_receptions(
    *,
    school: School,
    day: datetime.date,
    first_start: datetime.time,
    minutes: int = 45,
    place: str = "",
    by=None,
) -> tuple[list[Activity], list[str]]:
    """Plan a reception for every group of the school year of ``day`` that has none yet, one
    after the other from ``first_start``, ``minutes`` each, each inviting the families of its
    group. Returns (the receptions, warnings for the planner)."""
    if not 15 <= minutes <= 120:
        raise PartnershipError(_("Een receptie duurt 15 tot 120 minuten."))
    year = SchoolYear.for_date(day)
    groups = list(
        Group.objects.filter(school=school, school_year=year).order_by("lowest_grade", "name")
    )
    if not groups:
        raise PartnershipError(_("Deze school heeft in dat schooljaar nog geen groepen."))
    planned = set(
        Activity.objects.filter(
            school=school, school_year=year, kind=ActivityKind.NEW_YEAR_RECEPTION
        ).values_list("groups", flat=True)
    )
    groups = [group for group in groups if group.pk not in planned]
    if not groups:
        raise PartnershipError(_("Alle groepen hebben dit schooljaar al een receptie."))
    start = timezone.make_aware(datetime.datetime.combine(day, first_start))
    length = datetime.timedelta(minutes=minutes)
    receptions, warnings = [], []
    for number, group in enumerate(groups):
        starts_at = start + number * length
        reception, found = plan_activity(
            school=school,
            starts_at=starts_at,
            ends_at=starts_at + length,
            groups=[group],
            by=by,
            kind=ActivityKind.NEW_YEAR_RECEPTION,
            partnership=Partnership.INFORMAL,
            audience=Audience.GROUPS,
            title=_("Nieuwjaarsreceptie groep %(group)s") % {"group": group.name},
            place=place,
        )
        receptions.append(reception)
        warnings.extend(text for text in found if text not in warnings)
    return receptions, warnings
