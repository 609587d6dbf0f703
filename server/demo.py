"""``lapor-server admin demo``: the six SP4N-LAPOR! pilot offices with their units and accounts and the last months of
their work, so a demo PC enrolled to one of them finds a working office on the day it is started; and the demo feed,
new online complaints arriving while the demo server runs.

The history is made by the desktop demo's generator (demo.history and demo.timeline): complaints received through
every channel, each with a timeline that the workflow rules allow, timed against the SLA policy and the holiday
calendar the server distributes, so that on the start day most open complaints are on time, some are due soon and a
few are overdue, and every status is found with its history. It is written in bulk in one transaction, with the
change-log rows a PC's pull reads. Complaints filed online carry national tracking codes; those received at the
counter carry codes of the office's first PC (device 1; the demo PC enrols as the next one).

The feed (:class:`DemoFeed`, turned on by ``admin demo --feed``) files a new online complaint for one of the offices
at random moments, about one every :data:`FEED_EVERY` seconds, through the national intake (server.national), so
they reach the PCs through the real sync. Offices, units, user names and the offices' synthetic contacts are those of
the desktop demo, so a PC enrolled to, say, Sleman finds ``admin.sleman`` with the same demo password. All people and
texts are synthetic.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from app.domain import Channel, Role
from app.inputs import IntakeInput, ReporterInput
from app.reference.regions import iter_regions, regency_code4
from app.rules import tracking
from app.rules.sla import load_calendar, load_policy
from app.security import hash_password
from app.timeutil import as_utc, utcnow
from demo import history
from demo.content import CLASSIFICATIONS, category_tables, compose, place_values
from demo.offices import CONTACTS, HOME_SPEC, SPECS, DemoOffice, DemoUnit, OfficeSpec, Place
from demo.people import home_address, make_person, person_name
from demo.rand import DemoRandom
from demo.staff import OfficeStaff
from demo.timeline import TimelineWriter
from server import admin, changelog, kpi_national, national
from server.db import Database
from server.models import (
    Category,
    ChangeLogEntry,
    Complaint,
    Holiday,
    Office,
    Reporter,
    ServerMeta,
    SlaPolicyRecord,
    TimelineEvent,
    Unit,
    User,
)
from server.state import NATIONAL_SEQ_KEY, meta_row

log = logging.getLogger("lapor.server.demo")

DEMO_PASSWORD = "Demo12345"


@dataclass
class _OfficeShim:
    """What demo.content.place_values needs to know of an office."""

    is_province: bool


@dataclass
class ServerDemoReport:
    offices: int = 0
    users: int = 0
    complaints: int = 0
    events: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (f"Demo server: {self.offices} instansi, {self.users} pengguna, {self.complaints} laporan dengan "
                f"{self.events} peristiwa dalam {self.seconds:.1f} detik. Kata sandi semua pengguna demo: "
                f"{DEMO_PASSWORD}")


def places_of(region_code: str, limit: int = 400) -> list[Place]:
    """Villages under a region (from the bundled region list), with their district and regency names."""
    names: dict[str, str] = {}
    places: list[Place] = []
    prefix = region_code + "."
    for row in iter_regions():
        if not row.code.startswith(prefix):
            continue
        if row.level < 4:
            names[row.code] = row.name
            continue
        district = names.get(row.parent_code or "", "")
        regency = names.get(row.code[:5], "")
        kind = "Kelurahan" if row.code.split(".")[-1].startswith("1") else "Desa"
        places.append(Place(row.code, f"{kind} {row.name}", row.name, district, regency))
        if len(places) >= limit:
            break
    return places


def citizen_complaint(rng: DemoRandom, spec: OfficeSpec, places: list[Place], categories: list[str],
                      now: datetime) -> dict[str, Any]:
    """The JSON body of one realistic online complaint (for the national API)."""
    place = rng.pick(places)
    category = rng.pick(categories)
    classification = CLASSIFICATIONS.pick(rng)
    values = place_values(rng, _OfficeShim(is_province="." not in spec.region_code), place, now.year)  # type: ignore[arg-type]
    title, description = compose(rng, category, classification, values)
    anonymous = rng.chance(0.12)
    body: dict[str, Any] = {
        "classification": classification, "title": title, "description": description, "category_id": category,
        "region_code": place.code.rsplit(".", 1)[0], "address": values["jalan"], "is_anonymous": anonymous,
        "incident_date": (now - timedelta(days=rng.between(0, 30))).date().isoformat(),
    }
    if not anonymous:
        person = make_person(rng, spec.culture, [place.code.rsplit(".", 1)[0].replace(".", "")])
        body["reporter"] = {"name": person.name, "phone": person.phone, "email": person.email,
                            "address": home_address(rng, place.village, place.district), "consent_given": True}
    return body


HISTORY = timedelta(days=180)  # the months of work the demo server starts with
GOALS_PER_STATUS = 3  # complaints of Sleman made to end in each status, recently and on time (demo.history)
COUNTER_DEVICE = 1  # the office's own counter PC, whose codes the walk-in complaints of the history carry
_ROLE_ACCOUNTS = (("admin", Role.ADMIN_INSTANSI), ("loket", Role.PETUGAS_LOKET), ("pimpinan", Role.PIMPINAN),
                  ("it", Role.IT_ADMIN))


def seed_server_demo(db: Database, *, complaints: int = 300, seed: int = 1, now: datetime | None = None,
                     feed: bool = False) -> ServerDemoReport:
    """The six pilot offices (made when missing) and ``complaints`` more complaints of their last months, ending
    at ``now``. ``feed``: the demo feed runs whenever this database is served (:func:`start_feed`)."""
    started = time.perf_counter()
    rng = DemoRandom(seed)
    now = as_utc(now or utcnow())
    report = ServerDemoReport()
    password_hash = hash_password(DEMO_PASSWORD)  # one Argon2 hash shared by every demo account (hashing is slow)
    with db.transaction() as session:
        if session.execute(select(Category.id).limit(1)).first() is None:
            admin.import_reference(session, categories_json=None, policy_json=None,
                                   holiday_years=range(now.year - 1, now.year + 2))
    with db.transaction() as session:
        offices, staff = _ensure_offices(session, rng, now, password_hash, report)
    with db.transaction() as session:
        existing = session.execute(text("SELECT count(*) FROM complaints")).scalar() or 0
        id_rng = DemoRandom(f"lapor-server-demo-ids/{seed}/{existing}")
        report.complaints, report.events = _write_history(session, offices, staff, complaints, rng, id_rng, now)
        if feed:
            meta_row(session, FEED_KEY, "").value = json.dumps({"seed": seed, "every": FEED_EVERY})
    report.seconds = time.perf_counter() - started
    return report


def _ensure_offices(session: Session, rng: DemoRandom, now: datetime, password_hash: str,
                    report: ServerDemoReport) -> tuple[list[DemoOffice], dict[str, OfficeStaff]]:
    """The pilot offices with their units and accounts (made when missing), described for the generator."""
    offices: list[DemoOffice] = []
    staff: dict[str, OfficeStaff] = {}
    for spec in SPECS:
        office = session.execute(select(Office).where(Office.region_code == spec.region_code)).scalar()
        if office is None:
            office = admin.create_office(session, region_code=spec.region_code, name=spec.name, tz=spec.tz)
            admin.set_office_contact(session, office, values=CONTACTS[spec.region_code])
            report.offices += 1
            for prefix, role in _ROLE_ACCOUNTS:
                admin.create_user(session, office=office, username=f"{prefix}.{spec.slug}",
                                  full_name=person_name(rng, spec.culture, rng.chance(0.5)), role=role, password="",
                                  unit=None, now=now, password_hash=password_hash)
                report.users += 1
            for unit_spec in spec.units:
                unit = admin.create_unit(session, office, unit_spec.name, now)
                admin.create_user(session, office=office, username=f"penghubung.{unit_spec.key}.{spec.slug}",
                                  full_name=person_name(rng, spec.culture, rng.chance(0.5)), role=Role.PENGHUBUNG,
                                  password="", unit=unit, now=now, password_hash=password_hash)
                report.users += 1
        # The history's walk-in complaints carry codes of the office's counter PC: PCs enrolled later come after it.
        office.next_device_no = max(office.next_device_no, COUNTER_DEVICE + 1)
        offices.append(_described(session, office, spec))
        staff[office.id] = _staff_of(session, office.id)
    return offices, staff


def _described(session: Session, office: Office, spec: OfficeSpec) -> DemoOffice:
    by_name = {u.name: u for u in spec.units}
    units = []
    for unit_id, name in session.execute(select(Unit.id, Unit.name).where(Unit.office_id == office.id,
                                                                           Unit.active.is_(True)).order_by(Unit.name)):
        unit_spec = by_name.get(name)
        units.append(DemoUnit(unit_id, name, unit_spec.key if unit_spec else "unit",
                              unit_spec.categories if unit_spec else frozenset()))
    places = places_of(spec.region_code)
    return DemoOffice(id=office.id, name=office.name, region_code=spec.region_code, tz=office.tz, slug=spec.slug,
                      share=spec.share, culture=spec.culture, center=spec.center, is_home=spec is HOME_SPEC,
                      region4=regency_code4(spec.region_code), device=COUNTER_DEVICE, units=units, places=places,
                      district_codes=sorted({p.code.rsplit(".", 1)[0].replace(".", "") for p in places}),
                      is_province="." not in spec.region_code)


def _staff_of(session: Session, office_id: str) -> OfficeStaff:
    team = OfficeStaff()
    for user_id, username, role, unit_id in session.execute(
            select(User.id, User.username, User.role, User.unit_id).where(User.office_id == office_id,
                                                                          User.active.is_(True))):
        if role == Role.PENGHUBUNG and unit_id is not None:
            team.liaisons[unit_id] = user_id
        elif role != Role.PENGHUBUNG:
            setattr(team, username.split(".", 1)[0], user_id)
    return team


def _write_history(session: Session, offices: list[DemoOffice], staff: dict[str, OfficeStaff], count: int,
                   rng: DemoRandom, id_rng: DemoRandom, now: datetime) -> tuple[int, int]:
    """``count`` complaints of the offices' last months with their timelines and change-log rows; returns
    (complaints, events) written."""
    if count <= 0:
        return 0, 0
    policy = load_policy(session, now.date(), table=SlaPolicyRecord)
    calendar = load_calendar(session, table=Holiday)
    writers = {o.id: TimelineWriter(rng, id_rng, tz=o.tz, staff=staff[o.id],
                                    unit_names={u.id: u.name for u in o.units}, policy=policy, calendar=calendar,
                                    now=now) for o in offices}
    available = set(session.execute(select(Category.id).where(Category.parent_id.is_not(None))).scalars())
    categories, season = category_tables(available)
    maker = history.ComplaintMaker(rng, id_rng, writers, staff, categories, season, available.__contains__)
    planned = history.plan(rng, offices, writers, count, now, HISTORY, GOALS_PER_STATUS if count >= 200 else 1)
    codes = _CodeBook(session)
    reporters: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    xid = changelog.current_xid(session)
    for p in planned:
        made = maker.make(p)
        if made.reporter is not None:
            reporters.append(made.reporter)
        c = made.complaint
        code = codes.next(c["region_code"] if p.channel == Channel.LAPOR_ONLINE else None, p.office)
        rows.append({**c, "tracking_code": code, "version": len(made.events), "field_versions": "{}",
                     "created_by_client": None})
        events.extend(made.events)
        # The complaint before its events, as server.national.route logs a complaint an office receives.
        changes.append(_change(xid, p.office.id, "complaint", c["id"], len(made.events), now))
        changes.extend(_change(xid, p.office.id, "event", e["id"], 1, now) for e in made.events)
        kpi_national.touch(session, c["id"])
    codes.save()
    for model, values in ((Reporter, reporters), (Complaint, rows), (TimelineEvent, events),
                          (ChangeLogEntry, changes)):
        for start in range(0, len(values), 2_000):
            session.execute(insert(model), values[start:start + 2_000])
    return len(rows), len(events)


def _change(xid: int, office_id: str, entity_type: str, entity_id: str, version: int,
            now: datetime) -> dict[str, Any]:
    return {"xid": xid, "office_id": office_id, "entity_type": entity_type, "entity_id": entity_id, "op": "upsert",
            "version": version, "created_at": now, "origin_client_id": None, "exact": False}


class _CodeBook:
    """Tracking codes for the history: national ones for online complaints (the server's own counter, as
    server.national gives them), the office counter PC's for the rest (after any it already has)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.national = meta_row(session, NATIONAL_SEQ_KEY, "0", for_update=True)
        self.national_seq = int(self.national.value)
        self.taken = set(session.execute(select(Complaint.tracking_code)).scalars())
        self.counter: dict[str, int] = {}

    def next(self, online_region: str | None, office: DemoOffice) -> str:
        if online_region is not None:
            while True:
                self.national_seq += 1
                code = tracking.make_code(regency_code4(online_region), tracking.NATIONAL_DEVICE, self.national_seq)
                if code not in self.taken:
                    return code
        while True:
            seq = self.counter[office.id] = self.counter.get(office.id, 0) + 1
            code = tracking.make_code(office.region4, office.device, seq)
            if code not in self.taken:
                return code

    def save(self) -> None:
        self.national.value = str(self.national_seq)


