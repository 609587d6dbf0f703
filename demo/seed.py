"""seed_demo: fill a store with synthetic offices, accounts and two years of complaints with their timelines.

Speed matters (100,000 complaints are seeded for the benchmarks, and ``make run`` seeds on first start), so rows
are generated in Python and written in chunks of 5,000 by demo.bulk, all in ONE write transaction: a crash
leaves the complaints untouched (offices made by create_office in their own small transactions are reused by
region code on the next run). The search index is filled afterwards in SQL, as migration 0002 does, and ONE
audit record ("demo.seed") stands for the whole seeding. The same seed on an empty store gives the same data:
every random choice, and every id, comes from ``DemoRandom`` seeded with it.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from time import perf_counter
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models import Category, Complaint, Reporter, TimelineEvent
from app.rules.sla import load_calendar, load_policy
from app.rules.tracking import make_code
from app.security import hash_password
from app.store import meta
from app.store.audit import append_audit
from app.store.db import Store
from app.timeutil import as_utc, utcnow
from demo import DEMO_PASSWORD, history
from demo.bulk import bulk_insert
from demo.content import category_tables
from demo.history import CHANNELS, COUNTER_CHANNELS
from demo.offices import DemoOffice, complete_offices, prepare_offices
from demo.rand import DemoRandom
from demo.staff import OfficeStaff, ensure_staff
from demo.timeline import TimelineWriter

__all__ = ["CHANNELS", "COUNTER_CHANNELS", "DemoReport", "seed_demo"]  # the channels: bench.sync_seed reads them

CHUNK = 5_000
HISTORY = timedelta(days=730)
GOALS_PER_STATUS = 2  # complaints of the home office made to end in each status, recently (demo.history)


@dataclass(frozen=True)
class DemoReport:
    """What seeding added, how long it took, and the password of every demo account."""

    complaints: int
    events: int
    users: int
    seconds: float
    password: str


def seed_demo(store: Store, *, count: int, seed: int = 1, now: datetime | None = None) -> DemoReport:
    """Add ``count`` synthetic complaints (with offices and demo accounts when missing) ending at ``now``."""
    if count < 0:
        raise ValueError("count must not be negative")
    started = perf_counter()
    now = as_utc(now or utcnow())
    with store.read() as session:
        existing = session.execute(select(func.count()).select_from(Complaint)).scalar() or 0
    rng = DemoRandom(seed)
    # Ids get their own stream, which also depends on what the store holds, so that seeding twice with the same
    # seed adds new rows instead of colliding with the first run's ids.
    id_rng = DemoRandom(f"lapor-desk-demo-ids/{seed}/{existing}")
    offices = prepare_offices(store, id_rng, now)
    password_hash = hash_password(DEMO_PASSWORD)  # once for all accounts: see demo.staff
    with store.transaction() as session:
        complete_offices(session, offices, id_rng, now)
        staff, users_added = ensure_staff(session, offices, DEMO_PASSWORD, password_hash, rng, id_rng, now)
        policy, calendar = load_policy(session, now.date()), load_calendar(session)
        writers = {o.id: TimelineWriter(rng, id_rng, tz=o.tz, staff=staff[o.id],
                                        unit_names={u.id: u.name for u in o.units}, policy=policy,
                                        calendar=calendar, now=now) for o in offices}
        plan = history.plan(rng, offices, writers, count, now, HISTORY, GOALS_PER_STATUS if count >= 200 else 1)
        last_seq = _assign_codes(session, plan, offices)
        factory = _Factory(rng, id_rng, session, writers, staff)
        events = 0
        for start in range(0, len(plan), CHUNK):
            events += factory.write_chunk(plan[start:start + CHUNK])
        for office in offices:
            if office.is_home and office.id in last_seq:
                current = int(meta.get(session, meta.TRACKING_SEQ, "0") or 0)
                meta.put(session, meta.TRACKING_SEQ, str(max(current, last_seq[office.id])))
        _index_new_complaints(session)
        meta.put(session, meta.DEMO, json.dumps({"seed": seed, "complaints": existing + count,
                                                 "until": now.isoformat(timespec="seconds")}))
        append_audit(session, at=utcnow(), user_id=None,
                     device=meta.get(session, meta.DEVICE_LABEL) or socket.gethostname(), action="demo.seed",
                     entity_type="store", entity_id=None,
                     details={"seed": seed, "complaints": count, "events": events, "users": users_added,
                              "offices": [o.region_code for o in offices]})
    return DemoReport(count, events, users_added, perf_counter() - started, DEMO_PASSWORD)


def _assign_codes(session: Session, plan: list[history.Planned], offices: list[DemoOffice]) -> dict[str, int]:
    """Give each complaint the next sequence number of its office's device; returns the last one per office."""
    seq: dict[str, int] = {}
    for office in offices:
        prefix = f"{office.region4}-{office.device:03d}-%"
        used = session.execute(
            text("SELECT max(CAST(substr(tracking_code, 10, length(tracking_code) - 11) AS INTEGER))"
                 " FROM complaints WHERE tracking_code LIKE :p"), {"p": prefix}
        ).scalar()
        seq[office.id] = int(used or 0)
        if office.is_home:
            seq[office.id] = max(seq[office.id], int(meta.get(session, meta.TRACKING_SEQ, "0") or 0))
    for planned in plan:
        seq[planned.office.id] += 1
        planned.seq = seq[planned.office.id]
    return seq


