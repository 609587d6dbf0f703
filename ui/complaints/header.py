"""The complaint table's header: sorting by a click (done in SQL by the model; columns without a sort key keep
the current sort), the title column filling the room left, a menu to hide columns, and the layout (widths, order,
hidden columns, sort) remembered in the window state.

By default the columns a person works by come first — code, title, status, next deadline — so that they are in view
without scrolling sideways on a 1024-pixel screen; the others follow."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import QMenu, QStyle, QTableView

from ui.complaints import model as cols
from ui.complaints.model import ComplaintTableModel
from ui.settings import WindowState

# "_2": layouts saved before the key columns came first put the deadline off-screen; they start again once.
HEADER_STATE_KEY = "complaints/list_header_2"
KEY_COLUMNS = (cols.COL_CODE, cols.COL_TITLE, cols.COL_STATUS, cols.COL_DEADLINE)
SAVE_DELAY_MS = 500
# Widths of the columns before the user changes them: a sample of the widest usual content of each.
# Long values (unit and category names) are elided, with the whole text in the tooltip.
_SAMPLES = {cols.COL_CODE: "3404-901-000123-4", cols.COL_CATEGORY: "Jalan dan Jembatan",
            cols.COL_UNIT: "Dinas Kesehatan", cols.COL_STATUS: "Belum terverifikasi",
            cols.COL_RECEIVED: "28/11/2026 19:20", cols.COL_DEADLINE: "28/11/2026 · Segera jatuh tempo",
            cols.COL_KIND: "Penyelesaian"}
_TITLE_MIN = "Jalan berlubang di depan"  # elided below this, whole in the tooltip and the detail


class ListHeader(QObject):
    def __init__(self, table: QTableView, model: ComplaintTableModel, window_state: WindowState,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table, self._model, self._state = table, model, window_state
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        for column, sample in _SAMPLES.items():
            extra = 52 if column == cols.COL_DEADLINE else 28  # the icon and the cell's padding
            header.resizeSection(column, metrics.horizontalAdvance(sample) + extra)
        header.setMinimumSectionSize(metrics.horizontalAdvance("MMMM"))
        header.setStretchLastSection(False)
        self._title_min = metrics.horizontalAdvance(_TITLE_MIN)
        header.setSortIndicator(model.sort_column, model.sort_order)
        for visual, column in enumerate(KEY_COLUMNS):
            header.moveSection(header.visualIndex(column), visual)
        saved = window_state.load(HEADER_STATE_KEY)
        if saved is not None:
            header.restoreState(saved)
            header.setSectionHidden(cols.COL_TITLE, False)
        if model.is_sortable(header.sortIndicatorSection()):
            model.restore_sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        else:
            header.setSortIndicator(model.sort_column, model.sort_order)
        header.sectionClicked.connect(self._clicked)
        header.sectionResized.connect(self._resized)
        for changed in (header.sectionResized, header.sectionMoved, header.sortIndicatorChanged):
            changed.connect(lambda *_: self._save_timer.start())
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._menu)
        table.viewport().installEventFilter(self)

    def save(self) -> None:
        self._save_timer.stop()
        self._state.save(HEADER_STATE_KEY, self._table.horizontalHeader().saveState())

    def flush(self) -> None:
        """Save now if a change is waiting to be saved."""
        if self._save_timer.isActive():
            self.save()

    def key_columns_width(self) -> int:
        """The width the table needs to show the key columns (the title at its readable least) without scrolling
        sideways: for the window to decide whether the detail fits beside the list."""
        header = self._table.horizontalHeader()
        width = self._title_min + sum(header.sectionSize(c) for c in KEY_COLUMNS if c != cols.COL_TITLE)
        scroll_bar = self._table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return width + scroll_bar + 2 * self._table.frameWidth()

    def show_column(self, column: int, shown: bool) -> None:
        self._table.horizontalHeader().setSectionHidden(column, not shown)
        self.fit_title()
        self._save_timer.start()

    def fit_title(self) -> None:
        """The title takes the room the other columns leave, but never less than a readable width. When not every
        column fits, the key columns fill the view and the others follow off to the side (the table scrolls
        sideways to them): a Stretch section would shrink the title to nothing on a narrow window."""
        header = self._table.horizontalHeader()
        shown = [c for c in range(cols.COLUMN_COUNT) if c != cols.COL_TITLE and not header.isSectionHidden(c)]
        room = self._table.viewport().width()
        title = room - sum(header.sectionSize(c) for c in shown)
        if title < self._title_min:
            title = room - sum(header.sectionSize(c) for c in shown if c in KEY_COLUMNS)
        header.resizeSection(cols.COL_TITLE, max(self._title_min, title))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._table.viewport():
            self.fit_title()
        return super().eventFilter(watched, event)

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if column != cols.COL_TITLE:
            self.fit_title()

    def _clicked(self, column: int) -> None:
        header = self._table.horizontalHeader()
        if not self._model.is_sortable(column):  # the header already moved its arrow: put it back
            header.setSortIndicator(self._model.sort_column, self._model.sort_order)
            return
        self._model.sort(column, header.sortIndicatorOrder())

    def _menu(self, pos: QPoint) -> None:
        header = self._table.horizontalHeader()
        menu = QMenu(self._table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for column, title in enumerate(self._model.column_titles()):
            if column == cols.COL_TITLE:
                continue
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda on, c=column: self.show_column(c, on))
        menu.popup(header.mapToGlobal(pos))
