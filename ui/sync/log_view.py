"""The sync log view: one row per attempt since the window opened (time, result, sent, received, data, note)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDateTime, QLocale, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.timeutil import zone
from ui.style import scaled_font, style_form
from ui.sync.controller import LOG_SIZE, SyncController, SyncLogEntry
from ui.workspace import Workspace


class SyncLogBytes(QObject):
    """A count of bytes through ``self.tr`` in a QObject: pyside6-lupdate marks only tr() calls as plural, and only
    plural messages get their English singular and plural ("1 byte", "512 bytes")."""

    def bytes_text(self, n: int) -> str:
        return self.tr("%Ln byte(s)", "", n)


def format_bytes(n: int) -> str:
    """Data on the wire, in the units people know (bytes, KB, MB), with the locale's decimal mark."""
    locale = QLocale()
    if n < 1024:
        return SyncLogBytes().bytes_text(n)
    if n < 1024 * 1024:
        return f"{locale.toString(n / 1024, 'f', 1)} KB"
    return f"{locale.toString(n / (1024 * 1024), 'f', 1)} MB"


class SyncLogModel(QAbstractTableModel):
    """Newest first; follows the controller's ``log_added`` and keeps at most ``LOG_SIZE`` rows."""

    COLUMNS = ("time", "result", "pushed", "pulled", "bytes", "message")

    def __init__(self, entries: list[SyncLogEntry], tz: str = "Asia/Jakarta", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SyncLogEntry] = list(reversed(entries))[:LOG_SIZE]
        self._tz = zone(tz)

    def add(self, entry: SyncLogEntry) -> None:
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, entry)
        self.endInsertRows()
        if len(self._rows) > LOG_SIZE:
            self.beginRemoveRows(QModelIndex(), LOG_SIZE, len(self._rows) - 1)
            del self._rows[LOG_SIZE:]
            self.endRemoveRows()

    def entry(self, row: int) -> SyncLogEntry:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | Any = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(self.COLUMNS):
            return None
        titles = (self.tr("Time"), self.tr("Result"), self.tr("Sent"), self.tr("Received"), self.tr("Data"),
                  self.tr("Note"))
        return titles[section]

    def data(self, index: QModelIndex | Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == "message":
            return entry.message or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("pushed", "pulled", "bytes"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return entry.result
        return None

    def result_label(self, result: str) -> str:
        results = {"ok": self.tr("Succeeded"), "offline": self.tr("Server unreachable"),
                   "error": self.tr("Failed"), "cancelled": self.tr("Stopped")}
        return results.get(result, result)

    def _display(self, entry: SyncLogEntry, column: str) -> str:
        if column == "time":
            local = entry.at.astimezone(self._tz)
            moment = QDateTime(local.year, local.month, local.day, local.hour, local.minute, local.second)
            return QLocale().toString(moment, QLocale.FormatType.ShortFormat)
        if column == "result":
            return self.result_label(entry.result)
        if column == "pushed":
            return str(entry.pushed)
        if column == "pulled":
            return str(entry.pulled)
        if column == "bytes":
            return format_bytes(entry.bytes)
        return entry.message


class SyncLogWidget(QWidget):
    """A read-only table of the controller's log; newest on top."""

    def __init__(self, ws: Workspace, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        with ws.store.read() as session:  # a primary-key read of the office row
            tz = ws.services.office_tz(session, ws.office_id)
        self.model = SyncLogModel(controller.log_entries(), tz, self)
        controller.log_added.connect(self.model.add)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Sync log"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        self._size_columns()
        self._empty = QLabel(self.tr("No sync yet since the program started."), self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Sync log"), self)
        title.setObjectName("pageTitle")
        title.setFont(scaled_font(title.font(), 1.25, bold=True))
        layout.addWidget(title)
        hint = QLabel(self.tr("Sync attempts since the program started (newest first). Personal data is never "
                              "recorded here."), self)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self._empty, 1)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.rowsRemoved.connect(self._update_empty)
        self._update_empty()

    def _size_columns(self) -> None:
        """Widths for the short columns from their longest possible text (not from the rows seen so far)."""
        metrics = self.view.fontMetrics()
        padding = metrics.averageCharWidth() * 3
        moment = QLocale().toString(QDateTime(2026, 12, 28, 23, 59, 59), QLocale.FormatType.ShortFormat)
        samples = {
            0: [moment],
            1: [self.model.result_label(r) for r in ("ok", "offline", "error", "cancelled")],
            2: ["9999"], 3: ["99999"], 4: [format_bytes(1000), "999,9 MB"],
        }
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max(metrics.horizontalAdvance(t) for t in [*texts, title]) + padding
            self.view.setColumnWidth(column, width)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)

    def _update_empty(self, *_args: object) -> None:
        empty = self.model.rowCount() == 0
        self._empty.setVisible(empty)
        self.view.setVisible(not empty)
