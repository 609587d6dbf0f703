"""On the PC, deadlines and auto-close go by the server's time as the PC knows it (its clock plus the skew the last
sync measured), the reporter's window has one definition (app.rules.sla.response_window_end), and a timeline never shows
a step before the complaint's receipt."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

from sqlalchemy import update

from app import services
from app.domain import DeadlineKind, EventKind, Role, Status
from app.models import Complaint, TimelineEvent
from app.models.reference import SlaPolicyRecord
from app.read import detail as read_detail
from app.rules.sla import DeadlineFacts, SlaPolicy, compute_deadlines, load_calendar, response_window_end
from app.store import meta
from app.timeutil import CLOCK_SKEW_KEY, corrected, server_now
from tests.helpers.world import World

TWO_DAYS = timedelta(days=2)


def followed_up(w: World) -> str:
    cid = w.new_complaint()
    services.dispose(w.ctx, w.users[Role.ADMIN_INSTANSI], cid, unit_id=w.units["Dinas Pekerjaan Umum"])
    services.follow_up(w.ctx, w.users[Role.ADMIN_INSTANSI], cid, text="Jalan sudah ditambal oleh tim PU.")
    return cid


def stored(w: World, cid: str) -> Complaint:
    with w.store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None
        s.expunge(c)
        return c


def set_skew(w: World, seconds: float) -> None:
    with w.store.transaction() as s:
        meta.put(s, CLOCK_SKEW_KEY, f"{seconds:.1f}")


def test_the_corrected_time_applies_a_real_skew_only(world: World) -> None:
    now = world.clock()
    assert corrected(now, None) == now
    assert corrected(now, 30.0) == now  # network delay, not a wrong clock
    assert corrected(now, -TWO_DAYS.total_seconds()) == now - TWO_DAYS
    assert corrected(now, 26 * 365 * 86400.0) == now + timedelta(days=26 * 365)  # a PC that thinks it is 2000
    assert corrected(now, math.inf) == now and corrected(now, math.nan) == now
    assert corrected(now, 200 * 365 * 86400.0) == now  # not a measurement
    with world.store.read() as s:
        assert server_now(s, now) == now  # never synced: nothing known
    set_skew(world, 7200.0)
    with world.store.read() as s:
        assert server_now(s, now) == now + timedelta(hours=2)
    with world.store.transaction() as s:
        meta.put(s, CLOCK_SKEW_KEY, "not a number")
    with world.store.read() as s:
        assert server_now(s, now) == now


def test_the_response_window_has_one_definition(world: World) -> None:
    policy = SlaPolicy.bundled()
    with world.store.read() as s:
        calendar = load_calendar(s)
    start = world.clock()
    facts = DeadlineFacts(Status.DITINDAKLANJUTI, "PENGADUAN", False, start - timedelta(days=3),
                          start - timedelta(days=2), start)
    deadlines = compute_deadlines(facts, policy, calendar, "Asia/Jakarta")
    assert deadlines.step_due_kind == DeadlineKind.RESPONSE_WINDOW
    assert deadlines.step_due_at == response_window_end(start, policy, calendar, "Asia/Jakarta")


def test_auto_close_never_acts_before_the_window_ends_by_server_time(world: World) -> None:
    """The PC's clock runs two days ahead: by its own clock the window ended a day ago, by the server's it ends
    tomorrow."""
    cid = followed_up(world)
    ends = stored(world, cid).step_due_at
    assert ends is not None
    world.clock.now = ends + timedelta(days=1)
    set_skew(world, -TWO_DAYS.total_seconds())
    assert services.apply_auto_closures(world.ctx) == []
    assert stored(world, cid).status == Status.DITINDAKLANJUTI

    world.clock.advance(days=1, minutes=1)  # the server's time: a minute after the window
    assert services.apply_auto_closures(world.ctx) == [cid]
    c = stored(world, cid)
    assert c.status == Status.SELESAI and c.closed_at == world.clock() - TWO_DAYS


def test_auto_close_checks_the_window_by_todays_rules(world: World) -> None:
    """The policy changed after the follow-up (a longer window): the stored deadline is out of date."""
    cid = followed_up(world)
    ends = stored(world, cid).step_due_at
    assert ends is not None
    raw = json.loads(SlaPolicy.bundled().to_json())
    raw["steps"]["RESPONSE_WINDOW"] = {"days": 20, "unit": "calendar"}
    with world.store.transaction() as s:
        s.add(SlaPolicyRecord(effective_from=date(2026, 1, 1), policy_json=json.dumps(raw), source="server"))
    world.ctx.reload_rules()
    world.clock.now = ends + timedelta(minutes=1)
    assert services.apply_auto_closures(world.ctx) == []
    c = stored(world, cid)
    assert c.status == Status.DITINDAKLANJUTI and c.step_due_at == ends + timedelta(days=10)


def test_nothing_sorts_before_the_receipt(world: World) -> None:
    cid = world.new_complaint()
    world.clock.advance(minutes=5)
    note = services.add_note(world.ctx, world.users[Role.ADMIN_INSTANSI], cid, text="Catatan dari PC lain")
    received = stored(world, cid).received_at
    with world.store.transaction() as s:  # a PC whose clock is behind the one that took the complaint in
        s.execute(update(TimelineEvent).where(TimelineEvent.id == note).values(at=received - TWO_DAYS))
    with world.store.read() as s:
        d = read_detail.detail(s, cid, viewer_role=Role.ADMIN_INSTANSI, office_id=world.office_id)
    assert [e.kind for e in d.events] == [EventKind.RECEIVED, EventKind.NOTE]


def test_a_pc_clock_behind_takes_todays_incident_date(world: World) -> None:
    """The counter of a PC two days behind types the real date of today: it is not "in the future"."""
    from app.errors import ValidationError
    from app.inputs import IntakeInput
    from app.timeutil import zone

    with world.store.transaction() as s:
        meta.put(s, CLOCK_SKEW_KEY, str(TWO_DAYS.total_seconds()))
    pc_today = world.clock().astimezone(zone("Asia/Jakarta")).date()

    def take(day: date) -> str:
        inp = IntakeInput(classification="PENGADUAN", channel="WALK_IN", title="Lampu jalan mati di Jalan Magelang",
                          description="Lampu penerangan jalan mati sejak minggu lalu dan membahayakan pengendara.",
                          incident_date=day, is_anonymous=True)
        return services.intake(world.ctx, world.users[Role.PETUGAS_LOKET], inp).complaint_id

    assert take(pc_today + TWO_DAYS)
    try:
        take(pc_today + TWO_DAYS + timedelta(days=1))
    except ValidationError as exc:
        assert "incident_date" in exc.fields
    else:
        raise AssertionError("a date after the server's today was taken")
