"""Read a CSV (comma, semicolon or tab; UTF-8 with or without BOM, or Windows-1252) or an Excel
file into a header and numbered rows of text. Row numbers are those a spreadsheet shows (the
header is row 1), so error messages point at the right row."""

import csv
import datetime
import io
import re
import time
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from parents.importing import ImportRefused
from parents.importing.mapping import guess, refuse_bsn_values, refuse_forbidden

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
    header_row: int = 1  # the row read as the header (title rows above it are skipped)


def max_bytes():
    return getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", 50_000)


def max_cells():
    return getattr(settings, "IMPORT_MAX_CELLS", 1_000_000)


def max_seconds():
    return getattr(settings, "IMPORT_MAX_SECONDS", 5)


def max_unpacked():
    """An .xlsx is a ZIP of XML files: what it unpacks to is capped, not only what it weighs."""
    return getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", 100 * 2**20)


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
    """The first sheet, read as a stream: refused in seconds when it unpacks too large, declares
    or holds more than ``max_cells()`` cells, or takes longer than ``max_seconds()`` to read."""
    from openpyxl import load_workbook

    _check_xlsx_parts(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportRefused:
        raise
    except Exception as error:  # noqa: BLE001 - any ZIP that is not a workbook
        raise ImportRefused(_("Dit is geen CSV- of Excel-bestand.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows * columns > max_cells():
            raise ImportRefused(_too_many_cells(rows * columns, rows, columns))
        records, cells = [], 0
        started = time.monotonic()
        for row in sheet.iter_rows(values_only=True):
            records.append([_xlsx_text(value) for value in row])
            cells += len(row)
            # The dimension the file declares may lie: count while reading, stop at the cap.
            if cells > max_cells():
                raise ImportRefused(_too_many_cells(cells, len(records), len(row)))
            if len(records) > max_rows() + 100:
                break
            if len(records) % 500 == 0 and time.monotonic() - started > max_seconds():
                raise ImportRefused(
                    _(
                        "Dit Excel-bestand kost te veel tijd om te lezen. Sla alleen de leerlingen "
                        "op (zonder lege kolommen en opmaak), of als CSV, en probeer het opnieuw."
                    )
                )
    finally:
        workbook.close()
    return _table(records, [])


def _too_many_cells(cells, rows, columns):
    return _(
        "Dit werkblad is te groot: %(cells)s cellen (%(rows)s rijen en %(columns)s kolommen). "
        "Schouder leest er hoogstens %(max)s. Haal lege rijen en kolommen weg, of sla alleen de "
        "leerlingen op als CSV, en probeer het opnieuw."
    ) % {
        "cells": f"{cells:,}".replace(",", "."),
        "rows": f"{rows:,}".replace(",", "."),
        "columns": columns,
        "max": f"{max_cells():,}".replace(",", "."),
    }


_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_xlsx_parts(data):
    """Before openpyxl reads anything (it parses a whole sheet just to size it when the sheet
    declares no dimension): the unpacked size from the ZIP's directory (Python's zipfile never
    reads a part beyond it); no DOCTYPE or entity in any XML part, over its whole length; and the
    cells of all sheets counted in one stream, stopping at the cap."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ImportRefused(_("Dit is geen CSV- of Excel-bestand.")) from error
    if sum(part.file_size for part in parts) > max_unpacked():
        raise ImportRefused(
            _(
                "Dit Excel-bestand is uitgepakt meer dan %(mb)s MB. Sla alleen de leerlingen op "
                "(zonder lege kolommen en opmaak), of als CSV, en probeer het opnieuw."
            )
            % {"mb": max_unpacked() // 2**20}
        )
    cells = 0
    for part in parts:
        if not part.filename.endswith((".xml", ".rels")):
            continue
        is_sheet = part.filename.startswith("xl/worksheets/")
        with archive.open(part) as stream:
            tail = b""
            while chunk := stream.read(2**20):
                window = tail + chunk
                if _DOCTYPE.search(window):
                    raise ImportRefused(
                        _("Dit Excel-bestand bevat een DOCTYPE of entiteiten; dat lezen we niet.")
                    )
                if is_sheet:
                    cells += len(_CELL.findall(window)) - len(_CELL.findall(tail))
                    if cells > max_cells():
                        raise ImportRefused(_too_many_cells_counted())
                tail = window[-16:]


def _too_many_cells_counted():
    return _(
        "Dit werkblad is te groot: meer dan %(max)s cellen. Haal lege rijen en kolommen weg, of "
        "sla alleen de leerlingen op als CSV, en probeer het opnieuw."
    ) % {"max": f"{max_cells():,}".replace(",", ".")}


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


# Title rows ("Leerlingen 2026-2027", "Basisschool De Regenboog") may stand above the header.
HEADER_SEARCH_ROWS = 20


def _table(records, notices):
    numbered = [(n, [cell.strip() for cell in r]) for n, r in enumerate(records, start=1)]
    numbered = [(n, cells) for n, cells in numbered if any(cells)]
    if not numbered:
        raise ImportRefused(_("Het bestand is leeg."))
    position = _header_position(numbered)
    (header_row, headers), rows = numbered[position], numbered[position + 1 :]
    for _n, cells in numbered[: position + 1]:
        refuse_forbidden(cells)
    if position:
        notices = [
            *notices,
            _("Rij %(row)s is gelezen als de kopregel; de rij(en) erboven zijn overgeslagen.")
            % {"row": header_row},
        ]
    if len(rows) > max_rows():
        raise ImportRefused(
            _("Het bestand heeft meer dan %(max)s rijen.") % {"max": f"{max_rows():,}"}
        )
    width = len(headers)
    rows = [(n, (cells + [""] * width)[:width]) for n, cells in rows]
    refuse_bsn_values(headers, rows)
    return Table(headers=headers, rows=rows, notices=notices, header_row=header_row)


def _header_position(numbered):
    """The first row with the most headers we recognise; the first row when none has any."""
    best, best_count = 0, 0
    for position, (_n, cells) in enumerate(numbered[:HEADER_SEARCH_ROWS]):
        count = len(guess(cells))
        if count > best_count:
            best, best_count = position, count
    return best
