"""A BSN is refused by its value too, under any header (UAVG art. 46): never kept, not even for a
preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parents.importing import ImportRefused
from parents.importing.mapping import passes_eleven_test
from parents.importing.tabular import read_table
from schools.models import ImportBatch

pytestmark = pytest.mark.django_db

HEADER = "leerlingnummer;roepnaam;achternaam;geboortedatum;groep;telefoon ouder 1;notitie"


def csv(*lines):
    return ("\n".join((HEADER, *lines)) + "\n").encode()


def test_the_eleven_test():
    assert passes_eleven_test("123456782")
    assert not passes_eleven_test("123456789")


def test_a_bsn_under_another_header_is_refused_at_upload(world, client_for):
    director = client_for("director")
    data = csv(
        "1;Sem;Bos;01-05-2017;5;0612345678;",
        "2;Aya;Smit;01-05-2017;5;0612345679;1234.56.782",
    )
    response = director.post(
        reverse("parents:import-upload", kwargs={"pk": world.s1.school.pk}),
        {"file": SimpleUploadedFile("export.csv", data)},
    )
    page = response.content.decode()
    assert "In kolom &#x27;notitie&#x27; staat een BSN (rij 3)" in page
    assert "1234.56.782" not in page
    assert not ImportBatch.objects.exists()


def test_nine_digit_pupil_numbers_are_no_bsn_column():
    # 123456782 passes the 11-proef by chance; 123456789 does not: a column of pupil numbers.
    table = read_table(
        csv("123456782;Sem;Bos;01-05-2017;5;;", "123456789;Aya;Smit;01-05-2017;5;;"), "x.csv"
    )
    assert [cells[0] for _row, cells in table.rows] == ["123456782", "123456789"]


def test_a_phone_number_that_lost_its_zero_is_no_bsn():
    number = next(str(n) for n in range(612340000, 612349999) if passes_eleven_test(str(n)))
    table = read_table(csv(f"1;Sem;Bos;01-05-2017;5;{number};"), "x.csv")
    assert table.rows[0][1][5] == number


def test_a_bsn_column_of_several_rows_is_refused():
    with pytest.raises(ImportRefused, match="In kolom 'leerlingnummer' staat een BSN"):
        read_table(
            csv("123456782;Sem;Bos;01-05-2017;5;;", "111222333;Aya;Smit;01-05-2017;5;;"), "x.csv"
        )
