"""The local store with a year-two office's load: 100,000 complaints seeded by demo.seed_demo, measured for
the home office (Kabupaten Sleman, about 40,000 of them).

Each measurement runs the program's own code (app.read.queries, app.read.search, app.services.intake) and, alternating
with it, the same SQL through a plain sqlite3 connection on the same file: the ratio is what the program's layers
(SQLAlchemy session and result handling, validation, audit, search indexing) cost on top of SQLite itself.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from sqlalchemy import event, select

from app.domain import Channel, Classification, Role, Status
from app.inputs import IntakeInput, ReporterInput
from app.models import Complaint, Office, Reporter, User
from app.read import queries
from app.read.duplicates import likely_duplicates
from app.read.search import search_ids
from app.rules.scope import Scope
from app.services import ServiceContext, intake
from app.store import meta
from app.store.db import Store, head_revision, open_store
from app.timeutil import utcnow
from bench.timing import Measurement, measure_pair
from bench.whatif import QueryVariants, core_intake
from demo import seed_demo

OUT = Path(__file__).resolve().parent / "out"
SEARCH_TEXT = "jalan rusak"
INTAKE_TITLE = "Jalan rusak di Desa Sariharjo, Kecamatan Ngaglik"
INTAKE_TEXT = ("Jalan utama di Desa Sariharjo berlubang di beberapa titik sejak musim hujan. "
               "Sudah dua pengendara sepeda motor terjatuh. Mohon segera ditindaklanjuti.")


@dataclass
class StoreResult:
    count: int
    seed: int
    seed_seconds: float
    seeded_at: str
    seeded_now: datetime
    cached: bool
    events: int
    home_complaints: int
    measurements: list[Measurement] = field(default_factory=list)
    plans: dict[str, list[str]] = field(default_factory=dict)
    sql: dict[str, str] = field(default_factory=dict)


def _cache_paths(count: int, seed: int) -> tuple[Path, Path]:
    stem = f"store-{count}-seed{seed}-schema{head_revision()}"
    return OUT / f"{stem}.sqlite3", OUT / f"{stem}.json"


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def seeded_file(count: int, seed: int, *, reseed: bool, log: Callable[[str], None]) -> tuple[Path, dict[str, Any]]:
    """The cached seeded store for (count, seed, schema head), made (and timed) when missing or ``reseed``."""
    db, info_path = _cache_paths(count, seed)
    if db.exists() and info_path.exists() and not reseed:
        return db, {**json.loads(info_path.read_text(encoding="utf-8")), "cached": True}
    OUT.mkdir(parents=True, exist_ok=True)
    building = db.with_suffix(".building.sqlite3")
    _remove_db(building)
    log(f"seeding {count:,} complaints into {building.name} (cached afterwards) ...")
    store = open_store(building, backup_dir=OUT / "backups")
    now = utcnow()
    started = perf_counter()
    report = seed_demo(store, count=count, seed=seed, now=now)
    seconds = perf_counter() - started
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    _remove_db(db)
    building.replace(db)
    _remove_db(building)
    info = {"seconds": round(seconds, 2), "report_seconds": round(report.seconds, 2), "events": report.events,
            "now": now.isoformat(), "seeded_at": datetime.now(UTC).isoformat(timespec="seconds")}
    info_path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return db, {**info, "cached": False}


@contextmanager
def _captured_sql(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """The statements (and parameters) SQLAlchemy hands to the driver while the block runs."""
    seen: list[tuple[str, Any]] = []

    def listen(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", listen)


def _only_query(seen: list[tuple[str, Any]], marker: str) -> tuple[str, Any]:
    found = [(sql, params) for sql, params in seen if marker in sql]
    assert len(found) == 1, (marker, [s for s, _ in seen])
    return found[0]


def _raw_connection(path: Path) -> sqlite3.Connection:
    """A plain connection with the program's pragmas (WAL, synchronous=FULL, foreign keys, busy timeout)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def run(*, count: int, seed: int, runs: int, warmup: int, reseed: bool,
        log: Callable[[str], None]) -> StoreResult:
    cached_db, info = seeded_file(count, seed, reseed=reseed, log=log)
    work = OUT / "work.sqlite3"
    _remove_db(work)
    shutil.copyfile(cached_db, work)  # intake adds rows: keep the cached file as seeded
    store = open_store(work, backup_dir=OUT / "backups")
    raw = _raw_connection(work)
    try:
        return _measure(store, raw, count, seed, info, runs=runs, warmup=warmup, log=log)
    finally:
        raw.close()
        store.close()
        _remove_db(work)


