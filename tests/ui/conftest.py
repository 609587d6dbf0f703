"""Fixtures for the desktop UI: a logged-in workspace over the test world, with background work run at once
(deterministic) unless a test asks for the threaded runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QLocale
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.config import Paths
from app.domain import Role
from app.services.users import UserInfo, list_users
from tests.helpers.world import World
from ui import i18n
from ui.logs import close_logging
from ui.settings import Settings, WindowState
from ui.tasks import TaskRunner
from ui.workspace import ChangeHub, Workspace


def _user(world: World, role_or_name: str) -> UserInfo:
    user_id = world.users[role_or_name]
    return next(u for u in list_users(world.ctx) if u.id == user_id)


@pytest.fixture
def make_workspace(world: World, data_dir: Path, qapp: object) -> Iterator[Callable[..., Workspace]]:
    """``make_workspace(role=Role.ADMIN_INSTANSI, synchronous=True)`` → a Workspace for that user."""
    made: list[Workspace] = []

    def make(role: str = Role.ADMIN_INSTANSI, *, synchronous: bool = True) -> Workspace:
        paths = Paths(data_dir)
        ws = Workspace(
            paths=paths, store=world.store, services=world.ctx, user=_user(world, role),
            tasks=TaskRunner(synchronous=synchronous), hub=ChangeHub(),
            settings=Settings(data_dir / "settings.ini"), window_state=WindowState(data_dir / "window-state.ini"),
        )
        made.append(ws)
        return ws

    yield make
    for ws in made:
        ws.tasks.shutdown(wait=True)


@pytest.fixture
def workspace(make_workspace: Callable[..., Workspace]) -> Workspace:
    """The office admin (may do every step of the workflow), background work synchronous."""
    return make_workspace()


def _app_state() -> dict[str, object]:
    """What one UI test may change for every test after it on the same worker: the application's font, style,
    palette and style sheet, the colour scheme ui.style applies, the default locale and the translators."""
    from ui import style

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return {"font": QApplication.font().toString(), "style": app.style().name(), "sheet": app.styleSheet(),
            "palette": app.palette().color(QPalette.ColorRole.Window).name(), "scheme": style.active().name,
            "locale": QLocale().name(), "translators": len(i18n._installed)}


def _windows() -> set[int]:
    """The top-level widgets there are now, by their C++ address (a wrapper may be made anew for the same one)."""
    return {shiboken6.getCppPointer(w)[0] for w in QApplication.topLevelWidgets()}


@pytest.fixture(autouse=True)
def _application_kept(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every UI test leaves the application as it found it (keep_app_as_it_was restores what start-up changes): a
    larger font or another scheme left behind changes the forms of the tests after it on the same worker, whichever
    they are. The windows and message boxes a test leaves open are hidden after it (only those a test gives
    ``qtbot.add_widget`` are closed by pytest-qt).

    Then the windows the test made are deleted, before the next test starts. pytest-qt only posts their deletion
    (deleteLater), which Qt carries out in whichever later test first runs an event loop: a worker kept dozens of
    earlier tests' windows alive with their timers and workspaces, and then destroyed them all at once in the
    middle of another test."""
    before = _app_state() if QApplication.instance() is not None else None
    windows_before = _windows() if before is not None else set()
    yield
    if before is None:
        return
    for window in QApplication.topLevelWidgets():
        if window.isVisible():
            window.hide()
        if shiboken6.getCppPointer(window)[0] not in windows_before:
            window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    after = _app_state()
    changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    assert not changed, f"{request.node.nodeid} left the application changed: {changed}"


@pytest.fixture
def keep_app_as_it_was(qapp: QApplication) -> Iterator[None]:
    """For tests that run the real start-up, which styles and translates the one QApplication: give the tests after
    them theirs back (the source text, the default style, no log files open)."""
    style, sheet, palette, locale = qapp.style().name(), qapp.styleSheet(), qapp.palette(), QLocale()
    yield
    i18n.remove(qapp)
    QLocale.setDefault(locale)
    qapp.setStyle(style)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    close_logging()
