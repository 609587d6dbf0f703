"""Our sync side by side with PouchDB on the same documents (issue 14):

    python -m bench peer [--sizes 1000,10000,50000] [--reps 3] [--no-write]

PouchDB's side is ../shared/peer-bench, copied (without node_modules) to bench/out/peer/ with its node_modules
installed there by ``npm ci`` from its lock file (kept across runs for the same lock file); its ``gen.js`` writes
the documents, ``pouchdb-server`` runs on a free 127.0.0.1 port and ``bench.js --reps 1`` measures one repetition:
a first pull into a fresh local database, a no-op pull, then a push of every k-th document with two fields changed.

Our side: a fresh ``lapor-server serve`` (SQLite) per repetition over a copy of the same documents loaded into one
office (bench/peer_load.py, cached in bench/out/peer/), and a freshly enrolled PC (bench/sync_runs.PC: the program's
own store and sync engine): a first sync, a no-op sync (and five more, back to back), one edit of another complaint
pushed untimed (primed, as PouchDB's push is), then the same number of complaints edited through
``services.edit_complaint`` (title and address; a closed complaint cannot be edited, so the first open one at or
after every k-th document) and one sync. Bytes on both sides are TCP payload bytes counted on the client's sockets
(request and status lines, headers, bodies as sent); requests are HTTP requests. The no-op's server time is taken
inside the server: from the ASGI call to the answer's first message (a wrapper around ``server.main.build``).

The repetitions alternate (PouchDB 1, ours 1, PouchDB 2, …). The section "peer" of docs/BENCHMARKS.md is rewritten
unless --no-write; the text also goes to bench/out/peer/peer.md, the raw figures to bench/out/peer/peer.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from app import collector
from bench import sections
from bench.peer_ours import OurSide
from bench.peer_pouch import PouchServer, documents, peer_folder, pouch_rep, setup_lines
from bench.peer_report import SizeResult, render
from bench.report import load_average, machine

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "peer"
SIZES = (1_000, 10_000, 50_000)
PUSH = 1_000  # documents edited before the push (fewer when a tenth of the office is fewer)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def push_count(complaints: int) -> int:
    return min(PUSH, complaints // 10)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench peer", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default=",".join(str(n) for n in SIZES),
                   help="numbers of complaints, comma-separated (default: %(default)s)")
    p.add_argument("--reps", type=int, default=3, help="repetitions per side and size (default: %(default)s)")
    p.add_argument("--reps-largest", type=int, default=None,
                   help="repetitions at sizes of 50,000 and more (default: --reps)")
    p.add_argument("--no-write", action="store_true", help="leave docs/BENCHMARKS.md alone")
    p.add_argument("--keep", action="store_true", help="keep the work folder (databases, server logs)")
    opts = p.parse_args(argv)
    try:
        opts.sizes = [int(s.replace("_", "")) for s in opts.sizes.split(",") if s.strip()]
    except ValueError:
        p.error("--sizes: numbers separated by commas")
    if not opts.sizes or min(opts.sizes) < 10 or opts.reps < 1:
        p.error("--sizes needs numbers of at least 10, --reps at least 1")
    return opts


def main(argv: list[str] | None = None) -> int:
    import keyring
    from keyring.backends import fail

    opts = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the finally blocks stop both servers
    keyring.set_keyring(fail.Keyring())  # device tokens go to files in the work folder, never a real keyring
    collector.tune()  # the PC's side runs in this process: set up as lapor-desk sets itself up at its start
    load_at_start = load_average()
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    folder = peer_folder(OUT, log)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=OUT))
    results: list[SizeResult] = []
    failures: list[str] = []
    notes: list[str] = []
    try:
        with PouchServer(folder, work / "pouchdb-server") as pouch:
            ours = OurSide(OUT, work, log)
            for n in sorted(opts.sizes):
                reps = opts.reps if n < 50_000 or opts.reps_largest is None else opts.reps_largest
                if reps != opts.reps:
                    notes.append(f"{n:,} complaints: {reps} repetition(s) per side instead of {opts.reps} "
                                 "(--reps-largest), to keep the run short.")
                data = documents(folder, n, log)
                ours.prepare(n, data)
                size = SizeResult(n, push_count(n), [], [], load_average(), "")
                for r in range(1, reps + 1):
                    step = f"{n:,} complaints, repetition {r}/{reps}"
                    _attempt(failures, f"PouchDB, {step}", size.pouch,
                             partial(pouch_rep, folder, pouch, data, size.push, work / "pouch", log))
                    _attempt(failures, f"LAPOR Desk, {step}", size.ours, partial(ours.rep, n, size.push, r))
                size.load_after = load_average()
                results.append(size)
            notes += ours.notes
        busiest = max([load_at_start, *(x for s in results for x in (s.load_before, s.load_after))],
                      key=lambda text: float(text.split(" / ")[0]) if text[0].isdigit() else 0.0)
        if busiest[0].isdigit() and float(busiest.split(" / ")[0]) > (os.cpu_count() or 1):
            notes.append(f"The machine was busy with other work (1-minute load average up to {busiest.split()[0]} on "
                         f"{os.cpu_count()} cores): times on both sides are longer than on a quiet machine; the "
                         "ratios suffer less, the sides taking turns.")
    finally:
        if opts.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    command = " ".join(["python -m bench peer", shlex.join(argv if argv is not None else sys.argv[1:])]).strip()
    text = render(results, command=command, when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                  facts=machine(load_at_start), setup=setup_lines(folder), notes=[*notes, *_failure_notes(failures)])
    (OUT / "peer.md").write_text(text)
    (OUT / "peer.json").write_text(json.dumps([asdict(s) for s in results], indent=1, default=str))
    print(text)
    if not opts.no_write and not failures:
        sections.write_section("peer", text)
    log(f"done in {time.monotonic() - started:.0f} s" + (
        "" if opts.no_write else ("; docs/BENCHMARKS.md left alone (a run failed)" if failures else
                                  "; docs/BENCHMARKS.md updated")))
    return 1 if failures else 0


def _attempt(failures: list[str], name: str, into: list[dict[str, Any]], step: Callable[[], dict[str, Any]]) -> None:
    log(f"{name}…")
    try:
        into.append(step())
    except Exception as exc:  # one repetition failing still leaves the others to measure
        traceback.print_exc()
        failures.append(f"{name}: {type(exc).__name__}: {exc}")


def _failure_notes(failures: list[str]) -> list[str]:
    return [f"FAILED: {f}" for f in failures]


if __name__ == "__main__":
    sys.exit(main())
