"""``python -m bench.ui_bench``: the desktop window over 100,000 complaints (issue 5's targets).

- **launch**: from starting the process to the first complaint rows painted with their data (the real start-up
  path: QApplication, translations, logging, opening the store, the set-up check, log-in with the demo password,
  the main window; the auto-closure and the whole-file integrity check run behind the first screen), against a
  bare PySide6 window (QApplication + QMainWindow + a 50-row QTableView) started the same way, alternating, in the
  same run. Target: ratio ≤ 3. The program's bytecode is compiled first, as an installed program has it (an
  environment with PYTHONDONTWRITEBYTECODE would otherwise compile ~130 modules from source in every run).
- **scroll**: the "Semua" view (every complaint of the home office) scrolled a page at a time from top to bottom:
  each step is setValue + the repaint it causes (rows fetched lazily); total seconds and the median / 95th
  percentile / worst step.
- **sort**: clicking the deadline header (ascending ↔ descending) until the new order is in the model.
- **search**: a full-text search of the list until its rows are in the model.
- **detail**: opening a complaint until its detail panel is filled. Target ≤ 50 ms.
- **memory**: the window process's peak resident memory after all of the above. Target ≤ 300 MB.

Each child process runs offscreen (QT_QPA_PLATFORM=offscreen) on a copy of the seeded store of bench/store.py.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import report, sections, store

ROOT = Path(__file__).resolve().parent.parent
LAUNCH_TARGET = 3.0
DETAIL_TARGET_MS = 50.0
MEMORY_TARGET_MB = 300.0


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT)
    return env


def _timed_child(args: list[str], timeout: float = 180.0) -> tuple[float, dict[str, Any]]:
    """Seconds from spawning ``python -m bench.ui_child ARGS`` to its READY line, and its JSON result line."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench.ui_child", *args], cwd=ROOT, env=_child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    ready_at = None
    result: dict[str, Any] = {}
    deadline = started + timeout
    for line in proc.stdout:
        if line.startswith("READY") and ready_at is None:
            ready_at = time.perf_counter()
        elif line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
        if time.perf_counter() > deadline:
            proc.kill()
            break
    _, err = proc.communicate(timeout=60)
    if proc.returncode != 0 or ready_at is None:
        raise RuntimeError(f"ui_child {' '.join(args)} failed (exit {proc.returncode}):\n{err[-3000:]}")
    return ready_at - started, result


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(count: int, seed: int, runs: int, log: Any) -> dict[str, Any]:
    db, info = store.seeded_file(count, seed, reseed=False, log=log)
    for package in ("app", "ui", "sync", "bench"):  # see the module docstring
        compileall.compile_dir(ROOT / package, quiet=1)
    work = Path(tempfile.mkdtemp(prefix="lapor-ui-bench-"))
    try:
        data = work / "data"
        data.mkdir()
        shutil.copyfile(db, data / "lapor-desk.sqlite3")
        log(f"launch: {runs} runs of the window and of a bare PySide6 window, alternating ...")
        bare: list[float] = []
        app: list[float] = []
        steps: list[dict[str, float]] = []
        first = True
        for _ in range(runs + 1):  # the first pair warms the page cache and is not counted
            b, _ = _timed_child(["bare"])
            a, step_times = _timed_child(["launch", "--data-dir", str(data)])
            if first:
                first = False
                continue
            bare.append(b)
            app.append(a)
            steps.append(step_times)
        log("scroll / sort / search / detail / memory ...")
        _, ops = _timed_child(["ops", "--data-dir", str(data)], timeout=900)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"count": count, "seed": seed, "runs": runs, "seed_info": info, "bare": bare, "app": app, "ops": ops,
            "steps": steps}


