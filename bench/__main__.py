"""``python -m bench [store] [server] [sync] [ui] [dist] ...``: run the benchmarks (all of them by default). Each suite
writes its own section of docs/BENCHMARKS.md (bench/sections.py); the server suite is bench/server_load.py, the
sync suite bench/sync_bench.py, the window suite bench/ui_bench.py. Not run from here: the fault schedules of issue 10
(hours of random faults and restores), ``python -m bench.fault_schedules``."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from bench import notes, report, sections, store

# server: bench/server_load.py (national server under load); sync: bench/sync_bench.py (sync on the wire); ui:
# bench/ui_bench.py (the window over 100,000 complaints). Each runs as it runs alone.
SUITES = ("store", "server", "sync", "ui", "receipt", "export", "monthly-report", "dashboard", "national", "peer",
          "dist")


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] == ["peer"]:  # alone, it takes its own options (--sizes, --reps): bench/peer.py reads them
        from bench import peer

        return peer.main(given[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=f"what to run: {', '.join(SUITES)} (default: all)")
    parser.add_argument("--count", type=int, default=100_000, help="complaints in the seeded store")
    parser.add_argument("--seed", type=int, default=1, help="seed of the demo data")
    parser.add_argument("--runs", type=int, default=25, help="timed runs per measurement (at least 20)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first")
    parser.add_argument("--reseed", action="store_true", help="seed again even if bench/out has the file")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    if args.runs < 20:
        parser.error("--runs must be at least 20")
    if unknown := set(args.suites) - set(SUITES):
        parser.error(f"unknown suite: {', '.join(sorted(unknown))}")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    selected = args.suites or list(SUITES)
    status = 0
    if "store" in selected:
        load_at_start = report.load_average()
        result = store.run(count=args.count, seed=args.seed, runs=args.runs, warmup=args.warmup,
                           reseed=args.reseed, log=log)
        command = "python -m bench" + ("" if argv is None and len(sys.argv) <= 1 else
                                       " " + shlex.join(list(argv if argv is not None else sys.argv[1:])))
        text = report.render(result, command=command, runs=args.runs, warmup=args.warmup,
                             notes=notes.findings(result), load_at_start=load_at_start)
        print(report.table(result))
        if not args.no_write:
            sections.write_section("store", text)
            log(f"wrote {Path(report.DOC).relative_to(report.ROOT)}")
    if "server" in selected:
        from bench import server_load

        status = server_load.main([]) or status
    if "sync" in selected:
        from bench import sync_bench

        status = sync_bench.main([]) or status
    if "ui" in selected:
        from bench import ui_bench

        status = ui_bench.main([]) or status
    if "receipt" in selected:  # bench/receipt.py: submit → receipt PDF (writes its section)
        from bench import receipt

        status = receipt.main([]) or status
    if "export" in selected:  # bench/export.py: the list to Excel and CSV, 100,000 rows (writes its section)
        from bench import export

        status = export.main([]) or status
    if "monthly-report" in selected:  # bench/monthly_report.py: the monthly report PDF (writes its section)
        from bench import monthly_report

        status = monthly_report.main([]) or status
    if "dashboard" in selected:  # bench/dashboard.py: the dashboard for a year of 100,000 complaints
        from bench import dashboard

        status = dashboard.main([]) or status
    if "national" in selected:  # bench/national.py: the national comparison, 550 offices × 2,000,000 complaints
        from bench import national

        status = national.main([]) or status
    if "dist" in selected:  # bench/dist_bench.py: the packaged build's size and start against the venv's (make dist)
        from bench import dist_bench

        status = dist_bench.main(["--no-write"] if args.no_write else []) or status
    if "peer" in selected:  # bench/peer.py: our sync beside PouchDB's on the same documents (writes its section)
        from bench import peer

        status = peer.main(["--no-write"] if args.no_write else []) or status
    return status


if __name__ == "__main__":
    sys.exit(main())
