"""Demo timelines: a random walk through app.rules.workflow.TRANSITIONS from receipt to wherever the complaint stands at
``now``, writing the same events, data and date columns as the services in app.services.workflow_actions.

Steps are timed against the SLA policy: most land in office hours before the step's deadline, some after it, and
a few are neglected for weeks (so old complaints can still be open and overdue). A step that would happen after
``now`` is not taken, so recent complaints are found in every open status.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from app.domain import ArchiveReason, Classification, DeadlineKind, EventKind, Status
from app.rules import workflow
from app.rules.sla import DeadlineFacts, SlaPolicy, WorkingCalendar, compute_deadlines, due_at
from demo import workflow_texts as wt
from demo.clock import OfficeClock
from demo.rand import DemoRandom
from demo.staff import OfficeStaff
from demo.texts import MONTHS

S = Status
# The same JSON shape as app.services.context.dumps. Event data comes from small fixed sets (units, reasons,
# channels), so each distinct value is encoded once.
_ENCODE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode
_ENCODED: dict[tuple[tuple[str, Any], ...], str] = {}


def _data_json(data: dict[str, Any]) -> str:
    key = tuple(data.items())
    text = _ENCODED.get(key)
    if text is None:
        text = _ENCODED[key] = _ENCODE(data)
    return text


# How often a step is taken after its deadline (most offices meet 85-95 % of them; SP4N-LAPOR! reports).
VERIFY_LATE_P = 0.07
FOLLOW_UP_LATE_P = 0.10
CATCH_UP_P = 0.6  # an overdue step still open on the start day was cleared late already (TimelineWriter._caught_up)
MAX_STEPS = 10  # reopen / unarchive / not-satisfied loops end after this many transitions
# The shortest path from receipt to each status, for complaints that must end in a given status.
GOAL_PATHS: dict[Status, tuple[Status, ...]] = {
    S.BELUM_TERVERIFIKASI: (),
    S.DIDISPOSISIKAN: (S.DIDISPOSISIKAN,),
    S.DITINDAKLANJUTI: (S.DIDISPOSISIKAN, S.DITINDAKLANJUTI),
    S.DITUNDA: (S.DITUNDA,),
    S.BUKAN_WEWENANG: (S.BUKAN_WEWENANG,),
    S.DIARSIPKAN: (S.DIARSIPKAN,),
    S.SELESAI: (S.DIDISPOSISIKAN, S.DITINDAKLANJUTI, S.SELESAI),
}


@dataclass
class State:
    """A complaint's workflow columns while its timeline is being written."""

    complaint_id: str
    received_at: datetime
    classification: str
    is_supervisory: bool
    category: str
    home_unit: str  # the unit its category goes to
    village: str = "lokasi"
    district: str = "kecamatan setempat"
    status: Status = S.BELUM_TERVERIFIKASI
    unit_id: str | None = None
    disposed_at: datetime | None = None
    followed_up_at: datetime | None = None
    postponed_at: datetime | None = None
    closed_at: datetime | None = None
    archive_reason: str | None = None
    at: datetime = field(init=False)
    events: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.at = self.received_at


@dataclass(frozen=True)
class Move:
    """One transition as a service would make it."""

    target: Status
    action: str  # the workflow action (app.rules.workflow.TRANSITIONS) the service takes
    kind: EventKind
    at: datetime
    actor: str | None  # None: the program itself (auto-closure)
    text: str | None = None
    data: dict[str, Any] | None = None
    unit_id: str | None = None


