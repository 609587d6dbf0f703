"""Counter mode in Indonesian with the window's style, at 1366×768 and 1024×768: every step of the intake, the
review, the duplicate question, the receipt page, the look-up. Nothing clipped, no sideways scrolling, the buttons
in view. Each picture is saved in the test's folder, and in $LAPOR_SCREENSHOT_DIR when set (that is how
docs/screenshots/counter-*.png are made:
``LAPOR_SCREENSHOT_DIR=docs/screenshots .venv/bin/pytest tests/ui/counter/test_counter_screenshots.py``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QScrollArea

from app.domain import Role
from app.read.receipt import STATUS_PAGE_KEY
from app.store import meta
from tests.helpers.translations import build_qm
from tests.helpers.world import World
from tests.ui.counter.conftest import STATUS_PAGE
from tests.ui.counter.test_counter_window import go_through
from tests.ui.intake.conftest import good_draft
from tests.ui.intake.test_screenshots import clipped_labels, inside, save, settle
from tests.ui.test_main_window import FakeController, fake_features
from ui import i18n, screen_fit
from ui.counter import CounterWindow
from ui.style import apply_style
from ui.workspace import Workspace


@pytest.fixture
def indonesian(qapp: QApplication, keep_app_as_it_was: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite's offscreen screen is 800×800, and a window keeps to its screen: as on a large monitor, the window
    # is laid out at an office screen's size by resizing it (tests/ui/fit runs windows on screens of those sizes).
    monkeypatch.setattr(screen_fit, "available_rect", lambda widget=None: QRect(0, 0, 1920, 1080))
    for area in ("counter", "intake", "shell", "actions"):
        build_qm(area)
    i18n.install(qapp, "id")
    apply_style(qapp)


def check(window: CounterWindow, width: int) -> None:
    settle()
    assert window.width() == width and window.minimumSizeHint().width() <= width  # fits the screen
    assert clipped_labels(window) == []
    for scroll in window.findChildren(QScrollArea):
        if scroll.isVisible() and scroll.widget() is not None:
            assert not scroll.horizontalScrollBar().isVisible(), type(scroll.widget()).__name__
    steps = window.intake
    for button in (steps.next_button, steps.back_button, steps.submit_button, steps.cancel_button,
                   steps.finish_button, steps.print_button):
        if button.isVisible():
            assert inside(window, button), button.text()


@pytest.mark.parametrize("width", [1366, 1024])
def test_counter_mode_in_indonesian(indonesian: None, world: World, qtbot: Any, tmp_path: Path,  # noqa: PLR0915
                                    make_workspace: Callable[..., Workspace], width: int) -> None:
    with world.store.transaction() as session:
        meta.put(session, STATUS_PAGE_KEY, STATUS_PAGE)
    ws = make_workspace(Role.PETUGAS_LOKET)
    window = CounterWindow(ws, fake_features(), FakeController(ws), full_screen=False)
    qtbot.add_widget(window)
    window.resize(width, 768)
    window.show()
    qtbot.wait_exposed(window)
    assert window.new_button.accessibleName() == "Laporan baru"
    check(window, width)
    save(window, f"counter-{width}-home.png", tmp_path)

    window.new_button.click()
    steps = window.intake
    draft = good_draft(channel="WALK_IN", reporter_email="budi.santoso@contoh.id")
    for index, section in enumerate(steps.sections):
        section.restore(draft)
        steps.live.restored(steps.draft())
        check(window, width)
        save(window, f"counter-{width}-step{index + 1}.png", tmp_path)
        steps.next_button.click()
    assert steps.on_review()
    check(window, width)
    save(window, f"counter-{width}-review.png", tmp_path)
    steps.submit_button.click()
    qtbot.wait_until(steps.on_receipt)
    check(window, width)
    save(window, f"counter-{width}-receipt.png", tmp_path)
    first = steps.result
    steps.finish_button.click()

    window.new_button.click()  # the same citizen again: the duplicate question
    go_through(qtbot, steps, good_draft(channel="WALK_IN", title="Lampu jalan mati di depan Pasar Sleman"))
    steps.submit_button.click()
    qtbot.wait_until(lambda: steps.stack.currentWidget() is steps.duplicates)
    check(window, width)
    save(window, f"counter-{width}-duplicate.png", tmp_path)
    steps.cancel_button.click()

    window.check_button.click()
    window.lookup.code.setText(first.tracking_code)
    window.lookup.search()
    check(window, width)
    save(window, f"counter-{width}-lookup.png", tmp_path)
    window.lookup.code.setText(first.tracking_code[:-1] + str((int(first.tracking_code[-1]) + 1) % 10))
    window.lookup.search()
    assert "salah ketik" in window.lookup.problem.text()
    check(window, width)
    save(window, f"counter-{width}-lookup-mistyped.png", tmp_path)
    window.lock()
    check(window, width)
    save(window, f"counter-{width}-locked.png", tmp_path)