def render(res: dict[str, Any], command: str, load_at_start: str) -> str:
    bare, app, ops = statistics.median(res["bare"]), statistics.median(res["app"]), res["ops"]
    ratio = app / bare
    steps = ops["scroll_steps_ms"]
    detail = statistics.median(ops["detail_ms"])
    rows = [
        ("launch to first rows visible", f"{app * 1000:.0f} ms", f"bare window {bare * 1000:.0f} ms",
         f"{ratio:.2f}", f"ratio ≤ {LAUNCH_TARGET:g}", "ok" if ratio <= LAUNCH_TARGET else "MISSED"),
        (f"scroll top → bottom ({ops['rows']:,} rows, {len(steps):,} page steps)", f"{ops['scroll_s']:.1f} s",
         f"step median {statistics.median(steps):.1f} ms, p95 {_pct(steps, 0.95):.1f} ms, worst {max(steps):.0f} ms",
         "", "smooth (steps < 50 ms)", "ok" if _pct(steps, 0.95) < 50 else "MISSED"),
        ("sort by deadline (all rows)", f"{statistics.median(ops['sort_ms']):.0f} ms", "", "", "", ""),
        (f"search \"{ops['search_text']}\" ({ops['search_hits']:,} hits)",
         f"{statistics.median(ops['search_ms']):.0f} ms", "", "", "", ""),
        ("open a complaint's detail", f"{detail:.1f} ms", f"p95 {_pct(ops['detail_ms'], 0.95):.1f} ms", "",
         f"≤ {DETAIL_TARGET_MS:g} ms", "ok" if detail <= DETAIL_TARGET_MS else "MISSED"),
        ("peak memory of the window process", f"{ops['peak_rss_mb']:.0f} MB", "", "",
         f"≤ {MEMORY_TARGET_MB:g} MB", "ok" if ops["peak_rss_mb"] <= MEMORY_TARGET_MB else "MISSED"),
    ]
    table = "\n".join(["| Measurement | median | baseline / spread | ratio | target | result |",
                       "|---|---:|---|---:|---|---|"] + ["| " + " | ".join(r) + " |" for r in rows])
    env = "\n".join(f"| {k} | {v} |" for k, v in report.machine(load_at_start))
    step_names = [k for k in res["steps"][0] if k != "first_rows"] if res["steps"] else []
    breakdown = " · ".join(f"{name} {statistics.median(s[name] for s in res['steps']) * 1000:.0f} ms"
                           for name in step_names)
    return f"""## Desktop window (`bench/ui_bench.py`)

Generated by `{command}` on {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}. The store holds
{res['count']:,} synthetic complaints (seed {res['seed']}); the home office (Kabupaten Sleman) lists {ops['rows']:,}
of them in "Semua". Launch figures are medians of {res['runs']} alternating runs (one warm-up pair first);
operations are medians over repeated runs in one window process ({len(ops['sort_ms'])} sorts,
{len(ops['search_ms'])} searches, {len(ops['detail_ms'])} details). Offscreen Qt platform; the machine is shared.

{table}

Where the launch goes (medians, inside the window process; the rest is process start and painting):
{breakdown}.

What is counted: **launch** is process start → the first rows painted with their data, through the program's
real start-up path (`ui.application.Startup`: store open, set-up check, log-in with the demo password (Argon2,
argon2-cffi's default parameters), main window); the auto-closure, the change-capture plugins and the whole-file
integrity check run on the database thread behind the first screen. The program's bytecode is compiled before the
runs, as in an installed program. The baseline is a bare PySide6 window with a 50-row table, from process start to
its first paint. **scroll** steps are `setValue(value + pageStep)` plus the repaint, rows fetched lazily by the
list model. **sort**, **search**: the request until the new id list is in the model (its `loaded` signal).
**detail**: `show_complaint(id)` until the panel's `loaded` signal, over {len(ops['detail_ms'])} different
complaints.

### Machine

| | |
|---|---|
{env}
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ui_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=7, help="launch runs of each program")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    load_at_start = report.load_average()
    res = run(args.count, args.seed, args.runs, log)
    command = " ".join(["python -m bench.ui_bench", *(argv if argv is not None else sys.argv[1:])])
    text = render(res, command.strip(), load_at_start)
    print(text)
    if not args.no_write:
        sections.write_section("ui", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
