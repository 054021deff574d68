"""A generated school board at the scale of a real one, for the benchmarks.

``build_board`` creates a board of primary schools with three school years of history: groups 1 to
8 per year, pupils who move up a grade (the oldest leave, new ones arrive, a few move away),
families of one to three children with one or two guardians (some children live in two
households), staff at every school (a director, an IB'er and a teacher per grade), start
conversations with their slots and bookings, communication plans with agreements and contact
moments, contact logs by the school's staff, activities with invitations and attendance,
partnership plans with goals, evaluations and self-assessments. Schools differ in size as real ones
do: from 80 to 1,000 pupils on a board of the default size (the first school is the biggest).

The data depends only on the arguments: a fixed random seed and a fixed reference day (not today),
so two runs create the same rows. On PostgreSQL the rows go in with COPY, their ids reserved from the
table's sequence beforehand (a board of 200 schools is over two million rows, and the INSERTs of
``bulk_create`` took most of the build); elsewhere with ``bulk_create`` in large batches. Both
write the same rows. The caller owns the transaction; the benchmark rolls it back so the database
is left as it was.
"""

import datetime
import operator
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Model
from django.db.models.fields import AutoFieldMixin
from django.db.models.options import Options
from django.utils import timezone

from conversations.models import Booking, ConversationStatus, Round, Slot, StartConversation
from parents.models import (
    Agreement,
    CommunicationPlan,
    ContactChannel,
    ContactLog,
    ContactMoment,
    Family,
    Guardian,
    InformationRight,
    MomentStatus,
    PupilGuardian,
    Relation,
    Tone,
)
from parents.reach import refresh_reach
from partnership.models import (
    FRAMEWORK_ITEMS,
    Activity,
    ActivityKind,
    Attendance,
    Evaluation,
    EvaluationScore,
    Goal,
    GoalTerm,
    Invitation,
    Partnership,
    PartnershipPlan,
    SelfAssessment,
    SelfAssessmentItem,
)
from schools.models import (
    Board,
    Enrolment,
    Group,
    Pupil,
    Role,
    School,
    SchoolYear,
    StaffMembership,
)

SEED = 20261015
# The day the history runs up to. Fixed, so that the data does not change with the calendar.
REFERENCE_DAY = datetime.date(2026, 11, 20)
FIRST_YEAR = 2024  # 2024-2025, 2025-2026, 2026-2027
GRADES = range(1, 9)
BATCH = 5000
SMALLEST_SCHOOL, BIGGEST_SCHOOL = 80, 1000
SLOT_MINUTES = 20
SLOTS_PER_DAY = 27  # 8:00 to 17:00

# language: weight, first names, surnames
LANGUAGES = {
    "nl": (
        70,
        ["Sanne", "Mark", "Ilse", "Jeroen", "Dewi", "Kevin"],
        ["de Vries", "Jansen", "Smit"],
    ),
    "ar": (9, ["Fatima", "Mohamed", "Nadia", "Youssef"], ["El Amrani", "Bouzid", "Haddad"]),
    "tr": (8, ["Ayşe", "Mehmet", "Elif", "Emre"], ["Yılmaz", "Kaya", "Demir"]),
    "pl": (4, ["Anna", "Piotr", "Magda"], ["Kowalski", "Nowak"]),
    "bg": (3, ["Maria", "Georgi", "Elena"], ["Petrova", "Ivanov"]),
    "uk": (3, ["Olena", "Andriy", "Iryna"], ["Shevchenko", "Melnyk"]),
    "en": (3, ["Sarah", "James", "Grace"], ["Smith", "Okafor"]),
}
CHILD_NAMES = ["Noah", "Emma", "Adam", "Sara", "Mila", "Yusuf", "Lina", "Daan", "Amir", "Tess"]
TONES = [Tone.POSITIVE] * 6 + [Tone.NEUTRAL] * 3 + [Tone.CONCERN]
CHANNELS = [ContactChannel.PHONE, ContactChannel.SCHOOL_VISIT, ContactChannel.EMAIL]
# Informal activities (coffee mornings) are the most common, societal ones the rarest.
PARTNERSHIP_WEIGHTS = {
    Partnership.PEDAGOGICAL: 3,
    Partnership.DIDACTIC: 2,
    Partnership.FORMAL: 2,
    Partnership.INFORMAL: 4,
    Partnership.SOCIETAL: 1,
}