def _measure(store: Store, raw: sqlite3.Connection, count: int, seed: int, info: dict[str, Any], *, runs: int,
             warmup: int, log: Callable[[str], None]) -> StoreResult:
    now = datetime.fromisoformat(info["now"])
    with store.read() as s:
        home = meta.get(s, meta.HOME_OFFICE)
        assert home is not None
        staff = Scope(home, Role.ADMIN_INSTANSI)  # the office administrator's window: every complaint of the office
        home_count = queries.count(s, staff, queries.ComplaintFilter(), now=now)
        loket = s.execute(select(User.id).where(User.office_id == home, User.role == Role.PETUGAS_LOKET)
                          .limit(1)).scalar_one()
        office = s.get(Office, home)
        assert office is not None
        region4 = office.region_code.replace(".", "")[:4]
    result = StoreResult(count, seed, info["seconds"], info["seeded_at"], now, info["cached"], info["events"],
                         home_count)

    def app_page() -> object:
        with store.read() as s:
            return queries.page(s, staff, queries.ComplaintFilter(), sort="deadline", now=now, limit=100)

    def app_count() -> object:
        with store.read() as s:
            return queries.count(s, staff, queries.ComplaintFilter(statuses=(Status.DIDISPOSISIKAN,)), now=now)

    def app_list_ids() -> object:
        with store.read() as s:
            return queries.list_ids(s, staff, queries.ComplaintFilter(), sort="deadline", now=now)

    def app_search() -> object:
        with store.read() as s:
            return search_ids(s, SEARCH_TEXT, staff)

    probe = _duplicate_probe(store, home, now)

    def app_duplicates() -> object:
        with store.read() as s:
            return likely_duplicates(s, home, probe, now)

    what_if = QueryVariants(store, home)
    cases: list[tuple[str, str, float, Callable[[], object], str, dict[str, Callable[[], object]]]] = [
        ("page", "First page of 100 rows by deadline (queries.page)", 20.0, app_page, "LIMIT",
         {"prebuilt": what_if.page_prebuilt, "held": what_if.page_held, "driver": what_if.page_driver}),
        ("count", "Count of DIDISPOSISIKAN (queries.count)", 20.0, app_count, "count(",
         {"prebuilt": what_if.count_prebuilt, "held": what_if.count_held, "driver": what_if.count_driver}),
        ("search", f'Full-text search "{SEARCH_TEXT}" (search.search_ids)', 50.0, app_search, "MATCH", {}),
        ("duplicates", "Likely duplicates of a new intake: same NIK or phone, or similar text in the village, 30 "
         "days (duplicates.likely_duplicates)", 50.0, app_duplicates, "LEFT OUTER JOIN reporters", {}),
        ("list_ids", "Extra: every id of the office by deadline (queries.list_ids, the list model's first load)",
         0.0, app_list_ids, "ORDER BY", {}),
    ]
    for key, title, target, app_fn, marker, variants in cases:
        with _captured_sql(store) as seen:
            app_fn()
        sql, params = _only_query(seen, marker)
        params = tuple(params)
        result.sql[key] = sql
        result.plans[key] = [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params)]

        def raw_fn(sql: str = sql, params: tuple[Any, ...] = params) -> object:
            return raw.execute(sql, params).fetchall()

        log(f"measuring {key} ...")
        result.measurements.append(measure_pair(Measurement(title, target), app_fn, raw_fn, runs=runs,
                                                warmup=warmup, variants=variants))
    what_if.close()
    log("measuring intake ...")
    result.measurements.append(_measure_intake(store, raw, loket, region4, runs=runs, warmup=warmup))
    return result


def _duplicate_probe(store: Store, office_id: str, now: datetime) -> IntakeInput:
    """A new intake as a returning reporter makes it: the identity, village and words of the office's latest
    complaint with a named reporter and a village."""
    with store.read() as s:
        c, r = s.execute(
            select(Complaint, Reporter).join(Reporter, Reporter.id == Complaint.reporter_id)
            .where(Complaint.office_id == office_id, Complaint.received_at <= now,
                   Complaint.region_code.like("__.__.__.____"))
            .order_by(Complaint.received_at.desc()).limit(1)).one()
        return IntakeInput(classification=c.classification, channel=c.channel, title=c.title,
                           description=c.description, region_code=c.region_code,
                           reporter=ReporterInput(name=r.name, nik=r.nik, phone=r.phone, consent_given=True))


