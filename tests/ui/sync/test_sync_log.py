"""The sync log view: a small table model (qtmodeltester), newest first, capped, filled by the controller."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt

from sync.engine import SyncReport
from tests.ui.sync.conftest import FakeFactory
from ui.sync import log_view
from ui.sync.controller import SyncController, SyncLogEntry
from ui.sync.log_view import SyncLogModel, SyncLogWidget, format_bytes
from ui.workspace import Workspace

START = datetime(2026, 3, 2, 7, 32, tzinfo=UTC)


def entries(n: int) -> list[SyncLogEntry]:
    results = ["ok", "offline", "error", "cancelled"]
    return [SyncLogEntry(START + timedelta(minutes=10 * i), results[i % 4], i, 2 * i, 1500 * i, f"catatan {i}")
            for i in range(n)]


def test_the_log_model_passes_the_model_tester(qtmodeltester, qapp: object) -> None:  # type: ignore[no-untyped-def]
    model = SyncLogModel(entries(5))
    qtmodeltester.check(model)
    model.add(entries(6)[-1])
    qtmodeltester.check(model)
    assert model.rowCount() == 6 and model.columnCount() == 6
    assert model.rowCount(model.index(0, 0)) == 0


def test_newest_first_with_readable_cells(qapp: object) -> None:
    model = SyncLogModel(entries(3))
    assert model.entry(0).message == "catatan 2"
    cells = [model.data(model.index(0, c)) for c in range(6)]
    assert cells[1:] == ["Failed", "2", "4", format_bytes(3000), "catatan 2"]
    assert "14" in cells[0] and "52" in cells[0]  # 07:52 UTC shown in WIB
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Result"
    assert model.data(model.index(0, 2), Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.data(QModelIndex()) is None


def test_the_model_keeps_at_most_the_log_size(qtmodeltester, qapp: object, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(log_view, "LOG_SIZE", 3)
    model = SyncLogModel(entries(3))
    for entry in entries(6)[3:]:
        model.add(entry)
    assert [model.entry(r).message for r in range(model.rowCount())] == ["catatan 5", "catatan 4", "catatan 3"]
    qtmodeltester.check(model)


def test_bytes_are_shown_in_familiar_units(qapp: object) -> None:
    assert format_bytes(512) == "512 byte(s)"
    assert format_bytes(2048).endswith(" KB") and format_bytes(5 * 1024 * 1024).endswith(" MB")


def test_the_widget_follows_the_controller(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller = SyncController(enrolled_ws, engine_factory=FakeFactory([SyncReport(pushed=4, pulled_complaints=1)]))
    widget = SyncLogWidget(enrolled_ws, controller)
    qtbot.add_widget(widget)
    widget.show()
    assert widget._empty.isVisible() and not widget.view.isVisible()
    controller.sync_now()
    assert widget.model.rowCount() == 1 and widget.view.isVisible() and not widget._empty.isVisible()
    assert widget.model.data(widget.model.index(0, 1)) == "Succeeded"
    assert widget.model.data(widget.model.index(0, 2)) == "4"
