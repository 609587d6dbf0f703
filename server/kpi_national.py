"""The national comparison's figures, kept current as changes arrive: every office's KPIs per local day
(app.kpi.marks), so a page comparing ~550 offices reads a few thousand summed rows, never the complaints.

How they stay current: every change to a complaint writes its change-log row (server.changelog.record), which marks
the complaint here (:func:`touch`); just before the transaction commits (:func:`before_commit`, a session event
installed by server.db) each marked complaint is read and assessed again under the server's rules
(server.kpi_facts), and the difference between its new marks and the ones kept for it (``kpi_complaints``) is added
to its office's daily rows (``kpi_days``: counts per office, day and unit or category; ``kpi_day_durations``: the
working-day histograms). One transaction: the figures never disagree with the complaints they count. A complaint
re-routed to another office leaves the old office's rows and joins the new one's. Rows are written in key order, so
two pushes of one office never deadlock on them.

What they cannot follow by themselves: a change of the rules (a new SLA policy in force, holidays added). The rules
the rows were computed under are fingerprinted (``server_meta`` ``kpi_rules``); the page says so when they differ,
and ``lapor-server kpi-rebuild`` computes everything again (it also runs after ``migrate`` when the rows were never
built, and after ``admin import-reference``).

Days: a mark counts on its local day in the office's zone. A deadline missed counts on the day it passed, which may
lie ahead; the readers sum only days before a cutoff, the start of the server's current day in WIB, by which every
Indonesian zone's earlier days are over. So the figures of a month are those of app.kpi.definitions as of the cutoff
(tests/sync/test_kpi_national.py holds them equal); *overdue now* is read at the moment asked. The readers are
in server.kpi_read.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.kpi import marks as km
from app.kpi.assess import KpiRules, assess_one, bulk_build
from app.kpi.facts import ComplaintFacts
from app.kpi.marks import Marks
from app.rules.sla import SlaPolicy, WorkingCalendar, load_calendar, load_policy
from app.timeutil import utcnow
from server.kpi_facts import read_by_ids, read_office
from server.models import (
    Holiday,
    KpiComplaint,
    KpiDay,
    KpiDayDuration,
    KpiMonth,
    KpiMonthDuration,
    Office,
    ServerMeta,
    SlaPolicyRecord,
)
from server.state import reference_version

DIRTY_KEY = "lapor_kpi_dirty"  # session.info: ids of complaints changed in this transaction
_RULES_KEY, _ZONES_KEY = "lapor_kpi_rules", "lapor_kpi_zones"  # session.info: read once per transaction
RULES_META = "kpi_rules"  # server_meta: fingerprint of the rules the rows were computed under
BUILT_META = "kpi_built"  # server_meta: when the rows were last computed from scratch
TOTAL, BY_UNIT, BY_CATEGORY = "", "u", "c"
NONE_KEY = "-"  # no unit (not dispositioned yet) or no category
CUTOFF_ZONE = "Asia/Jakarta"  # WIB: the westernmost zone, whose day ends last
_CHUNK = 500


# ---- keeping them current -------------------------------------------------------------------------------------

_QUIET_KEY = "lapor_kpi_quiet"


class quiet:  # noqa: N801 - used as a function: with kpi_national.quiet(session): ...
    """Within: changes that cannot move a complaint's marks (``unchanged``: nothing of its KPI facts changes,
    server.kpi_facts.FACT_COLUMNS and its status entries), so its marks are not computed again for them. (A class,
    not a generator: a push enters it for every edit and note it applies.)"""

    __slots__ = ("_info", "_unchanged", "_before")

    def __init__(self, session: Session, unchanged: bool = True) -> None:
        self._info = session.info
        self._unchanged = unchanged
        self._before = False

    def __enter__(self) -> None:
        if self._unchanged:
            self._before = self._info.get(_QUIET_KEY, False)
            self._info[_QUIET_KEY] = True

    def __exit__(self, *_exc: object) -> None:
        if self._unchanged:
            self._info[_QUIET_KEY] = self._before


def touch(session: Session, complaint_id: str) -> None:
    """``complaint_id`` changed in this transaction: its marks are computed again before it commits."""
    if session.info.get(_QUIET_KEY):
        return
    dirty = session.info.get(DIRTY_KEY)
    if dirty is None:
        dirty = session.info[DIRTY_KEY] = set()
    dirty.add(complaint_id)


def before_commit(session: Session) -> None:
    """Session event: refresh the marks of the complaints this transaction changed (nothing when none did), once,
    when the outermost transaction commits: SQLAlchemy fires the event for every savepoint released too, and a push
    applies each mutation in its own (refreshing there cost a push half again its time, bench/national.py). The
    set is not cleared on a rollback (a savepoint's rollback would lose ids touched before it); a complaint
    refreshed needlessly only costs its reading."""
    if session.in_nested_transaction():
        return
    dirty = session.info.pop(DIRTY_KEY, None)
    if dirty:
        refresh(session, dirty)


class _RulesByZone(dict[str, KpiRules]):
    """KpiRules per office zone over one policy and calendar (each keeps its own memo of due dates)."""

    def __init__(self, policy: SlaPolicy, calendar: WorkingCalendar) -> None:
        super().__init__()
        self.policy, self.calendar = policy, calendar

    def __missing__(self, tz: str) -> KpiRules:
        rules = self[tz] = KpiRules(self.policy, self.calendar, tz)
        return rules


# app.rules.sla.load_policy's statement, for its text alone; the holidays the calendar is made of.
_POLICY_IN_FORCE = (select(SlaPolicyRecord.policy_json).where(SlaPolicyRecord.effective_from <= bindparam("today"))
                    .order_by(SlaPolicyRecord.effective_from.desc(), SlaPolicyRecord.id.desc()).limit(1))
_HOLIDAYS = select(Holiday.day, Holiday.kind).order_by(Holiday.day, Holiday.kind)
# By the server's reference version and the day (a policy may come into force on a day of its own), then by the
# policy's text and the holidays (unchanged accounts or units bump the version, not the rules). Across transactions.
_RULES_BY_VERSION: dict[tuple[str, int, date], _RulesByZone] = {}
_KEPT_RULES: dict[tuple[str, tuple[tuple[date, str], ...]], _RulesByZone] = {}


def rules_for(session: Session) -> _RulesByZone:
    """The server's rules per office zone (the policy in force today, UTC), read once per transaction; the same
    policy and holidays give the same object across transactions, so each zone's memo of due dates is kept (built
    anew per push, the due dates were most of a refresh's time)."""
    cached = session.info.get(_RULES_KEY)
    if cached is None:
        today = utcnow().date()
        # The reference version is bumped by every change of the policy or the holidays; the database's address
        # keeps two databases one process may serve (tests) apart.
        by_version = (str(session.get_bind().engine.url), reference_version(session), today)
        cached = _RULES_BY_VERSION.get(by_version)
        if cached is None:
            cached = _rules_by_content(session, today)
            if len(_RULES_BY_VERSION) >= 16:
                _RULES_BY_VERSION.clear()
            _RULES_BY_VERSION[by_version] = cached
        session.info[_RULES_KEY] = cached
    return cast(_RulesByZone, cached)


def _rules_by_content(session: Session, today: date) -> _RulesByZone:
    """The rules of the policy in force ``today`` and the holidays, the same object while they are the same."""
    policy_text = session.scalar(_POLICY_IN_FORCE, {"today": today}) or ""
    holidays = tuple((day, kind) for day, kind in session.execute(_HOLIDAYS))
    key = (policy_text, holidays)
    cached = _KEPT_RULES.get(key)
    if cached is None:
        if len(_KEPT_RULES) >= 4:
            _KEPT_RULES.clear()
        policy = load_policy(session, today, table=SlaPolicyRecord)  # what policy_text reads as
        cached = _KEPT_RULES[key] = _RulesByZone(policy, load_calendar(session, table=Holiday))
    return cached


@dataclass(frozen=True)
class _Kept:
    office_id: str
    unit_id: str | None
    category_id: str | None
    marks: Marks


def refresh(session: Session, complaint_ids: Iterable[str]) -> int:
    """Compute the marks of these complaints again and move their offices' daily rows by the difference. Returns
    how many complaints' marks changed."""
    changed = 0
    ids = sorted(set(complaint_ids))
    rules = rules_for(session)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        with bulk_build():
            facts = read_by_ids(session, chunk)
        new: dict[str, _Kept] = {}
        for f in facts:
            office_rules = rules[_zone_of(session, f.office_id)]
            new[f.id] = _Kept(f.office_id, f.unit_id, f.category_id, km.marks_of(assess_one(f, office_rules),
                                                                                 office_rules))
        old = _kept(session, chunk)
        moved = [cid for cid in chunk if old.get(cid) != new.get(cid)]
        if not moved:
            continue
        changed += len(moved)
        _apply_difference(session, [old[c] for c in moved if c in old], [new[c] for c in moved if c in new])
        gone = [cid for cid in moved if cid not in new]
        if gone:
            session.execute(delete(KpiComplaint).where(KpiComplaint.complaint_id.in_(gone)))
        rows = [_complaint_row(cid, new[cid]) for cid in moved if cid in new]
        if rows:
            _replace(session, KpiComplaint.__table__, rows, "complaint_id")  # type: ignore[arg-type]
    return changed


def _zones(session: Session) -> dict[str, str]:
    """Every office's zone (an office's zone is set when it is created, never changed)."""
    cached = session.info.get(_ZONES_KEY)
    if cached is None:
        rows = session.execute(_OFFICE_ZONES)
        cached = session.info[_ZONES_KEY] = {oid: tz for oid, tz in rows}
    return cast(dict[str, str], cached)


def _zone_of(session: Session, office_id: str) -> str:
    """One office's zone, remembered across transactions."""
    found = _ZONE_OF.get(office_id)
    if found is None:
        found = session.scalar(select(Office.tz).where(Office.id == office_id)) or CUTOFF_ZONE
        _ZONE_OF[office_id] = found
    return found


_OFFICE_ZONES = select(Office.id, Office.tz)
_ZONE_OF: dict[str, str] = {}


_KEPT_BY_IDS = select(KpiComplaint.complaint_id, KpiComplaint.office_id, KpiComplaint.unit_id,
                      KpiComplaint.category_id, KpiComplaint.marks, KpiComplaint.overdue_from
                      ).where(KpiComplaint.complaint_id.in_(bindparam("ids", expanding=True)))


def _kept(session: Session, ids: Sequence[str]) -> dict[str, _Kept]:
    rows = session.execute(_KEPT_BY_IDS, {"ids": list(ids)}).all()
    return {cid: _Kept(office, unit, category, Marks.from_json(json.loads(text), overdue))
            for cid, office, unit, category, text, overdue in rows}


def _complaint_row(cid: str, kept: _Kept) -> dict[str, object]:
    return {"complaint_id": cid, "office_id": kept.office_id, "unit_id": kept.unit_id,
            "category_id": kept.category_id, "overdue_from": kept.marks.overdue_from,
            "marks": json.dumps(kept.marks.to_json(), separators=(",", ":"))}


DayKey = tuple[str, int, str, str]  # (office id, day ordinal, dimension, key)
DurationKey = tuple[str, int, str, int]  # (office id, day ordinal, kind, working days)


def _add(counts: dict[DayKey, dict[str, int]], durations: dict[DurationKey, int], kept: _Kept, sign: int) -> None:
    dims = ((TOTAL, ""), (BY_UNIT, kept.unit_id or NONE_KEY), (BY_CATEGORY, kept.category_id or NONE_KEY))
    for day, measure in kept.marks.counts:
        for dim, key in dims:
            row = counts[(kept.office_id, day, dim, key)]
            row[measure] = row.get(measure, 0) + sign
    for day, kind, wd in kept.marks.durations:
        durations[(kept.office_id, day, kind, wd)] += sign


def _apply_difference(session: Session, old: Iterable[_Kept], new: Iterable[_Kept]) -> None:
    counts: dict[DayKey, dict[str, int]] = defaultdict(dict)
    durations: dict[DurationKey, int] = defaultdict(int)
    for kept in old:
        _add(counts, durations, kept, -1)
    for kept in new:
        _add(counts, durations, kept, +1)
    rows = _rows_of(counts, durations)
    for table, batch, keys, added in (
            (KpiDay.__table__, rows.days, ("dim", "month", "office_id", "day", "key"), km.MEASURES),
            (KpiDayDuration.__table__, rows.durations, ("month", "office_id", "day", "kind", "working_days"),
             ("n",)),
            (KpiMonth.__table__, rows.months, ("dim", "month", "office_id", "key"), km.MEASURES),
            (KpiMonthDuration.__table__, rows.month_durations, ("month", "office_id", "kind", "working_days"),
             ("n",))):
        if batch:
            _upsert(session, table, batch, keys, added)  # type: ignore[arg-type]


def month_key(day: date) -> int:
    """YYYYMM of ``day``."""
    return day.year * 100 + day.month


def _day_row(key: DayKey, values: Mapping[str, int]) -> dict[str, object]:
    office_id, ordinal, dim, k = key
    day = date.fromordinal(ordinal)
    return {"office_id": office_id, "day": day, "month": month_key(day), "dim": dim, "key": k,
            **{m: values.get(m, 0) for m in km.MEASURES}}


def _duration_row(key: DurationKey, n: int) -> dict[str, object]:
    office_id, ordinal, kind, wd = key
    day = date.fromordinal(ordinal)
    return {"office_id": office_id, "day": day, "month": month_key(day), "kind": kind, "working_days": wd, "n": n}


def _upsert(session: Session, table: Table, rows: list[dict[str, object]], keys: Sequence[str],
            added: Sequence[str]) -> None:
    """Insert the rows, or add their ``added`` columns to the rows already there (one statement, many rows)."""
    dialect = session.get_bind().dialect.name
    stmt = (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table))
    stmt = stmt.on_conflict_do_update(index_elements=list(keys),
                                      set_={c: table.c[c] + stmt.excluded[c] for c in added})
    session.execute(stmt, rows)


