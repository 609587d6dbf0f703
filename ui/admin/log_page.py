"""The log for IT: where the log folder is, the end of the current log (it holds ids and errors, never names or
complaint text: ui.logs), opened in the file manager or copied whole for a support request."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ui.admin.common import lead, page_title
from ui.logs import LOG_FILENAME
from ui.style import style_form
from ui.workspace import Workspace

TAIL_BYTES = 64_000


def read_tail(path: Path, limit: int = TAIL_BYTES) -> str:
    """The last ``limit`` bytes of ``path`` from a line start ("" if there is no log yet)."""
    try:
        with path.open("rb") as f:
            size = f.seek(0, 2)
            f.seek(max(0, size - limit))
            data = f.read()
    except OSError:
        return ""
    if size > limit and b"\n" in data:
        data = data[data.index(b"\n") + 1:]
    return data.decode("utf-8", errors="replace")


class LogPage(QWidget):
    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, log_dir: Path | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._ws = ws
        self.log_dir = log_dir
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(page_title(self.tr("Log"), self))
        layout.addWidget(lead(self.tr(
            "What LAPOR Desk did on this PC: start-ups, log-ins (by account id), syncs and errors. It holds no "
            "names, phone numbers or complaint text, so it can be sent to support as it is."), self))
        self.folder = QLabel(self)
        self.folder.setWordWrap(True)
        layout.addWidget(self.folder)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName(self.tr("The end of the log"))
        layout.addWidget(self.text, 1)
        row = QHBoxLayout()
        self.reload_button = QPushButton(self.tr("&Reload"), self)
        self.copy_button = QPushButton(self.tr("&Copy all"), self)
        self.open_button = QPushButton(self.tr("Open the log &folder"), self)
        self.reload_button.clicked.connect(self.reload)
        self.copy_button.clicked.connect(self.copy)
        self.open_button.clicked.connect(self.open_folder)
        for button in (self.reload_button, self.copy_button, self.open_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        if log_dir is None:
            self.folder.setText(self.tr("This window writes no log file."))
            for button in (self.reload_button, self.copy_button, self.open_button):
                button.setEnabled(False)
        else:
            self.folder.setText(self.tr("Log folder: %1").replace("%1", str(log_dir)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    @Slot()
    def reload(self) -> None:
        if self.log_dir is None:
            return
        self._ws.tasks.net(read_tail, self.log_dir / LOG_FILENAME, on_success=self._show, owner=self)

    def _show(self, text: str) -> None:
        self.text.setPlainText(text or self.tr("(the log is empty)"))
        bar = self.text.verticalScrollBar()
        bar.setValue(bar.maximum())  # the newest lines

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())

    def open_folder(self) -> None:
        if self.log_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))
