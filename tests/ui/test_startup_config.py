"""The window's start with IT's lapor-desk.toml: its language applies unless the person chose one, and a bad value
does not stop the start: the program runs on the rest and the log names the file, the line and the key."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

import pytest

from app.machine_config import MACHINE_FILE_ENV
from tests.ui.test_application import DrivenDialogs, fake_setup
from tests.ui.test_main_window import fake_features
from ui.application import Startup
from ui.settings import LANGUAGE, Settings


def test_the_machine_files_language_and_its_problems_in_the_log(
        data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep_app_as_it_was: None) -> None:
    machine = tmp_path / "lapor-desk.toml"
    machine.write_text('language = "en"\nauto_sync_minutes = -5\n', encoding="utf-8")
    monkeypatch.setenv(MACHINE_FILE_ENV, str(machine))
    (data_dir / "lapor-desk.sqlite3").write_bytes(b"not a database" * 100)  # the start stops right after the log
    dialogs = DrivenDialogs()
    startup = Startup(Namespace(data_dir=str(data_dir)), dialogs=dialogs, synchronous=True,
                      features=fake_features(), setup=fake_setup())
    try:
        assert startup.lang == "en"
        assert startup.prepare() is False
    finally:
        startup.shutdown()
    assert "cannot be read" in dialogs.errors[0][1]  # in the machine file's language
    assert startup.log_path is not None
    logged = startup.log_path.read_text(encoding="utf-8")
    assert f"configuration problem, value not used: {machine}, line 2, key 'auto_sync_minutes': must be between" \
        in logged


def test_the_persons_language_wins_over_the_machine_files(data_dir: Path, tmp_path: Path, qapp: object,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    machine = tmp_path / "lapor-desk.toml"
    machine.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv(MACHINE_FILE_ENV, str(machine))
    settings = Settings(data_dir / "settings.ini")
    settings.set(LANGUAGE, "id")
    settings.sync()
    assert Startup(Namespace(data_dir=str(data_dir))).lang == "id"
    machine.write_text('language = "en"\nlocked = ["language"]\n', encoding="utf-8")
    assert Startup(Namespace(data_dir=str(data_dir))).lang == "en"
