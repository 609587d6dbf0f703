"""What the export writers take: a table of typed columns and rows of plain values, the same for the complaint list
today and for a table of (label, value) rows such as the KPI tables later. Values are Python's own: ``str``,
``int``, ``float``, ``bool``, ``date``, a naive ``datetime`` (already in the office's zone: spreadsheets have no time
zones, the header says which one) or None for an empty cell."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a column's cells are written: a spreadsheet sorts and filters them as this type."""

    TEXT = "text"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    AUTO = "auto"  # each cell by its value's type (a (label, value) table: counts, dates, names in one column)


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT
    width: float = 14  # in characters, as a spreadsheet measures a column


@dataclass(frozen=True)
class Table:
    """One sheet of a workbook, or the whole of a CSV file. ``rows`` may be a generator: the writers read it once,
    row by row, so 100,000 rows are never all in memory."""

    title: str  # the sheet's name (at most 31 characters, see :func:`sheet_name`)
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    freeze_header: bool = True
    autofilter: bool = True


def label_value_table(title: str, rows: Iterable[tuple[str, Any]], *, label: str, value: str,
                      widths: tuple[float, float] = (34, 60)) -> Table:
    """A two-column table of (label, value) rows, the value typed cell by cell (the export's notes sheet)."""
    return Table(title, (Column(label, Kind.TEXT, widths[0]), Column(value, Kind.AUTO, widths[1])), rows,
                 freeze_header=False, autofilter=False)


_NOT_IN_SHEET_NAMES = str.maketrans({c: "-" for c in "[]:*?/\\"})


def sheet_name(title: str) -> str:
    """A name a spreadsheet accepts for a sheet: at most 31 characters, none of ``[]:*?/\\``, not empty."""
    name = title.translate(_NOT_IN_SHEET_NAMES).strip().strip("'")[:31]
    return name or "Sheet"
