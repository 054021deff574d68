"""State changes of a school's own settings that staff make themselves."""

import datetime

from django.db import transaction

from schools.models import AnswerHours, StaffMembership


class SchoolError(Exception):
    pass


def set_answer_hours(
    *, user, school, starts: datetime.time | None, ends: datetime.time | None
) -> AnswerHours | None:
    """Record when ``user`` answers parents at ``school``; without times, the hours are removed."""
    if not StaffMembership.objects.filter(user=user, school=school).exists():
        raise SchoolError("U werkt niet op deze school.")
    with transaction.atomic():
        if starts is None and ends is None:
            AnswerHours.objects.filter(user=user, school=school).delete()
            return None
        if starts is None or ends is None:
            raise SchoolError("Vul een begintijd en een eindtijd in.")
        if starts >= ends:
            raise SchoolError("De begintijd moet voor de eindtijd liggen.")
        hours, _created = AnswerHours.objects.update_or_create(
            user=user, school=school, defaults={"starts": starts, "ends": ends}
        )
    return hours
