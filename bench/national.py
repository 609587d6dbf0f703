"""``python -m bench.national``: issue 13's two targets for the national comparison of offices, on PostgreSQL.

1. The national page for 550 offices × 2,000,000 complaints (target ≤ 500 ms): a cluster filled once
   (bench/national_db.py, bench/national_seed.py: the offices, their units, and the KPI rows ``kpi_complaints``,
   ``kpi_days``, ``kpi_day_durations`` of 2,000,000 made-up complaints over 24 months, summed by
   ``server.kpi_national.office_rows`` exactly as a rebuild sums them) and kept in bench/out/national/. The complaint
   rows themselves are not loaded: the page and the API never read them, only the KPI rows. A real ``lapor-server
   serve`` over it answers, with the national admin token: ``GET /nasional/kinerja`` (HTML, the session cookie
   from ``POST /nasional/masuk``) and ``GET /api/v1/national/kpi`` (bearer) for the last whole month and the
   current one, ranked by the default KPI and by others, and one office's drill-down (JSON and HTML). Each figure
   is the median (and p90) of ``--runs`` round trips after ``--warmup``, taken in turns; the baselines in the same
   runs are ``GET /health`` and the raw SQL ``SELECT count(*) FROM kpi_complaints`` on its own connection; and,
   in this process, ``server.kinerja.national_month`` without HTTP and templates, and its queries one by one.
2. The cost of keeping the figures current (target ≤ 10 % of push time): bench/national_push.py, on copies of the
   same database (PostgreSQL) and on a fresh SQLite server (its KPI tables small).

Writes its section of docs/BENCHMARKS.md (``national``) unless ``--no-write``; the text also goes to
bench/out/national.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import secrets
import shlex
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import national_push, report, sections
from bench.national_db import CACHE, DBNAME, Cluster, filled_cluster
from bench.serverproc import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "national.md"
PAGE_TARGET_MS = 500.0
PUSH_TARGET = 0.10
TOKEN_ENV = "LAPOR_SERVER_ADMIN_TOKEN"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else values[0]


@dataclass
class Timing:
    name: str
    target: bool  # the page's target applies
    values: list[float] = field(default_factory=list)
    bytes: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.values)


# ---- 1. the page ------------------------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP connection to the server."""

    def __init__(self, server: ServerProcess) -> None:
        self.conn = http.client.HTTPConnection(server.host, server.port, timeout=120)

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
        self.conn.request("GET", path, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read()

    def login(self, token: str) -> str:
        """The session cookie ``POST /nasional/masuk`` sets."""
        body = urlencode({"token": token, "lanjut": "/nasional/kinerja"})
        self.conn.request("POST", "/nasional/masuk", body, {"Content-Type": "application/x-www-form-urlencoded"})
        response = self.conn.getresponse()
        response.read()
        cookie = response.getheader("Set-Cookie") or ""
        if response.status != 303 or not cookie.startswith("lapor_nasional="):
            raise RuntimeError(f"login answered {response.status}, cookie {cookie[:40]!r}")
        return cookie.split(";", 1)[0]


def _month_text(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


def _checks(expected_offices: int, largest_name: str) -> dict[str, Callable[[bytes], bool]]:
    def national_json(body: bytes) -> bool:
        data = json.loads(body)
        return len(data["offices"]) == expected_offices and data["national"]["received"] > 0

    def office_json(body: bytes) -> bool:
        data = json.loads(body)
        return data["kpi"]["received"] > 0 and len(data["units"]) > 0 and len(data["categories"]) > 0

    def html(body: bytes) -> bool:
        return body.rstrip().endswith(b"</html>") and largest_name.encode() in body

    return {"json": national_json, "office": office_json, "html": html}


def measure_page(cluster: Cluster, manifest: dict[str, Any], opts: argparse.Namespace, work: Path
                 ) -> tuple[list[Timing], list[Timing], dict[str, Any]]:
    """(HTTP timings, in-process timings, facts)."""
    import psycopg
    from sqlalchemy import func, select

    from app.timeutil import utcnow
    from server import kinerja
    from server import kpi_read as kr
    from server.db import Database, make_engine
    from server.models import KpiComplaint, KpiDay, KpiDayDuration, Office

    url = cluster.url()
    engine = make_engine(url)
    db = Database(engine)
    with db.transaction() as s:
        largest_id, largest_name = s.execute(
            select(Office.id, Office.name).join(KpiComplaint, KpiComplaint.office_id == Office.id)
            .group_by(Office.id, Office.name).order_by(func.count().desc()).limit(1)).one()
        rows = {"kpi_days": s.execute(select(func.count()).select_from(KpiDay)).scalar_one(),
                "kpi_day_durations": s.execute(select(func.count()).select_from(KpiDayDuration)).scalar_one()}
    now = utcnow()
    current = kinerja.month_of(None, now)
    last = kr.previous_month(current)
    token = secrets.token_urlsafe(32)
    server = ServerProcess(url, work / "blobs", work / "server-page.log", extra_env={TOKEN_ENV: token})
    raw = psycopg.connect(cluster.dsn())
    try:
        client = Client(server)
        cookie = {"Cookie": client.login(token)}
        bearer = {"Authorization": f"Bearer {token}"}
        checks = _checks(manifest["offices"], largest_name)
        lm = _month_text(last)
        plan: list[tuple[Timing, str, dict[str, str], str | None]] = [
            (Timing(f"HTML `/nasional/kinerja?bulan={lm}` (last whole month, default ranking)", True),
             f"/nasional/kinerja?bulan={lm}", cookie, "html"),
            (Timing("HTML `/nasional/kinerja` (current month, partial)", True), "/nasional/kinerja", cookie, "html"),
            (Timing(f"HTML `/nasional/kinerja?bulan={lm}&urut=kepuasan` (ranked by satisfaction)", True),
             f"/nasional/kinerja?bulan={lm}&urut=kepuasan", cookie, "html"),
            (Timing(f"JSON `/api/v1/national/kpi?month={lm}`", True), f"/api/v1/national/kpi?month={lm}", bearer,
             "json"),
            (Timing("JSON `/api/v1/national/kpi` (current month)", True), "/api/v1/national/kpi", bearer, "json"),
            (Timing(f"JSON `/api/v1/national/kpi?month={lm}&rank_by=median_verifikasi`", True),
             f"/api/v1/national/kpi?month={lm}&rank_by=median_verifikasi", bearer, "json"),
            (Timing(f"JSON drill-down `/api/v1/national/kpi/offices/{{id}}?month={lm}` (largest office)", False),
             f"/api/v1/national/kpi/offices/{largest_id}?month={lm}", bearer, "office"),
            (Timing(f"HTML drill-down `/nasional/kinerja/instansi/{{id}}?bulan={lm}` (largest office)", False),
             f"/nasional/kinerja/instansi/{largest_id}?bulan={lm}", cookie, None),
            (Timing("baseline: `GET /health` round trip", False), "/health", {}, None),
        ]
        count_sql = Timing("baseline: raw SQL `SELECT count(*) FROM kpi_complaints` (psycopg)", False)
        counted = 0
        log(f"measuring the page: {opts.warmup} warm-up + {opts.runs} runs of {len(plan) + 1} requests…")
        for i in range(opts.warmup + opts.runs):
            for timing, path, headers, check in plan:
                start = time.perf_counter()
                status, body = client.get(path, headers)
                ms = (time.perf_counter() - start) * 1000
                if status != 200 or (i == 0 and check and not checks[check](body)):
                    raise RuntimeError(f"{path}: {status}, check {check} failed: {body[:300]!r}")
                if i >= opts.warmup:
                    timing.values.append(ms)
                    timing.bytes = len(body)
            start = time.perf_counter()
            row = raw.execute("SELECT count(*) FROM kpi_complaints").fetchone()
            ms = (time.perf_counter() - start) * 1000
            counted = int(row[0]) if row else 0
            if i >= opts.warmup:
                count_sql.values.append(ms)
        log_errors = server.log_errors()
    finally:
        raw.close()
        server.stop()
    inner = _in_process(db, last, now, opts)
    engine.dispose()
    facts = {"last": last, "current": current, "largest": largest_name, "count": counted, "rows": rows,
             "log_errors": log_errors}
    return [t for t, *_ in plan] + [count_sql], inner, facts


def _in_process(db: Any, month: int, now: datetime, opts: argparse.Namespace) -> list[Timing]:
    """server.kinerja.national_month in this process, and the queries it makes one by one (same month)."""
    from server import kinerja
    from server import kpi_national as kn
    from server import kpi_read as kr
    span = kr.span_of_months(month, month, now)
    first = month
    for _ in range(kinerja.TREND_MONTHS - 1):
        first = kr.previous_month(first)
    year = kr.span_of_months(first, month, now)
    steps: list[tuple[Timing, Callable[[Any], object]]] = [
        (Timing("`server.kinerja.national_month` (no HTTP, no template)", True),
         lambda s: kinerja.national_month(s, month, kinerja.DEFAULT_RANKING, now)),
        (Timing("· `overdue_by_office` (open complaints past their deadline now, per office), called once", False),
         lambda s: kr.overdue_by_office(s, now)),
        (Timing("· `offices_for` (550 offices' sums + histograms), called twice", False),
         lambda s: kr.offices_for(s, span, None)),
        (Timing("· `monthly_totals` over 12 months (the trend)", False), lambda s: kr.monthly_totals(s, year)),
        (Timing("· `national_for` (every office together), called twice", False),
         lambda s: kr.national_for(s, span)),
        (Timing("· `rules_changed` (fingerprint of policy and holidays)", False), lambda s: kn.rules_changed(s)),
    ]
    log(f"measuring in process: {opts.warmup} warm-up + {opts.runs} runs…")
    for i in range(opts.warmup + opts.runs):
        for timing, step in steps:
            with db.transaction() as s:
                start = time.perf_counter()
                step(s)
                ms = (time.perf_counter() - start) * 1000
            if i >= opts.warmup:
                timing.values.append(ms)
    return [t for t, _ in steps]


# ---- 2. the pushes ----------------------------------------------------------------------------------------------


def measure_push_postgres(cluster: Cluster, opts: argparse.Namespace, work: Path) -> national_push.PushResult:
    """On copies of the filled database: an office of it (Kabupaten Sleman) gets a PC."""
    from sqlalchemy import func, select

    from server.db import Database, make_engine
    from server.models import KpiComplaint, Office

    base = "push_base"
    base_url = cluster.clone(DBNAME, base)
    try:
        engine = make_engine(base_url)
        with Database(engine).transaction() as s:
            office_id = s.scalar(select(Office.id).where(Office.region_code == "34.04"))
            before = s.scalar(select(func.count()).select_from(KpiComplaint).where(KpiComplaint.office_id == office_id))
        engine.dispose()
        office = national_push.prepare_office(base_url, office_id, "34.04")
        office["kpi_rows_office_before"] = int(before or 0)
        return national_push.run("postgresql", base_url, lambda name: cluster.clone(base, f"push_{name}"),
                                 lambda name: cluster.drop(f"push_{name}"), office, work / "push-pg",
                                 batch=opts.batch, rounds=opts.push_rounds, warmup=opts.push_warmup, seed=opts.seed,
                                 log=log)
    finally:
        cluster.drop(base)


def measure_push_sqlite(opts: argparse.Namespace, work: Path) -> national_push.PushResult:
    """A fresh SQLite server: one office, the reference data, KPI tables empty but for the pushes."""
    from app.timeutil import utcnow
    from server import admin
    from server.db import Database, make_engine, migrate

    folder = work / "push-sqlite"
    folder.mkdir(parents=True)
    base = folder / "base.sqlite3"
    engine = make_engine(f"sqlite:///{base}")
    migrate(engine)
    year = utcnow().year
    with Database(engine).transaction() as s:
        admin.import_reference(s, categories_json=None, policy_json=None, holiday_years=range(year - 1, year + 2))
    engine.dispose()
    office = national_push.prepare_office(f"sqlite:///{base}", None, "34.04")

    def clone(name: str) -> str:
        with sqlite3.connect(base) as conn:  # the primary server is stopped: fold its WAL into the file
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        shutil.copyfile(base, folder / f"{name}.sqlite3")
        return f"sqlite:///{folder / f'{name}.sqlite3'}"

    def drop(name: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            (folder / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)

    return national_push.run("sqlite", f"sqlite:///{base}", clone, drop, office, folder / "run", batch=opts.batch,
                             rounds=opts.push_rounds, warmup=opts.push_warmup, seed=opts.seed, log=log)


# ---- the report -------------------------------------------------------------------------------------------------


def _verdict(ms: float, target: bool) -> str:
    if not target:
        return "–"
    return "meets" if ms <= PAGE_TARGET_MS else "MISSES"


def render(*, command: str, manifest: dict[str, Any], cached: bool, page: list[Timing], inner: list[Timing],
           facts: dict[str, Any], pushes: list[national_push.PushResult], failures: list[str],
           opts: argparse.Namespace,
           load_at_start: str, pg_version: str) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    generated = manifest["generated_at"][:16].replace("T", " ")
    lines = [
        "## National comparison of offices (`bench/national.py`, issue 13 §5)", "",
        f"Generated by `{command}` on {when}. PostgreSQL {pg_version} with its default settings (shared_buffers "
        "128 MB, fsync on), one `lapor-server serve` worker, client and server on one machine. "
        f"Medians and 90th percentiles of {opts.runs} runs after {opts.warmup} warm-up runs, the requests taken in "
        "turns so load falls on all alike; baselines in the same runs.", "",
        f"**Data**: {manifest['offices']} offices (the regencies and cities, then the provinces: real region codes, "
        f"WIB/WITA/WIT by province, six units each) and the KPI rows of {manifest['complaints']:,} made-up complaints "
        f"over {manifest['months']} months up to {generated} UTC (seed {manifest['seed']}): "
        f"{manifest['complaints']:,} `kpi_complaints`, {facts['rows']['kpi_days']:,} `kpi_days`, "
        f"{facts['rows']['kpi_day_durations']:,} `kpi_day_durations` rows, {manifest['bytes'] / 1e9:.2f} GB. "
        "Histories as the workflow allows them (verification after 0–6 working days by disposition, or postponed, "
        "redirected, archived as spam; follow-up after 1–10; the reporter satisfied or not; closed by the office or "
        "automatically; about a tenth still open), each office with its own pace, assessed under the server's own "
        "rules (bundled SLA policy, the holidays package's calendar) and summed by `server.kpi_national.office_rows`, "
        "the rebuild's own code, then COPYed in. **The complaint rows are not loaded**: the page and the API read "
        "only the KPI rows. Filled in "
        f"{manifest['seconds']:.0f} s with {manifest['processes']} processes"
        + (" (cached in bench/out/national/ since; `--reseed` fills again)." if cached else "."), "",
        "### 1. The national page (target ≤ 500 ms)", "",
        "| request | median ms | p90 ms | bytes | target ≤ 500 ms |", "|---|---:|---:|---:|---|",
    ]
    for t in page:
        lines.append(f"| {t.name} | {t.median:.1f} | {_p90(t.values):.1f} | {t.bytes:,} | "
                     f"{_verdict(t.median, t.target)} |")
    lines += ["", f"Last whole month {_month_text(facts['last'])}, current month {_month_text(facts['current'])}; "
              f"the largest office is {facts['largest']}; the raw count saw {facts['count']:,} rows; server log "
              f"errors: {facts['log_errors']}.", "",
              "In this process, the same month (no HTTP, no template; each in its own read transaction):", "",
              "| step | median ms | p90 ms |", "|---|---:|---:|"]
    for t in inner:
        lines.append(f"| {t.name} | {t.median:.1f} | {_p90(t.values):.1f} |")
    lines += ["", "### 2. Keeping the figures current per push (target ≤ 10 % of push time)", "",
              "An office PC (the program's store, services and sync engine) works between syncs as an office does "
              f"— per push {opts.batch} mutations: 3 intakes, 2 dispositions, 2 follow-ups, 1 reporter's answer "
              "(satisfied, not satisfied) or close, 1 note, 1 edit — and syncs with its own server. Each push it "
              "sent is sent again, byte for byte, to three servers over identical copies of the database taken "
              "after the PC enrolled: **shipped** (`lapor-server serve`), **off** (a wrapper replaces "
              "`server.kpi_national.before_commit` with a no-op, then runs `server.cli.main`), **timed** (the "
              "shipped hook wrapped in a timer: the refresh measured inside the server). The three take turns "
              "going first. PostgreSQL: copies of the filled database (the office is Kabupaten Sleman, its KPI "
              "tables full size); SQLite: a fresh server with one office (KPI tables small).", "",
              "| backend | pushes | shipped median (p90) ms | hook off median (p90) ms | shipped ÷ off | "
              "paired ratio | refresh per push ms | refresh ÷ push | per mutation ms | target ≤ 10 % |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in pushes:
        s = national_push.summary(r)
        over = s["ratio"] - 1
        verdict = "meets" if max(over, s["refresh_share"]) <= PUSH_TARGET else "MISSES"
        lines.append(
            f"| {r.backend} | {r.rounds} | {s['shipped']:.1f} ({_p90(r.times['shipped']):.1f}) | {s['off']:.1f} "
            f"({_p90(r.times['off']):.1f}) | {s['ratio']:.3f} | {s['paired']:.3f} | {s['refresh_ms']:.2f} | "
            f"{s['refresh_share'] * 100:.1f} % | {s['refresh_per_mutation_ms']:.3f} | {verdict} |")
    lines += ["", "Shipped ÷ off is the ratio of the medians; the paired ratio the median of each push's ratio; "
              "refresh ÷ push the median, per push, of the time inside the hook over the timed server's push time. "
              "The verdict takes the larger of the overhead (ratio − 1) and refresh ÷ push. The time inside the "
              "hook includes the flush of what the push left pending when the hook's first query ran (its last "
              "mutation's stored result and the device row), which the server without the hook does at commit.",
              "The hook is a `before_commit` session event; SQLAlchemy fires it for every savepoint released too "
              "(the push applies each mutation in its own), where it does nothing: the refresh runs once per "
              "push, for all of its complaints (the calls below count the push's commits)."]
    for r in pushes:
        s, c = national_push.summary(r), r.checks
        lines.append(
            f"- {r.backend}: {r.warmup} warm-up + {r.rounds} measured pushes, {s['mutations']:.0f} mutations and "
            f"{s['complaints']:.0f} complaints refreshed per push in {s['calls']:.0f} calls of the hook (median); "
            f"timed server {s['timed']:.1f} ms; the "
            f"PC's own sync's push {s['primary']:.1f} ms (its `requests` client). Copies made in "
            f"{c['copy_seconds']} s. Checks: {c['complaints_pushed']} complaints pushed; the office's "
            f"`kpi_complaints` rows {c['kpi_rows_office_before']:,} before, shipped {c['kpi_rows_shipped']:,}, "
            f"timed {c['kpi_rows_timed']:,}, hook off {c['kpi_rows_off']:,}; server log errors {c['log_errors']}.")
    lines += [f"- **Failed**: {f}" for f in failures]
    lines += ["", "### Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in report.machine(load_at_start)]
    lines += [f"| PostgreSQL | {pg_version} |",
              "", "The machine is shared (other agents' tests were running: see the load average); medians are "
              "the figures to read, the p90 shows the spread."]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--offices", type=int, default=550)
    p.add_argument("--complaints", type=int, default=2_000_000)
    p.add_argument("--months", type=int, default=24)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--procs", type=int, default=2, help="processes generating the rows")
    p.add_argument("--runs", type=int, default=25, help="timed runs per request (at least 20)")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--batch", type=int, default=10, help="mutations per push")
    p.add_argument("--push-rounds", type=int, default=40, help="measured pushes per backend (at least 20)")
    p.add_argument("--push-warmup", type=int, default=6)
    p.add_argument("--no-push", action="store_true", help="the page only")
    p.add_argument("--no-sqlite", action="store_true", help="the pushes on PostgreSQL only")
    p.add_argument("--reseed", action="store_true", help="fill the cluster again even if bench/out has it")
    p.add_argument("--no-write", action="store_true", help="leave docs/BENCHMARKS.md alone")
    opts = p.parse_args(argv)
    if opts.runs < 20 or opts.push_rounds < 20:
        p.error("--runs and --push-rounds must be at least 20")
    return opts


def main(argv: Sequence[str] | None = None) -> int:
    import keyring
    from keyring.backends import fail

    opts = parse_args(argv)
    keyring.set_keyring(fail.Keyring())  # the push PC's device token goes to a file, never a real keyring
    load_at_start = report.load_average()
    started = time.monotonic()
    cluster, manifest, cached = filled_cluster(offices=opts.offices, complaints=opts.complaints, months=opts.months,
                                               seed=opts.seed, procs=opts.procs, reseed=opts.reseed, log=log)
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="work-", dir=CACHE))
    pushes: list[national_push.PushResult] = []
    failures: list[str] = []

    def attempt(name: str, step: Callable[[], national_push.PushResult]) -> None:
        try:
            pushes.append(step())
        except Exception as exc:  # the page's figures are still worth reporting
            traceback.print_exc()
            failures.append(f"{name}: {type(exc).__name__}: {exc}")

    try:
        try:
            pg_version = cluster.version()
            page, inner, facts = measure_page(cluster, manifest, opts, work)
            if not opts.no_push:
                attempt("pushes on PostgreSQL", lambda: measure_push_postgres(cluster, opts, work))
        finally:
            cluster.stop()
        if not opts.no_push and not opts.no_sqlite:
            attempt("pushes on SQLite", lambda: measure_push_sqlite(opts, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    given = list(argv) if argv is not None else sys.argv[1:]
    command = "python -m bench.national" + (" " + shlex.join(given) if given else "")
    text = render(command=command, manifest=manifest, cached=cached, page=page, inner=inner, facts=facts,
                  pushes=pushes, failures=failures, opts=opts, load_at_start=load_at_start, pg_version=pg_version)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    if not opts.no_write:
        sections.write_section("national", text)
    print(text)
    log(f"done in {time.monotonic() - started:.0f} s" + ("" if opts.no_write else "; docs/BENCHMARKS.md updated"))
    missed = [t for t in page if t.target and t.median > PAGE_TARGET_MS]
    missed_push = [r for r in pushes if national_push.summary(r)["ratio"] - 1 > PUSH_TARGET]
    return 1 if missed or missed_push or failures else 0


if __name__ == "__main__":
    sys.exit(main())
