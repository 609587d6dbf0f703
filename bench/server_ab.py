"""``bench.server_load --baseline REV``: the same load on the server as it was at REV ("before") and as it is now
("after"), both running at once and loaded in turns, so one run shows what changed and by how much.

REV is checked out as a detached ``git worktree`` under bench/out (removed afterwards) and served by the same venv
with the worktree first on ``sys.path``. It is served with uvicorn's ``loop="asyncio"`` and ``http="h11"``
forced (a wrapper around ``uvicorn.run``), so "before" is also before uvloop and httptools; "after" is
``lapor-server serve`` as shipped. Each server gets its own database, migrated and seeded by its own code.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import server_load as sl
from bench.server_seed import seed, seed_with
from bench.serverproc import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
LABELS = ("before", "after")

# Runs ``lapor-server`` from a worktree; {force} is FORCE_ASYNCIO for "before". uvicorn's workers are spawned
# processes: they get this sys.path and the Config (loop, http) from the parent.
SERVER_FROM_TREE = """\
import sys
sys.path[0] = {root!r}
import uvicorn
{force}
import server.cli
print("lapor-server from " + server.cli.__file__, file=sys.stderr, flush=True)
sys.argv[0] = "lapor-server"
sys.exit(server.cli.main())
"""
FORCE_ASYNCIO = """\
_run = uvicorn.run
def run(*args, **kwargs):
    kwargs.update(loop="asyncio", http="h11")
    return _run(*args, **kwargs)
uvicorn.run = run"""


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


@dataclass(frozen=True)
class Revision:
    root: Path
    sha: str
    subject: str


@contextmanager
def worktree(rev: str) -> Iterator[Revision]:
    """REV checked out (detached) in bench/out, removed again afterwards, also when the run fails. The same
    revision as before and after shares one worktree: the server only reads it."""
    sha = _git("rev-parse", "--short", f"{rev}^{{commit}}")
    path = ROOT / "bench" / "out" / f"server-ab-{sha}"
    if path.exists():  # left by a run that was killed
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, capture_output=True)
    _git("worktree", "add", "--detach", str(path), sha)
    try:
        yield Revision(path, sha, _git("log", "-1", "--format=%s", sha))
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, capture_output=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, capture_output=True)


def native_parts(pid: int) -> dict[str, int]:
    """In how many of the server's processes (``pid`` and its descendants) uvloop and httptools are loaded: what
    uvicorn's ``auto`` really chose, read from the processes' memory maps."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    tree = {pid}
    while True:
        more = {p for p, pp in parent.items() if pp in tree} - tree
        if not more:
            break
        tree |= more
    counts = {"processes": 0, "uvloop": 0, "httptools": 0}
    for p in tree:
        try:
            maps = Path(f"/proc/{p}/maps").read_text()
        except OSError:
            continue
        if "python" not in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace"):
            continue
        counts["processes"] += 1
        for lib in ("uvloop", "httptools"):
            counts[lib] += f"/{lib}/" in maps
    return counts


def _start(label: str, db_url: str, workdir: Path, workers: int, tree: Revision | None, *,
           as_shipped: bool = False) -> ServerProcess:
    """The server of ``label``: the current checkout's ``lapor-server`` when ``tree`` is None, else the code in
    the worktree (on asyncio and h11 for "before" unless ``as_shipped``), checked to be what runs."""
    blobs, log = workdir / f"blobs-{label}", workdir / f"{label}.log"
    if tree is None:
        return ServerProcess(db_url, blobs, log, workers=workers, timeout=60)
    force = FORCE_ASYNCIO if label == "before" and not as_shipped else ""
    code = SERVER_FROM_TREE.format(root=str(tree.root), force=force)
    server = ServerProcess(db_url, blobs, log, workers=workers, timeout=60, command=[sys.executable, "-c", code],
                           extra_env={"PYTHONPATH": str(tree.root)})
    if f"lapor-server from {tree.root / 'server' / 'cli.py'}" not in log.read_text(errors="replace"):
        server.stop()
        raise RuntimeError(f"the {label} server did not run {tree.root}'s code; see {log}")
    return server


