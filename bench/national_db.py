"""The PostgreSQL cluster of bench/national.py: made once in bench/out/national/ (550 offices, the KPI rows of
2,000,000 complaints: bench/national_seed.py), kept there keyed by its parameters, started again on later runs.

The filled database (``lapor_national``) is only read by the bench; what writes (the push measurements) works on
copies made with ``CREATE DATABASE … TEMPLATE`` and dropped afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench.server_load import find_pg_bin
from bench.serverproc import free_port

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out" / "national"
DBNAME = "lapor_national"
ZONES = {"51": "Asia/Makassar", "52": "Asia/Makassar", "53": "Asia/Makassar", "63": "Asia/Makassar",
         "64": "Asia/Makassar", "65": "Asia/Makassar", "71": "Asia/Makassar", "72": "Asia/Makassar",
         "73": "Asia/Makassar", "74": "Asia/Makassar", "75": "Asia/Makassar", "76": "Asia/Makassar",
         "81": "Asia/Jayapura", "82": "Asia/Jayapura", "91": "Asia/Jayapura", "92": "Asia/Jayapura",
         "93": "Asia/Jayapura", "94": "Asia/Jayapura", "95": "Asia/Jayapura", "96": "Asia/Jayapura"}
UNITS = ("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Perhubungan",
         "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Lingkungan Hidup")
COPY_COLUMNS = {
    "kpi_complaints": ("complaint_id", "office_id", "unit_id", "category_id", "marks", "overdue_from"),
    "kpi_days": ("office_id", "day", "month", "dim", "key", "received", "excluded", "completed", "auto_closed",
                 "verified_met", "verified_missed", "followed_up_met", "followed_up_missed", "resolved_met",
                 "resolved_missed", "responses", "satisfied"),
    "kpi_day_durations": ("office_id", "day", "month", "kind", "working_days", "n"),
    "kpi_months": ("office_id", "month", "dim", "key", "received", "excluded", "completed", "auto_closed",
                   "verified_met", "verified_missed", "followed_up_met", "followed_up_missed", "resolved_met",
                   "resolved_missed", "responses", "satisfied"),
    "kpi_month_durations": ("office_id", "month", "kind", "working_days", "n"),
}
FILL_VERSION = "3"  # raise when fill() writes other rows (2: the month rows; 3: the keys reordered)
Log = Callable[[str], None]


class Cluster:
    """A PostgreSQL cluster in ``data`` on a free loopback port (as root: run as the ``postgres`` user)."""

    def __init__(self, data: Path) -> None:
        initdb, pg_ctl = find_pg_bin("initdb"), find_pg_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise RuntimeError("PostgreSQL (initdb, pg_ctl) is not installed")
        self.data, self.initdb, self.pg_ctl = data, initdb, pg_ctl
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.port = 0
        self.sockets: Path | None = None

    def _own(self, path: Path) -> None:
        if self.run_as:
            shutil.chown(path, "postgres")

    def create(self) -> None:
        self.data.mkdir(parents=True)
        self._own(self.data)
        subprocess.run([*self.run_as, self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres",
                        "--no-sync", "-E", "UTF8"], check=True, capture_output=True)

    def start(self, *, fsync: bool) -> None:
        if (self.data / "postmaster.pid").exists():  # left by a run that was killed: this cluster is the bench's
            subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.data), "-m", "fast", "stop"],
                           capture_output=True, check=False)
        self.port = free_port()
        self.sockets = Path(tempfile.mkdtemp(prefix="lapor-bench-pgsock-"))
        self._own(self.sockets)
        # Filling (fsync off) writes gigabytes at once: fewer checkpoints; measuring keeps the defaults.
        bulk = " -c max_wal_size=4GB -c maintenance_work_mem=256MB" if not fsync else ""
        options = (f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c max_connections=100 "
                   f"-c fsync={'on' if fsync else 'off'}{bulk}")
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.data), "-o", options, "-l",
                        str(self.data / "bench.log"), "-w", "-t", "120", "start"], check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run([*self.run_as, self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"],
                       capture_output=True, check=False)
        if self.sockets is not None:
            shutil.rmtree(self.sockets, ignore_errors=True)
            self.sockets = None

    def url(self, dbname: str = DBNAME) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def dsn(self, dbname: str = DBNAME) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def admin_sql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(sql.encode())

    def clone(self, source: str, name: str) -> str:
        """A copy of database ``source`` (nobody may be connected to it meanwhile)."""
        self.admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin_sql(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        return self.url(name)

    def drop(self, name: str) -> None:
        self.admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all_but(self, keep: str = DBNAME) -> None:
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE NOT datistemplate")]
        for name in names:
            if name not in (keep, "postgres"):
                self.drop(name)

    def version(self) -> str:
        import psycopg

        with psycopg.connect(self.dsn("postgres")) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"


# ---- filling it ---------------------------------------------------------------------------------------------------


def cache_key(offices: int, complaints: int, months: int, seed: int) -> str:
    """Changes when the generator, the marks or the schema change."""
    from server.db import MIGRATIONS_DIR

    h = hashlib.sha256(f"{offices}/{complaints}/{months}/{seed}".encode())
    h.update(FILL_VERSION.encode())
    for path in (ROOT / "bench" / "national_seed.py", ROOT / "app" / "kpi" / "marks.py",
                 ROOT / "app" / "kpi" / "assess.py", ROOT / "app" / "kpi" / "facts.py"):
        h.update(path.read_bytes())
    for path in sorted(MIGRATIONS_DIR.rglob("*.py")):
        h.update(path.name.encode())
    return f"pg-{offices}o-{complaints}c-{months}m-seed{seed}-{h.hexdigest()[:10]}"


def office_rows_for(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` offices: the regencies and cities first, then provincial governments, then made-up codes."""
    from app.reference.regions import iter_regions

    regions = [r for r in iter_regions() if r.level == 2]
    provinces = [r for r in iter_regions() if r.level == 1]
    rng = random.Random(f"national-offices/{seed}")
    rows = []
    for r in regions:
        rows.append((r.code, f"Pemerintah {r.name}"))
    for p in provinces:
        rows.append((p.code, f"Pemerintah Provinsi {p.name}"))
    extra = 0
    while len(rows) < count:
        p = provinces[extra % len(provinces)]
        rows.append((f"{p.code}.{90 + extra // len(provinces):02d}", f"Pemerintah Wilayah Uji {extra + 1}"))
        extra += 1
    return [{"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "region_code": code, "name": name,
             "tz": ZONES.get(code[:2], "Asia/Jakarta"), "next_device_no": 1, "version": 1}
            for code, name in rows[:count]]


