"""PCs whose clocks are days off, through a real ``lapor-server`` (issue 10 §4): a complaint whose incident date is the
PC's "today" reaches the server (flagged, dated by the server's clock); a complaint the server does refuse stays a
problem on the PC — counted by ``lapor-desk sync --status`` and its exit code — until it is fixed and sent again or
withdrawn; auto-close waits for the reporter's window by the server's time, and the server refuses one that does not;
a step dated before the receipt comes back dated after it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app import services
from app.cli import run as lapor_desk
from app.domain import EventKind, Role, Status
from app.models import TimelineEvent
from app.read import detail as read_detail
from app.services import refusals
from app.timeutil import utcnow, zone
from server import admin
from server import models as srv
from server.apply_common import RECORDED_ON_PC
from sync.cli import EXIT_REFUSED_INTAKE
from sync.state import read_status
from tests.sync.fleet import PC, Fleet, Office, counter_input

TWO_DAYS = timedelta(days=2)
ELEVEN_DAYS = timedelta(days=11)  # past the reporter's 10-day window, and past the 7 days an incident date may be ahead


def ahead(delta: timedelta) -> Callable[[], datetime]:
    return lambda: utcnow() + delta


def local_today(clock: Callable[[], datetime]) -> date:
    return clock().astimezone(zone("Asia/Jakarta")).date()


def intake_dated_today(pc: PC, n: int) -> str:
    """A counter intake whose incident date is "today" by the PC's own clock."""
    inp = replace(counter_input(n), incident_date=local_today(pc.clock))
    return services.intake(pc.ctx, pc.office.counter, inp).complaint_id


def server_complaint(office: Office, cid: str) -> srv.Complaint | None:
    with office.server.db.transaction() as s:
        c = s.get(srv.Complaint, cid)
        if c is not None:
            s.expunge(c)
        return c


def server_events(office: Office, cid: str) -> list[srv.TimelineEvent]:
    with office.server.db.transaction() as s:
        rows = list(s.execute(select(srv.TimelineEvent).where(srv.TimelineEvent.complaint_id == cid)
                              .order_by(srv.TimelineEvent.at, srv.TimelineEvent.id)).scalars())
        s.expunge_all()
        return rows


def pc_events(pc: PC, cid: str) -> list[TimelineEvent]:
    with pc.store.read() as s:
        rows = list(s.execute(select(TimelineEvent).where(TimelineEvent.complaint_id == cid)
                              .order_by(TimelineEvent.at, TimelineEvent.id)).scalars())
        s.expunge_all()
        return rows


