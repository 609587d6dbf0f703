"""Each setting's effective value and where it came from: command line > environment > user settings > machine file
> defaults, a key the machine file locks skipping the user settings (see app.machine_config for the file).

The window (ui), ``lapor-desk config show``, enrolment and sync all ask :func:`resolve`; none decides on its own.
"""

from __future__ import annotations

import configparser
import json
import logging
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from app.config import Paths
from app.errors import Message
from app.machine_config import (
    BACKUP_DAILY,
    BACKUP_WEEKLY,
    BY_NAME,
    KEYS,
    Key,
    MachineFile,
    Problem,
    Value,
    checked_value,
    load_machine_file,
    parse_text,
)

log = logging.getLogger(__name__)
SETTINGS_FILE = "settings.ini"  # the window's user settings in the data folder (ui.settings writes it)
STORE_SERVER_URL, STORE_SETTINGS = "sync_server_url", "sync_settings"  # sync.state's keys in store_meta


class Layer(Enum):
    COMMAND_LINE = "command line"
    ENVIRONMENT = "environment"
    USER = "user settings"
    MACHINE = "machine file"
    DEFAULT = "default"


@dataclass(frozen=True)
class Source:
    layer: Layer
    detail: str = ""  # the environment variable's name, the machine file's path

    def text(self, lang: str = "id") -> str:
        en = lang.startswith("en")
        if self.layer is Layer.COMMAND_LINE:
            return "command line" if en else "baris perintah"
        if self.layer is Layer.ENVIRONMENT:
            return f"{'environment variable' if en else 'variabel lingkungan'} {self.detail}"
        if self.layer is Layer.USER:
            return "user settings" if en else "pengaturan pengguna"
        if self.layer is Layer.MACHINE:
            return f"{'machine file' if en else 'berkas mesin'} {self.detail}"
        return "default" if en else "bawaan"


@dataclass(frozen=True)
class Setting:
    key: Key
    value: Value
    source: Source
    locked: bool
    below_user: Value  # what it would be without the user settings: saving that value back removes the choice


@dataclass(frozen=True)
class BackupPolicy:
    """How many rolling backups to keep: one per day for ``daily`` days, one per week for ``weekly`` weeks."""

    daily: int
    weekly: int


@dataclass(frozen=True)
class EffectiveConfig:
    settings: dict[str, Setting]
    machine: MachineFile
    problems: tuple[Problem, ...]

    def __getitem__(self, key: Key | str) -> Setting:
        return self.settings[key if isinstance(key, str) else key.name]

    def value(self, key: Key) -> Value:
        return self[key].value

    def text(self, key: Key) -> str:
        return str(self[key].value)

    def number(self, key: Key) -> int:
        value = self[key].value
        return value if isinstance(value, int) else int(key.default)

    def is_locked(self, key: Key) -> bool:
        return self[key].locked

    @property
    def backup(self) -> BackupPolicy:
        return BackupPolicy(self.number(BACKUP_DAILY), self.number(BACKUP_WEEKLY))


def resolve(*, command_line: Mapping[str, Value | None] | None = None, environ: Mapping[str, str] | None = None,
            user: Mapping[str, Value | None] | None = None, machine: MachineFile | None = None) -> EffectiveConfig:
    """The effective configuration. ``command_line`` and ``user`` map key names (``server_url``) to values, None
    or "" meaning "not given"; ``environ`` defaults to os.environ, ``machine`` to the machine file."""
    environ = os.environ if environ is None else environ
    machine = load_machine_file() if machine is None else machine
    problems = list(machine.problems)
    settings: dict[str, Setting] = {}
    for key in KEYS:
        locked = key.name in machine.locked
        below: tuple[Value, Source] = (key.default, Source(Layer.DEFAULT))
        if key.name in machine.values:
            below = (machine.values[key.name], Source(Layer.MACHINE, str(machine.path)))
        chosen = below
        if not locked:
            chosen = _given(key, (user or {}).get(key.name), Source(Layer.USER), problems) or chosen
        raw_env = environ.get(key.env)
        chosen = _given(key, raw_env, Source(Layer.ENVIRONMENT, key.env), problems) or chosen
        chosen = _given(key, (command_line or {}).get(key.name), Source(Layer.COMMAND_LINE), problems) or chosen
        settings[key.name] = Setting(key, chosen[0], chosen[1], locked, below[0])
    _log_once(problems)
    return EffectiveConfig(settings, machine, tuple(problems))


_logged: set[Problem] = set()


def _log_once(problems: list[Problem]) -> None:
    """Each problem goes to the log once per run (the configuration is resolved many times)."""
    for problem in problems:
        if problem not in _logged:
            _logged.add(problem)
            log.warning("configuration problem, value not used: %s", problem.text("en"))


def _given(key: Key, raw: Value | None, source: Source, problems: list[Problem]) -> tuple[Value, Source] | None:
    if raw is None or raw == "":
        return None
    value = parse_text(key, raw) if isinstance(raw, str) and key.kind is not str else checked_value(key, raw)
    if isinstance(value, Message):
        where = source.detail if source.layer is Layer.ENVIRONMENT else Message(source.text("id"), source.text("en"))
        problems.append(Problem(where, None, key.name, Message(f"{value.id}; nilai ini diabaikan",
                                                               f"{value.en}; this value is ignored")))
        return None
    return value, source


def backup_policy(paths: Paths | None = None) -> BackupPolicy:
    """How many daily and weekly backups to keep, as configured (``backup.daily``, ``backup.weekly``)."""
    user = user_settings(paths) if paths is not None else None
    return resolve(user=user).backup


# ---- the user settings, read without Qt ----------------------------------------------------------------------------

def user_settings(paths: Paths) -> dict[str, Value | None]:
    """A person's choices on this PC, by key name: the window's settings.ini and the enrolled store's connection
    (read only; a data folder without a database has none)."""
    found: dict[str, Value | None] = dict(ini_settings(paths.data_dir / SETTINGS_FILE))
    if paths.database.is_file():
        found.update(_store_settings(paths.database))
    return found


def ini_settings(path: Path) -> dict[str, Value | None]:
    """The keys of QSettings' INI file (``[sync] auto_sync_minutes=5`` for ``sync/auto_sync_minutes``)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return {}
    found: dict[str, Value | None] = {}
    for key in KEYS:
        if key.user_key and "/" in key.user_key:
            section, _, name = key.user_key.partition("/")
            if parser.has_option(section, name):
                found[key.name] = parser.get(section, name).strip().strip('"')
    return found


def store_settings(server_url: str | None, settings_json: str | None) -> dict[str, Value | None]:
    """The connection the enrolled store keeps (sync.state's SERVER_URL and SETTINGS), by key name."""
    try:
        extra = json.loads(settings_json or "{}")
    except ValueError:
        extra = {}
    extra = extra if isinstance(extra, dict) else {}
    return {"server_url": server_url or None, "ca_bundle": extra.get("ca_bundle") or None,
            "proxy": extra.get("proxy") or None}


def _store_settings(database: Path) -> dict[str, Value | None]:
    try:
        conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = dict(conn.execute('SELECT "key", value FROM store_meta WHERE "key" IN (?, ?)',
                                     (STORE_SERVER_URL, STORE_SETTINGS)).fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
    return store_settings(rows.get(STORE_SERVER_URL), rows.get(STORE_SETTINGS))


__all__ = ["BY_NAME", "BackupPolicy", "EffectiveConfig", "Layer", "Setting", "Source", "backup_policy", "resolve",
           "user_settings"]
