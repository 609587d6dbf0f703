"""Deadlines (SLA): the policy as data, the working-day calendar, and the due times of a complaint."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import OPEN_STATUSES, Classification, DeadlineKind, DeadlineState, Status
from app.errors import Message
from app.models.reference import Holiday, SlaPolicyRecord
from app.resources import resource_path
from app.timeutil import as_utc, utcnow, zone

HOLIDAY_NATIONAL = "NATIONAL"
HOLIDAY_CUTI_BERSAMA = "CUTI_BERSAMA"
POLICY_RESOURCE = ("reference", "sla_policy.json")
HORIZON_WARNING_DAYS = 90  # a quarter ahead: time for an update or a calendar from the server to arrive
Unit = Literal["working", "calendar"]
# The status that runs each step deadline, and the fact that starts it.
_STEP_BY_STATUS: dict[Status, tuple[DeadlineKind, str]] = {
    Status.BELUM_TERVERIFIKASI: (DeadlineKind.VERIFICATION, "received_at"),
    Status.DIDISPOSISIKAN: (DeadlineKind.FOLLOW_UP, "disposed_at"),
    Status.DITINDAKLANJUTI: (DeadlineKind.RESPONSE_WINDOW, "followed_up_at"),
    Status.DITUNDA: (DeadlineKind.CLARIFICATION, "postponed_at"),
}
STEP_KINDS = tuple(kind for kind, _ in _STEP_BY_STATUS.values())


@dataclass(frozen=True)
class Period:
    """A span of ``days`` working days (weekends and holidays skipped) or calendar days."""

    days: int
    unit: Unit

    @classmethod
    def from_dict(cls, raw: Any, where: str) -> Period:
        """Parse ``{"days": N, "unit": "working"|"calendar"}``; ``where`` is used in error messages."""
        _check_keys(raw, {"days", "unit"}, where)
        if raw["unit"] not in ("working", "calendar"):
            raise ValueError(f"SLA policy: {where}.unit must be 'working' or 'calendar', got {raw['unit']!r}")
        return cls(_count(raw, "days", where), cast(Unit, raw["unit"]))

    def to_dict(self) -> dict[str, Any]:
        return {"days": self.days, "unit": self.unit}


@dataclass(frozen=True)
class SlaPolicy:
    """The deadline rules in force (PermenPANRB may change them, so they are data, not code).

    ``resolution`` is keyed by (classification, is_supervisory): berkadar pengawasan reports may have their
    own period; a classification without one uses its default for both.
    """

    name: str
    version: int
    effective_from: date
    legal_basis: str
    due_soon_hours: int
    steps: Mapping[DeadlineKind, Period] = field(hash=False)
    resolution: Mapping[tuple[Classification, bool], Period] = field(hash=False)

    def step_period(self, kind: DeadlineKind) -> Period:
        return self.steps[kind]

    def resolution_period(self, classification: str, is_supervisory: bool) -> Period:
        return self.resolution[(Classification(classification), is_supervisory)]

    @classmethod
    def from_json(cls, text: str) -> SlaPolicy:
        """Parse and validate a policy document; any problem raises ``ValueError`` naming the bad field."""
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"SLA policy: not valid JSON ({exc})") from exc
        top = {"name", "version", "effective_from", "legal_basis", "due_soon_hours", "steps", "resolution"}
        _check_keys(raw, top, "policy")
        for key in ("name", "legal_basis", "effective_from"):
            if not isinstance(raw[key], str):
                raise ValueError(f"SLA policy: policy.{key} must be a string")
        try:
            effective_from = date.fromisoformat(raw["effective_from"])
        except ValueError as exc:
            raise ValueError(f"SLA policy: effective_from must be YYYY-MM-DD ({exc})") from exc
        _check_keys(raw["steps"], {k.value for k in STEP_KINDS}, "steps")
        _check_keys(raw["resolution"], {c.value for c in Classification}, "resolution")
        resolution: dict[tuple[Classification, bool], Period] = {}
        for c in Classification:
            rule, where = raw["resolution"][c.value], f"resolution.{c.value}"
            _check_keys(rule, {"default"}, where, optional={"supervisory"})
            supervisory = rule.get("supervisory", rule["default"])
            resolution[(c, False)] = Period.from_dict(rule["default"], f"{where}.default")
            resolution[(c, True)] = Period.from_dict(supervisory, f"{where}.supervisory")
        return cls(
            name=raw["name"],
            version=_count(raw, "version", "policy"),
            effective_from=effective_from,
            legal_basis=raw["legal_basis"],
            due_soon_hours=_count(raw, "due_soon_hours", "policy"),
            steps=MappingProxyType({k: Period.from_dict(raw["steps"][k], f"steps.{k}") for k in STEP_KINDS}),
            resolution=MappingProxyType(resolution),
        )

    def to_json(self) -> str:
        res = {c.value: {"default": self.resolution[(c, False)].to_dict()} for c in Classification}
        for c in Classification:
            if self.resolution[(c, True)] != self.resolution[(c, False)]:
                res[c.value]["supervisory"] = self.resolution[(c, True)].to_dict()
        doc = {
            "name": self.name,
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "legal_basis": self.legal_basis,
            "due_soon_hours": self.due_soon_hours,
            "steps": {k.value: p.to_dict() for k, p in self.steps.items()},
            "resolution": res,
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)

    @classmethod
    def bundled(cls) -> SlaPolicy:
        """The default policy shipped in ``resources/reference/sla_policy.json``."""
        return cls.from_json(resource_path(*POLICY_RESOURCE).read_text(encoding="utf-8"))


def _check_keys(raw: Any, required: set[str], where: str, optional: Iterable[str] = ()) -> None:
    if not isinstance(raw, dict):
        raise ValueError(f"SLA policy: {where} must be an object")
    if missing := required - raw.keys():
        raise ValueError(f"SLA policy: {where} is missing {', '.join(sorted(missing))}")
    if unknown := raw.keys() - required - set(optional):
        raise ValueError(f"SLA policy: {where} has unknown keys {', '.join(sorted(unknown))}")


def _count(raw: dict[str, Any], key: str, where: str) -> int:
    value = raw[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"SLA policy: {where}.{key} must be a non-negative integer, got {value!r}")
    return value


class WorkingCalendar:
    """Monday–Friday minus the given non-working dates, kept as a sorted list of ordinals grown on demand.

    ``horizon`` is the last day the holidays are known for (:func:`holiday_horizon`); working days counted past it
    treat every weekday as a working day, so a deadline there is an estimate. None: no limit is known.
    """

    _CHUNK_DAYS = 2 * 366

    def __init__(self, non_working: Iterable[date] = (), *, horizon: date | None = None) -> None:
        self.horizon = horizon
        self._off = frozenset(d.toordinal() for d in non_working)
        first = min(self._off) if self._off else date.today().toordinal()
        last = max(self._off) if self._off else first
        # (lo, hi, ordinals): replaced as one tuple so a reader on another thread never sees a mix.
        self._window: tuple[int, int, list[int]] = (first, first, [])
        self._ensure(first - self._CHUNK_DAYS, last + self._CHUNK_DAYS)

    def _ensure(self, lo: int, hi: int) -> tuple[int, int, list[int]]:
        """The working-day window, grown if needed to cover the ordinals ``lo..hi`` (inclusive)."""
        window = self._window
        if window[2] and lo >= window[0] and hi <= window[1]:
            return window
        lo, hi = min(lo, window[0]), max(hi, window[1])
        off = self._off
        # Ordinal 1 (0001-01-01) is a Monday, so (o - 1) % 7 >= 5 is a weekend.
        window = (lo, hi, [o for o in range(lo, hi + 1) if (o - 1) % 7 < 5 and o not in off])
        self._window = window
        return window

    def is_estimate(self, day: date) -> bool:
        """Whether working days counted up to ``day`` run past the known holidays."""
        return self.horizon is not None and day > self.horizon

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d.toordinal() not in self._off

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day strictly after ``start`` (``start`` itself when ``n`` is 0)."""
        if n < 0:
            raise ValueError("n must be non-negative")
        if n == 0:
            return start
        s = start.toordinal()
        lo, hi, ords = self._window
        while True:
            i = bisect_right(ords, s) + n - 1
            if s >= lo and i < len(ords):
                return date.fromordinal(ords[i])
            # n working days span at most 7n/5 days plus holidays; grow generously and retry.
            lo, hi, ords = self._ensure(s - self._CHUNK_DAYS, max(hi, s) + 2 * n + self._CHUNK_DAYS)

    def working_days_between(self, a: date, b: date) -> int:
        """How many working days lie in ``(a, b]``; negative (the count in ``(b, a]``) when ``b < a``."""
        _, _, ords = self._ensure(min(a, b).toordinal(), max(a, b).toordinal())
        return bisect_right(ords, b.toordinal()) - bisect_right(ords, a.toordinal())


