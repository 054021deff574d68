"""Read a CSV (comma, semicolon or tab; UTF-8 with or without BOM, or Windows-1252) or an Excel
file into a header and numbered rows of text. Row numbers are those a spreadsheet shows (the
header is row 1), so error messages point at the right row."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from parents.importing import ImportRefused
from parents.importing.mapping import refuse_forbidden

_NOT_TEXT = (
    (b"\x89PNG", "PNG"),
    (b"%PDF", "PDF"),
    (b"GIF8", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\xd0\xcf\x11\xe0", "oud Excel (.xls)"),
)


# Letters that hardly occur in names here but are what Windows-1250 (Central European) bytes for
# đ, ć, ł, ś … look like when read as Windows-1252.
_CENTRAL_EUROPEAN_SIGNS = "ÐðæÆ³¹¿œŒ"


@dataclass
class Table:
    headers: list
    rows: list  # (row number, [cell, ...]) for every non-blank row
    notices: list = field(default_factory=list)
    # Where a row is better named than by its number (EDEXML: "leerling 00012 (Sem Bos)").
    row_labels: dict = field(default_factory=dict)
    # Pupils of the file that are not imported but still at school (EDEXML: without a group).
    skipped_numbers: set = field(default_factory=set)
    # Problems the reader found in a row: row number -> [(our field, Dutch message)].
    row_errors: dict = field(default_factory=dict)


def max_bytes():
    return getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", 50_000)


def read_table(data, filename=""):
    if len(data) > max_bytes():
        raise ImportRefused(
            _("Het bestand is te groot (meer dan %(mb)s MB).") % {"mb": max_bytes() // 2**20}
        )
    if not data.strip():
        raise ImportRefused(_("Het bestand is leeg."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    for magic, kind in _NOT_TEXT:
        if data.startswith(magic):
            raise ImportRefused(
                _("Dit is geen CSV-bestand maar een %(kind)s-bestand.") % {"kind": kind}
            )
    text, notices = _decode(data)
    if "\x00" in text[:4096]:
        raise ImportRefused(_("Dit is geen CSV-bestand: het bevat geen gewone tekst."))
    return _read_csv(text, notices)


def _decode(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportRefused(
            _(
                "Schouder kan de letters in dit bestand niet lezen. Sla het op als 'CSV UTF-8' "
                "en probeer het opnieuw."
            )
        ) from None
    if any(ch in text for ch in _CENTRAL_EUROPEAN_SIGNS):
        # Đ, ć, ł … saved as Windows-1250 read back as Ð, æ, ³: never store names mangled.
        raise ImportRefused(
            _(
                "Dit bestand is opgeslagen in een Oost-Europese tekenset; namen als Đorđević "
                "zouden verkeerd binnenkomen. Sla het op als 'CSV UTF-8' en probeer het opnieuw."
            )
        )
    return text, [
        _(
            "Het bestand is gelezen als Windows-1252 (oud Excel-formaat). Letters als Đ en ć "
            "bestaan daarin niet: sla het bij twijfel op als 'CSV UTF-8'."
        )
    ]


def _delimiter(header_line):
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    delimiter, count = max(counts.items(), key=lambda item: item[1])
    if count == 0:
        raise ImportRefused(
            _(
                "Dit lijkt geen CSV-bestand: de eerste regel heeft geen kolommen, gescheiden door "
                "een puntkomma of komma."
            )
        )
    return delimiter


def _read_csv(text, notices):
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        records = list(reader)
    except csv.Error as error:
        raise ImportRefused(
            _("Het bestand is geen geldig CSV-bestand (regel %(line)s).")
            % {"line": reader.line_num}
        ) from error
    return _table(records, notices)


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any ZIP that is not a workbook
        raise ImportRefused(_("Dit is geen CSV- of Excel-bestand.")) from error
    sheet = workbook.worksheets[0]
    records = []
    # A small .xlsx can unpack to millions of rows: stop reading at the limit, not after it.
    for row in sheet.iter_rows(values_only=True):
        records.append([_xlsx_text(value) for value in row])
        if len(records) > max_rows() + 100:
            break
    workbook.close()
    return _table(records, [])


def _xlsx_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(records, notices):
    numbered = [(n, [cell.strip() for cell in r]) for n, r in enumerate(records, start=1)]
    numbered = [(n, cells) for n, cells in numbered if any(cells)]
    if not numbered:
        raise ImportRefused(_("Het bestand is leeg."))
    (_n, headers), rows = numbered[0], numbered[1:]
    refuse_forbidden(headers)
    if len(rows) > max_rows():
        raise ImportRefused(
            _("Het bestand heeft meer dan %(max)s rijen.") % {"max": f"{max_rows():,}"}
        )
    width = len(headers)
    rows = [(n, (cells + [""] * width)[:width]) for n, cells in rows]
    return Table(headers=headers, rows=rows, notices=notices)
