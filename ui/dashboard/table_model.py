"""The table beside each chart: one row per group (or month), one column per figure; every cell keeps the complaint
ids behind its count (IDS_ROLE) for the drill-down."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ui.dashboard.compute import Breakdown, Row
from ui.locale_format import integer

IDS_ROLE = Qt.ItemDataRole.UserRole
_Index = QModelIndex | QPersistentModelIndex


class BreakdownTableModel(QAbstractTableModel):
    """Column 0 is the group's name, then one column per figure of the breakdown."""

    def __init__(self, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._rows: tuple[Row, ...] = ()
        self._titles: tuple[str, ...] = ()
        self._first_title = ""

    def set_breakdown(self, breakdown: Breakdown, first_title: str, titles: tuple[str, ...]) -> None:
        self.beginResetModel()
        self._rows, self._titles, self._first_title = breakdown.rows, titles, first_title
        self.endResetModel()

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def cell_ids(self, row: int, column: int) -> tuple[str, ...]:
        """The ids behind a cell; the name column gives the ids of the row's first figure (received)."""
        r = self.row_at(row)
        if r is None or not r.ids:
            return ()
        return r.ids[max(0, min(column - 1, len(r.ids) - 1))]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self._titles)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, col = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return r.name
            if 1 <= col <= len(r.values):
                return integer(r.values[col - 1], self._lang)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == IDS_ROLE:
            return list(self.cell_ids(index.row(), col))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section == 0:
                return self._first_title
            if 1 <= section <= len(self._titles):
                return self._titles[section - 1]
            return None
        return str(section + 1) if 0 <= section < len(self._rows) else None
