"""RELIABILITY C1: the CSV import survives a real export's mess, with a clear Dutch message each
time and the database exactly as before."""

import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parents.importing import ImportRefused
from parents.importing.apply import import_table
from parents.importing.mapping import guess, missing, resolve
from parents.importing.plan import make_plan
from parents.importing.tabular import read_table
from parents.models import Guardian, PupilGuardian
from schools.models import Enrolment, Pupil
from tests import factories as f
from tests.importing.conftest import HEADER, csv_bytes, snapshot

pytestmark = pytest.mark.django_db

GOOD = [
    "1001;Sem;de;Jong;01-05-2017;5;jong@example.test;0612345678;",
    "1002;Aya;;El Amrani;2018-02-14;3;amrani@example.test;;vader.amrani@example.test",
    "1003;Lotte;van 't;Hof;14-02-2016;5;;0687654321;",
]


def run(school, data, **options):
    table = read_table(data, "export.csv")
    columns = resolve(table.headers)
    return import_table(school=school, table=table, columns=columns, **options)


def plan_for(school, data):
    table = read_table(data, "export.csv")
    return make_plan(school=school, table=table, columns=resolve(table.headers))


def test_dutch_headers_are_recognised():
    headers = HEADER.split(";") + ["Voornaam ouder 2", "Telefoon ouder 2"]
    columns = guess(headers)
    assert columns["pupil_number"] == "leerlingnummer"
    assert columns["guardian1_email"] == "e-mail ouder 1"
    assert columns["guardian2_phone"] == "Telefoon ouder 2"
    assert missing(columns) == []


def test_remembered_mapping_wins_over_the_guess():
    headers = ["Nummer", "roepnaam", "achternaam", "geboortedatum", "groep"]
    assert "pupil_number" not in guess(headers)
    assert resolve(headers, {"pupil_number": "Nummer"})["pupil_number"] == "Nummer"


def test_import_adds_pupils_enrolments_and_guardians(school):
    result = run(school, csv_bytes(*GOOD))
    assert (result.added, result.changed, result.left) == (3, 0, 0)
    aya = Pupil.objects.get(pupil_number="1002")
    assert aya.date_of_birth == datetime.date(2018, 2, 14)
    assert Enrolment.objects.get(pupil=aya).group.name == "3"
    parents = Guardian.objects.filter(pupil_links__pupil=aya)
    assert sorted(g.email for g in parents) == ["amrani@example.test", "vader.amrani@example.test"]
    assert len({g.family_id for g in parents}) == 1  # one household
    lotte = Pupil.objects.get(pupil_number="1003")
    assert lotte.infix == "van 't"


def test_reimporting_the_same_file_changes_nothing(school):
    run(school, csv_bytes(*GOOD))
    before = snapshot()
    plan = plan_for(school, csv_bytes(*GOOD))
    assert (len(plan.added), len(plan.changed), len(plan.unchanged), len(plan.leaving)) == (
        0,
        0,
        3,
        0,
    )
    assert not plan.new_guardians and not plan.new_links and not plan.guardian_updates
    run(school, csv_bytes(*GOOD))
    assert snapshot() == before


@time_machine.travel(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC))
def test_pupil_missing_from_the_file_is_marked_as_left_not_deleted(school):
    run(school, csv_bytes(*GOOD))
    plan = plan_for(school, csv_bytes(*GOOD[:2]))
    assert [p.pupil_number for p in plan.leaving] == ["1003"]
    assert Pupil.objects.get(pupil_number="1003").left_on is None  # the preview writes nothing
    run(school, csv_bytes(*GOOD[:2]))  # not asked: nobody leaves
    assert Pupil.objects.get(pupil_number="1003").left_on is None
    run(school, csv_bytes(*GOOD[:2]), mark_leavers=True)
    assert Pupil.objects.get(pupil_number="1003").left_on == datetime.date(2026, 11, 24)
    run(school, csv_bytes(*GOOD))  # back again
    assert Pupil.objects.get(pupil_number="1003").left_on is None


