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
import math
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from time import perf_counter
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.domain import Channel, Classification, Status
from app.models import Category, Complaint, Reporter, TimelineEvent
from app.rules.sla import load_calendar, load_policy
from app.rules.tracking import make_code
from app.security import hash_password
from app.store import meta
from app.store.audit import append_audit
from app.store.db import Store
from app.timeutil import as_utc, utcnow
from demo import DEMO_PASSWORD
from demo.bulk import bulk_insert
from demo.content import (
    CLASSIFICATIONS,
    PPDB_MONTHS,
    SENSITIVE,
    category_tables,
    compose,
    place_values,
    unit_for_categories,
)
from demo.offices import DemoOffice, complete_offices, prepare_offices
from demo.people import home_address, make_person
from demo.rand import DemoRandom, Weighted
from demo.staff import ensure_staff
from demo.timeline import State, TimelineWriter

CHUNK = 5_000
HISTORY = timedelta(days=730)
GROWTH = 1.6  # use of the complaint channels grows: the last month sees 1.6 times the first month's volume
GOAL_WINDOW = (timedelta(days=21), timedelta(days=5))  # complaints that must end in a given status come from here
CHANNELS = Weighted([(Channel.WALK_IN, 33), (Channel.LAPOR_ONLINE, 35), (Channel.PHONE, 10),
                     (Channel.SOCIAL_MEDIA, 9), (Channel.EMAIL, 7), (Channel.LETTER, 6)])
COUNTER_CHANNELS = frozenset({Channel.WALK_IN, Channel.PHONE, Channel.LETTER})
ASSISTANCE = ("Pengguna kursi roda", "Tunanetra, mohon dokumen dibacakan", "Lansia, perlu pendampingan",
              "Tunarungu, mohon komunikasi tertulis")


@dataclass(frozen=True)
class DemoReport:
    """What seeding added, how long it took, and the password of every demo account."""

    complaints: int
    events: int
    users: int
    seconds: float
    password: str


@dataclass
class _Planned:
    office: DemoOffice
    channel: Channel
    received_at: datetime
    seq: int = 0
    goal: Status | None = None


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
        plan = _plan(rng, offices, writers, count, now)
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


def _plan(rng: DemoRandom, offices: list[DemoOffice], writers: dict[str, TimelineWriter], count: int,
          now: datetime) -> list[_Planned]:
    """Who receives each complaint, through which channel and when; sorted by receipt. Recent months have more
    complaints (see GROWTH); counter channels receive in office hours."""
    table = Weighted([(o, o.share) for o in offices])
    plan: list[_Planned] = []
    for _ in range(count):
        office, channel = table.pick(rng), CHANNELS.pick(rng)
        received = now - HISTORY * (1 - _growing(rng.random()))
        if channel in COUNTER_CHANNELS:
            w = writers[office.id]
            day = w.local_day(received)
            while not w.calendar.is_working_day(day):
                day -= timedelta(days=1)
            at = w.office_moment(day)
            received = at if at <= now else received
        plan.append(_Planned(office, channel, received))
    plan.sort(key=lambda p: p.received_at)
    low, high = now - GOAL_WINDOW[0], now - GOAL_WINDOW[1]
    candidates = [p for p in plan if low <= p.received_at <= high]
    if len(candidates) < len(Status):
        candidates = [p for p in plan if p.received_at <= now - timedelta(hours=2)][-len(Status):]
    for planned, goal in zip(rng.sample(candidates, min(len(Status), len(candidates))), Status, strict=False):
        planned.goal = goal
    return plan


def _growing(u: float) -> float:
    """Map a uniform ``u`` in [0, 1) to a position in the history whose density grows linearly, so that the
    newest month has GROWTH times more complaints than the oldest (inverse of the linear CDF)."""
    b = GROWTH - 1
    return (math.sqrt(1 + b * u * (2 + b)) - 1) / b


