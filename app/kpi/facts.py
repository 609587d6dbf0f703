"""A complaint's facts as the KPIs see them: plain values, no personal data, the same whether they were read from a
PC's store (app.kpi.store_facts) or from the national server's tables (server.kpi_facts).

Both readers hand their rows to :func:`build_facts`, so what counts as the office's share of a complaint's history
(the arrival, the status changes after it) is decided once, here. The readers only select rows; the selection they
must make is :func:`selection_window`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from app.domain import ArchiveReason, EventKind, Status
from app.rules.sla import SlaPolicy

# Timeline entries that change a complaint's status (or bring it to the office). RECEIVED is the complaint's
# ``received_at``; TRANSITION_REJECTED names a status it never reached; notes, edits and files change no status.
STATUS_EVENT_KINDS: tuple[str, ...] = tuple(k.value for k in (
    EventKind.ROUTED, EventKind.DISPOSED, EventKind.FOLLOW_UP, EventKind.REPORTER_RESPONSE, EventKind.POSTPONED,
    EventKind.RESUMED, EventKind.REDIRECTED, EventKind.ARCHIVED, EventKind.UNARCHIVED, EventKind.CLOSED,
    EventKind.AUTO_CLOSED, EventKind.REOPENED))
# The decisions that end verification: dispositioned to a unit, sent back to the reporter for clarification (ditunda),
# declared not this office's authority (bukan wewenang), archived.
VERIFYING_KINDS = frozenset({EventKind.DISPOSED, EventKind.POSTPONED, EventKind.REDIRECTED, EventKind.ARCHIVED})
# Archived as not a complaint at all: left out of every KPI (counted apart as ``excluded``).
EXCLUDED_ARCHIVE_REASONS = frozenset({ArchiveReason.SPAM, ArchiveReason.DUPLIKAT})


class StatusEvent(NamedTuple):
    """One status change on the complaint's timeline (UTC ``at``; ``kind`` an EventKind value)."""

    at: datetime
    kind: str
    to_status: str


class ComplaintRow(NamedTuple):
    """The complaint columns a reader selects, in this order (times aware UTC)."""

    id: str
    office_id: str
    received_at: datetime
    classification: str
    is_supervisory: bool
    status: str
    archive_reason: str | None
    category_id: str | None
    unit_id: str | None
    region_code: str | None
    channel: str
    is_confidential: bool
    disposed_at: datetime | None
    followed_up_at: datetime | None
    postponed_at: datetime | None


@dataclass(frozen=True, slots=True)
class ComplaintFacts:
    """What the KPIs know of one complaint held by ``office_id``. Times are aware UTC.

    ``arrived_at``: when the complaint reached this office: its receipt, or the national admin's last routing of it
    here (a re-routed complaint counts for the office that holds it, from the moment it arrived). ``history``: the
    status changes after the arrival, in time order (the previous office's steps are not this office's).
    ``disposed_at``/``followed_up_at``/``postponed_at``: the complaint's current date stamps, as the window's
    running deadlines use them. The derived times (``verified_at`` …) are read from ``history``."""

    id: str
    office_id: str
    received_at: datetime
    arrived_at: datetime
    classification: str
    is_supervisory: bool
    status: str
    archive_reason: str | None
    category_id: str | None
    unit_id: str | None
    region_code: str | None
    channel: str
    is_confidential: bool
    disposed_at: datetime | None
    followed_up_at: datetime | None
    postponed_at: datetime | None
    history: tuple[StatusEvent, ...]
    routed: bool  # it reached this office through the national admin's routing (not taken in here)
    # Derived from history (first after the arrival):
    verified_at: datetime | None  # the verification decision (disposed, postponed, redirected or archived)
    first_disposed_at: datetime | None
    first_followed_up_at: datetime | None
    completed_at: datetime | None  # first SELESAI: closed, auto-closed, or the reporter satisfied
    completed_by: str | None  # the EventKind that completed it: CLOSED, AUTO_CLOSED or REPORTER_RESPONSE
    postponements: tuple[tuple[datetime, datetime | None], ...]  # (ditunda from, until; None: still postponed)
    responses: tuple[tuple[datetime, bool], ...]  # the reporter's responses (tanggapan): (when, satisfied)

    @property
    def excluded(self) -> bool:
        """Archived as spam or as a duplicate: not a complaint of its own, left out of every KPI."""
        return self.status == Status.DIARSIPKAN and self.archive_reason in EXCLUDED_ARCHIVE_REASONS


