"""Sync and enrolment for IT: whether this PC is enrolled, with which server and as which device, the CA bundle and
proxy in use, how often it syncs by itself, when it last synced and what went wrong; "Sync now", and the settings
where the connection is changed. A PC that is not enrolled is enrolled by the set-up wizard of a new installation
or by the command shown here (its office's data comes from the server: it cannot be mixed into local data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import machine_config as mc
from app.config_layers import resolve, store_settings
from app.services.users import home_office_name
from app.store import meta
from sync import state
from ui.admin.common import lead, local_time, page_title
from ui.settings import effective_config
from ui.style import style_form
from ui.workspace import Workspace

ENROL_COMMAND = "lapor-desk enroll --server https://… --code …"


@dataclass(frozen=True)
class Connection:
    enrolled: bool
    server_url: str
    device_id: str
    office: str
    ca_bundle: str
    proxy: str
    pending: int
    last_success: datetime | None
    last_error: str
    last_error_en: str
    clock_skew_seconds: float | None


def read_connection(ws: Workspace) -> Connection:
    """Database thread."""
    office = home_office_name(ws.store)
    with ws.store.read() as session:
        status = state.read_status(session)
        stored = store_settings(status.server_url, meta.get(session, state.SETTINGS))
        device = meta.get(session, state.DEVICE_ID) or ""
    used = resolve(user=stored)  # what sync uses: the store's connection, the machine file's where IT locked it
    return Connection(status.enrolled, used.text(mc.SERVER_URL) if status.enrolled else "", device, office,
                      used.text(mc.CA_BUNDLE), used.text(mc.PROXY), status.pending, status.last_success,
                      status.last_error or "", status.last_error_en or "", status.clock_skew_seconds)


class ConnectionPage(QWidget):
    """``settings_requested``: open the Settings, where the server connection is changed."""

    settings_requested = Signal()
    loaded = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, controller: Any = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._ws = ws
        self._controller = controller
        self._dirty = True
        self.connection: Connection | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(page_title(self.tr("Sync and enrolment"), self))
        layout.addWidget(lead(self.tr(
            "This PC keeps the office's complaints and sends its changes to the national server whenever it is "
            "connected. The server address, the CA bundle and the proxy are changed under Settings."), self))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.values: dict[str, QLabel] = {}
        for key, text in (("enrolled", self.tr("Enrolled:")), ("office", self.tr("Office:")),
                          ("server", self.tr("Server:")), ("device", self.tr("Device id:")),
                          ("ca", self.tr("CA bundle:")), ("proxy", self.tr("Proxy:")),
                          ("auto", self.tr("Syncs by itself:")), ("pending", self.tr("Changes not yet sent:")),
                          ("last", self.tr("Last successful sync:")), ("error", self.tr("Last error:")),
                          ("clock", self.tr("This PC's clock:"))):
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(text, value)
        layout.addLayout(form)
        self.enrol_hint = lead("", self)
        layout.addWidget(self.enrol_hint)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.sync_button = QPushButton(self.tr("S&ync now"), self)
        self.sync_button.clicked.connect(self._sync_now)
        self.settings_button = QPushButton(self.tr("Change the &connection…"), self)
        self.settings_button.clicked.connect(self.settings_requested)
        row.addWidget(self.sync_button)
        row.addWidget(self.settings_button)
        row.addStretch(1)
        layout.addLayout(row)
        ws.hub.sync_state_changed.connect(self.schedule_refresh)

    @Slot()
    def schedule_refresh(self, *_args: object) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def refresh(self) -> None:
        self._dirty = False
        self._ws.tasks.db(read_connection, self._ws, on_success=self._show, owner=self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def _show(self, c: Connection) -> None:
        self.connection = c
        none = self.tr("none")
        minutes = effective_config(self._ws.settings).number(mc.AUTO_SYNC_MINUTES)
        shown = {
            "enrolled": self.tr("yes") if c.enrolled else self.tr("no"),
            "office": c.office or "—",
            "server": c.server_url or "—",
            "device": c.device_id or "—",
            "ca": c.ca_bundle or self.tr("the system's certificates"),
            "proxy": c.proxy or none,
            "auto": self.tr("every %n minute(s)", "", minutes) if minutes > 0 and c.enrolled else self.tr("no"),
            "pending": QLocale().toString(c.pending) if c.pending else none,
            "last": local_time(c.last_success),
            "error": (c.last_error if self._ws.lang == "id" else c.last_error_en) or none,
            "clock": self._clock_text(c.clock_skew_seconds),
        }
        for key, text in shown.items():
            self.values[key].setText(text)
        self.enrol_hint.setVisible(not c.enrolled)
        self.enrol_hint.setText(self.tr(
            "This PC is not enrolled with a national server: its data stays on this PC. A new PC is enrolled by "
            "the set-up wizard when LAPOR Desk first starts; an existing one from the command line:\n%1")
            .replace("%1", ENROL_COMMAND))
        self.sync_button.setEnabled(c.enrolled and bool(getattr(self._controller, "configured", False)))
        self.loaded.emit()

    def _clock_text(self, skew: float | None) -> str:
        if skew is None:
            return self.tr("not compared with the server yet")
        if abs(skew) < 60:
            return self.tr("on time (within a minute of the server)")
        return self.tr("%n minute(s) off the server's clock; deadlines use the server's time", "",
                       round(abs(skew) / 60))

    def _sync_now(self) -> None:
        if self._controller is not None:
            self._controller.sync_now()
