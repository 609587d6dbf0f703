"""The national server's comparison figures for bench/national.py: 550 offices and the KPI rows of 2,000,000 made-up
complaints over 24 months, bulk-loaded into PostgreSQL the way ``server.kpi_national.rebuild`` computes them.

Each complaint is a history the workflow allows (replayed through app.rules.workflow, as the KPI tests do): received
(counter channels in office hours on working days), verified after 0–6 working days by disposition or now and then
postponed for clarification, redirected (bukan wewenang) or archived as spam; followed up after 1–10 working days;
the reporter satisfied or not (then dispositioned and followed up again), else closed by the office or automatically
after the response window. Some stall at a step and stay open, as do the recent ones whose next step lies ahead.
Every office has its own pace and its reporters their own mood, so the ranking has something to rank. The facts
(app.kpi.facts.build_facts) are assessed under the server's own rules as read from the database (the bundled SLA
policy, the holidays package's calendar) and summed by ``server.kpi_national.office_rows``, exactly what a rebuild
writes. The complaints themselves are not loaded: the national page reads only these rows.
"""

from __future__ import annotations

import random
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

from app.domain import ArchiveReason, Channel, Classification, EventKind, Status
from app.kpi.assess import KpiRules
from app.kpi.facts import ComplaintFacts, ComplaintRow, build_facts
from app.rules import workflow
from app.rules.sla import response_window_end
from app.timeutil import zone

COUNTER_CHANNELS = (Channel.WALK_IN, Channel.PHONE, Channel.LETTER)
CHANNELS = ((Channel.WALK_IN, 30), (Channel.LAPOR_ONLINE, 30), (Channel.SMS, 12), (Channel.PHONE, 10),
            (Channel.SOCIAL_MEDIA, 8), (Channel.EMAIL, 6), (Channel.LETTER, 4))
CLASSIFICATIONS = ((Classification.PENGADUAN, 80), (Classification.ASPIRASI, 12),
                   (Classification.PERMINTAAN_INFORMASI, 8))
STALLED = 0.085  # stop at some step and stay open (besides the recent ones whose next step lies ahead)
SATISFIED, NOT_SATISFIED = "SATISFIED", "NOT_SATISFIED"
K = EventKind
_ACTION = {K.DISPOSED: ("dispose", Status.DIDISPOSISIKAN), K.POSTPONED: ("postpone", Status.DITUNDA),
           K.RESUMED: ("resume", Status.BELUM_TERVERIFIKASI), K.REDIRECTED: ("redirect", Status.BUKAN_WEWENANG),
           K.ARCHIVED: ("archive", Status.DIARSIPKAN), K.FOLLOW_UP: ("follow_up", Status.DITINDAKLANJUTI),
           K.CLOSED: ("close", Status.SELESAI), K.AUTO_CLOSED: ("close", Status.SELESAI),
           SATISFIED: ("respond", Status.SELESAI), NOT_SATISFIED: ("respond", Status.DIDISPOSISIKAN)}
_TRANSITIONS: dict[tuple[str, str, str], workflow.Transition] = {}


@dataclass(frozen=True)
class OfficeSpec:
    """One office to fill: its complaints' count and its pace (mean working days to verify, to follow up) and how
    often its reporters are satisfied."""

    index: int
    office_id: str
    tz: str
    units: tuple[str, ...]
    complaints: int
    verify_mean: float
    follow_up_mean: float
    satisfied: float


