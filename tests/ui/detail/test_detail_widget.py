"""The detail panel: fields, deadlines, the reporter as the privacy rules allow, the timeline, refreshes and the
dropping of stale results."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget

from app.domain import Channel, Classification, DeadlineState, EventKind, Role, Status
from app.inputs import IntakeInput, ReporterInput
from app.models import Complaint, Reporter
from app.rules.sla import holiday_horizon
from app.services import intake, records
from app.services import workflow_actions as wf
from app.services.common import add_event
from tests.helpers.world import World
from tests.ui.detail.conftest import PU, DeferredRunner, complaint_in, load
from ui.detail import ComplaintDetailWidget
from ui.detail.format import DEADLINE_COLOURS
from ui.workspace import Workspace


def texts(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def make_detail(qtbot, ws: Workspace) -> ComplaintDetailWidget:  # noqa: ANN001 - pytest-qt fixture
    widget = ComplaintDetailWidget(ws)
    qtbot.addWidget(widget)
    widget.resize(640, 900)
    return widget


def test_shows_the_complaint_fields_deadlines_and_timeline(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.DIDISPOSISIKAN)
    records.add_note(world.ctx, world.users[Role.ADMIN_INSTANSI], cid, text="Sudah ditelepon pelapor.")
    widget = make_detail(qtbot, workspace)
    with qtbot.waitSignal(widget.loaded, check_params_cb=lambda i: i == cid):
        widget.show_complaint(cid)
    d = load(world, cid)
    assert widget.header.code.text() == d.tracking_code
    assert widget.header.title.text() == "Jalan berlubang di depan pasar"
    assert widget.header.status.text() == "Didisposisikan"
    # Received Monday 09:00 in Sleman (WIB): shown in the office's zone, not in UTC.
    assert "2 Mar 2026 09.00 WIB" in widget.header.meta.text()
    assert "Pengaduan" in widget.header.meta.text() and "Datang langsung" in widget.header.meta.text()
    shown = texts(widget)
    assert PU in shown
    assert d.description in shown
    assert any(t.startswith("✓ Tepat waktu") for t in shown)
    # Timeline: newest first, each event once, with who/when/what/text.
    entries = widget.timeline.entries
    assert len(entries) == len(d.events) == 3
    assert [e.kind_label for e in entries] == ["Catatan internal", "Diverifikasi dan didisposisikan",
                                               "Laporan diterima"]
    disposed = entries[1]
    assert disposed.text == "Mohon segera dicek ke lokasi."
    assert f"To unit: {PU}" in disposed.lines
    assert "Petugas Admin_Instansi" in disposed.meta and "Belum terverifikasi → Didisposisikan" in disposed.meta
    assert "2 Mar 2026 09.00 WIB" in disposed.meta
    shown_html = widget.timeline.html()
    assert "Mohon segera dicek ke lokasi." in shown_html and "Sudah ditelepon pelapor." in shown_html
    assert shown_html.index("Catatan internal") < shown_html.index("Laporan diterima")


def test_sync_events_are_marked_and_text_is_never_html(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.DIDISPOSISIKAN)
    records.add_note(world.ctx, world.users[Role.ADMIN_INSTANSI], cid, text="<b>tebal</b> & <i>miring</i>")
    with world.store.transaction() as session:  # as sync/apply_pull writes them
        complaint = session.get(Complaint, cid)
        add_event(session, complaint, kind=EventKind.TRANSITION_REJECTED, at=world.clock.now, actor=None,
                  from_status=Status.DIDISPOSISIKAN, to_status=Status.SELESAI, text="Sudah selesai diperbaiki.",
                  data={"requested_from": Status.DITINDAKLANJUTI, "requested_to": Status.SELESAI,
                        "reason": "not_allowed_now"})
        add_event(session, complaint, kind=EventKind.CONFLICT_MERGED, at=world.clock.now, actor=None,
                  data={"conflicts": {"title": {"mine": "Judul di PC ini", "theirs": "Judul di server"}}})
    widget = make_detail(qtbot, workspace)
    widget.show_complaint(cid)
    marked = [e for e in widget.timeline.entries if e.marked]
    assert {e.kind for e in marked} == {EventKind.TRANSITION_REJECTED, EventKind.CONFLICT_MERGED}
    rejected = next(e for e in marked if e.kind == EventKind.TRANSITION_REJECTED)
    assert "Requested: Ditindaklanjuti → Selesai" in rejected.lines
    assert "Refused because the complaint's status had changed in the meantime." in rejected.lines
    merged = next(e for e in marked if e.kind == EventKind.CONFLICT_MERGED)
    assert "Title: this PC had Judul di PC ini, the server has Judul di server" in merged.lines
    shown_html = widget.timeline.html()
    assert shown_html.count("⚠ Needs attention") == 2
    assert shown_html.count('bgcolor="#fff1d6"') == 4  # the tinted cells of the two marked events
    assert "&lt;b&gt;tebal&lt;/b&gt; &amp; &lt;i&gt;miring&lt;/i&gt;" in shown_html
    assert "<b>tebal</b>" not in shown_html
    assert "<b>tebal</b> & <i>miring</i>" in widget.timeline.document.toPlainText()  # shown as typed


def test_deadline_state_is_shown_in_words_and_colour(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    world.clock.advance(days=30)
    widget = make_detail(qtbot, workspace)
    widget.show_complaint(cid)
    overdue = [label for label in widget.deadlines.findChildren(QLabel) if label.text().startswith("✕ Terlambat")]
    assert overdue, texts(widget.deadlines)
    assert overdue[0].colours == DEADLINE_COLOURS[DeadlineState.OVERDUE] == ("#a61b1b", "#fde4e4")
    assert "day(s) late" in overdue[0].text()


@pytest.mark.parametrize(("role", "sees"), [
    (Role.ADMIN_INSTANSI, True),
    (Role.PETUGAS_LOKET, False),
    (Role.PIMPINAN, False),
])
def test_anonymous_reporter_only_for_roles_that_may_see_them(
        qtbot, world: World, make_workspace: Callable[..., Workspace], role: str, sees: bool) -> None:
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI, anonymous=True)
    widget = make_detail(qtbot, make_workspace(role))
    widget.show_complaint(cid)
    shown = texts(widget)
    assert ("Budi Santoso" in shown) is sees
    assert ("+6281234567890" in shown) is sees
    assert ("Identity withheld" in shown) is not sees
    assert "Anonymous" in shown  # the header says the complaint is anonymous either way


@pytest.mark.parametrize(("role", "sees"), [(Role.PETUGAS_LOKET, True), (Role.PENGHUBUNG, True),
                                           (Role.PIMPINAN, False)])
def test_named_reporter_is_shown_as_the_role_policy_says(qtbot, world: World,
                                                         make_workspace: Callable[..., Workspace],
                                                         role: str, sees: bool) -> None:
    """app.rules.scope: the counter and the liaison of the complaint's unit see the name; leadership none."""
    cid = complaint_in(world, Status.DIDISPOSISIKAN)  # dispositioned to PU, the liaison's unit
    widget = make_detail(qtbot, make_workspace(role))
    widget.show_complaint(cid)
    assert ("Budi Santoso" in texts(widget.reporter)) is sees


