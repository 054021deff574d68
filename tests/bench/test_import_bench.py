"""The import bench's floor writes the same rows as the import: a column added to a model later
must not break it (it did once: a new NOT NULL column without a database default)."""

import pytest
from django.db import connection

from bench import import_bench
from parents.models import Family, Guardian, PupilGuardian
from schools.models import Enrolment, Pupil

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_floor_and_the_import_both_write_a_small_file_and_leave_nothing():
    data = import_bench.export_file(6)
    # Benches that ran before filled Django's query log (9,000 at most): counting still works.
    connection.queries_log.extend({"sql": "", "time": "0"} for _ in range(9000))
    queries, rows = import_bench.run_import(data)
    assert queries > 0
    assert rows == 6 + 6 + 4  # pupils, their mothers, a father for two of every three
    import_bench.run_copy(data)
    assert not Pupil.objects.exists() and not Guardian.objects.exists()


def test_the_floor_writes_the_five_tables_the_import_writes():
    """A floor that leaves tables out makes the import look slower than it is."""
    data = import_bench.export_file(6)
    written = {}

    def count(school):
        for model in (Pupil, Enrolment, Family, Guardian, PupilGuardian):
            written[model.__name__] = model.objects.filter(**SCHOOL_OF[model]).count()

    import_bench.run_copy(data, before_rollback=count)

    assert written == {
        "Pupil": 6,
        "Enrolment": 6,
        "Family": 6,  # one household per pupil
        "Guardian": 10,  # a mother for each, a father for two of every three
        "PupilGuardian": 10,
    }
    assert not Pupil.objects.exists() and not Guardian.objects.exists()


SCHOOL_OF = {
    Pupil: {"school__brin": "99ZZ"},
    Enrolment: {"pupil__school__brin": "99ZZ"},
    Family: {"board__name": "Bench-bestuur"},
    Guardian: {"family__board__name": "Bench-bestuur"},
    PupilGuardian: {"pupil__school__brin": "99ZZ"},
}
