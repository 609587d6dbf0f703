"""Load on the national server: no-op pulls and applied mutations per second with many concurrent PCs, each as a
ratio to a trivial endpoint (GET /health) of the same server in the same run, on SQLite and on PostgreSQL.

    python -m bench.server_load [--quick] [--configs sqlite:1,postgresql:2] [--batch 5] [--baseline REV]
    python -m bench.server_load --hosts [--quick]   # one host against two behind nginx (bench/server_hosts.py)

For each configuration this starts a real ``lapor-server serve`` on 127.0.0.1, seeds it through ``server.admin``
(one office per PC, each with a counter-staff account, so a PC's pulls see only its own office's feed), enrols
the PCs over HTTP, and runs ``bench.loadgen`` in a separate process. Figures are medians over rounds; ratios are
the median of each round's ratio. Afterwards the database must hold exactly one complaint per acknowledged seq.
The table goes to stdout and to bench/out/server_load.md. On a small machine the load generator competes with the
server for the same cores: the report says how busy both were.
"""

from __future__ import annotations

import argparse
import glob
import http.client
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import sections
from bench.server_seed import Seat, seed
from bench.serverproc import ServerProcess, free_port

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "server_load.md"
PHASES = ("health", "pull", "push")


def find_pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return found[0] if found else shutil.which(name)


# ---- PostgreSQL -------------------------------------------------------------------------------------------------


class PostgresCluster:
    """A throwaway cluster like tests/helpers/postgres.py, but with fsync on by default (the SQLite side runs
    synchronous=FULL, so both pay for durable commits)."""

    def __init__(self, fsync: bool) -> None:
        initdb, pg_ctl = find_pg_bin("initdb"), find_pg_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise RuntimeError("PostgreSQL (initdb, pg_ctl) is not installed")
        self.pg_ctl = pg_ctl
        self.root = Path(tempfile.mkdtemp(prefix="lapor-bench-pg-"))
        self.data = self.root / "data"
        self.run_as: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]
        subprocess.run([*self.run_as, initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync",
                        "-E", "UTF8"], check=True, capture_output=True)
        self.port = free_port()
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                   f"-c fsync={'on' if fsync else 'off'}")
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                        "-w", "start"], check=True, capture_output=True)
        self.count = 0

    def create_database(self) -> str:
        import psycopg

        self.count += 1
        name = f"lapor_bench_{self.count}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def version(self) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres") as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"

    def stop(self) -> None:
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.data), "-m", "fast", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(self.root, ignore_errors=True)


# ---- seeding, the server, enrolment -----------------------------------------------------------------------------


def enrol(port: int, seats: list[Seat]) -> list[dict[str, Any]]:
    """Each seat's PC trades its code for credentials over HTTP (honouring the server's enrolment rate limit)."""
    from app import __version__
    from app.reference.regions import regency_code4
    from sync.protocol import HEADER_APP_VERSION, HEADER_PROTOCOL, PROTOCOL_VERSION

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", HEADER_PROTOCOL: str(PROTOCOL_VERSION),
               HEADER_APP_VERSION: __version__}
    clients = []
    for i, seat in enumerate(seats):
        for _ in range(100):
            conn.request("POST", "/api/v1/enroll", json.dumps({"code": seat.code, "device_name": f"PC-{i:03d}"}),
                         headers)
            response = conn.getresponse()
            body = response.read()
            if response.status != 429:
                break
            time.sleep(float(response.getheader("Retry-After") or 1))
        if response.status != 200:
            raise RuntimeError(f"enrolment failed: {response.status} {body[:200]!r}")
        answer = json.loads(body)
        clients.append({"token": answer["token"], "client_id": answer["client_id"], "user_id": seat.user_id,
                        "region4": regency_code4(seat.region_code), "device_no": answer["device_no"]})
    conn.close()
    return clients


def run_loadgen(spec: dict[str, Any]) -> dict[str, Any]:
    bound = int(spec["rounds"]) * len(spec["phases"]) * (float(spec["seconds"]) + float(spec["warmup"]) + 90) + 300
    done = subprocess.run([sys.executable, "-m", "bench.loadgen"], cwd=ROOT, input=json.dumps(spec).encode(),
                          stdout=subprocess.PIPE, timeout=bound, check=True)
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def verify(db_url: str, report: dict[str, Any]) -> dict[str, Any]:
    """Exactly once: one complaint, one RECEIVED event and one stored result per acknowledged seq."""
    from sqlalchemy import func, select

    from server.db import Database, make_engine
    from server.models import Complaint, Device, MutationRecord, TimelineEvent

    acked: dict[str, int] = report["acked"]
    engine = make_engine(db_url)
    with Database(engine).transaction() as s:
        complaints = s.execute(select(func.count()).select_from(Complaint)).scalar_one()
        events = s.execute(select(func.count()).select_from(TimelineEvent)
                           .where(TimelineEvent.kind == "RECEIVED")).scalar_one()
        records = s.execute(select(func.count()).select_from(MutationRecord)).scalar_one()
        last_seq = dict(s.execute(select(Device.client_id, Device.last_seq)).all())
    engine.dispose()
    expected = sum(acked.values())
    mismatched = sum(last_seq.get(cid) != seq for cid, seq in acked.items())
    ok = (complaints == events == records == expected and mismatched == 0 and not report["non_applied"]
          and not report["push_stops"] and report["unanswered_pushes"] == 0)
    return {"expected": expected, "complaints": complaints, "received_events": events, "mutation_records": records,
            "devices_mismatched": mismatched, "exactly_once": ok}


