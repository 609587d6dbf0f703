"""The machine file lapor-desk.toml and the precedence of the configuration's layers: command line > environment >
user settings > machine file > defaults, a locked key skipping the user settings, and a bad file that names the
file, the line and the key without stopping the program."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.config import Paths
from app.config_layers import Layer, backup_policy, ini_settings, resolve, user_settings
from app.machine_config import (
    AUTO_SYNC_MINUTES,
    BACKUP_DAILY,
    BACKUP_WEEKLY,
    CA_BUNDLE,
    KEYS,
    LANGUAGE,
    MACHINE_FILE_ENV,
    PROXY,
    SERVER_URL,
    load_machine_file,
    machine_file_path,
)

MACHINE = """\
server_url = "https://machine.example.go.id"
proxy = "http://proxy.pemda:8080"
auto_sync_minutes = 15
language = "en"

[backup]
daily = 10
weekly = 6
"""


def machine(tmp_path: Path, text: str = MACHINE) -> Path:
    path = tmp_path / "lapor-desk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_machine_file_is_the_site_config_one_unless_the_environment_names_another(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(MACHINE_FILE_ENV)
    default = machine_file_path()
    assert default.name == "lapor-desk.toml" and "lapor-desk" in default.parts
    monkeypatch.setenv(MACHINE_FILE_ENV, str(tmp_path / "x.toml"))
    assert machine_file_path() == tmp_path / "x.toml"


def test_defaults_without_any_file_or_setting(tmp_path: Path) -> None:
    config = resolve(environ={}, user={}, machine=load_machine_file(tmp_path / "absent.toml"))
    assert not config.machine.exists and not config.problems
    for key in KEYS:
        assert config.value(key) == key.default
        assert config[key].source.layer is Layer.DEFAULT
    assert (config.backup.daily, config.backup.weekly) == (7, 4)


def test_each_layer_wins_over_the_ones_below(tmp_path: Path) -> None:
    file = load_machine_file(machine(tmp_path))
    layers = {
        "machine": {},
        "user": {"user": {"server_url": "https://user.example"}},
        "env": {"user": {"server_url": "https://user.example"},
                "environ": {"LAPOR_DESK_SERVER_URL": "https://env.example"}},
        "cli": {"user": {"server_url": "https://user.example"},
                "environ": {"LAPOR_DESK_SERVER_URL": "https://env.example"},
                "command_line": {"server_url": "https://cli.example"}},
    }
    seen = {}
    for name, given in layers.items():
        config = resolve(machine=file, environ=given.get("environ", {}), user=given.get("user", {}),
                         command_line=given.get("command_line"))
        seen[name] = (config.value(SERVER_URL), config[SERVER_URL].source.text("en"))
    assert seen == {
        "machine": ("https://machine.example.go.id", f"machine file {tmp_path / 'lapor-desk.toml'}"),
        "user": ("https://user.example", "user settings"),
        "env": ("https://env.example", "environment variable LAPOR_DESK_SERVER_URL"),
        "cli": ("https://cli.example", "command line"),
    }


def test_an_empty_value_is_not_given_and_the_layer_below_shows(tmp_path: Path) -> None:
    config = resolve(machine=load_machine_file(machine(tmp_path)), environ={"LAPOR_DESK_PROXY": ""},
                     user={"proxy": ""}, command_line={"proxy": None})
    assert config.value(PROXY) == "http://proxy.pemda:8080"
    assert config[PROXY].source.layer is Layer.MACHINE


def test_numbers_from_the_environment_and_the_typed_backup_policy(tmp_path: Path) -> None:
    config = resolve(machine=load_machine_file(machine(tmp_path)), environ={"LAPOR_DESK_BACKUP_WEEKLY": "8"}, user={})
    assert config.backup.daily == 10 and config.backup.weekly == 8
    assert config[BACKUP_DAILY].source.layer is Layer.MACHINE
    assert config[BACKUP_WEEKLY].source.layer is Layer.ENVIRONMENT


def test_backup_policy_reads_the_machine_file_named_by_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    assert backup_policy().daily == 7  # the suite's machine file does not exist
    monkeypatch.setenv(MACHINE_FILE_ENV, str(machine(tmp_path)))
    policy = backup_policy(Paths(tmp_path / "data"))
    assert (policy.daily, policy.weekly) == (10, 6)


def test_a_locked_key_ignores_the_user_settings_but_not_the_command_line_or_environment(tmp_path: Path) -> None:
    file = load_machine_file(machine(tmp_path, 'locked = ["server_url", "auto_sync_minutes"]\n' + MACHINE))
    assert file.locked == {"server_url", "auto_sync_minutes"}
    user = {"server_url": "https://user.example", "auto_sync_minutes": 1, "language": "id"}
    config = resolve(machine=file, environ={}, user=user)
    assert config.value(SERVER_URL) == "https://machine.example.go.id" and config.is_locked(SERVER_URL)
    assert config.value(AUTO_SYNC_MINUTES) == 15 and config.is_locked(AUTO_SYNC_MINUTES)
    assert config.value(LANGUAGE) == "id" and not config.is_locked(LANGUAGE)  # not locked: the person's choice
    config = resolve(machine=file, environ={"LAPOR_DESK_AUTO_SYNC_MINUTES": "3"}, user=user,
                     command_line={"server_url": "https://cli.example"})
    assert config.value(SERVER_URL) == "https://cli.example" and config.value(AUTO_SYNC_MINUTES) == 3


def test_bad_toml_names_the_file_and_line_and_the_defaults_apply(tmp_path: Path) -> None:
    path = machine(tmp_path, 'server_url = "https://a.example"\nauto_sync_minutes = = 5\n')
    config = resolve(machine=load_machine_file(path), environ={}, user={})
    assert config.value(SERVER_URL) == "" and config.value(AUTO_SYNC_MINUTES) == 10
    [problem] = config.problems
    assert problem.line == 2 and problem.key == "auto_sync_minutes"
    assert problem.text("en").startswith(f"{path}, line 2, key 'auto_sync_minutes': not valid TOML")
    assert problem.text("id").startswith(f"{path}, baris 2, kunci 'auto_sync_minutes': bukan TOML yang sah")


def test_wrong_types_values_and_unknown_keys_each_fall_back_alone(tmp_path: Path) -> None:
    path = machine(tmp_path, '\n'.join([
        'server_url = "ftp://wrong.example"',
        'auto_sync_minutes = "sepuluh"',
        'language = "fr"',
        'colour = "blue"',
        'proxy = "http://proxy.pemda:8080"',
        '[backup]',
        'daily = 3',
        'weekly = true',
        'locked = ["proxy"]',
    ]))
    config = resolve(machine=load_machine_file(path), environ={}, user={})
    found = {(p.key, p.line) for p in config.problems}
    assert found == {("server_url", 1), ("auto_sync_minutes", 2), ("language", 3), ("colour", 4),
                     ("backup.weekly", 8), ("backup.locked", 9)}
    texts = {p.key: p for p in config.problems}
    assert "must be a whole number, not the text 'sepuluh'" in texts["auto_sync_minutes"].text("en")
    assert "harus bilangan bulat, bukan teks 'sepuluh'" in texts["auto_sync_minutes"].text("id")
    assert "above the first [table]" in texts["backup.locked"].text("en")
    assert "unknown key" in texts["colour"].text("en") and "kunci tidak dikenal" in texts["colour"].text("id")
    # the good values are kept, the bad ones are the defaults
    assert config.value(PROXY) == "http://proxy.pemda:8080" and config.backup.daily == 3
    assert (config.value(SERVER_URL), config.value(AUTO_SYNC_MINUTES), config.value(LANGUAGE),
            config.backup.weekly) == ("", 10, "id", 4)


def test_a_bad_environment_value_is_a_problem_and_the_layer_below_applies(tmp_path: Path) -> None:
    config = resolve(machine=load_machine_file(machine(tmp_path)), environ={"LAPOR_DESK_AUTO_SYNC_MINUTES": "x"},
                     user={})
    assert config.value(AUTO_SYNC_MINUTES) == 15
    [problem] = config.problems
    assert problem.where == "LAPOR_DESK_AUTO_SYNC_MINUTES" and problem.key == "auto_sync_minutes"


def test_problems_are_logged_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = machine(tmp_path, "language = 5\n")
    with caplog.at_level(logging.WARNING, logger="app.config_layers"):
        resolve(machine=load_machine_file(path), environ={}, user={})
        resolve(machine=load_machine_file(path), environ={}, user={})
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and f"{path}, line 1, key 'language'" in lines[0]


def test_a_relative_ca_bundle_is_read_beside_the_machine_file_and_must_exist(tmp_path: Path) -> None:
    (tmp_path / "pemda-ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    config = resolve(machine=load_machine_file(machine(tmp_path, 'ca_bundle = "pemda-ca.pem"\n')), environ={}, user={})
    assert config.value(CA_BUNDLE) == str(tmp_path / "pemda-ca.pem")
    config = resolve(machine=load_machine_file(machine(tmp_path, 'ca_bundle = "missing.pem"\n')), environ={}, user={})
    assert config.value(CA_BUNDLE) == "" and config.problems[0].key == "ca_bundle"


def test_the_user_settings_are_read_without_qt_from_settings_ini(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # As QSettings' INI format writes ui.settings' keys.
    (data / "settings.ini").write_text("[meta]\nversion=1\n\n[sync]\nauto_sync_minutes=3\n\n[ui]\nlanguage=en\n")
    assert ini_settings(data / "settings.ini") == {"auto_sync_minutes": "3", "language": "en"}
    config = resolve(machine=load_machine_file(machine(tmp_path, "auto_sync_minutes = 20\n")), environ={},
                     user=user_settings(Paths(data)))
    assert config.value(AUTO_SYNC_MINUTES) == 3 and config[AUTO_SYNC_MINUTES].source.layer is Layer.USER
    assert config[AUTO_SYNC_MINUTES].below_user == 20


def test_a_bad_command_line_value_is_named_in_either_language(tmp_path: Path) -> None:
    config = resolve(machine=load_machine_file(machine(tmp_path)), environ={}, user={},
                     command_line={"server_url": "lapor.example.go.id"})
    assert config.value(SERVER_URL) == "https://machine.example.go.id"
    [problem] = config.problems
    assert problem.text("id").startswith("baris perintah, kunci 'server_url': harus alamat yang diawali http://")
    assert problem.text("en").startswith("command line, key 'server_url': must be an address starting with http://")
