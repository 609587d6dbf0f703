"""ui.screen_fit on the suite's own offscreen screen: a rectangle kept inside an area, a shown window brought back
inside its screen, the first size of a window (maximized where the wanted size does not fit), a dialog that grows
when a wrapped message appears in it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from tests.ui.intake.test_screenshots import settle
from ui import screen_fit


@pytest.mark.parametrize("rect, expected", [
    (QRect(100, 100, 300, 200), QRect(100, 100, 300, 200)),  # inside: as it was
    (QRect(700, 650, 300, 200), QRect(500, 400, 300, 200)),  # hanging over the corner: moved in, its size kept
    (QRect(-50, -20, 2000, 900), QRect(0, 0, 800, 600)),  # larger: shrunk to the area
])
def test_clamped(rect: QRect, expected: QRect) -> None:
    assert screen_fit.clamped(rect, QRect(0, 0, 800, 600)) == expected


def test_a_shown_window_is_brought_inside_its_screen(qtbot: Any) -> None:
    window = QWidget()
    qtbot.add_widget(window)
    window.setGeometry(500, 300, 1880, 1000)  # as saved on a 1920×1080 monitor
    window.show()
    qtbot.wait_exposed(window)
    screen_fit.keep_on_screen(window)
    settle()
    area = screen_fit.available_rect(window)
    assert area.contains(window.frameGeometry())
    assert window.width() > area.width() - 20  # as large as the screen allows, not smaller


def test_the_first_size_is_wanted_where_it_fits_else_maximized(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screen_fit, "available_rect", lambda widget=None: QRect(0, 0, 1920, 1040))
    roomy = QWidget()
    qtbot.add_widget(roomy)
    screen_fit.first_geometry(roomy, QSize(1280, 800))
    assert roomy.size() == QSize(1280, 800) and not roomy.isMaximized()
    assert roomy.geometry().center().x() in range(955, 965)  # centred

    monkeypatch.setattr(screen_fit, "available_rect", lambda widget=None: QRect(0, 0, 1366, 738))
    small = QWidget()
    qtbot.add_widget(small)
    screen_fit.first_geometry(small, QSize(1280, 800))
    assert small.windowState() & small.windowState().WindowMaximized
    assert small.height() < 738  # the size to return to fits too


def test_a_dialog_grows_when_a_wrapped_message_appears(qtbot: Any) -> None:
    dialog = QDialog()
    qtbot.add_widget(dialog)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("Judul"))
    message = QLabel("Terlalu panjang: maksimal 4000 karakter. " * 8)
    message.setWordWrap(True)
    message.hide()
    layout.addWidget(message)
    dialog.resize(300, dialog.sizeHint().height())
    dialog.show()
    qtbot.wait_exposed(dialog)
    message.show()
    screen_fit.grow_to_content(dialog)
    settle()
    assert message.height() >= message.heightForWidth(message.width())