def run_pair(config: sl.Config, opts: argparse.Namespace, pg: sl.PostgresCluster | None,
             trees: dict[str, Revision | None]) -> dict[str, dict[str, Any]]:
    from app import __version__

    workdir = Path(tempfile.mkdtemp(prefix="lapor-bench-server-ab-"))
    servers: dict[str, ServerProcess] = {}
    urls: dict[str, str] = {}
    targets: dict[str, dict[str, Any]] = {}
    parts: dict[str, dict[str, int]] = {}
    try:
        for label in LABELS:
            urls[label] = pg.create_database() if pg else f"sqlite:///{workdir / f'{label}.sqlite3'}"
            tree = trees[label]
            seats = seed(urls[label], opts.clients) if tree is None else seed_with(tree.root, urls[label], opts.clients)
            servers[label] = server = _start(label, urls[label], workdir, config.workers, tree,
                                             as_shipped=opts.as_shipped)
            watch = {"server": server.proc.pid, **({"postgres": pg.postmaster_pid()} if pg else {})}
            targets[label] = {"port": server.port, "clients": sl.enrol(server.port, seats), "watch": watch}
            parts[label] = native_parts(server.proc.pid)
        print(f"  {config.backend}×{config.workers}: both servers seeded and enrolled; loading in turns…",
              file=sys.stderr, flush=True)
        spec = {"host": "127.0.0.1", "targets": targets, "rounds": opts.rounds, "seconds": opts.seconds,
                "warmup": opts.warmup, "batch": opts.batch, "app_version": __version__, "phases": list(sl.PHASES)}
        bound = opts.rounds * 2 * len(sl.PHASES) * (opts.seconds + opts.warmup + 90) + 300
        done = subprocess.run([sys.executable, "-m", "bench.loadgen_ab"], cwd=ROOT, input=json.dumps(spec).encode(),
                              stdout=subprocess.PIPE, timeout=bound, check=True)
        reports = json.loads(done.stdout)
        results = {}
        for label in LABELS:
            servers[label].stop()
            checks = sl.verify(urls[label], reports[label])
            checks["server_log_errors"] = servers[label].log_errors()
            result = {"config": config, "report": reports[label], "checks": checks, "parts": parts[label]}
            result["summary"] = sl.summarise(result)
            results[label] = result
        return results
    finally:
        for server in servers.values():
            server.stop()
        if opts.keep:
            print(f"  kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main(opts: argparse.Namespace, command: str) -> int:
    from bench import sections
    from bench.server_ab_report import render

    configs = sl.parse_configs(opts.configs)
    pg: sl.PostgresCluster | None = None
    pg_version: str | None = None
    pairs = []
    started = time.monotonic()
    load_before = os.getloadavg()
    with ExitStack() as stack:
        base = stack.enter_context(worktree(opts.baseline))
        same = opts.after and _git("rev-parse", opts.after) == _git("rev-parse", opts.baseline)
        after = (base if same else stack.enter_context(worktree(opts.after))) if opts.after else None
        after_rev = after.sha if after else _git("rev-parse", "--short", "HEAD")
        edited = [] if after else _git("status", "--porcelain", "--untracked-files=no", "--", "app", "server",
                                       "sync").splitlines()
        try:
            for config in configs:
                if config.backend == "postgresql" and pg is None:
                    if not sl.find_pg_bin("initdb"):
                        print("  PostgreSQL is not installed: skipping postgresql", file=sys.stderr)
                        continue
                    pg = sl.PostgresCluster(fsync=opts.pg_fsync == "on")
                    pg_version = f"{pg.version()} (fsync {opts.pg_fsync})"
                pairs.append(run_pair(config, opts, pg if config.backend == "postgresql" else None,
                                      {"before": base, "after": after}))
        finally:
            if pg is not None:
                pg.stop()
    commits = _git("rev-list", "--count", f"{base.sha}..{after_rev}")
    on_server = _git("log", "--format=%h %s", f"{base.sha}..{after_rev}", "--", "server", "sync").splitlines()
    between = (f"{commits} commits, {len(on_server)} of them in server/ or sync/ ("
               + "; ".join(line[:70] + "…" for line in on_server[:12]) + ("; …" if len(on_server) > 12 else "") + ")")
    facts = {"base": base, "between": between, "after_rev": after_rev, "edited": [line[3:] for line in edited],
             "load": (load_before, os.getloadavg()), "machine": sl.machine_facts(pg_version),
             "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "command": command}
    text = render(pairs, opts, facts)
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(text)
    if not opts.no_write:
        sections.write_section("server", text)
    print(text)
    print(f"written to {opts.out}{'' if opts.no_write else ' and docs/BENCHMARKS.md'} in "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    failed = [r for pair in pairs for r in pair.values()
              if not r["checks"]["exactly_once"] or r["summary"]["server_errors"]]
    return 1 if failed else 0
