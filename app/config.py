"""Where this PC keeps its data: the platform's user data directory, overridable for IT and tests."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "lapor-desk"
APP_AUTHOR = "LAPOR Desk"
DATA_DIR_ENV = "LAPOR_DESK_DATA_DIR"
DB_FILENAME = "lapor-desk.sqlite3"
LOG_FILENAME = "lapor-desk.log"  # the window's rotating log (ui.logs), with .1 … .5 beside it


@dataclass(frozen=True)
class Paths:
    """Every file location derived from one data directory."""

    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def attachments(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """``--data-dir`` first, then $LAPOR_DESK_DATA_DIR, then the platform's user data directory."""
    chosen = data_dir or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return Paths(Path(chosen).expanduser().resolve())
    return Paths(platform_data_dir())


def platform_data_dir() -> Path:
    """The data folder used when neither ``--data-dir`` nor $LAPOR_DESK_DATA_DIR says otherwise."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir(paths: Paths, *, explicit_data_dir: bool) -> Path:
    """Where the window writes its log: the platform's log directory, or ``<data dir>/logs`` when the data
    directory was chosen explicitly (IT's --data-dir, a test): then everything of that installation stays in one
    folder. Here, not in ui, so ``lapor-desk diagnose`` finds the logs without Qt."""
    if explicit_data_dir:
        return paths.logs
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