def default_holidays(years: Iterable[int]) -> list[tuple[date, str, str]]:
    """(day, Indonesian name, kind) from the ``holidays`` package; a day in both lists counts as national."""
    import holidays  # only when reference data is installed (app.bootstrap): its calendars take a while to load

    result: dict[date, tuple[date, str, str]] = {}
    for year in sorted(set(years)):
        joint = holidays.country_holidays("ID", years=year, categories=("government",), language="id")
        for day, name in joint.items():
            result[day] = (day, name[:200], HOLIDAY_CUTI_BERSAMA)
        for day, name in holidays.country_holidays("ID", years=year, language="id").items():
            result[day] = (day, name[:200], HOLIDAY_NATIONAL)
    return sorted(result.values())


def install_holidays(session: Session, years: Iterable[int]) -> int:
    """Add the package's holidays the table lacks (existing rows stay); returns the count. Caller commits."""
    wanted = default_holidays(years)
    have = set(session.scalars(select(Holiday.day).where(Holiday.day.in_([d for d, _, _ in wanted]))))
    new = [Holiday(day=d, name=name, kind=kind) for d, name, kind in wanted if d not in have]
    session.add_all(new)
    session.flush()
    return len(new)


def load_calendar(session: Session, table: Any = Holiday) -> WorkingCalendar:
    """``table``: the server passes its own Holiday model (same columns)."""
    return WorkingCalendar(session.scalars(select(table.day)), horizon=holiday_horizon(session, table))


