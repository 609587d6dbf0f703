"""The peer comparison's documents (../shared/peer-bench/gen.js, one JSON line each) as complaints of one office of
a national server database, for bench/peer.py.

How the load is done: ``lapor-server``'s own schema (``server.db.migrate``) and demo reference data
(``server.demo.seed_server_demo``: six offices with their units and accounts, no complaints); then every document
becomes a reporter, a complaint and its timeline events in Kabupaten Sleman (:func:`map_document`), written with the
server's models by bench/sync_seed.py's writer, which also writes the change log as the server would have recorded
the history (the receipt and each later event a change of its own, in time order, one transaction id per five
minutes) and each complaint's version. A first pull therefore reads what it reads on a real server. Not timed.

The mapping keeps the ids, tracking codes, texts, flags, times and the reporter as they are. What our model has no
room for: the event's ``by`` (an officer code becomes one of the office's accounts, picked by a hash of the code;
the reporter's own events become REPORTER_RESPONSE). Categories 1–48 and the region codes of 34 provinces go onto
our reference data by a fixed rule (the n-th category in id order, a village of the office picked by a hash of the
code), so the same document always lands on the same values.
"""

from __future__ import annotations

import json
import time
import uuid
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain import ArchiveReason, Channel, Classification, EventKind, Status
from bench.sync_seed import _home_office, _no_fsync, _Rows, _write
from demo.content import unit_for_categories
from server.db import Database, make_engine, migrate
from server.demo import seed_server_demo

STATUSES = {
    "baru": Status.BELUM_TERVERIFIKASI,  # new
    "diverifikasi": Status.DIDISPOSISIKAN,  # verified: in our workflow verifying is dispositioning to a unit
    "diteruskan": Status.DIDISPOSISIKAN,  # forwarded to a unit
    "diproses": Status.DIDISPOSISIKAN,  # being worked on by the unit
    "ditindaklanjuti": Status.DITINDAKLANJUTI,  # followed up
    "selesai": Status.SELESAI,  # done
    "ditutup": Status.SELESAI,  # closed
    "ditolak": Status.DIARSIPKAN,  # refused: archived as not relevant
}
CHANNELS = {"web": Channel.LAPOR_ONLINE, "android": Channel.LAPOR_ONLINE, "ios": Channel.LAPOR_ONLINE,
            "sms": Channel.SMS, "whatsapp": Channel.SMS, "call_center": Channel.PHONE, "walk_in": Channel.WALK_IN,
            "twitter": Channel.SOCIAL_MEDIA}
EVENT_KINDS = {"created": EventKind.RECEIVED, "verified": EventKind.DISPOSED, "forwarded": EventKind.DISPOSED,
               "responded": EventKind.FOLLOW_UP, "closed": EventKind.CLOSED, "comment": EventKind.NOTE,
               "status_changed": EventKind.NOTE, "escalated": EventKind.NOTE}
_REPORTER_IDS = uuid.UUID("6c1d2a52-53a4-4a55-9f57-5a1f0d0c2e11")  # reporters get uuid5(this, document id)


@dataclass(frozen=True)
class TargetOffice:
    """What the mapping needs of the office the documents go to."""

    office_id: str
    villages: tuple[str, ...]  # region codes of its villages (dotted)
    categories: tuple[str, ...]  # category ids in id order
    unit_of: Mapping[str, str]  # category id → the unit it is dispositioned to
    default_unit: str
    counter: str  # the account that registers a complaint (loket)
    officers: tuple[str, ...]  # accounts an officer code is mapped onto


@dataclass(frozen=True)
class Mapped:
    reporter: dict[str, Any]
    complaint: dict[str, Any]
    events: list[dict[str, Any]]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _pick(options: tuple[str, ...], key: str) -> str:
    return options[zlib.crc32(key.encode()) % len(options)]


