# The messages parents wrote before conversations existed each open a conversation, so that
# staff can answer them and the response-time figures count them. Nothing of the messages
# changes; going back removes only the conversations (and any answers written since).

import datetime

from django.db import migrations

DEFAULT_ANSWER_TERM_DAYS = 2


def _year(SchoolYear, day):
    first = day.year if day.month >= 8 else day.year - 1
    year, _created = SchoolYear.objects.get_or_create(
        label=f"{first}-{first + 1}",
        defaults={"start": datetime.date(first, 8, 1), "end": datetime.date(first + 1, 7, 31)},
    )
    return year


def _answer_day(school, arrived, SchoolYear):
    from schools.calendar import SchoolCalendar

    day, counted, calendars = arrived, 0, {}
    while counted < DEFAULT_ANSWER_TERM_DAYS:
        day += datetime.timedelta(days=1)
        year = _year(SchoolYear, day)
        if year.pk not in calendars:
            closures = school.closures.filter(date__range=(year.start, year.end)).values_list(
                "date", "reason"
            )
            calendars[year.pk] = SchoolCalendar.build(school, year, list(closures))
        if calendars[year.pk].is_school_day(day):
            counted += 1
    return day


def open_threads(apps, schema_editor):
    GuardianMessage = apps.get_model("parents", "GuardianMessage")
    CommunicationPlan = apps.get_model("parents", "CommunicationPlan")
    Enrolment = apps.get_model("schools", "Enrolment")
    SchoolYear = apps.get_model("schools", "SchoolYear")
    Thread = apps.get_model("messaging", "Thread")
    messages = (
        GuardianMessage.objects.exclude(kind="information_request")
        .filter(thread__isnull=True)
        .select_related("pupil__school", "guardian")
        .order_by("pk")
    )
    for message in messages.iterator():
        arrived = message.created_at.date()
        year = _year(SchoolYear, arrived)
        enrolment = (
            Enrolment.objects.filter(pupil=message.pupil, school_year=year)
            .select_related("group")
            .first()
        )
        group = enrolment.group if enrolment else None
        plan = CommunicationPlan.objects.filter(
            family_id=message.guardian.family_id, school_year=year
        ).first()
        responsible = plan.contact_person if plan and plan.contact_person_id else None
        if responsible is None and group is not None:
            responsible = group.teachers.order_by("pk").first()
        Thread.objects.create(
            opening=message,
            school=message.pupil.school,
            group=group,
            responsible=responsible,
            answer_by=_answer_day(message.pupil.school, arrived, SchoolYear),
            # Marking a message handled was the school's response until now.
            answered_at=message.handled_at,
            guardian_read_at=message.handled_at,
        )


def remove_threads(apps, schema_editor):
    apps.get_model("messaging", "Thread").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0002_threads_and_messages_from_school"),
        ("parents", "0008_contact_channel_message"),
    ]

    operations = [migrations.RunPython(open_threads, remove_threads)]