def to_intake(body: dict[str, Any]) -> IntakeInput:
    from datetime import date

    rep = body.get("reporter")
    return IntakeInput(
        classification=body["classification"], channel="LAPOR_ONLINE", title=body["title"],
        description=body["description"], category_id=body.get("category_id"),
        incident_date=date.fromisoformat(body["incident_date"]) if body.get("incident_date") else None,
        region_code=body.get("region_code"), address=body.get("address"), is_anonymous=body.get("is_anonymous", False),
        reporter=ReporterInput(**rep) if rep else None,
    )


# --- the demo feed ----------------------------------------------------------------------------------------------

FEED_KEY = "demo_feed"  # server_meta: the feed's seed and pace (JSON); absent on any server not made a demo with --feed
FEED_EVERY = 30.0  # mean seconds between two online complaints, all six offices together (Sleman: one in ~75 s)
FEED_ENV = "LAPOR_DEMO_FEED_SECONDS"  # overrides the mean gap of a served demo; "0" turns the feed off
FEED_BATCH = 20  # at most this many complaints per catch-up: a clock that jumped (a PC woken up) is no flood
FEED_POLL = 10.0  # the feed thread looks again after at most this many seconds


class DemoFeed:
    """New online complaints for the pilot offices at random moments (gaps drawn around ``every`` seconds),
    filed through the national intake (server.national.create_online_complaint, routed at once), so that they
    reach the PCs through the real sync. Driven by the time it is given: :meth:`catch_up` files every complaint
    due by then, each dated when it was due. The same seed and start give the same complaints at the same times."""

    def __init__(self, db: Database, *, seed: int = 1, every: float = FEED_EVERY, start: datetime | None = None
                 ) -> None:
        if every <= 0:
            raise ValueError("every must be positive")
        self.db, self.every = db, every
        start = as_utc(start or utcnow())
        self.rng = DemoRandom(f"lapor-demo-feed/{seed}/{start.isoformat()}")
        with db.transaction() as session:
            by_region = dict(session.execute(select(Office.region_code, Office.id)).all())
            self.categories = sorted(session.execute(select(Category.id).where(Category.parent_id.is_not(None)))
                                     .scalars())
        self.offices = [(spec, by_region[spec.region_code]) for spec in SPECS if spec.region_code in by_region]
        if not self.offices or not self.categories:
            raise ValueError("no pilot office on this server: run 'lapor-server admin demo' first")
        self.places = {spec.region_code: places_of(spec.region_code) for spec, _ in self.offices}
        self.total_share = sum(spec.share for spec, _ in self.offices)
        self.next_at = start + self._gap()
        self.filed = 0

    def _gap(self) -> timedelta:
        """Exponential gaps (arrivals at random), kept between a quarter and three times the mean."""
        return timedelta(seconds=min(3 * self.every, max(self.every / 4, self.rng.expovariate(1 / self.every))))

    def _office(self) -> tuple[OfficeSpec, str]:
        pick, acc = self.rng.random() * self.total_share, 0.0
        for spec, office_id in self.offices:
            acc += spec.share
            if pick < acc:
                return spec, office_id
        return self.offices[-1]

    def catch_up(self, now: datetime) -> list[str]:
        """File every complaint due by ``now`` (at most FEED_BATCH; later ones move up to ``now``); returns their
        ids."""
        now = as_utc(now)
        filed: list[str] = []
        while self.next_at <= now and len(filed) < FEED_BATCH:
            at = self.next_at
            spec, office_id = self._office()
            body = citizen_complaint(self.rng, spec, self.places[spec.region_code], self.categories, at)
            with self.db.transaction() as session:
                filed.append(national.create_online_complaint(session, to_intake(body), at, office_id=office_id).id)
            self.filed += 1
            self.next_at = at + self._gap()
        if self.next_at <= now:  # the rest of a jump: go on from now, not with a burst of old ones
            self.next_at = now + self._gap()
        return filed

    def seconds_to_next(self, now: datetime) -> float:
        return max(0.0, (self.next_at - as_utc(now)).total_seconds())