class _Factory:
    """Turns planned complaints into reporter, complaint and timeline rows of this store and inserts them."""

    def __init__(self, rng: DemoRandom, id_rng: DemoRandom, session: Session,
                 writers: dict[str, TimelineWriter], staff: dict[str, OfficeStaff]) -> None:
        available = set(session.execute(select(Category.id).where(Category.active.is_(True))).scalars())
        categories, season = category_tables(available)
        self.session, self.writers = session, writers
        self.maker = history.ComplaintMaker(rng, id_rng, writers, staff, categories, season, available.__contains__)

    def write_chunk(self, chunk: list[history.Planned]) -> int:
        reporters: list[dict[str, Any]] = []
        complaints: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for planned in chunk:
            made = self.maker.make(planned)
            office = planned.office
            if made.reporter is not None:
                reporters.append(made.reporter)
            complaints.append({
                **made.complaint, "tracking_code": make_code(office.region4, office.device, planned.seq),
                "created_by": made.events[0]["actor_user_id"], **self.writers[office.id].deadlines(made.state),
                "server_version": 0, "local_rev": len(made.events),
            })
            events.extend(made.events)
        bulk_insert(self.session, Reporter, reporters)
        bulk_insert(self.session, Complaint, complaints)
        bulk_insert(self.session, TimelineEvent, events)
        return len(events)


def _index_new_complaints(session: Session) -> None:
    """Search documents for every complaint that has none yet, in one pass of SQL (as migration 0002)."""
    before = session.execute(text("SELECT coalesce(max(docid), 0) FROM complaint_search_docs")).scalar() or 0
    session.execute(text(
        "INSERT INTO complaint_search_docs (complaint_id) SELECT c.id FROM complaints c"
        " WHERE NOT EXISTS (SELECT 1 FROM complaint_search_docs d WHERE d.complaint_id = c.id)"
        " ORDER BY c.received_at"))
    session.execute(text(
        """
        INSERT INTO complaint_fts (rowid, tracking_code, title, description, reporter_name,
                                   anon_reporter_name, follow_up_text)
        SELECT d.docid, replace(c.tracking_code, '-', ''), c.title, c.description,
               CASE WHEN c.is_anonymous THEN '' ELSE coalesce(r.name, '') END,
               CASE WHEN c.is_anonymous THEN coalesce(r.name, '') ELSE '' END,
               coalesce((SELECT group_concat(e.text, ' ') FROM timeline_events e
                         WHERE e.complaint_id = c.id AND e.kind = 'FOLLOW_UP'), '')
        FROM complaint_search_docs d
        JOIN complaints c ON c.id = d.complaint_id
        LEFT JOIN reporters r ON r.id = c.reporter_id
        WHERE d.docid > :before
        """), {"before": before})
