"""The machine-wide configuration IT writes once for many PCs (``lapor-desk.toml``), and the one rule that decides
each setting's effective value and says where it came from.

Precedence, highest first::

    command line  >  environment (LAPOR_DESK_*)  >  user settings  >  machine file  >  defaults

*User settings* are what a person chose on this PC: the window's ``settings.ini`` (language, automatic sync) and
the enrolled store's connection (server, CA bundle, proxy). A key the machine file lists in ``locked`` skips that
layer: the window shows it disabled ("Diatur oleh TI") and what a person saved earlier no longer counts. The command
line and the environment still win over a locked key: they are IT's own tools (scripts, the installer, tests).

The machine file is ``lapor-desk.toml`` in the platform's site config folder (``/etc/xdg/lapor-desk/`` on Linux,
``C:\\ProgramData\\LAPOR Desk\\lapor-desk\\`` on Windows), or the file ``$LAPOR_DESK_CONFIG`` names::

    server_url = "https://lapor.example.go.id"
    office = "34.04"                 # region code (or office id) this PC must belong to
    ca_bundle = "pemda-ca.pem"       # relative paths are read from the machine file's folder
    proxy = "http://proxy.pemda.go.id:8080"
    auto_sync_minutes = 10
    language = "id"
    locked = ["server_url", "ca_bundle", "proxy"]   # above the first [table], as TOML wants

    [backup]
    daily = 7
    weekly = 4

A bad file never stops the program: bad TOML drops the whole file, a wrong type or value or an unknown key drops
that key; each problem names the file, the line and the key, in Indonesian and English, is logged and shown by
``lapor-desk config show``, and the value falls back to the next layer.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from app.config import APP_AUTHOR, APP_NAME
from app.errors import Message

log = logging.getLogger(__name__)

MACHINE_FILE_NAME = "lapor-desk.toml"
MACHINE_FILE_ENV = "LAPOR_DESK_CONFIG"
LOCKED = "locked"

Value = str | int
Check = Callable[[Any], Message | None]


def _url(schemes: tuple[str, ...]) -> Check:
    def check(value: str) -> Message | None:
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in schemes or not parts.hostname:
            return Message(f"harus alamat yang diawali {' atau '.join(s + '://' for s in schemes)}",
                           f"must be an address starting with {' or '.join(s + '://' for s in schemes)}")
        return None
    return check


def _between(low: int, high: int) -> Check:
    def check(value: int) -> Message | None:
        if not low <= value <= high:
            return Message(f"harus antara {low} dan {high}", f"must be between {low} and {high}")
        return None
    return check


def _file(value: str) -> Message | None:
    if not Path(value).is_file():
        return Message(f"berkas {value} tidak ditemukan", f"file {value} not found")
    return None


def _one_of(*choices: str) -> Check:
    def check(value: str) -> Message | None:
        if value not in choices:
            return Message(f"harus salah satu dari: {', '.join(choices)}", f"must be one of: {', '.join(choices)}")
        return None
    return check


@dataclass(frozen=True)
class Key:
    """One setting IT can configure: its name in the machine file (``backup.daily`` is ``daily`` in
    ``[backup]``), its type and default, its environment variable and the user settings key that holds a
    person's choice (the window's settings.ini or the enrolled store), if a person can choose it."""

    name: str
    kind: type
    default: Value
    check: Check | None = None
    user_key: str | None = None
    is_path: bool = False

    @property
    def env(self) -> str:
        return "LAPOR_DESK_" + self.name.replace(".", "_").upper()


SERVER_URL = Key("server_url", str, "", _url(("http", "https")), user_key="sync_server_url")
OFFICE = Key("office", str, "")
CA_BUNDLE = Key("ca_bundle", str, "", _file, user_key="ca_bundle", is_path=True)
PROXY = Key("proxy", str, "", _url(("http", "https", "socks5", "socks5h")), user_key="proxy")
AUTO_SYNC_MINUTES = Key("auto_sync_minutes", int, 10, _between(0, 24 * 60), user_key="sync/auto_sync_minutes")
BACKUP_DAILY = Key("backup.daily", int, 7, _between(0, 366))
BACKUP_WEEKLY = Key("backup.weekly", int, 4, _between(0, 520))
LANGUAGE = Key("language", str, "id", _one_of("id", "en"), user_key="ui/language")
KEYS: tuple[Key, ...] = (SERVER_URL, OFFICE, CA_BUNDLE, PROXY, AUTO_SYNC_MINUTES, BACKUP_DAILY, BACKUP_WEEKLY,
                         LANGUAGE)
BY_NAME = {k.name: k for k in KEYS}


def machine_file_path() -> Path:
    """``$LAPOR_DESK_CONFIG``, else ``lapor-desk.toml`` in the platform's site config folder."""
    chosen = os.environ.get(MACHINE_FILE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.site_config_dir(APP_NAME, APP_AUTHOR)) / MACHINE_FILE_NAME


@dataclass(frozen=True)
class Problem:
    """Something wrong in a configuration source; the value it concerns was not used."""

    where: str | Message  # the file's path, the environment variable's name, or "command line" in both languages
    line: int | None
    key: str | None
    message: Message

    def text(self, lang: str = "id") -> str:
        en = lang.startswith("en")
        parts = [self.where.text(lang) if isinstance(self.where, Message) else self.where]
        if self.line is not None:
            parts.append(f"{'line' if en else 'baris'} {self.line}")
        if self.key is not None:
            parts.append(f"{'key' if en else 'kunci'} '{self.key}'")
        return ", ".join(parts) + ": " + self.message.text(lang)