def _replace(session: Session, table: Table, rows: list[dict[str, object]], key: str) -> None:
    """Insert the rows, or overwrite the row already there with the same ``key`` (one statement)."""
    dialect = session.get_bind().dialect.name
    stmt = (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table))
    stmt = stmt.on_conflict_do_update(index_elements=[key],
                                      set_={c: stmt.excluded[c] for c in rows[0] if c != key})
    session.execute(stmt, rows)


# ---- computing them from scratch ------------------------------------------------------------------------------

def rules_fingerprint(session: Session) -> str:
    """What the rows depend on besides the complaints: the SLA policy in force today and the holidays."""
    rules = rules_for(session)
    holidays = session.scalars(select(Holiday.day).order_by(Holiday.day)).all()
    text = json.dumps([rules.policy.to_json(), [d.isoformat() for d in holidays],
                       rules.calendar.horizon.isoformat() if rules.calendar.horizon else None])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class OfficeRows:
    """Rows as column → value dicts in key order: ``kpi_complaints`` (computed from scratch only), ``kpi_days``,
    ``kpi_day_durations``, and their sums per month, ``kpi_months`` and ``kpi_month_durations``."""

    complaints: list[dict[str, object]]
    days: list[dict[str, object]]
    durations: list[dict[str, object]]
    months: list[dict[str, object]]
    month_durations: list[dict[str, object]]


