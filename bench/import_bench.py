"""Import of 15,000 pupils and 25,000 guardians, against the floor of the database itself: a
PostgreSQL COPY of the same parsed rows (on SQLite: executemany of the same rows).

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
from parents.models import Family, Guardian
from schools.models import Board, Group, Pupil, School, SchoolYear

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
    table = read_table(data)
    pupils, families, guardians = [], [], []
    for n, (_row, cells) in enumerate(table.rows):
        born = datetime.datetime.strptime(cells[4], "%d-%m-%Y").date()
        pupils.append((school.pk, cells[0], "", cells[1], cells[2], cells[3], born))
        families.append((n, school.board_id, f"Gezin {cells[3]}"))
        guardians.append((n, cells[6], cells[3], cells[7], cells[8]))
        if cells[10]:
            guardians.append((n, cells[9], cells[3], cells[10], ""))
    return pupils, families, guardians


PUPIL_COLUMNS = ("school_id", "pupil_number", "eck_id", "first_name", "infix", "last_name")
PUPIL_COLUMNS += ("date_of_birth",)
FAMILY_COLUMNS = ("id", "board_id", "name")
GUARDIAN_COLUMNS = ("family_id", "first_name", "last_name", "email", "phone")


def with_defaults(model, columns, rows):
    """The rows with every other column of ``model`` at its default, as the database stores it:
    a column added to a model later never breaks the floor (NOT NULL without a database
    default)."""
    given = set(columns)
    others = [f for f in model._meta.concrete_fields if f.column not in given and not f.primary_key]
    values = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
    return ", ".join([*columns, *(f.column for f in others)]), [(*row, *values) for row in rows]


def run_copy(data):
    def work(school):
        pupils, families, guardians = _parsed_rows(data, school)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM parents_family")
            base = cursor.fetchone()[0]
            family_rows = [(base + n, board, name) for n, board, name in families]
            guardian_rows = [(base + n, *rest) for n, *rest in guardians]
            write = _copy if connection.vendor == "postgresql" else _executemany
            write(cursor, "schools_pupil", *with_defaults(Pupil, PUPIL_COLUMNS, pupils))
            write(cursor, "parents_family", *with_defaults(Family, FAMILY_COLUMNS, family_rows))
            write(
                cursor,
                "parents_guardian",
                *with_defaults(Guardian, GUARDIAN_COLUMNS, guardian_rows),
            )

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
