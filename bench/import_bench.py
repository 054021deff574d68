"""Import of 15,000 pupils and 25,000 guardians, against the floor of the database itself: a
PostgreSQL COPY of the same parsed rows into the same five tables (pupils, enrolments, families,
guardians and their links to the pupils; on SQLite: executemany of the same rows).

Figures:
- ``import_vs_copy``: rows per second of our import (parse, plan, write) divided by those of the
  bare copy; the aim is at least 0.15.
- ``import_queries_per_1000_rows`` at two sizes: it must not grow with the file (batches, not rows).

Everything happens inside a transaction that is rolled back: the database is left as it was.
"""

import datetime

from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext

from bench import interleaved
from parents.importing.apply import import_table
from parents.importing.mapping import resolve
from parents.importing.tabular import read_table
from parents.models import Family, Guardian, PupilGuardian
from schools.models import Board, Enrolment, Group, Pupil, School, SchoolYear

PUPILS = 15_000
HEADER = (
    "leerlingnummer;roepnaam;tussenvoegsel;achternaam;geboortedatum;groep;"
    "voornaam ouder 1;e-mail ouder 1;telefoon ouder 1;voornaam ouder 2;e-mail ouder 2"
)


class Rollback(Exception):
    pass


def export_file(pupils):
    """Two guardians for two of every three pupils: 15,000 pupils -> 25,000 guardians."""
    lines = [HEADER]
    for i in range(pupils):
        second = f"Vader{i};vader{i}@bench.test" if i % 3 else ";"
        lines.append(
            f"B{i:06d};Kind{i};;Achternaam{i};{1 + i % 28:02d}-0{1 + i % 9}-2017;{1 + i % 8};"
            f"Moeder{i};moeder{i}@bench.test;06{i:08d};{second}"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def _school():
    board = Board.objects.create(name="Bench-bestuur")
    school = School.objects.create(
        board=board, name="Bench", brin="99ZZ", location_code="99", sector="PO", city="Den Haag"
    )
    year = SchoolYear.current()
    for grade in range(1, 9):
        Group.objects.create(
            school=school,
            school_year=year,
            name=str(grade),
            lowest_grade=grade,
            highest_grade=grade,
        )
    return school


def _in_rollback(work):
    try:
        with transaction.atomic():
            work(_school())
            raise Rollback
    except Rollback:
        pass


def run_import(data):
    queries = []

    def work(school):
        table = read_table(data)
        reset_queries()  # Django logs 9,000 queries at most: count from an empty log
        with CaptureQueriesContext(connection) as captured:
            result = import_table(school=school, table=table, columns=resolve(table.headers))
        assert result.added and result.guardians_added
        queries.append((len(captured), result.added + result.guardians_added))

    _in_rollback(work)
    return queries[0]


def _parsed_rows(data, school):
    """The file's rows as the five tables the import writes, keyed by position: pupils, their
    enrolments (in the group named by the grade), families, guardians and the links of each
    guardian to the pupil."""
    table = read_table(data)
    groups = {g.name: g.pk for g in Group.objects.filter(school=school)}
    year = SchoolYear.current().pk
    pupils, enrolments, families, guardians, links = [], [], [], [], []
    for n, (_row, cells) in enumerate(table.rows):
        born = datetime.datetime.strptime(cells[4], "%d-%m-%Y").date()
        pupils.append((n, school.pk, cells[0], "", cells[1], cells[2], cells[3], born))
        enrolments.append((n, groups[cells[5]], year))
        families.append((n, school.board_id, f"Gezin {cells[3]}"))
        guardians.append((len(guardians), n, cells[6], cells[3], cells[7], cells[8]))
        links.append((n, guardians[-1][0]))
        if cells[10]:
            guardians.append((len(guardians), n, cells[9], cells[3], cells[10], ""))
            links.append((n, guardians[-1][0]))
    return pupils, enrolments, families, guardians, links


PUPIL_COLUMNS = ("id", "school_id", "pupil_number", "eck_id", "first_name", "infix", "last_name")
PUPIL_COLUMNS += ("date_of_birth",)
ENROLMENT_COLUMNS = ("pupil_id", "group_id", "school_year_id")
FAMILY_COLUMNS = ("id", "board_id", "name")
GUARDIAN_COLUMNS = ("id", "family_id", "first_name", "last_name", "email", "phone")
LINK_COLUMNS = ("pupil_id", "guardian_id", "relation")


def with_defaults(model, columns, rows):
    """The rows with every other column of ``model`` at its default, as the database stores it:
    a column added to a model later never breaks the floor (NOT NULL without a database
    default)."""
    given = set(columns)
    others = [f for f in model._meta.concrete_fields if f.column not in given and not f.primary_key]
    values = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
    return ", ".join([*columns, *(f.column for f in others)]), [(*row, *values) for row in rows]


def _next_id(cursor, table):
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def run_copy(data, *, before_rollback=None):
    """The floor: the same rows in the same five tables as the import (pupils, enrolments,
    families, guardians, links), written by the database's fastest path, with ids chosen here
    instead of returned (the rows are rolled back, the sequences stay untouched)."""

    def work(school):
        pupils, enrolments, families, guardians, links = _parsed_rows(data, school)
        with connection.cursor() as cursor:
            pupil = _next_id(cursor, "schools_pupil")
            family = _next_id(cursor, "parents_family")
            guardian = _next_id(cursor, "parents_guardian")
            write = _copy if connection.vendor == "postgresql" else _executemany
            tables = (
                (Pupil, PUPIL_COLUMNS, [(pupil + n, *rest) for n, *rest in pupils]),
                (Enrolment, ENROLMENT_COLUMNS, [(pupil + n, *rest) for n, *rest in enrolments]),
                (Family, FAMILY_COLUMNS, [(family + n, *rest) for n, *rest in families]),
                (
                    Guardian,
                    GUARDIAN_COLUMNS,
                    [(guardian + g, family + n, *rest) for g, n, *rest in guardians],
                ),
                (
                    PupilGuardian,
                    LINK_COLUMNS,
                    [(pupil + n, guardian + g, "parent") for n, g in links],
                ),
            )
            for model, columns, rows in tables:
                write(cursor, model._meta.db_table, *with_defaults(model, columns, rows))
        if before_rollback is not None:
            before_rollback(school)

    _in_rollback(work)


def _copy(cursor, table, columns, rows):
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _executemany(cursor, table, columns, rows):
    marks = ", ".join(["%s"] * len(columns.split(",")))
    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def run():
    data = export_file(PUPILS)
    import_time, copy_time = interleaved([lambda: run_import(data), lambda: run_copy(data)], 3)
    yield "import_rows", f"{PUPILS} pupils + 25000 guardians ({connection.vendor})"
    yield "import_seconds", round(import_time, 2)
    yield "import_vs_copy", round(copy_time / import_time, 3)
    for size in (1_500, PUPILS):
        queries, rows = run_import(export_file(size))
        yield f"import_queries_{size}_pupils", queries
        yield f"import_queries_per_1000_rows_{size}_pupils", round(1000 * queries / rows, 2)
