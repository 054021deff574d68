"""Every CSV or Excel file Schouder hands out passes its cells through ``safe_cell``: a name like
``=HYPERLINK(...)`` typed by anyone (or imported from an administration) must stay text when a
colleague opens the file in a spreadsheet (formula injection, OWASP)."""

import csv
import io

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def safe_cell(value):
    """The value as text that no spreadsheet runs as a formula: a leading = + - @ tab or newline
    gets a ' in front (which spreadsheets show as nothing). Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value).replace("\0", "")
    if text.startswith(DANGEROUS_START):
        return "'" + text
    return text


def csv_bytes(rows, *, delimiter=";"):
    """Rows as a CSV that Dutch Excel opens well: UTF-8 with BOM, semicolons, every cell safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
