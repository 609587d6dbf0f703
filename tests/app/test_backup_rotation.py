"""Rolling backups over simulated days: a backup a day (database and the attachment files it refers to, shared in
the folder's pool), the newest 7 daily and 4 weekly kept by the local day and ISO week, the backup made before a
migration counted as its day's, and manual backups and the database a restore replaced never removed."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.config import Paths
from app.errors import LaporError
from app.store.backup_files import POOL, blob_path, prune_pool
from app.store.blobfiles import stored_blobs
from app.store.db import backup_name, open_store
from app.store.restore import BackupFile, list_backups, restore_database
from app.store.rotation import BackupPolicy, daily_backup, day_done, kept_by_policy, rotate
from app.store.store_messages import REPLACED_BY_RESTORE

WIB = ZoneInfo("Asia/Jakarta")
DATA = Path(__file__).resolve().parents[1] / "data"


class Office:
    """A small database with an attachments table and its attachment folder, changed day by day."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.database = folder / "lapor-desk.sqlite3"
        self.attachments = folder / "attachments"
        self.backups = folder / "backups"
        with sqlite3.connect(self.database) as conn:
            conn.execute("CREATE TABLE attachments (id INTEGER PRIMARY KEY, sha256 TEXT)")
        conn.close()

    def attach(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        path = blob_path(self.attachments, sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        with sqlite3.connect(self.database) as conn:
            conn.execute("INSERT INTO attachments (sha256) VALUES (?)", (sha,))
        conn.close()
        return sha

    def detach(self, sha: str) -> None:
        with sqlite3.connect(self.database) as conn:
            conn.execute("DELETE FROM attachments WHERE sha256 = ?", (sha,))
        conn.close()


def local(day: date, hour: int = 6) -> datetime:
    """``hour`` o'clock WIB on ``day``: at 06:00 WIB it is still the day before in UTC, so a rotation that used
    UTC days would keep other files."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=WIB)


def days_kept(folder: Path, reason: str = "daily") -> list[date]:
    return sorted(b.made_at.astimezone(WIB).date() for b in list_backups(folder) if b.reason == reason)


def test_sixty_days_leave_seven_daily_and_four_weekly_and_the_manual_ones(tmp_path: Path) -> None:
    office = Office(tmp_path / "data")
    first = date(2026, 3, 2)  # a Monday
    manual = office.backups / backup_name("manual", local(date(2026, 3, 5), 12))
    replaced = office.backups / backup_name(REPLACED_BY_RESTORE, local(date(2026, 3, 9), 12))
    by_hand = office.backups / "sebelum pindah kantor.sqlite3"
    shas = {}
    for n in range(60):
        day = first + timedelta(days=n)
        shas[day] = office.attach(f"lampiran {day}".encode())
        if day == date(2026, 3, 5):
            shutil.copyfile(office.database, manual)
        if day == date(2026, 3, 9):
            shutil.copyfile(office.database, replaced)
            shutil.copyfile(office.database, by_hand)
        result = daily_backup(office.database, office.backups, office.attachments, now=local(day), tz=WIB)
        assert result.made is not None
        again = daily_backup(office.database, office.backups, office.attachments, now=local(day, 15), tz=WIB)
        assert again.made is None  # the day has its backup
        assert len(days_kept(office.backups)) <= 11
    last = first + timedelta(days=59)
    assert last == date(2026, 4, 30)  # a Thursday
    assert days_kept(office.backups) == [
        date(2026, 3, 29), date(2026, 4, 5), date(2026, 4, 12), date(2026, 4, 19),  # Sundays of ISO weeks 13-16
        *(date(2026, 4, 24) + timedelta(days=i) for i in range(7)),  # Friday 24 .. Thursday 30 April
    ]
    untouched = {b.path for b in list_backups(office.backups) if b.reason != "daily"}
    assert untouched == {manual, replaced, by_hand}
    # The pool holds exactly the files some remaining backup refers to: the manual one of 5 March refers to the
    # first four days' files, and each daily to every file up to its day.
    assert stored_blobs(office.backups / POOL) == set(shas.values())
    office.detach(shas[first])  # gone from the database (and later from the backups that had it)
    manual.unlink()
    replaced.unlink()
    by_hand.unlink()
    for n in range(60, 100):  # until every backup that had it is rotated out
        daily_backup(office.database, office.backups, office.attachments,
                     now=local(first + timedelta(days=n)), tz=WIB)
    assert shas[first] not in stored_blobs(office.backups / POOL)
    assert shas[last] in stored_blobs(office.backups / POOL)


def test_a_pc_off_at_weekends_keeps_its_last_seven_working_days(tmp_path: Path) -> None:
    office = Office(tmp_path / "data")
    day = date(2026, 3, 2)
    while day <= date(2026, 3, 31):
        if day.weekday() < 5:
            daily_backup(office.database, office.backups, office.attachments, now=local(day, 8), tz=WIB)
        day += timedelta(days=1)
    # The seven working days from Monday 23 March, then the Friday of each week before that week (three: the
    # first backup was on 2 March).
    assert days_kept(office.backups) == [
        date(2026, 3, 6), date(2026, 3, 13), date(2026, 3, 20),
        date(2026, 3, 23), date(2026, 3, 24), date(2026, 3, 25), date(2026, 3, 26), date(2026, 3, 27),
        date(2026, 3, 30), date(2026, 3, 31)]


def _backup(day: date, reason: str, hour: int = 6) -> BackupFile:
    made = local(day, hour).astimezone(UTC)
    return BackupFile(Path(backup_name(reason, made)), made, reason, 1)


def test_the_policy_counts_are_configurable_and_the_newest_of_a_day_is_kept() -> None:
    start = date(2026, 3, 2)
    backups = [_backup(start + timedelta(days=n), "daily", hour) for n in range(28) for hour in (6, 17)]
    kept = kept_by_policy(backups, BackupPolicy(daily=2, weekly=1), WIB)
    assert sorted(kept) == sorted(Path(backup_name("daily", local(day, 17).astimezone(UTC))) for day in (
        date(2026, 3, 22),  # Sunday: the newest of the week before the week of the oldest daily (Monday 28 March)
        date(2026, 3, 28), date(2026, 3, 29)))
    assert kept_by_policy(backups, BackupPolicy(daily=0, weekly=0), WIB) == set()
    only_weeks = kept_by_policy(backups, BackupPolicy(daily=0, weekly=2), WIB)
    assert len(only_weeks) == 2  # the last Sunday of each of the two newest weeks
    assert kept_by_policy([_backup(start, "manual")], BackupPolicy(), WIB) == set()  # manual ones never rotate


def test_a_backup_before_a_migration_is_that_days_backup_and_rotates_with_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "lapor-desk.sqlite3"
    shutil.copyfile(DATA / "store-rev0004.sqlite3", database)
    backups = folder / "backups"
    open_store(database, backup_dir=backups).close()  # the newer program: a backup first, then the migration
    [before_update] = list_backups(backups)
    assert before_update.reason == "pre-migrate-0004"
    now = datetime.now(UTC)
    assert day_done(list_backups(backups), now)
    assert daily_backup(database, backups, folder / "attachments", now=now).made is None  # it is the day's backup
    for n in range(1, 7):
        daily_backup(database, backups, folder / "attachments", now=now + timedelta(days=n))
    assert before_update.path.exists()  # among the seven days
    for n in range(7, 60):
        daily_backup(database, backups, folder / "attachments", now=now + timedelta(days=n))
    assert not before_update.path.exists()  # rotated out like a daily one
    assert len(list_backups(backups)) == 11


def test_a_backup_that_cannot_be_written_leaves_nothing_half_made(tmp_path: Path) -> None:
    office = Office(tmp_path / "data")
    office.attach(b"foto")
    blocked = tmp_path / "usb"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(LaporError) as err:
        daily_backup(office.database, blocked / "backups", office.attachments, now=local(date(2026, 3, 2)))
    assert "Cadangan tidak dapat ditulis" in err.value.message.id
    office.backups.mkdir()
    (office.backups / POOL).write_text("a file where the attachments should go")
    with pytest.raises(LaporError):  # the database copied, its files not: no backup that restores half
        daily_backup(office.database, office.backups, office.attachments, now=local(date(2026, 3, 2)))
    assert list_backups(office.backups) == []


def test_the_pool_is_left_alone_when_a_backup_in_the_folder_cannot_be_read(tmp_path: Path) -> None:
    office = Office(tmp_path / "data")
    sha = office.attach(b"surat")
    daily_backup(office.database, office.backups, office.attachments, now=local(date(2026, 3, 2)))
    (office.backups / "rusak.sqlite3").write_bytes(b"\0" * 4096)
    for backup in list_backups(office.backups):
        if backup.reason == "daily":
            backup.path.unlink()
    assert prune_pool(office.backups) == 0  # the damaged one might need it
    assert sha in stored_blobs(office.backups / POOL)
    (office.backups / "rusak.sqlite3").unlink()
    assert rotate(office.backups, BackupPolicy(), WIB) == [] and prune_pool(office.backups) == 1


def test_the_backup_before_a_migration_keeps_the_attachment_files_and_restores_whole(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "data")
    paths.data_dir.mkdir()
    shutil.copyfile(DATA / "store-rev0004.sqlite3", paths.database)
    data = b"%PDF-1.4 surat dari versi lama"
    sha = hashlib.sha256(data).hexdigest()
    blob_path(paths.attachments, sha).parent.mkdir(parents=True)
    blob_path(paths.attachments, sha).write_bytes(data)
    conn = sqlite3.connect(paths.database)
    complaint = conn.execute("SELECT id FROM complaints LIMIT 1").fetchone()[0]
    conn.execute("INSERT INTO attachments (id, complaint_id, sha256, filename, mime_type, size, created_at, "
                 "blob_present) VALUES ('a-1', ?, ?, 'surat.pdf', 'application/pdf', ?, '2026-03-02 02:00:00', 1)",
                 (complaint, sha, len(data)))
    conn.commit()
    conn.close()
    open_store(paths.database, backup_dir=paths.backups).close()  # the newer program: backup, then migration
    [before_update] = list_backups(paths.backups)
    assert blob_path(paths.backups / POOL, sha).read_bytes() == data
    shutil.rmtree(paths.attachments)
    restored = restore_database(paths, before_update.path)  # the update gone wrong: back to the old file
    assert restored.attachments.copied == 1 and blob_path(paths.attachments, sha).read_bytes() == data


def test_a_chosen_backup_folder_sees_the_days_migration_backup_and_rotates_it_too(tmp_path: Path) -> None:
    office = Office(tmp_path / "data")
    usb = tmp_path / "usb"
    first = date(2026, 3, 2)
    before_update = office.backups / backup_name("pre-migrate-0005", local(first, 5).astimezone(UTC))
    office.backups.mkdir()
    shutil.copyfile(office.database, before_update)
    result = daily_backup(office.database, usb, office.attachments, now=local(first), tz=WIB,
                          migration_folder=office.backups)
    assert result.made is None  # the day has its backup, in the data folder's
    for n in range(1, 60):
        daily_backup(office.database, usb, office.attachments, now=local(first + timedelta(days=n)), tz=WIB,
                     migration_folder=office.backups)
        if n == 6:
            assert before_update.exists()  # one of the seven days
    assert not before_update.exists()  # rotated out with the daily ones
    assert len(days_kept(usb)) == 11
