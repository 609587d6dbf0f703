"""The administration area as the main window hosts it: its navigation entries and how each page is made and
wired to the window (the sync log, the settings, a restart after a staged restore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from ui.admin import ACCOUNTS, BACKUPS, CONNECTION, LOG, SYNC_PROBLEMS
from ui.navigation import NavEntry
from ui.workspace import Workspace


def entries() -> list[NavEntry]:
    return [NavEntry(SYNC_PROBLEMS, QCoreApplication.translate("AdminArea", "Sync problems"),
                     QCoreApplication.translate("AdminArea", "Changes not yet sent, refusals and conflicts")),
            NavEntry(ACCOUNTS, QCoreApplication.translate("AdminArea", "User accounts"),
                     QCoreApplication.translate("AdminArea", "Add accounts, new passwords, unlock, disable")),
            NavEntry(BACKUPS, QCoreApplication.translate("AdminArea", "Backups and restore"),
                     QCoreApplication.translate("AdminArea", "Back up now, or go back to a backup")),
            NavEntry(CONNECTION, QCoreApplication.translate("AdminArea", "Sync and enrolment"),
                     QCoreApplication.translate("AdminArea", "The national server, the proxy, the last sync")),
            NavEntry(LOG, QCoreApplication.translate("AdminArea", "Log"),
                     QCoreApplication.translate("AdminArea", "What LAPOR Desk did on this PC, for support"))]


class Host(Protocol):
    """What the pages need of the main window."""

    def show_page(self, key: str) -> None: ...

    def open_settings(self) -> None: ...

    def request_restart(self) -> None: ...


def make(key: str, ws: Workspace, controller: Any, log_dir: Path | None, host: Host, parent: QWidget) -> QWidget:
    """The page of ``key``, wired to the window (made when first shown)."""
    from ui.navigation import SYNC_LOG

    if key == SYNC_PROBLEMS:
        from ui.admin.problems import SyncProblemsPage

        problems = SyncProblemsPage(ws, parent, controller=controller)
        problems.sync_log_requested.connect(lambda: host.show_page(SYNC_LOG))
        return problems
    if key == ACCOUNTS:
        from ui.admin.accounts import AccountsPage

        return AccountsPage(ws, parent)
    if key == BACKUPS:
        from ui.admin.backups import BackupsPage

        backups = BackupsPage(ws, parent)
        backups.restart_requested.connect(host.request_restart)
        return backups
    if key == CONNECTION:
        from ui.admin.connection import ConnectionPage

        connection = ConnectionPage(ws, parent, controller=controller)
        connection.settings_requested.connect(host.open_settings)
        return connection
    if key == LOG:
        from ui.admin.log_page import LogPage

        return LogPage(ws, parent, log_dir=log_dir)
    raise KeyError(key)


def problem_count(ws: Workspace) -> int:
    """The navigation's count for IT's sync problems (database thread)."""
    from ui.admin.problems import read_problems

    return read_problems(ws).count
