"""``python -m bench.dashboard``: the dashboard for a year of the 100,000-complaint store of bench/store.py (issue 13's
target: 300 ms median), from the period chosen to its tiles and charts on screen.

Each run sets the period on a real ``DashboardWidget`` (offscreen, 1366×768, the Indonesian labels of the store)
with the window's threaded task runner: the figures are computed on the database thread (ui.dashboard.compute:
app.kpi's facts read from the store, assessed, every KPI and breakdown), delivered to the GUI thread, put on the
tiles, charts and tables, and the page painted (``repaint``). The period alternates between the 365 days up to the
store's "now" and the 364 days up to the day before, so no run can reuse the previous answer. Alternating with it,
the baseline: a raw SQLite count of the complaints the office received in the same period. The compute step is also
timed alone (called directly, on the GUI thread). Also timed: choosing a unit for the same year (the assessment
of the office is kept, AssessmentCache) and the last whole month from scratch. The seeded store is read, never
written.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sqlite3
import statistics
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from time import perf_counter_ns

from app.config import Paths
from app.domain import Role
from app.kpi.period import ReportPeriod
from app.services import ServiceContext
from app.services.users import list_users
from app.store import meta
from app.store.db import open_store
from app.timeutil import zone
from bench import report, sections, store

TARGET_MS = 300.0


def _ms(start: int) -> float:
    return (perf_counter_ns() - start) / 1e6


def run(*, count: int, seed: int, runs: int, warmup: int, reseed: bool,
        log: Callable[[str], None]) -> tuple[dict[str, list[float]], dict[str, object]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.dashboard import DashboardWidget
    from ui.dashboard.compute import CUSTOM, MONTH, PeriodChoice, compute
    from ui.settings import Settings, WindowState
    from ui.tasks import TaskRunner
    from ui.workspace import ChangeHub, Workspace

    app = QApplication.instance() or QApplication(["bench"])
    db, info = store.seeded_file(count, seed, reseed=reseed, log=log)
    now = datetime.fromisoformat(str(info["now"]))
    st = open_store(db, backup_dir=store.OUT / "backups")
    tasks = TaskRunner()
    times: dict[str, list[float]] = {k: [] for k in ("total", "compute", "unit", "month", "raw_count")}
    facts: dict[str, object] = {}
    try:
        with st.read() as s:
            office_id = meta.get(s, meta.HOME_OFFICE)
        assert office_id is not None
        ctx = ServiceContext(store=st, clock=lambda: now, device_label="bench")
        user = next(u for u in list_users(ctx, office_id) if u.role == Role.PIMPINAN)
        with st.read() as s:
            tz = ctx.office_tz(s, office_id)
        today = now.astimezone(zone(tz)).date()
        folder = store.OUT / "dashboard-bench"
        folder.mkdir(parents=True, exist_ok=True)
        ws = Workspace(paths=Paths(folder), store=st, services=ctx, user=user, tasks=tasks, hub=ChangeHub(),
                       settings=Settings(folder / "settings.ini"), window_state=WindowState(folder / "state.ini"))
        widget = DashboardWidget(ws, autoload=False)
        widget.resize(1366, 768)
        widget.show()
        QCoreApplication.processEvents()
        periods = [ReportPeriod(today - timedelta(days=364), today),
                   ReportPeriod(today - timedelta(days=364), today - timedelta(days=1))]
        raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        log(f"measuring the dashboard for a year ({warmup} warm-up, {runs} runs) ...")
        units = [widget.period_bar.unit.itemData(i) for i in range(widget.period_bar.unit.count())]
        unit_id = next(u for u in units if u)
        last_month = today.replace(day=1) - timedelta(days=1)

        def shown(choice: PeriodChoice, unit: str | None, *, cold: bool) -> float:
            if cold:
                tasks.db(widget.cache.clear)  # nothing kept from an earlier run
            loop = QEventLoop()
            widget.computed.connect(loop.quit)
            start = perf_counter_ns()
            widget.set_period(choice, unit)
            QTimer.singleShot(60_000, loop.quit)
            loop.exec()
            widget.repaint()
            elapsed = _ms(start)
            widget.computed.disconnect(loop.quit)
            assert widget.error == "", widget.error
            return elapsed

        for i in range(warmup + runs):
            period = periods[i % 2]
            choice = PeriodChoice(CUSTOM, first=period.first_day, last=period.last_day)
            total = shown(choice, None, cold=True)
            unit_ms = shown(choice, unit_id, cold=False)  # the same year, one unit: the assessment is kept
            month_ms = shown(PeriodChoice(MONTH, f"{last_month:%Y-%m}"), None, cold=True)
            start = perf_counter_ns()
            data = compute(st, ctx, office_id, choice, None, "id")
            compute_ms = _ms(start)
            start = perf_counter_ns()
            first, end = period.bounds(tz)
            received = raw.execute("SELECT count(*) FROM complaints WHERE office_id = ? AND received_at >= ? "
                                   "AND received_at < ?", (office_id, _sql(first), _sql(end))).fetchone()[0]
            raw_ms = _ms(start)
            if i >= warmup:
                times["total"].append(total)
                times["compute"].append(compute_ms)
                times["unit"].append(unit_ms)
                times["month"].append(month_ms)
                times["raw_count"].append(raw_ms)
            facts = {"period": f"{period.first_day} .. {period.last_day}", "received": data.report.received.value,
                     "raw_received": received, "overdue_now": data.report.overdue_now.value}
        raw.close()
        widget.close()
        widget.deleteLater()
    finally:
        tasks.shutdown(wait=True)
        st.close()
    del app
    return times, facts


def _sql(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def table(times: dict[str, list[float]]) -> str:
    rows = ["| measurement | median ms | p90 ms | target |", "|---|---:|---:|---|"]
    names = {"total": "period chosen → tiles, charts and tables computed (database thread) and painted",
             "compute": "of which the figures alone (ui.dashboard.compute over app.kpi)",
             "unit": "the same year, another unit (the office's assessment kept on the database thread)",
             "month": "the last whole month, from scratch",
             "raw_count": "baseline: raw SQL count of the period's received complaints"}
    for key, name in names.items():
        median = statistics.median(times[key])
        target = (f"≤ {TARGET_MS:.0f} ms: {'met' if median <= TARGET_MS else 'NOT met'}" if key == "total" else "")
        rows.append(f"| {name} | {median:.1f} | {_p90(times[key]):.1f} | {target} |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="complaints in the seeded store")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=25, help="timed runs (at least 20)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print the table only; leave docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.runs < 20:
        parser.error("--runs must be at least 20")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    load_at_start = report.load_average()
    times, facts = run(count=args.count, seed=args.seed, runs=args.runs, warmup=args.warmup, reseed=args.reseed,
                       log=log)
    command = "python -m bench.dashboard" + (" " + shlex.join(list(argv)) if argv else
                                             (" " + shlex.join(sys.argv[1:]) if argv is None and sys.argv[1:]
                                              else ""))
    lines = [f"## Dashboard: a year of {args.count:,} complaints (`bench/dashboard.py`)", "",
             f"Generated by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Medians and 90th percentiles of "
             f"{args.runs} runs after {args.warmup} warm-up runs; the baseline is measured in the same run. The "
             f"period: {facts.get('period')} (the office received {facts.get('received'):,} complaints in it, "
             f"spam and duplicates left out; the raw count, which keeps them, {facts.get('raw_received'):,}).", "",
             table(times), "", "### Machine", "", "| | |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in report.machine(load_at_start)]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        sections.write_section("dashboard", text)
    return 0 if statistics.median(times["total"]) <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