def _weighted(rng: random.Random, table: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def plan_offices(offices: list[tuple[str, str, tuple[str, ...]]], total: int, seed: int) -> list[OfficeSpec]:
    """Split ``total`` complaints over ``offices`` (id, zone, unit ids): sizes spread like regencies' (a few cities
    get ten times a small regency's share), each office with its own pace."""
    rng = random.Random(f"national-plan/{seed}")
    weights = [rng.lognormvariate(0, 0.75) for _ in offices]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    return [OfficeSpec(i, oid, tz, units, n, rng.uniform(0.6, 3.0), rng.uniform(1.2, 5.0), rng.uniform(0.55, 0.92))
            for i, ((oid, tz, units), n) in enumerate(zip(offices, counts, strict=True))]


class _Story:
    """Builds one office's complaint histories under its rules, stopping each at ``now``."""

    def __init__(self, spec: OfficeSpec, rules: KpiRules, categories: list[str], now: datetime, months: int,
                 seed: int) -> None:
        self.spec, self.rules, self.categories, self.now = spec, rules, categories, now
        self.rng = random.Random(f"national/{seed}/{spec.index}")
        self.zone = zone(spec.tz)
        self.start = now - timedelta(days=round(months * 365.25 / 12))
        self.unit_of = {c: spec.units[zlib.crc32(c.encode()) % len(spec.units)] for c in categories}

    def moment(self, day: date, opening: float = 8.0, closing: float = 16.0) -> datetime:
        seconds = self.rng.uniform(opening * 3600, closing * 3600)
        local = datetime.combine(day, time(), self.zone) + timedelta(seconds=seconds)
        return local.astimezone(UTC)

    def received(self, channel: Channel) -> datetime:
        at = self.start + (self.now - self.start) * self.rng.random() ** 0.85  # somewhat more lately
        if channel not in COUNTER_CHANNELS:
            return at
        day = at.astimezone(self.zone).date()
        while not self.rules.calendar.is_working_day(day):
            day -= timedelta(days=1)
        return min(self.moment(day), self.now - timedelta(minutes=1))

    def after(self, at: datetime, working_days: int) -> datetime:
        """In office hours ``working_days`` after ``at`` (later the same day for 0)."""
        if working_days == 0:
            return at + timedelta(minutes=self.rng.uniform(10, 240))
        day = self.rules.calendar.add_working_days(at.astimezone(self.zone).date(), working_days)
        return self.moment(day)

    def delay(self, mean: float, low: int, high: int) -> int:
        return min(high, low + int(self.rng.expovariate(1 / mean)))

    def steps(self, received: datetime, classification: str) -> tuple[list[tuple[str, datetime]], str | None]:
        """The steps after receipt (some may lie ahead of ``now``: cut by the caller) and the archive reason."""
        rng, spec = self.rng, self.spec
        steps: list[tuple[str, datetime]] = []
        at = received
        fate = rng.random()
        if fate < 0.03:
            at = self.after(at, self.delay(0.8, 0, 3))
            return [(K.ARCHIVED, at)], rng.choice((ArchiveReason.SPAM, ArchiveReason.DUPLIKAT))
        if fate < 0.06:
            return [(K.REDIRECTED, self.after(at, self.delay(spec.verify_mean, 0, 6)))], None
        if fate < 0.12:  # sent back to the reporter for clarification
            at = self.after(at, self.delay(1.0, 0, 3))
            steps.append((K.POSTPONED, at))
            if rng.random() < 0.25:
                steps.append((K.ARCHIVED, self.after(at, rng.randint(5, 10))))
                return steps, ArchiveReason.TIDAK_LENGKAP
            at = self.after(at, rng.randint(1, 8))
            steps.append((K.RESUMED, at))
        at = self.after(at, self.delay(spec.verify_mean, 0, 6))
        steps.append((K.DISPOSED, at))
        for _round in range(3):
            at = self.after(at, self.delay(spec.follow_up_mean, 1, 10))
            steps.append((K.FOLLOW_UP, at))
            followed = at
            ending = rng.random()
            if ending < 0.55:  # the reporter answers
                at = self.after(at, rng.randint(0, 5))
                if rng.random() < spec.satisfied or _round == 2:
                    steps.append((SATISFIED, at))
                    break
                steps.append((NOT_SATISFIED, at))
                continue
            if ending < 0.9:
                steps.append((K.CLOSED, self.after(at, rng.randint(1, 5))))
            else:
                end = response_window_end(followed, self.rules.policy, self.rules.calendar, self.spec.tz)
                steps.append((K.AUTO_CLOSED, end + timedelta(minutes=rng.uniform(5, 180))))
            break
        return steps, None

    def complaint(self) -> tuple[ComplaintRow, list[tuple[datetime, str, str, str | None]]]:
        rng = self.rng
        cid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        channel = _weighted(rng, CHANNELS)
        classification = _weighted(rng, CLASSIFICATIONS)
        received = self.received(channel)
        steps, reason = self.steps(received, classification)
        kept = len(steps)
        for i, (_what, at) in enumerate(steps):
            if at > self.now:
                kept = i
                break
        if steps and rng.random() < STALLED:
            kept = min(kept, rng.randrange(len(steps)))
        category = rng.choice(self.categories) if rng.random() < 0.95 else None
        unit = self.unit_of[category] if category and rng.random() < 0.8 else rng.choice(self.spec.units)
        row = SimpleNamespace(status=Status.BELUM_TERVERIFIKASI, unit_id=None, archive_reason=None, disposed_at=None,
                              followed_up_at=None, postponed_at=None, closed_at=None)
        events: list[tuple[datetime, str, str, str | None]] = []
        for n, (what, at) in enumerate(steps[:kept]):
            action, target = _ACTION[what]
            key = (row.status, target, action)
            step = _TRANSITIONS.get(key) or _TRANSITIONS.setdefault(key, _find(*key))
            workflow.apply_effects(row, step, at, unit_id=unit, archive_reason=reason)
            kind = K.REPORTER_RESPONSE if what in (SATISFIED, NOT_SATISFIED) else what
            events.append((at, f"{cid}-{n:02d}", str(kind), str(target)))
        return ComplaintRow(
            id=cid, office_id=self.spec.office_id, received_at=received, classification=str(classification),
            is_supervisory=classification == Classification.PENGADUAN and rng.random() < 0.03,
            status=str(row.status), archive_reason=row.archive_reason and str(row.archive_reason),
            category_id=category, unit_id=row.unit_id, region_code=None, channel=str(channel),
            is_confidential=rng.random() < 0.03, disposed_at=row.disposed_at, followed_up_at=row.followed_up_at,
            postponed_at=row.postponed_at), events


def _find(source: str, target: str, action: str) -> workflow.Transition:
    found = workflow.find(source, target, action)
    if found is None:
        raise AssertionError(f"{action} is not allowed from {source} to {target}")
    return found


def office_facts(spec: OfficeSpec, rules: KpiRules, categories: list[str], now: datetime, months: int,
                 seed: int) -> Iterator[ComplaintFacts]:
    """The facts of the office's ``spec.complaints`` complaints, as the server's reader would build them."""
    story = _Story(spec, rules, categories, now, months, seed)
    for _ in range(spec.complaints):
        row, events = story.complaint()
        yield build_facts(row, events)

