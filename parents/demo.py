"""Demo step: communication plans at De Regenboog with moments due this week, relative to today.

The teacher of group 5 and the IB'er each get families with moments due and overdue, some already
held (positive, neutral, a concern with its follow-up), a few contacts outside the plan, and the
school gets its report dates. The first family of group 5 has heard nothing positive yet this term,
so the demo shows that signal (and a held positive moment clears it).

Idempotent: when the school already has plans this year, nothing is added.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from parents.models import CommunicationPlan, Family
from parents.services import PlanError, agree_plan, hold_moment, log_contact
from schools.calendar import SchoolCalendar
from schools.models import Group, Pupil, ReportDate, School, SchoolYear

SCHOOL_NAME = "Basisschool De Regenboog"
TEACHER_EMAIL = "leerkracht@demo.test"
IB_EMAIL = "ib@demo.test"
FAMILIES_PER_PERSON = 10
TONES = ["positive", "neutral", "concern"]


def _day(calendar, day, *, backwards=False):
    """The school day nearest to ``day`` in the given direction, within the school year."""
    step = datetime.timedelta(days=-1 if backwards else 1)
    while calendar.year.start <= day <= calendar.year.end:
        if calendar.is_school_day(day):
            return day
        day += step
    return None


def _report_dates(school, year):
    for month, day, name in (
        (11, 20, "Eerste rapport"),
        (3, 12, "Tweede rapport"),
        (7, 2, "Eindrapport"),
    ):
        calendar_year = year.start.year if month >= 8 else year.end.year
        ReportDate.objects.get_or_create(
            school=school,
            date=datetime.date(calendar_year, month, day),
            defaults={"school_year": year, "name": name},
        )


def _families_with_child(group, exclude=()):
    """(family, child) for each family with a child in ``group``, in a fixed order."""
    pairs = []
    seen = set(exclude)
    pupils = Pupil.objects.filter(enrolments__group=group).order_by("pk")
    for pupil in pupils:
        family = Family.objects.filter(guardians__pupil_links__pupil=pupil).order_by("pk").first()
        if family is not None and family.pk not in seen:
            seen.add(family.pk)
            pairs.append((family, pupil))
    return pairs


def _plan_family(index, family, pupil, responsible, by, year, calendar, today):
    """One family's plan: a call at the start of each term, and one moment this week (due, or a
    few days overdue). Every third family already had a held moment earlier this term."""
    recent = _day(calendar, today, backwards=True) or _day(calendar, today)
    this_week = {
        0: recent,
        1: _day(calendar, today + datetime.timedelta(days=2)),
        2: _day(calendar, today - datetime.timedelta(days=6), backwards=True),
    }[index % 3]
    agreements = [
        {
            "what": "Aan het begin van elke periode even bellen hoe het gaat",
            "pupil": pupil,
            "channel": "phone",
            "responsible": responsible,
            "schedule": "term_start",
            "with_child": False,
        }
    ]
    if this_week:
        agreements.append(
            {
                "what": "Samen terugkijken op de eerste weken",
                "pupil": pupil,
                "channel": "school_visit",
                "responsible": responsible,
                "schedule": "once",
                "on_date": this_week,
            }
        )
    try:
        plan = agree_plan(
            family=family,
            school_year=year,
            agreed_on=calendar.term_starts[0],
            made_on=calendar.term_starts[0],
            by=by,
            agreements=agreements,
            contact_person=responsible,
        )
    except PlanError:
        return  # late in the summer holiday no date is left this year; the demo can do without
    # Earlier calls at the start of a term went fine: only this week's work stays open.
    for moment in plan.agreements.first().moments.filter(
        due_on__lt=today - datetime.timedelta(days=7), status="planned"
    ):
        hold_moment(
            moment=moment,
            by=responsible,
            tone="neutral",
            summary="Gebeld, het gaat goed.",
            happened_on=moment.due_on,
        )
    if index % 3 == 2 and index > 0:
        earlier = _day(calendar, today - datetime.timedelta(days=10), backwards=True)
        if earlier and earlier >= plan.agreed_on:
            moment, _created = plan.agreements.first().moments.get_or_create(
                due_on=earlier, defaults={"from_rule": False}
            )
            tone = TONES[(index // 3) % 3]
            hold_moment(
                moment=moment,
                by=responsible,
                tone=tone,
                summary="Fijn gesprek, afspraken gemaakt."
                if tone != "concern"
                else "Zorgen over slapen.",
                happened_on=earlier,
                follow_up_on=today + datetime.timedelta(days=3) if tone == "concern" else None,
            )


def seed_communication_plans(stdout=None):
    today = timezone.localdate()
    year = SchoolYear.for_date(today)
    school = School.objects.filter(name=SCHOOL_NAME).first()
    if school is None:
        return
    User = get_user_model()
    teacher = User.objects.get(email=TEACHER_EMAIL)
    ib = User.objects.get(email=IB_EMAIL)
    with transaction.atomic():
        _report_dates(school, year)
        if CommunicationPlan.objects.filter(
            school_year=year, family__guardians__pupil_links__pupil__school=school
        ).exists():
            return
        calendar = SchoolCalendar.build(school, year)
        group5 = Group.objects.get(school=school, school_year=year, name="5")
        teacher_families = _families_with_child(group5)[:FAMILIES_PER_PERSON]
        for index, (family, pupil) in enumerate(teacher_families):
            _plan_family(index, family, pupil, teacher, ib, year, calendar, today)
        ib_families = []
        for group in Group.objects.filter(school=school, school_year=year).exclude(pk=group5.pk):
            exclude = [f.pk for f, _ in teacher_families + ib_families]
            ib_families.extend(_families_with_child(group, exclude)[:2])
        for index, (family, pupil) in enumerate(ib_families[:FAMILIES_PER_PERSON]):
            _plan_family(index + 1, family, pupil, ib, ib, year, calendar, today)
        _contacts_outside_the_plan(ib_families[:4], ib, calendar, today)
        _plan_demo_guardian(school, ib, year, calendar)
        _reminders_due(teacher_families, teacher, calendar, today)
    if stdout:
        stdout.write(
            f"Demo: {CommunicationPlan.objects.filter(school_year=year).count()} communicatieplannen."
        )


def _contacts_outside_the_plan(families, by, calendar, today):
    day = _day(calendar, today - datetime.timedelta(days=3), backwards=True)
    if day is None:
        return
    for (family, pupil), (channel, tone, summary) in zip(
        families,
        [
            ("schoolyard", "positive", "Vader vertelde trots over het voetbaltoernooi."),
            ("phone", "neutral", "Moeder belde over de gymtas."),
            ("email", "positive", "Bedankt voor de hulp bij de koffieochtend."),
            ("home_visit", "neutral", "Kennismaking thuis, met tolk."),
        ],
        strict=False,
    ):
        log_contact(
            family=family,
            by=by,
            channel=channel,
            tone=tone,
            summary=summary,
            happened_on=day,
            pupil=pupil,
        )


def _plan_demo_guardian(school, ib, year, calendar):
    """The demo mother (ouder@demo.test) sees her family's plan in the portal."""
    family = Family.objects.filter(guardians__email="ouder@demo.test").first()
    if family is None:
        return
    children = Pupil.objects.filter(
        guardian_links__guardian__family=family, school=school
    ).order_by("pk")
    try:
        agree_plan(
            family=family,
            school_year=year,
            agreed_on=calendar.term_starts[0],
            made_on=calendar.term_starts[0],
            by=ib,
            contact_person=ib,
            agreements=[
                {
                    "what": "Bellen in de week na elk rapport, met tolk",
                    "pupil": child,
                    "channel": "phone",
                    "responsible": ib,
                    "schedule": "after_report",
                    "with_child": False,
                }
                for child in children
            ],
        )
    except PlanError:
        return


