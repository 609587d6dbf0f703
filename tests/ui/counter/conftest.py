"""Counter mode over the test world's office: the counter officer's window (windowed: offscreen has one screen)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QLabel

from app.domain import Role
from app.read.receipt import STATUS_PAGE_KEY
from app.store import meta
from tests.helpers.world import World
from tests.ui.test_main_window import FakeController, fake_features
from ui.counter import CounterWindow
from ui.workspace import Workspace

STATUS_PAGE = "https://lapor.example.go.id"


@pytest.fixture
def counter(qtbot, world: World, make_workspace: Callable[..., Workspace]) -> Iterator[CounterWindow]:  # type: ignore[no-untyped-def]
    with world.store.transaction() as session:
        meta.put(session, STATUS_PAGE_KEY, STATUS_PAGE)
    ws = make_workspace(Role.PETUGAS_LOKET)
    window = CounterWindow(ws, fake_features(), FakeController(ws), full_screen=False)
    qtbot.add_widget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.wait_exposed(window)
    yield window
    window.close()


def no_list_anywhere(window: CounterWindow) -> bool:
    """No table or list of complaints exists in counter mode (only the duplicate panel's own, of the citizen's)."""
    from PySide6.QtWidgets import QAbstractItemView

    views = [v for v in window.findChildren(QAbstractItemView) if v.isVisible()]
    return not views


__all__ = ["QLabel"]