def _intake_input(i: int) -> IntakeInput:
    return IntakeInput(
        classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title=f"{INTAKE_TITLE} ({i})",
        description=INTAKE_TEXT, category_id="infrastruktur.jalan", region_code="34.04.12.2002",
        address="Jl. Kaliurang Km 9, Desa Sariharjo", is_anonymous=False,
        reporter=ReporterInput(name="Budi Santoso", nik="3404121507800001", phone="081234567890",
                               consent_given=True),
    )


def _measure_intake(store: Store, raw: sqlite3.Connection, loket: str, region4: str, *, runs: int,
                    warmup: int) -> Measurement:
    """One intake through app.services.intake, against the same rows written by hand in one raw transaction."""
    ctx = ServiceContext(store=store, device_label="bench")
    counter = iter(range(1, 10**9))
    template: dict[str, Any] = {}

    def app_intake() -> object:
        result = intake(ctx, loket, _intake_input(next(counter)))
        if not template:  # the raw side copies the computed columns (deadlines, device) of a real intake
            row = raw.execute("SELECT * FROM complaints WHERE id = ?", (result.complaint_id,))
            template.update(zip([d[0] for d in row.description], row.fetchone(), strict=True))
        return result

    app_intake()
    device = int(template["tracking_code"].split("-")[1])

    def raw_intake() -> object:
        i = next(counter)
        now = utcnow().replace(tzinfo=None).isoformat(" ", "microseconds")
        cid, rid, eid = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
        inp = _intake_input(i)
        raw.execute("BEGIN IMMEDIATE")
        seq = int(raw.execute("SELECT value FROM store_meta WHERE key = 'tracking_seq'").fetchone()[0]) + 1
        raw.execute("UPDATE store_meta SET value = ? WHERE key = 'tracking_seq'", (str(seq),))
        body = f"{region4}{device:03d}{seq:06d}"
        code = f"{region4}-{device:03d}-{seq:06d}-{_damm(body)}"
        raw.execute("INSERT INTO reporters (id, name, nik, phone, email, address, assistance_needs, consent_at)"
                    " VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?)", (rid, "Budi Santoso", "3404121507800001",
                                                                 "+6281234567890", now))
        row = {**template, "id": cid, "tracking_code": code, "title": inp.title, "reporter_id": rid,
               "received_at": now, "updated_at": now}
        raw.execute(f"INSERT INTO complaints ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                    tuple(row.values()))
        raw.execute("INSERT INTO timeline_events (id, complaint_id, kind, at, actor_user_id, from_status,"
                    " to_status, text, data_json) VALUES (?, ?, 'RECEIVED', ?, ?, NULL, ?, NULL, ?)",
                    (eid, cid, now, loket, Status.BELUM_TERVERIFIKASI, '{"channel":"WALK_IN"}'))
        docid = raw.execute("INSERT INTO complaint_search_docs (complaint_id) VALUES (?)", (cid,)).lastrowid
        raw.execute("INSERT INTO complaint_fts (rowid, tracking_code, title, description, reporter_name,"
                    " anon_reporter_name, follow_up_text) VALUES (?, ?, ?, ?, ?, '', '')",
                    (docid, code.replace("-", ""), inp.title, inp.description, "Budi Santoso"))
        prev = raw.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        details = json.dumps({"channel": "WALK_IN", "tracking_code": code}, sort_keys=True)
        digest = hashlib.sha256(f"{prev[0] if prev else ''}{now}{details}".encode()).hexdigest()
        raw.execute("INSERT INTO audit_log (at, user_id, device, action, entity_type, entity_id, details_json,"
                    " prev_hash, hash) VALUES (?, ?, 'bench', 'complaint.intake', 'complaint', ?, ?, ?, ?)",
                    (now, loket, cid, details, prev[0] if prev else "0" * 64, digest))
        raw.execute("COMMIT")
        return cid

    label = ctx.device_label

    def intake_core() -> object:
        return core_intake(ctx, loket, _intake_input(next(counter)), device=device, device_label=label)

    m = Measurement("One intake (services.intake: validation, transaction, audit, search index)", 15.0,
                    note="raw: the same rows in one BEGIN IMMEDIATE … COMMIT, synchronous=FULL")
    return measure_pair(m, app_intake, raw_intake, runs=runs, warmup=warmup, variants={"core intake": intake_core})


def _damm(digits: str) -> str:
    from stdnum import damm

    return str(damm.calc_check_digit(digits))
