"""The import pages: upload, map columns once, preview, confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools.models import AuditEvent, ImportBatch, ImportColumnMapping, Pupil
from tests.importing.conftest import csv_bytes, snapshot

pytestmark = pytest.mark.django_db


def upload(client, school, data, name="export.csv"):
    return client.post(
        reverse("parents:import-upload", kwargs={"pk": school.pk}),
        {"file": SimpleUploadedFile(name, data)},
    )


@pytest.fixture
def director(world, client_for):
    return client_for("director")


def test_upload_preview_confirm(world, director):
    school = world.s1.school
    data = csv_bytes("9001;Sem;;Bos;01-05-2017;5;bos@example.test;;")
    response = upload(director, school, data)
    batch = ImportBatch.objects.get()
    preview = reverse("parents:import-preview", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    assert response.url == preview
    page = director.get(preview)
    assert page.status_code == 200
    assert page.context["plan"].added[0].pupil_number == "9001"
    assert not Pupil.objects.filter(pupil_number="9001").exists()  # nothing before confirming
    response = director.post(preview)
    assert response.status_code == 302
    assert Pupil.objects.filter(pupil_number="9001", school=school).exists()
    assert not ImportBatch.objects.exists()  # the file is not kept
    assert AuditEvent.objects.filter(action="import", school=school).count() == 1


def test_columns_are_asked_once_and_remembered(world, director):
    school = world.s1.school
    data = b"Nummer;Roepnaam;Achternaam;Geboren;Klas\n9002;Aya;Bos;01-05-2017;5\n"
    upload(director, school, data)
    batch = ImportBatch.objects.get()
    preview = reverse("parents:import-preview", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    columns = reverse("parents:import-columns", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    assert director.get(preview).url == columns
    mapping = {
        "pupil_number": "Nummer",
        "first_name": "Roepnaam",
        "last_name": "Achternaam",
        "date_of_birth": "Geboren",
        "group": "Klas",
    }
    assert director.post(columns, mapping).url == preview
    assert ImportColumnMapping.objects.get(school=school).columns == mapping
    # The next upload of the same shape goes straight to the preview.
    upload(director, school, data)
    batch = ImportBatch.objects.get()
    page = director.get(
        reverse("parents:import-preview", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    )
    assert page.status_code == 200


def test_file_with_errors_offers_only_the_good_rows(world, director):
    school = world.s1.school
    data = csv_bytes("9003;Sem;;Bos;31-02-2016;5;;;", "9004;Bo;;Smit;01-02-2016;5;;;")
    upload(director, school, data)
    batch = ImportBatch.objects.get()
    preview = reverse("parents:import-preview", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    page = director.get(preview).content.decode()
    assert "rij 2, geboortedatum: &#x27;31-02-2016&#x27; is geen datum" in page
    assert "Alleen de goede rijen inlezen" in page
    before = snapshot()
    director.post(preview, {})  # without the choice: nothing
    assert snapshot() == before
    director.post(preview, {"only_good_rows": "1"})
    assert list(
        Pupil.objects.filter(pupil_number__startswith="900").values_list("pupil_number", flat=True)
    ) == ["9004"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leerlingen.pdf", b"%PDF-1.4", "Kies een CSV"),
        ("export.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        ("export.csv", csv_bytes("1;A;;B;01-01-2018;5;;;", header="bsn;" + "x" * 3), "BSN"),
    ],
)
def test_bad_upload_is_refused_and_not_stored(world, director, name, data, message):
    response = upload(director, world.s1.school, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_over_the_limit_is_refused(world, director, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(director, world.s1.school, csv_bytes(*["1;A;;B;01-01-2018;5;;;"] * 10))
    assert "te groot" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_edexml_upload_goes_straight_to_the_preview(world, director, time_machine):
    import datetime
    from pathlib import Path

    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC))
    school = world.s1.school
    school.brin, school.location_code = "12AB", "00"
    school.save()
    data = (Path(__file__).resolve().parents[2] / "samples" / "edexml.xml").read_bytes()
    upload(director, school, data, "export.xml")
    batch = ImportBatch.objects.get()
    preview = reverse("parents:import-preview", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    page = director.get(preview)
    assert page.status_code == 200
    assert len(page.context["plan"].added) == 3
    director.post(preview)
    assert (
        Pupil.objects.filter(school=school, pupil_number__in=["6001", "6002", "6003"]).count() == 3
    )
    assert AuditEvent.objects.filter(action="import", school=school).count() == 1


def test_retention_task_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["anonymise-left-pupils"]
    assert schedule["task"] == "partnership.tasks.anonymise_left_pupils"


@pytest.mark.parametrize(("role", "sees_it"), [("intern_begeleider", True), ("teacher", False)])
def test_who_may_import_finds_the_link_on_the_school_page(world, client_for, role, sees_it):
    page = client_for(role).get(reverse("schools:school-detail", kwargs={"pk": world.s1.school.pk}))
    link = reverse("parents:import-upload", kwargs={"pk": world.s1.school.pk})
    assert (link in page.content.decode()) is sees_it


@pytest.mark.parametrize(
    ("weeks_after_first_day", "told"),
    [
        (1, "Na het inlezen krijgen 2 nieuwe ouders/verzorgers het welkomstbericht"),
        (10, "het welkomstbericht gaat niet naar de 2 nieuwe ouders/verzorgers"),
    ],
)
def test_preview_says_whether_the_new_guardians_get_the_welcome(
    world, director, time_machine, weeks_after_first_day, told
):
    """Issue 17: the import says what messages it will cause before anyone confirms it. In
    the first weeks of the year new guardians get the welcome; later nobody does."""
    import datetime

    from schools.calendar import first_school_day
    from schools.models import SchoolYear

    school = world.s1.school
    first_day = first_school_day(school, SchoolYear.for_date(datetime.date(2026, 12, 7)))
    time_machine.move_to(first_day + datetime.timedelta(weeks=weeks_after_first_day))
    upload(
        director,
        school,
        csv_bytes("9001;Sem;;Bos;01-05-2017;5;bos@example.test;;bos2@example.test"),
    )
    batch = ImportBatch.objects.get()

    page = director.get(
        reverse("parents:import-preview", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    )

    assert told in page.content.decode()