def holiday_horizon(session: Session, table: Any = Holiday) -> date | None:
    """31 December of the last year the holiday table holds both national holidays and cuti bersama for (the
    earlier kind's last year: cuti bersama are decreed a year ahead, national holidays computed further), or None
    when it holds none. ``table``: the server passes its own Holiday model (same columns)."""
    last = session.execute(select(table.kind, func.max(table.day)).group_by(table.kind)).all()
    days = [day for kind, day in last if kind in (HOLIDAY_NATIONAL, HOLIDAY_CUTI_BERSAMA)]
    return date(min(d.year for d in days), 12, 31) if days else None


def horizon_warning(horizon: date | None, today: date) -> Message | None:
    """What to tell people when ``today`` is within :data:`HORIZON_WARNING_DAYS` of the holiday horizon or past
    it: later deadlines count holidays as working days. None when there is nothing to say."""
    if horizon is None or (horizon - today).days > HORIZON_WARNING_DAYS:
        return None
    fix_id = "Perbarui LAPOR Desk atau sinkronkan PC ini dengan server agar kalender baru terpasang."
    fix_en = "Update LAPOR Desk or sync this PC with the server to get the new calendar."
    if today > horizon:
        return Message(
            f"Kalender hari libur hanya sampai {horizon:%d-%m-%Y}: tenggat sesudah tanggal itu dihitung tanpa hari "
            f"libur nasional dan cuti bersama, jadi hanya perkiraan. {fix_id}",
            f"The holiday calendar ended on {horizon:%Y-%m-%d}: deadlines after that date count national holidays "
            f"and cuti bersama as working days, so they are estimates. {fix_en}")
    days = (horizon - today).days
    return Message(
        f"Kalender hari libur berakhir {horizon:%d-%m-%Y} ({days} hari lagi): tenggat sesudah tanggal itu dihitung "
        f"tanpa hari libur nasional dan cuti bersama, jadi hanya perkiraan. {fix_id}",
        f"The holiday calendar ends on {horizon:%Y-%m-%d} (in {days} days): deadlines after that date count "
        f"national holidays and cuti bersama as working days, so they are estimates. {fix_en}")


def install_policy(session: Session) -> bool:
    """Store the bundled policy if none is stored yet; returns whether it was added. The caller commits."""
    if session.scalar(select(SlaPolicyRecord.id).limit(1)) is not None:
        return False
    p = SlaPolicy.bundled()
    session.add(SlaPolicyRecord(effective_from=p.effective_from, policy_json=p.to_json(), source="bundled"))
    session.flush()
    return True


def load_policy(session: Session, today: date | None = None, table: Any = SlaPolicyRecord) -> SlaPolicy:
    """The stored policy with the latest ``effective_from`` ≤ ``today`` (UTC date); else the bundled one.
    ``table``: the server passes its own SlaPolicyRecord model (same columns)."""
    today = today or utcnow().date()
    stmt = (
        select(table.policy_json)
        .where(table.effective_from <= today)
        .order_by(table.effective_from.desc(), table.id.desc())
        .limit(1)
    )
    text = session.scalar(stmt)
    return SlaPolicy.from_json(text) if text is not None else SlaPolicy.bundled()


@dataclass(frozen=True)
class DeadlineFacts:
    """What the deadlines of one complaint depend on (aware datetimes; naive ones are taken as UTC)."""

    status: str
    classification: str
    is_supervisory: bool
    received_at: datetime
    disposed_at: datetime | None = None
    followed_up_at: datetime | None = None
    postponed_at: datetime | None = None


