"""The family page's activities: what the family was invited to this school year, their answer,
and whether they came (registered in ``parents.queries.FAMILY_SECTIONS``)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from parents.queries import FamilySection
from partnership.queries import year_invitations


def invitation_line(invitation) -> str:
    """ "dinsdag 8 december · Koffieochtend · komt · gekomen" in the active language."""
    activity = invitation.activity
    parts = [
        date_format(timezone.localtime(activity.starts_at), "l j E"),
        activity.title,
        invitation.get_rsvp_display(),
    ]
    if invitation.came:
        parts.append(_("gekomen"))
    return " · ".join(parts)


def attendance_section(*, family_pk, children, user, year) -> FamilySection:
    """One query: the invitations of the family to the activities of its children's schools."""
    schools = {child.school_id for child in children}
    invitations = year_invitations(schools, year).filter(family_id=family_pk)
    return FamilySection(
        title=_("Activiteiten dit schooljaar"),
        lines=[invitation_line(invitation) for invitation in invitations],
        empty=_("Nog niet uitgenodigd voor een activiteit."),
    )
