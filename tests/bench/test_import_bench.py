"""The import bench's floor writes the same rows as the import: a column added to a model later
must not break it (it did once: a new NOT NULL column without a database default)."""

import pytest
from django.db import connection

from bench import import_bench
from parents.models import Guardian
from schools.models import Pupil

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