def test_changed_group_and_name_are_updated(school):
    run(school, csv_bytes(*GOOD))
    changed = GOOD[0].replace(";5;", ";3;").replace("Sem", "Semmie")
    plan = plan_for(school, csv_bytes(changed, *GOOD[1:]))
    assert len(plan.changed) == 1
    assert sorted(str(c) for c in plan.changed[0][2]) == ["groep", "roepnaam"]
    run(school, csv_bytes(changed, *GOOD[1:]))
    sem = Pupil.objects.get(pupil_number="1001")
    assert sem.first_name == "Semmie"
    assert Enrolment.objects.get(pupil=sem).group.name == "3"


def test_sibling_shares_the_guardian(school):
    sibling = "1004;Noor;de;Jong;01-09-2019;1/2a;jong@example.test;;"
    run(school, csv_bytes(GOOD[0], sibling))
    guardian = Guardian.objects.get(email="jong@example.test")
    assert PupilGuardian.objects.filter(guardian=guardian).count() == 2


def _refused_and_untouched(school, data, message):
    before = snapshot()
    with pytest.raises(ImportRefused) as error:
        run(school, data)
    assert message in str(error.value)
    assert snapshot() == before
    return error


def _errors_and_untouched(school, data):
    run(school, csv_bytes(*GOOD))  # something to protect
    before = snapshot()
    with pytest.raises(ImportRefused, match="fouten"):
        run(school, data)
    assert snapshot() == before
    return [str(e) for e in plan_for(school, data).errors]


def test_bom_is_read(school):
    result = run(school, b"\xef\xbb\xbf" + csv_bytes(*GOOD))
    assert result.added == 3


def test_comma_separated_file_is_read(school):
    data = csv_bytes(*[line.replace(";", ",") for line in GOOD], header=HEADER.replace(";", ","))
    assert run(school, data).added == 3