def _reminders_due(families, teacher, calendar, today):
    """So that today's demo has staff reminders of every kind: a moment of the first family
    left open for over a week, and a concern about the second family whose follow-up day is
    today with no contact since."""
    week_ago = _day(calendar, today - datetime.timedelta(days=7), backwards=True)
    if week_ago is None or len(families) < 2:
        return
    agreement = CommunicationPlan.objects.get(
        family=families[0][0], school_year=calendar.year
    ).agreements.first()
    if agreement is not None and week_ago >= agreement.plan.agreed_on:
        agreement.moments.get_or_create(due_on=week_ago, defaults={"from_rule": False})
    family, pupil = families[1]
    log_contact(
        family=family,
        by=teacher,
        channel="schoolyard",
        tone="concern",
        summary="Moeder vertelde dat het thuis onrustig is.",
        happened_on=week_ago,
        pupil=pupil,
        follow_up_on=today,
    )


def seed_photo_consent(stdout=None):
    """Photo consent at De Regenboog this year: most guardians with parental authority said yes
    to everything, some said no to social media, some have not answered (so the per-group list
    and the dashboard show both). The demo mother (ouder@demo.test) has not answered yet: the
    portal asks her. Idempotent: nothing is added when the school has answers this year."""
    from parents.consent import asked_links
    from parents.models import PhotoConsent, PhotoPurpose

    school = School.objects.filter(name=SCHOOL_NAME).first()
    if school is None:
        return
    year = SchoolYear.for_date(timezone.localdate())
    if PhotoConsent.objects.filter(school_year=year, pupil__school=school).exists():
        return
    links = (
        asked_links()
        .filter(pupil__school=school, pupil__enrolments__school_year=year)
        .exclude(guardian__email="ouder@demo.test")
        .order_by("pupil_id", "guardian_id")
        .values_list("pupil_id", "guardian_id")
    )
    answers = []
    for n, (pupil_id, guardian_id) in enumerate(links):
        if n % 7 == 3:
            continue  # not answered yet
        for purpose in PhotoPurpose.values:
            given = not (n % 5 == 1 and purpose == PhotoPurpose.SOCIAL_MEDIA)
            answers.append(
                PhotoConsent(
                    pupil_id=pupil_id,
                    guardian_id=guardian_id,
                    school_year=year,
                    purpose=purpose,
                    given=given,
                )
            )
    PhotoConsent.objects.bulk_create(answers, batch_size=1000, ignore_conflicts=True)
    if stdout:
        stdout.write(f"Toestemming beeldmateriaal: {len(answers) // len(PhotoPurpose)} antwoorden.")
