"""``python -m bench.export``: the complaint list exported to Excel and CSV, 100,000 rows (issue 13's target: the Excel
export of 100,000 rows within 15 s), on the store of bench/store.py.

That store holds 100,000 complaints across six offices (about 40,000 in the home office); the bench works on a copy
in which every complaint belongs to the home office, so one export is 100,000 rows. Each run is the program's whole
export (app.export.export_complaints: the checks, the read through the list's query, the rows with labels, local
times and the privacy rules, the file written beside its destination and renamed, the audit record). In the same run,
the baselines: the same rows read by a raw SQL statement on a plain sqlite3 connection, and those raw rows written
by ``csv.writer`` (no labels, no conversion); once, openpyxl's write-only mode writing the program's rows (the writer
the issue named, which is why the program has its own). The sizes of the files and of the CSV gzipped say what
a file to send weighs.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import shlex
import shutil
import sqlite3
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

from sqlalchemy import select

from app.domain import Role
from app.export import ExportFormat, ExportRequest, export_complaints
from app.export.complaints import ListQuery, columns, complaint_rows
from app.models import User
from app.read.queries import ComplaintFilter
from app.services import ServiceContext
from app.store import meta
from app.store.db import open_store
from bench import report, sections, store

TARGET_S = 15.0
WORK = store.OUT / "export-work.sqlite3"
RAW_SQL = """
SELECT c.tracking_code, c.national_tracking_id, c.received_at, c.classification, c.channel, cat.name, cat.name_en,
       u.name, c.status, c.title, c.description, c.incident_date, c.region_code, d.name, v.name, c.address,
       c.latitude, c.longitude, c.is_supervisory, c.is_anonymous, c.is_confidential, c.disposed_at, c.followed_up_at,
       c.closed_at, c.next_due_at, c.next_due_kind, c.resolution_due_at, c.archive_reason
