"""The dashboard in Indonesian with the window's style at 1366×768, saved in the test's folder and, when
$LAPOR_SCREENSHOT_DIR is set, there too: that is how docs/screenshots/dashboard.png is made
(``LAPOR_SCREENSHOT_DIR=docs/screenshots .venv/bin/pytest tests/ui/dashboard/test_screenshot.py``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain import Role
from tests.helpers.translations import build_qm
from tests.ui.dashboard.conftest import March
from ui import i18n
from ui.dashboard import DashboardWidget
from ui.dashboard.compute import MONTH, PeriodChoice
from ui.style import apply_style
from ui.workspace import Workspace


@pytest.fixture
def indonesian(qapp: QApplication, keep_app_as_it_was: None) -> None:
    build_qm("dashboard")
    i18n.install(qapp, "id")
    apply_style(qapp)


def test_dashboard_in_indonesian_at_1366(march: March, make_workspace: Callable[..., Workspace], qtbot: QtBot,
                                        indonesian: None, tmp_path: Path) -> None:
    w = DashboardWidget(make_workspace(Role.PIMPINAN), autoload=False)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.wait_exposed(w)
    w.set_period(PeriodChoice(MONTH, "2026-03"))
    w.tabs.setCurrentWidget(w.panes["unit"])
    QCoreApplication.sendPostedEvents()
    QApplication.processEvents()
    assert w.tiles["received"].title_label.text() == "Laporan diterima"
    assert "tercapai" in w.tiles["verified_on_time"].target_label.text()
    assert w.tabs.tabText(list(w.panes).index("district")) == "Kecamatan"
    picture = w.grab()
    assert picture.save(str(tmp_path / "dashboard.png"))
    shots = os.environ.get("LAPOR_SCREENSHOT_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        assert picture.save(str(Path(shots) / "dashboard.png"))
