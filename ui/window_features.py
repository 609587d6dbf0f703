"""What the main window hosts and the small pieces it needs: :class:`Features` (where the shell gets its feature
widgets, so tests can pass stand-ins), the manual backup, the status bar's user line, the toolbar's notices."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QSizePolicy, QToolBar, QWidget

from app.config import Paths
from app.domain import Role
from app.errors import LaporError, Message
from app.reference.labels import label
from app.services.users import UserInfo
from app.store.db import Store, backup_name
from app.store.rotation import back_up_to
from ui.daily_backup import backup_folder_of
from ui.navigation import NavEntry
from ui.widgets.elided_label import ElidedLabel
from ui.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass
class Features:
    """Where the shell gets the widgets it hosts (the real ones unless a test passes stand-ins)."""

    views: Callable[[], list[NavEntry]]
    view_counts: Callable[[Workspace], dict[str, int]]
    open_conflict_count: Callable[[Workspace], int]
    # Widgets with the interfaces named in the module docstrings of ui.complaints, ui.detail and ui.sync; the list
    # is made as complaint_list(ws, parent, view=key), opening on that view.
    complaint_list: Callable[..., Any]
    complaint_detail: Callable[..., Any]
    sync_controller: Callable[..., Any]
    sync_status: Callable[..., Any]
    conflict_review: Callable[..., Any]
    sync_log: Callable[..., Any]
    notifier: Callable[..., Any] | None = None
    banner: Callable[..., Any] | None = None
    # The counter officer's window (ui.counter): made as counter_window(ws, features, controller, crash=, log_dir=)
    # for PETUGAS_LOKET; without it every role gets the main window.
    counter_window: Callable[..., Any] | None = None
    # The KPI dashboard (ui.dashboard): made as dashboard(ws, parent) for the roles in DASHBOARD_ROLES.
    dashboard: Callable[..., Any] | None = None

    @classmethod
    def real(cls) -> Features:
        from ui import sync
        from ui.complaints import ComplaintListWidget
        from ui.complaints.views import VIEWS, view_counts
        from ui.counter import CounterWindow
        from ui.dashboard import DashboardWidget
        from ui.detail import ComplaintDetailWidget

        def views() -> list[NavEntry]:
            return [NavEntry(v.key, v.label(), v.tooltip()) for v in VIEWS]

        return cls(views=views, view_counts=view_counts, open_conflict_count=sync.open_conflict_count,
                   complaint_list=ComplaintListWidget, complaint_detail=ComplaintDetailWidget,
                   sync_controller=sync.SyncController, sync_status=sync.SyncStatusWidget,
                   conflict_review=sync.ConflictReviewWidget, sync_log=sync.SyncLogWidget, notifier=sync.Notifier,
                   banner=sync.NotificationBanner, counter_window=CounterWindow, dashboard=DashboardWidget)


def write_backup(store: Store, folder: Path) -> str:
    """A consistent copy of the store in ``folder`` with its attachment files in the folder's pool (database
    thread); returns its path."""
    dest = folder / backup_name("manual")
    if store.path is None:
        store.backup(dest)  # raises: an in-memory store has no file to copy
    assert store.path is not None
    try:
        back_up_to(store.path, dest, Paths(store.path.parent).attachments)
    except (OSError, sqlite3.Error) as exc:  # a missing USB drive, a read-only folder, a full disk
        raise LaporError(Message(
            f"Cadangan tidak dapat ditulis ke {folder} ({exc}). Periksa folder tujuan, izinnya dan ruang disk.",
            f"The backup could not be written to {folder} ({exc}). Check the destination folder, its permissions "
            "and the free space.")) from exc
    return str(dest)


def back_up_now(win: Any) -> None:
    """File ▸ Back up now: a copy in the backup folder on the database thread, then where it went (status bar and a
    message) or why it could not be written. ``win``: the main window (its texts are in its context)."""

    def saved(path: str) -> None:
        log.info("manual backup written")
        status = QCoreApplication.translate("MainWindow", "Backup saved: %1")
        win.statusBar().showMessage(status.replace("%1", path), 10000)
        text = QCoreApplication.translate("MainWindow", "A copy of the database was saved as:\n%1")
        win._message(QMessageBox.Icon.Information, QCoreApplication.translate("MainWindow", "Backup saved"),
                     text.replace("%1", path))

    def failed(exc: BaseException) -> None:
        win.statusBar().clearMessage()
        if isinstance(exc, LaporError):
            win.show_known_error(exc.message)

    win.statusBar().showMessage(QCoreApplication.translate("MainWindow", "Backing up…"))
    win.ws.tasks.db(write_backup, win.ws.store, backup_folder(win.ws), on_success=saved, on_failure=failed, owner=win)


def backup_folder(ws: Workspace) -> Path:
    return backup_folder_of(ws.settings, ws.paths)


def banner_in_toolbar(toolbar: QToolBar, make_banner: Callable[[QWidget], Any]) -> Any:
    """The notification banner at the toolbar's free end, in room the toolbar always keeps for it (the banner keeps
    its size while hidden): a strip above the list moved the rows and buttons under the pointer when it came and
    went. The banner sits in a holder because a toolbar shows and hides the widgets it holds itself."""
    holder = QWidget(toolbar)
    holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addStretch(1)
    banner = make_banner(holder)
    row.addWidget(banner, 100)
    toolbar.addWidget(holder)
    return banner


def user_line(user: UserInfo, office: str, lang: str) -> str:
    parts = [user.full_name, label(Role(user.role), lang)] + ([office] if office else [])
    return "  ·  ".join(parts)


def user_line_label(ws: Workspace) -> ElidedLabel:
    """The status bar's "who, role, office": it gives way (ending in "…", whole in its tooltip) to the sync status
    on a narrow screen, where cutting the sync status's words would hide what it says."""
    label = ElidedLabel()
    label.setAccessibleName(QCoreApplication.translate("MainWindow", "Logged-in user"))
    label.setContentsMargins(8, 0, 8, 0)
    show_user_line(label, ws, "")
    return label


def show_user_line(label: ElidedLabel, ws: Workspace, office: str) -> None:
    line = user_line(ws.user, office, ws.lang)
    label.set_full_text(line)
    label.setToolTip(line)