@dataclass
class BuiltBoard:
    board: Board
    years: list
    user: object
    counts: dict = field(default_factory=dict)
    group_of: dict = field(default_factory=dict)  # (school id, year id, grade) -> Group
    directors: dict = field(default_factory=dict)  # school id -> user
    teachers: dict = field(default_factory=dict)  # (school id, grade) -> user
    staff: dict = field(default_factory=dict)  # school id -> every staff user of the school
    board_member: object = None
    copy: bool | None = None  # how ``write_rows`` writes: None for the database's fastest way

    def bulk(self, model, objects):
        """Insert ``objects`` (ids set on them) and count them per model in ``counts``."""
        created = write_rows(model, objects, copy=self.copy)
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(created)
        return created

    @property
    def rows(self):
        return sum(n for key, n in self.counts.items() if key != "seconds")

    @property
    def year(self):
        """The last (current) school year: the one the dashboards show."""
        return self.years[-1]

    @property
    def biggest_school(self):
        return self.board.schools.order_by("brin", "location_code").first()


class _Progress:
    """One line per step on stderr: the load takes a while."""

    def __init__(self, built, stream):
        self.built, self.stream = built, stream
        self.started = self.last = time.perf_counter()
        self.rows = 0

    def step(self, what):
        now, rows = time.perf_counter(), self.built.rows
        if self.stream is not None:
            print(
                f"[{self.built.board.name}] {what}: {rows - self.rows} rows in "
                f"{now - self.last:.1f} s",
                file=self.stream,
                flush=True,
            )
        self.last, self.rows = now, rows

    @property
    def elapsed(self):
        return time.perf_counter() - self.started


def write_rows(model: type[Model], objects: Iterable[Model], *, copy: bool | None = None) -> list:
    """Insert ``objects`` of ``model`` and return them as a list with their ids set: with COPY on
    PostgreSQL (``copy`` None or True), with ``bulk_create`` otherwise (or when ``copy`` is
    False)."""
    objects = list(objects)
    if copy is None:
        copy = connection.vendor == "postgresql"
    if not objects:
        return objects
    if not copy:
        return model._default_manager.bulk_create(objects, batch_size=BATCH)
    meta = model._meta
    if isinstance(meta.pk, AutoFieldMixin):
        for obj, pk in zip(objects, _reserve_ids(meta, len(objects)), strict=True):
            obj.pk = pk
    fields = meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [_column_value(f) for f in fields]
    sql = f"COPY {meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as stream:
        for obj in objects:
            stream.write_row([value(obj) for value in values])
    for obj in objects:
        obj._state.adding, obj._state.db = False, connection.alias
    return objects


# Fields whose attribute the database driver takes as it is (str, int, bool, date, aware
# datetime, a related row's id): asking Django to prepare each of these values took most of the
# build's time. Exact types, so that a subclass that prepares its value differently is not one.
_TAKEN_AS_IS = {
    models.AutoField,
    models.BigAutoField,
    models.CharField,
    models.TextField,
    models.EmailField,
    models.IntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.BigIntegerField,
    models.BooleanField,
    models.DateField,
    models.DateTimeField,
    models.ForeignKey,
    models.OneToOneField,
}


def _column_value(field: models.Field) -> Callable[[Model], object]:
    """How to read ``field``'s column value from an object, as ``bulk_create`` would send it:
    auto_now(_add) filled in, a JSON value wrapped for the driver."""
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if type(field) in _TAKEN_AS_IS and not stamped:
        return operator.attrgetter(field.attname)
    real = connections[DEFAULT_DB_ALIAS]
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), real)