@pytest.mark.parametrize("role", [Role.PENGHUBUNG, Role.IT_ADMIN])
def test_a_complaint_outside_the_role_scope_is_not_opened(qtbot, world: World,
                                                         make_workspace: Callable[..., Workspace],
                                                         role: str) -> None:
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI, anonymous=True)  # never dispositioned to a unit
    widget = make_detail(qtbot, make_workspace(role))
    widget.show_complaint(cid)
    assert widget.snapshot is None
    shown = texts(widget._pages.currentWidget())
    assert not any("Budi Santoso" in t or "+6281234567890" in t for t in shown)
    assert any(("unit Anda" if role == Role.PENGHUBUNG else "Admin TI") in t for t in shown)  # why, in words


def test_empty_state_and_not_found(qtbot, world: World, workspace: Workspace) -> None:
    widget = make_detail(qtbot, workspace)
    assert "No complaint selected" in texts(widget._pages.currentWidget())
    assert not any(a.isEnabled() for a in widget.menu_actions())
    # A complaint of another office is "not found" here.
    foreign = intake(world.ctx, world.other_admin, IntakeInput(
        classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title="Lampu jalan mati di Kuta",
        description="Lampu jalan di depan pasar mati sejak seminggu dan membahayakan pengendara.",
        reporter=ReporterInput(name="Made", phone="081234567890", consent_given=True))).complaint_id
    widget.show_complaint(foreign)
    assert "Laporan tidak ditemukan." in texts(widget._pages.currentWidget())
    assert widget.snapshot is None
    widget.show_complaint(None)
    assert "No complaint selected" in texts(widget._pages.currentWidget())


def test_stale_result_for_a_complaint_no_longer_shown_is_dropped(qtbot, world: World, workspace: Workspace) -> None:
    first, second = complaint_in(world, Status.BELUM_TERVERIFIKASI), complaint_in(world, Status.DIDISPOSISIKAN)
    runner = DeferredRunner()
    workspace.tasks = runner  # type: ignore[assignment]
    widget = make_detail(qtbot, workspace)
    widget.show_complaint(first)
    widget.show_complaint(second)
    runner.deliver(1)  # the second answer arrives first
    assert widget.snapshot is not None and widget.snapshot.complaint_id == second
    with qtbot.assertNotEmitted(widget.loaded):
        runner.deliver(0)  # the late answer for the first complaint
    assert widget.snapshot.complaint_id == second
    assert widget.header.code.text() == load(world, second).tracking_code
    assert widget.complaint_actions.available == widget.snapshot.actions


