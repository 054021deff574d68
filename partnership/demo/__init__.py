"""The demo school board: three schools in Den Haag with families as they really are.

``seed_demo`` runs the steps in DEMO_STEPS in order. Each step is idempotent: running the command
twice leaves the same data. Later features add their own step (a start-conversation round under way,
plans with moments due this week, …) relative to today's date.
"""

import datetime
import functools
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from absence.demo import seed_absence
from care.demo import seed_care
from conversations.demo import seed_pupil_led_conversations, seed_start_conversations
from messaging.demo import seed_messages
from parents.demo import seed_communication_plans, seed_photo_consent
from parents.models import Family, Guardian, InformationRight, PupilGuardian, Relation
from parents.portal_demo import seed_guardian_messages
from partnership.demo.activities import seed_activities
from reminders.demo import seed_reminders
from schools.models import Board, Enrolment, Group, Pupil, Role, School, SchoolYear, StaffMembership

DEMO_PASSWORD = "schouder-demo"
BOARD_NAME = "Stichting Haagse Scholen (demo)"
SEED = 20261124

SCHOOLS = [
    # name, brin, location, sector, neighbourhood, groups (name, lowest, highest), pupils per group
    ("Basisschool De Regenboog", "12AB", "00", "PO", "Moerwijk", None, 27),
    ("Basisschool Het Startpunt", "34CD", "00", "PO", "Transvaal", None, 27),
    ("Het Bouwlust College", "56EF", "01", "VO", "Bouwlust", "vo", 20),
]
PO_GROUPS = [("1/2a", 1, 2), ("1/2b", 1, 2)] + [(str(g), g, g) for g in range(3, 9)]
VO_GROUPS = [(f"{level}{letter}", level, level) for level in range(1, 5) for letter in "ab"]

# language: (share of families, share needing an interpreter, first names, surnames)
LANGUAGES = {
    "nl": (
        50,
        0.0,
        ["Sanne", "Mark", "Ilse", "Jeroen", "Priya", "Dewi", "Kevin", "Esther"],
        ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Ramdin", "Mulder", "van 't Hof"],
    ),
    "ar": (
        13,
        0.5,
        ["Fatima", "Mohamed", "Nadia", "Youssef", "Samira", "Rachid"],
        ["El Amrani", "Bouzid", "Haddad", "Al-Khatib", "Saidi"],
    ),
    "tr": (
        12,
        0.4,
        ["Ayşe", "Mehmet", "Elif", "Mustafa", "Zeynep", "Emre"],
        ["Yılmaz", "Kaya", "Demir", "Çelik", "Öztürk"],
    ),
    "pl": (
        7,
        0.5,
        ["Anna", "Piotr", "Katarzyna", "Tomasz", "Magda"],
        ["Kowalski", "Nowak", "Wiśniewska", "Zieliński"],
    ),
    "bg": (
        6,
        0.6,
        ["Maria", "Georgi", "Elena", "Ivan", "Desislava"],
        ["Petrova", "Ivanov", "Dimitrova", "Georgiev"],
    ),
    "uk": (
        5,
        0.6,
        ["Olena", "Andriy", "Iryna", "Oleksandr", "Natalia"],
        ["Shevchenko", "Kovalenko", "Bondarenko", "Melnyk"],
    ),
    "en": (4, 0.0, ["Sarah", "James", "Grace", "Daniel"], ["Smith", "Okafor", "Brown", "Taylor"]),
    "zgh": (3, 0.7, ["Tiziri", "Idir", "Thanina", "Massin"], ["Amazigh", "Aït Ali", "Boulifa"]),
}
CHILD_NAMES = [
    "Noah",
    "Emma",
    "Adam",
    "Sara",
    "Mila",
    "Yusuf",
    "Lina",
    "Daan",
    "Zoë",
    "Amir",
    "Julia",
    "Liam",
    "Nour",
    "Sem",
    "Eva",
    "Omar",
    "Tess",
    "Aya",
    "Finn",
    "Maja",
    "Ilyas",
    "Lotte",
    "Kerem",
    "Zofia",
    "Bas Jan",
    "Marinka",
    "Olek",
    "Hana",
]