def _assign_codes(session: Session, plan: list[_Planned], offices: list[DemoOffice]) -> dict[str, int]:
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
    """Turns planned complaints into reporter, complaint and timeline rows and inserts them."""

    def __init__(self, rng: DemoRandom, id_rng: DemoRandom, session: Session,
                 writers: dict[str, TimelineWriter], staff: dict[str, Any]) -> None:
        self.rng, self.id_rng, self.session, self.writers, self.staff = rng, id_rng, session, writers, staff
        available = set(session.execute(select(Category.id).where(Category.active.is_(True))).scalars())
        self.categories, self.season = category_tables(available)
        self.has_category = available.__contains__
        self.unit_maps: dict[str, dict[str, str]] = {}

    def write_chunk(self, chunk: list[_Planned]) -> int:
        reporters: list[dict[str, Any]] = []
        complaints: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for planned in chunk:
            self._one(planned, reporters, complaints, events)
        bulk_insert(self.session, Reporter, reporters)
        bulk_insert(self.session, Complaint, complaints)
        bulk_insert(self.session, TimelineEvent, events)
        return len(events)

    def _one(self, p: _Planned, reporters: list[dict[str, Any]], complaints: list[dict[str, Any]],
             events: list[dict[str, Any]]) -> None:
        rng, office, writer = self.rng, p.office, self.writers[p.office.id]
        local_day = writer.local_day(p.received_at)
        category = (self.season if local_day.month in PPDB_MONTHS else self.categories).pick(rng)
        classification = CLASSIFICATIONS.pick(rng)
        place = rng.pick(office.places)
        values = place_values(rng, office, place, local_day.year)
        title, description = compose(rng, category, classification, values)
        anonymous = rng.chance(0.10)
        reporter_id = self._reporter(p, anonymous, place.village, place.district, reporters)
        units = self.unit_maps.get(office.id) or self.unit_maps.setdefault(office.id, unit_for_categories(office))
        complaint_id = self.id_rng.uuid7_at(p.received_at)
        state = State(complaint_id, p.received_at, classification,
                      classification != Classification.PERMINTAAN_INFORMASI
                      and rng.chance(0.25 if category == "pelayanan_publik.pungli" else 0.045),
                      category, units.get(category) or office.units[0].id, place.village, place.district)
        team = self.staff[office.id]
        counter_p = 0.85 if p.channel in COUNTER_CHANNELS else 0.3
        writer.write(state, team.loket if rng.chance(counter_p) else team.admin, p.channel.value, p.goal)
        has_coords = p.channel == Channel.LAPOR_ONLINE and rng.chance(0.3)
        complaints.append({
            "id": complaint_id, "office_id": office.id,
            "tracking_code": make_code(office.region4, office.device, p.seq), "national_tracking_id": None,
            "classification": classification.value, "category_id": category if self.has_category(category) else None,
            "title": title, "description": description,
            "incident_date": local_day - timedelta(days=rng.between(0, 30)) if rng.chance(0.6) else None,
            "region_code": place.code if rng.chance(0.85) else place.code.rsplit(".", 1)[0],
            "address": f"{values['jalan']}, {place.village}, Kecamatan {place.district}" if rng.chance(0.7) else None,
            "latitude": round(office.center[0] + rng.uniform(-0.08, 0.08), 6) if has_coords else None,
            "longitude": round(office.center[1] + rng.uniform(-0.08, 0.08), 6) if has_coords else None,
            "channel": p.channel.value, "is_anonymous": anonymous,
            "is_confidential": rng.chance(0.30 if category in SENSITIVE else 0.02),
            "is_supervisory": state.is_supervisory, "reporter_id": reporter_id, "unit_id": state.unit_id,
            "status": state.status.value, "archive_reason": state.archive_reason, "received_at": p.received_at,
            "disposed_at": state.disposed_at, "followed_up_at": state.followed_up_at,
            "postponed_at": state.postponed_at, "closed_at": state.closed_at, "updated_at": state.events[-1]["at"],
            "created_by": state.events[0]["actor_user_id"], **writer.deadlines(state),
            "server_version": 0, "local_rev": len(state.events),
        })
        events.extend(state.events)

    def _reporter(self, p: _Planned, anonymous: bool, village: str, district: str,
                  rows: list[dict[str, Any]]) -> str | None:
        """A reporter with the contact details the channel needs; most anonymous reports name nobody."""
        rng = self.rng
        if anonymous and rng.chance(0.6):
            return None
        person = make_person(rng, p.office.culture, p.office.district_codes)
        ch = p.channel
        phone = rng.chance({Channel.PHONE: 1.0, Channel.WALK_IN: 0.9, Channel.SOCIAL_MEDIA: 0.7,
                             Channel.LAPOR_ONLINE: 0.6, Channel.LETTER: 0.5}.get(ch, 0.4))
        email = ch == Channel.EMAIL or (ch in (Channel.LAPOR_ONLINE, Channel.SOCIAL_MEDIA) and not phone)
        email = email or rng.chance(0.7 if ch == Channel.LAPOR_ONLINE else 0.15)
        address = ch == Channel.LETTER or (ch == Channel.WALK_IN and not (phone or email)) or rng.chance(0.4)
        nik = rng.chance({Channel.WALK_IN: 0.7, Channel.LETTER: 0.5}.get(ch, 0.35))
        reporter_id = self.id_rng.uuid7_at(p.received_at)
        rows.append({
            "id": reporter_id, "name": person.name, "nik": person.nik if nik else None,
            "phone": person.phone if phone else None, "email": person.email if email else None,
            "address": home_address(rng, village, district) if address else None,
            "assistance_needs": rng.pick(ASSISTANCE) if rng.chance(0.02) else None,
            "consent_at": p.received_at,
        })
        return reporter_id


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
