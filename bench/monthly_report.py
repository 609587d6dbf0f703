"""``python -m bench.monthly_report``: the monthly report PDF (issue 13 §3, target ≤ 3 s) on the 100,000-complaint store
of bench/store.py, for the last whole month before the store's "now".

Each run does what ``lapor-desk report`` does after opening the store: the content (app.report: one KPI assessment of
the office over the twelve months the trend needs, the month's and the previous month's KPIs, the breakdowns, the
names) and the A4 PDF written whole (ui.report.pdf.save_report_pdf). Alternating with it, the baseline: the raw SQL
count of the month's complaints on sqlite3 and a bare QPdfWriter writing an empty A4 page to a file. Writes its section
of docs/BENCHMARKS.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sqlite3
import statistics
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter_ns

from app.kpi.period import ReportPeriod
from app.report import monthly_report_content
from app.store import meta
from app.store.db import open_store
from app.timeutil import zone
from bench import report, sections, store

TARGET_S = 3.0


def _ms(start: int) -> float:
    return (perf_counter_ns() - start) / 1e6


def last_whole_month(now: datetime, tz: str) -> ReportPeriod:
    first = now.astimezone(zone(tz)).date().replace(day=1)
    return ReportPeriod.month(first.year, first.month).previous_month()


def run(*, count: int, seed: int, runs: int, warmup: int, reseed: bool,
        log: Callable[[str], None]) -> tuple[dict[str, list[float]], dict[str, object]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QPageSize, QPainter, QPdfWriter

    app = QGuiApplication.instance() or QGuiApplication(["bench"])
    from ui.report.pdf import save_report_pdf

    cached, info = store.seeded_file(count, seed, reseed=reseed, log=log)
    now = datetime.fromisoformat(str(info["now"]))
    st = open_store(cached, backup_dir=store.OUT / "backups")
    raw = sqlite3.connect(f"file:{cached}?mode=ro", uri=True)
    times: dict[str, list[float]] = {k: [] for k in ("total", "content", "pdf", "raw_total", "raw_count", "raw_pdf")}
    facts: dict[str, object] = {}
    try:
        with st.read() as s:
            office_id = meta.get(s, meta.HOME_OFFICE)
            assert office_id is not None
            tz = str(raw.execute("SELECT tz FROM offices WHERE id = ?", (office_id,)).fetchone()[0])
        period = last_whole_month(now, tz)
        start_utc, end_utc = period.bounds(tz)
        bounds = tuple(t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") for t in (start_utc, end_utc))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            log(f"measuring the monthly report of {period.label} ({warmup} warm-up, {runs} runs) ...")
            for i in range(warmup + runs):
                start = perf_counter_ns()
                with st.read() as s:
                    content = monthly_report_content(s, office_id, period, now, generated_by="Bench")
                content_ms = _ms(start)
                step = perf_counter_ns()
                save_report_pdf(content, folder / "laporan.pdf")
                pdf_ms, total_ms = _ms(step), _ms(start)
                start = perf_counter_ns()
                received = raw.execute("SELECT count(*) FROM complaints WHERE office_id = ? AND received_at >= ? "
                                       "AND received_at < ?", (office_id, *bounds)).fetchone()[0]
                count_ms = _ms(start)
                step = perf_counter_ns()
                writer = QPdfWriter(str(folder / "empty.pdf"))
                writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
                QPainter(writer).end()
                del writer
                empty_ms, raw_ms = _ms(step), _ms(start)
                if i >= warmup:
                    for key, value in (("total", total_ms), ("content", content_ms), ("pdf", pdf_ms),
                                       ("raw_total", raw_ms), ("raw_count", count_ms), ("raw_pdf", empty_ms)):
                        times[key].append(value)
            facts = {"month": period.label, "received": {k.key: k.value_text for k in content.kpis}["received"],
                     "raw_received": received, "pages": _pages(folder / "laporan.pdf"),
                     "bytes": (folder / "laporan.pdf").stat().st_size}
    finally:
        raw.close()
        st.close()
    del app
    return times, facts


def _pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(str(path)).pages)


def table(times: dict[str, list[float]], facts: dict[str, object]) -> str:
    def cells(key: str) -> str:
        values = times[key]
        p90 = statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else values[0]
        return f"{statistics.median(values):.1f} | {p90:.1f}"

    total = statistics.median(times["total"])
    verdict = "meets" if total <= TARGET_S * 1000 else "MISSES"
    rows = [
        "| step | median ms | p90 ms |",
        "|---|---:|---:|",
        f"| **monthly report PDF ({facts['month']})** — target ≤ {TARGET_S:.0f} s: {verdict} | {cells('total')} |",
        f"| · content (app.report.monthly_report_content: 12 months assessed, KPIs, breakdowns) | {cells('content')} |",
        f"| · A4 PDF painted and written (ui.report.pdf.save_report_pdf, {facts['pages']} pages, "
        f"{facts['bytes']:,} bytes) | {cells('pdf')} |",
        f"| baseline: raw SQL count of the month + bare QPdfWriter empty A4 page | {cells('raw_total')} |",
        f"| · raw count of the month's complaints (sqlite3; {facts['raw_received']:,} received) | "
        f"{cells('raw_count')} |",
        f"| · bare QPdfWriter, empty A4 page to a file | {cells('raw_pdf')} |",
        "",
        f"Ratio program / baseline: {total / statistics.median(times['raw_total']):.0f}× ({len(times['total'])} runs). "
        f"The report counts {facts['received']} complaints received in the month (the raw count includes spam and "
        "duplicates, which the KPIs leave out).",
    ]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.monthly_report", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="complaints in the seeded store")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20, help="timed runs (at least 5)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print the table only; leave docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.runs < 5:
        parser.error("--runs must be at least 5")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    load_at_start = report.load_average()
    times, facts = run(count=args.count, seed=args.seed, runs=args.runs, warmup=args.warmup, reseed=args.reseed,
                       log=log)
    given = list(argv) if argv is not None else sys.argv[1:]
    command = "python -m bench.monthly_report" + (" " + shlex.join(given) if given else "")
    lines = [f"## Monthly report PDF (`bench/monthly_report.py`, {args.count:,} complaints)", "",
             f"Generated by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Medians and 90th percentiles of "
             f"{args.runs} runs after {args.warmup} warm-up runs; the baseline is measured in the same run.", "",
             table(times, facts), "", "### Machine", "", "| | |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in report.machine(load_at_start)]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        sections.write_section("monthly-report", text)
    return 0 if statistics.median(times["total"]) <= TARGET_S * 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
