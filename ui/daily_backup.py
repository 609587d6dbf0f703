"""The day's rolling backup while the window runs (issue 16 §7): a timer checks hourly, and once when the first
screen is up; the backup and the rotation (app.store.rotation) run on the database thread, as configured
(``backup.daily``, ``backup.weekly``: app.config_layers)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QTimer

from app.config import Paths
from ui.settings import BACKUP_DIR, Settings
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

# Hourly: a window left open overnight finds the new day soon after midnight, and a check that finds the day done
# only lists a folder.
BACKUP_CHECK_INTERVAL_MS = 60 * 60 * 1000


def make_daily_backup(paths: Paths, folder: Path) -> str | None:
    """The day's rolling backup unless the day has one, then the rotation as configured (database thread: no write
    runs meanwhile). Returns the new backup's path, None when the day had one."""
    from app.config_layers import backup_policy
    from app.store.rotation import daily_backup

    made = daily_backup(paths.database, folder, paths.attachments, policy=backup_policy(paths),
                        migration_folder=paths.backups).made
    return str(made) if made is not None else None


def backup_folder_of(settings: Settings, paths: Paths) -> Path:
    """Where backups go: the folder chosen in the settings, else the data folder's (as File ▸ Back up now)."""
    chosen = settings.get(BACKUP_DIR).strip()
    return Path(chosen).expanduser() if chosen else paths.backups


class DailyBackups:
    """Started with the services; :meth:`run` once the first screen is up, then the timer's."""

    def __init__(self, tasks: TaskRunner, paths: Paths, settings: Settings) -> None:
        self._tasks = tasks
        self._paths = paths
        self._settings = settings
        self.timer = QTimer()
        self.timer.setInterval(BACKUP_CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.run)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def run(self) -> None:
        """The day's backup if the day has none yet, then the rotation. A failure (the backup folder's drive
        missing, a full disk) is logged and tried again at the next check."""
        self._tasks.db(make_daily_backup, self._paths, backup_folder_of(self._settings, self._paths),
                       on_success=self._done, on_failure=self._failed)

    @staticmethod
    def _done(made: str | None) -> None:
        if made is not None:
            log.info("daily backup written")

    @staticmethod
    def _failed(exc: BaseException) -> None:
        log.warning("daily backup failed: %s", type(exc).__name__)
