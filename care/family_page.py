"""What care adds to the family page of staff (see parents.views): the contact arrangement agreed
after an incident, never the incident itself."""

from django.contrib.auth.models import AbstractBaseUser

from care import queries


def family_section(*, page, user: AbstractBaseUser) -> dict | None:
    """The arrangements about this family at the schools of the children shown. One query."""
    school_ids = {child.school_id for child in page.children}
    arrangements = queries.contact_arrangements(page.family.pk, school_ids)
    if not arrangements:
        return None
    return {"template": "care/_family_arrangement.html", "arrangements": arrangements}
