"""The likely duplicates of the account being taken in: code, received date, status, title and why it looks the
same (never the other complaint's reporter), with the officer's two choices: link the account to the selected
complaint, or register it as a new one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import Status
from app.read.duplicates import LikelyDuplicate
from app.reference.labels import label
from app.timeutil import zone
from ui.detail.format import locale_for
from ui.intake.office import known_office
from ui.style import muted, scaled_font
from ui.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex


class DuplicateModel(QAbstractTableModel):
    """The likely duplicates as rows: code, received, status, title, why."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._rows: list[LikelyDuplicate] = []

    def set_rows(self, rows: list[LikelyDuplicate]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> LikelyDuplicate | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = (self.tr("Tracking code"), self.tr("Received"), self.tr("Status"), self.tr("Title"),
                 self.tr("Why it looks the same"))
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        d = self.row_at(index.row()) if index.isValid() else None
        if d is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == 0:
            return d.tracking_code
        if column == 1:
            office = known_office(self._ws)
            local = d.received_at.astimezone(zone(office.tz)) if office else d.received_at.astimezone()
            return locale_for(self._ws.lang).toString(QDate(local.year, local.month, local.day), "d MMM yyyy")
        if column == 2:
            try:
                return label(Status(d.status), self._ws.lang)
            except ValueError:
                return d.status
        if column == 3:
            return d.title
        if column == 4:
            return ", ".join(self._reason(r) for r in d.reasons)
        return None

    def _reason(self, reason: str) -> str:
        return {"nik": self.tr("same NIK"), "phone": self.tr("same phone number"),
                "text": self.tr("similar text, same village")}.get(reason, reason)


class DuplicatePanel(QWidget):
    link_requested = Signal(str)  # the complaint id to add the account to
    register_requested = Signal()
    back_requested = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        heading = QLabel(self.tr("This may have been reported already"), self)
        heading.setFont(scaled_font(heading.font(), 1.15, bold=True))
        column.addWidget(heading)
        intro = QLabel(self.tr(
            "The office received these in the last 30 days from the same NIK or phone number, or with much the "
            "same words in the same village. Ask the reporter whether one of them is the same matter."), self)
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.model = DuplicateModel(ws, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Likely duplicates"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col in (0, 1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        # The title and the reasons share what is left (with large type at 1024 px the reasons alone took it all).
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self._link())
        column.addWidget(self.table)
        choices = QLabel(self.tr(
            "Link: this account is added to the selected complaint as a note on its timeline; no new complaint "
            "and no new code. The reporter's identity is not copied there.\n"
            "Register: it is taken in as a complaint of its own, with a new tracking code."), self)
        choices.setWordWrap(True)
        muted(choices)
        column.addWidget(choices)
        row = QHBoxLayout()
        self.back_button = QPushButton(self.tr("Back to the form"), self)
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.back_requested)
        self.register_button = QPushButton(self.tr("Register as a new complaint"), self)
        self.register_button.setAutoDefault(False)
        self.register_button.clicked.connect(self.register_requested)
        self.link_button = QPushButton(self.tr("Link to this complaint"), self)
        self.link_button.setAutoDefault(False)
        self.link_button.clicked.connect(self._link)
        row.addWidget(self.back_button)
        row.addStretch(1)
        row.addWidget(self.register_button)
        row.addWidget(self.link_button)
        column.addLayout(row)
        column.addStretch(1)

    def show_duplicates(self, found: list[LikelyDuplicate]) -> None:
        self.model.set_rows(found)
        self.table.resizeRowsToContents()
        rows = (sum(self.table.rowHeight(r) for r in range(len(found)))
                or self.table.verticalHeader().defaultSectionSize())
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows
                                  + 2 * self.table.frameWidth())
        if found:
            self.table.selectRow(0)
        self.table.setFocus()

    def selected(self) -> LikelyDuplicate | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def set_busy(self, busy: bool) -> None:
        for button in (self.link_button, self.register_button, self.back_button):
            button.setEnabled(not busy)

    def _link(self) -> None:
        chosen = self.selected()
        if chosen is not None and self.link_button.isEnabled():
            self.link_requested.emit(chosen.complaint_id)