class TimelineWriter(OfficeClock):
    """Writes timelines for one office (its zone, staff and units) under the store's SLA policy."""

    def __init__(self, rng: DemoRandom, id_rng: DemoRandom, *, tz: str, staff: OfficeStaff,
                 unit_names: dict[str, str], policy: SlaPolicy, calendar: WorkingCalendar, now: datetime) -> None:
        super().__init__(rng, tz=tz, policy=policy, calendar=calendar, now=now)
        self.id_rng, self.staff = id_rng, staff
        self.unit_names = unit_names
        self.units = sorted(unit_names)

    # --- people and words -----------------------------------------------------------------------------------

    def _liaison_or_admin(self, st: State, liaison_p: float = 0.85) -> str:
        liaison = self.staff.liaison(st.unit_id)
        return liaison if liaison and self.rng.chance(liaison_p) else self.staff.admin

    def _counter_or_admin(self) -> str:
        return self.staff.loket if self.rng.chance(0.6) else self.staff.admin

    def _follow_up_text(self, st: State, at: datetime) -> str:
        day = self.local_day(at) - timedelta(days=self.rng.between(0, 2))
        templates: tuple[str, ...]
        if st.classification == Classification.ASPIRASI:
            templates = wt.ASPIRATION_REPLIES
        elif st.classification == Classification.PERMINTAAN_INFORMASI:
            templates = wt.INFORMATION_REPLIES
        else:
            top = st.category.split(".", 1)[0]
            templates = wt.FOLLOW_UPS.get(st.category) or wt.FOLLOW_UPS.get(top) or wt.FOLLOW_UPS["_"]
        text = self.rng.pick(templates).format(
            unit=self.unit_names.get(st.unit_id or "", "unit terkait"), tanggal=indonesian_date(day),
            desa=st.village, kec=f"Kecamatan {st.district}", tahun=day.year, n=self.rng.between(2, 8))
        return text + self.rng.pick(wt.FOLLOW_UP_CLOSINGS)

    def _resolution_due(self, st: State) -> datetime:
        period = self.policy.resolution_period(st.classification, st.is_supervisory)
        return due_at(st.received_at, period, self.calendar, self.tz_name)

    # --- moves from each status ------------------------------------------------------------------------------

    def dispose(self, st: State, at: datetime) -> Move:
        unit = st.unit_id or (st.home_unit if self.rng.chance(0.92) else self.rng.pick(self.units))
        text = self.rng.pick(wt.INSTRUCTIONS) if self.rng.chance(0.6) else None
        return Move(S.DIDISPOSISIKAN, "dispose", EventKind.DISPOSED, at, self.staff.admin, text, {"unit_id": unit},
                    unit)

    def postpone(self, st: State, at: datetime) -> Move:
        actor = self.staff.admin if st.status == S.BELUM_TERVERIFIKASI else self._liaison_or_admin(st, 0.5)
        return Move(S.DITUNDA, "postpone", EventKind.POSTPONED, at, actor, None,
                    {"reason": self.rng.pick(wt.POSTPONE_REASONS)})

    def redirect(self, st: State, at: datetime) -> Move:
        reason, office = self.rng.pick(wt.REDIRECT_REASONS)
        data = {"reason": reason, **({"suggested_office": office} if office else {})}
        return Move(S.BUKAN_WEWENANG, "redirect", EventKind.REDIRECTED, at, self.staff.admin, None, data)

    def archive(self, st: State, at: datetime, code: ArchiveReason | None = None) -> Move:
        if code is None:
            code = self.rng.pick((ArchiveReason.DUPLIKAT, ArchiveReason.DUPLIKAT, ArchiveReason.TIDAK_RELEVAN,
                                    ArchiveReason.TIDAK_RELEVAN, ArchiveReason.SPAM))
        note = wt.ARCHIVE_NOTES[code] if self.rng.chance(0.7) else None
        return Move(S.DIARSIPKAN, "archive", EventKind.ARCHIVED, at, self.staff.admin, note, {"reason": code.value})

    def follow_up(self, st: State, at: datetime) -> Move:
        return Move(S.DITINDAKLANJUTI, "follow_up", EventKind.FOLLOW_UP, at, self._liaison_or_admin(st),
                    self._follow_up_text(st, at))

    def close(self, st: State, at: datetime) -> Move:
        note = self.rng.pick(wt.CLOSE_NOTES) if self.rng.chance(0.5) else None
        return Move(S.SELESAI, "close", EventKind.CLOSED, at, self.staff.admin, note)

    def satisfied(self, st: State, at: datetime) -> Move:
        text = self.rng.pick(wt.SATISFIED) if self.rng.chance(0.7) else None
        return Move(S.SELESAI, "respond", EventKind.REPORTER_RESPONSE, at, self._counter_or_admin(), text,
                    {"satisfied": True})

    def not_satisfied(self, st: State, at: datetime) -> Move:
        text = self.rng.pick(wt.NOT_SATISFIED)
        return Move(S.DIDISPOSISIKAN, "respond", EventKind.REPORTER_RESPONSE, at, self._counter_or_admin(), text,
                    {"reason": text, "satisfied": False})

    def resume(self, st: State, at: datetime) -> Move:
        note = self.rng.pick(wt.RESUME_NOTES) if self.rng.chance(0.6) else None
        return Move(S.BELUM_TERVERIFIKASI, "resume", EventKind.RESUMED, at, self._counter_or_admin(), note)

    def next_move(self, st: State, steps: int) -> Move | None:
        """The walk's next transition with its time (possibly after ``now``), or None where the walk ends."""
        r, t = self.rng.random(), st.at
        if st.status == S.BELUM_TERVERIFIKASI:
            due = self._due(t, DeadlineKind.VERIFICATION)
            if st.events[-1]["kind"] != EventKind.RECEIVED:
                # Resumed or un-archived: its verification deadline still runs from receipt (app.rules.sla), so the
                # office verifies it promptly now that what it waited for is there.
                due = max(min(due, self._due(st.received_at, DeadlineKind.VERIFICATION)), t + timedelta(hours=4))
            at = self._timed(t, due, late_p=VERIFY_LATE_P)
            if r < 0.83:
                return self.dispose(st, at)
            if r < 0.90:
                return self.postpone(st, at)
            if r < 0.94:
                return self.redirect(st, at)
            return self.archive(st, at)
        if st.status == S.DIDISPOSISIKAN:
            due = min(self._due(t, DeadlineKind.FOLLOW_UP), self._resolution_due(st))
            due = max(due, t + timedelta(hours=4))  # a unit answering a late case still takes some time
            at = self._timed(t, due, late_p=FOLLOW_UP_LATE_P, late_days=2.0)
            if r < 0.90:
                return self.follow_up(st, at)
            return self.postpone(st, at) if r < 0.97 else self.redirect(st, at)
        if st.status == S.DITINDAKLANJUTI:
            due = self._due(t, DeadlineKind.RESPONSE_WINDOW)
            if st.classification == Classification.PERMINTAAN_INFORMASI and r < 0.9:
                # The information was given: the office closes the request within a day or two (its resolution
                # deadline is 5 working days, shorter than the reporter's 10-day window), or the reporter thanks it.
                soon = self._within(t, min(due, self._days_later(t, 1, 2)), 1.0)
                return self.close(st, soon) if r < 0.6 else self.satisfied(st, soon)
            if r < 0.40:
                return self.satisfied(st, self._within(t, due, 1.2))
            if r < 0.47 and steps < MAX_STEPS:
                return self.not_satisfied(st, self._within(t, due, 1.2))
            resolution = self._resolution_due(st)
            if resolution < due and r < 0.90:
                # The resolution deadline ends before the reporter's window: the office closes the case by then
                # rather than let it run overdue while it waits.
                return self.close(st, self._within(t, max(resolution, t + timedelta(hours=2)), 1.0))
            if r < 0.70:
                return self.close(st, self._within(t, due, 1.0))
            auto = due + timedelta(minutes=self.rng.uniform(1, 60))  # the PC's auto-close runs every few minutes
            return Move(S.SELESAI, "close", EventKind.AUTO_CLOSED, auto, None)
        if st.status == S.DITUNDA:
            due = self._due(t, DeadlineKind.CLARIFICATION)
            if r < 0.45:
                return self.resume(st, self._within(t, due, 1.3))
            if r < 0.65:
                return self.dispose(st, self._within(t, due, 1.3))
            return self.archive(st, self._next_working_morning(due), ArchiveReason.TIDAK_LENGKAP)
        if st.status == S.DIARSIPKAN and steps < MAX_STEPS and r < 0.03:
            return Move(S.BELUM_TERVERIFIKASI, "unarchive", EventKind.UNARCHIVED, self._days_later(t, 1, 10),
                        self.staff.admin, None, {"reason": self.rng.pick(wt.UNARCHIVE_REASONS)})
        if st.status == S.SELESAI and steps < MAX_STEPS and r < 0.02:
            return Move(S.DIDISPOSISIKAN, "reopen", EventKind.REOPENED, self._days_later(t, 3, 20), self.staff.admin,
                        None, {"reason": self.rng.pick(wt.REOPEN_REASONS)})
        return None

    def goal_move(self, st: State, target: Status, at: datetime) -> Move:
        """The move to ``target`` along the shortest path (for complaints that must end in a status)."""
        if target == S.DIDISPOSISIKAN:
            return self.dispose(st, at)
        if target == S.DITINDAKLANJUTI:
            return self.follow_up(st, at)
        if target == S.DITUNDA:
            return self.postpone(st, at)
        if target == S.BUKAN_WEWENANG:
            return self.redirect(st, at)
        if target == S.DIARSIPKAN:
            return self.archive(st, at)
        return self.close(st, at)

    # --- writing ---------------------------------------------------------------------------------------------

    def event(self, st: State, kind: EventKind, at: datetime, actor: str | None, *, text: str | None = None,
              from_status: str | None = None, to_status: str | None = None,
              data: dict[str, Any] | None = None) -> None:
        st.events.append({"id": self.id_rng.uuid7_at(at), "complaint_id": st.complaint_id, "kind": kind.value,
                          "at": at, "actor_user_id": actor, "from_status": from_status, "to_status": to_status,
                          "text": text, "data_json": _data_json(data) if data else None})

    def apply(self, st: State, move: Move) -> None:
        """Move the status and stamp the date columns as app.rules.workflow's table says (as the service does)."""
        source, at = st.status, move.at
        transition = workflow.find(source, move.target, move.action)
        assert transition is not None and move.kind in workflow.entry_kinds(transition), (source, move)
        workflow.apply_effects(st, transition, at, unit_id=move.unit_id,
                               archive_reason=(move.data or {}).get("reason"))
        self.event(st, move.kind, at, move.actor, text=move.text, from_status=source, to_status=move.target,
                   data=move.data)
        st.at = at

    def maybe_note(self, st: State, until: datetime) -> None:
        """Now and then a supervisor or the administrator writes an internal note while a step is pending."""
        if st.status in (S.DIDISPOSISIKAN, S.DITUNDA) and self.rng.chance(0.08):
            end = min(until, self.now)
            if end > st.at:
                at = st.at + (end - st.at) * self.rng.uniform(0.3, 0.9)
                actor = self.staff.pimpinan if self.rng.chance(0.5) else self.staff.admin
                self.event(st, EventKind.NOTE, at, actor, text=self.rng.pick(wt.NOTES))
                st.at = at

    def write(self, st: State, received_by: str, channel: str, goal: Status | None = None) -> None:
        """The whole timeline of one complaint, from receipt up to ``now`` (or to ``goal``)."""
        self.event(st, EventKind.RECEIVED, st.received_at, received_by, to_status=S.BELUM_TERVERIFIKASI,
                   data={"channel": channel})
        if goal is not None:
            # A complaint that must end in ``goal``: each step on time, the last one before ``now``.
            for target in GOAL_PATHS[goal]:
                end = min(self._step_due(st), self.now)
                at = st.at + (end - st.at) * self.rng.uniform(0.2, 0.8)
                self.apply(st, self.goal_move(st, target, at))
            return
        steps = 0
        while (move := self.next_move(st, steps)) is not None:
            self.maybe_note(st, move.at)
            if move.at > self.now:
                caught_up = self._caught_up(st)
                if caught_up is None:
                    return
                move = replace(move, at=caught_up)
            self.apply(st, move)
            steps += 1

    def _step_due(self, st: State) -> datetime:
        due = self.deadlines(st)["next_due_at"]
        return due if due is not None else self.now

    def _caught_up(self, st: State) -> datetime | None:
        """When the step a complaint waits for at ``now`` is overdue, the office often cleared it late, on the
        last working day or earlier today: the moment it did (None: still waiting). Without this an office's
        few late steps pile up into a day on which a third of the open work is overdue; with it the late steps
        stay in the history (and in the KPIs) and a few remain overdue today, as in an office that works its
        backlog."""
        if self._step_due(st) >= self.now or not self.rng.chance(CATCH_UP_P):
            return None
        day = self.local_day(self.now)
        for _ in range(2):
            while not self.calendar.is_working_day(day):
                day -= timedelta(days=1)
            at = self.office_moment(day)
            if st.at < at <= self.now:
                return at
            day -= timedelta(days=1)
        return None

    def deadlines(self, st: State) -> dict[str, Any]:
        """The deadline columns, computed as app.services.common.refresh_deadlines does."""
        facts = DeadlineFacts(status=st.status, classification=st.classification, is_supervisory=st.is_supervisory,
                              received_at=st.received_at, disposed_at=st.disposed_at,
                              followed_up_at=st.followed_up_at, postponed_at=st.postponed_at)
        d = compute_deadlines(facts, self.policy, self.calendar, self.tz_name)
        return {"step_due_at": d.step_due_at, "step_due_kind": d.step_due_kind, "resolution_due_at":
                d.resolution_due_at, "next_due_at": d.next_due_at, "next_due_kind": d.next_due_kind}


def indonesian_date(day: date) -> str:
    """A date as Indonesian letters write it: "12 Maret 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
