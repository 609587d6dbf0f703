"""Fixtures for the desktop UI: a logged-in workspace over the test world, with background work run at once
(deterministic) unless a test asks for the threaded runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
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