def test_windows_1252_accents_are_read(school):
    lines = [
        "2001;Jürgen;;Müller;01-05-2017;5;m@example.test;;",
        "2002;Çelik;;Çelik;01-05-2017;5;c@example.test;;",
    ]
    data = csv_bytes(*lines, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(data)
    assert "Windows-1252" in table.notices[0]
    run(school, data)
    assert set(Pupil.objects.values_list("last_name", flat=True)) == {"Müller", "Çelik"}


def test_letter_lost_by_windows_1252_gives_a_clear_message(school):
    # Đ does not exist in Windows-1252: Excel writes '?' in its place. Never store the mangled name.
    line = "2003;Đorđe;;Đorđević;01-05-2017;5;d@example.test;;"
    with pytest.raises(UnicodeEncodeError):
        line.encode("cp1252")
    data = (HEADER + "\r\n" + line + "\r\n").encode("cp1252", errors="replace")
    errors = _errors_and_untouched(school, data)
    assert errors[0].startswith("rij 2, roepnaam: '?or?e' bevat een '?'")
    assert "CSV UTF-8" in errors[0]


def test_windows_1250_file_is_refused_not_mangled(school):
    data = csv_bytes("2003;Đorđe;;Đorđević;01-05-2017;5;d@example.test;;", encoding="cp1250")
    assert data.decode("cp1252").count("Ð") == 2  # what a careless reader would store
    _refused_and_untouched(school, data, "Oost-Europese tekenset")


def test_utf8_file_keeps_dorđević(school):
    run(school, csv_bytes("2003;Đorđe;;Đorđević;01-05-2017;5;d@example.test;;"))
    assert Pupil.objects.get(pupil_number="2003").last_name == "Đorđević"


def test_undecodable_bytes_are_refused(school):
    data = csv_bytes(*GOOD) + b"2004;X;;\x81\x8d;01-05-2017;5;x@example.test;;\r\n"
    _refused_and_untouched(school, data, "niet lezen")


def test_blank_lines_are_skipped_and_row_numbers_stay_right(school):
    data = csv_bytes(GOOD[0], "", ";;;;;;;;", "1005;Bo;;Smit;31-02-2016;5;;;")
    errors = _errors_and_untouched(school, data)
    assert errors == ["rij 5, geboortedatum: '31-02-2016' is geen datum"]


def test_trailing_summary_row_is_skipped_with_a_notice(school):
    data = csv_bytes(*GOOD, "Totaal: 3 leerlingen;;;;;;;;")
    plan = plan_for(school, data)
    assert not plan.errors
    assert any("Rij 5 is overgeslagen" in str(n) for n in plan.notices)
    assert run(school, data).added == 3


def test_duplicate_pupil_numbers_are_named_both_ways(school):
    data = csv_bytes(GOOD[0], GOOD[1], GOOD[0].replace("Sem", "Sam"))
    errors = _errors_and_untouched(school, data)
    assert "rij 2, leerlingnummer: leerlingnummer 1001 staat ook in rij 4" in errors
    assert "rij 4, leerlingnummer: leerlingnummer 1001 staat ook in rij 2" in errors


def test_impossible_date(school):
    errors = _errors_and_untouched(school, csv_bytes("1005;Bo;;Smit;31-02-2016;5;;;"))
    assert errors == ["rij 2, geboortedatum: '31-02-2016' is geen datum"]


def test_email_without_at(school):
    errors = _errors_and_untouched(
        school, csv_bytes("1005;Bo;;Smit;01-02-2016;5;smit.example.test;;")
    )
    assert errors == [
        "rij 2, e-mail ouder 1: 'smit.example.test' is geen e-mailadres",
    ]


def test_empty_group(school):
    errors = _errors_and_untouched(school, csv_bytes("1005;Bo;;Smit;01-02-2016;;;;"))
    assert errors == ["rij 2, groep: is leeg"]


def test_only_the_good_rows_when_the_staff_member_chooses(school):
    run(school, csv_bytes(*GOOD))
    data = csv_bytes(
        GOOD[0],
        GOOD[1],
        GOOD[2].replace("14-02-2016", "31-02-2016"),
        "1006;Ben;;Bos;01-01-2018;5;;0611111111;",
    )
    result = run(school, data, only_good_rows=True)
    assert (result.added, result.skipped_rows, result.left) == (1, 1, 0)
    # The pupil whose row had an error is still in the file: not marked as left.
    assert Pupil.objects.get(pupil_number="1003").left_on is None


def test_bsn_column_is_refused(school):
    data = csv_bytes(*[line + ";123456782" for line in GOOD], header=HEADER + ";BSN")
    _refused_and_untouched(school, data, "BSN")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
        (b"PK\x03\x04" + b"\x00" * 100, "geen CSV- of Excel-bestand"),
        (b"Dit is een brief aan de ouders.\nMet vriendelijke groet", "geen CSV-bestand"),
        (b"", "leeg"),
        (b"leerlingnummer;roepnaam\x00\x00\x00", "geen CSV-bestand"),
    ],
    ids=["png", "zip", "letter", "empty", "binary"],
)
def test_not_a_csv_at_all(school, data, message):
    _refused_and_untouched(school, data, message)


def test_file_over_the_size_limit_is_refused(school, settings):
    settings.IMPORT_MAX_BYTES = 1000
    data = csv_bytes(*GOOD * 10)
    assert len(data) > 1000
    _refused_and_untouched(school, data, "te groot")


def test_formula_cells_are_kept_as_text(school):
    run(school, csv_bytes("1007;=HYPERLINK(1);;@Bos;01-01-2018;5;;+31612345678;"))
    pupil = Pupil.objects.get(pupil_number="1007")
    assert (pupil.first_name, pupil.last_name) == ("=HYPERLINK(1)", "@Bos")


def _import_counting_queries(school, lines):
    table = read_table(csv_bytes(*lines))
    with CaptureQueriesContext(connection) as queries:
        result = import_table(school=school, table=table, columns=resolve(table.headers))
    return result, len(queries)


def _lines(start, n):
    return [
        f"{start + i};Kind{i};;Achter{i};01-05-2017;5;ouder{start + i}@example.test;;"
        for i in range(n)
    ]


