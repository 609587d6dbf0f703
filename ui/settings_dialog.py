"""Settings: language, high contrast, automatic sync, backup folder and — on an enrolled PC — the server connection.

What IT locked in the machine file lapor-desk.toml (app.machine_config) is shown as in effect, disabled, with the
note "Diatur oleh TI (lapor-desk.toml)", and never written; a value saved equal to what the machine file (or the
default) gives removes the person's choice, so a later change of the machine file reaches this PC.

The language, contrast, sync interval and backup folder are the person's settings (ui.settings); high contrast
changes the look of what is open as soon as it is saved, the language at the next start. The server URL, CA bundle
and proxy belong to the enrolled store (sync/state.py keeps them in store_meta, where ``lapor-desk sync`` reads
them too); they are written in one store transaction on the database thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import machine_config as mc
from app.config_layers import EffectiveConfig, store_settings
from app.domain import Role
from app.errors import LaporError
from app.store import meta
from app.store.db import Store
from sync import state
from ui import screen_fit
from ui.settings import AUTO_SYNC_MINUTES, BACKUP_DIR, HIGH_CONTRAST, LANGUAGE, LANGUAGES, effective_config
from ui.style import apply_style, style_form, wanted_scheme
from ui.workspace import Workspace

SERVER_ROLES = frozenset({Role.ADMIN_INSTANSI, Role.IT_ADMIN})  # who may change where this PC syncs
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


@dataclass(frozen=True)
class ServerSettings:
    enrolled: bool
    server_url: str
    ca_bundle: str
    proxy: str


def read_server_settings(store: Store) -> ServerSettings:
    """The store's sync connection settings (database thread)."""
    with store.read() as session:
        extra = state.settings_of(session)
        return ServerSettings(enrolled=meta.get(session, state.CLIENT_ID) is not None,
                              server_url=meta.get(session, state.SERVER_URL) or "",
                              ca_bundle=extra.get("ca_bundle") or "", proxy=extra.get("proxy") or "")


def write_server_settings(store: Store, server_url: str | None, ca_bundle: str | None, proxy: str | None) -> None:
    """Write the server URL and the CA bundle and proxy (kept with the other keys of the JSON) in one
    transaction (database thread); None leaves that one as it is (a key IT locked)."""
    with store.transaction() as session:
        extra = state.settings_of(session)
        if ca_bundle is not None:
            extra["ca_bundle"] = ca_bundle
        if proxy is not None:
            extra["proxy"] = proxy
        if server_url is not None:
            meta.put(session, state.SERVER_URL, server_url)
        meta.put(session, state.SETTINGS, json.dumps(extra, sort_keys=True))


def is_web_url(text: str, schemes: tuple[str, ...] = ("http", "https")) -> bool:
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return False
    return parts.scheme.lower() in schemes and bool(parts.hostname)


class SettingsDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._ws = ws
        self._server: ServerSettings | None = None
        self._server_can_change = False
        self._config = effective_config(ws.settings)
        self._locked_notes: dict[str, QLabel] = {}
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(560)

        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Language"))
        names = {"id": "Bahasa Indonesia", "en": "English"}
        for code in LANGUAGES:
            self.language.addItem(names.get(code, code), code)
        self.language.setCurrentIndex(max(0, self.language.findData(self._config.text(mc.LANGUAGE))))
        self.language_note = QLabel(self.tr("The new language takes effect after LAPOR Desk is restarted."))
        self.language_note.setObjectName("muted")
        self.language_note.setWordWrap(True)
        self.language_note.setVisible(False)
        self.language.currentIndexChanged.connect(self._language_changed)

        self.high_contrast = QCheckBox(self.tr("High con&trast"))
        self.high_contrast.setToolTip(self.tr("Black text on white, dark borders and a strong colour for what is "
                                              "chosen. Also used when the system asks for high contrast."))
        self.high_contrast.setChecked(ws.settings.get(HIGH_CONTRAST))

        self.auto_sync = QSpinBox()
        self.auto_sync.setAccessibleName(self.tr("Automatic sync interval in minutes"))
        self.auto_sync.setRange(0, 24 * 60)
        self.auto_sync.setSuffix(self.tr(" minutes"))
        self.auto_sync.setSpecialValueText(self.tr("Off"))
        self.auto_sync.setValue(self._config.number(mc.AUTO_SYNC_MINUTES))

        self.backup_dir = QLineEdit(ws.settings.get(BACKUP_DIR))
        self.backup_dir.setAccessibleName(self.tr("Backup folder"))
        self.backup_dir.setPlaceholderText(str(ws.paths.backups))
        backup_row = self._with_button(self.backup_dir, self.tr("C&hoose…"), self._choose_backup_dir)

        general = QGroupBox(self.tr("General"))
        form = QFormLayout(general)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self._label(self.tr("&Language"), self.language), self.language)
        form.addRow("", self.language_note)
        form.addRow("", self._locked_note(mc.LANGUAGE))
        form.addRow(self.tr("Display"), self.high_contrast)
        form.addRow(self._label(self.tr("&Automatic sync every"), self.auto_sync), self.auto_sync)
        form.addRow("", self._locked_note(mc.AUTO_SYNC_MINUTES))
        form.addRow(self._label(self.tr("&Backup folder"), self.backup_dir), backup_row)

        self.server_url = QLineEdit()
        self.server_url.setAccessibleName(self.tr("Server address"))
        self.server_url.setPlaceholderText("https://lapor.example.go.id")
        self.ca_bundle = QLineEdit()
        self.ca_bundle.setAccessibleName(self.tr("CA certificate bundle"))
        self.ca_bundle.setPlaceholderText(self.tr("(the system's certificates)"))
        self.ca_button = QPushButton(self.tr("Ch&oose…"))
        self.ca_button.setAutoDefault(False)
        self.ca_button.clicked.connect(self._choose_ca_bundle)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(self.ca_button)
        self.proxy = QLineEdit()
        self.proxy.setAccessibleName(self.tr("Proxy"))
        self.proxy.setPlaceholderText(self.tr("(none) e.g. http://proxy.kantor:8080"))
        self.server_note = QLabel(self.tr("Reading the server settings…"))
        self.server_note.setObjectName("muted")
        self.server_note.setWordWrap(True)

        self.server_group = QGroupBox(self.tr("Server connection"))
        server_form = QFormLayout(self.server_group)
        server_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        server_form.addRow(self.server_note)
        server_form.addRow(self._label(self.tr("Server &address"), self.server_url), self.server_url)
        server_form.addRow("", self._locked_note(mc.SERVER_URL))
        server_form.addRow(self._label(self.tr("&CA certificates"), self.ca_bundle), ca_row)
        server_form.addRow("", self._locked_note(mc.CA_BUNDLE))
        server_form.addRow(self._label(self.tr("&Proxy"), self.proxy), self.proxy)
        server_form.addRow("", self._locked_note(mc.PROXY))
        self._set_server_editable(False)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("&Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(general)
        layout.addWidget(self.server_group)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.save_button.setDefault(True)
        for key, widget in ((mc.LANGUAGE, self.language), (mc.AUTO_SYNC_MINUTES, self.auto_sync)):
            self._show_lock(self._config, key, widget)
        ws.tasks.db(read_server_settings, ws.store, on_success=self._server_loaded, owner=self)

    def _locked_note(self, key: mc.Key) -> QLabel:
        note = QLabel(self.tr("Set by IT (lapor-desk.toml)"))
        note.setObjectName("muted")
        note.setVisible(False)
        self._locked_notes[key.name] = note
        return note

    def _show_lock(self, config: EffectiveConfig, key: mc.Key, *widgets: QWidget) -> bool:
        """Disable what IT locked in the machine file and show the note beside it; True when locked."""
        locked = config.is_locked(key)
        self._locked_notes[key.name].setVisible(locked)
        if locked:
            for widget in widgets:
                widget.setEnabled(False)
                widget.setToolTip(self._locked_notes[key.name].text())
        return locked

    def is_locked(self, key: mc.Key) -> bool:
        return self._config.is_locked(key)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _with_button(self, field: QLineEdit, text: str, slot: object) -> QHBoxLayout:
        button = QPushButton(text)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        row = QHBoxLayout()
        row.addWidget(field, 1)
        row.addWidget(button)
        return row

    def _set_server_editable(self, editable: bool) -> None:
        for widget in (self.server_url, self.ca_bundle, self.proxy, self.ca_button):
            widget.setEnabled(editable)

    def _server_loaded(self, server: ServerSettings) -> None:
        self._server = server
        # What sync uses: the store's connection over the machine file's (app.config_layers), IT's where locked.
        self._config = effective_config(self._ws.settings, store_settings(server.server_url, json.dumps(
            {"ca_bundle": server.ca_bundle, "proxy": server.proxy})))
        self.server_url.setText(self._config.text(mc.SERVER_URL) if server.enrolled else server.server_url)
        self.ca_bundle.setText(self._config.text(mc.CA_BUNDLE))
        self.proxy.setText(self._config.text(mc.PROXY))
        if not server.enrolled:
            self.server_note.setText(self.tr("This PC is not enrolled with a server yet; the connection settings "
                                             "apply once it is enrolled."))
        elif self._ws.user.role not in SERVER_ROLES:
            self.server_note.setText(self.tr("Only the office administrator or IT staff can change the server "
                                             "connection."))
        else:
            self.server_note.setVisible(False)
        self._server_can_change = server.enrolled and self._ws.user.role in SERVER_ROLES
        self._set_server_editable(self._server_can_change)
        if self._server_can_change:
            self._show_lock(self._config, mc.SERVER_URL, self.server_url)
            self._show_lock(self._config, mc.CA_BUNDLE, self.ca_bundle, self.ca_button)
            self._show_lock(self._config, mc.PROXY, self.proxy)
        screen_fit.grow_to_content(self)

    @Slot(int)
    def _language_changed(self, _index: int) -> None:
        self.language_note.setVisible(self.language.currentData() != self._config.text(mc.LANGUAGE))
        screen_fit.grow_to_content(self)  # the note's lines get their height, not a squeeze

    @Slot()
    def _choose_backup_dir(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Backup folder"),
                                                  self.backup_dir.text() or str(self._ws.paths.backups))
        if folder:
            self.backup_dir.setText(folder)

    @Slot()
    def _choose_ca_bundle(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("CA certificate bundle"), self.ca_bundle.text(),
                                                    self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_bundle.setText(path)

    # ---- saving ------------------------------------------------------------------------------------------------

    def problems(self) -> list[tuple[QWidget, str]]:
        """What is wrong with the form, each with the field to focus."""
        found: list[tuple[QWidget, str]] = []
        backup = self.backup_dir.text().strip()
        if backup and Path(backup).expanduser().exists() and not Path(backup).expanduser().is_dir():
            found.append((self.backup_dir, self.tr("The backup folder is a file, not a folder.")))
        if self._server_editable():
            url = self.server_url.text().strip()
            if self.server_url.isEnabled() and not is_web_url(url):
                found.append((self.server_url, self.tr(
                    "The server address must be a web address starting with https:// (or http://), for example "
                    "https://lapor.example.go.id.")))
            ca = self.ca_bundle.text().strip()
            if ca and self.ca_bundle.isEnabled() and not Path(ca).expanduser().is_file():
                found.append((self.ca_bundle, self.tr("The CA certificate file was not found: %1").replace("%1", ca)))
            proxy = self.proxy.text().strip()
            if proxy and self.proxy.isEnabled() and not is_web_url(proxy, PROXY_SCHEMES):
                found.append((self.proxy, self.tr(
                    "The proxy must be an address such as http://proxy.kantor:8080.")))
        return found

    def _server_editable(self) -> bool:
        return self._server is not None and self._server_can_change

    @Slot()
    def save(self) -> None:
        problems = self.problems()
        if problems:
            self.error.setText("\n".join(text for _w, text in problems))
            self.error.setVisible(True)
            screen_fit.grow_to_content(self)
            problems[0][0].setFocus()
            return
        self.error.setVisible(False)
        settings = self._ws.settings
        self._keep_choice(mc.LANGUAGE, LANGUAGE, str(self.language.currentData()))
        contrast_changed = self.high_contrast.isChecked() != settings.get(HIGH_CONTRAST)
        settings.set(HIGH_CONTRAST, self.high_contrast.isChecked())
        self._keep_choice(mc.AUTO_SYNC_MINUTES, AUTO_SYNC_MINUTES, self.auto_sync.value())
        settings.set(BACKUP_DIR, self.backup_dir.text().strip())
        settings.sync()
        app = QApplication.instance()
        if contrast_changed and isinstance(app, QApplication):
            apply_style(app, wanted_scheme(self.high_contrast.isChecked()))
        if not self._server_editable():
            self.accept()
            return
        self.save_button.setEnabled(False)
        ca = self.ca_bundle.text().strip()
        url = None if self.is_locked(mc.SERVER_URL) else self.server_url.text().strip()
        ca_bundle = self._stored(mc.CA_BUNDLE, str(Path(ca).expanduser()) if ca else "")
        proxy = self._stored(mc.PROXY, self.proxy.text().strip())
        self._ws.tasks.db(write_server_settings, self._ws.store, url, ca_bundle, proxy,
                          on_success=lambda _r: self.accept(), on_failure=self._save_failed, owner=self)

    def _keep_choice(self, key: mc.Key, option: Any, value: Any) -> None:
        """The person's choice in settings.ini: nothing for a locked key, and none (the key removed) when it is what
        the machine file or the default gives anyway, so IT's later changes reach this PC."""
        if self.is_locked(key):
            return
        if value == self._config[key].below_user:
            self._ws.settings.remove(option)
        else:
            self._ws.settings.set(option, value)

    def _stored(self, key: mc.Key, value: str) -> str | None:
        """What the store keeps for the CA bundle or proxy: None (unchanged) when locked, "" when the machine file
        gives that value anyway."""
        if self.is_locked(key):
            return None
        return "" if value == self._config[key].below_user else value

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(exc.text(self._ws.lang) if isinstance(exc, LaporError) else str(exc))
        self.error.setVisible(True)
        screen_fit.grow_to_content(self)
