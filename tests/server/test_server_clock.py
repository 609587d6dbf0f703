"""A PC's clock is advice, never authority (issue 10 §4): the server dates and orders what it accepts by its own
clock. A time that cannot be true (in the server's future, before what it follows) is moved and the PC's own time
kept as ``recorded_on_pc``; a true time from a PC that worked offline stays; an incident date a few days after the
server's today is accepted and flagged; an automatic close waits for the reporter's window by the server's clock,
policy and holidays."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.domain import EventKind, Status
from app.rules.sla import SlaPolicy, WorkingCalendar, response_window_end
from app.timeutil import zone
from server.apply_common import AFTER, RECORDED_ON_PC
from server.models import Complaint, Holiday, Reporter, SlaPolicyRecord, TimelineEvent
from sync.protocol import Mutation
from tests.server.support import Backend, Device, iso, state_of

TWO_DAYS = timedelta(days=2)


def _with(device: Device, m: Mutation, change: dict[str, Any]) -> Mutation:
    """``m`` with some of its arguments replaced (``{"event.at": ..., "complaint.received_at": ...}``)."""
    args = json.loads(json.dumps(m.args))
    for path, value in change.items():
        *parents, key = path.split(".")
        target = args
        for name in parents:
            target = target[name]
        target[key] = value
    return device.mutation(m.name, m.entity_id, args, user_id=m.user_id, base_version=m.base_version, seq=m.seq)


def _intake_at(device: Device, at: datetime, **extra: Any) -> Mutation:
    m = device.intake()
    return _with(device, m, {"complaint.received_at": iso(at), "event.at": iso(at),
                             "reporter.consent_at": iso(at), **extra})


def _step(device: Device, cid: str, action: str, frm: str, to: str, at: datetime, *, base_version: int,
          fields: dict[str, Any], user_id: str | None) -> Mutation:
    m = device.transition(cid, action, frm, to, user_id=user_id, base_version=base_version, fields=fields)
    return _with(device, m, {"event.at": iso(at)})


def _note_at(device: Device, cid: str, at: datetime, text: str = "Dicek ke lapangan") -> Mutation:
    m = device.note(cid, text)
    return _with(device, m, {"event.at": iso(at)})


def _events(backend: Backend, cid: str) -> list[TimelineEvent]:
    with backend.db.transaction() as s:
        rows = list(s.execute(select(TimelineEvent).where(TimelineEvent.complaint_id == cid)
                              .order_by(TimelineEvent.at, TimelineEvent.id)).scalars())
        s.expunge_all()
        return rows


def _complaint(backend: Backend, cid: str) -> Complaint:
    with backend.db.transaction() as s:
        c = s.get(Complaint, cid)
        assert c is not None
        s.expunge(c)
        return c


def _data(event: TimelineEvent) -> dict[str, Any]:
    return dict(json.loads(event.data_json or "{}"))


def _followed_up(backend: Backend, device: Device, followed_up_at: datetime) -> tuple[str, int]:
    """A complaint of ``device``'s office followed up at ``followed_up_at`` (all pushed at the server's now)."""
    start = followed_up_at - timedelta(hours=2)
    intake = _intake_at(device, start)
    cid = intake.entity_id
    version = device.push_one(intake)["server_version"]
    admin = device.office.admin
    disposed = _step(device, cid, "dispose", Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN,
                     start + timedelta(hours=1), base_version=version, user_id=admin,
                     fields={"unit_id": device.office.unit, "disposed_at": iso(start + timedelta(hours=1))})
    version = device.push_one(disposed)["server_version"]
    follow = _step(device, cid, "follow_up", Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI, followed_up_at,
                   base_version=version, user_id=admin,
                   fields={"disposed_at": iso(start + timedelta(hours=1)), "followed_up_at": iso(followed_up_at)})
    result = device.push_one(follow)
    assert result["status"] == "applied" and result["exact"] is True
    return cid, int(result["server_version"])


def _auto_close(device: Device, cid: str, at: datetime, version: int) -> Mutation:
    m = device.transition(cid, "close", Status.DITINDAKLANJUTI, Status.SELESAI, user_id=None, base_version=version,
                          fields={"closed_at": iso(at)})
    return _with(device, m, {"event.at": iso(at), "event.kind": EventKind.AUTO_CLOSED,
                             "event.actor_user_id": None})


def test_an_intake_from_a_pc_two_days_ahead_is_dated_by_the_server_and_flagged(backend: Backend,
                                                                              device_a: Device) -> None:
    now = backend.clock()
    ahead = now + TWO_DAYS
    pc_today = ahead.astimezone(zone("Asia/Jakarta")).date()  # the PC's "today": after the server's
    m = _intake_at(device_a, ahead, **{"complaint.incident_date": pc_today.isoformat()})
    result = device_a.push_one(m)
    assert result["status"] == "applied", result  # not refused: the incident date is a soft rule
    assert result["exact"] is False  # the server's copy differs from the PC's: the pull brings it back

    c = _complaint(backend, m.entity_id)
    assert c.received_at == now and c.incident_date == pc_today
    received, note = _events(backend, m.entity_id)
    assert received.kind == EventKind.RECEIVED and received.at == now
    assert _data(received)[RECORDED_ON_PC] == iso(ahead)
    assert note.kind == EventKind.NOTE and note.at > received.at and note.actor_user_id is None
    assert _data(note)["flag"] == "incident_date_after_today"
    assert pc_today.strftime("%d-%m-%Y") in (note.text or "")
    with backend.db.transaction() as s:
        reporter = s.get(Reporter, m.args["reporter"]["id"])
        assert reporter is not None and reporter.consent_at == now

    state = state_of(device_a.pull_all()[0])
    assert state[("complaint", m.entity_id)]["data"]["received_at"] == iso(now)
    assert state[("event", received.id)]["data"]["at"] == iso(now)
    assert ("event", note.id) in state


def test_only_hard_rules_refuse_an_intake(backend: Backend, device_a: Device) -> None:
    today = backend.clock().astimezone(zone("Asia/Jakarta")).date()

    def incident(days: int) -> Mutation:
        day = (today + timedelta(days=days)).isoformat()
        return _intake_at(device_a, backend.clock(), **{"complaint.incident_date": day})

    within, beyond = incident(7), incident(8)
    no_title = _with(device_a, device_a.intake(), {"complaint.title": "Jalan"})
    past = incident(-3)
    results = device_a.push(within, beyond, no_title, past)["results"]
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected", "applied"]
    assert results[1]["code"] == "validation" and "7 hari" in results[1]["message"]
    assert results[2]["code"] == "validation" and "title" in results[2]["message"]
    assert results[3]["exact"] is True  # nothing to flag, nothing moved
    assert [e.kind for e in _events(backend, past.entity_id)] == [EventKind.RECEIVED]


def test_a_note_from_a_slow_pc_never_sorts_before_the_receipt(backend: Backend, device_a: Device) -> None:
    now = backend.clock()
    intake = _intake_at(device_a, now)
    device_a.push_one(intake)
    slow = now - TWO_DAYS
    note = _note_at(device_a, intake.entity_id, slow)
    result = device_a.push_one(note)
    assert result["status"] == "applied" and result["exact"] is False
    received, stored = _events(backend, intake.entity_id)
    assert received.kind == EventKind.RECEIVED and stored.id == note.args["event"]["id"]
    assert stored.at == now + AFTER
    assert _data(stored)[RECORDED_ON_PC] == iso(slow)


def test_true_times_from_a_pc_that_worked_offline_stay(backend: Backend, device_a: Device, office_a: Any) -> None:
    """Monday's work reaching the server on Thursday keeps Monday's times; only what cannot be true moves: a
    follow-up recorded before the disposition it follows."""
    now = backend.clock()
    monday = now - timedelta(days=3)
    intake = _intake_at(device_a, monday)
    version = device_a.push_one(intake)["server_version"]
    cid = intake.entity_id
    disposed_at = monday + timedelta(days=1)
    dispose = _step(device_a, cid, "dispose", Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN, disposed_at,
                    base_version=version, user_id=office_a.admin,
                    fields={"unit_id": office_a.unit, "disposed_at": iso(disposed_at)})
    result = device_a.push_one(dispose)
    assert result["exact"] is True
    note = _note_at(device_a, cid, monday + timedelta(hours=3))  # another PC's note, pushed later, true all along
    result_note = device_a.push_one(note)
    assert result_note["exact"] is True
    early = disposed_at - timedelta(hours=1)  # a follow-up "before" the disposition: a wrong clock
    follow = _step(device_a, cid, "follow_up", Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI, early,
                   base_version=result_note["server_version"], user_id=office_a.admin,
                   fields={"disposed_at": iso(disposed_at), "followed_up_at": iso(early)})
    result_follow = device_a.push_one(follow)
    assert result_follow["status"] == "applied" and result_follow["exact"] is False

    c = _complaint(backend, cid)
    assert c.received_at == monday and c.disposed_at == disposed_at
    assert c.followed_up_at == disposed_at + AFTER
    by_id = {e.id: e for e in _events(backend, cid)}
    assert by_id[note.args["event"]["id"]].at == monday + timedelta(hours=3)
    assert RECORDED_ON_PC not in _data(by_id[note.args["event"]["id"]])
    moved = by_id[follow.args["event"]["id"]]
    assert moved.at == disposed_at + AFTER and _data(moved)[RECORDED_ON_PC] == iso(early)


def test_steps_from_a_pc_ahead_are_dated_now_and_its_stale_stamps_do_not_move_them_again(
        backend: Backend, device_a: Device, office_a: Any) -> None:
    now = backend.clock()
    intake = _intake_at(device_a, now)
    version = device_a.push_one(intake)["server_version"]
    cid = intake.entity_id
    pc_disposed = now + TWO_DAYS
    dispose = _step(device_a, cid, "dispose", Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN, pc_disposed,
                    base_version=version, user_id=office_a.admin,
                    fields={"unit_id": office_a.unit, "disposed_at": iso(pc_disposed)})
    result = device_a.push_one(dispose)
    assert result["status"] == "applied" and result["exact"] is False
    assert _complaint(backend, cid).disposed_at == now

    backend.clock.advance(hours=1)
    later = backend.clock()
    pc_followed = pc_disposed + timedelta(hours=1)  # the PC has not pulled: it sends its own disposed_at again
    follow = _step(device_a, cid, "follow_up", Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI, pc_followed,
                   base_version=result["server_version"], user_id=office_a.admin,
                   fields={"disposed_at": iso(pc_disposed), "followed_up_at": iso(pc_followed)})
    assert device_a.push_one(follow)["status"] == "applied"
    c = _complaint(backend, cid)
    assert c.disposed_at == now and c.followed_up_at == later
    (event,) = [e for e in _events(backend, cid) if e.kind == EventKind.FOLLOW_UP]
    assert event.at == later and _data(event)[RECORDED_ON_PC] == iso(pc_followed)


def test_an_auto_close_waits_for_the_window_by_the_servers_clock_policy_and_holidays(
        backend: Backend, device_a: Device) -> None:
    policy = SlaPolicy.bundled()
    raw = json.loads(policy.to_json())
    raw["steps"]["RESPONSE_WINDOW"] = {"days": 3, "unit": "working"}  # the server's policy, not the bundled one
    server_policy = SlaPolicy.from_json(json.dumps(raw))
    followed_up_at = backend.clock() - timedelta(days=1)
    tz = "Asia/Jakarta"
    local_day = followed_up_at.astimezone(zone(tz)).date()
    holiday = WorkingCalendar().add_working_days(local_day, 1)  # the next working day is a holiday here
    with backend.db.transaction() as s:
        s.add(SlaPolicyRecord(effective_from=followed_up_at.date() - timedelta(days=1),
                              policy_json=server_policy.to_json()))
        s.add(Holiday(day=holiday, name="Hari libur uji", kind="NATIONAL"))
    ends = response_window_end(followed_up_at, server_policy, WorkingCalendar([holiday]), tz)
    assert ends > response_window_end(followed_up_at, server_policy, WorkingCalendar(), tz)  # the holiday counts
    cid, version = _followed_up(backend, device_a, followed_up_at)

    backend.clock.now = ends - timedelta(minutes=1)
    early = device_a.push_one(_auto_close(device_a, cid, ends + TWO_DAYS, version))  # a PC whose clock runs ahead
    assert early["status"] == "rejected" and early["code"] == "response_window_open"
    assert ends.astimezone(zone(tz)).strftime("%d-%m-%Y %H:%M") in early["message"]
    c = _complaint(backend, cid)
    assert c.status == Status.DITINDAKLANJUTI and c.closed_at is None
    assert EventKind.AUTO_CLOSED not in {e.kind for e in _events(backend, cid)}

    backend.clock.now = ends + timedelta(minutes=1)
    closed = device_a.push_one(_auto_close(device_a, cid, ends + TWO_DAYS, c.version))
    assert closed["status"] == "applied" and closed["exact"] is False
    c = _complaint(backend, cid)
    assert c.status == Status.SELESAI and c.closed_at == backend.clock()  # never in the server's future


def test_a_person_may_close_before_the_window_ends(backend: Backend, device_a: Device, office_a: Any) -> None:
    cid, version = _followed_up(backend, device_a, backend.clock() - timedelta(hours=1))
    close = _step(device_a, cid, "close", Status.DITINDAKLANJUTI, Status.SELESAI, backend.clock(),
                  base_version=version, user_id=office_a.admin, fields={"closed_at": iso(backend.clock())})
    assert device_a.push_one(close)["status"] == "applied"


def test_an_edit_may_set_an_incident_date_a_pc_ahead_calls_today(backend: Backend, device_a: Device) -> None:
    intake = _intake_at(device_a, backend.clock())
    version = device_a.push_one(intake)["server_version"]
    today = backend.clock().astimezone(zone("Asia/Jakarta")).date()
    ok = device_a.push_one(device_a.edit(intake.entity_id, {"incident_date": (today + TWO_DAYS).isoformat()},
                                         base_version=version))
    assert ok["status"] == "applied"
    too_far = device_a.push_one(device_a.edit(intake.entity_id, {"incident_date": (today + timedelta(days=9))
                                                                 .isoformat()}, base_version=ok["server_version"]))
    assert too_far["status"] == "rejected" and too_far["code"] == "validation"
