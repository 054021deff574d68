"""Excel and CSV as people save them: title rows above the header, day numbers for dates, footer
rows, a column mapping on the command line; and a workbook too large refused at once."""

import datetime
import io
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from parents.importing import ImportRefused
from parents.importing.apply import import_table
from parents.importing.mapping import resolve
from parents.importing.plan import make_plan
from parents.importing.tabular import read_table
from schools.models import ImportBatch, Pupil
from tests.importing import xlsx_files

pytestmark = pytest.mark.django_db


def excel(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = ["leerlingnummer", "roepnaam", "achternaam", "geboortedatum", "groep", "e-mail ouder 1"]


def test_an_export_with_title_rows_day_numbers_and_footers_imports(school):
    data = excel(
        [
            ["Leerlingen 2026-2027"],
            ["Basisschool De Regenboog", None, None, "afgedrukt 3-9-2026"],
            HEADER,
            [3001, "Sem", "Bos", 43132, "Groep 5", "bos@example.test"],  # General cell: a number
            [3002, "Aya", "Smit", datetime.datetime(2017, 5, 1), "3", "smit@example.test"],
            [None, None, None, None, None, None],
            ["Totaal: 2 leerlingen"],
            ["Afgedrukt op 3 september 2026", None, "pagina 1 van 1"],
        ]
    )
    table = read_table(data, "export.xlsx")
    assert table.header_row == 3
    plan = make_plan(school=school, table=table, columns=resolve(table.headers))
    assert [str(e) for e in plan.errors] == []
    assert plan.notices == [
        "Rij 3 is gelezen als de kopregel; de rij(en) erboven zijn overgeslagen.",
        "Rij 7 is overgeslagen: dat lijkt een totaalregel.",
        "Rij 8 is overgeslagen: dat lijkt een totaalregel.",
    ]
    import_table(school=school, table=table, columns=resolve(table.headers))
    assert Pupil.objects.get(pupil_number="3001").date_of_birth == datetime.date(2018, 2, 1)
    assert Pupil.objects.get(pupil_number="3002").date_of_birth == datetime.date(2017, 5, 1)


def test_missing_columns_say_which_row_was_read_as_header(world, client_for):
    director = client_for("director")
    school = world.s1.school
    data = b"Export leerlingen;;;\nNummer;Roepnaam;Achternaam;Klas\n1;A;B;5\n"
    director.post(
        reverse("parents:import-upload", kwargs={"pk": school.pk}),
        {"file": SimpleUploadedFile("export.csv", data)},
    )
    batch = ImportBatch.objects.get()
    columns = reverse("parents:import-columns", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    page = director.get(columns).content.decode()
    assert "Rij 2 van het bestand is gelezen als de kopregel" in page


def test_command_maps_columns_and_names_the_header_row(school, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        b"Nummer;roepnaam;achternaam;geboortedatum;groep;e-mail ouder 1\n"
        b"3003;Lot;Jansen;01-03-2017;5;jansen@example.test\n"
    )
    with pytest.raises(CommandError, match="Rij 1 is gelezen als de kopregel"):
        call_command("import_pupils", str(path), "--school", "12AB00", stdout=StringIO())
    with pytest.raises(CommandError, match="geen kolom 'Numer'"):
        call_command(
            "import_pupils", str(path), "--school", "12AB00", "--map", "Numer=leerlingnummer"
        )
    call_command(
        "import_pupils",
        str(path),
        "--school",
        "12AB00",
        "--map",
        "Nummer=leerlingnummer",
        stdout=StringIO(),
    )
    assert Pupil.objects.filter(school=school, pupil_number="3003").exists()


def test_a_sheet_that_declares_twenty_million_cells_is_refused_before_reading():
    data = xlsx_files.workbook(3, columns=4, dimension="A1:OJ50000")
    with pytest.raises(ImportRefused) as refused:
        read_table(data, "export.xlsx")
    assert str(refused.value).startswith(
        "Dit werkblad is te groot: 20.000.000 cellen (50.000 rijen en 400 kolommen)."
    )


def test_a_sheet_without_a_dimension_is_counted_while_read(settings):
    settings.IMPORT_MAX_CELLS = 10_000
    data = xlsx_files.workbook(300, columns=100)
    with pytest.raises(ImportRefused, match="Dit werkblad is te groot"):
        read_table(data, "export.xlsx")


def test_what_a_workbook_unpacks_to_is_capped(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 50_000
    data = xlsx_files.workbook(300, columns=40)
    assert len(data) < 50_000
    with pytest.raises(ImportRefused, match="uitgepakt meer dan"):
        read_table(data, "export.xlsx")


def test_a_doctype_deep_in_a_sheet_is_refused():
    prologue = "<!-- " + "x" * 100_000 + ' --><!DOCTYPE worksheet [<!ENTITY a "aaaa">]>'
    data = xlsx_files.workbook(2, columns=2, prologue=prologue)
    with pytest.raises(ImportRefused, match="DOCTYPE"):
        read_table(data, "export.xlsx")