def cli(pc: PC, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = lapor_desk(["--data-dir", str(pc.paths.data_dir), "--lang", "en", "sync", *args])
    return code, capsys.readouterr().out


def test_an_intake_dated_today_on_a_pc_two_days_ahead_reaches_the_server(
        fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    office = fleet.office()
    fast = fleet.pc(office, clock=ahead(TWO_DAYS))
    right = fleet.pc(office)
    cid = intake_dated_today(fast, 1)
    before = utcnow()
    report = fast.sync()
    assert report.pushed == 1 and not report.rejected

    stored = server_complaint(office, cid)
    assert stored is not None and stored.incident_date == local_today(fast.clock)
    assert before <= stored.received_at <= utcnow()  # the server's clock, not the PC's
    received, flag = server_events(office, cid)
    assert received.kind == EventKind.RECEIVED and RECORDED_ON_PC in (received.data_json or "")
    assert flag.kind == EventKind.NOTE and "incident_date_after_today" in (flag.data_json or "")

    mine = fast.complaint(cid)
    assert mine is not None and mine.received_at == stored.received_at  # the pull brought the server's date
    assert flag.id in {e.id for e in pc_events(fast, cid)}
    right.sync()
    assert [e.kind for e in pc_events(right, cid)] == [EventKind.RECEIVED, EventKind.NOTE]
    right.assert_converged()

    code, out = cli(fast, capsys, "--status")
    assert code == 0 and "Refused by server: 0" in out
    assert "Warning: this PC's clock is 2 days ahead of the server" in out


def test_a_refused_intake_stays_a_problem_until_fixed_and_sent_again(
        fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    office = fleet.office()
    fast = fleet.pc(office, clock=ahead(ELEVEN_DAYS))
    cid = intake_dated_today(fast, 2)  # eleven days after the server's today: refused
    code = fast.complaint(cid).tracking_code  # type: ignore[union-attr]
    fast.close()

    status, out = cli(fast, capsys)
    assert status == EXIT_REFUSED_INTAKE, out
    assert "1 rejected" in out and code in out and "7 hari" in out
    status, out = cli(fast, capsys, "--status")
    assert status == EXIT_REFUSED_INTAKE and "Refused by server: 1" in out and code in out
    status, _ = cli(fast, capsys)  # a quiet sync does not make it go away
    assert status == EXIT_REFUSED_INTAKE
    assert server_complaint(office, cid) is None

    fast.reopen()
    assert fast.complaint(cid) is not None  # the citizen's complaint is kept on the PC
    yesterday = local_today(utcnow) - timedelta(days=1)
    fast.edit(cid, incident_date=yesterday)  # fixed with the normal edit...
    refusals.resend_intake(fast.ctx, office.admin, cid)  # ...and sent again
    fast.close()
    status, out = cli(fast, capsys)
    assert status == 0, out  # the edit the server could not apply went with the complaint sent again
    stored = server_complaint(office, cid)
    assert stored is not None and stored.tracking_code == code and stored.incident_date == yesterday
    assert stored.received_at <= utcnow()
    status, out = cli(fast, capsys, "--status")
    assert status == 0 and "Refused by server: 0" in out


def test_a_withdrawn_intake_stays_archived_on_the_pc_and_is_no_problem(
        fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    office = fleet.office()
    pc = fleet.pc(office)
    cid = pc.intake(3)
    with office.server.db.transaction() as s:  # the counter account was disabled centrally meanwhile
        user = s.get(srv.User, office.counter)
        assert user is not None
        admin.set_user_active(s, user.username, False, utcnow())
    report = pc.sync()
    assert [r.code for r in report.rejected] == ["permission_denied"]
    with pc.store.read() as s:
        assert read_status(s).refused_intakes == 1

    refusals.withdraw_intake(pc.ctx, office.admin, cid, "Pelapor diminta datang lagi")
    c = pc.complaint(cid)
    assert c is not None and c.status == Status.DIARSIPKAN
    assert pc.sync().pushed == 0  # nothing to tell the server
    pc.close()
    status, out = cli(pc, capsys, "--status")
    assert status == 0 and "Refused by server: 0" in out


def test_auto_close_waits_for_the_window_by_server_time_and_the_server_refuses_an_early_one(
        fleet: Fleet) -> None:
    office = fleet.office()
    fast = fleet.pc(office, clock=ahead(ELEVEN_DAYS))
    cid = fast.intake(4)
    fast.dispose(cid)
    services.follow_up(fast.ctx, office.admin, cid, text="Jalan sudah ditambal oleh tim pemeliharaan.")
    fast.sync()  # the server dates the follow-up now; the pull brings that back, and the window with it
    followed = server_complaint(office, cid)
    mine = fast.complaint(cid)
    assert followed is not None and mine is not None and mine.followed_up_at == followed.followed_up_at
    assert mine.step_due_at is not None and mine.step_due_at < fast.clock()  # by the PC's own clock: over

    assert services.apply_auto_closures(fast.ctx) == []  # by the server's time it is not
    assert services.apply_auto_closures(fast.ctx, fast.clock()) == [cid]  # an old PC that trusted its clock
    report = fast.sync()
    assert [r.code for r in report.rejected] == ["response_window_open"]
    c = server_complaint(office, cid)
    assert c is not None and c.status == Status.DITINDAKLANJUTI and c.closed_at is None
    mine = fast.complaint(cid)
    assert mine is not None and mine.status == Status.DITINDAKLANJUTI  # put right by the pull
    assert EventKind.AUTO_CLOSED not in {e.kind for e in pc_events(fast, cid)}


def test_a_note_from_a_pc_two_days_behind_never_comes_before_the_receipt(fleet: Fleet) -> None:
    office = fleet.office()
    right = fleet.pc(office)
    slow = fleet.pc(office, clock=lambda: utcnow() - TWO_DAYS)
    cid = right.intake(5)
    right.sync()
    slow.sync()
    slow.note(cid, "Dicatat dengan jam PC yang tertinggal")
    with slow.store.read() as s:  # before any sync: the PC's own timeline already starts with the receipt
        d = read_detail.detail(s, cid, viewer_role=Role.ADMIN_INSTANSI, office_id=office.id)
    assert [e.kind for e in d.events] == [EventKind.RECEIVED, EventKind.NOTE]
    slow.sync()
    received, note = server_events(office, cid)
    assert (received.kind, note.kind) == (EventKind.RECEIVED, EventKind.NOTE) and note.at > received.at
    assert RECORDED_ON_PC in (note.data_json or "")
    right.sync()
    assert [e.kind for e in pc_events(right, cid)] == [EventKind.RECEIVED, EventKind.NOTE]
    right.assert_converged()


def test_pcs_whose_events_the_server_redated_converge(fleet: Fleet) -> None:
    office = fleet.office()
    fast = fleet.pc(office, clock=ahead(TWO_DAYS))
    slow = fleet.pc(office, clock=lambda: utcnow() - TWO_DAYS)
    cid = fast.intake(6)
    fast.dispose(cid)
    fast.sync()
    slow.sync()
    slow.note(cid, "Dicatat dengan jam PC yang tertinggal")
    slow.sync()
    fast.sync()
    for pc in (fast, slow):
        pc.assert_converged()