def map_document(doc: Mapping[str, Any], office: TargetOffice) -> Mapped:
    """One generated document as our server's rows (plain dicts of server.models columns)."""
    cid = doc["id"]
    status = STATUSES[doc["status"]]
    channel = CHANNELS[doc["channel"]]
    category = office.categories[(int(doc["category_id"]) - 1) % len(office.categories)]
    timeline = doc["timeline"]
    times = [_at(e["at"]) for e in timeline]
    events = []
    for n, (e, at) in enumerate(zip(timeline, times, strict=True)):
        if n == 0:
            kind, actor = EventKind.RECEIVED, office.counter
        elif e["by"] == "reporter":
            kind, actor = EventKind.REPORTER_RESPONSE, None
        else:
            kind = EVENT_KINDS[e["kind"]]
            actor = _pick(office.officers, e["by"])
        if kind == EventKind.CLOSED and status == Status.DIARSIPKAN:
            kind = EventKind.ARCHIVED
        events.append({"id": e["id"], "complaint_id": cid, "kind": kind.value, "at": at, "actor_user_id": actor,
                       "from_status": None, "to_status": Status.BELUM_TERVERIFIKASI.value if n == 0 else None,
                       "text": e["text"],
                       "data_json": json.dumps({"channel": channel.value}) if n == 0 else None, "version": 1})
    reporter = doc["reporter"]
    reporter_id = str(uuid.uuid5(_REPORTER_IDS, cid))
    disposed = status not in (Status.BELUM_TERVERIFIKASI, Status.DIARSIPKAN)
    closed = status in (Status.SELESAI, Status.DIARSIPKAN)
    complaint = {
        "id": cid, "office_id": office.office_id, "tracking_code": doc["tracking_code"],
        "national_tracking_id": None, "classification": Classification(doc["classification"].upper()).value,
        "category_id": category, "title": doc["title"], "description": doc["description"], "incident_date": None,
        "region_code": _pick(office.villages, doc["region_code"]), "address": None, "latitude": None,
        "longitude": None, "channel": channel.value, "is_anonymous": bool(doc["is_anonymous"]),
        "is_confidential": bool(doc["is_confidential"]), "is_supervisory": False, "reporter_id": reporter_id,
        "unit_id": office.unit_of.get(category, office.default_unit) if disposed else None,
        "status": status.value,
        "archive_reason": ArchiveReason.TIDAK_RELEVAN.value if status == Status.DIARSIPKAN else None,
        "received_at": _at(doc["created_at"]), "disposed_at": times[1] if disposed else None,
        "followed_up_at": times[-1] if status in (Status.DITINDAKLANJUTI, Status.SELESAI) else None,
        "postponed_at": None, "closed_at": times[-1] if closed else None, "updated_at": _at(doc["updated_at"]),
        "version": 0, "field_versions": "{}", "created_by_client": None}  # the version comes from the change log
    return Mapped(
        {"id": reporter_id, "name": reporter["name"], "nik": reporter["nik"], "phone": reporter["phone"],
         "email": reporter["email"], "address": None, "assistance_needs": None, "consent_at": times[0]},
        complaint, events)


@dataclass(frozen=True)
class Loaded:
    """What a loaded server database holds (kept beside it as loaded.json)."""

    office_id: str
    region_code: str
    admin_id: str
    complaints: int
    events: int
    changelog_rows: int
    transactions: int
    seconds: float

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @staticmethod
    def from_json(text: str) -> Loaded:
        return Loaded(**json.loads(text))


def read_documents(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def load(db_url: str, documents: Iterable[Mapping[str, Any]]) -> Loaded:
    """A new server database at ``db_url``: the demo offices, and the documents in Kabupaten Sleman."""
    started = time.perf_counter()
    engine = make_engine(db_url)
    _no_fsync(engine)
    migrate(engine)
    db = Database(engine)
    seed_server_demo(db, complaints=0)
    demo, staff, _units, _holidays, categories = _home_office(db)
    office = TargetOffice(
        office_id=demo.id, villages=tuple(sorted(p.code for p in demo.places)), categories=tuple(sorted(categories)),
        unit_of=unit_for_categories(demo), default_unit=demo.units[0].id, counter=staff.loket,
        officers=(staff.admin, *sorted(staff.liaisons.values())))
    rows = _Rows()
    for doc in documents:
        mapped = map_document(doc, office)
        rows.reporters.append(mapped.reporter)
        rows.complaints.append(mapped.complaint)
        rows.events += mapped.events
        cid = mapped.complaint["id"]
        for n, e in enumerate(mapped.events):
            rows.change(e["at"], [("complaint", cid), ("event", e["id"])] if n == 0 else
                        [("event", e["id"]), ("complaint", cid)])
    changelog, transactions = _write(db, office.office_id, rows)
    engine.dispose()  # the last connection closed: SQLite folds the WAL into the file, ready to copy
    return Loaded(office.office_id, demo.region_code, staff.admin, len(rows.complaints), len(rows.events),
                  changelog, transactions, time.perf_counter() - started)
