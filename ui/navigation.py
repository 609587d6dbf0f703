"""The left navigation: IT's administration pages, the complaint views with their counts, then the sync pages
(conflicts, sync log).

Counts are read on the database thread after ``ws.hub`` says something changed, debounced, and not at all while
the list is hidden (it catches up when shown again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLocale, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ui.style import DEADLINE_COLORS, MUTED, NAVIGATION_STYLE
from ui.workspace import Workspace

KEY_ROLE = Qt.ItemDataRole.UserRole
COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
HEADER_ROLE = Qt.ItemDataRole.UserRole + 2
DEBOUNCE_MS = 400
CONFLICTS = "conflicts"
DASHBOARD = "dashboard"  # leadership's page of KPIs and charts (ui.dashboard); no count
SYNC_LOG = "sync_log"
SYNC_PROBLEMS = "admin_sync_problems"  # IT's inbox (ui.admin)
ALERT_KEYS = frozenset({"overdue", CONFLICTS, SYNC_PROBLEMS})  # a count above zero here is shown in the overdue colour

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class NavEntry:
    key: str
    title: str
    tooltip: str = ""


class _CountDelegate(QStyledItemDelegate):
    """Draws the count right-aligned in a muted colour, and section headers as small muted captions."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if index.data(HEADER_ROLE):
            painter.save()
            font = option.font
            font.setBold(True)
            if font.pointSizeF() > 0:
                font.setPointSizeF(font.pointSizeF() * 0.85)
            painter.setFont(font)
            painter.setPen(QColor(MUTED))
            rect = option.rect.adjusted(15, 0, -8, 0)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                             str(index.data(Qt.ItemDataRole.DisplayRole)).upper())
            painter.restore()
            return
        super().paint(painter, option, index)
        count = index.data(COUNT_ROLE)
        if count is None:
            return
        painter.save()
        alert = index.data(KEY_ROLE) in ALERT_KEYS and int(count) > 0
        font = option.font
        font.setBold(alert)
        painter.setFont(font)
        painter.setPen(QColor(DEADLINE_COLORS["overdue"] if alert else MUTED))
        rect = QRect(option.rect).adjusted(0, 0, -12, 0)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         QLocale().toString(int(count)))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(HEADER_ROLE):
            return QSize(size.width(), int(size.height() * 1.25))
        return QSize(size.width() + option.fontMetrics.horizontalAdvance("00.000") + 16, size.height())


class NavigationList(QListWidget):
    """Emits ``entry_selected(key)`` when the person picks a view or page."""

    entry_selected = Signal(str)
    counts_updated = Signal(dict)

    def __init__(self, ws: Workspace, views: Sequence[NavEntry], sync_pages: Sequence[NavEntry],
                 counter: Callable[[Workspace], dict[str, int]], parent: QWidget | None = None, *,
                 admin: Sequence[NavEntry] = ()) -> None:
        super().__init__(parent)
        self._ws = ws
        self._counter = counter
        self._dirty = True
        self.setObjectName("navigation")
        self.setStyleSheet(NAVIGATION_STYLE)
        self.setAccessibleName(self.tr("Navigation"))
        self.setItemDelegate(_CountDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._items: dict[str, QListWidgetItem] = {}
        for title, entries in ((self.tr("Administration"), admin), (self.tr("Complaints"), views)):
            if entries:  # IT has no complaint views, only IT has the administration
                self._add_header(title)
                for entry in entries:
                    self._add_entry(entry)
        self._add_header(self.tr("Synchronisation"))
        for entry in sync_pages:
            self._add_entry(entry)
        self.currentItemChanged.connect(self._on_current)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_now)
        ws.hub.complaints_changed.connect(self.schedule_refresh)
        ws.hub.conflicts_changed.connect(self.schedule_refresh)
        ws.hub.reference_changed.connect(self.schedule_refresh)
        self._column_width: int | None = None
        self.setMinimumWidth(self._width_of_entries() + 8)

    def _add_header(self, title: str) -> None:
        item = QListWidgetItem(title, self)
        item.setData(HEADER_ROLE, True)
        item.setFlags(Qt.ItemFlag.NoItemFlags)

    def _add_entry(self, entry: NavEntry) -> None:
        item = QListWidgetItem(entry.title, self)
        item.setData(KEY_ROLE, entry.key)
        if entry.tooltip:
            item.setToolTip(entry.tooltip)
        self._items[entry.key] = item

    # ---- selection -------------------------------------------------------------------------------------------

    def entry_keys(self) -> list[str]:
        return list(self._items)

    def current_key(self) -> str | None:
        item = self.currentItem()
        return item.data(KEY_ROLE) if item is not None else None

    def select(self, key: str) -> None:
        item = self._items.get(key)
        if item is not None:
            self.setCurrentItem(item)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None and current.data(KEY_ROLE):
            self.entry_selected.emit(current.data(KEY_ROLE))

    # ---- counts ----------------------------------------------------------------------------------------------

    def count_of(self, key: str) -> int | None:
        item = self._items.get(key)
        return None if item is None else item.data(COUNT_ROLE)

    @Slot()
    def schedule_refresh(self, *_args: object) -> None:
        if not self.isVisible():
            self._dirty = True
            return
        self._timer.start()

    @Slot()
    def refresh_now(self) -> None:
        self._dirty = False
        self._ws.tasks.db(self._counter, self._ws, on_success=self._apply_counts, owner=self)

    def _apply_counts(self, counts: dict[str, int]) -> None:
        for key, value in counts.items():
            item = self._items.get(key)
            if item is None:
                continue
            item.setData(COUNT_ROLE, int(value))
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         self.tr("%1: %2").replace("%1", item.text()).replace("%2", str(value)))
        self.counts_updated.emit(dict(counts))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            QTimer.singleShot(0, self, self.refresh_now)

    def _width_of_entries(self) -> int:
        """The widest entry with its count's room, measured once: the window's layout asks for the size hint on
        every change next to the list (each complaint shown in the detail), and measuring asks every entry."""
        if self._column_width is None:
            self._column_width = self.sizeHintForColumn(0)
        return self._column_width

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._column_width = None
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(self._width_of_entries() + 8, 200), hint.height())
