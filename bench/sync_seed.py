"""A national server database for bench/sync_bench.py: the six demo offices (server.demo) and, in Kabupaten Sleman,
``count`` complaints with whole timelines (written by demo.timeline, as the desktop demo writes them) and one
photo per ``every`` complaints (random bytes: incompressible, like a JPEG).

The change log is written in the order the changes would have reached the server, one transaction per five minutes
of office work (what a PC that syncs every few minutes pushes at once), so a first pull reads the history a real
office leaves behind (four months of a busy office): a complaint changed in five transactions has five log rows.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert, select

from app.domain import Classification, EventKind
from app.reference.regions import iter_regions, regency_code4
from app.rules.sla import SlaPolicy, WorkingCalendar
from app.rules.tracking import make_code
from app.timeutil import utcnow
from demo.content import (
    CLASSIFICATIONS,
    PPDB_MONTHS,
    SENSITIVE,
    category_tables,
    compose,
    place_values,
    unit_for_categories,
)
from demo.offices import HOME_SPEC, DemoOffice, DemoUnit
from demo.people import home_address, make_person
from demo.rand import DemoRandom
from demo.seed import CHANNELS, COUNTER_CHANNELS
from demo.staff import OfficeStaff
from demo.timeline import State, TimelineWriter
from server.changelog import TXN_KEY
from server.db import Database, make_engine, migrate
from server.demo import places_of, seed_server_demo
from server.models import (
    Attachment,
    Blob,
    Category,
    ChangeLogEntry,
    Complaint,
    Holiday,
    Office,
    OfficeBlob,
    Reporter,
    ServerMeta,
    TimelineEvent,
    Unit,
    User,
)

HISTORY = timedelta(days=120)  # a busy office: some 2,500 complaints a month, a tenth of them still open
WINDOW = timedelta(minutes=5)
DEVICES = 3  # the office's PCs that took the complaints in; a PC enrolled later gets number 4
PHOTO_BYTES = (1_000, 16_000)
_DUMPS = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True)
class Seeded:
    office_id: str
    region_code: str
    admin_id: str
    complaints: int
    open_complaints: int
    events: int
    attachments: int
    blob_bytes: int
    changelog_rows: int
    transactions: int
    seconds: float

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @staticmethod
    def from_json(text: str) -> Seeded:
        return Seeded(**json.loads(text))


def _no_fsync(engine: Engine) -> None:
    """Seeding writes a file nobody depends on until it is finished: skip the per-commit fsync."""

    @event.listens_for(engine, "connect")
    def _fast(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute("PRAGMA synchronous=OFF")


def _home_office(db: Database) -> tuple[DemoOffice, OfficeStaff, dict[str, str], list[Any], set[str]]:
    spec = HOME_SPEC
    with db.transaction() as s:
        office = s.execute(select(Office).where(Office.region_code == spec.region_code)).scalar_one()
        office.next_device_no = DEVICES + 1
        unit_ids = dict(s.execute(select(Unit.name, Unit.id).where(Unit.office_id == office.id)).all())
        users = dict(s.execute(select(User.username, User.id).where(User.office_id == office.id)).all())
        holidays = list(s.execute(select(Holiday.day)).scalars())
        categories = set(s.execute(select(Category.id)).scalars())
        office_id, tz = office.id, office.tz
    units = [DemoUnit(unit_ids[u.name], u.name, u.key, u.categories) for u in spec.units]
    prefix = spec.region_code + "."
    districts = [r.code.replace(".", "") for r in iter_regions() if r.level == 3 and r.code.startswith(prefix)]
    demo = DemoOffice(id=office_id, name=spec.name, region_code=spec.region_code, tz=tz, slug=spec.slug, share=1.0,
                      culture=spec.culture, center=spec.center, is_home=True,
                      region4=regency_code4(spec.region_code), device=1, units=units,
                      places=places_of(spec.region_code, limit=100_000), district_codes=districts)
    staff = OfficeStaff(admin=users[f"admin.{spec.slug}"], loket=users[f"loket.{spec.slug}"],
                        pimpinan=users[f"pimpinan.{spec.slug}"], it=users[f"it.{spec.slug}"],
                        liaisons={u.id: users[f"penghubung.{u.key}.{spec.slug}"] for u in units})
    return demo, staff, {u.id: u.name for u in units}, holidays, categories


class _Rows:
    """Everything to insert, and the change-log units (one per change as the server would have recorded it)."""

    def __init__(self) -> None:
        self.reporters: list[dict[str, Any]] = []
        self.complaints: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.attachments: list[dict[str, Any]] = []
        self.blobs: list[dict[str, Any]] = []
        self.units: list[tuple[datetime, int, list[tuple[str, str]]]] = []

    def change(self, at: datetime, rows: list[tuple[str, str]]) -> None:
        self.units.append((at, len(self.units), rows))


def seed(db_url: str, blob_dir: Path, *, count: int, every: int = 10, seed_value: int = 1) -> Seeded:
    started = time.perf_counter()
    engine = make_engine(db_url)
    _no_fsync(engine)
    migrate(engine)
    db = Database(engine)
    seed_server_demo(db, complaints=0, seed=seed_value)
    now = utcnow()
    office, staff, unit_names, holidays, categories = _home_office(db)
    rng, id_rng = DemoRandom(seed_value), DemoRandom(f"sync-bench-ids/{seed_value}")
    writer = TimelineWriter(rng, id_rng, tz=office.tz, staff=staff, unit_names=unit_names,
                            policy=SlaPolicy.bundled(), calendar=WorkingCalendar(holidays), now=now)
    normal, season = category_tables(categories)
    unit_of = unit_for_categories(office)
    plan = []
    for _ in range(count):
        channel = CHANNELS.pick(rng)
        received = now - HISTORY * rng.random()
        if channel in COUNTER_CHANNELS:
            day = writer.local_day(received)
            while not writer.calendar.is_working_day(day):
                day -= timedelta(days=1)
            received = min(writer.office_moment(day), now - timedelta(minutes=1))
        plan.append((received, channel))
    plan.sort(key=lambda p: p[0])
    rows = _Rows()
    seqs = dict.fromkeys(range(1, DEVICES + 1), 0)
    for n, (received, channel) in enumerate(plan):
        day = writer.local_day(received)
        category = (season if day.month in PPDB_MONTHS else normal).pick(rng)
        classification = CLASSIFICATIONS.pick(rng)
        place = rng.pick(office.places)
        values = place_values(rng, office, place, day.year)
        title, description = compose(rng, category, classification, values)
        cid = id_rng.uuid7_at(received)
        st = State(cid, received, classification, classification != Classification.PERMINTAAN_INFORMASI
                   and rng.chance(0.045), category, unit_of.get(category) or office.units[0].id, place.village,
                   place.district)
        taker = staff.loket if rng.chance(0.8) else staff.admin
        writer.write(st, taker, channel.value)
        reporter_id = _reporter(rng, id_rng, office, received, place.village, place.district, rows)
        device = rng.between(1, DEVICES)
        seqs[device] += 1
        events = [{**e, "version": 1} for e in st.events]
        if n % every == 0:
            events.append(_photo(rng, id_rng, blob_dir, st, taker, n, now, rows))
            events.sort(key=lambda e: e["at"])
        rows.events += events
        for e in events:
            if e["kind"] == EventKind.RECEIVED:
                rows.change(e["at"], [("complaint", cid), ("event", e["id"])])
            elif e["kind"] == EventKind.ATTACHMENT_ADDED:
                rows.change(e["at"], [("attachment", json.loads(e["data_json"])["attachment_id"]),
                                      ("event", e["id"]), ("complaint", cid)])
            else:
                rows.change(e["at"], [("event", e["id"]), ("complaint", cid)])
        rows.complaints.append({
            "id": cid, "office_id": office.id, "tracking_code": make_code(office.region4, device, seqs[device]),
            "national_tracking_id": None, "classification": classification.value,
            "category_id": category if category in categories else None, "title": title, "description": description,
            "incident_date": day - timedelta(days=rng.between(0, 30)) if rng.chance(0.6) else None,
            "region_code": place.code if rng.chance(0.85) else place.code.rsplit(".", 1)[0],
            "address": f"{values['jalan']}, {place.village}, Kecamatan {place.district}" if rng.chance(0.7) else None,
            "latitude": None, "longitude": None, "channel": channel.value, "is_anonymous": reporter_id is None,
            "is_confidential": rng.chance(0.30 if category in SENSITIVE else 0.02),
            "is_supervisory": st.is_supervisory, "reporter_id": reporter_id, "unit_id": st.unit_id,
            "status": st.status.value, "archive_reason": st.archive_reason, "received_at": received,
            "disposed_at": st.disposed_at, "followed_up_at": st.followed_up_at, "postponed_at": st.postponed_at,
            "closed_at": st.closed_at, "updated_at": events[-1]["at"],
            "version": 0, "field_versions": "{}", "created_by_client": None})  # set from the change log
    changelog, transactions = _write(db, office.id, rows)
    engine.dispose()  # the last connection closed: SQLite folds the WAL into the file, ready to copy
    closed = {"SELESAI", "DIARSIPKAN", "BUKAN_WEWENANG"}
    return Seeded(office.id, office.region_code, staff.admin, len(rows.complaints),
                  sum(c["status"] not in closed for c in rows.complaints), len(rows.events), len(rows.attachments),
                  sum(b["size_received"] for b in rows.blobs), changelog, transactions,
                  time.perf_counter() - started)


def _reporter(rng: DemoRandom, id_rng: DemoRandom, office: DemoOffice, at: datetime, village: str, district: str,
              rows: _Rows) -> str | None:
    if rng.chance(0.06):
        return None  # anonymous, nobody named
    person = make_person(rng, office.culture, office.district_codes)
    reporter_id = id_rng.uuid7_at(at)
    rows.reporters.append({
        "id": reporter_id, "name": person.name, "nik": person.nik if rng.chance(0.5) else None,
        "phone": person.phone if rng.chance(0.7) else None, "email": person.email if rng.chance(0.4) else None,
        "address": home_address(rng, village, district) if rng.chance(0.4) else None, "assistance_needs": None,
        "consent_at": at})
    return reporter_id


def _photo(rng: DemoRandom, id_rng: DemoRandom, blob_dir: Path, st: State, actor: str, n: int, now: datetime,
           rows: _Rows) -> dict[str, Any]:
    """A photo the counter attached minutes after receipt: its bytes in the blob store, its row, its event."""
    at = min(st.received_at + timedelta(minutes=rng.uniform(1, 30)), now - timedelta(seconds=1))
    data = rng.randbytes(rng.between(*PHOTO_BYTES))
    sha = hashlib.sha256(data).hexdigest()
    path = blob_dir / sha[:2] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    attachment_id, event_id = id_rng.uuid7_at(at), id_rng.uuid7_at(at)
    filename = f"foto-lokasi-{n + 1}.jpg"
    rows.blobs.append({"sha256": sha, "size_received": len(data), "complete": True, "created_at": at})
    rows.attachments.append({"id": attachment_id, "complaint_id": st.complaint_id, "event_id": event_id,
                             "sha256": sha, "filename": filename, "mime_type": "image/jpeg", "size": len(data),
                             "created_at": at, "created_by": actor, "version": 1})
    return {"id": event_id, "complaint_id": st.complaint_id, "kind": EventKind.ATTACHMENT_ADDED.value, "at": at,
            "actor_user_id": actor, "from_status": None, "to_status": None, "text": None,
            "data_json": _DUMPS({"attachment_id": attachment_id, "filename": filename}), "version": 1}


def _write(db: Database, office_id: str, rows: _Rows) -> tuple[int, int]:
    """Insert the rows, then the change log in time order: one transaction id per five-minute window."""
    log: list[dict[str, Any]] = []
    versions: dict[str, int] = {}
    with db.transaction() as s:
        counter = s.get(ServerMeta, TXN_KEY)
        first = xid = int(counter.value) if counter else 0
        window_start: datetime | None = None
        for at, _order, changes in sorted(rows.units, key=lambda u: (u[0], u[1])):
            if window_start is None or at - window_start > WINDOW:
                xid += 1
                window_start = at
            for entity_type, entity_id in changes:
                version = 1
                if entity_type == "complaint":
                    version = versions[entity_id] = versions.get(entity_id, 0) + 1
                log.append({"xid": xid, "office_id": office_id, "entity_type": entity_type,
                            "entity_id": entity_id, "op": "upsert", "version": version, "created_at": at})
        for c in rows.complaints:
            c["version"] = versions[c["id"]]
        # The office may read its files (server.blob_access): its PCs sent every byte of them.
        grants = [{"office_id": office_id, "sha256": b["sha256"], "device_id": None, "source": "upload",
                   "total": b["size_received"], "size_received": b["size_received"], "complete": True,
                   "created_at": b["created_at"], "updated_at": b["created_at"]} for b in rows.blobs]
        for model, batch in ((Reporter, rows.reporters), (Complaint, rows.complaints),
                             (TimelineEvent, rows.events), (Attachment, rows.attachments), (Blob, rows.blobs),
                             (OfficeBlob, grants), (ChangeLogEntry, log)):
            for start in range(0, len(batch), 5_000):
                s.execute(insert(model), batch[start:start + 5_000])
        if counter is None:
            s.add(ServerMeta(key=TXN_KEY, value=str(xid)))
        else:
            counter.value = str(xid)
    return len(log), xid - first