def _fill_offices(url: str, specs: list[Any], categories: list[str], now: datetime, months: int,
                  seed: int) -> tuple[int, int, int]:
    """In a worker process: the offices' histories, assessed and summed, COPYed in (one commit per office)."""
    import psycopg
    from sqlalchemy.orm import Session

    from app.kpi.assess import bulk_build
    from bench.national_seed import office_facts
    from server import kpi_national as kn
    from server.db import make_engine

    engine = make_engine(url, pool_size=1)
    with Session(engine) as session:
        rules = kn.rules_for(session)
    engine.dispose()
    totals = [0, 0, 0, 0, 0]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for spec in specs:
            office_rules = rules[spec.tz]
            with bulk_build():
                rows = kn.office_rows(spec.office_id, office_facts(spec, office_rules, categories, now, months, seed),
                                      office_rules)
            with conn.cursor() as cur:
                for i, (table, batch) in enumerate((("kpi_complaints", rows.complaints), ("kpi_days", rows.days),
                                                    ("kpi_day_durations", rows.durations),
                                                    ("kpi_months", rows.months),
                                                    ("kpi_month_durations", rows.month_durations))):
                    columns = COPY_COLUMNS[table]
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in batch:
                            values = [row[c] for c in columns]
                            overdue = values[5] if table == "kpi_complaints" else None
                            if isinstance(overdue, datetime):
                                values[5] = overdue.astimezone(UTC).replace(tzinfo=None)  # naive UTC, as stored
                            copy.write_row(values)
                    totals[i] += len(batch)
            conn.commit()
    return totals[0], totals[1], totals[2]


