"""Automatic sync every ``auto_sync_minutes`` as configured: the machine file's value until the person chooses one,
the machine file's again when IT locks it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.machine_config import MACHINE_FILE_ENV
from sync.engine import SyncReport
from tests.ui.sync.conftest import FakeFactory
from ui.settings import AUTO_SYNC_MINUTES
from ui.sync.controller import SyncController
from ui.workspace import Workspace


def test_the_interval_follows_the_machine_file(enrolled_ws: Workspace, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    machine = tmp_path / "lapor-desk.toml"
    machine.write_text("auto_sync_minutes = 7\n", encoding="utf-8")
    monkeypatch.setenv(MACHINE_FILE_ENV, str(machine))
    controller = SyncController(enrolled_ws, engine_factory=FakeFactory([SyncReport()]))
    enrolled_ws.settings.remove(AUTO_SYNC_MINUTES)
    controller.start_auto(first_after_ms=-1)
    assert controller.auto_interval_ms == 7 * 60_000
    enrolled_ws.settings.set(AUTO_SYNC_MINUTES, 2)
    controller.start_auto(first_after_ms=-1)
    assert controller.auto_interval_ms == 2 * 60_000
    machine.write_text('auto_sync_minutes = 7\nlocked = ["auto_sync_minutes"]\n', encoding="utf-8")
    controller.start_auto(first_after_ms=-1)
    assert controller.auto_interval_ms == 7 * 60_000
    controller.stop()
