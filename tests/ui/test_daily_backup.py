"""The window makes the day's backup by itself once it is up, on the database thread, and not again that day;
a backup folder that cannot be written is logged, not a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.config import Paths
from app.store.restore import list_backups
from app.store.rotation import BackupPolicy, daily_backup
from tests.helpers.world import World
from tests.ui.test_application import DrivenDialogs, _startup, fake_setup
from tests.ui.test_main_window import fake_features
from ui import application
from ui.daily_backup import BACKUP_CHECK_INTERVAL_MS
from ui.settings import BACKUP_DIR

pytestmark = pytest.mark.usefixtures("keep_app_as_it_was")


def test_the_window_makes_the_days_backup_once(qtbot, data_dir: Path, world: World,  # type: ignore[no-untyped-def]
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(application, "check_integrity", lambda store, backups: None)
    world.store.close()
    startup = _startup(data_dir, DrivenDialogs(), features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare() is True
        assert startup.window is not None
        qtbot.add_widget(startup.window)
        backups = data_dir / "backups"
        qtbot.wait_until(lambda: [b.reason for b in list_backups(backups)] == ["daily"])
        backups_timer = startup.daily_backups.timer if startup.daily_backups is not None else None
        assert backups_timer is not None and backups_timer.interval() == BACKUP_CHECK_INTERVAL_MS
        backups_timer.timeout.emit()  # the next hourly check, the same day
        assert [b.reason for b in list_backups(backups)] == ["daily"]
        startup.window.close()
    finally:
        startup.shutdown()
    assert not backups_timer.isActive()


def test_the_rotation_follows_the_configured_counts(qtbot, data_dir: Path, world: World,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(application, "check_integrity", lambda store, backups: None)
    monkeypatch.setenv("LAPOR_DESK_BACKUP_DAILY", "2")  # as lapor-desk.toml's [backup] daily, one layer up
    monkeypatch.setenv("LAPOR_DESK_BACKUP_WEEKLY", "0")
    world.store.close()
    paths = Paths(data_dir)
    now = datetime.now(UTC)
    for days_ago in range(5, 0, -1):
        daily_backup(paths.database, paths.backups, paths.attachments, policy=BackupPolicy(30, 0),
                     now=now - timedelta(days=days_ago))
    startup = _startup(data_dir, DrivenDialogs(), features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare() is True
        assert startup.window is not None
        qtbot.add_widget(startup.window)
        qtbot.wait_until(lambda: len(list_backups(paths.backups)) == 2)  # today's and yesterday's
        assert list_backups(paths.backups)[0].made_at >= now  # the one the window made, then yesterday's
        startup.window.close()
    finally:
        startup.shutdown()


def test_a_backup_folder_that_cannot_be_written_is_logged(qtbot, data_dir: Path, world: World,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(application, "check_integrity", lambda store, backups: None)
    world.store.close()
    blocked = tmp_path / "usb"
    blocked.write_text("a file where the backup folder should be")
    startup = _startup(data_dir, DrivenDialogs(), features=fake_features(), setup=fake_setup())
    startup.settings.set(BACKUP_DIR, str(blocked / "cadangan"))
    try:
        assert startup.prepare() is True
        assert startup.window is not None
        qtbot.add_widget(startup.window)
        log_file = data_dir / "logs" / "lapor-desk.log"
        qtbot.wait_until(lambda: "daily backup failed: LaporError" in log_file.read_text(encoding="utf-8"))
        startup.window.close()
    finally:
        startup.shutdown()
