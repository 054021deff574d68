"""Importing from the administration: the director and the IB'er of the school; the uploaded
file only for the staff member who uploaded it."""

from parents.importing.models import ImportRun
from schools.models import ImportBatch
from tests.access.matrix import Case, expect

CSV = b"leerlingnummer;roepnaam;achternaam;geboortedatum;groep\n1;A;B;01-01-2018;5\n"


def _batch(world, school_world, uploader):
    batch = ImportBatch.objects.create(
        school=school_world.school, uploaded_by=uploader, filename="export.csv", content=CSV
    )
    return {"pk": school_world.school.pk, "batch_pk": batch.pk}


# The board steers and does not import (it sees no names or contact data).
def _run(world, school_world):
    run = ImportRun.objects.create(school=school_world.school, filename="export.csv")
    return {"pk": school_world.school.pk, "run_pk": run.pk}


RECORD_KEEPERS = expect(anonymous=302, intern_begeleider=200, director=200)
UPLOADER_ONLY = expect(anonymous=302, director=200)

CASES = [
    Case(
        "parents:import-upload",
        own=lambda w: {"pk": w.s1.school.pk},
        foreign=lambda w: {"pk": w.s3.school.pk},
        expect=RECORD_KEEPERS,
        methods=("get", "post"),
    ),
    Case(
        "parents:import-columns",
        own=lambda w: _batch(w, w.s1, w.users["director"]),
        foreign=lambda w: _batch(w, w.s3, w.s3.director),
        expect=UPLOADER_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "parents:import-preview",
        own=lambda w: _batch(w, w.s1, w.users["director"]),
        foreign=lambda w: _batch(w, w.s3, w.s3.director),
        expect=UPLOADER_ONLY,
        methods=("get", "post"),
    ),
    Case(
        "parents:import-run",
        own=lambda w: _run(w, w.s1),
        foreign=lambda w: _run(w, w.s3),
        expect=RECORD_KEEPERS,
        methods=("get", "post"),
    ),
]