def test_twenty_thousand_rows_take_queries_per_batch_not_per_row(school):
    result, queries = _import_counting_queries(school, _lines(30000, 20000))
    assert result.added == 20000
    assert Guardian.objects.count() == 20000
    assert PupilGuardian.objects.count() == 20000
    # SQLite allows 999 parameters a statement, so a batch holds ~100-300 rows: a query per
    # 25 rows is a generous bound that a query per row (or per pupil) would break at once.
    assert queries < 20000 / 25


def test_query_count_does_not_grow_with_rows(school):
    _result, small = _import_counting_queries(school, _lines(40000, 10))
    _result, large = _import_counting_queries(school, _lines(50000, 300))
    # 16, and one more: the UPDATE moving the school's change marker on (schools.changes).
    assert small <= 17
    assert large - small <= 10  # a few more batches, not 290 more queries


def test_guardian_with_phone_only_and_existing_board_family(school):
    family = f.FamilyFactory(board=school.board)
    existing = f.GuardianFactory(family=family, email="bestaand@example.test")
    run(school, csv_bytes("1008;Mo;;Ali;01-01-2018;5;bestaand@example.test;;"))
    assert PupilGuardian.objects.get(pupil__pupil_number="1008").guardian == existing


def test_excel_file_is_read(school):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append([1010, "Sem", "", "Öztürk", datetime.datetime(2017, 5, 1), 5, "o@example.test"])
    sheet.append([])
    sheet.append(["1011", "=cmd", "", "Bos", "02-06-2018", "3", "", "0612345678"])
    sheet["B4"].data_type = "s"  # typed as text, as an administration exports it
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(school, buffer.getvalue())
    assert result.added == 2
    sem = Pupil.objects.get(pupil_number="1010")
    assert (sem.last_name, sem.date_of_birth) == ("Öztürk", datetime.date(2017, 5, 1))
    assert Pupil.objects.get(pupil_number="1011").first_name == "=cmd"


def test_same_guardian_twice_in_one_row_is_one_guardian(school):
    run(school, csv_bytes("1012;Bo;;Bos;01-01-2018;5;bos@example.test;;bos@example.test"))
    assert PupilGuardian.objects.filter(pupil__pupil_number="1012").count() == 1


@pytest.mark.parametrize("rows", [10, 200])
def test_preview_page_queries_do_not_grow_with_rows(
    world, client_for, rows, django_assert_num_queries
):
    from django.urls import reverse

    from schools.models import ImportBatch

    school = world.s1.school
    lines = [f"{60000 + i};Kind;;Achter;01-05-2017;5;p{i}@example.test;;" for i in range(rows)]
    batch = ImportBatch.objects.create(
        school=school,
        uploaded_by=world.users["director"],
        filename="x.csv",
        content=csv_bytes(*lines),
    )
    client = client_for("director")
    url = reverse("parents:import-preview", kwargs={"pk": school.pk, "batch_pk": batch.pk})
    client.get(url)
    # (the user with memberships comes from the cache after the first request) school, batch, mapping, year, groups,
    # pupils, enrolments, board guardians, the parents' own changes of their contact details,
    # guardian links; the school's first school day and days off (whether new guardians still
    # get the welcome message)
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_excel_with_too_many_rows_is_refused(school, settings):
    from openpyxl import Workbook

    settings.IMPORT_MAX_ROWS = 50
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    for i in range(300):
        sheet.append([str(7000 + i), "A", "", "B", "01-01-2018", "5"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _refused_and_untouched(school, buffer.getvalue(), "meer dan 50 rijen")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics are PostgreSQL's")
def test_a_big_import_refreshes_the_planner_statistics(school, django_capture_on_commit_callbacks):
    def pupils_the_planner_knows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'schools_pupil'")
            return cursor.fetchone()[0]

    rows = [f"{5000 + n};Kind{n};;Groot;01-05-2017;5;ouder{n}@example.test;;" for n in range(600)]
    with django_capture_on_commit_callbacks(execute=True):
        run(school, csv_bytes(*rows[:10]))
    assert pupils_the_planner_knows() < 600
    with django_capture_on_commit_callbacks(execute=True):
        run(school, csv_bytes(*rows))
    assert pupils_the_planner_knows() >= 600
