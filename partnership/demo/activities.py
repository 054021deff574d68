"""Demo step: De Regenboog's partnership with parents this year, relative to today.

The plan with its five partnerships, a weekly coffee morning this term with Arabic and Turkish
interpreters (the past ones held, with attendance; the next one coming up), an information evening,
the new-year reception per group after the summer, topics from parents, buddies and a key figure,
and the evaluations and self-assessments of this year and last year.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from partnership import queries, services
from partnership.models import ActivitySeries, Framework, TopicStatus
from schools.calendar import first_school_day
from schools.models import Group, School, SchoolYear

SERIES_TITLE = "Koffieochtend"
SEED = 20261125


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed_activities(stdout=None, *, board_name):

    school = School.objects.filter(board__name=board_name).order_by("name").first()
    if school is None or ActivitySeries.objects.filter(school=school, title=SERIES_TITLE).exists():
        return
    today = timezone.localdate()
    year = SchoolYear.for_date(today)
    coordinator = get_user_model().objects.get(email="oudercoordinator@demo.test")
    rng = random.Random(SEED)
    with transaction.atomic():
        goals = _plan(school, year, coordinator)
        _coffee_mornings(school, year, today, coordinator, goals, rng)
        _other_activities(school, year, today, coordinator, rng)
        _parents_for_parents(school, today)
        _evaluations(school, year, today)
    if stdout:
        stdout.write("Demo: partnerschapsplan, koffieochtenden en evaluaties van De Regenboog.")


def _plan(school, year, coordinator):
    plan = services.save_plan(
        school=school,
        school_year=year,
        vision="Ouders kennen hun kind het best, wij kennen het onderwijs. Samen zorgen we dat "
        "elk kind groeit. Iedere ouder hoort erbij, welke taal hij of zij ook spreekt.",
        vision_written_with="het team, de MR en acht ouders van de klankbordgroep",
        focus_points="Meer vaders bereiken. Koffieochtenden met tolk. Elk kind bij het startgesprek.",
    )
    areas = {
        "pedagogical": ("Ouders en leerkracht spreken elkaar bij de deur.", "Samen één aanpak."),
        "didactic": ("Leesouders in groep 3 en 4.", "Ouders weten wat hun kind leert."),
        "formal": ("De MR is compleet.", "Ouders van alle talen in de klankbordgroep."),
        "informal": (
            "Wekelijkse koffieochtend, 8 tot 15 ouders.",
            "Ook vaders en werkende ouders.",
        ),
        "societal": ("Samenwerking met buurthuis De Kessel.", "Bibliotheek op school."),
    }
    for partnership, (state, ambition) in areas.items():
        services.save_area(
            plan=plan, partnership=partnership, current_state=state, ambition=ambition
        )
    return {
        "informal": services.add_goal(
            plan=plan,
            partnership="informal",
            description="Elke week een koffieochtend met tolk Arabisch en Turks",
            term="short",
            owner=coordinator,
            status="in_progress",
        ),
        "didactic": services.add_goal(
            plan=plan,
            partnership="didactic",
            description="Ouders weten hoe ze thuis kunnen lezen met hun kind",
            term="long",
            owner=coordinator,
        ),
    }


def _coffee_mornings(school, year, today, coordinator, goals, rng):
    # Tuesdays from five weeks ago until six weeks from now (within the school year).
    first = today - datetime.timedelta(weeks=5, days=(today.weekday() - 1) % 7)
    until = min(today + datetime.timedelta(weeks=6), year.end)
    first = max(first, year.start)
    series, _warnings = services.plan_weekly_series(
        school=school,
        starts_at=_at(first, 8, 30),
        ends_at=_at(first, 10, 0),
        until=until,
        goals=[goals["informal"]],
        by=coordinator,
        kind="coffee_morning",
        partnership="informal",
        title=SERIES_TITLE,
        description="Koffie, thee en een onderwerp dat ouders zelf kiezen. Kinderen mogen mee.",
        place="Ouderkamer",
        audience="school",
        partners=["community_centre"],
        interpreter_languages=["ar", "tr"],
    )
    families = list(queries.school_families(school).order_by("pk"))
    held = [a for a in series.activities.order_by("starts_at") if a.is_past]
    for activity in held:
        for family in rng.sample(families, min(len(families), rng.randint(6, 14))):
            services.register_attendance(activity=activity, family=family, by=coordinator)
    upcoming = series.activities.upcoming().order_by("starts_at").first()
    _topics(school, held, upcoming, coordinator)


def _topics(school, held, upcoming, coordinator):
    from parents.models import Guardian

    samira = Guardian.objects.get(email="ouder@demo.test")
    others = list(
        Guardian.objects.filter(pupil_links__pupil__school=school, language__in=["tr", "pl"])
        .distinct()
        .order_by("pk")[:2]
    )
    if held:
        past = services.suggest_topic(
            school=school, text="Schermtijd: hoeveel is te veel?", guardian=others[0]
        )
        services.choose_topic(topic=past, activity=held[-1])
        services.record_topic(
            topic=past,
            discussed="Ouders deelden afspraken over telefoons; veel vragen over games.",
            school_action="De school organiseert een avond met de mediacoach van de bibliotheek.",
        )
    coming = services.suggest_topic(
        school=school,
        text="Hoe help ik mijn kind met lezen als ik zelf weinig Nederlands lees?",
        guardian=samira,
    )
    if upcoming:
        services.choose_topic(topic=coming, activity=upcoming)
    services.suggest_topic(school=school, text="Gezonde traktaties", guardian=others[-1])
    services.suggest_topic(
        school=school,
        text=f"De vader van {others[-1].first_name} parkeert elke ochtend op de stoep",
        guardian=samira,
    )
    services.review_topic(
        topic=services.suggest_topic(
            school=school, text="Naar de middelbare school: hoe werkt dat?", entered_by=coordinator
        ),
        status=TopicStatus.APPROVED,
    )


def _other_activities(school, year, today, coordinator, rng):
    evening = today + datetime.timedelta(days=16)
    services.plan_activity(
        school=school,
        starts_at=_at(evening, 19, 0),
        ends_at=_at(evening, 20, 30),
        by=coordinator,
        kind="information_evening",
        partnership="didactic",
        title="Informatieavond: lezen met uw kind",
        description="Wat leert uw kind dit jaar, en hoe leest u thuis samen?",
        place="Aula",
        audience="school",
        partners=["library"],
        interpreter_languages=["ar", "tr", "pl", "bg"],
        evening_option=True,
    )
    # The Thursday of the second week after the summer holiday.
    first_day = first_school_day(school, year)
    reception = first_day + datetime.timedelta(days=(3 - first_day.weekday()) % 7 + 7)
    for group in Group.objects.filter(school=school, school_year=year).order_by("lowest_grade"):
        activity, _warnings = services.plan_activity(
            school=school,
            starts_at=_at(reception, 14, 30),
            ends_at=_at(reception, 15, 30),
            groups=[group],
            by=coordinator,
            kind="new_year_reception",
            partnership="informal",
            title=f"Nieuwjaarsreceptie groep {group.name}",
            place=f"Lokaal groep {group.name}",
            audience="groups",
        )
        if activity.is_past:
            invited = list(activity.invitations.select_related("family"))
            for invitation in rng.sample(invited, len(invited) * 2 // 3):
                services.register_attendance(
                    activity=activity, family=invitation.family, by=coordinator
                )


def _parents_for_parents(school, today):
    from parents.models import Guardian

    def speakers(language):
        return list(
            Guardian.objects.filter(pupil_links__pupil__school=school, language=language)
            .distinct()
            .order_by("pk")[:2]
        )

    arabic, turkish = speakers("ar"), speakers("tr")
    if len(arabic) == 2:
        services.couple_buddies(
            school=school,
            guardian_a=arabic[0],
            guardian_b=arabic[1],
            reason="same_language",
            note="Eerste jaar in Nederland",
            since=today - datetime.timedelta(days=60),
        )
    if len(turkish) == 2:
        services.couple_buddies(
            school=school,
            guardian_a=turkish[0],
            guardian_b=turkish[1],
            reason="first_child",
            since=today - datetime.timedelta(days=30),
        )
    if turkish:
        services.add_key_figure(school=school, guardian=turkish[0], reaches="Turkse moeders")


def _evaluations(school, year, today):
    last_year = SchoolYear.for_date(year.start - datetime.timedelta(days=1))
    last_plan = services.save_plan(
        school=school, school_year=last_year, vision="Samen met ouders, voor elk kind."
    )
    services.record_evaluation(
        school=school,
        school_year=last_year,
        quarter=4,
        held_on=last_year.end - datetime.timedelta(days=40),
        with_pupils=True,
        with_partners=True,
        scores={
            "pedagogical": (3, "Korte lijnen bij de deur."),
            "didactic": (2, "Ouders weten weinig van de lesstof."),
            "formal": (3, "MR is compleet."),
            "informal": (3, "Koffieochtend loopt, weinig vaders."),
            "societal": (2, "Nog geen vaste partners."),
        },
        team_changes="Koffieochtend elke week met tolk; informatieavond over lezen.",
    )
    if today - year.start > datetime.timedelta(days=60):
        services.record_evaluation(
            school=school,
            school_year=year,
            quarter=1,
            held_on=today - datetime.timedelta(days=10),
            with_pupils=True,
            scores={
                "pedagogical": (3, ""),
                "didactic": (3, "Leesouders gestart."),
                "formal": (3, ""),
                "informal": (4, "Twaalf ouders per koffieochtend."),
                "societal": (3, "Buurthuis doet mee."),
            },
            team_changes="Avondmoment voor werkende ouders erbij.",
        )
    checklist_then = dict.fromkeys(range(1, 9), (2, ""))
    checklist_now = {**checklist_then, 1: (3, "Visie met ouders geschreven"), 5: (3, "Buddy's")}
    ob30_then = dict.fromkeys(range(1, 11), (2, ""))
    ob30_now = {**ob30_then, 3: (3, "Ouderkamer elke ochtend open")}
    for school_year, checklist, ob30 in (
        (last_year, checklist_then, ob30_then),
        (year, checklist_now, ob30_now),
    ):
        services.record_self_assessment(
            school=school, school_year=school_year, framework=Framework.CHECKLIST, scores=checklist
        )
        services.record_self_assessment(
            school=school, school_year=school_year, framework=Framework.OB30, scores=ob30
        )
    services.close_plan(plan=last_plan)
