"""The support bundle of ``lapor-desk diagnose --bundle FILE.zip``: the report (text and JSON), the window's log files
and the effective configuration, with no personal data in any of them.

Logs are written without personal data already (ui.logs); every file is scanned again on its way into the zip,
because a bundle leaves the office. The scan masks what this PC's database holds of people — reporters' names,
NIKs, phones, e-mails and addresses, complaint titles and texts, attachment names, staff user names and full names —
and the device token, wherever it appears; patterns catch e-mail addresses, NIKs, phone numbers and credentials in
URLs also when the database cannot be read; the home folder (it carries the OS account's name) becomes ``~``.
Staff appear only as ids, roles and counts.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import sqlite3
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.config import LOG_FILENAME, Paths
from app.config_layers import resolve, user_settings
from app.store.db import readonly_uri
from sync.credentials import TokenStore
from sync.diagnose import LocalState, Report
from sync.diagnose_net import connection_of, without_credentials

MASK = "[disembunyikan]"
MIN_LENGTH = 3  # shorter values ("-", an initial) would mask ordinary words
# What people's data the store holds, table by table (columns that may be missing in an old schema are skipped).
PERSONAL_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("reporters", ("name", "nik", "phone", "email", "address", "assistance_needs")),
    ("complaints", ("title", "description", "address")),
    ("users", ("username", "full_name")),
    ("timeline_events", ("text",)),
    ("attachments", ("filename",)),
)
HIDDEN_SETTINGS = {"login/last_username"}  # a staff member's user name
ENVIRONMENT = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
               "no_proxy", "all_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "LANG")

_WORD = re.compile(r"\w+")
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@:]*:[^/\s@]*@"), r"\1***@"),  # user:password@ in a URL
    (re.compile(r"(?i)(bearer\s+)[\w.~+/=-]+"), rf"\1{MASK}"),
    (re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), MASK),  # e-mail (tried where a word starts: fast)
    (re.compile(r"(?<![\w.:-])\d{16}(?![\w.:-])"), MASK),  # NIK: 16 digits
    (re.compile(r"(?<![\w.:/-])(?:\+62[ -]?|62|0)8\d(?:[ -]?\d){6,11}(?![\w-])"), MASK),  # Indonesian mobile number
)


class Redactor:
    """Masks known values (whole words, in any letter case) and the patterns above in any text."""

    def __init__(self, values: Iterable[str], *, home: str | None = None) -> None:
        self._home = home if home and len(home) > 1 else None
        # by the value's first word in lower case: (the value, in lower case, where its first word starts)
        self._by_first_word: dict[str, list[tuple[str, str, int]]] = {}
        for raw in values:
            value = raw.strip()
            first = _WORD.search(value)
            if len(value) < MIN_LENGTH or first is None:
                continue
            self._by_first_word.setdefault(first.group().lower(), []).append((value, value.lower(), first.start()))
        for candidates in self._by_first_word.values():
            candidates.sort(key=lambda c: len(c[0]), reverse=True)  # the longest value first: a whole title
        self.masked = 0

    def __call__(self, text: str) -> str:
        if self._home:
            text = text.replace(self._home, "~")
        text = self._known(text)
        for pattern, replacement in _PATTERNS:
            text, n = pattern.subn(replacement, text)
            self.masked += n
        return text

    def _known(self, text: str) -> str:
        lowered = text.lower()
        # lower() lengthens a few letters ('İ'): then positions would not line up, and the stored case is compared
        folded = len(lowered) == len(text)
        haystack = lowered if folded else text
        parts: list[str] = []
        done = 0
        for word in _WORD.finditer(text):
            if word.start() < done:
                continue
            for value, value_lower, lead in self._by_first_word.get(word.group().lower(), ()):
                start, end = word.start() - lead, word.start() - lead + len(value)
                if start >= done and haystack.startswith(value_lower if folded else value, start) \
                        and not _inside_word(text, start, end):
                    parts += [text[done:start], MASK]
                    done = end
                    self.masked += 1
                    break
        return "".join(parts) + text[done:]


def _inside_word(text: str, start: int, end: int) -> bool:
    before = start > 0 and text[start - 1].isalnum() and text[start].isalnum()
    after = end < len(text) and text[end].isalnum() and text[end - 1].isalnum()
    return before or after


def personal_values(db: Path) -> tuple[list[str], bool]:
    """Every value of people's data in the store, and whether all of it could be read (a damaged or missing
    database leaves the scan to the patterns alone, and the bundle says so)."""
    if not db.is_file():
        return [], False
    values: list[str] = []
    complete = True
    try:
        conn = sqlite3.connect(readonly_uri(db), uri=True, timeout=10)
    except sqlite3.Error:
        return [], False
    try:
        for table, columns in PERSONAL_COLUMNS:
            for column in columns:
                try:
                    rows = conn.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL')
                    values += [str(v) for (v,) in rows]
                except sqlite3.Error:
                    complete = False
    finally:
        conn.close()
    return values, complete


def store_counts(db: Path) -> dict[str, Any]:
    """Counts a supporter can use (accounts per role, complaints per status), no names."""
    counts: dict[str, Any] = {}
    queries = {"active_users_by_role": "SELECT role, count(*) FROM users WHERE active GROUP BY role",
               "complaints_by_status": "SELECT status, count(*) FROM complaints GROUP BY status"}
    try:
        conn = sqlite3.connect(readonly_uri(db), uri=True, timeout=10)
    except sqlite3.Error:
        return counts
    try:
        for name, sql in queries.items():
            try:
                counts[name] = {str(k): int(n) for k, n in conn.execute(sql)}
            except sqlite3.Error:
                counts[name] = None
    finally:
        conn.close()
    return counts


def window_settings(data_dir: Path) -> dict[str, str] | str:
    """The window's whole settings.ini (ui.settings) as key → value, without the last user's name."""
    path = data_dir / "settings.ini"
    if not path.is_file():
        return {}
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError) as exc:
        return f"unreadable: {type(exc).__name__}"
    found: dict[str, str] = {}
    for section in parser.sections():
        for key, value in parser.items(section):
            name = key if section == "General" else f"{section}/{key}"
            if name not in HIDDEN_SETTINGS:
                found[name] = value
    return found


def effective_config(paths: Paths, log_folder: Path, *, data_dir_source: str, lang: str,
                     local: LocalState | None) -> dict[str, Any]:
    """What ``lapor-desk config show`` prints (each value and the layer it came from), the connection in effect,
    the window's other settings, the environment that steers the network, and counts of the store."""
    resolved = resolve(user=user_settings(paths))
    config: dict[str, Any] = {
        "data_dir": {"value": str(paths.data_dir), "source": data_dir_source},
        "log_dir": str(log_folder), "language": lang,
        "machine_file": {"path": str(resolved.machine.path), "exists": resolved.machine.exists},
        "effective": {name: {"value": without_credentials(str(s.value)) if name == "proxy" else s.value,
                             "source": s.source.text("en"), "locked": s.locked}
                      for name, s in resolved.settings.items()},
        "problems": [p.text("en") for p in resolved.problems],
        "window_settings": window_settings(paths.data_dir),
        "environment": {name: without_credentials(value) for name, value in sorted(os.environ.items())
                        if name in ENVIRONMENT or name.startswith("LAPOR_DESK_")},
        "store": store_counts(paths.database) if paths.database.is_file() else None,
    }
    conn = connection_of(resolved)
    if conn is not None:
        config["connection"] = {"server_url": conn.server_url, "ca_bundle": conn.ca_bundle,
                                "ca_source": conn.ca_from.en,
                                "proxy": without_credentials(conn.proxy) if conn.proxy else None,
                                "proxy_source": conn.proxy_from.en if conn.proxy else None}
    if local is not None:
        config["sync"] = {"enrolled": local.status.enrolled, "office_id": local.office_id,
                          "device_id": local.device_id, "demo": local.demo}
    return config


