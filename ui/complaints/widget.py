"""The complaint list: search box, filter bar, the table and its count. Refreshes after changes announced on the
hub, but only while visible (Electrum's maybe_defer_update): a hidden list notes what changed and catches up
when shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.read.queries import ComplaintFilter
from app.rules import tracking
from app.rules.scope import Scope
from app.timeutil import as_utc, zone
from ui.actions.bulk import Selected, bulk_allowed, open_bulk_form
from ui.complaints.export import ListExport, ListState
from ui.complaints.fetch import FilterChoices, find_code, load_choices
from ui.complaints.filterbar import FilterBar
from ui.complaints.header import ListHeader
from ui.complaints.model import ComplaintTableModel
from ui.complaints.selection import SelectionBar
from ui.complaints.table import ComplaintTableView, SearchEdit
from ui.complaints.views import filter_for, view_def
from ui.style import muted, style_form
from ui.tasks import known_error_message
from ui.workspace import Workspace

SEARCH_DELAY_MS = 300
REFRESH_DELAY_MS = 100
CLOCK_TICK_MS = 60_000


class ComplaintListWidget(QWidget):
    complaint_selected = Signal(str)  # "" when nothing is selected
    complaint_activated = Signal(str)

    _drilldown: tuple[tuple[str, ...], str] | None = None  # open_drilldown's ids and title, until a view is chosen

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, view: str = "inbox") -> None:
        super().__init__(parent)
        self._ws = ws
        self._view_key = view
        self._view_filter = filter_for(view, ws.user)
        self._code_id: str | None = None  # a whole tracking code was typed: show just that complaint
        self._code_error = ""
        self._pending_ids: set[str] = set()
        self._pending_all = False
        self._pending_choices = False
        self._last_selected = ""
        self._restore_id: str | None = None
        self._restore_scroll = 0
        self._scroll_top_on_reset = False
        self._select_after_load: str | None = None
        self._focus_after_load = False

        self.model = ComplaintTableModel(ws, self)
        self.search = SearchEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search tracking code, title, text or reporter… (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search complaints"))
        style_form(self.search)
        self.count_label = muted(QLabel(self))
        self.count_label.setAccessibleName(self.tr("Number of complaints"))
        self.export_button = QPushButton(self.tr("E&xport…"), self)
        self.export_button.setToolTip(self.tr("Save the complaints the list shows to Excel, CSV or Open311"))
        self.export_button.setAccessibleName(self.tr("Export the list"))
        self.last_export: ListExport | None = None
        self.filters = FilterBar(ws.lang, self)
        style_form(self.filters)
        self.table = ComplaintTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Complaints"))
        self.empty_label = muted(QLabel(self))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.selection_bar = SelectionBar(ws, self)
        self.bulk_form: QWidget | None = None
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.table)
        self._stack.addWidget(self.empty_label)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.selection_bar)
        layout.addWidget(self._stack, 1)

        self._search_timer = self._timer(SEARCH_DELAY_MS, self._run_search)
        self._refresh_timer = self._timer(REFRESH_DELAY_MS, self._reload_now)
        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_TICK_MS)
        self._clock.timeout.connect(self._tick)
        self._clock.start()

        self.header = ListHeader(self.table, self.model, ws.window_state, self)
        self.search.textChanged.connect(self._search_edited)
        self.search.returnPressed.connect(self._search_entered)
        self.search.escape_cleared.connect(self._run_search)
        self.search.down_pressed.connect(self._focus_table)
        self.export_button.clicked.connect(self.export_list)
        self.filters.changed.connect(self._filters_changed)
        self.filters.reset_button.clicked.connect(self.reset_filters)
        self.table.row_activated.connect(self._activate)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.selection_bar.act.connect(self.act_on_selection)
        self.selection_bar.clear.connect(self._clear_selection)
        self.model.modelAboutToBeReset.connect(self._before_reset)
        self.model.modelReset.connect(self._after_reset)
        self.model.loaded.connect(self._loaded)
        self.model.layoutChanged.connect(self._reveal_current)
        ws.hub.complaints_changed.connect(self._on_complaints_changed)
        ws.hub.reference_changed.connect(self._on_reference_changed)
        self.filters.set_today(self._today())
        self.set_view(view)  # the id query first: the window's first rows wait for it
        self._load_choices()

    # ---- public API ------------------------------------------------------------------------------------------

    @property
    def view_key(self) -> str:
        return self._view_key

    def set_view(self, key: str) -> None:
        """Show one of ui.complaints.views.VIEWS."""
        self._view_filter = filter_for(key, self._ws.user)
        self._view_key = key
        self._drilldown = None
        if self._code_id is not None or self._code_error:  # a looked-up code was a detour: the view wins
            self._code_id, self._code_error = None, ""
            self._clear_search_quietly()
        self.filters.set_view_filter(self._view_filter)
        self._apply_query(scroll_top=True)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current_id(self) -> str | None:
        """The complaint the detail shows: the current row if it is selected, else the first selected."""
        selection = self.table.selectionModel()
        current = self.table.currentIndex()
        if current.isValid() and selection.isRowSelected(current.row(), QModelIndex()):
            return self.model.id_at(current.row())
        rows = selection.selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def selected(self) -> list[Selected]:
        """The selected complaints in list order (status unknown, "", for a row not read yet)."""
        found = []
        for index in sorted(self.table.selectionModel().selectedRows(), key=lambda i: i.row()):
            complaint_id = self.model.id_at(index.row())
            if complaint_id is None:
                continue
            row = self.model.cached_row(complaint_id)
            # The unit only matters to a liaison's steps, none of which is taken on many at once.
            found.append(Selected(complaint_id, row.tracking_code if row else complaint_id,
                                  row.status if row else "", None))
        return found

    def act_on_selection(self, action: str) -> None:
        """Open the form that takes ``action`` on every selected complaint (ui.actions.bulk)."""
        selection = self.selected()
        if len(selection) >= 2 and bulk_allowed(self._ws, action, selection):
            self.bulk_form = open_bulk_form(self._ws, action, selection, self.window())

    def _clear_selection(self) -> None:
        current = self.current_id()
        if current:
            self.select_id(current)
        else:
            self.table.clearSelection()

    def select_id(self, complaint_id: str) -> bool:
        """Select and show a complaint of the list; False if the list does not hold it."""
        row = self.model.row_of(complaint_id)
        if row is None:
            return False
        index = self.model.index(row, max(0, self.table.currentIndex().column()))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def reset_filters(self) -> None:
        self._code_id, self._code_error = None, ""
        self._drilldown = None
        self._clear_search_quietly()
        self.filters.blockSignals(True)
        self.filters.reset()
        self.filters.blockSignals(False)
        self._apply_query(scroll_top=True)

    def save_header_state(self) -> None:
        self.header.save()

    def key_columns_width(self) -> int:
        """The list's width that shows code, title, status and next deadline without scrolling sideways."""
        margins = self.layout().contentsMargins()
        return self.header.key_columns_width() + margins.left() + margins.right()

    def export_list(self) -> ListExport:
        """Export what the list shows now (its view or drill-down, filters, search and order): options, save dialog,
        the file."""
        shown = self._drilldown[1] if self._drilldown is not None else view_def(self._view_key).label()
        job = self.last_export = ListExport(self._ws, self, ListState.of(self.model, shown))
        job.start()
        return job

    def open_drilldown(self, ids: Sequence[str], title: str) -> None:
        """Show exactly these complaints (a dashboard figure's; repeats are shown once), ``title`` beside the
        count, until a view is chosen (``set_view``) or the filters are reset."""
        self._code_id, self._code_error = None, ""
        self._clear_search_quietly()
        self._drilldown = (tuple(dict.fromkeys(ids)), title)
        self._apply_query(scroll_top=True)

    @property
    def drilldown(self) -> tuple[tuple[str, ...], str] | None:
        """The ids and title the list is narrowed to by ``open_drilldown`` (None when it shows a view)."""
        return self._drilldown

    # ---- queries ---------------------------------------------------------------------------------------------

    def _clear_search_quietly(self) -> None:
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._search_timer.stop()

    def _today(self) -> date:
        return as_utc(self._ws.services.clock()).astimezone(zone(self.model.tz)).date()

    def _apply_query(self, *, scroll_top: bool = False) -> None:
        self._scroll_top_on_reset = scroll_top
        if self._drilldown is not None:
            self.model.set_query(ComplaintFilter(ids=self._drilldown[0]))
        elif self._code_id is not None:
            self.model.set_query(ComplaintFilter(ids=(self._code_id,)))
        elif self._code_error:
            self.model.set_query(ComplaintFilter(ids=()))
        else:
            f = self.filters.merged(self._view_filter, self._today())
            self.model.set_query(f, self.search.text().strip())

    def _filters_changed(self) -> None:
        self._apply_query(scroll_top=True)

    def _search_edited(self) -> None:
        self._search_timer.start()

    def _search_entered(self) -> None:
        self._focus_after_load = True  # Enter: search now, then move into the results
        self._run_search()

    def _run_search(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        self._code_id, self._code_error = None, ""
        if tracking.looks_like_code(text):
            self._ws.tasks.db(find_code, self._ws.store, text, Scope.of(self._ws.user),
                              on_success=self._code_found, on_failure=self._code_failed, owner=self)
            return
        self._apply_query(scroll_top=True)

    def _code_found(self, complaint_id: str) -> None:
        self._code_id = complaint_id
        self._select_after_load = complaint_id
        self._apply_query(scroll_top=True)

    def _code_failed(self, exc: BaseException) -> None:
        self._code_error = known_error_message(exc).text(self._ws.lang)
        self._apply_query(scroll_top=True)

    # ---- hub: refresh while visible, catch up when shown -----------------------------------------------------

    def _on_complaints_changed(self, ids: list[str]) -> None:
        if not self.isVisible():
            if ids:
                self._pending_ids.update(ids)
            else:
                self._pending_all = True
            return
        self.model.invalidate(list(ids))
        self._refresh_timer.start()

    def _on_reference_changed(self) -> None:
        if not self.isVisible():
            self._pending_choices = True
            return
        self._load_choices()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending_all or self._pending_ids:
            self.model.invalidate([] if self._pending_all else sorted(self._pending_ids))
            self._pending_all, self._pending_ids = False, set()
            self._reload_now()
        else:
            self.model.tick()  # the clock may have moved on while hidden
        if self._pending_choices:
            self._pending_choices = False
            self._load_choices()

    def hideEvent(self, event: QHideEvent) -> None:
        self.header.flush()
        super().hideEvent(event)

    def _reload_now(self) -> None:
        self._refresh_timer.stop()
        self.model.reload()

    def _tick(self) -> None:
        if self.isVisible():
            self.model.tick()

    def _load_choices(self) -> None:
        self._ws.tasks.db(load_choices, self._ws.store, self._ws.user.office_id, self._ws.lang,
                          on_success=self._choices_loaded, owner=self)

    def _choices_loaded(self, choices: FilterChoices) -> None:
        before = self.filters.merged(self._view_filter, self._today())
        self.filters.set_choices(choices)
        if self.filters.merged(self._view_filter, self._today()) != before:  # a chosen unit/category is gone
            self._apply_query()

    # ---- selection and the model's resets --------------------------------------------------------------------

    def _selection_changed(self) -> None:
        self._emit_selected(self.current_id() or "")
        self.selection_bar.show_for(self.selected())

    def _emit_selected(self, complaint_id: str) -> None:
        if complaint_id != self._last_selected:
            self._last_selected = complaint_id
            self.complaint_selected.emit(complaint_id)

    def _before_reset(self) -> None:
        self._restore_id = self.current_id()
        self._restore_scroll = self.table.verticalScrollBar().value()
        self.table.selectionModel().blockSignals(True)

    def _after_reset(self) -> None:
        self.table.selectionModel().blockSignals(False)
        self.table.doItemsLayout()  # so the scroll bar knows the new row count before it is moved
        wanted = self._select_after_load or self._restore_id
        self._select_after_load = None
        if not self._scroll_top_on_reset:
            self.table.verticalScrollBar().setValue(self._restore_scroll)
        if not (wanted and self.select_id(wanted)):
            self._emit_selected("")
        self._scroll_top_on_reset = False

    def _reveal_current(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current, QAbstractItemView.ScrollHint.EnsureVisible)

    def _loaded(self) -> None:
        if self._select_after_load and self.select_id(self._select_after_load):
            self._select_after_load = None
        count = self.model.rowCount()
        self.count_label.setText(self._count_text(count))
        self.empty_label.setText(self._empty_text())
        self._stack.setCurrentWidget(self.table if count else self.empty_label)
        self._scroll_top_on_reset = False
        if self._focus_after_load:
            self._focus_after_load = False
            if count:
                self._focus_table()

    def _count_text(self, count: int) -> str:
        text = self.tr("%Ln complaint(s)", "", count)
        if self._drilldown is not None:
            text = f"{self._drilldown[1]} · {text}"
        if self.model.search_capped:
            text += " " + self.tr("(first matches only: refine the search)")
        return text

    def _empty_text(self) -> str:
        if self._code_error:
            return self._code_error
        if self.search.text().strip():
            return self.tr("No complaint matches the search.")
        if self.filters.is_active():
            return self.tr("No complaint matches these filters. Change them or press Reset.")
        if self._view_key == "inbox":
            return self.tr("Nothing is waiting for your action.")
        return self.tr("There are no complaints here.")

    def _focus_table(self) -> None:
        if not self.model.rowCount():
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.selectionModel().hasSelection():
            self.select_id(self.model.id_at(0) or "")

    def _activate(self, index: QModelIndex) -> None:
        complaint_id = self.model.id_at(index.row())
        if complaint_id:
            self.complaint_activated.emit(complaint_id)

    def _timer(self, ms: int, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer
