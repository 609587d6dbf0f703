"""The status-bar widget: local mode, never synced, online, offline, a failed sync, pending changes, the last
successful sync, and the progress bar while a sync runs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QLocale, QTime

from app.domain import Role
from app.errors import Message
from app.store import meta
from sync import state
from sync.engine import SyncReport
from sync.transport import CertificateProblem, ServerUnreachable
from tests.helpers.world import World
from tests.ui.sync.conftest import FakeFactory, add_pending, mark_enrolled
from ui.sync.controller import SyncController
from ui.sync.status_widget import SyncStatusWidget
from ui.workspace import Workspace


def _widget(ws: Workspace, qtbot, factory: FakeFactory | None = None) -> tuple[SyncStatusWidget, SyncController]:  # type: ignore[no-untyped-def]
    controller = SyncController(ws, engine_factory=factory or FakeFactory([SyncReport()]))
    widget = SyncStatusWidget(ws, controller)
    qtbot.add_widget(widget)
    widget.show()
    return widget, controller


def test_a_store_without_server_shows_local_mode_and_no_button(workspace: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    widget, _controller = _widget(workspace, qtbot)
    assert widget.state_text() == "Local mode (not connected to a server)"
    assert not widget._button.isVisible()
    assert widget.pending_text() == "" and widget.last_sync_text() == ""


def test_never_synced(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    widget, _controller = _widget(enrolled_ws, qtbot)
    assert widget.state_text() == "Never synced"
    assert widget.last_sync_text() == "Last sync: never"
    assert widget.pending_text() == "All changes sent"
    assert widget._button.isVisible() and widget._button.isEnabled()
    assert "F9" in widget._button.toolTip()


def test_pending_changes_and_the_last_success(enrolled_ws: Workspace, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    success = world.clock() + timedelta(hours=5, minutes=32)  # 07:32 UTC = 14:32 WIB, the same day
    with world.store.transaction() as session:
        meta.put(session, state.LAST_SUCCESS, success.isoformat())
    add_pending(world, 3)
    world.clock.advance(hours=6)
    widget, _controller = _widget(enrolled_ws, qtbot)
    clock = QLocale().toString(QTime(14, 32), QLocale.FormatType.ShortFormat)
    assert widget.last_sync_text() == f"Last sync: {clock}"
    assert widget.pending_text() == "3 change(s) waiting to be sent"
    assert widget.state_text() == "Connection not checked yet"
    world.clock.advance(days=1)  # another day: the date comes too
    enrolled_ws.hub.complaints_changed.emit([])
    qtbot.wait_until(lambda: "Mar" in widget.last_sync_text() or "Mrt" in widget.last_sync_text(), timeout=3000)
    assert widget.last_sync_text().startswith("Last sync: 2 ")


def test_online_after_a_sync(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    widget, controller = _widget(enrolled_ws, qtbot)
    controller.sync_now()
    assert widget.state_text() == "Online"
    assert widget.property("syncState") == "online"
    assert widget.last_sync_text().startswith("Last sync: ") and "never" not in widget.last_sync_text()
    assert widget.error_text() == ""


def test_offline_is_calm_and_keeps_the_button(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    unreachable = ServerUnreachable(Message("Server tidak dapat dihubungi.", "The server cannot be reached."))
    widget, controller = _widget(enrolled_ws, qtbot, FakeFactory([unreachable]))
    controller.sync_now()
    assert widget.state_text() == "Offline"
    assert "stay safe on this PC" in widget._state.toolTip()
    assert widget.error_text() == ""
    assert widget._button.isEnabled()


def test_a_failed_sync_shows_its_message(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    problem = CertificateProblem(Message("Sertifikat server tidak dapat diverifikasi.",
                                         "The server's certificate could not be verified."))
    widget, controller = _widget(enrolled_ws, qtbot, FakeFactory([problem]))
    controller.sync_now()
    assert widget.state_text() == "Sync failed"
    assert widget.error_text() == "Sertifikat server tidak dapat diverifikasi."
    controller._factory = FakeFactory([SyncReport()])
    controller.sync_now()
    assert widget.error_text() == "" and widget.state_text() == "Online"


def test_progress_bar_and_stop_while_syncing(make_workspace: Callable[..., Workspace], qtbot) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(Role.ADMIN_INSTANSI, synchronous=False)
    mark_enrolled(ws)
    gate = threading.Event()
    widget, controller = _widget(ws, qtbot, FakeFactory([SyncReport()], steps=[("push", 3, 10, 2048)], gate=gate))
    qtbot.wait_until(lambda: widget.pending_text() != "", timeout=3000)
    assert not widget._progress.isVisible()
    widget._button.click()
    qtbot.wait_until(lambda: widget._progress.maximum() == 10, timeout=3000)
    assert widget._progress.isVisible() and widget._progress.value() == 3
    assert widget._progress.text() == "Sending changes 3/10"
    assert widget.state_text() == "Syncing…"
    assert not widget._button.isEnabled() and widget._cancel.isVisible()
    with qtbot.wait_signal(controller.finished, timeout=5000):
        widget._cancel.click()
    assert not widget._progress.isVisible() and widget._button.isEnabled()
