"""Fixtures for the first-start wizard: a fresh data folder, its settings, no OS keyring (the device token goes to
the private fallback file), a real national server for enrolment, and every demo server stopped after a test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Paths
from tests.helpers.credentials import no_os_keyring
from tests.sync.serverproc import ServerProcess
from tests.ui.setup.support import admin_cli
from ui.settings import Settings
from ui.setup import demo_server
from ui.setup.wizard import SetupWizard
from ui.tasks import TaskRunner


@pytest.fixture(autouse=True)
def _no_os_keyring() -> Iterator[None]:
    with no_os_keyring():
        yield


@pytest.fixture(autouse=True)
def _stop_demo_servers() -> Iterator[None]:
    yield
    demo_server.stop_all()


@pytest.fixture
def paths(data_dir: Path) -> Paths:
    """A data folder whose store has the reference data but no office yet (a fresh PC after its first open)."""
    return Paths(data_dir)


@pytest.fixture
def settings(data_dir: Path, qapp: object) -> Settings:
    return Settings(data_dir / "settings.ini")


@pytest.fixture
def make_wizard(paths: Paths, settings: Settings, qtbot: object) -> Iterator[object]:
    """``make_wizard(synchronous=False, **kwargs)`` → a shown SetupWizard (closed after the test)."""
    made: list[SetupWizard] = []

    def make(*, synchronous: bool = False, **kwargs: object) -> SetupWizard:
        tasks = TaskRunner(synchronous=True) if synchronous else None
        wizard = SetupWizard(paths, settings, tasks=tasks, **kwargs)  # type: ignore[arg-type]
        qtbot.add_widget(wizard)  # type: ignore[attr-defined]
        wizard.show()
        made.append(wizard)
        return wizard

    yield make
    for wizard in made:
        if wizard.isVisible():
            wizard.done(0)
        wizard.tasks.shutdown(wait=True)


@pytest.fixture(scope="module")
def national_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A real ``lapor-server`` with the six pilot offices and a few complaints (``admin demo``)."""
    folder = tmp_path_factory.mktemp("national")
    server = ServerProcess("sqlite", f"sqlite:///{folder / 'server.sqlite3'}", folder)
    admin_cli(server, "demo", "--complaints", "30")
    server.start()
    yield server
    server.stop()
    server.close_db()