def feed_settings(db: Database) -> tuple[int, float] | None:
    """(seed, mean gap) of this database's demo feed; None when it has none or it is turned off (FEED_ENV)."""
    with db.transaction() as session:
        row = session.get(ServerMeta, FEED_KEY)
        raw = row.value if row is not None else ""
    if not raw:
        return None
    try:
        stored = json.loads(raw)
        seed, every = int(stored["seed"]), float(stored["every"])
        every = float(os.environ.get(FEED_ENV, every))
    except (ValueError, KeyError, TypeError):
        log.warning("demo feed settings not understood; no feed")
        return None
    return (seed, every) if every > 0 else None


class FeedRunner:
    """The feed filing in a background thread while the server runs (:func:`start_feed`)."""

    def __init__(self, feed: DemoFeed, clock: Callable[[], datetime]) -> None:
        self.feed, self._clock = feed, clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lapor-demo-feed", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                filed = self.feed.catch_up(self._clock())
                if filed:
                    log.info("demo feed: %d new online complaint(s)", len(filed))
            except Exception:  # noqa: BLE001 - the feed must never take the server down
                log.warning("demo feed: filing failed, trying again later", exc_info=True)
            self._stop.wait(min(FEED_POLL, max(0.5, self.feed.seconds_to_next(self._clock()))))

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)


def start_feed(db: Database, *, clock: Callable[[], datetime] = utcnow) -> FeedRunner | None:
    """On a demo database made with a feed, file its complaints in a background thread while the server runs
    (None: no feed here). Errors are logged and tried again later (a busy database, say), never raised into the
    server."""
    settings = feed_settings(db)
    if settings is None:
        db.dispose()
        return None
    runner = FeedRunner(DemoFeed(db, seed=settings[0], every=settings[1], start=clock()), clock)
    log.info("demo feed on: an online complaint about every %.0f s", settings[1])
    return runner