def _reserve_ids(meta: Options, count: int) -> list[int]:
    """``count`` ids from the table's own sequence, in one query: a row added later by the
    application (or by a second board) never collides with them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _aware(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _school_years(count):
    return [SchoolYear.for_date(datetime.date(FIRST_YEAR + i, 8, 1)) for i in range(count)]


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day_between(rng, first, last):
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _school_sizes(rng, total, parts):
    """``total`` pupils over ``parts`` schools the way a board's schools differ: the first one
    the biggest (1,000 pupils when the board is large enough), the others spread at random
    between 80 and that, summing to ``total``."""
    if parts == 1:
        return [total]
    smallest = min(SMALLEST_SCHOOL, total // (2 * parts))
    biggest = max(smallest, min(BIGGEST_SCHOOL, total // 3))
    rest = total - biggest - smallest * (parts - 1)
    weights = [rng.random() ** 2 for _ in range(parts - 1)]
    sizes = [biggest] + [smallest + int(rest * w / sum(weights)) for w in weights]
    # What rounding down left over, one pupil at a time to the schools that are not the biggest.
    for index in range(total - sum(sizes)):
        sizes[1 + index % (parts - 1)] += 1
    return sizes


def _split(total, parts):
    """``total`` divided over ``parts`` as evenly as whole numbers allow."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def build_board(
    *,
    name,
    schools=50,
    pupils=15000,
    guardians=25000,
    years=3,
    seed=SEED,
    brin="99BN",
    user=None,
    stream=sys.stderr,
    copy=None,
):
    """Create a board of ``schools`` schools with ``pupils`` pupils in the last school year, about
    ``guardians`` guardians and ``years`` school years of history. Returns a ``BuiltBoard``.

    ``brin`` plus a two-digit location code numbers the schools (the 100th school on gets the
    next BRIN: ``99BO`` after ``99BN``), so pick one per board built in the same database.
    Progress goes to ``stream`` (None: silent). ``copy`` chooses how rows are written (see
    ``write_rows``); the rows are the same either way.
    """
    rng = random.Random(seed)
    if user is None:
        user, _created = get_user_model().objects.get_or_create(
            username="bench-data@bench.test", defaults={"email": "bench-data@bench.test"}
        )
    built = BuiltBoard(
        board=Board.objects.create(name=name), years=_school_years(years), user=user, copy=copy
    )
    progress = _Progress(built, stream)
    school_list = built.bulk(
        School,
        (
            School(
                board=built.board,
                name=f"Benchschool {number:02d}",
                brin=_brin(brin, number),
                location_code=f"{(number - 1) % LOCATIONS_PER_BRIN + 1:02d}",
                sector="PO",
                city="Den Haag",
            )
            for number in range(1, schools + 1)
        ),
    )
    groups = built.bulk(
        Group,
        (
            Group(school=s, school_year=y, name=str(g), lowest_grade=g, highest_grade=g)
            for s in school_list
            for y in built.years
            for g in GRADES
        ),
    )
    group_of = {(g.school_id, g.school_year_id, g.lowest_grade): g for g in groups}
    built.group_of = group_of
    _add_staff(built, school_list, brin)
    progress.step("schools, groups and staff")

    school_pupils = _add_pupils(rng, built, school_list, pupils, group_of, progress)
    households = _add_families(rng, built, school_pupils, guardians, progress)
    for index, year in enumerate(built.years):
        last = index == len(built.years) - 1
        _add_year(rng, built, year, last, school_list, school_pupils, households, progress)

    # Fresh planner statistics, as after a real import (PostgreSQL allows it in a transaction).
    # Without them the planner takes the new tables for empty and the recount below runs for
    # minutes.
    _analyze()
    progress.step("ANALYZE")
    # Rows went in with COPY or bulk_create, past the services that keep who was reached: count it, as
    # ``manage.py rebuild_family_reach`` would after a restore.
    refresh_reach(families=Family.objects.filter(board=built.board).values("pk"))
    _analyze()
    progress.step("families reached")
    built.counts["seconds"] = round(progress.elapsed, 1)
    return built


