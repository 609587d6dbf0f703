"""A LAPOR Desk too old for the server (a real ``lapor-server`` on 127.0.0.1 answering 426 ``upgrade_required`` to
an older protocol): its changes still go, and the person is told in the window what to do — the status bar says an
update is needed and why, and a notice says it once, not at every automatic sync."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from server import models as srv
from sync import transport
from sync.transport import UpgradeRequired
from tests.sync.conftest import server_pool  # noqa: F401 - a fixture used through desk
from tests.sync.fleet import PC
from tests.sync.serverproc import ServerProcess
from tests.ui.sync.test_sync_e2e import SYNC_TIMEOUT_MS, _no_os_keyring, desk, server  # noqa: F401 - fixtures
from ui.sync.controller import SyncController
from ui.sync.notifier import Notifier
from ui.sync.status_widget import SyncStatusWidget
from ui.workspace import Workspace


def test_the_servers_please_upgrade_reaches_the_person(desk: Callable[[str], tuple[PC, Workspace]],  # noqa: F811
                                                       server: ServerProcess,  # noqa: F811
                                                       qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    pc, ws = desk("pc-lama")
    complaint = pc.intake(1)  # made on this PC, not sent yet
    monkeypatch.setattr(transport, "PROTOCOL_VERSION", 0)  # this PC now speaks a protocol the server no longer serves
    controller = SyncController(ws)
    status = SyncStatusWidget(ws, controller)
    qtbot.add_widget(status)
    notifier = Notifier(ws, controller, use_tray=False)
    notices: list[tuple[str, str]] = []
    notifier.notify.connect(lambda title, text: notices.append((title, text)))

    for _attempt in range(2):  # the second: the next automatic sync
        with qtbot.wait_signal(controller.finished, timeout=SYNC_TIMEOUT_MS) as done:
            assert controller.sync_now()
        assert isinstance(done.args[0], UpgradeRequired)

    error = controller.last_error
    assert controller.upgrade_required and error is not None
    assert "terlalu lama untuk server; minta TI memasang versi terbaru" in error.id
    assert "terlalu lama" in error.id.split("Server:")[1]  # the server's own words follow, for IT
    assert status.state_text() == "Update needed"
    assert "minta TI memasang versi terbaru" in status._state.toolTip()
    assert status.error_text() == error.text(ws.lang)
    assert notices == [("Update needed", error.text(ws.lang))]  # once
    with server.db.transaction() as s:  # the push went through all the same
        assert s.get(srv.Complaint, complaint) is not None

    monkeypatch.undo()  # the new version installed
    with qtbot.wait_signal(controller.finished, timeout=SYNC_TIMEOUT_MS):
        assert controller.sync_now()
    assert not controller.upgrade_required and controller.last_error is None
    assert status.state_text() == "Online"