def build_facts(row: ComplaintRow, events: Iterable[tuple[datetime, str, str, str | None]]) -> ComplaintFacts:
    """The facts of one complaint from its row and its status events ``(at, event id, kind, to_status)`` in any
    order (sorted here by time, then id: UUIDv7 ids, equal on the PC and the server)."""
    ordered = sorted(events)
    arrived = row.received_at
    start = 0
    for i, (at, _id, kind, _to) in enumerate(ordered):
        if kind == _ROUTED:
            arrived, start = max(row.received_at, at), i + 1
    routed = start > 0
    history: list[StatusEvent] = []
    status: str = _NEW
    verified = disposed = followed_up = None
    completion: StatusEvent | None = None
    postponements: list[tuple[datetime, datetime | None]] = []
    responses: list[tuple[datetime, bool]] = []
    for at, _id, kind, to_status in ordered[start:]:
        if to_status is None or to_status == status:
            continue  # no status (not a step), or a second PC's copy of a step already taken ("already there")
        if postponements and postponements[-1][1] is None:
            postponements[-1] = (postponements[-1][0], at)
        event = StatusEvent(at, kind, to_status)
        history.append(event)
        status = to_status
        if verified is None and kind in VERIFYING_KINDS:
            verified = at
        if to_status == _DISPOSED:
            disposed = disposed or at
        elif to_status == _POSTPONED:
            postponements.append((at, None))
        elif to_status == _DONE and completion is None:
            completion = event
        if kind == _FOLLOW_UP:
            followed_up = followed_up or at
        elif kind == _RESPONSE:
            responses.append((at, to_status == _DONE))
    return ComplaintFacts(
        row.id, row.office_id, row.received_at, arrived, row.classification, bool(row.is_supervisory), row.status,
        row.archive_reason, row.category_id, row.unit_id, row.region_code, row.channel, bool(row.is_confidential),
        row.disposed_at, row.followed_up_at, row.postponed_at, tuple(history), routed, verified, disposed, followed_up,
        completion.at if completion else None, completion.kind if completion else None, tuple(postponements),
        tuple(responses))


_ROUTED, _FOLLOW_UP, _RESPONSE = EventKind.ROUTED.value, EventKind.FOLLOW_UP.value, EventKind.REPORTER_RESPONSE.value
_NEW, _DISPOSED, _POSTPONED, _DONE = (Status.BELUM_TERVERIFIKASI.value, Status.DIDISPOSISIKAN.value,
                                       Status.DITUNDA.value, Status.SELESAI.value)


def group_events(rows: Iterable[tuple[str, datetime, str, str, str | None]]
                 ) -> dict[str, list[tuple[datetime, str, str, str | None]]]:
    """``(complaint id, at, event id, kind, to_status)`` rows as each complaint's ``(at, event id, kind,
    to_status)``, for :func:`build_facts`."""
    by_complaint: dict[str, list[tuple[datetime, str, str, str | None]]] = {}
    for cid, at, event_id, kind, to_status in rows:
        found = by_complaint.get(cid)
        if found is None:
            by_complaint[cid] = [(at, event_id, kind, to_status)]
        else:
            found.append((at, event_id, kind, to_status))
    return by_complaint


# How far before a period a complaint's deadline can start and still be settled inside it, at least: the longest
# resolution period of the bundled policy (60 working days) spans about 90 calendar days; generous on purpose.
LOOKBACK = timedelta(days=200)
# Non-working days a span of working days may cross beyond its weekends (Lebaran alone brings a week).
_HOLIDAY_SLACK_DAYS = 60


@dataclass(frozen=True)
class SelectionWindow:
    """Which complaints a reader must return for a period: received before ``received_until`` and either received
    since ``since``, or open now, or with a status change since ``since``. A superset: the KPIs decide what counts,
    and a complaint outside it cannot count for the period (every deadline settled in the period started at most
    :func:`lookback` before it, at the receipt or at a status change)."""

    received_until: datetime
    since: datetime


def lookback(policy: SlaPolicy) -> timedelta:
    """:data:`LOOKBACK`, or longer when the policy has a longer period (a working day is 7/5 calendar days)."""
    periods = [*policy.steps.values(), *policy.resolution.values()]
    longest = max(p.days if p.unit == "calendar" else -(-p.days * 7 // 5) + _HOLIDAY_SLACK_DAYS for p in periods)
    return max(LOOKBACK, timedelta(days=longest))


def selection_window(start: datetime, end: datetime, policy: SlaPolicy) -> SelectionWindow:
    """For the period [``start``, ``end``) in UTC (app.kpi.period.ReportPeriod.bounds) under ``policy``."""
    return SelectionWindow(received_until=end, since=start - lookback(policy))


def utc(value: datetime) -> datetime:
    """A stored time as aware UTC (a naive one is UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
