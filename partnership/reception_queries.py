"""Who is new at the school: the families whose children have no enrolment at the school in an
earlier school year. The door list of a new-year reception marks them, so that the
ouder-coördinator can offer them a buddy."""

from django.db.models import Exists, OuterRef

from schools.models import Enrolment


def is_new_family(family_field: str = "family", activity_field: str = "activity"):
    """An expression for an outer row (an invitation): true when none of the children of the
    family in ``family_field`` was enrolled at the school of the activity in ``activity_field``
    in a school year before the activity's."""
    earlier = Enrolment.objects.filter(
        pupil__guardian_links__guardian__family=OuterRef(family_field),
        group__school=OuterRef(f"{activity_field}__school"),
        school_year__start__lt=OuterRef(f"{activity_field}__school_year__start"),
    )
    return ~Exists(earlier)
