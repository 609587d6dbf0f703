"""User settings, declared once with typed defaults (Picard's options.py), kept apart from window state.

Settings live in ``settings.ini`` in the data directory (what a person chose: server, language, auto-sync);
window geometry and column layout live in ``window-state.ini`` so resetting one never loses the other.
``SETTINGS_VERSION`` plus :func:`_upgrade` carry old files forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T", str, int, bool)

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T


AUTO_SYNC_MINUTES = Option("sync/auto_sync_minutes", 10)
LANGUAGE = Option("ui/language", "id")
BACKUP_DIR = Option("backup/folder", "")
DEMO_MODE = Option("setup/demo", False)
LAST_USERNAME = Option("login/last_username", "")

# The server URL, CA bundle and proxy are not here: they belong to the enrolled store (sync/state.py keeps them in
# store_meta, where the headless `lapor-desk sync` reads them too), so there is one place for them.
ALL_OPTIONS: tuple[Option[Any], ...] = (AUTO_SYNC_MINUTES, LANGUAGE, BACKUP_DIR, DEMO_MODE, LAST_USERNAME)
LANGUAGES = ("id", "en")


class Settings:
    """Typed access to the user's settings file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        self._upgrade()

    def get(self, option: Option[T]) -> T:
        raw = self._qs.value(option.key, option.default)
        return _coerce(raw, option.default)

    def set(self, option: Option[T], value: T) -> None:
        self._qs.setValue(option.key, value)

    def sync(self) -> None:
        self._qs.sync()

    def _upgrade(self) -> None:
        version = _coerce(self._qs.value("meta/version", 0), 0)
        if version < SETTINGS_VERSION:
            # version 0 -> 1: nothing to carry over yet; later upgrades rename or convert keys here.
            self._qs.setValue("meta/version", SETTINGS_VERSION)


class WindowState:
    """Geometry, splitter and header layouts: bytes blobs by name."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def load(self, name: str) -> QByteArray | None:
        value = self._qs.value(name)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save(self, name: str, value: QByteArray) -> None:
        self._qs.setValue(name, value)

    def sync(self) -> None:
        self._qs.sync()


def _coerce(raw: Any, default: T) -> T:
    """QSettings' INI format returns strings; turn them back into the option's type (bad values → default)."""
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw  # type: ignore[return-value]
        return str(raw).strip().lower() in ("1", "true", "yes", "on")  # type: ignore[return-value]
    if isinstance(default, int):
        try:
            return int(raw)  # type: ignore[return-value]
        except (TypeError, ValueError):
            return default
    return default if raw is None else str(raw)  # type: ignore[return-value]
