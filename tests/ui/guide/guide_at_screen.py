"""The guide's window on a screen of one size (run by test_guide_fits.py in a pytest of its own, whose offscreen
screen is that size; skipped in the suite's run, whose screen is Qt's 800×800): inside the screen, every page title
whole in the list, no text cut, no page scrolling sideways. In Indonesian, with the window's style.

Pictures go to $LAPOR_FIT_SHOTS when set, named ``guide-<page>-<width>.png``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from tests.helpers.translations import build_qm
from tests.ui.intake.test_screenshots import settle as settle_events
from ui import i18n
from ui.guide import GuideWindow, open_guide
from ui.guide import window as guide_window
from ui.guide.pages import PAGE_ORDER
from ui.style import apply_style

SCREEN = os.environ.get("LAPOR_FIT_SCREEN", "")
pytestmark = pytest.mark.skipif(not SCREEN, reason="run by test_guide_fits.py on a screen of that size")


@pytest.fixture
def indonesian(qapp: QApplication, keep_app_as_it_was: None) -> None:
    build_qm("guide")
    i18n.install(qapp, "id")
    apply_style(qapp)


@pytest.fixture
def screen(qapp: QApplication) -> QRect:
    width, height = (int(n) for n in SCREEN.split("x"))
    area = qapp.primaryScreen().availableGeometry()
    assert (area.width(), area.height()) == (width, height), "the offscreen screen was not configured"
    return area


@pytest.fixture
def guide(indonesian: None, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[GuideWindow]:
    monkeypatch.setattr(guide_window, "_window", None)
    window = open_guide("id", None)
    qtbot.add_widget(window)
    qtbot.wait_exposed(window)
    settle(qtbot)
    yield window
    window.deleteLater()


def settle(qtbot: Any) -> None:
    """Let the window keep itself on the screen once its frame is known (a zero-time timer, which runs with the
    posted events), and lay out."""
    settle_events()


def cut_texts(window: GuideWindow) -> list[str]:
    found = []
    inside = window.rect()
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.text():
            wants = label.heightForWidth(label.width()) if label.wordWrap() else label.minimumSizeHint().height()
            if label.height() < wants:
                found.append(f"label {label.text()!r} {label.size()} wants height {wants}")
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.text():
            if button.width() < button.minimumSizeHint().width():
                found.append(f"button {button.text()!r} is cut")
            if not inside.contains(QRect(button.mapTo(window, QPoint(0, 0)), button.size())):
                found.append(f"button {button.text()!r} reaches out of the window")
    listing = window.page_list
    for row in range(listing.count()):
        item = listing.item(row)
        if item.isHidden():
            continue
        if listing.visualItemRect(item).right() > listing.viewport().width() or (
                listing.fontMetrics().horizontalAdvance(item.text()) > listing.visualItemRect(item).width()):
            found.append(f"page title {item.text()!r} is cut")
    return found


@pytest.mark.parametrize("page", PAGE_ORDER)
def test_the_guide_fits_the_screen(guide: GuideWindow, screen: QRect, qtbot: Any, page: str) -> None:
    guide.show_page(page)
    settle(qtbot)
    folder = os.environ.get("LAPOR_FIT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert guide.grab().save(str(Path(folder) / f"guide-{page}-{SCREEN.split('x')[0]}.png"))
    assert screen.contains(guide.frameGeometry()), (guide.frameGeometry(), screen)
    assert guide.windowTitle() == "LAPOR Desk — Panduan pengguna"  # the Indonesian window, not the source text
    assert cut_texts(guide) == []
    assert not guide.browser.horizontalScrollBar().isVisible(), f"{page} scrolls sideways"
    assert guide.browser.viewport().width() >= 560  # lines of a readable length beside the list


def test_a_search_without_result_says_so_without_cutting_it(guide: GuideWindow, qtbot: Any) -> None:
    guide.search.setText("kalender zzzyx")
    settle(qtbot)
    folder = os.environ.get("LAPOR_FIT_SHOTS")
    if folder:
        assert guide.grab().save(str(Path(folder) / f"guide-no-match-{SCREEN.split('x')[0]}.png"))
    assert guide.no_match.isVisible()
    assert cut_texts(guide) == []
