"""Rolling backups: the day's backup (database and attachment files) made by itself, and the rotation that keeps
the newest N daily and M weekly ones in the backup folder.

Which backups rotate: the daily ones this module makes and the ones made before a migration (app.store.db
open_store, ``pre-migrate-…``: it counts as that day's backup). Backups made by hand, the database a restore
replaced (``replaced-by-restore``) and files named otherwise are never removed.

The policy (restic's and borg's ``keep-daily``/``keep-weekly``, with the weeks continuing where the days end):
the newest backup of each of the ``daily`` most recent days that have one, then the newest of each of the
``weekly`` ISO weeks that have one before the week of the oldest daily kept. Days and weeks are this PC's local
ones. With 7 and 4 that is a week of days and about a month of weeks before it. No Qt here: the window's timer,
``lapor-desk backup --rotate`` and the machine-wide configuration's counts all come to :func:`daily_backup`.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Protocol

from app.errors import LaporError, Message, reason_of
from app.store.backup_files import keep_attachments, prune_pool
from app.store.db import backup_name, sqlite_backup
from app.store.restore import BackupFile, list_backups

log = logging.getLogger(__name__)

DAILY = "daily"
PRE_MIGRATE = "pre-migrate"


class KeepCounts(Protocol):
    """What the rotation needs of a policy (app.config_layers' configured one has the same two numbers)."""

    @property
    def daily(self) -> int: ...

    @property
    def weekly(self) -> int: ...


@dataclass(frozen=True)
class BackupPolicy:
    """How many rolling backups stay (``backup.daily`` and ``backup.weekly`` in the configuration)."""

    daily: int = 7
    weekly: int = 4


def rotates(reason: str) -> bool:
    """Whether a backup made for ``reason`` is in the rotation (made by itself, or before a migration)."""
    return reason == DAILY or reason.startswith(PRE_MIGRATE)


def _local_day(moment: datetime, tz: tzinfo | None) -> date:
    return moment.astimezone(tz).date()  # tz None: this PC's own zone


def _week(day: date) -> tuple[int, int]:
    year, week, _weekday = day.isocalendar()
    return year, week


def kept_by_policy(backups: Iterable[BackupFile], policy: KeepCounts, tz: tzinfo | None = None) -> set[Path]:
    """The rotating backups among ``backups`` that the policy keeps (backups that do not rotate are not in it)."""
    newest_first = sorted((b for b in backups if rotates(b.reason)), key=lambda b: b.made_at, reverse=True)
    kept: set[Path] = set()
    days: list[date] = []
    for backup in newest_first:
        day = _local_day(backup.made_at, tz)
        if day in days:
            continue  # an older one of a day already kept
        if len(days) == policy.daily:
            break
        days.append(day)
        kept.add(backup.path)
    weeks: list[tuple[int, int]] = []
    before = _week(days[-1]) if days else None
    for backup in newest_first:
        week = _week(_local_day(backup.made_at, tz))
        if (before is not None and week >= before) or week in weeks:
            continue
        if len(weeks) == policy.weekly:
            break
        weeks.append(week)
        kept.add(backup.path)
    return kept


def rotate(folder: Path, policy: KeepCounts, tz: tzinfo | None = None, *, spare: Path | None = None,
           also: Path | None = None) -> list[Path]:
    """Remove the rotating backups in ``folder`` (and in ``also``: one rotation over both) the policy does not keep
    (``spare`` stays whatever the policy says: the backup just made), then the attachment files no backup left
    there refers to. Returns the removed backups."""
    folders = [folder] if also is None or also == folder else [folder, also]
    backups = [b for f in folders for b in list_backups(f)]
    keep = kept_by_policy(backups, policy, tz) | ({spare} if spare is not None else set())
    removed = []
    for backup in backups:
        if rotates(backup.reason) and backup.path not in keep:
            try:
                backup.path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:  # open elsewhere (Windows), read-only: tried again at the next rotation
                log.warning("backup %s not removed: %s", backup.path.name, type(exc).__name__)
                continue
            removed.append(backup.path)
    if removed:
        log.info("rotation removed %d backup(s)", len(removed))
        for emptied in {path.parent for path in removed}:
            prune_pool(emptied)
    return removed


def day_done(backups: Iterable[BackupFile], now: datetime, tz: tzinfo | None = None) -> bool:
    """Whether the day of ``now`` has its rolling backup (a daily one, or one made before a migration)."""
    today = _local_day(now, tz)
    return any(rotates(b.reason) and _local_day(b.made_at, tz) == today for b in backups)


def back_up(database: Path, folder: Path, reason: str, attachments_dir: Path, at: datetime | None = None) -> Path:
    """A backup of ``database`` in ``folder`` named for ``reason``, with the attachment files it refers to in the
    folder's pool (app.store.backup_files). Nothing half-made is left when it fails."""
    dest = folder / backup_name(reason, at or datetime.now(UTC))
    try:
        back_up_to(database, dest, attachments_dir)
    except (OSError, sqlite3.Error) as exc:  # a missing USB drive, a read-only folder, a full disk
        reason_text = reason_of(exc)
        raise LaporError(Message(
            f"Cadangan tidak dapat ditulis ke {folder} ({reason_text.id}). Periksa folder tujuan, izinnya dan ruang "
            "disk.",
            f"The backup could not be written to {folder} ({reason_text.en}). Check the destination folder, its "
            "permissions and the free space.")) from exc
    return dest


def back_up_to(database: Path, dest: Path, attachments_dir: Path) -> None:
    """A backup of ``database`` as ``dest``, its attachment files in the pool of ``dest``'s folder; a failure
    (OSError, sqlite3.Error) leaves no backup file."""
    try:
        sqlite_backup(database, dest)
        keep_attachments(dest, attachments_dir)
    except BaseException:
        with suppress(OSError):
            dest.unlink(missing_ok=True)  # without its files a backup would not restore whole
        raise


@dataclass(frozen=True)
class DailyResult:
    made: Path | None  # None: the day had its backup already
    removed: list[Path] = field(default_factory=list)


def daily_backup(database: Path, folder: Path, attachments_dir: Path, *, policy: KeepCounts | None = None,
                 now: datetime | None = None, tz: tzinfo | None = None, always: bool = False,
                 migration_folder: Path | None = None) -> DailyResult:
    """The day's backup unless the day has one (``always``: make one anyway, as a scheduled task does, whose
    backup then replaces the day's earlier one), then the rotation. ``migration_folder``: where open_store puts
    the backups made before a migration (the data folder's), when IT chose another folder for the rest: one made
    there today is the day's backup too, and they rotate with the rest."""
    now = now or datetime.now(UTC)
    policy = policy or BackupPolicy()
    elsewhere = migration_folder if migration_folder is not None and migration_folder != folder else None
    seen = list_backups(folder) + (list_backups(elsewhere) if elsewhere is not None else [])
    made = None
    if always or not day_done(seen, now, tz):
        made = back_up(database, folder, DAILY, attachments_dir, now)
        log.info("daily backup written")
    return DailyResult(made, rotate(folder, policy, tz, spare=made, also=elsewhere))
