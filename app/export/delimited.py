"""CSV for Excel as Indonesian offices have it: UTF-8 with a byte-order mark, fields separated by ``;``, decimals
with a comma, dates in ISO form.

Why ``;`` and a decimal comma: Excel splits a CSV it opens by double-click at the Windows list separator, and with the
Indonesian regional format (Bahasa Indonesia, the usual setting in these offices) that is ``;``, the decimal sign
``,`` and the thousands sign ``.``. A comma-separated file lands in one column there, and a coordinate written
``-7.716`` would be read as -7,716 thousand. With ``;`` and ``-7,716`` Excel puts every field in its column and reads
the number right; Python (``csv`` with ``delimiter=";"``), pandas (``sep=";", decimal=","``) and LibreOffice (it asks)
read it as well. The BOM makes Excel read UTF-8 (names with é, the ellipsis) rather than the ANSI code page; no
``sep=`` line, because with one Excel ignores the BOM. Dates are ISO (``2026-03-02``, ``2026-03-02 09:05:00``), which
Excel recognises whatever the regional format.

Text that Excel would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, unless
it is just a number) gets a leading apostrophe, as OWASP advises against CSV injection: a complaint's title is typed
by a citizen. The workbook (.xlsx) needs no such guard: its text cells are never formulas.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TextIO

from app.export.table import Kind, Table

DELIMITER = ";"
ENCODING = "utf-8-sig"  # UTF-8 with the byte-order mark
_FORMULA_START = tuple("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


def safe_text(value: str) -> str:
    """``value`` as text a spreadsheet will not run: an apostrophe before a would-be formula."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _float(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return repr(value).replace(".", ",")


def _datetime(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _date(value: date) -> str:
    return value.isoformat()


def write_csv(out: TextIO, table: Table, *, yes: str = "Ya", no: str = "Tidak") -> int:
    """Write the table (header first) to ``out``, a text file opened with ``newline=""`` and :data:`ENCODING`;
    the number of data rows. Booleans are written as ``yes`` / ``no`` in the export's language."""

    def boolean(value: Any) -> str:
        return yes if value else no

    def auto(value: Any) -> str:
        if isinstance(value, bool):
            return boolean(value)
        if isinstance(value, float):
            return _float(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, datetime):
            return _datetime(value)
        if isinstance(value, date):
            return _date(value)
        return safe_text(str(value))

    formats: dict[Kind, Callable[[Any], str]] = {
        Kind.TEXT: lambda v: safe_text(str(v)), Kind.FLOAT: _float, Kind.BOOL: boolean, Kind.DATE: _date,
        Kind.DATETIME: _datetime, Kind.AUTO: auto}
    cells = [formats[c.kind] for c in table.columns]
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([safe_text(c.title) for c in table.columns])
    count = 0
    for values in table.rows:
        writer.writerow(["" if v is None else cells[i](v) for i, v in enumerate(values)])
        count += 1
    return count