# ---- one configuration ------------------------------------------------------------------------------------------


@dataclass
class Config:
    backend: str  # "sqlite" or "postgresql"
    workers: int


def run_config(config: Config, opts: argparse.Namespace, pg: PostgresCluster | None) -> dict[str, Any]:
    from app import __version__

    workdir = Path(tempfile.mkdtemp(prefix="lapor-bench-server-"))
    server: ServerProcess | None = None
    try:
        db_url = pg.create_database() if pg else f"sqlite:///{workdir / 'server.sqlite3'}"
        t0 = time.monotonic()
        seats = seed(db_url, opts.clients)
        t1 = time.monotonic()
        server = ServerProcess(db_url, workdir / "blobs", workdir / "server.log", workers=config.workers,
                               timeout=60)
        t2 = time.monotonic()
        clients = enrol(server.port, seats)
        t3 = time.monotonic()
        print(f"  {config.backend}×{config.workers}: seeded in {t1 - t0:.1f} s, started in {t2 - t1:.1f} s, "
              f"enrolled {len(clients)} PCs in {t3 - t2:.1f} s; loading…", file=sys.stderr, flush=True)
        watch = {"server": server.proc.pid}
        if pg:
            watch["postgres"] = pg.postmaster_pid()
        spec = {"host": "127.0.0.1", "port": server.port, "clients": clients, "rounds": opts.rounds,
                "watch": watch,
                "seconds": opts.seconds, "warmup": opts.warmup, "batch": opts.batch, "app_version": __version__,
                "phases": opts.phases}
        report = run_loadgen(spec)
        server.stop()
        checks = verify(db_url, report)
        checks["server_log_errors"] = server.log_errors()
        return {"config": config, "report": report, "checks": checks}
    finally:
        if server is not None:
            server.stop()
        if opts.keep:
            print(f"  kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


# ---- the report -------------------------------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    rounds = result["report"]["rounds"]

    def med(phase: str, key: str) -> float:
        return _median([r[phase][key] for r in rounds if r[phase][key] is not None])

    statuses: dict[str, int] = {}
    errors = 0
    for r in rounds:
        for phase in PHASES:
            for code, n in r[phase]["statuses"].items():
                statuses[code] = statuses.get(code, 0) + n
            errors += sum(r[phase]["errors"].values())
    cpu_keys = sorted({k for r in rounds for p in PHASES for k in r[p]["cpu_cores"]})
    return {
        "health": med("health", "requests_per_s"), "pull": med("pull", "requests_per_s"),
        "mutations": med("push", "items_per_s"), "pushes": med("push", "requests_per_s"),
        "pull_ratio": _median([r["pull"]["requests_per_s"] / r["health"]["requests_per_s"] for r in rounds]),
        "mutation_ratio": _median([r["push"]["items_per_s"] / r["health"]["requests_per_s"] for r in rounds]),
        "lat": {p: (med(p, "p50_ms"), med(p, "p95_ms")) for p in PHASES},
        "cpu": {p: {k: _median([r[p]["cpu_cores"].get(k, 0.0) for r in rounds]) for k in cpu_keys}
                for p in PHASES},
        "statuses": statuses, "server_errors": sum(n for code, n in statuses.items() if code.startswith("5")),
        "client_errors": errors,
    }


def machine_facts(pg_version: str | None) -> list[str]:
    cpu = "?"
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11 (httptools not installed)"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio (uvloop not installed)"
    return [f"{os.cpu_count()} cores ({cpu}), Linux {platform.release()}",
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"PostgreSQL {pg_version or 'not run'}",
            f"uvicorn {importlib.metadata.version('uvicorn')} with {parser} and {loop}; "
            f"FastAPI {importlib.metadata.version('fastapi')}, SQLAlchemy {importlib.metadata.version('sqlalchemy')}"]


def _contention_note(results: list[dict[str, Any]]) -> list[str]:
    """A warning when other programs on the machine took CPU while the server was measured."""
    other = [res["summary"]["cpu"][p].get("other", 0.0) for res in results for p in PHASES]
    if not other or max(other) < 0.25:
        return []
    return [f"- **The machine was not quiet**: other processes used {min(other):.2f}–{max(other):.2f} cores "
            "during the measured windows (the `other` column), so absolute rates are lower than on an idle "
            "machine; the ratios, measured in the same rounds, are less affected."]


def render(results: list[dict[str, Any]], opts: argparse.Namespace, facts: list[str], command: str) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## National server under load (`bench/server_load.py`)",
        "",
        f"`{command}` · {when} · {opts.clients} concurrent clients, each an enrolled PC of its own office on one "
        f"keep-alive connection, in a closed loop · {opts.rounds} round(s) of three phases (GET /health, no-op "
        f"pull, push of {opts.batch} intake mutations), each {opts.warmup:g} s + {opts.seconds:g} s of sending, "
        "then waiting for the answers still in flight · a rate is the phase's answers ÷ the time from its first "
        "request to its last answer (the server is saturated throughout); figures are medians over rounds and a "
        "ratio is the median of each round's ratio to GET /health of the same server; latencies are over every "
        "answered request.",
        "",
        *[f"- {fact}" for fact in facts],
        "- The load generator (one Python process, raw HTTP/1.1 over asyncio) shares the cores with the server "
        "and the database; the CPU table shows what each took.",
        *_contention_note(results),
        "",
        "| Backend | Workers | GET /health req/s | No-op pulls/s (× /health) | Mutations applied/s (× /health) "
        "| /health p50 / p95 ms | pull p50 / p95 ms | push p50 / p95 ms | Exactly once · 5xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for res in results:
        s, c, cfg = res["summary"], res["checks"], res["config"]
        lat = s["lat"]
        once = "yes" if c["exactly_once"] else "**NO**"
        lines.append(
            f"| {cfg.backend} | {cfg.workers} | {s['health']:,.0f} | {s['pull']:,.0f} ({s['pull_ratio']:.2f}) "
            f"| {s['mutations']:,.0f} ({s['mutation_ratio']:.2f}) "
            f"| {lat['health'][0]:.0f} / {lat['health'][1]:.0f} | {lat['pull'][0]:.0f} / {lat['pull'][1]:.0f} "
            f"| {lat['push'][0]:.0f} / {lat['push'][1]:.0f} "
            f"| {once} ({c['complaints']:,} complaints) · {s['server_errors']} |")
    lines += ["", "Per round:", "",
              "| Backend | Workers | Round | /health req/s | pulls/s | mutations/s | pushes/s | push phase s "
              "| HTTP statuses |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for res in results:
        cfg = res["config"]
        for i, r in enumerate(res["report"]["rounds"], 1):
            statuses: dict[str, int] = {}
            for phase in PHASES:
                for code, n in r[phase]["statuses"].items():
                    statuses[code] = statuses.get(code, 0) + n
            push = r["push"]
            lines.append(f"| {cfg.backend} | {cfg.workers} | {i} | {r['health']['requests_per_s']:,.0f} "
                         f"| {r['pull']['requests_per_s']:,.0f} | {push['items_per_s']:,.0f} "
                         f"| {push['requests_per_s']:,.1f} "
                         f"| {push['span_s']:.1f} | {', '.join(f'{k}: {v:,}' for k, v in sorted(statuses.items()))} |")
    keys = ["machine", "server", "postgres", "loadgen", "other"]
    lines += ["", "CPU in the measured window, in cores (of " + str(os.cpu_count()) + "), median over rounds: the "
              "server's processes, PostgreSQL's, the load generator's, and everything else on the machine.", "",
              "| Backend | Workers | Phase | " + " | ".join(keys) + " |",
              "| --- | ---: | --- | " + " | ".join("---:" for _ in keys) + " |"]
    for res in results:
        cfg, cpu = res["config"], res["summary"]["cpu"]
        for phase in PHASES:
            cells = " | ".join(f"{cpu[phase][k]:.2f}" if k in cpu[phase] else "–" for k in keys)
            lines.append(f"| {cfg.backend} | {cfg.workers} | {phase} | {cells} |")
    lines += ["", "Checks after each run: complaints = RECEIVED events = stored push results = acknowledged seqs, "
              "every device's last_seq as its client saw it, every result `applied`, no push stopped (gap / "
              "diverged), every no-op pull empty."]
    for res in results:
        cfg, c, rep, s = res["config"], res["checks"], res["report"], res["summary"]
        lines.append(f"- {cfg.backend}×{cfg.workers}: {c['expected']:,} acknowledged, {c['complaints']:,} "
                     f"complaints, {c['received_events']:,} RECEIVED events, {c['mutation_records']:,} stored "
                     f"results, {c['devices_mismatched']} devices mismatched; non-applied {rep['non_applied'] or 0}, "
                     f"push stops {rep['push_stops'] or 0}, non-empty no-op pulls {rep['nonempty_pulls']}, "
                     f"connection errors {s['client_errors']}, connections opened {rep['connections_opened']}, "
                     f"server log errors {c['server_log_errors']}.")
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.server_load", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="one short round per configuration (a smoke run)")
    p.add_argument("--configs", default="sqlite:1,postgresql:2",
                   help="backend:workers, comma-separated (default: %(default)s)")
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--rounds", type=int)
    p.add_argument("--seconds", type=float, help="measured seconds per phase")
    p.add_argument("--warmup", type=float, help="unmeasured seconds before each phase's window")
    p.add_argument("--batch", type=int, help="mutations per push (default 5; 2 with --quick)")
    p.add_argument("--pg-fsync", choices=["on", "off"], default="on",
                   help="PostgreSQL fsync (the test helper runs with off)")
    p.add_argument("--phases", default=",".join(PHASES), help="a subset, for profiling (the table needs all three)")
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--no-write", action="store_true", help="leave docs/BENCHMARKS.md alone")
    p.add_argument("--keep", action="store_true", help="keep the server's work directory (database, log)")
    p.add_argument("--baseline", metavar="REV", help="also load the server at this git revision, in turns with the "
                   "current one, on asyncio and h11 (before and after in one table)")
    p.add_argument("--hosts", action="store_true", help="one serve host, then two, behind nginx on PostgreSQL: "
                   "rates, their ratio and server CPU per request (bench/server_hosts.py; --configs is not used)")
    p.add_argument("--as-shipped", action="store_true", help="with --baseline: serve \"before\" as shipped too "
                   "(uvicorn's auto: uvloop and httptools), to compare two revisions of the server's own code")
    p.add_argument("--after", metavar="REV", help="with --baseline: serve this revision as \"after\" instead of the "
                   "working tree (others' uncommitted edits stay out of the figures)")
    opts = p.parse_args(argv)
    opts.phases = [name for name in opts.phases.split(",") if name]
    if not set(opts.phases) <= set(PHASES):
        p.error(f"--phases takes {', '.join(PHASES)}")
    opts.rounds = opts.rounds or (1 if opts.quick else 3)
    opts.seconds = opts.seconds or (2.0 if opts.quick else 5.0)
    opts.batch = opts.batch or (2 if opts.quick else 5)
    opts.warmup = opts.warmup if opts.warmup is not None else (0.5 if opts.quick else 1.0)
    return opts


def parse_configs(text: str) -> list[Config]:
    configs = []
    for item in text.split(","):
        backend, _, workers = item.strip().partition(":")
        if backend not in ("sqlite", "postgresql"):
            raise SystemExit(f"unknown backend {backend!r}")
        configs.append(Config(backend, int(workers or 1)))
    return configs


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    command = " ".join(["python -m bench.server_load", *(argv if argv is not None else sys.argv[1:])]).strip()
    if opts.baseline:
        from bench import server_ab

        return server_ab.main(opts, command)
    if opts.hosts:
        from bench import server_hosts

        if len(opts.phases) < len(PHASES):
            raise SystemExit("--hosts needs all three phases")
        return server_hosts.main(opts, command)
    configs = parse_configs(opts.configs)
    pg: PostgresCluster | None = None
    pg_version: str | None = None
    results = []
    started = time.monotonic()
    try:
        for config in configs:
            if config.backend == "postgresql" and pg is None:
                if not find_pg_bin("initdb"):
                    print("  PostgreSQL (initdb, pg_ctl) is not installed: skipping postgresql", file=sys.stderr)
                    continue
                pg = PostgresCluster(fsync=opts.pg_fsync == "on")
                pg_version = f"{pg.version()} (fsync {opts.pg_fsync})"
            result = run_config(config, opts, pg if config.backend == "postgresql" else None)
            if len(opts.phases) < len(PHASES):  # a profiling run: the raw figures, no table
                print(json.dumps({"config": f"{config.backend}:{config.workers}", "checks": result["checks"],
                                  "rounds": result["report"]["rounds"]}, indent=1))
                continue
            result["summary"] = summarise(result)
            results.append(result)
    finally:
        if pg is not None:
            pg.stop()
    if len(opts.phases) < len(PHASES):
        return 0
    text = render(results, opts, machine_facts(pg_version), command)
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(text)
    if not opts.no_write:
        sections.write_section("server", text)
    print(text)
    print(f"written to {opts.out}{'' if opts.no_write else ' and docs/BENCHMARKS.md'} in "
          f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    failed = [r for r in results if not r["checks"]["exactly_once"] or r["summary"]["server_errors"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