def _rows_of(counts: Mapping[DayKey, Mapping[str, int]], durations: Mapping[DurationKey, int],
             complaints: list[dict[str, object]] | None = None) -> OfficeRows:
    """Day rows (or their differences) and the month rows they add up to; rows that say nothing are left out."""
    months: dict[tuple[str, int, str, str], dict[str, int]] = defaultdict(dict)
    for (office_id, ordinal, dim, key), values in counts.items():
        row = months[(office_id, month_key(date.fromordinal(ordinal)), dim, key)]
        for measure, n in values.items():
            row[measure] = row.get(measure, 0) + n
    month_durations: dict[tuple[str, int, str, int], int] = defaultdict(int)
    for (office_id, ordinal, kind, wd), n in durations.items():
        month_durations[(office_id, month_key(date.fromordinal(ordinal)), kind, wd)] += n
    return OfficeRows(
        complaints or [],
        [_day_row(key, values) for key, values in sorted(counts.items()) if any(values.values())],
        [_duration_row(key, n) for key, n in sorted(durations.items()) if n],
        [{"office_id": o, "month": m, "dim": d, "key": k, **{x: v.get(x, 0) for x in km.MEASURES}}
         for (o, m, d, k), v in sorted(months.items()) if any(v.values())],
        [{"office_id": o, "month": m, "kind": kind, "working_days": wd, "n": n}
         for (o, m, kind, wd), n in sorted(month_durations.items()) if n])


