"""Sync on the wire (issue 4's targets): a first sync of a 10,000-complaint office into a freshly enrolled PC, a
no-op sync, 1,000 local edits then one sync, and the first sync again over a slow lossy link.

    python -m bench.sync_bench [--quick] [--no-slow] [--no-write]

Everything runs against a real ``lapor-server serve`` subprocess (SQLite) on 127.0.0.1, seeded by bench/sync_seed.py
(cached in bench/out/sync/), with the program's own enrol, store and sync engine on the PC side. Bytes are those
sync.transport.WireStats counts (bodies as sent, i.e. compressed, plus each request's URL). The slow link is a
network namespace (bench/netem.py) with the server inside it. The section "sync" of docs/BENCHMARKS.md is
rewritten; the same text goes to bench/out/sync_bench.md. Exit code 1 when a run fails (an error, or a PC that
does not hold what the server sent); a missed target is reported, not a failure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app import collector
from bench import sections
from bench.netem import LinkProfile, SlowLink, why_unavailable
from bench.report import load_average, machine
from bench.serverproc import ServerProcess
from bench.sync_runs import PC, Exchange, floor_bytes, make_template, totals
from bench.sync_seed import Seeded, seed

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CACHE = OUT / "sync"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---- the seeded server database, cached --------------------------------------------------------------------------


def _cache_key(opts: argparse.Namespace) -> str:
    from server.db import MIGRATIONS_DIR

    h = hashlib.sha256(f"{opts.complaints}/{opts.every}/{opts.seed}".encode())
    h.update((ROOT / "bench" / "sync_seed.py").read_bytes())
    for path in sorted(MIGRATIONS_DIR.rglob("*.py")):  # contents too: an unreleased migration may be edited
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def seeded_server(opts: argparse.Namespace) -> tuple[Path, Seeded, bool]:
    """(folder with server.sqlite3 and blobs/, what is in it, whether it came from the cache)."""
    kind = f"seed-{opts.complaints}-{opts.every}-{opts.seed}-"
    folder = CACHE / f"{kind}{_cache_key(opts)}"
    manifest = folder / "seeded.json"
    if manifest.is_file() and not opts.reseed:
        return folder, Seeded.from_json(manifest.read_text()), True
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in [*CACHE.glob(f"{kind}*"), *CACHE.glob("seed-????????????"), *CACHE.glob("seeding-*")]:
        shutil.rmtree(old, ignore_errors=True)  # stale: the seeder or the schema changed since
    building = Path(tempfile.mkdtemp(prefix="seeding-", dir=CACHE))
    log(f"seeding {opts.complaints:,} complaints on a server database…")
    seeded = seed(f"sqlite:///{building / 'server.sqlite3'}", building / "blobs", count=opts.complaints,
                  every=opts.every, seed_value=opts.seed)
    (building / "seeded.json").write_text(seeded.to_json())
    building.rename(folder)
    log(f"  seeded in {seeded.seconds:.1f} s: {seeded.events:,} events, {seeded.attachments:,} attachments, "
        f"{seeded.changelog_rows:,} change-log rows in {seeded.transactions:,} transactions")
    return folder, seeded, False


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


@contextmanager
def server_copy(seed_dir: Path, work: Path, *, host: str = "127.0.0.1",
                prefix: list[str] | None = None) -> Iterator[tuple[ServerProcess, str]]:
    """A server over its own copy of the seeded database (files are never changed once stored: linked)."""
    work.mkdir(parents=True)
    shutil.copyfile(seed_dir / "server.sqlite3", work / "server.sqlite3")
    shutil.copytree(seed_dir / "blobs", work / "blobs", copy_function=_link_or_copy)
    db_url = f"sqlite:///{work / 'server.sqlite3'}"
    server = ServerProcess(db_url, work / "blobs", work / "server.log", host=host, prefix=prefix)
    try:
        yield server, db_url
    finally:
        server.stop()


# ---- the scenarios ------------------------------------------------------------------------------------------------


@dataclass
class Results:
    seeded: Seeded
    cached_seed: bool
    first: list[dict[str, Any]] = field(default_factory=list)
    noop: list[dict[str, Any]] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    after_edits: dict[str, Any] | None = None
    slow: dict[str, Any] | None = None
    slow_skipped: str | None = None
    failures: list[str] = field(default_factory=list)
    server_log_errors: int = 0


def first_sync(pc: PC, seeded: Seeded) -> dict[str, Any]:
    report, seconds, exchanges = pc.sync()
    counts = pc.counts()
    records = totals(exchanges, lambda k: k != "blob")
    blobs = totals(exchanges, lambda k: k == "blob")
    floor = floor_bytes(exchanges)
    expected = {"complaints": seeded.complaints, "events": seeded.events, "attachments": seeded.attachments}
    wrong = {k: (counts[k], v) for k, v in expected.items() if counts[k] != v}
    if counts["files"] < counts["open_files"]:
        wrong["files of open complaints"] = (counts["files"], counts["open_files"])
    if wrong:
        raise AssertionError(f"the PC does not hold what the server has: {wrong}")
    return {"seconds": seconds, "records_seconds": pc.phase_ends.get("pull", seconds), "records": records,
            "blobs": blobs, "floor": floor, "ratio": records["bytes"] / floor["gzip9"],
            "ratio6": records["bytes"] / floor["gzip6"], "files": counts["files"], "slept": pc.recorder.slept,
            "waits": pc.recorder.waits,
            "pages": sum(1 for e in exchanges if e.kind == "pull"), "pulled": report.pulled_complaints}


def plain_sync(pc: PC) -> dict[str, Any]:
    report, seconds, exchanges = pc.sync()
    return {"seconds": seconds, "push": totals(exchanges, lambda kind: kind == "push"),
            "pull": totals(exchanges, lambda kind: kind == "pull"),
            "all": totals(exchanges), "applied": report.applied, "merged": report.merged,
            "conflicts": report.conflicts, "rejected": len(report.rejected), "pulled": report.pulled_complaints,
            "pulled_events": report.pulled_events, "kinds": sorted({e.kind for e in exchanges})}


def run_local(opts: argparse.Namespace, seed_dir: Path, work: Path, results: Results,
              attempt: Callable[[str, Callable[[], None]], None]) -> None:
    template = make_template(work / "template")
    with server_copy(seed_dir, work / "server") as (server, db_url):
        pc: PC | None = None
        try:
            for i in range(opts.first_runs):
                if pc is not None:
                    pc.close()
                pc = PC(work / f"pc{i + 1}", template, server.url, db_url, results.seeded, f"PC-bench-{i + 1}")
                log(f"first sync {i + 1}/{opts.first_runs}…")
                results.first.append(first_sync(pc, results.seeded))
                r = results.first[-1]
                log(f"  {r['seconds']:.1f} s, {r['records']['bytes']:,} B records ({r['ratio']:.2f}× the floor), "
                    f"{r['blobs']['bytes']:,} B files")
            assert pc is not None
            current = pc

            def noop() -> None:
                for _ in range(opts.noop_runs):
                    results.noop.append(plain_sync(current))
                log(f"no-op sync: {statistics.median(r['all']['requests'] for r in results.noop)} request(s), "
                    f"{statistics.median(r['all']['bytes'] for r in results.noop):.0f} B")

            def edits() -> None:
                targets = current.open_complaints(opts.edits)
                if len(targets) < opts.edits:
                    raise AssertionError(f"only {len(targets)} open complaints to edit")
                for k in range(1, opts.edit_rounds + 1):
                    edit_seconds = current.edit(targets, k)
                    r = plain_sync(current)
                    r["edit_seconds"] = edit_seconds
                    results.edits.append(r)
                    if r["applied"] + r["merged"] != opts.edits or r["rejected"] or r["conflicts"]:
                        raise AssertionError(f"push results: {r['applied']} applied, {r['merged']} merged, "
                                             f"{r['conflicts']} conflicts, {r['rejected']} rejected")
                    log(f"  edits round {k}: sync {r['seconds']:.1f} s, push {r['push']['bytes']:,} B, "
                        f"pull {r['pull']['bytes']:,} B ({r['pulled']} complaints back)")
                results.after_edits = plain_sync(current)

            attempt("no-op sync", noop)
            attempt("edits", edits)
        finally:
            if pc is not None:
                pc.close()
            results.server_log_errors += server.log_errors()


def run_slow(opts: argparse.Namespace, seed_dir: Path, work: Path, results: Results) -> None:
    profile = LinkProfile(opts.slow_kbit * 1000, opts.slow_delay_ms, opts.slow_loss / 100)
    template = make_template(work / "slow-template")
    with SlowLink(profile, work) as link, \
            server_copy(seed_dir, work / "slow-server", host=link.server_ip, prefix=link.ns_exec) as (server, db):
        log(f"slow link: {profile.describe()}; {link.mode}")
        pc = PC(work / "pc-slow", template, server.url, db, results.seeded, "PC-bench-slow")
        try:
            before = link.counters()
            r = first_sync(pc, results.seeded)
            after = link.counters()
            r["link_up"], r["link_down"] = after[0] - before[0], after[1] - before[1]
            r["mode"], r["profile"] = link.mode, profile.describe()
            results.slow = r
            log(f"  slow first sync: {r['seconds']:.0f} s")
        finally:
            pc.close()
            results.server_log_errors += server.log_errors()


# ---- main ---------------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.sync_bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="1,000 complaints, fewer repeats, no slow link (a smoke run)")
    p.add_argument("--complaints", type=int, default=10_000)
    p.add_argument("--every", type=int, default=10, help="one attachment per this many complaints")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--first-runs", type=int, default=3)
    p.add_argument("--noop-runs", type=int, default=20)
    p.add_argument("--edits", type=int, default=1_000)
    p.add_argument("--edit-rounds", type=int, default=5)
    p.add_argument("--no-slow", action="store_true", help="skip the slow-link run")
    p.add_argument("--slow-kbit", type=float, default=256)
    p.add_argument("--slow-delay-ms", type=float, default=300, help="one way, in each direction")
    p.add_argument("--slow-loss", type=float, default=2.0, help="percent, in each direction")
    p.add_argument("--reseed", action="store_true", help="seed again even if bench/out/sync has the database")
    p.add_argument("--no-write", action="store_true", help="leave docs/BENCHMARKS.md alone")
    p.add_argument("--keep", action="store_true", help="keep the work folder (databases, server logs)")
    opts = p.parse_args(argv)
    if opts.quick:
        opts.complaints, opts.first_runs, opts.noop_runs, opts.edit_rounds = 1_000, 1, 5, 2
        opts.edits, opts.no_slow = 100, True
    return opts


def main(argv: list[str] | None = None) -> int:
    import keyring
    from keyring.backends import fail

    from bench.sync_report import render

    opts = parse_args(argv)
    collector.tune()  # the PCs run in this process: set up as lapor-desk sets itself up at its start
    # A run stopped from outside still removes its namespace, server and work folder (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    keyring.set_keyring(fail.Keyring())  # device tokens go to files in the work folder, never a real keyring
    load_at_start = load_average()
    started = time.monotonic()
    seed_dir, seeded, cached = seeded_server(opts)
    results = Results(seeded, cached)
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=CACHE))

    def attempt(name: str, step: Callable[[], None]) -> None:
        try:
            step()
        except Exception as exc:  # one scenario failing still leaves the others to measure
            traceback.print_exc()
            results.failures.append(f"{name}: {type(exc).__name__}: {exc}")

    try:
        attempt("local runs", lambda: run_local(opts, seed_dir, work, results, attempt))
        if opts.no_slow:
            results.slow_skipped = "not run (--no-slow)"
        elif (reason := why_unavailable()) is not None:
            results.slow_skipped = f"skipped: {reason}"
            log(f"slow link {results.slow_skipped}")
        else:
            attempt("slow link", lambda: run_slow(opts, seed_dir, work, results))
    finally:
        if opts.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    command = " ".join(["python -m bench.sync_bench", *(argv if argv is not None else sys.argv[1:])])
    facts = machine(load_at_start)
    text = render(results, opts, command=command.strip(), facts=facts,
                  when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "sync_bench.md").write_text(text)
    (OUT / "sync_bench.json").write_text(json.dumps(_jsonable(results), indent=1, default=str))
    if not opts.no_write:
        sections.write_section("sync", text)
    print(text)
    log(f"done in {time.monotonic() - started:.0f} s" + ("" if opts.no_write else "; docs/BENCHMARKS.md updated"))
    return 1 if results.failures else 0


def _jsonable(results: Results) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(results)


__all__ = ["Exchange", "main"]

if __name__ == "__main__":
    sys.exit(main())
