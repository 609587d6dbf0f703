"""The sync widgets in Indonesian with the window's style: the status bar and the conflict review page render with
their Indonesian texts. Each picture is saved in the test's folder, and in $LAPOR_SCREENSHOT_DIR when set (that is
how docs/screenshots/conflicts.png is made)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTime
from PySide6.QtWidgets import QApplication, QMainWindow, QStatusBar, QWidget

from app.domain import Role
from app.store import meta
from sync import state
from sync.engine import SyncReport
from tests.helpers.world import World
from tests.ui.sync.conftest import FakeFactory, add_pending, mark_enrolled
from tests.ui.sync.test_sync_conflicts import add_conflict
from tools import i18n as tools_i18n
from ui import i18n
from ui.style import apply_style
from ui.sync.conflicts import ConflictReviewWidget
from ui.sync.controller import SyncController
from ui.sync.status_widget import SyncStatusWidget
from ui.workspace import Workspace


@pytest.fixture
def indonesian(qapp: QApplication, keep_app_as_it_was: None) -> None:
    """The Indonesian translation (built from the .ts files if `make translations` has not run) and the style;
    ``keep_app_as_it_was`` gives the tests after it English and the default style back."""
    ts, qm = tools_i18n.ts_path("sync"), tools_i18n.ts_path("sync").with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        tools_i18n.release()
    i18n.install(qapp, "id")
    apply_style(qapp)


def save(widget: QWidget, name: str, folder: Path) -> Path:
    path = folder / name
    assert widget.grab().save(str(path))
    shots = os.environ.get("LAPOR_SCREENSHOT_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(shots) / name))
    return path



def settle() -> None:
    """Deliver the layout requests already posted (no time to wait out: the events are queued, not late)."""
    QCoreApplication.sendPostedEvents()
    QApplication.processEvents()


def test_status_bar_in_indonesian(indonesian: None, make_workspace: Callable[..., Workspace], world: World,
                                  qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = make_workspace(Role.ADMIN_INSTANSI, synchronous=False)
    mark_enrolled(ws)
    world.new_complaint()
    success = world.clock() + timedelta(hours=5, minutes=32)  # 14.32 WIB
    with world.store.transaction() as session:
        meta.put(session, state.LAST_SUCCESS, success.isoformat())
    add_pending(world, 3)
    add_conflict(world, world.new_complaint(), "title", "Jalan rusak parah di depan Pasar Sleman",
                 "Jalan berlubang besar di depan Pasar Sleman")
    world.clock.advance(hours=6)
    gate = threading.Event()
    controller = SyncController(ws, engine_factory=FakeFactory([SyncReport()], steps=[("pull", 2, 5, 48_000)],
                                                                gate=gate))
    window = QMainWindow()
    qtbot.add_widget(window)
    bar = QStatusBar(window)
    window.setStatusBar(bar)
    widget = SyncStatusWidget(ws, controller)
    bar.addPermanentWidget(widget)
    window.resize(1100, 60)
    window.show()
    qtbot.wait_until(lambda: widget.last_sync_text() != "Sinkron terakhir: …", timeout=5000)
    assert widget.state_text() == "Koneksi belum diperiksa"
    assert widget.last_sync_text() == "Sinkron terakhir: 14.32"
    assert widget._button.text() == "Sinkronkan sekarang"
    assert widget.pending_text() == "3 perubahan menunggu dikirim"
    settle()  # the status bar lays out the new texts before the picture
    save(bar, "sync-status.png", tmp_path)

    controller.sync_now()
    qtbot.wait_until(lambda: widget._progress.maximum() == 5, timeout=5000)
    assert widget.state_text() == "Menyinkronkan…" and widget._progress.text() == "Menerima pembaruan 2/5"
    settle()
    save(bar, "sync-status-running.png", tmp_path)
    with qtbot.wait_signal(controller.finished, timeout=5000):
        gate.set()
    assert widget.state_text() == "Daring"
    assert QLocale().toString(QTime(14, 32), QLocale.FormatType.ShortFormat) == "14.32"


def test_local_mode_in_indonesian(indonesian: None, workspace: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = SyncStatusWidget(workspace, SyncController(workspace, engine_factory=FakeFactory([SyncReport()])))
    qtbot.add_widget(widget)
    assert widget.state_text() == "Mode lokal (tidak terhubung ke server)"


def test_conflict_page_in_indonesian(indonesian: None, workspace: Workspace, world: World, qtbot,
                                     tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    road = world.new_complaint(title="Jalan berlubang besar di depan Pasar Sleman")
    lamp = world.new_complaint(title="Lampu penerangan jalan mati di Jalan Kaliurang km 7")
    add_conflict(world, road, "title", "Jalan rusak parah di depan Pasar Sleman",
                 "Jalan berlubang besar di depan Pasar Sleman", event="ev-101")
    add_conflict(world, road, "address", "Jl. Magelang km 10, Sleman", "Jl. Magelang km 10,5, depan Pasar Sleman",
                 event="ev-102")
    add_conflict(world, lamp, "is_supervisory", True, False, event="ev-103")
    widget = ConflictReviewWidget(workspace)
    qtbot.add_widget(widget)
    widget.resize(1040, 660)
    widget.show()
    assert widget.model.rowCount() == 3
    assert widget.keep_mine_button.text() == "Pakai &milik saya"
    assert widget.model.headerData(0, Qt.Orientation.Horizontal) == "Kode pelacakan"
    settle()
    save(widget, "conflicts.png", tmp_path)

    widget.keep_theirs_button.click()
    widget.keep_theirs_button.click()
    widget.keep_theirs_button.click()
    assert widget.model.rowCount() == 0 and widget.empty_label.text() == "Tidak ada konflik"
    save(widget, "conflicts-empty.png", tmp_path)