FROM complaints c
LEFT JOIN categories cat ON cat.id = c.category_id
LEFT JOIN units u ON u.id = c.unit_id
LEFT JOIN regions v ON v.code = c.region_code AND v.level = 4
LEFT JOIN regions d ON d.code = substr(c.region_code, 1, 8) AND d.level = 3
WHERE c.office_id = ?
ORDER BY c.received_at, c.id
"""


def _prepare(count: int, seed: int, reseed: bool, log: Callable[[str], None]) -> tuple[str, str, int]:
    """The work copy with every complaint in the home office: (office id, its administrator's id, rows)."""
    cached, _info = store.seeded_file(count, seed, reseed=reseed, log=log)
    _remove(WORK)
    shutil.copyfile(cached, WORK)
    st = open_store(WORK, backup_dir=store.OUT / "backups")
    try:
        with st.read() as s:
            home = meta.get(s, meta.HOME_OFFICE)
            assert home is not None
            admin = s.execute(select(User.id).where(User.office_id == home, User.role == Role.ADMIN_INSTANSI)
                              .limit(1)).scalar_one()
    finally:
        st.close()
    conn = sqlite3.connect(WORK)
    try:
        with conn:
            conn.execute("UPDATE complaints SET office_id = ?", (home,))
        rows = conn.execute("SELECT count(*) FROM complaints WHERE office_id = ?", (home,)).fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return home, admin, int(rows)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".tracking"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _timed(fn: Callable[[], Any], cpu: list[float] | None = None) -> tuple[float, Any]:
    """Wall-clock seconds of ``fn()`` and its value; its CPU seconds appended to ``cpu`` (the machine is shared: the
    CPU time says what the export costs whatever else runs)."""
    start, start_cpu = perf_counter(), process_time()
    value = fn()
    if cpu is not None:
        cpu.append(process_time() - start_cpu)
    return perf_counter() - start, value


def run(*, count: int, seed: int, runs: int, reseed: bool, openpyxl_baseline: bool,
        log: Callable[[str], None]) -> dict[str, Any]:
    home, admin, rows = _prepare(count, seed, reseed, log)
    times: dict[str, list[float]] = {k: [] for k in ("xlsx", "csv", "open311", "raw_read", "raw_csv", "xlsx_cpu",
                                                     "csv_cpu", "open311_cpu", "raw_read_cpu", "raw_csv_cpu")}
    facts: dict[str, Any] = {"rows": rows}
    st = open_store(WORK, backup_dir=store.OUT / "backups")
    ctx = ServiceContext(store=st, device_label="bench")
    raw = sqlite3.connect(f"file:{WORK}?mode=ro", uri=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            log(f"exporting {rows:,} rows, {runs} runs of each ...")
            for i in range(runs):
                for fmt, key in ((ExportFormat.XLSX, "xlsx"), (ExportFormat.CSV, "csv"),
                                 (ExportFormat.OPEN311, "open311")):
                    seconds, result = _timed(lambda fmt=fmt: export_complaints(
                        ctx, home, fmt, folder / f"laporan{fmt.suffix}", ExportRequest(), user_id=admin),
                        times[f"{key}_cpu"])
                    assert result.rows == rows or fmt.is_open311, (fmt, result.rows)
                    times[key].append(seconds)
                    facts[f"{key}_rows"] = result.rows
                seconds, raw_rows = _timed(lambda: raw.execute(RAW_SQL, (home,)).fetchall(), times["raw_read_cpu"])
                times["raw_read"].append(seconds)
                assert len(raw_rows) == rows

                def raw_csv(raw_rows: list[Any] = raw_rows) -> None:
                    with open(folder / "raw.csv", "w", encoding="utf-8-sig", newline="") as fh:
                        csv.writer(fh, delimiter=";").writerows(raw_rows)

                times["raw_csv"].append(_timed(raw_csv, times["raw_csv_cpu"])[0] + times["raw_read"][-1])
                times["raw_csv_cpu"][-1] += times["raw_read_cpu"][-1]
                log(f"  run {i + 1}: xlsx {times['xlsx'][-1]:.2f} s, csv {times['csv'][-1]:.2f} s, "
                    f"raw read {times['raw_read'][-1]:.2f} s")
            for name in ("laporan.xlsx", "laporan.csv", "laporan.json", "raw.csv"):
                facts[f"size:{name}"] = os.path.getsize(folder / name)
            facts["size:laporan.csv.gz"] = len(gzip.compress((folder / "laporan.csv").read_bytes(), 6))
            if openpyxl_baseline:
                log("openpyxl write-only baseline (once) ...")
                facts["openpyxl_s"] = _openpyxl_once(st, home, folder / "openpyxl.xlsx")
                facts["size:openpyxl.xlsx"] = os.path.getsize(folder / "openpyxl.xlsx")
    finally:
        raw.close()
        st.close()
        _remove(WORK)
    return {"times": times, "facts": facts}


def _openpyxl_once(st: Any, office_id: str, path: Path) -> tuple[float, float]:
    """The program's rows (the same query, labels and times) written by openpyxl in write-only mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    start, start_cpu = perf_counter(), process_time()
    with st.read() as session:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Daftar laporan")
        sheet.freeze_panes = "A2"
        cols = columns("id", "Asia/Jakarta", include_personal=False)
        styled: dict[int, Any] = {}
        for i, c in enumerate(cols):
            if c.kind in ("date", "datetime"):
                cell = WriteOnlyCell(sheet)
                cell.number_format = "dd/mm/yyyy" if c.kind == "date" else "dd/mm/yyyy hh:mm"
                styled[i] = cell
        sheet.append([c.title for c in cols])
        for values in complaint_rows(session, ListQuery(office_id, ComplaintFilter()), lang="id", tz="Asia/Jakarta",
                                     now=datetime.now(UTC), due_soon=timedelta(hours=48), include_personal=False):
            out = list(values)
            for i, cell in styled.items():
                if out[i] is not None:
                    cell.value = out[i]
                    out[i] = cell
            sheet.append(out)
        book.save(path)
    return perf_counter() - start, process_time() - start_cpu


def table(result: dict[str, Any]) -> str:
    times, facts = result["times"], result["facts"]

    def cells(key: str) -> str:
        values, cpu = times[key], times[f"{key}_cpu"]
        return f"{statistics.median(values):.2f} | {max(values):.2f} | {statistics.median(cpu):.2f}"

    def mb(name: str) -> str:
        return f"{facts[f'size:{name}'] / 1e6:.1f} MB"

    xlsx = statistics.median(times["xlsx"])
    verdict = "meets" if xlsx <= TARGET_S else "MISSES"
    rows = [
        "| step | median s | slowest s | CPU s (median) | file |",
        "|---|---:|---:|---:|---:|",
        f"| **Excel export of {facts['rows']:,} rows** (app.export, whole: read, rows, xlsx, audit, rename) — target "
        f"≤ {TARGET_S:.0f} s: {verdict} | {cells('xlsx')} | {mb('laporan.xlsx')} |",
        f"| CSV export of the same rows (UTF-8 BOM, `;`) | {cells('csv')} | {mb('laporan.csv')} "
        f"(gzip {mb('laporan.csv.gz')}) |",
        f"| extra: Open311 JSON of the same list ({facts['open311_rows']:,} requests: confidential left out) | "
        f"{cells('open311')} | {mb('laporan.json')} |",
        f"| baseline: the same rows by raw SQL on a plain sqlite3 connection (fetchall) | {cells('raw_read')} | – |",
        f"| baseline: raw SQL + `csv.writer` of the raw rows (no labels, no conversion) | {cells('raw_csv')} | "
        f"{mb('raw.csv')} |",
    ]
    if "openpyxl_s" in facts:
        wall, cpu = facts["openpyxl_s"]
        rows.append(f"| baseline: the program's rows by openpyxl write-only (once) | {wall:.2f} | – | {cpu:.2f} | "
                    f"{mb('openpyxl.xlsx')} |")
    rows += ["", f"Ratio Excel export / raw read + csv.writer: "
                 f"{xlsx / statistics.median(times['raw_csv']):.1f}× ({len(times['xlsx'])} runs)."]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="complaints in the seeded store")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each export (at least 3)")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--no-openpyxl", action="store_true", help="skip the openpyxl baseline (about 30 s)")
    parser.add_argument("--no-write", action="store_true", help="print the table only; leave docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.runs < 3:
        parser.error("--runs must be at least 3")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    load_at_start = report.load_average()
    result = run(count=args.count, seed=args.seed, runs=args.runs, reseed=args.reseed,
                 openpyxl_baseline=not args.no_openpyxl, log=log)
    command = "python -m bench.export" + (" " + shlex.join(list(argv)) if argv else
                                          (" " + shlex.join(sys.argv[1:]) if argv is None and sys.argv[1:] else ""))
    lines = [f"## Export: the complaint list to Excel and CSV (`bench/export.py`, {result['facts']['rows']:,} rows)",
             "", f"Generated by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Medians and slowest of "
             f"{args.runs} runs; the baselines are measured in the same run. The store of bench/store.py with every "
             "complaint moved to the home office in a copy, so one export holds all of them.", "",
             table(result), "", "### Machine", "", "| | |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in report.machine(load_at_start)]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        sections.write_section("export", text)
    return 0 if statistics.median(result["times"]["xlsx"]) <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
