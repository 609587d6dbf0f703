"""Settings files from other versions (Picard's versioned upgrades): an older file is copied aside and upgraded step
by step; a newer one is left untouched and the program runs on the defaults, saying why; an option key declared
twice is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from ui import settings as settings_module
from ui.settings import AUTO_SYNC_MINUTES, LANGUAGE, SETTINGS_VERSION, Option, OptionRegistry, Settings


def _write(path: Path, values: dict[str, object]) -> None:
    qs = QSettings(str(path), QSettings.Format.IniFormat)
    for key, value in values.items():
        qs.setValue(key, value)
    qs.sync()


def test_an_older_file_is_kept_aside_and_upgraded_in_order(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    _write(path, {"meta/version": 1, "sync/auto_minutes": 15, "ui/language": "en"})
    ran: list[int] = []

    def to_2(qs: QSettings) -> None:  # a renamed key
        ran.append(2)
        qs.setValue("sync/auto_sync_minutes", qs.value("sync/auto_minutes"))
        qs.remove("sync/auto_minutes")

    def to_3(qs: QSettings) -> None:
        ran.append(3)

    s = Settings(path, upgrades={1: settings_module.UPGRADES[1], 2: to_2, 3: to_3}, version=3)
    assert ran == [2, 3]
    assert s.get(AUTO_SYNC_MINUTES) == 15 and s.get(LANGUAGE) == "en"
    assert s.backup == tmp_path / "settings.ini.v1.bak"
    old = QSettings(str(s.backup), QSettings.Format.IniFormat)
    assert old.value("sync/auto_minutes") in (15, "15") and old.value("meta/version") in (1, "1")
    assert QSettings(str(path), QSettings.Format.IniFormat).value("meta/version") in (3, "3")
    again = Settings(path, upgrades={1: settings_module.UPGRADES[1], 2: to_2, 3: to_3}, version=3)
    assert ran == [2, 3] and again.backup is None  # upgraded once


def test_a_new_file_gets_the_current_version_and_no_backup(tmp_path: Path) -> None:
    s = Settings(tmp_path / "settings.ini")
    assert s.backup is None and s.too_new is None
    assert QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat).value("meta/version") in (
        SETTINGS_VERSION, str(SETTINGS_VERSION))


def test_an_unversioned_file_is_kept_aside_too(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    _write(path, {"ui/language": "en"})
    s = Settings(path)
    assert s.backup == tmp_path / "settings.ini.v0.bak" and s.get(LANGUAGE) == "en"


def test_a_newer_file_is_left_alone_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    _write(path, {"meta/version": SETTINGS_VERSION + 1, "ui/language": "en", "sync/auto_sync_minutes": 3})
    before = path.read_bytes()
    s = Settings(path)
    assert s.too_new is not None and "lebih baru" in s.too_new.id and "newer" in s.too_new.en
    assert s.get(LANGUAGE) == "id" and s.get(AUTO_SYNC_MINUTES) == 10  # the defaults
    s.set(AUTO_SYNC_MINUTES, 30)
    assert s.get(AUTO_SYNC_MINUTES) == 30  # in memory for this session
    s.sync()
    assert path.read_bytes() == before


def test_an_option_declared_twice_is_refused() -> None:
    registry = OptionRegistry()
    registry.add(Option("ui/language", "id"))
    with pytest.raises(ValueError, match="declared twice"):
        registry.add(Option("ui/language", "en"))
    assert len({o.key for o in settings_module.ALL_OPTIONS}) == len(settings_module.ALL_OPTIONS)