# A BRIN numbers its locations with two digits: a board of more schools uses several BRINs.
LOCATIONS_PER_BRIN = 99


def _brin(first, number):
    """The BRIN of the ``number``-th school (from 1): ``first`` for the first 99, then the one
    whose last letter is one further, and so on."""
    return first[:3] + chr(ord(first[3]) + (number - 1) // LOCATIONS_PER_BRIN)


def _add_staff(built, school_list, brin):
    """A director, an IB'er and a teacher per grade at every school, and a board member. No
    usable password: the benches log them in without one."""
    User = get_user_model()
    people = [("board", None, None)]
    for school in school_list:
        people.append(("director", school, None))
        people.append(("intern_begeleider", school, None))
        people.extend(("teacher", school, grade) for grade in GRADES)
    users = []
    for role, school, grade in people:
        where = f"{school.brin}{school.location_code}" if school else brin
        name = f"bench-{where}-{role}{grade or ''}@bench.test".lower()
        user = User(username=name, email=name, first_name=role.capitalize(), last_name="Bench")
        user.set_unusable_password()
        users.append(user)
    users = built.bulk(User, users)
    memberships = []
    for (role, school, grade), user in zip(people, users, strict=True):
        memberships.append(
            StaffMembership(
                user=user, board=built.board, school=school, role=Role.BOARD if not school else role
            )
        )
        if school is None:
            built.board_member = user
            continue
        built.staff.setdefault(school.pk, []).append(user)
        if role == "director":
            built.directors[school.pk] = user
        elif role == "teacher":
            built.teachers[(school.pk, grade)] = user
    built.bulk(StaffMembership, memberships)


def _analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class _PupilPlan:
    """A pupil before it is saved: its school, grade in each year it is enrolled, and leaving."""

    __slots__ = ("school", "grades", "left_on", "pupil", "households")

    def __init__(self, school, grades, left_on):
        self.school, self.grades, self.left_on = school, grades, left_on
        self.pupil, self.households = None, []


def _add_pupils(rng, built, school_list, pupils, group_of, progress):
    """Cohorts that move up a grade each year. A cohort's grade in year ``y`` is ``first + y``; the
    ones that pass grade 8 have left. Some pupils arrive in a later year, some move away, a few
    leave during the last year (still enrolled, marked with ``left_on``)."""
    years = built.years
    last = len(years) - 1
    plans_by_school = {}
    sizes = _school_sizes(rng, pupils, len(school_list))
    for school, present in zip(school_list, sizes, strict=True):
        cohort_sizes = _split(present, len(GRADES))
        plans = []
        # ``first`` is the grade in the first year: present cohorts end in grades 1..8, older ones
        # passed grade 8 before the last year.
        for first in range(1 - last, len(GRADES) + 1):
            final_grade = first + last
            size = cohort_sizes[final_grade - 1] if final_grade in GRADES else cohort_sizes[-1]
            present_cohort = final_grade in GRADES
            enrolled = [y for y in range(len(years)) if first + y in GRADES]
            if not enrolled:
                continue
            for _ in range(size):
                years_in = list(enrolled)
                if len(years_in) > 1 and rng.random() < 0.06:
                    years_in = years_in[rng.randint(1, len(years_in) - 1) :]  # arrived later
                left_on = None
                if not present_cohort:
                    left_on = years[years_in[-1]].end - datetime.timedelta(days=20)
                elif rng.random() < 0.02:
                    left_on = _day_between(rng, years[last].start, REFERENCE_DAY)
                grades = {y: first + y for y in years_in}
                plans.append(_PupilPlan(school, grades, left_on))
            if present_cohort and len(enrolled) > 1:
                # Pupils who moved away to another town before the last year.
                for _ in range(round(size * 0.05)):
                    stay = enrolled[: rng.randint(1, len(enrolled) - 1)]
                    left_on = years[stay[-1]].start + datetime.timedelta(days=rng.randint(60, 300))
                    plans.append(_PupilPlan(school, {y: first + y for y in stay}, left_on))
        rng.shuffle(plans)
        plans_by_school[school.pk] = plans

    every = [p for plans in plans_by_school.values() for p in plans]
    saved = built.bulk(
        Pupil,
        (
            Pupil(
                school=plan.school,
                pupil_number=str(100000 + number),
                first_name=rng.choice(CHILD_NAMES),
                last_name="Bench",
                date_of_birth=datetime.date(FIRST_YEAR + 4 - min(plan.grades.values()), 3, 1)
                + datetime.timedelta(days=rng.randint(0, 360)),
                left_on=plan.left_on,
            )
            for number, plan in enumerate(every)
        ),
    )
    for plan, pupil in zip(every, saved, strict=True):
        plan.pupil = pupil
    built.bulk(
        Enrolment,
        (
            Enrolment(
                pupil=plan.pupil,
                group=group_of[(plan.school.pk, years[y].pk, grade)],
                school_year=years[y],
            )
            for plan in every
            for y, grade in plan.grades.items()
        ),
    )
    progress.step("pupils and enrolments")
    return plans_by_school


@dataclass
class _Household:
    family: Family
    guardians: list
    children: list  # _PupilPlan


def _add_families(rng, built, school_pupils, guardians, progress):
    """Sibling sets of one to three children (a few across two schools of the board); 15% of the
    sets live in two households (separated parents). Exactly enough households get a second
    guardian to reach ``guardians`` in total."""
    pools = [list(plans) for plans in school_pupils.values()]
    sets = []
    for index, pool in enumerate(pools):
        neighbour = pools[(index + 1) % len(pools)]
        while pool:
            size = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
            across = size > 1 and neighbour is not pool and bool(neighbour) and rng.random() < 0.05
            children = [pool.pop() for _ in range(min(size - across, len(pool)))]
            if across:
                children.append(neighbour.pop())  # a sibling at another school of the board
            sets.append(children)
    plans = []  # (language, surname, children, separated)
    for children in sets:
        language = _weighted(rng, {k: v[0] for k, v in LANGUAGES.items()})
        plans.append((language, rng.choice(LANGUAGES[language][2]), children, rng.random() < 0.15))
    household_count = sum(2 if separated else 1 for *_, separated in plans)
    second_guardians = min(household_count, max(0, guardians - household_count))
    with_two = set(rng.sample(range(household_count), second_guardians))

    families = built.bulk(
        Family,
        (
            Family(board=built.board, name=f"Gezin {surname} {number}")
            for number, (_l, surname, _c, separated) in enumerate(plans)
            for _ in range(2 if separated else 1)
        ),
    )
    households, guardian_rows, link_rows = [], [], []
    family_iter = iter(families)
    for language, surname, children, separated in plans:
        firsts = LANGUAGES[language][1]
        interpreter = language != "nl" and rng.random() < 0.5
        for _part in range(2 if separated else 1):
            family = next(family_iter)
            number = len(households)
            count = 2 if number in with_two else 1
            members = [
                Guardian(
                    family=family,
                    first_name=rng.choice(firsts),
                    last_name=surname,
                    phone=f"06{rng.randint(10000000, 99999999)}",
                    email=f"ouder{number}-{i}@bench.test" if rng.random() < 0.7 else "",
                    language=language,
                    needs_interpreter=interpreter,
                )
                for i in range(count)
            ]
            guardian_rows.extend(members)
            households.append(_Household(family, members, children))
            for child in children:
                child.households.append(households[-1])
    built.bulk(Guardian, guardian_rows)
    for household_number, household in enumerate(households):
        second_home = (
            household_number > 0 and household.children is households[household_number - 1].children
        )
        for position, guardian in enumerate(household.guardians):
            # The parent the children do not live with sometimes has no parental authority.
            authority = not second_home or rng.random() < 0.8
            relation = (
                Relation.FATHER if second_home else (Relation.MOTHER, Relation.FATHER)[position]
            )
            for child in household.children:
                link_rows.append(
                    PupilGuardian(
                        pupil=child.pupil,
                        guardian=guardian,
                        relation=relation,
                        has_parental_authority=authority,
                        lives_with=not second_home,
                        information_right=InformationRight.FULL
                        if authority
                        else InformationRight.ON_REQUEST,
                    )
                )
    built.bulk(PupilGuardian, link_rows)
    progress.step("families, guardians and links")
    return households


def _add_year(rng, built, year, last, school_list, school_pupils, households, progress):
    """One school year of history at every school. In the last year only what happened before the
    reference day has happened; later moments are still planned."""
    until = min(year.end, REFERENCE_DAY)
    enrolled = {
        school_id: [p for p in plans if built.years.index(year) in p.grades]
        for school_id, plans in school_pupils.items()
    }
    _add_conversations(rng, built, year, last, school_list, enrolled)
    _add_plans_and_contacts(rng, built, year, until, households)
    _add_activities(rng, built, year, until, school_list, enrolled)
    _add_plan_and_evaluations(rng, built, year, last, until, school_list)
    progress.step(f"year {year.label}")


def _add_conversations(rng, built, year, last, school_list, enrolled):
    monday = year.start.replace(month=9, day=1)
    monday += datetime.timedelta(days=(7 - monday.weekday()) % 7)
    rounds = built.bulk(
        Round,
        (
            Round(
                school=s,
                school_year=year,
                window_start=monday,
                window_end=monday + datetime.timedelta(days=18),
                modes=["school"],
                created_by=built.directors[s.pk],
            )
            for s in school_list
        ),
    )
    statuses = (
        {"held": 70, "booked": 8, "to_plan": 10, "not_reached": 12}
        if last
        else {"held": 85, "to_plan": 5, "not_reached": 10}
    )
    rows, families = [], []
    for round in rounds:
        for plan in enrolled[round.school_id]:
            status = _weighted(rng, statuses)
            held_at = child_present = None
            reason = ""
            if status == ConversationStatus.HELD:
                chance = rng.random()
                if chance < 0.8:
                    day = _day_between(rng, round.window_start, round.window_end)
                    held_at = _aware(day, rng.randint(8, 17), rng.choice((0, 20, 40)))
                elif chance < 0.85:
                    # Just after midnight after the last day: outside the window locally, inside
                    # it in UTC. The figures must use the school's local date.
                    held_at = _aware(round.window_end + datetime.timedelta(days=1), 0, 15)
                else:
                    day = round.window_end + datetime.timedelta(days=rng.randint(1, 40))
                    held_at = _aware(day, 15)
                child_present = rng.random() < 0.8
                reason = "" if child_present else "ziek"
            grade = plan.grades[built.years.index(year)]
            teacher = built.teachers[(round.school_id, grade)]
            rows.append(
                StartConversation(
                    round=round,
                    pupil=plan.pupil,
                    school_year=year,
                    group=built.group_of[(round.school_id, year.pk, grade)],
                    status=status,
                    held_at=held_at,
                    child_present=child_present,
                    child_absent_reason=reason,
                    conducted_by=teacher if held_at else None,
                )
            )
            families.append(plan.households[0].family if plan.households else None)
    conversations = built.bulk(StartConversation, rows)
    _add_slots_and_bookings(rng, built, rounds, conversations, families)


def _slot_starts(round):
    """Every slot time of a round's window, in order: 20 minutes each, 8:00 to 17:00 on weekdays.
    A teacher takes them in turn, so no two slots of the same person overlap."""
    day = round.window_start
    while day <= round.window_end:
        if day.weekday() < 5:
            for index in range(SLOTS_PER_DAY):
                yield _aware(day, 8) + datetime.timedelta(minutes=SLOT_MINUTES * index)
        day += datetime.timedelta(days=1)


def _add_slots_and_bookings(rng, built, rounds, conversations, families):
    """A slot with a booking for every booked or held conversation, with the teacher of the
    child's group; one free slot for about every ten booked ones."""
    round_of = {r.pk: r for r in rounds}
    times = {}  # teacher id -> the teacher's slot times still free in this round
    slots, bookings = [], []
    for conversation, family in zip(conversations, families, strict=True):
        booked = conversation.status in (ConversationStatus.HELD, ConversationStatus.BOOKED)
        if family is None or not booked:
            continue
        round = round_of[conversation.round_id]
        teacher = built.teachers[(round.school_id, conversation.group.lowest_grade)]
        free = times.setdefault((round.pk, teacher.pk), _slot_starts(round))
        for _ in range(2 if rng.random() < 0.1 else 1):
            starts_at = next(free, None)
            if starts_at is None:
                break  # the teacher's window is full
            slots.append(
                Slot(
                    round=round,
                    staff=teacher,
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(minutes=SLOT_MINUTES),
                )
            )
            bookings.append((conversation, family, teacher))
    created = built.bulk(Slot, slots)
    seen = set()
    rows = []
    for slot, (conversation, family, teacher) in zip(created, bookings, strict=True):
        if conversation.pk in seen:
            continue  # the second slot of a pair stays free
        seen.add(conversation.pk)
        rows.append(
            Booking(
                slot=slot,
                conversation=conversation,
                family=family,
                booked_by=teacher,
                by_staff=True,
            )
        )
    built.bulk(Booking, rows)


def _add_plans_and_contacts(rng, built, year, until, households):
    year_index = built.years.index(year)
    present = [(h, [c for c in h.children if year_index in c.grades]) for h in households]
    present = [(h, children) for h, children in present if children]
    plans = built.bulk(
        CommunicationPlan,
        (
            CommunicationPlan(
                family=h.family,
                school_year=year,
                agreed_on=year.start + datetime.timedelta(days=rng.randint(40, 70)),
                language=h.guardians[0].language,
            )
            for h, _children in present
            if rng.random() < 0.55
        ),
    )
    children_of = {h.family.pk: children for h, children in present}
    agreements = built.bulk(
        Agreement,
        (
            Agreement(
                plan=plan,
                what="Bellen over hoe het gaat",
                pupil=pupil,
                channel=rng.choice(CHANNELS),
                responsible=rng.choice(built.staff[pupil.school_id]),
                schedule="once",
                on_date=plan.agreed_on + datetime.timedelta(days=30),
            )
            for plan in plans
            for _ in range(rng.choice((1, 1, 2)))
            for pupil in [rng.choice(children_of[plan.family_id]).pupil]
        ),
    )
    moments = []
    for agreement in agreements:
        first = agreement.on_date
        days = sorted(
            {_day_between(rng, first, year.end - datetime.timedelta(days=30)) for _ in range(3)}
        )
        for day in days[: rng.randint(1, 3)]:
            if day < until:
                status = _weighted(rng, {"held": 65, "missed": 10, "moved": 5, "planned": 20})
            else:
                status = MomentStatus.PLANNED
            moments.append(ContactMoment(agreement=agreement, due_on=day, status=status))
    built.bulk(ContactMoment, moments)
    family_of_plan = {plan.pk: plan.family_id for plan in plans}
    agreement_of = {a.pk: a for a in agreements}
    logs = []
    for moment in moments:
        if moment.status != MomentStatus.HELD:
            continue
        agreement = agreement_of[moment.agreement_id]
        shift = _weighted(rng, {0: 75, 1: 5, 4: 10, 9: 5, -2: 5})  # days after the due day
        logs.append(
            _log(
                rng,
                built,
                family_id=family_of_plan[agreement.plan_id],
                pupil=agreement.pupil,
                day=moment.due_on + datetime.timedelta(days=shift),
                moment=moment,
                by=agreement.responsible,
            )
        )
    for household, children in present:
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            child = rng.choice(children).pupil
            pupil = child if rng.random() < 0.8 else None
            day = _day_between(rng, year.start, until)
            logs.append(
                _log(
                    rng,
                    built,
                    family_id=household.family.pk,
                    pupil=pupil,
                    day=day,
                    by=rng.choice(built.staff[child.school_id]),
                )
            )
    built.bulk(ContactLog, logs)


def _log(rng, built, *, family_id, pupil, day, by, moment=None):
    tone = rng.choice(TONES)
    return ContactLog(
        family_id=family_id,
        pupil=pupil,
        moment=moment,
        by=by,
        happened_on=day,
        channel=rng.choice(CHANNELS),
        tone=tone,
        follow_up_on=day + datetime.timedelta(days=14) if tone == Tone.CONCERN else None,
    )


def _add_activities(rng, built, year, until, school_list, enrolled):
    activities = []
    for school in school_list:
        for _ in range(rng.randint(8, 14)):
            day = _day_between(rng, year.start + datetime.timedelta(days=30), year.end)
            start = _aware(day, rng.choice((8, 14, 19)))
            activities.append(
                Activity(
                    school=school,
                    school_year=year,
                    kind=rng.choice(ActivityKind.values),
                    partnership=_weighted(rng, PARTNERSHIP_WEIGHTS),
                    title="Activiteit voor ouders",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=1, minutes=30),
                )
            )
    built.bulk(Activity, activities)
    families_at = {}
    for school in school_list:
        seen = {}
        for plan in enrolled[school.pk]:
            for household in plan.households:
                seen[household.family.pk] = None
        families_at[school.pk] = list(seen)
    invitations = []
    for activity in activities:
        families = families_at[activity.school_id]
        for family_id in rng.sample(families, k=len(families) // 4):
            invitations.append(Invitation(activity=activity, family_id=family_id))
    built.bulk(Invitation, invitations)
    held = {a.pk: a.starts_at for a in activities if a.starts_at.date() < until}
    activity_school = {a.pk: a.school_id for a in activities}
    built.bulk(
        Attendance,
        (
            Attendance(
                invitation=i,
                registered_at=held[i.activity_id],
                registered_by=built.directors[activity_school[i.activity_id]],
            )
            for i in invitations
            if i.activity_id in held and rng.random() < 0.45
        ),
    )


def _add_plan_and_evaluations(rng, built, year, last, until, school_list):
    plans = built.bulk(
        PartnershipPlan, (PartnershipPlan(school=s, school_year=year) for s in school_list)
    )
    statuses = (
        {"planned": 4, "in_progress": 5, "achieved": 1}
        if last
        else {"achieved": 6, "in_progress": 2, "dropped": 2}
    )
    built.bulk(
        Goal,
        (
            Goal(
                plan=plan,
                partnership=_weighted(rng, PARTNERSHIP_WEIGHTS),
                description="Meer ouders op de koffieochtend",
                term=rng.choice(GoalTerm.values),
                status=_weighted(rng, statuses),
            )
            for plan in plans
            for _ in range(rng.randint(5, 8))
        ),
    )
    quarters = [(q, year.start + datetime.timedelta(days=60 + 91 * (q - 1))) for q in range(1, 5)]
    evaluations = built.bulk(
        Evaluation,
        (
            Evaluation(school=s, school_year=year, quarter=q, held_on=day)
            for s in school_list
            for q, day in quarters
            if day < until
        ),
    )
    built.bulk(
        EvaluationScore,
        (
            EvaluationScore(evaluation=e, partnership=p, score=rng.randint(2, 5))
            for e in evaluations
            for p in Partnership.values
        ),
    )
    assessments = built.bulk(
        SelfAssessment,
        (
            SelfAssessment(
                school=s,
                school_year=year,
                framework=framework,
                assessed_on=min(until, year.start + datetime.timedelta(days=80)),
            )
            for s in school_list
            for framework in FRAMEWORK_ITEMS
        ),
    )
    built.bulk(
        SelfAssessmentItem,
        (
            SelfAssessmentItem(assessment=a, item=item, score=rng.randint(1, 4))
            for a in assessments
            for item in FRAMEWORK_ITEMS[a.framework]
        ),
    )