@dataclass(frozen=True)
class MachineFile:
    """What the machine file holds, already checked: good values, locked keys, the problems found."""

    path: Path
    exists: bool
    values: dict[str, Value] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    problems: tuple[Problem, ...] = ()


def load_machine_file(path: Path | None = None) -> MachineFile:
    path = machine_file_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return MachineFile(path, exists=False)
    except (OSError, UnicodeDecodeError) as exc:
        return MachineFile(path, True, problems=(Problem(str(path), None, None, Message(
            f"berkas tidak dapat dibaca ({type(exc).__name__}); seluruh isinya diabaikan",
            f"the file cannot be read ({type(exc).__name__}); all of it is ignored")),))
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else None
        key = _key_on_line(text, line)
        return MachineFile(path, True, problems=(Problem(str(path), line, key, Message(
            f"bukan TOML yang sah ({exc}); seluruh isi berkas diabaikan, program memakai nilai bawaan",
            f"not valid TOML ({exc}); the whole file is ignored, the program uses the defaults")),))
    lines = _key_lines(text)
    values: dict[str, Value] = {}
    problems: list[Problem] = []
    locked: set[str] = set()
    for name, value in _flatten(raw):
        line = lines.get(name)
        if name == LOCKED:
            locked |= _locked(value, path, line, problems)
            continue
        known = BY_NAME.get(name)
        if known is None:
            hint_id, hint_en = "", ""
            if name.endswith("." + LOCKED):
                hint_id = "; tulis 'locked = [...]' di atas tabel [..] pertama"
                hint_en = "; write 'locked = [...]' above the first [table]"
            problems.append(Problem(str(path), line, name, Message(
                f"kunci tidak dikenal, diabaikan{hint_id} (yang dikenal: {', '.join(BY_NAME)}, {LOCKED})",
                f"unknown key, ignored{hint_en} (known: {', '.join(BY_NAME)}, {LOCKED})")))
            continue
        if known.is_path and isinstance(value, str) and value:
            value = str((path.parent / Path(value).expanduser()).resolve())
        checked = checked_value(known, value)
        if isinstance(checked, Message):
            problems.append(Problem(str(path), line, name, _falls_back(checked)))
        else:
            values[name] = checked
    return MachineFile(path, True, values, frozenset(locked), tuple(problems))


def checked_value(key: Key, value: Any) -> Value | Message:
    """``value`` when it has the key's type and passes its check (an empty text means "not set" and passes), else
    what is wrong with it."""
    if key.kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        return Message(f"harus bilangan bulat, bukan {_kind_id(value)}",
                       f"must be a whole number, not {_kind_en(value)}")
    if key.kind is str and not isinstance(value, str):
        return Message(f"harus teks dalam tanda kutip, bukan {_kind_id(value)}",
                       f"must be text in quotes, not {_kind_en(value)}")
    if key.check is not None and value != "":
        wrong = key.check(value)
        if wrong is not None:
            return wrong
    return value


def parse_text(key: Key, text: str) -> Value | Message:
    """A value typed as text (an environment variable, the command line) read as the key's type and checked."""
    if key.kind is int:
        try:
            return checked_value(key, int(text.strip()))
        except ValueError:
            return Message(f"harus bilangan bulat, bukan {text!r}", f"must be a whole number, not {text!r}")
    return checked_value(key, text.strip())


def _falls_back(wrong: Message) -> Message:
    return Message(f"{wrong.id}; nilai ini diabaikan", f"{wrong.en}; this value is ignored")


def _locked(value: Any, path: Path, line: int | None, problems: list[Problem]) -> set[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(str(path), line, LOCKED, Message(
            'harus daftar nama kunci, mis. locked = ["server_url", "proxy"]; tidak ada yang dikunci',
            'must be a list of key names, e.g. locked = ["server_url", "proxy"]; nothing is locked')))
        return set()
    unknown = [v for v in value if v not in BY_NAME]
    if unknown:
        problems.append(Problem(str(path), line, LOCKED, Message(
            f"kunci tidak dikenal dalam daftar, diabaikan: {', '.join(unknown)}",
            f"unknown keys in the list, ignored: {', '.join(unknown)}")))
    return {v for v in value if v in BY_NAME}


def _flatten(table: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for name, value in table.items():
        if isinstance(value, dict):
            found += _flatten(value, f"{prefix}{name}.")
        else:
            found.append((prefix + name, value))
    return found


_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\- ]+?)\s*\]")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_.\-\" ]+?)\s*=")


def _key_lines(text: str) -> dict[str, int]:
    """The line each dotted key is written on (tomllib does not say), for the messages."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            table = header.group(1).replace(" ", "") + "."
            continue
        assign = _ASSIGN.match(line)
        if assign:
            lines.setdefault(table + assign.group(1).replace('"', "").replace(" ", ""), number)
    return lines


def _key_on_line(text: str, line: int | None) -> str | None:
    if line is None:
        return None
    rows = text.splitlines()
    assign = _ASSIGN.match(rows[line - 1]) if 0 < line <= len(rows) else None
    return assign.group(1).strip() if assign else None


def _kind_id(value: Any) -> str:
    return {bool: "benar/salah", int: "bilangan", float: "pecahan", str: f"teks {value!r}", list: "daftar"}.get(
        type(value), type(value).__name__)


def _kind_en(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a fraction", str: f"the text {value!r}", list: "a list"}.get(
        type(value), type(value).__name__)
