"""Excel workbooks (Office Open XML, .xlsx) written as a stream: each table a sheet with typed cells, dates with
a date format, column widths, the header row frozen and an autofilter over the rows.

Why not openpyxl's write-only mode, which the issue named: it spends 7–9 µs of CPU on every cell, so the bench's
100,000 complaints × 28 columns took 31–42 s (24 s of CPU) with it, against the 15 s target; this writer's whole
export takes 5–9 s (bench/export.py measures both in the same run; docs/BENCHMARKS.md, section "export"). It writes
the small, well-known subset of the format Excel itself writes for such sheets: inline strings, numbers, booleans,
two date styles, one header style; openpyxl reads every file back in the tests.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import IO, Any

from app.errors import Message, ValidationError
from app.export.table import Column, Kind, Table, sheet_name

MAX_ROWS = 1_048_576  # Excel's limit, the header row included
MAX_TEXT = 32_767  # characters in one cell
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_EPOCH_ORDINAL = _EXCEL_EPOCH.toordinal()
_DAY = timedelta(days=1)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry
_CHUNK = 500  # rows joined before each write

# cellXfs of styles.xml, in order: the default, the header, a date and time, a date.
_HEADER, _DATETIME, _DATE = 1, 2, 3
DATETIME_FORMAT, DATE_FORMAT = "dd/mm/yyyy hh:mm", "dd/mm/yyyy"  # as Indonesian offices write dates

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _text(value: str) -> str:
    if len(value) > MAX_TEXT:
        value = value[: MAX_TEXT - 1] + "…"
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("\ufffd", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value[:1].isspace() or value[-1:].isspace():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def _text_cell(ref: str, value: Any) -> str:
    return f'<c r="{ref}" t="inlineStr">{_text(str(value))}</c>'


def _header_cell(ref: str, value: Any) -> str:
    return f'<c r="{ref}" s="{_HEADER}" t="inlineStr">{_text(str(value))}</c>'


def _number_cell(ref: str, value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return ""  # no number: an empty cell rather than a file Excel calls damaged
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def _bool_cell(ref: str, value: Any) -> str:
    return f'<c r="{ref}" t="b"><v>{1 if value else 0}</v></c>'


def _datetime_cell(ref: str, value: datetime) -> str:
    if value.tzinfo is not None:
        raise ValueError("a spreadsheet cannot hold a time zone: give the office's local time, naive")
    return f'<c r="{ref}" s="{_DATETIME}"><v>{(value - _EXCEL_EPOCH) / _DAY!r}</v></c>'


def _date_cell(ref: str, value: date) -> str:
    return f'<c r="{ref}" s="{_DATE}"><v>{value.toordinal() - _EXCEL_EPOCH_ORDINAL}</v></c>'


def _auto_cell(ref: str, value: Any) -> str:
    if isinstance(value, bool):
        return _bool_cell(ref, value)
    if isinstance(value, int | float):
        return _number_cell(ref, value)
    if isinstance(value, datetime):
        return _datetime_cell(ref, value)
    if isinstance(value, date):
        return _date_cell(ref, value)
    return _text_cell(ref, value)


_CELLS: dict[Kind, Callable[[str, Any], str]] = {
    Kind.TEXT: _text_cell, Kind.FLOAT: _number_cell, Kind.BOOL: _bool_cell, Kind.DATE: _date_cell,
    Kind.DATETIME: _datetime_cell, Kind.AUTO: _auto_cell}


def column_letter(index: int) -> str:
    """``A`` for 0, ``Z`` for 25, ``AA`` for 26."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _too_many_rows() -> ValidationError:
    return ValidationError({"rows": Message(
        "Excel memuat paling banyak 1.048.575 baris per lembar; persempit saringannya atau ekspor ke CSV.",
        "Excel holds at most 1,048,575 rows in a sheet; narrow the filter or export to CSV.")})


def _write_sheet(out: IO[bytes], table: Table, selected: bool) -> int:
    """The sheet's XML; the number of data rows written."""
    columns: Sequence[Column] = table.columns
    letters = [column_letter(i) for i in range(len(columns))]
    cells = [_CELLS[c.kind] for c in columns]
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    pane = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>') if table.freeze_header else ""
    widths = "".join(f'<col min="{i}" max="{i}" width="{c.width:g}" customWidth="1"/>'
                     for i, c in enumerate(columns, 1))
    tab = ' tabSelected="1"' if selected else ""
    text.write(f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>'
               f'<sheetView{tab} workbookViewId="0">{pane}</sheetView></sheetViews>'
               f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>')
    header = "".join(_header_cell(f"{letters[i]}1", c.title) for i, c in enumerate(columns))
    text.write(f'<row r="1">{header}</row>')
    r = 1
    chunk: list[str] = []
    for values in table.rows:
        r += 1
        if r > MAX_ROWS:
            raise _too_many_rows()
        parts = [f'<row r="{r}">']
        for i, value in enumerate(values):
            if value is not None and value != "":
                parts.append(cells[i](f"{letters[i]}{r}", value))
        parts.append("</row>")
        chunk.append("".join(parts))
        if len(chunk) >= _CHUNK:
            text.write("".join(chunk))
            chunk.clear()
    text.write("".join(chunk))
    text.write("</sheetData>")
    if table.autofilter and columns:
        text.write(f'<autoFilter ref="A1:{letters[-1]}{r}"/>')
    text.write('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
               "</worksheet>")
    text.flush()
    text.detach()
    return r - 1


def write_xlsx(out: IO[bytes], tables: Sequence[Table]) -> list[int]:
    """Write ``tables`` as the sheets of one workbook to the binary file ``out``; the number of data rows of each.
    A sheet that would pass Excel's row limit raises ValidationError."""
    names = _unique([sheet_name(t.title) for t in tables])
    counts: list[int] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("[Content_Types].xml", _content_types(len(tables)))
        zf.writestr("_rels/.rels", f'{_XML}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}'
                                   '/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        for n, table in enumerate(tables, 1):
            with zf.open(f"xl/worksheets/sheet{n}.xml", "w") as sheet:
                counts.append(_write_sheet(sheet, table, selected=n == 1))
        zf.writestr("xl/workbook.xml", _workbook(tables, names, counts))
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(tables)))
        zf.writestr("xl/styles.xml", _STYLES)
    return counts


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for name in names:
        candidate, n = name, 2
        while candidate.casefold() in seen:
            suffix = f" ({n})"
            candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
        seen.add(candidate.casefold())
        result.append(candidate)
    return result


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _content_types(sheets: int) -> str:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{kind}.worksheet+xml"/>'
                        for n in range(1, sheets + 1))
    return (f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/>{overrides}</Types>')


def _workbook(tables: Sequence[Table], names: list[str], counts: list[int]) -> str:
    sheets = "".join(f'<sheet name="{_attr(name)}" sheetId="{n}" r:id="rId{n}"/>'
                     for n, name in enumerate(names, 1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{_attr(_quoted(names[n]))}!$A$1:${column_letter(len(t.columns) - 1)}${counts[n] + 1}</definedName>"
        for n, t in enumerate(tables) if t.autofilter and t.columns)
    defined = f"<definedNames>{filters}</definedNames>" if filters else ""
    return (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView activeTab="0"/>'
            f"</bookViews><sheets>{sheets}</sheets>{defined}</workbook>")


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _workbook_rels(sheets: int) -> str:
    rels = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                   for n in range(1, sheets + 1))
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
    return f'{_XML}<Relationships xmlns="{_PKG_REL}">{rels}{styles}</Relationships>'


_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATETIME_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF4"/><bgColor indexed="64"/></patternFill></fill>'
    '</fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