def test_refreshes_when_its_complaint_changes(qtbot, world: World, workspace: Workspace) -> None:
    cid, other = complaint_in(world, Status.BELUM_TERVERIFIKASI), complaint_in(world, Status.BELUM_TERVERIFIKASI)
    widget = make_detail(qtbot, workspace)
    widget.show()
    widget.show_complaint(cid)
    with qtbot.assertNotEmitted(widget.loaded):
        workspace.hub.complaints_changed.emit([other])
    wf.dispose(world.ctx, world.users[Role.ADMIN_INSTANSI], cid, unit_id=world.units[PU])
    with qtbot.waitSignal(widget.loaded):
        workspace.hub.complaints_changed.emit([cid])
    assert widget.header.status.text() == "Didisposisikan"
    records.add_note(world.ctx, world.users[Role.ADMIN_INSTANSI], cid, text="Catatan setelah sinkronisasi.")
    with qtbot.waitSignal(widget.loaded):
        workspace.hub.complaints_changed.emit([])  # "many changed", e.g. after a sync pull
    assert widget.snapshot.detail.events[-1].kind == EventKind.NOTE


def test_refresh_keeps_the_reading_position(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.DITINDAKLANJUTI)
    widget = make_detail(qtbot, workspace)
    widget.resize(460, 420)
    widget.show()
    widget.show_complaint(cid)
    bar = widget._scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 100)
    bar.setValue(100)
    records.add_note(world.ctx, world.users[Role.ADMIN_INSTANSI], cid, text="Catatan baru dari rekan kerja.")
    with qtbot.waitSignal(widget.loaded):
        workspace.hub.complaints_changed.emit([cid])
    qtbot.waitUntil(lambda: bar.value() == 100)
    other = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    with qtbot.waitSignal(widget.loaded):
        widget.show_complaint(other)  # another complaint starts at the top
    qtbot.waitUntil(lambda: bar.value() == 0)


def test_hidden_panel_refreshes_when_shown_again(qtbot, world: World, workspace: Workspace) -> None:
    cid = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    widget = make_detail(qtbot, workspace)
    widget.show_complaint(cid)
    assert not widget.isVisible()
    with qtbot.assertNotEmitted(widget.loaded):
        workspace.hub.complaints_changed.emit([cid])
    with qtbot.waitSignal(widget.loaded):
        widget.show()


@pytest.mark.parametrize("font_scale", [1.0, 1.4])
def test_narrow_panel_wraps_instead_of_cutting(qtbot, qapp, world: World, workspace: Workspace,  # noqa: ANN001
                                               font_scale: float) -> None:
    cid = complaint_in(world, Status.DITINDAKLANJUTI)
    with world.store.transaction() as session:  # an unbreakable value: an e-mail address
        reporter = session.get(Complaint, cid).reporter_id
        session.get(Reporter, reporter).email = "suartana.suardana@mail.contoh.go.id"
    font = qapp.font()
    qapp.setFont(QFont(font.family(), round(font.pointSizeF() * font_scale)))
    try:
        widget = make_detail(qtbot, workspace)
        widget.show()
        widget.resize(440, 700)
        with qtbot.waitSignal(widget.loaded):
            widget.show_complaint(cid)
        scroll = widget._scroll
        # Laid out: nothing runs off the right edge, so no sideways scroll bar (waited for, not slept on).
        qtbot.waitUntil(lambda: scroll.widget().width() <= scroll.viewport().width()
                        and not scroll.horizontalScrollBar().isVisible())
        assert widget.minimumSizeHint().width() <= 440
        assert scroll.widget().width() <= scroll.viewport().width()  # nothing runs off the right edge
        assert "suartana.suardana@mail.contoh.go.id" in texts(widget.reporter)
        assert not scroll.horizontalScrollBar().isVisible()
    finally:
        qapp.setFont(font)


def test_a_deadline_past_the_holiday_calendar_is_shown_as_an_estimate(qtbot, world: World,
                                                                       workspace: Workspace) -> None:
    with world.store.read() as session:
        horizon = holiday_horizon(session)
    assert horizon is not None
    on_time = complaint_in(world, Status.BELUM_TERVERIFIKASI)
    world.clock.now = datetime.combine(horizon - timedelta(days=1), time(2), UTC)
    late = complaint_in(world, Status.BELUM_TERVERIFIKASI)  # verification due 3 working days later
    widget = make_detail(qtbot, workspace)
    widget.show_complaint(late)
    estimates = [label for label in widget.deadlines.findChildren(QLabel) if label.text().endswith("(estimate)")]
    assert len(estimates) == 2, texts(widget.deadlines)  # verification and resolution both fall after it
    assert all("holiday calendar" in label.toolTip() for label in estimates)
    widget.show_complaint(on_time)  # due in March 2026, well inside the calendar
    assert not any("(estimate)" in text for text in texts(widget.deadlines))
