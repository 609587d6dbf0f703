"""A notification never moves what is under the pointer: the "new complaints" notice after a sync appears and
hides itself (or is closed) in room the toolbar keeps for it, and the list, its header, the detail and the
navigation stay where they were, pixel for pixel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QToolButton, QWidget

from tests.helpers.world import World
from tests.ui.intake.test_screenshots import settle
from ui.main_window import Features, MainWindow
from ui.workspace import Workspace


def where(window: MainWindow) -> dict[str, QRect]:
    """Where each part a person clicks is on the window."""
    parts: dict[str, QWidget] = {
        "list": window.complaint_list, "table": window.complaint_list.table,
        "header": window.complaint_list.table.horizontalHeader(), "search": window.complaint_list.search,
        "detail": window.detail, "navigation": window.nav, "toolbar": window.toolbar}
    return {name: QRect(w.mapTo(window, QPoint(0, 0)), w.size()) for name, w in parts.items()}


def test_the_new_complaints_notice_does_not_move_the_list(qtbot: Any, workspace: Workspace, world: World) -> None:
    for _ in range(3):
        world.new_complaint()
    features = Features.real()
    window = MainWindow(workspace, features, features.sync_controller(workspace))
    qtbot.add_widget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.wait_exposed(window)
    window.show_page("all")
    settle()
    assert window.banner is not None and window.banner.isHidden()
    before = where(window)

    window.banner.show_message(window.tr("New complaints"), "3 new complaint(s) arrived from the server.")
    settle()
    assert window.banner.isVisible() and window.banner.text().startswith("3 new")
    banner = QRect(window.banner.mapTo(window, QPoint(0, 0)), window.banner.size())
    assert banner.intersects(before["toolbar"]) and not banner.intersects(before["list"])
    assert where(window) == before

    window.banner.findChild(QToolButton).click()  # closed by hand (it also hides itself after 20 s)
    settle()
    assert window.banner.isHidden()
    assert where(window) == before


def test_a_long_notice_is_cut_short_in_its_room_not_widening_the_window(qtbot: Any, workspace: Workspace) -> None:
    features = Features.real()
    window = MainWindow(workspace, features, features.sync_controller(workspace))
    qtbot.add_widget(window)
    window.show()
    qtbot.wait_exposed(window)
    settle()
    before, width = where(window), window.width()
    text = "1.234 new complaint(s) arrived from the server; " * 6
    window.banner.show_message("New complaints", text)
    settle()
    assert window.width() == width and where(window) == before
    assert window.banner.text() == text and text in window.banner.toolTip()
    assert window.toolbar.widgetForAction(window.refresh_action).isVisible()  # not pushed into the overflow menu
