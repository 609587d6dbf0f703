"""Settings: the person's options in settings.ini, the enrolled store's server connection in store_meta."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from app.domain import Role
from app.store import meta
from sync import state
from tests.helpers.world import World
from ui.settings import AUTO_SYNC_MINUTES, BACKUP_DIR, HIGH_CONTRAST, LANGUAGE, Settings
from ui.settings_dialog import SettingsDialog, is_web_url, read_server_settings
from ui.workspace import Workspace


def _enrol(world: World, url: str = "https://lapor.example.go.id") -> None:
    with world.store.transaction() as session:
        meta.put(session, state.CLIENT_ID, "client-1")
        meta.put(session, state.SERVER_URL, url)
        meta.put(session, state.SETTINGS, json.dumps({"ca_bundle": "", "proxy": "", "other": "kept"}))


@pytest.fixture
def open_dialog(qtbot):  # type: ignore[no-untyped-def]
    def make(ws: Workspace) -> SettingsDialog:
        dialog = SettingsDialog(ws)
        qtbot.add_widget(dialog)
        dialog.show()
        return dialog

    return make


def test_round_trip_on_an_enrolled_pc(open_dialog, workspace: Workspace, world: World, tmp_path: Path,  # type: ignore[no-untyped-def]
                                      data_dir: Path) -> None:
    _enrol(world)
    ca = tmp_path / "kantor-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    dialog = open_dialog(workspace)
    assert dialog.server_url.text() == "https://lapor.example.go.id" and dialog.server_url.isEnabled()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.language_note.isVisible()  # "takes effect after a restart"
    dialog.auto_sync.setValue(25)
    dialog.backup_dir.setText(str(tmp_path / "cadangan"))
    dialog.server_url.setText("https://lapor.slemankab.go.id:8443/")
    dialog.ca_bundle.setText(str(ca))
    dialog.proxy.setText("http://proxy.kantor:8080")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted

    saved = Settings(data_dir / "settings.ini")
    assert saved.get(LANGUAGE) == "en" and saved.get(AUTO_SYNC_MINUTES) == 25
    assert saved.get(BACKUP_DIR) == str(tmp_path / "cadangan")
    server = read_server_settings(world.store)
    assert (server.server_url, server.ca_bundle, server.proxy) == (
        "https://lapor.slemankab.go.id:8443/", str(ca), "http://proxy.kantor:8080")
    with world.store.read() as session:
        assert state.settings_of(session)["other"] == "kept"

    again = open_dialog(workspace)  # what was saved is what the next dialog shows
    assert again.language.currentData() == "en" and again.auto_sync.value() == 25
    assert again.ca_bundle.text() == str(ca) and not again.language_note.isVisible()


def test_bad_url_and_missing_ca_file_are_said_and_nothing_is_saved(open_dialog, workspace: Workspace,  # type: ignore[no-untyped-def]
                                                                   world: World, tmp_path: Path) -> None:
    _enrol(world)
    dialog = open_dialog(workspace)
    dialog.server_url.setText("ftp://lapor.example.go.id")
    dialog.ca_bundle.setText(str(tmp_path / "tidak-ada.pem"))
    dialog.proxy.setText("proxy kantor")
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    text = dialog.error.text()
    assert dialog.error.isVisible() and "https://" in text and "tidak-ada.pem" in text and "proxy" in text
    assert dialog.focusWidget() is dialog.server_url
    assert read_server_settings(world.store).server_url == "https://lapor.example.go.id"


def test_a_pc_not_enrolled_has_no_server_fields_to_edit(open_dialog, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(workspace)
    assert not dialog.server_url.isEnabled() and dialog.server_note.isVisible()
    dialog.auto_sync.setValue(0)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert workspace.settings.get(AUTO_SYNC_MINUTES) == 0


def test_only_admins_change_the_server(open_dialog, make_workspace, world: World) -> None:  # type: ignore[no-untyped-def]
    _enrol(world)
    dialog = open_dialog(make_workspace(Role.PETUGAS_LOKET))
    assert not dialog.server_url.isEnabled() and dialog.server_note.isVisible()
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_web_url_check() -> None:
    assert is_web_url("https://a.go.id") and is_web_url("http://10.0.0.2:8000/api")
    assert not is_web_url("a.go.id") and not is_web_url("https://") and not is_web_url("https://a:99999")
    assert is_web_url("socks5://p:1080", ("socks5",)) and not is_web_url("ftp://x")


def test_high_contrast_is_kept_and_changes_the_look_on_saving(open_dialog, workspace: Workspace, qapp,  # type: ignore[no-untyped-def]
                                                              data_dir: Path) -> None:
    from ui import style

    style_name, palette = qapp.style().name(), qapp.palette()
    dialog = open_dialog(workspace)
    assert not dialog.high_contrast.isChecked() and style.active() is style.LIGHT
    dialog.high_contrast.setChecked(True)
    assert style.active() is style.LIGHT  # nothing changes before saving
    try:
        dialog.save()
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert Settings(data_dir / "settings.ini").get(HIGH_CONTRAST) is True
        assert style.active() is style.CONTRAST
        assert qapp.palette().window().color().name() == style.CONTRAST.background
        again = open_dialog(workspace)
        assert again.high_contrast.isChecked() and again.styleSheet() == style.form_style(style.CONTRAST)
        again.high_contrast.setChecked(False)
        again.save()
        assert style.active() is style.LIGHT and not workspace.settings.get(HIGH_CONTRAST)
    finally:
        style.apply_style(qapp, style.LIGHT)
        if style_name:
            qapp.setStyle(style_name)
        qapp.setPalette(palette)