def fill(cluster: Cluster, *, offices: int, complaints: int, months: int, seed: int, procs: int,
         log: Log) -> dict[str, Any]:
    """Create and fill ``lapor_national``; returns what went in."""
    from sqlalchemy import insert, select

    from app.timeutil import utcnow
    from bench.national_seed import plan_offices
    from server import admin
    from server import kpi_national as kn
    from server.db import Database, make_engine, migrate
    from server.models import Category, Office, ServerMeta, Unit

    started = time.perf_counter()
    now = utcnow()
    cluster.admin_sql(f'CREATE DATABASE "{DBNAME}"')
    url = cluster.url()
    engine = make_engine(url)
    migrate(engine)
    db = Database(engine)
    office_rows = office_rows_for(offices, seed)
    rng = random.Random(f"national-units/{seed}")
    units = {o["id"]: tuple(str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in UNITS)
             for o in office_rows}
    with db.transaction() as s:
        admin.import_reference(s, categories_json=None, policy_json=None,
                               holiday_years=range(now.year - 3, now.year + 3))
    with db.transaction() as s:
        s.execute(insert(Office), office_rows)
        s.execute(insert(Unit), [{"id": uid, "office_id": oid, "name": name, "active": True, "version": 1}
                                 for oid, ids in units.items() for uid, name in zip(ids, UNITS, strict=True)])
        categories = sorted(s.scalars(select(Category.id).where(Category.parent_id.is_not(None))))
    engine.dispose()
    specs = plan_offices([(o["id"], o["tz"], units[o["id"]]) for o in office_rows], complaints, seed)
    chunks = [specs[i::max(1, len(specs) // 10)] for i in range(max(1, len(specs) // 10))]
    log(f"  {len(office_rows)} offices, {len(categories)} categories; generating {complaints:,} complaints over "
        f"{months} months in {procs} processes…")
    done = [0, 0, 0]
    finished = 0
    with ProcessPoolExecutor(procs, mp_context=get_context("fork")) as pool:
        futures = {pool.submit(_fill_offices, url, chunk, categories, now, months, seed): len(chunk)
                   for chunk in chunks}
        for future in as_completed(futures):
            for i, n in enumerate(future.result()):
                done[i] += n
            finished += futures[future]
            log(f"  {finished}/{len(specs)} offices, {done[0]:,} complaints, {time.perf_counter() - started:.0f} s")
    engine = make_engine(url)
    with Database(engine).transaction() as s:
        s.merge(ServerMeta(key=kn.RULES_META, value=kn.rules_fingerprint(s)))
        s.merge(ServerMeta(key=kn.BUILT_META, value=now.isoformat()))
    engine.dispose()
    import psycopg

    with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return {"generated_at": now.isoformat(), "offices": len(office_rows), "complaints": done[0],
            "kpi_days": done[1], "kpi_day_durations": done[2], "months": months, "seed": seed,
            "seconds": round(time.perf_counter() - started, 1), "bytes": int(size[0]) if size else 0,
            "processes": procs}


def filled_cluster(*, offices: int, complaints: int, months: int, seed: int, procs: int, reseed: bool,
                   log: Log) -> tuple[Cluster, dict[str, Any], bool]:
    """The cached cluster, started (filled first when missing or ``reseed``); (cluster, manifest, cached)."""
    key = cache_key(offices, complaints, months, seed)
    folder = CACHE / key
    manifest_path = folder / "manifest.json"
    if manifest_path.is_file() and not reseed:
        cluster = Cluster(folder / "data")
        cluster.start(fsync=True)
        cluster.drop_all_but(DBNAME)  # copies a killed run left behind
        return cluster, json.loads(manifest_path.read_text()), True
    CACHE.mkdir(parents=True, exist_ok=True)
    prefix = f"pg-{offices}o-{complaints}c-{months}m-seed{seed}-"
    for old in [*CACHE.glob(f"{prefix}*"), *CACHE.glob("building-*")]:
        Cluster(old / "data").stop()
        shutil.rmtree(old, ignore_errors=True)  # stale: another generator or schema, or a broken build
    building = Path(tempfile.mkdtemp(prefix="building-", dir=CACHE))
    building.chmod(0o755)  # the postgres user reaches its data directory through it
    cluster = Cluster(building / "data")
    cluster.create()
    cluster.start(fsync=False)  # nothing depends on it until it is finished
    log(f"filling a PostgreSQL {cluster.version()} cluster in {building} …")
    try:
        manifest = fill(cluster, offices=offices, complaints=complaints, months=months, seed=seed, procs=procs,
                        log=log)
        manifest["postgres"] = cluster.version()
    finally:
        cluster.stop()
    (building / "manifest.json").write_text(json.dumps(manifest, indent=1))
    building.rename(folder)
    log(f"  filled in {manifest['seconds']:.0f} s: {manifest['complaints']:,} complaints' rows, "
        f"{manifest['kpi_days']:,} day rows, {manifest['kpi_day_durations']:,} duration rows, "
        f"{manifest['bytes'] / 1e9:.2f} GB")
    cluster = Cluster(folder / "data")
    cluster.start(fsync=True)
    return cluster, manifest, False
