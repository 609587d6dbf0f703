"""``python -m bench.receipt``: from the counter's "submit" to the receipt's PDF ready, on the 100,000-complaint store
of bench/store.py (issue 12's target: 300 ms median).

Each run takes a complaint in through the real intake service (app.services.intake: validation, the transaction,
audit, search index), assembles its receipt (ui.printing.service.load_receipt: the store read, deadlines, region
names, the PIN) and writes the A4 PDF (QPdfWriter, fonts, the QR code, the file written whole). Alternating with it,
the baseline: the same three rows (reporter, complaint, first timeline entry) inserted by hand in one raw SQLite
transaction, and a bare QPdfWriter writing an empty A4 page to a file. The 80 mm and A5 papers are timed too. The
PDFs go to a temporary folder; docs/BENCHMARKS.md is not written (the table is printed to paste there).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sqlite3
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter_ns
from typing import Any

from sqlalchemy import select

from app.domain import Channel, Classification, Role, Status
from app.inputs import IntakeInput, ReporterInput
from app.models import User
from app.read.receipt import Viewer
from app.services import ServiceContext, intake
from app.store import meta
from app.store.db import open_store
from bench import report, sections, store

TARGET_MS = 300.0
WORK = store.OUT / "receipt-work.sqlite3"


def _ms(start: int) -> float:
    return (perf_counter_ns() - start) / 1e6


def _input(i: int) -> IntakeInput:
    return IntakeInput(
        classification=Classification.PENGADUAN, channel=Channel.WALK_IN,
        title=f"Lampu penerangan jalan padam di simpang Pasar Minomartani ({i})",
        description="Lampu penerangan jalan di simpang pasar padam dua minggu, rawan kecelakaan malam hari.",
        category_id="infrastruktur.penerangan_jalan", region_code="34.04.12.2002",
        reporter=ReporterInput(name="Budi Santoso", nik="3404121507800001", phone="081234567890",
                               consent_given=True))


class RawBaseline:
    """The rows of an intake inserted by hand (copying a real intake's computed columns) and an empty PDF page."""

    def __init__(self, path: Path, template: dict[str, Any], folder: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.template = template
        self.folder = folder
        self.n = 0

    def insert(self) -> None:
        self.n += 1
        cid, rid = str(uuid.uuid4()), str(uuid.uuid4())
        row = {**self.template, "id": cid, "reporter_id": rid, "tracking_code": f"9999-999-{self.n:06d}-0"}
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO reporters (id, name, nik, phone, consent_at) VALUES (?, ?, ?, ?, ?)",
                          (rid, "Budi Santoso", "3404121507800001", "+6281234567890", row["received_at"]))
        self.conn.execute(f"INSERT INTO complaints ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                          tuple(row.values()))
        self.conn.execute("INSERT INTO timeline_events (id, complaint_id, kind, at, to_status) VALUES (?, ?, ?, ?, ?)",
                          (str(uuid.uuid4()), cid, "RECEIVED", row["received_at"], Status.BELUM_TERVERIFIKASI))
        self.conn.execute("COMMIT")

    def empty_pdf(self) -> None:
        from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

        writer = QPdfWriter(str(self.folder / "empty.pdf"))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        painter = QPainter(writer)
        painter.end()
        del writer


def run(*, count: int, seed: int, runs: int, warmup: int, reseed: bool,
        log: Callable[[str], None]) -> dict[str, list[float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["bench"])
    start = perf_counter_ns()
    from ui.printing import service  # what the first print of a session loads: print support, the QR maker
    from ui.printing.papers import Paper

    import_ms = _ms(start)
    cached, _info = store.seeded_file(count, seed, reseed=reseed, log=log)
    for suffix in ("", "-wal", "-shm", ".tracking"):
        Path(f"{WORK}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(cached, WORK)
    st = open_store(WORK, backup_dir=store.OUT / "backups")
    times: dict[str, list[float]] = {k: [] for k in (
        "total", "intake", "content", "pdf_a4", "raw_total", "raw_insert", "raw_pdf", "pdf_a5", "pdf_80mm",
        "first")}
    try:
        with st.read() as s:
            home = meta.get(s, meta.HOME_OFFICE)
            assert home is not None
            loket = s.execute(select(User).where(User.office_id == home, User.role == Role.PETUGAS_LOKET)
                              .limit(1)).scalar_one()
            viewer = Viewer(home, loket.role, loket.full_name)
            loket_id = loket.id
        ctx = ServiceContext(store=st, device_label="bench")
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            first = intake(ctx, loket_id, _input(0))
            template = _template(WORK, first.complaint_id)
            raw = RawBaseline(WORK, template, folder)
            log(f"measuring submit → receipt PDF ({warmup} warm-up, {runs} runs) ...")
            for i in range(1, warmup + runs + 1):
                start = perf_counter_ns()
                result = intake(ctx, loket_id, _input(i))
                intake_ms = _ms(start)
                step = perf_counter_ns()
                content = service.load_receipt(st, result.complaint_id, viewer, clock=ctx.clock)
                content_ms = _ms(step)
                step = perf_counter_ns()
                service.save_receipt_pdf(content, folder / "receipt.pdf", Paper.A4)
                pdf_ms, total_ms = _ms(step), _ms(start)
                start = perf_counter_ns()
                raw.insert()
                insert_ms = _ms(start)
                step = perf_counter_ns()
                raw.empty_pdf()
                empty_ms, raw_ms = _ms(step), _ms(start)
                step = perf_counter_ns()
                service.save_receipt_pdf(content, folder / "receipt-a5.pdf", Paper.A5)
                a5_ms = _ms(step)
                step = perf_counter_ns()
                service.save_receipt_pdf(content, folder / "receipt-80mm.pdf", Paper.ROLL_80)
                roll_ms = _ms(step)
                if i == 1:  # the session's first: fonts looked up, the printing modules loaded just before
                    times["first"].append(total_ms + import_ms)
                if i > warmup:
                    for key, value in (("total", total_ms), ("intake", intake_ms), ("content", content_ms),
                                       ("pdf_a4", pdf_ms), ("raw_total", raw_ms), ("raw_insert", insert_ms),
                                       ("raw_pdf", empty_ms), ("pdf_a5", a5_ms), ("pdf_80mm", roll_ms)):
                        times[key].append(value)
            raw.conn.close()
    finally:
        st.close()
        for suffix in ("", "-wal", "-shm", ".tracking"):
            Path(f"{WORK}{suffix}").unlink(missing_ok=True)
    del app
    return times


def _template(path: Path, complaint_id: str) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    try:
        cursor = conn.execute("SELECT * FROM complaints WHERE id = ?", (complaint_id,))
        return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    finally:
        conn.close()


def table(times: dict[str, list[float]]) -> str:
    def cells(key: str) -> str:
        values = times[key]
        p90 = statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else values[0]
        return f"{statistics.median(values):.1f} | {p90:.1f}"

    total = statistics.median(times["total"])
    baseline = statistics.median(times["raw_total"])
    verdict = "meets" if total <= TARGET_MS else "MISSES"
    rows = [
        "| step | median ms | p90 ms |",
        "|---|---:|---:|",
        f"| **submit → receipt PDF ready (A4)** — target ≤ {TARGET_MS:.0f} ms: {verdict} | {cells('total')} |",
        f"| · intake (app.services.intake) | {cells('intake')} |",
        f"| · receipt content (ui.printing.service.load_receipt) | {cells('content')} |",
        f"| · A4 PDF written (save_receipt_pdf) | {cells('pdf_a4')} |",
        f"| baseline: raw SQLite insert + bare QPdfWriter empty A4 page | {cells('raw_total')} |",
        f"| · raw insert (reporter, complaint, timeline row; one transaction, synchronous=FULL) | "
        f"{cells('raw_insert')} |",
        f"| · bare QPdfWriter, empty A4 page to a file | {cells('raw_pdf')} |",
        f"| extra: A5 PDF of the same content | {cells('pdf_a5')} |",
        f"| extra: 80 mm roll PDF of the same content | {cells('pdf_80mm')} |",
        f"| extra: the session's first receipt (printing modules imported, fonts looked up; one run) | "
        f"{times['first'][0]:.1f} | – |",
    ]
    rows.append("")
    rows.append(f"Ratio program / baseline: {total / baseline:.1f}× ({len(times['total'])} runs).")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.receipt", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="complaints in the seeded store")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=25, help="timed runs (at least 20)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print the table only; leave docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.runs < 20:
        parser.error("--runs must be at least 20")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    load_at_start = report.load_average()
    times = run(count=args.count, seed=args.seed, runs=args.runs, warmup=args.warmup, reseed=args.reseed, log=log)
    command = "python -m bench.receipt" + (" " + shlex.join(list(argv)) if argv else
                                           (" " + shlex.join(sys.argv[1:]) if argv is None and sys.argv[1:] else ""))
    lines = [f"## Receipt: submit → PDF ready (`bench/receipt.py`, {args.count:,} complaints)", "",
             f"Generated by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Medians and 90th percentiles of "
             f"{args.runs} runs after {args.warmup} warm-up runs; the baseline is measured in the same run.", "",
             table(times), "", "### Machine", "", "| | |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in report.machine(load_at_start)]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        sections.write_section("receipt", text)
    return 0 if statistics.median(times["total"]) <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
