"""What care adds to the family page of staff (a section through
``parents.queries.register_family_section``): the contact arrangement agreed after an incident,
never the incident itself."""

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from care import queries
from parents.queries import FamilySection
from schools.models import Pupil, SchoolYear


def family_section(
    *, family_pk: int, children: list[Pupil], user: User, year: SchoolYear
) -> FamilySection | None:
    """The arrangements about this family at the schools of the children shown. One query."""
    arrangements = queries.contact_arrangements(family_pk, {child.school_id for child in children})
    if not arrangements:
        return None
    several = len(arrangements) > 1
    return FamilySection(
        title=_("Contactafspraak met dit gezin"),
        lines=[f"{a.text} ({a.school.name})" if several else a.text for a in arrangements],
    )
