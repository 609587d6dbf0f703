"""What IT sets in the machine file lapor-desk.toml reaches the window: a locked value is shown as in effect, disabled,
with "Diatur oleh TI (lapor-desk.toml)", and neither saved nor overridden by what the person chose earlier; an
unlocked machine value applies until the person chooses another, and choosing it back leaves it to IT again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from app.machine_config import AUTO_SYNC_MINUTES as AUTO_SYNC_MINUTES_KEY
from app.machine_config import MACHINE_FILE_ENV
from app.store import meta
from sync import state
from tests.helpers.world import World
from ui.settings import AUTO_SYNC_MINUTES, LANGUAGE, Settings, effective_config
from ui.settings_dialog import SettingsDialog, read_server_settings
from ui.workspace import Workspace

NOTE = "Set by IT (lapor-desk.toml)"


def machine_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "lapor-desk.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(MACHINE_FILE_ENV, str(path))
    return path


def open_dialog(qtbot, ws: Workspace) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(ws)
    qtbot.add_widget(dialog)
    dialog.show()
    return dialog


def test_a_locked_interval_is_shown_disabled_and_the_persons_old_choice_no_longer_counts(
        qtbot, workspace: Workspace, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.settings.set(AUTO_SYNC_MINUTES, 3)  # chosen before IT locked it
    workspace.settings.sync()
    machine_file(tmp_path, monkeypatch, 'auto_sync_minutes = 15\nlocked = ["auto_sync_minutes"]\n')
    dialog = open_dialog(qtbot, workspace)
    assert dialog.auto_sync.value() == 15 and not dialog.auto_sync.isEnabled()
    note = dialog._locked_notes["auto_sync_minutes"]
    assert note.isVisible() and note.text() == NOTE and dialog.auto_sync.toolTip() == NOTE
    assert dialog.language.isEnabled() and not dialog._locked_notes["language"].isVisible()
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert Settings(data_dir / "settings.ini").get(AUTO_SYNC_MINUTES) == 3  # not written over
    assert effective_config(workspace.settings).value(AUTO_SYNC_MINUTES_KEY) == 15  # what the sync timer uses


def test_an_unlocked_machine_value_applies_until_the_person_chooses_another(
        qtbot, workspace: Workspace, data_dir: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    machine_file(tmp_path, monkeypatch, 'language = "en"\nauto_sync_minutes = 20\n')
    dialog = open_dialog(qtbot, workspace)
    assert dialog.language.currentData() == "en" and dialog.auto_sync.value() == 20 and dialog.auto_sync.isEnabled()
    dialog.save()  # nothing changed: nothing becomes the person's choice
    saved = Settings(data_dir / "settings.ini")
    assert not saved.has(LANGUAGE) and not saved.has(AUTO_SYNC_MINUTES)
    dialog = open_dialog(qtbot, workspace)
    dialog.auto_sync.setValue(5)
    dialog.save()
    assert Settings(data_dir / "settings.ini").get(AUTO_SYNC_MINUTES) == 5
    dialog = open_dialog(qtbot, workspace)
    assert dialog.auto_sync.value() == 5
    dialog.auto_sync.setValue(20)  # back to IT's value: left to IT again
    dialog.save()
    assert not Settings(data_dir / "settings.ini").has(AUTO_SYNC_MINUTES)


def test_a_locked_server_address_is_kept_while_the_unlocked_proxy_is_saved(
        qtbot, workspace: Workspace, world: World, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    with world.store.transaction() as session:
        meta.put(session, state.CLIENT_ID, "client-1")
        meta.put(session, state.SERVER_URL, "https://lama.example.go.id")
        meta.put(session, state.SETTINGS, json.dumps({"ca_bundle": "", "proxy": ""}))
    machine_file(tmp_path, monkeypatch, 'server_url = "https://baru.example.go.id"\nlocked = ["server_url"]\n')
    dialog = open_dialog(qtbot, workspace)
    assert dialog.server_url.text() == "https://baru.example.go.id" and not dialog.server_url.isEnabled()
    assert dialog._locked_notes["server_url"].isVisible() and dialog.proxy.isEnabled()
    assert not dialog._locked_notes["proxy"].isVisible()
    dialog.proxy.setText("http://proxy.kantor:8080")
    dialog.save()
    qtbot.wait_until(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    server = read_server_settings(world.store)
    assert (server.server_url, server.proxy) == ("https://lama.example.go.id", "http://proxy.kantor:8080")


def test_the_note_is_indonesian_in_the_translations() -> None:
    ts = Path(__file__).resolve().parents[2] / "resources" / "translations"
    found = [p for p in ts.rglob("*.ts") if NOTE in p.read_text(encoding="utf-8")]
    assert found and all("Diatur oleh TI (lapor-desk.toml)" in p.read_text(encoding="utf-8") for p in found)


def test_the_windows_options_are_the_ones_the_machine_configuration_reads() -> None:
    """app.config_layers reads settings.ini without Qt by these keys (for ``lapor-desk config show``)."""
    from app.machine_config import BY_NAME
    from ui.settings import MACHINE_KEYS

    assert MACHINE_KEYS
    for name, option in MACHINE_KEYS.items():
        assert (BY_NAME[name].user_key, BY_NAME[name].default) == (option.key, option.default)