@dataclass(frozen=True)
class Deadlines:
    """The running deadlines of a complaint as aware UTC datetimes; ``next_due`` is the earlier one. A deadline
    counted in working days past the calendar's holiday horizon is ``estimated``."""

    step_due_at: datetime | None
    step_due_kind: DeadlineKind | None
    resolution_due_at: datetime | None
    next_due_at: datetime | None
    next_due_kind: DeadlineKind | None
    step_estimated: bool = False
    resolution_estimated: bool = False

    @property
    def next_estimated(self) -> bool:
        if self.next_due_kind is None:
            return False
        return self.resolution_estimated if self.next_due_kind == DeadlineKind.RESOLUTION else self.step_estimated


@lru_cache(maxsize=8192)
def _end_of_local_day(day: date, tz_name: str) -> datetime:
    return datetime.combine(day, time.max, tzinfo=zone(tz_name)).astimezone(UTC)


def due_at(start: datetime, period: Period, calendar: WorkingCalendar, tz: str) -> datetime:
    """The end (23:59:59.999999 local) of the day ``period`` after ``start``'s local date, in UTC."""
    local_day = as_utc(start).astimezone(zone(tz)).date()
    if period.unit == "working":
        due_day = calendar.add_working_days(local_day, period.days)
    else:
        due_day = local_day + timedelta(days=period.days)
    return _end_of_local_day(due_day, tz)


def response_window_end(followed_up_at: datetime, policy: SlaPolicy, calendar: WorkingCalendar, tz: str) -> datetime:
    """When the reporter's response window ends for a complaint followed up at ``followed_up_at``: its deadline on
    the PC, the moment auto-close may act, and what the server checks an automatic close against (one
    definition)."""
    return due_at(followed_up_at, policy.step_period(DeadlineKind.RESPONSE_WINDOW), calendar, tz)


def is_estimate(due: datetime, period: Period, calendar: WorkingCalendar, tz: str) -> bool:
    """Whether a deadline of ``period`` falling at ``due`` was counted past the calendar's holiday horizon
    (calendar days do not depend on holidays)."""
    return period.unit == "working" and calendar.is_estimate(as_utc(due).astimezone(zone(tz)).date())


def period_of(policy: SlaPolicy, kind: str, classification: str, is_supervisory: bool) -> Period:
    """The period that sets a deadline of ``kind`` (a DeadlineKind value) for such a complaint."""
    if kind == DeadlineKind.RESOLUTION:
        return policy.resolution_period(classification, is_supervisory)
    return policy.step_period(DeadlineKind(kind))


def compute_deadlines(
    facts: DeadlineFacts, policy: SlaPolicy, calendar: WorkingCalendar, tz: str
) -> Deadlines:
    """The step and resolution deadlines for the complaint's current status.

    A step whose starting event is missing has no deadline. On a tie, ``next_due_kind`` is the step's.
    """
    status = Status(facts.status)
    if status not in OPEN_STATUSES:
        return Deadlines(None, None, None, None, None)
    kind, attr = _STEP_BY_STATUS[status]
    start: datetime | None = getattr(facts, attr)
    step_period = policy.step_period(kind)
    step_at = None if start is None else due_at(start, step_period, calendar, tz)
    step_kind = None if step_at is None else kind
    period = policy.resolution_period(facts.classification, facts.is_supervisory)
    resolution_at = due_at(facts.received_at, period, calendar, tz)
    step_estimated = step_at is not None and is_estimate(step_at, step_period, calendar, tz)
    resolution_estimated = is_estimate(resolution_at, period, calendar, tz)
    if step_at is not None and step_at <= resolution_at:
        return Deadlines(step_at, kind, resolution_at, step_at, kind, step_estimated, resolution_estimated)
    return Deadlines(step_at, step_kind, resolution_at, resolution_at, DeadlineKind.RESOLUTION, step_estimated,
                     resolution_estimated)


def due_soon_bound(now: datetime, policy: SlaPolicy) -> datetime:
    """Deadlines at or before this instant (and not before ``now``) are due soon; for SQL filters."""
    return as_utc(now) + timedelta(hours=policy.due_soon_hours)


def deadline_state(next_due_at: datetime | None, now: datetime, policy: SlaPolicy) -> DeadlineState:
    """OVERDUE when ``now`` is past the deadline, DUE_SOON within the policy's hours, else ON_TIME."""
    if next_due_at is None:
        return DeadlineState.NONE
    due, now = as_utc(next_due_at), as_utc(now)
    if now > due:
        return DeadlineState.OVERDUE
    if due <= due_soon_bound(now, policy):
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME
