"""Sync in the window: the controller that runs the engine in the background, the status-bar widget, the sync log,
the conflict review queue and the notifications (translation area "sync")."""

from ui.sync.conflicts import ConflictReviewWidget, open_conflict_count
from ui.sync.controller import ConnectionState, SyncController, SyncLogEntry, SyncOutcome
from ui.sync.log_view import SyncLogModel, SyncLogWidget
from ui.sync.notifier import NotificationBanner, Notifier
from ui.sync.status_widget import SyncStatusWidget

__all__ = [
    "ConflictReviewWidget",
    "ConnectionState",
    "NotificationBanner",
    "Notifier",
    "SyncController",
    "SyncLogEntry",
    "SyncLogModel",
    "SyncLogWidget",
    "SyncOutcome",
    "SyncStatusWidget",
    "open_conflict_count",
]
