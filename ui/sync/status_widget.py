"""The sync part of the status bar: connection state (icon and word), changes waiting to be sent, the last
successful sync, a progress bar while syncing, the last error, complaints the server refused to take in (they stay
counted until fixed and sent again, or withdrawn), and "Sync now" (F9)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.timeutil import zone
from sync.state import SyncStatus
from ui.sync.controller import ConnectionState, SyncController
from ui.sync.refusals import RefusedIntakesDialog
from ui.workspace import Workspace

# The dot beside each state's word, on the status bar (white in both schemes of ui.style): at least 3:1 against it,
# as a mark must be (tests/ui/test_style_contrast.py); "error" is also the colour of the error's text (4.5:1).
COLOURS = {
    "online": "#2e7d32",
    "offline": "#757575",
    "never": "#b86200",
    "error": "#c62828",
    "syncing": "#1565c0",
    "unknown": "#607d8b",
    "local": "#5c6bc0",
}


def dot_icon(colour: str, size: int) -> QIcon:
    """A filled circle: the state's colour next to its word (never colour alone)."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(colour).darker(130))
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class SyncStatusWidget(QWidget):
    """Placed in the main window's status bar."""

    conflicts_requested = Signal()  # the person clicked "n conflicts to review"

    def __init__(self, ws: Workspace, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._controller = controller
        self._status: SyncStatus | None = controller.status
        with ws.store.read() as session:  # a primary-key read of the office row
            self._tz = zone(ws.services.office_tz(session, ws.office_id))
        self.setAccessibleName(self.tr("Sync status"))
        size = self.fontMetrics().height() * 3 // 4
        self._icon_size = max(8, size)

        self._icon = QLabel(self)
        self._state = QLabel(self)
        self._pending = QLabel(self)
        self._last = QLabel(self)
        self._conflicts = QLabel(self)
        self._conflicts.setTextFormat(Qt.TextFormat.RichText)
        self._conflicts.linkActivated.connect(lambda _link: self.conflicts_requested.emit())
        self._refused = QLabel(self)
        self._refused.setTextFormat(Qt.TextFormat.RichText)
        self._refused.setAccessibleName(self.tr("Complaints refused by the server"))
        self._refused.setToolTip(self.tr("They exist only on this PC: fix and send them again, or withdraw them"))
        self._refused.linkActivated.connect(lambda _link: self.show_refusals())
        self._refusals: RefusedIntakesDialog | None = None
        self._progress = QProgressBar(self)
        self._progress.setAccessibleName(self.tr("Sync progress"))
        self._progress.setMinimumWidth(self.fontMetrics().averageCharWidth() * 20)
        self._progress.setTextVisible(True)
        self._error = QLabel(self)
        self._error.setStyleSheet(f"color: {COLOURS['error']};")
        self._error.setAccessibleName(self.tr("Last sync error"))
        self._button = QPushButton(self.tr("Sync now"), self)
        self._button.setToolTip(self.tr("Exchange changes with the server now (F9)"))
        self._button.setAccessibleName(self.tr("Sync now"))
        self._cancel = QPushButton(self.tr("Stop"), self)
        self._cancel.setToolTip(self.tr("Stop the sync; what was exchanged so far is kept"))

        # F9 itself is the main window's "Sync now" action (one shortcut, no ambiguity); the button says so.
        self._button.clicked.connect(controller.sync_now)
        self._cancel.clicked.connect(controller.cancel)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        spacing = self.fontMetrics().averageCharWidth() * 2
        layout.setSpacing(spacing)
        state_box = QHBoxLayout()
        state_box.setSpacing(spacing // 3)
        state_box.addWidget(self._icon)
        state_box.addWidget(self._state)
        layout.addLayout(state_box)
        for widget in (self._pending, self._last, self._refused, self._conflicts, self._progress, self._error,
                       self._cancel, self._button):
            layout.addWidget(widget)

        controller.started.connect(self._on_started)
        controller.progress.connect(self._on_progress)
        controller.finished.connect(lambda _result: self._refresh())
        controller.status_changed.connect(self._on_status)
        controller.state_changed.connect(lambda _state: self._refresh())
        self._refresh()
        if self._status is None and controller.configured:
            controller.refresh_status()

    # ---- texts the tests read --------------------------------------------------------------------------------

    def state_text(self) -> str:
        return self._state.text()

    def pending_text(self) -> str:
        return self._pending.text() if self._pending.isVisibleTo(self) else ""

    def last_sync_text(self) -> str:
        return self._last.text() if self._last.isVisibleTo(self) else ""

    def error_text(self) -> str:
        return self._error.toolTip() if self._error.isVisibleTo(self) else ""

    def refused_text(self) -> str:
        return self._refused.text() if self._refused.isVisibleTo(self) else ""

    # ---- refused complaints ----------------------------------------------------------------------------------

    def show_refusals(self) -> RefusedIntakesDialog:
        """The list of complaints the server refused, with "Send again" and "Withdraw" (non-modal)."""
        if self._refusals is None:
            self._refusals = RefusedIntakesDialog(self._ws, self)
            self._refusals.changed.connect(self._controller.refresh_status)
        else:
            self._refusals.reload()
        self._refusals.show()
        self._refusals.activateWindow()
        return self._refusals

    # ---- updates ---------------------------------------------------------------------------------------------

    def _on_status(self, status: SyncStatus) -> None:
        self._status = status
        self._refresh()

    def _on_started(self) -> None:
        self._progress.setRange(0, 0)
        self._progress.setFormat(self.tr("Connecting…"))
        self._fit_progress(self._progress.format())
        self._refresh()

    def _on_progress(self, phase: str, done: int, total: int, _nbytes: int) -> None:
        names = {"push": self.tr("Sending changes"), "upload": self.tr("Uploading files"),
                 "pull": self.tr("Receiving updates"), "download": self.tr("Downloading files")}
        name = names.get(phase, phase)
        if total > 0:
            self._progress.setRange(0, total)
            self._progress.setValue(min(done, total))
            self._progress.setFormat(f"{name} %v/%m")
            shown = f"{name} {done}/{total}"
        else:
            self._progress.setRange(0, 0)
            self._progress.setFormat(name)
            shown = name
        self._fit_progress(shown)

    def _fit_progress(self, text: str) -> None:
        """Wide enough for its text (phase names differ in length between languages); it only grows."""
        needed = self.fontMetrics().horizontalAdvance(text) + self.fontMetrics().averageCharWidth() * 6
        if needed > self._progress.minimumWidth():
            self._progress.setMinimumWidth(needed)

    def _refresh(self) -> None:
        controller, status = self._controller, self._status
        local = not controller.configured
        for widget in (self._pending, self._last, self._button, self._progress, self._error, self._cancel,
                       self._conflicts, self._refused):
            widget.setVisible(not local)
        if local:
            self._set_state("local", self.tr("Local mode (not connected to a server)"),
                            self.tr("This PC works on its own: nothing is sent to the national server."))
            return
        running = controller.running
        self._progress.setVisible(running)
        self._cancel.setVisible(running)
        self._button.setEnabled(not running)
        state = controller.state
        never = status is not None and status.last_success is None
        server = status.server_url if status is not None and status.server_url else ""
        if running:
            self._set_state("syncing", self.tr("Syncing…"), server)
        elif state == ConnectionState.ONLINE:
            self._set_state("online", self.tr("Online"), self.tr("Connected to %1").replace("%1", server))
        elif state == ConnectionState.OFFLINE:
            self._set_state("offline", self.tr("Offline"),
                            self.tr("The server cannot be reached. Changes stay safe on this PC and are sent when "
                                    "the connection is back."))
        elif state == ConnectionState.ERROR and controller.upgrade_required:
            error = controller.last_error
            self._set_state("error", self.tr("Update needed"), error.text(self._ws.lang) if error else server)
        elif state == ConnectionState.ERROR:
            self._set_state("error", self.tr("Sync failed"), server)
        elif never:
            self._set_state("never", self.tr("Never synced"), server)
        else:
            self._set_state("unknown", self.tr("Connection not checked yet"), server)
        error = controller.last_error
        self._error.setVisible(error is not None and not running)
        if error is not None:
            text = error.text(self._ws.lang)
            width = self.fontMetrics().averageCharWidth() * 48
            self._error.setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width))
            self._error.setToolTip(text)
        if status is None:
            self._pending.setVisible(False)
            self._last.setText(self.tr("Last sync: …"))
            self._conflicts.setVisible(False)
            self._refused.setVisible(False)
            return
        self._refused.setVisible(status.refused_intakes > 0)
        self._refused.setText('<a href="#refused" style="color: {};">{}</a>'.format(
            COLOURS["error"], self.tr("%n complaint(s) refused by the server", "", status.refused_intakes)))
        self._pending.setText(self.tr("%n change(s) waiting to be sent", "", status.pending) if status.pending
                              else self.tr("All changes sent"))
        self._last.setText(self.tr("Last sync: %1").replace("%1", self._when(status.last_success)))
        self._conflicts.setVisible(status.open_conflicts > 0)
        self._conflicts.setText('<a href="#conflicts">{}</a>'.format(
            self.tr("%n conflict(s) to review", "", status.open_conflicts)))

    def _set_state(self, kind: str, text: str, tooltip: str) -> None:
        self._icon.setPixmap(dot_icon(COLOURS[kind], self._icon_size).pixmap(self._icon_size, self._icon_size))
        self._state.setText(text)
        self._state.setToolTip(tooltip)
        self._icon.setToolTip(tooltip)
        self.setProperty("syncState", kind)

    def _when(self, moment: datetime | None) -> str:
        if moment is None:
            return self.tr("never")
        local = moment.astimezone(self._tz)
        today = self._ws.services.clock().astimezone(self._tz).date()
        locale = QLocale()
        clock = locale.toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)
        if local.date() == today:
            return clock
        day = locale.toString(QDate(local.year, local.month, local.day), "d MMM")
        return f"{day} {clock}"