ACCOUNTS = [
    # e-mail, first name, last name, role at the first school ("board": the board)
    ("directeur@demo.test", "Karin", "Verbeek", Role.DIRECTOR),
    ("ib@demo.test", "Joyce", "Hoekstra", Role.INTERN_BEGELEIDER),
    ("leerkracht@demo.test", "Marinka", "de Boer", Role.TEACHER),
    ("oudercoordinator@demo.test", "Hanan", "Benali", Role.OUDER_COORDINATOR),
    ("bestuur@demo.test", "Pieter", "Wolters", Role.BOARD),
]
TASKS = {
    Role.DIRECTOR: "Ik ben verantwoordelijk voor de school. U kunt mij altijd aanspreken op het "
    "schoolplein of een afspraak maken.",
    Role.INTERN_BEGELEIDER: "Ik help leerkrachten en ouders als een kind extra hulp nodig heeft. "
    "Ik plan ook de startgesprekken.",
    Role.TEACHER: "Ik ben de juf van groep 5. Elke ochtend sta ik om 8.20 uur bij de deur.",
    Role.OUDER_COORDINATOR: "Ik organiseer de koffieochtenden en help ouders de weg te vinden "
    "in de school. Ik spreek Arabisch en Tamazight.",
}
GUARDIAN_EMAIL = "ouder@demo.test"
TEACHER_GROUP = "5"