def office_rows(office_id: str, facts: Iterable[ComplaintFacts], rules: KpiRules) -> OfficeRows:
    """What the complaints ``facts`` of ``office_id`` add up to under the office's ``rules``: what
    :func:`rebuild` inserts (and bench/national.py bulk-loads for complaints it made up)."""
    counts: dict[DayKey, dict[str, int]] = defaultdict(dict)
    durations: dict[DurationKey, int] = defaultdict(int)
    complaint_rows: list[dict[str, object]] = []
    for f in facts:
        kept = _Kept(office_id, f.unit_id, f.category_id, km.marks_of(assess_one(f, rules), rules))
        _add(counts, durations, kept, +1)
        complaint_rows.append(_complaint_row(f.id, kept))
    return _rows_of(counts, durations, complaint_rows)


def rebuild(session: Session, now: datetime | None = None) -> int:
    """Every office's rows computed again from its complaints (after a change of the rules, or once after the
    upgrade that brought them). Returns how many complaints were assessed."""
    for key in (DIRTY_KEY, _RULES_KEY, _ZONES_KEY):
        session.info.pop(key, None)
    # The rules as stored now, not as remembered by reference version (a rebuild follows a change of them).
    session.info[_RULES_KEY] = _rules_by_content(session, utcnow().date())
    for table in (KpiDay, KpiDayDuration, KpiMonth, KpiMonthDuration, KpiComplaint):
        session.execute(delete(table))
    rules = rules_for(session)
    total = 0
    for office_id, tz in sorted(_zones(session).items()):
        with bulk_build():
            rows = office_rows(office_id, read_office(session, office_id), rules[tz])
        total += len(rows.complaints)
        for start in range(0, len(rows.complaints), 5000):
            session.execute(insert(KpiComplaint), rows.complaints[start:start + 5000])
        for table, batch in ((KpiDay, rows.days), (KpiDayDuration, rows.durations), (KpiMonth, rows.months),
                             (KpiMonthDuration, rows.month_durations)):
            if batch:
                session.execute(insert(table), batch)
    _set_meta(session, RULES_META, rules_fingerprint(session))
    _set_meta(session, BUILT_META, (now or utcnow()).isoformat())
    session.info.pop(DIRTY_KEY, None)  # the inserts above touched nothing, but say so plainly
    return total


def is_built(session: Session) -> bool:
    return session.get(ServerMeta, BUILT_META) is not None


def rules_changed(session: Session) -> bool:
    """The rules differ from those the rows were computed under (a rebuild is due)."""
    kept = session.get(ServerMeta, RULES_META)
    return kept is None or kept.value != rules_fingerprint(session)


def _set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(ServerMeta, key)
    if row is None:
        session.add(ServerMeta(key=key, value=value))
    else:
        row.value = value


def last_built(session: Session) -> datetime | None:
    row = session.get(ServerMeta, BUILT_META)
    return datetime.fromisoformat(row.value) if row is not None else None
