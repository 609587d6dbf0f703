"""The two-host mode of ``bench.server_load`` (``--hosts``): the same load against one ``lapor-server serve`` host
and against two hosts, both behind nginx (round-robin upstream, keep-alive to the hosts, as docs/DEPLOY.md sets it
up), on one PostgreSQL, both running at once and loaded in turns: requests per second for each, the ratio, and the
server's CPU per request.

Each host runs one worker; the hosts and nginx run on this machine with the database and the load generator, so on
a machine with few cores two hosts cannot double the rate: the CPU per request (read from /proc/<pid>/stat of the
serve processes at the start and end of each measured window) says whether a second host costs more per request,
which is what capacity planning needs (hosts = load × CPU per request). The table goes to stdout and to
bench/out/server_hosts.md; docs/BENCHMARKS.md is not written.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.serverproc import ServerProcess, free_port

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "server_hosts.md"
NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
{user}
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    client_max_body_size 8m;
    upstream lapor {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://lapor;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 300s;
        }}
    }}
}}
"""


class Nginx:
    """nginx in front of ``ports`` (one worker process, its files in a temp folder), stopped with ``stop``."""

    def __init__(self, ports: list[int], root: Path) -> None:
        binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if binary is None:
            raise SystemExit("nginx is not installed: the two-host mode puts the hosts behind it (apt install nginx)")
        root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)
        user = "user root;" if os.geteuid() == 0 else ""  # else nginx's workers run as nobody: no access to root
        conf = root / "nginx.conf"
        conf.write_text(NGINX_CONF.format(root=root, user=user, servers=servers, port=self.port))
        self.proc = subprocess.Popen([binary, "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self._wait(root)

    def _wait(self, root: Path) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {(root / 'error.log').read_text(errors='replace')[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.1)  # polling a process that is starting
        raise RuntimeError("nginx did not answer in 30 s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Setup:
    """``hosts`` serve processes (one worker each, a folder each) on their own database, nginx in front."""

    hosts: int
    db_url: str
    servers: list[ServerProcess] = field(default_factory=list)
    balancer: Nginx | None = None

    def stop(self) -> None:
        if self.balancer is not None:
            self.balancer.stop()
        for server in self.servers:
            server.stop()


def start_setup(hosts: int, opts: argparse.Namespace, pg: Any, workdir: Path) -> tuple[Setup, dict[str, Any]]:
    """Seed, start the hosts and nginx, enrol the PCs through nginx: the setup and its load generator target."""
    from bench.server_load import enrol
    from bench.server_seed import seed

    setup = Setup(hosts, pg.create_database())
    seats = seed(setup.db_url, opts.clients)
    for i in range(hosts):
        folder = workdir / f"{hosts}-hosts" / f"host{i}"
        folder.mkdir(parents=True)
        setup.servers.append(ServerProcess(setup.db_url, folder / "blobs", folder / "server.log", workers=1,
                                           timeout=60))
    setup.balancer = Nginx([s.port for s in setup.servers], workdir / f"{hosts}-hosts" / "nginx")
    watch = {f"host{i}": s.proc.pid for i, s in enumerate(setup.servers)}
    watch["nginx"] = setup.balancer.proc.pid
    watch["postgres"] = pg.postmaster_pid()
    target = {"port": setup.balancer.port, "clients": enrol(setup.balancer.port, seats), "watch": watch}
    return setup, target


def run_setups(opts: argparse.Namespace, pg: Any) -> list[dict[str, Any]]:
    """Both setups at once, loaded in turns (rounds in ABBA order, bench.loadgen_ab), so the machine's other load
    falls on both alike; then each database is checked for exactly-once."""
    from app import __version__
    from bench.server_load import PHASES, verify

    workdir = Path(tempfile.mkdtemp(prefix="lapor-bench-hosts-"))
    setups: dict[str, Setup] = {}
    targets: dict[str, dict[str, Any]] = {}
    try:
        for hosts in (1, 2):
            label = f"{hosts} host(s)"
            setups[label], targets[label] = start_setup(hosts, opts, pg, workdir)
        print("  one host and two hosts started and enrolled through nginx; loading in turns…", file=sys.stderr,
              flush=True)
        spec = {"host": "127.0.0.1", "targets": targets, "rounds": opts.rounds, "seconds": opts.seconds,
                "warmup": opts.warmup, "batch": opts.batch, "app_version": __version__, "phases": list(PHASES)}
        bound = opts.rounds * 2 * len(PHASES) * (opts.seconds + opts.warmup + 90) + 300
        done = subprocess.run([sys.executable, "-m", "bench.loadgen_ab"], cwd=ROOT, input=json.dumps(spec).encode(),
                              stdout=subprocess.PIPE, timeout=bound, check=True)
        reports = json.loads(done.stdout)
        results = []
        for label, setup in setups.items():
            setup.stop()
            checks = verify(setup.db_url, reports[label])
            checks["server_log_errors"] = sum(s.log_errors() for s in setup.servers)
            results.append({"hosts": setup.hosts, "report": reports[label], "checks": checks})
        return results
    finally:
        for setup in setups.values():
            setup.stop()
        if opts.keep:
            print(f"  kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    """Per phase, medians over rounds: answers/s (mutations/s for push), the cores each watched tree used, and the
    serve processes' CPU milliseconds per answered request (their cores ÷ requests/s)."""
    import statistics

    from bench.server_load import PHASES

    rounds = result["report"]["rounds"]
    hosts = [f"host{i}" for i in range(result["hosts"])]
    out: dict[str, Any] = {}
    for phase in PHASES:
        rows = [r[phase] for r in rounds]
        server_cores = [sum(r["cpu_cores"].get(h, 0.0) for h in hosts) for r in rows]
        out[phase] = {
            "rate": statistics.median(r["items_per_s"] if phase == "push" else r["requests_per_s"] for r in rows),
            "requests": statistics.median(r["requests_per_s"] for r in rows),
            "server_cores": statistics.median(server_cores),
            "ms_per_request": statistics.median(1000 * c / max(r["requests_per_s"], 1e-9)
                                                for c, r in zip(server_cores, rows, strict=True)),
            "cores": {k: statistics.median(r["cpu_cores"].get(k, 0.0) for r in rows)
                      for k in ("nginx", "postgres", "loadgen", "machine", "other")},
            "errors_5xx": sum(n for r in rows for code, n in r["statuses"].items() if code.startswith("5")),
        }
    return out


def paired_ratio(one: dict[str, Any], two: dict[str, Any], phase: str) -> float:
    """The median over rounds of two hosts' rate ÷ one host's in the same round (loaded one after the other)."""
    import statistics

    key = "items_per_s" if phase == "push" else "requests_per_s"
    return statistics.median(b[phase][key] / max(a[phase][key], 1e-9)
                             for a, b in zip(one["report"]["rounds"], two["report"]["rounds"], strict=True))


def render(results: list[dict[str, Any]], opts: argparse.Namespace, facts: list[str], command: str) -> str:
    from datetime import UTC, datetime

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    one, two = (next(r for r in results if r["hosts"] == n) for n in (1, 2))
    labels = {"health": "GET /health req/s", "pull": "No-op pulls/s", "push": "Mutations applied/s"}
    lines = [
        "### One host and two hosts behind nginx (`bench/server_load.py --hosts`)",
        "",
        f"`{command}` · {when} · {opts.clients} concurrent clients (enrolled PCs of their own offices, keep-alive "
        f"connections, closed loop) against nginx 1 worker with a round-robin upstream of one `lapor-server serve` "
        f"host, and of two (one worker each, separate folders), each setup on its own database in one PostgreSQL "
        f"(fsync {opts.pg_fsync}); both running at once and loaded in turns, {opts.rounds} round(s) each in ABBA "
        f"order, of the three phases (GET /health, no-op pull, push of {opts.batch} intake mutations), "
        f"{opts.warmup:g} s + {opts.seconds:g} s each; medians over rounds; the ratio is the median of each "
        "round's two hosts ÷ the one host round next to it.",
        "",
        *[f"- {fact}" for fact in facts],
        f"- **This machine has {os.cpu_count()} cores** shared by both hosts, nginx, PostgreSQL and the load "
        "generator, so a second host cannot double the rate here: it can only use what the first left idle. "
        "Server CPU per request (the serve processes' CPU time in the window ÷ the requests answered) is the "
        "figure that carries to a deployment with a machine per host.",
        "",
        "| Phase | 1 host | 2 hosts | Ratio | Server CPU ms/request, 1 host | 2 hosts | Server cores busy, 1 / 2 "
        "| nginx cores, 1 / 2 | PostgreSQL cores, 1 / 2 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for phase, label in labels.items():
        a, b = one["summary"][phase], two["summary"][phase]
        lines.append(
            f"| {label} | {a['rate']:,.0f} | {b['rate']:,.0f} | {paired_ratio(one, two, phase):.2f}× "
            f"| {a['ms_per_request']:.2f} | {b['ms_per_request']:.2f} "
            f"| {a['server_cores']:.2f} / {b['server_cores']:.2f} "
            f"| {a['cores']['nginx']:.2f} / {b['cores']['nginx']:.2f} "
            f"| {a['cores']['postgres']:.2f} / {b['cores']['postgres']:.2f} |")
    lines += ["", "Per round, in the order they ran (two hosts ÷ one host in brackets):", "",
              "| Round | " + " | ".join(labels.values()) + " |", "| ---: | " + " | ".join("---" for _ in labels) + " |"]
    for i, (r1, r2) in enumerate(zip(one["report"]["rounds"], two["report"]["rounds"], strict=True), 1):
        cells = []
        for phase in labels:
            key = "items_per_s" if phase == "push" else "requests_per_s"
            cells.append(f"{r1[phase][key]:,.0f} → {r2[phase][key]:,.0f} ({r2[phase][key] / r1[phase][key]:.2f}×)")
        lines.append(f"| {i} | " + " | ".join(cells) + " |")

    def both(key: str) -> str:
        return ", ".join(f"{p} {one['summary'][p]['cores'][key]:.2f} / {two['summary'][p]['cores'][key]:.2f}"
                         for p in labels)

    lines += ["", f"A push request carries {opts.batch} mutations (its CPU per request is per push). The rest of the "
              f"machine in the windows (cores, 1 host / 2 hosts): load generator {both('loadgen')}; whole machine "
              f"{both('machine')}; other programs {both('other')}.", ""]
    for res in results:
        c, s = res["checks"], res["summary"]
        once = "yes" if c["exactly_once"] else "**NO**"
        lines.append(f"- {res['hosts']} host(s): exactly once {once} ({c['expected']:,} acknowledged seqs, "
                     f"{c['complaints']:,} complaints, {c['received_events']:,} RECEIVED events, "
                     f"{c['mutation_records']:,} stored results); 5xx {sum(s[p]['errors_5xx'] for p in labels)}; "
                     f"server log errors {c['server_log_errors']}.")
    return "\n".join(lines) + "\n"


def main(opts: argparse.Namespace, command: str) -> int:
    from bench.server_load import PostgresCluster, find_pg_bin, machine_facts

    if not find_pg_bin("initdb"):
        raise SystemExit("PostgreSQL (initdb, pg_ctl) is not installed: two hosts need a database both reach")
    started = time.monotonic()
    pg = PostgresCluster(fsync=opts.pg_fsync == "on")
    try:
        pg_version = f"{pg.version()} (fsync {opts.pg_fsync})"
        results = run_setups(opts, pg)
        for result in results:
            result["summary"] = summarise(result)
    finally:
        pg.stop()
    text = render(results, opts, machine_facts(pg_version), command)
    out: Path = opts.out if opts.out != ROOT / "bench" / "out" / "server_load.md" else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    print(f"written to {out} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    failed = [r for r in results if not r["checks"]["exactly_once"]
              or any(r["summary"][p]["errors_5xx"] for p in r["summary"])]
    return 1 if failed else 0