def refresh_statistics(stdout=None):
    """Let PostgreSQL's planner see the rows just loaded. Without fresh statistics it takes the
    new tables for empty and may choose nested loops that run for minutes; ANALYZE is cheap and
    also sees the rows of the current transaction."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def count_reached_families(stdout=None):
    """The kept facts of who was reached (``parents.reach``), recounted for the demo board."""
    from parents.models import Family
    from parents.reach import refresh_reach

    refresh_reach(families=Family.objects.filter(board__name=BOARD_NAME).values("pk"))


def seed_organisation(stdout=None):
    """Board, schools, groups, pupils, families and the demo accounts."""
    today = timezone.localdate()
    year = SchoolYear.for_date(today)
    with transaction.atomic():
        board, created = Board.objects.get_or_create(name=BOARD_NAME)
        if created or not board.schools.exists():
            _create_schools(board, year, random.Random(SEED))
            refresh_statistics()  # every caller queries these tables next
        _ensure_accounts(board, year)
    if stdout:
        stdout.write(
            f"Demo: {Pupil.objects.filter(school__board=board).count()} leerlingen, "
            f"{Guardian.objects.filter(family__board=board).count()} ouders/verzorgers."
        )


def _create_schools(board, year, rng):
    pupils_by_school = {}
    for name, brin, location, sector, neighbourhood, kind, per_group in SCHOOLS:
        school = School.objects.create(
            board=board,
            name=name,
            brin=brin,
            location_code=location,
            sector=sector,
            city="Den Haag",
            neighbourhood=neighbourhood,
            holiday_region="midden",
        )
        group_specs = VO_GROUPS if kind == "vo" else PO_GROUPS
        groups = Group.objects.bulk_create(
            Group(school=school, school_year=year, name=g, lowest_grade=lo, highest_grade=hi)
            for g, lo, hi in group_specs
        )
        pupils, enrolments = [], []
        for group in groups:
            for _ in range(per_group):
                grade = rng.randint(group.lowest_grade, group.highest_grade)
                age = grade + (11 if kind == "vo" else 4)
                pupil = Pupil(
                    school=school,
                    pupil_number=str(100000 + len(pupils) + 1),
                    first_name=rng.choice(CHILD_NAMES),
                    last_name="",
                    date_of_birth=year.start.replace(year=year.start.year - age)
                    + datetime.timedelta(days=rng.randint(0, 364)),
                )
                pupils.append(pupil)
                enrolments.append((pupil, group))
        pupils_by_school[school] = (pupils, enrolments)
    _create_families(board, year, pupils_by_school, rng)


def _pick_language(rng):
    codes = list(LANGUAGES)
    return rng.choices(codes, weights=[LANGUAGES[c][0] for c in codes])[0]


def _create_families(board, year, pupils_by_school, rng):
    """Group the pupils into families: siblings, single parents, separated parents."""
    all_pupils = [p for pupils, _ in pupils_by_school.values() for p in pupils]
    rng.shuffle(all_pupils)
    households = []  # (language, surname, [children], kind)
    while all_pupils:
        children = [all_pupils.pop()]
        if all_pupils and rng.random() < 0.3:
            children.append(all_pupils.pop())  # a sibling, maybe at another school of the board
        language = _pick_language(rng)
        surname = rng.choice(LANGUAGES[language][3])
        kind = rng.choices(["together", "single", "separated"], weights=[70, 18, 12])[0]
        households.append((language, surname, children, kind))
    for _language, surname, children, _kind in households:
        for child in children:
            child.last_name = surname
    for pupils, enrolments in pupils_by_school.values():
        Pupil.objects.bulk_create(pupils)
        Enrolment.objects.bulk_create(
            Enrolment(pupil=p, group=g, school_year=year) for p, g in enrolments
        )
    counter = 0
    for language, surname, children, kind in households:
        _shares, interpreter_share, first_names, _surnames = LANGUAGES[language]
        counter += 1
        family = Family.objects.create(board=board, name=f"Gezin {surname}")
        parents = [(Relation.MOTHER, family)]
        if kind == "together":
            parents.append((Relation.FATHER, family))
        elif kind == "separated":
            second_home = Family.objects.create(board=board, name=f"Gezin {surname} (vader)")
            parents.append((Relation.FATHER, second_home))
        for index, (relation, household) in enumerate(parents):
            counter += 1
            guardian = Guardian.objects.create(
                family=household,
                first_name=rng.choice(first_names),
                last_name=surname,
                email=f"ouder{counter}@demo.test" if rng.random() > 0.08 else "",
                phone=f"06{rng.randint(10000000, 99999999)}",
                language=language,
                needs_interpreter=rng.random() < interpreter_share,
                preferred_channels=["phone", "email"] if rng.random() < 0.5 else ["email"],
            )
            # In a separated family the second parent sometimes has no parental authority.
            without_authority = kind == "separated" and index == 1 and rng.random() < 0.4
            PupilGuardian.objects.bulk_create(
                PupilGuardian(
                    pupil=child,
                    guardian=guardian,
                    relation=relation,
                    has_parental_authority=not without_authority,
                    information_right=(
                        InformationRight.ON_REQUEST if without_authority else InformationRight.FULL
                    ),
                    lives_with=household is family,
                )
                for child in children
            )


def _ensure_accounts(board, year):
    User = get_user_model()
    first_school = board.schools.order_by("name").first()
    for email, first_name, last_name, role in ACCOUNTS:
        user = _user(User, email, first_name, last_name)
        StaffMembership.objects.get_or_create(
            user=user,
            board=board,
            school=None if role == Role.BOARD else first_school,
            role=role,
            defaults={"task_description": TASKS.get(role, ""), "phone": "070-3456789"},
        )
    teacher = User.objects.get(email="leerkracht@demo.test")
    Group.objects.get(school=first_school, school_year=year, name=TEACHER_GROUP).teachers.add(
        teacher
    )
    _ensure_demo_guardian(User, first_school, year)


def _user(User, email, first_name, last_name, password=DEMO_PASSWORD):
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first_name, "last_name": last_name}
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


def _ensure_demo_guardian(User, school, year):
    """ouder@demo.test: a mother with two children at the first school, who logs in by code."""
    if Guardian.objects.filter(email=GUARDIAN_EMAIL).exists():
        return
    user = _user(User, GUARDIAN_EMAIL, "Samira", "Bouzid", password=None)
    family = Family.objects.create(board=school.board, name="Gezin Bouzid")
    guardian = Guardian.objects.create(
        family=family,
        user=user,
        first_name="Samira",
        last_name="Bouzid",
        email=GUARDIAN_EMAIL,
        phone="0612345678",
        language="ar",
        needs_interpreter=True,
        preferred_channels=["phone", "whatsapp", "email"],
    )
    for number, first_name, group_name, age in (
        ("900001", "Yasmina", "3", 6),
        ("900002", "Ilyas", "6", 9),
    ):
        pupil = Pupil.objects.create(
            school=school,
            pupil_number=number,
            first_name=first_name,
            last_name="Bouzid",
            date_of_birth=datetime.date(year.start.year - age, 3, 14),
        )
        Enrolment.objects.create(
            pupil=pupil,
            group=Group.objects.get(school=school, school_year=year, name=group_name),
            school_year=year,
        )
        PupilGuardian.objects.create(pupil=pupil, guardian=guardian, relation=Relation.MOTHER)


# Each later feature appends its own idempotent step here.
DEMO_STEPS = [
    seed_organisation,  # refreshes the statistics itself after its bulk load
    # Plans first: held start conversations add their agreements to them, and the plan step
    # only seeds a school that has no plans yet.
    seed_communication_plans,
    seed_start_conversations,
    # The steps of the apps below get the demo's constants passed in, never import them back.
    functools.partial(seed_guardian_messages, board_name=BOARD_NAME, guardian_email=GUARDIAN_EMAIL),
    seed_photo_consent,
    seed_pupil_led_conversations,  # a pupil-led round under way; the demo parent sees a portfolio
    functools.partial(seed_activities, board_name=BOARD_NAME),
    functools.partial(seed_messages, board_name=BOARD_NAME, teacher_group=TEACHER_GROUP),
    seed_care,
    refresh_statistics,
    count_reached_families,  # the steps above write rows directly, not through the services
    # sickness reports for the teacher's group and a leave request
    functools.partial(
        seed_absence,
        board_name=BOARD_NAME,
        guardian_email=GUARDIAN_EMAIL,
        teacher_group=TEACHER_GROUP,
    ),
    seed_reminders,  # it queues reminders for what the steps above made
    refresh_statistics,
]
