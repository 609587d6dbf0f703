"""User settings, declared once with typed defaults (Picard's options.py), kept apart from window state.

Settings live in ``settings.ini`` in the data directory (what a person chose: server, language, auto-sync);
window geometry and column layout live in ``window-state.ini`` so resetting one never loses the other.
Options are declared once in a registry that refuses a key declared twice; ``UPGRADES`` carry an older file
forward (after copying it aside) and a newer one is left alone.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from app import machine_config
from app.config_layers import EffectiveConfig, resolve
from app.errors import Message
from app.machine_config import Value

T = TypeVar("T", str, int, bool)


class OptionRegistry:
    """Every option, declared once: a second option with a key already declared is a programming error."""

    def __init__(self) -> None:
        self._options: dict[str, Option[Any]] = {}

    def add(self, option: Option[T]) -> Option[T]:
        if option.key in self._options:
            raise ValueError(f"setting {option.key!r} declared twice")
        self._options[option.key] = option
        return option

    def __iter__(self) -> Iterator[Option[Any]]:
        return iter(self._options.values())


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T


OPTIONS = OptionRegistry()
AUTO_SYNC_MINUTES = OPTIONS.add(Option("sync/auto_sync_minutes", 10))
LANGUAGE = OPTIONS.add(Option("ui/language", "id"))
# Black on white with strong borders (ui.style.CONTRAST); also used when the system asks for high contrast.
HIGH_CONTRAST = OPTIONS.add(Option("ui/high_contrast", False))
BACKUP_DIR = OPTIONS.add(Option("backup/folder", ""))
DEMO_MODE = OPTIONS.add(Option("setup/demo", False))
LAST_USERNAME = OPTIONS.add(Option("login/last_username", ""))
# Where the office's scanner saves its pages: intake lists it newest first to attach the page just scanned.
SCANNER_FOLDER = OPTIONS.add(Option("intake/scanner_folder", ""))

# The server URL, CA bundle and proxy are not here: they belong to the enrolled store (sync/state.py keeps them in
# store_meta, where the headless `lapor-desk sync` reads them too), so there is one place for them.
ALL_OPTIONS: tuple[Option[Any], ...] = tuple(OPTIONS)
LANGUAGES = ("id", "en")
VERSION_KEY = "meta/version"

# Versioned upgrades (Picard's config_upgrade.py): the function for version N turns a file of version N-1 into
# one of version N. A file older than SETTINGS_VERSION is copied aside first, then upgraded step by step.
Upgrade = Callable[[QSettings], None]


def _to_1(qs: QSettings) -> None:
    """Version 1: the first versioned file (nothing to convert from the unversioned one)."""


UPGRADES: dict[int, Upgrade] = {1: _to_1}
SETTINGS_VERSION = max(UPGRADES)


class Settings:
    """Typed access to the user's settings file, upgraded from older versions on open.

    A file written by a newer LAPOR Desk (a version above ``version``) is not touched: the program runs on the
    defaults, keeps what the person changes in memory only, and ``too_new`` says why (start-up shows it)."""

    def __init__(self, path: Path, *, upgrades: dict[int, Upgrade] | None = None,
                 version: int | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._upgrades = UPGRADES if upgrades is None else upgrades
        self._version = SETTINGS_VERSION if version is None else version
        self._memory: dict[str, Any] | None = None  # set: the file is not ours to write
        self.too_new: Message | None = None
        self.backup: Path | None = None
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        self._upgrade()

    def get(self, option: Option[T]) -> T:
        if self._memory is not None:
            return _coerce(self._memory.get(option.key, option.default), option.default)
        raw = self._qs.value(option.key, option.default)
        return _coerce(raw, option.default)

    def has(self, option: Option[Any]) -> bool:
        """Whether the person chose this option (the file holds it), rather than it being left to the machine file
        or the default."""
        if self._memory is not None:
            return option.key in self._memory
        return bool(self._qs.contains(option.key))

    def remove(self, option: Option[Any]) -> None:
        """Forget the person's choice: the machine file's value (or the default) applies again."""
        if self._memory is not None:
            self._memory.pop(option.key, None)
        else:
            self._qs.remove(option.key)

    def set(self, option: Option[T], value: T) -> None:
        if self._memory is not None:
            self._memory[option.key] = value
        else:
            self._qs.setValue(option.key, value)

    def sync(self) -> None:
        if self._memory is None:
            self._qs.sync()

    def _upgrade(self) -> None:
        found = _coerce(self._qs.value(VERSION_KEY, 0), 0)
        if found > self._version:
            self._memory = {}
            self.too_new = Message(
                f"Berkas pengaturan {self.path} dibuat oleh versi LAPOR Desk yang lebih baru (versi pengaturan "
                f"{found}, versi ini {self._version}). Berkas itu tidak diubah; program memakai pengaturan bawaan. "
                "Pasang versi terbaru LAPOR Desk agar pengaturan itu dipakai lagi.",
                f"The settings file {self.path} was written by a newer LAPOR Desk (settings version {found}, this "
                f"one {self._version}). It is left as it is; the program runs on the default settings. Install "
                "the newest LAPOR Desk to use those settings again.")
            return
        if found == self._version:
            return
        if self.path.exists() and self._qs.allKeys():  # an older file (versioned or not): kept as it was
            self._qs.sync()
            self.backup = self.path.with_name(f"{self.path.name}.v{found}.bak")
            shutil.copy2(self.path, self.backup)
        for step in range(found + 1, self._version + 1):
            self._upgrades[step](self._qs)
            self._qs.setValue(VERSION_KEY, step)
        self._qs.sync()


# The options IT can also set in lapor-desk.toml (app.machine_config), by the machine file's key names.
MACHINE_KEYS: dict[str, Option[Any]] = {machine_config.AUTO_SYNC_MINUTES.name: AUTO_SYNC_MINUTES,
                                        machine_config.LANGUAGE.name: LANGUAGE}


def effective_config(settings: Settings, stored: dict[str, Value | None] | None = None) -> EffectiveConfig:
    """The configuration in effect (app.config_layers): this person's choices in ``settings`` (and the enrolled
    store's connection, ``stored``) over the machine file, under the environment."""
    user: dict[str, Value | None] = {name: settings.get(option) for name, option in MACHINE_KEYS.items()
                                     if settings.has(option)}
    return resolve(user={**user, **(stored or {})})


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
