"""Experiments, not product code: how fast page, count and intake would be if app/ made them differently.

They run in the same process, on the same file and interleaved with the real measurements, so the findings in
docs/BENCHMARKS.md rest on figures of the same run:

- **prebuilt**: the statement built once from table columns with bind parameters and executed in
  ``store.read()`` (no per-call statement construction and cache-key generation, no ORM result loading);
- **held**: the same statement on one long-lived connection (BEGIN … ROLLBACK per call) instead of a new
  session and a pool checkout per call;
- **driver**: the statement compiled to SQL once and executed through the driver cursor of that connection,
  with the two datetime columns converted by ``datetime.fromisoformat``;
- **core intake**: the writes of app.services.intake as Core statements in one transaction, with the tracking
  number taken by ``UPDATE … RETURNING`` and the search document written from the values at hand.

Since issue 2, app/ runs its list queries and intake the "driver" way (app.store.transactions.sql_cursor); the variants
stay as the comparison they were measured against.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, literal_column, select, text

from app.domain import EventKind, Status
from app.ids import new_id
from app.inputs import IntakeInput
from app.models import AuditRecord, Category, Complaint, Office, Reporter, TimelineEvent, Unit, User
from app.read.queries import ComplaintRow
from app.reference.regions import regency_code4
from app.rules import tracking
from app.rules.sla import DeadlineFacts, compute_deadlines
from app.rules.validation import validate_intake
from app.services import ServiceContext
from app.services.context import dumps
from app.services.intake import INTAKE_ROLES
from app.store.audit import GENESIS, record_hash
from app.store.db import Store
from app.timeutil import zone

_C, _CAT, _U = Complaint.__table__.c, Category.__table__.c, Unit.__table__.c
_DUE = literal_column("coalesce(complaints.next_due_at, '9999-12-31')")
PAGE = (
    select(_C.id, _C.tracking_code, _C.title, _CAT.name, _U.name, _C.status, _C.channel, _C.received_at,
           _C.next_due_at, _C.next_due_kind)
    .select_from(Complaint.__table__.outerjoin(Category.__table__, _CAT.id == _C.category_id)
                 .outerjoin(Unit.__table__, _U.id == _C.unit_id))
    .where(_C.office_id == bindparam("office"))
    .order_by(_DUE.asc(), _C.id.asc())
    .limit(bindparam("limit"))
)
COUNT = select(func.count()).select_from(Complaint.__table__).where(
    _C.office_id == bindparam("office"), _C.status.in_(bindparam("statuses", expanding=True)))
COUNT_ONE_STATUS = select(func.count()).select_from(Complaint.__table__).where(
    _C.office_id == bindparam("office"), _C.status == bindparam("status"))


def _utc(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _compiled(store: Store, statement: Any, **values: Any) -> tuple[str, tuple[Any, ...]]:
    """The SQL text and positional parameters SQLAlchemy would send for ``statement`` with ``values``."""
    compiled = statement.compile(dialect=store.engine.dialect)
    params = compiled.construct_params(values)
    return str(compiled), tuple(params[name] for name in compiled.positiontup or ())


class QueryVariants:
    """Page and count made the three other ways (see the module docstring)."""

    def __init__(self, store: Store, office_id: str) -> None:
        self.store, self.office = store, office_id
        self.held: Connection = store.engine.connect()
        self.held.rollback()
        self.page_sql, self.page_params = _compiled(store, PAGE, office=office_id, limit=100)
        self.count_sql, self.count_params = _compiled(store, COUNT_ONE_STATUS, office=office_id,
                                                      status=Status.DIDISPOSISIKAN)
        self.driver: Any = self.held.connection.driver_connection

    def close(self) -> None:
        self.held.close()

    def page_prebuilt(self) -> list[ComplaintRow]:
        with self.store.read() as s:
            return [ComplaintRow(*r) for r in s.execute(PAGE, {"office": self.office, "limit": 100})]

    def count_prebuilt(self) -> int:
        with self.store.read() as s:
            return int(s.execute(COUNT, {"office": self.office, "statuses": [Status.DIDISPOSISIKAN]}).scalar_one())

    def page_held(self) -> list[ComplaintRow]:
        with self.held.begin():
            return [ComplaintRow(*r) for r in self.held.execute(PAGE, {"office": self.office, "limit": 100})]

    def count_held(self) -> int:
        with self.held.begin():
            return int(self.held.execute(COUNT, {"office": self.office, "statuses": [Status.DIDISPOSISIKAN]})
                       .scalar_one())

    def _driver(self, fn: Callable[[sqlite3.Cursor], Any]) -> Any:
        cur = self.driver.cursor()
        cur.execute("BEGIN")
        try:
            return fn(cur)
        finally:
            cur.execute("ROLLBACK")
            cur.close()

    def page_driver(self) -> list[ComplaintRow]:
        def rows(cur: sqlite3.Cursor) -> list[ComplaintRow]:
            cur.execute(self.page_sql, self.page_params)
            return [ComplaintRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], _utc(r[7]), _utc(r[8]), r[9])
                    for r in cur.fetchall()]
        return list(self._driver(rows))

    def count_driver(self) -> int:
        return int(self._driver(lambda cur: cur.execute(self.count_sql, self.count_params).fetchone()[0]))


_SEQ = text("UPDATE store_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'tracking_seq' RETURNING value")


def core_intake(ctx: ServiceContext, actor_id: str, inp: IntakeInput, *, device: int, device_label: str) -> str:
    """The rows app.services.intake writes (reporter, complaint, RECEIVED event, search document, audit record,
    tracking sequence), checked the same way, written with Core statements in one transaction."""
    now = ctx.clock()
    users, offices = User.__table__.c, Office.__table__.c
    with ctx.store.transaction() as session:
        conn = session.connection()
        role, office_id, active = conn.execute(
            select(users.role, users.office_id, users.active).where(users.id == actor_id)).one()
        if not active or role not in INTAKE_ROLES:
            raise PermissionError(actor_id)
        region, tz = conn.execute(select(offices.region_code, offices.tz).where(offices.id == office_id)).one()
        data = validate_intake(inp, today=now.astimezone(zone(tz)).date())
        if data.category_id is not None and conn.execute(
                select(Category.__table__.c.id).where(Category.__table__.c.id == data.category_id)).scalar() is None:
            raise ValueError(data.category_id)
        code = tracking.make_code(regency_code4(region), device, int(conn.execute(_SEQ).scalar_one()))
        r = data.reporter
        assert r is not None
        reporter_id, complaint_id = new_id(), new_id()
        conn.execute(insert(Reporter.__table__), {
            "id": reporter_id, "name": r.name, "nik": r.nik, "phone": r.phone, "email": r.email,
            "address": r.address, "assistance_needs": r.assistance_needs, "consent_at": now})
        policy, calendar = ctx.rules(session)
        d = compute_deadlines(DeadlineFacts(Status.BELUM_TERVERIFIKASI, data.classification, data.is_supervisory,
                                            now), policy, calendar, tz)
        conn.execute(insert(Complaint.__table__), {
            "id": complaint_id, "office_id": office_id, "tracking_code": code, "national_tracking_id": None,
            "classification": data.classification, "category_id": data.category_id, "title": data.title,
            "description": data.description, "incident_date": data.incident_date, "region_code": data.region_code,
            "address": data.address, "latitude": data.latitude, "longitude": data.longitude, "channel": data.channel,
            "is_anonymous": data.is_anonymous, "is_confidential": data.is_confidential,
            "is_supervisory": data.is_supervisory, "reporter_id": reporter_id, "unit_id": None,
            "status": Status.BELUM_TERVERIFIKASI, "archive_reason": None, "received_at": now, "disposed_at": None,
            "followed_up_at": None, "postponed_at": None, "closed_at": None, "updated_at": now,
            "created_by": actor_id, "step_due_at": d.step_due_at, "step_due_kind": d.step_due_kind,
            "resolution_due_at": d.resolution_due_at, "next_due_at": d.next_due_at, "next_due_kind": d.next_due_kind,
            "server_version": 0, "local_rev": 1})
        conn.execute(insert(TimelineEvent.__table__), {
            "id": new_id(), "complaint_id": complaint_id, "kind": EventKind.RECEIVED, "at": now,
            "actor_user_id": actor_id, "from_status": None, "to_status": Status.BELUM_TERVERIFIKASI, "text": None,
            "data_json": dumps({"channel": data.channel})})
        docid = conn.exec_driver_sql("INSERT INTO complaint_search_docs (complaint_id) VALUES (?)",
                                     (complaint_id,)).lastrowid
        name = r.name or ""
        conn.exec_driver_sql(
            "INSERT INTO complaint_fts (rowid, tracking_code, title, description, reporter_name,"
            " anon_reporter_name, follow_up_text) VALUES (?, ?, ?, ?, ?, ?, '')",
            (docid, code.replace("-", ""), data.title, data.description, "" if data.is_anonymous else name,
             name if data.is_anonymous else ""))
        audit = AuditRecord.__table__.c
        prev = conn.execute(select(audit.hash).order_by(audit.id.desc()).limit(1)).scalar() or GENESIS
        record = AuditRecord(at=now, user_id=actor_id, device=device_label, action="complaint.intake",
                             entity_type="complaint", entity_id=complaint_id, prev_hash=prev,
                             details_json=json.dumps({"channel": data.channel, "tracking_code": code},
                                                     sort_keys=True, separators=(",", ":"), ensure_ascii=False))
        conn.execute(insert(AuditRecord.__table__), {
            "at": now, "user_id": actor_id, "device": device_label, "action": record.action,
            "entity_type": "complaint", "entity_id": complaint_id, "details_json": record.details_json,
            "prev_hash": prev, "hash": record_hash(prev, record)})
    return complaint_id