def log_files(log_folder: Path) -> list[Path]:
    """The log and its rotated copies (lapor-desk.log, .1 … .5), newest first."""
    if not log_folder.is_dir():
        return []
    return sorted((p for p in log_folder.glob(LOG_FILENAME + "*") if p.is_file()),
                  key=lambda p: (p.name != LOG_FILENAME, p.name))


@dataclass(frozen=True)
class BundleResult:
    path: Path
    files: list[str]
    masked: int
    complete_scan: bool


def write_bundle(target: Path, report: Report, paths: Paths, log_folder: Path, *, lang: str, data_dir_source: str,
                 local: LocalState | None, now: datetime) -> BundleResult:
    values, complete = personal_values(paths.database)
    if local is not None and local.client_id:
        token = TokenStore(paths.data_dir, local.client_id).load()
        if token:
            values.append(token)
    clean = Redactor(values, home=str(Path.home()))
    config = effective_config(paths, log_folder, data_dir_source=data_dir_source, lang=lang, local=local)
    # JSON is cleaned before it is written: a value with a quote or a backslash (a Windows path) is escaped in the
    # JSON text and would not be found there.
    cleaned: dict[str, str] = {
        "report.txt": clean(report.as_text(lang)),
        "report.json": json.dumps(cleaned_json(report.as_json(), clean), ensure_ascii=False, indent=2, default=str),
        "config.json": json.dumps(cleaned_json(config, clean), ensure_ascii=False, indent=2, default=str),
    }
    for log in log_files(log_folder):
        cleaned[f"logs/{log.name}"] = clean(log.read_text(encoding="utf-8", errors="replace"))
    cleaned["README.txt"] = _readme(now, clean.masked, complete, list(cleaned))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in cleaned.items():
            zf.writestr(name, text)
    partial.replace(target)
    return BundleResult(target, sorted(cleaned), clean.masked, complete)


def cleaned_json(value: Any, clean: Redactor) -> Any:
    """``value`` (parsed JSON) with every string in it, keys included, passed through ``clean``."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): cleaned_json(v, clean) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [cleaned_json(v, clean) for v in value]
    return value


def _readme(now: datetime, masked: int, complete: bool, names: list[str]) -> str:
    scan = ("every value of people's data in this PC's database, the device token and the patterns of e-mail, NIK, "
            "phone numbers and URL credentials" if complete else
            "ONLY the patterns of e-mail, NIK, phone numbers and URL credentials: the database could not be read in "
            "full, so names and complaint texts could not be looked for — check the logs before passing them on")
    return (f"LAPOR Desk support bundle, made {now.isoformat(timespec='seconds')}\n\n"
            "report.txt / report.json  the diagnose report\n"
            "config.json               the effective configuration (no passwords, tokens or user names)\n"
            "logs/                     the window's log files\n\n"
            f"Masked before writing ({masked} places, shown as {MASK}): {scan}.\n"
            f"Files: {', '.join(sorted(names + ['README.txt']))}\n")
