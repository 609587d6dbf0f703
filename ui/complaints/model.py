"""The complaint list's table model: an ordered list of ids fetched on the DB thread, and a row cache filled
in blocks of 100 when rows are first drawn (Anki's browser table model).

Why rows are fetched on the GUI thread: a block is one primary-key read of at most 100 rows (about a
millisecond on SQLite, a frame is 16 ms), WAL readers never wait for the writer, and the row is there the
moment it is painted, so scrolling never shows placeholders. Fetching through the DB thread instead would queue
the rows behind whatever that thread is doing (a sync pull, a backup) and leave the list blank while it runs.
Only the blocks the view draws are read; the cache keeps at most CACHE_LIMIT rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from sqlalchemy.exc import SQLAlchemyError

from app.domain import DeadlineKind, DeadlineState, Status
from app.read import queries
from app.read.queries import ComplaintFilter, ComplaintRow
from app.reference.labels import label
from app.rules.scope import Scope
from app.rules.sla import SlaPolicy, deadline_state
from ui.complaints.fetch import IdList, ListRequest, fetch_ids
from ui.complaints.marks import local_date, local_datetime, state_color, state_icon
from ui.workspace import Workspace

log = logging.getLogger(__name__)

BLOCK = 100
CACHE_LIMIT = 5000
PLACEHOLDER = "…"
ID_ROLE = Qt.ItemDataRole.UserRole
STATE_ROLE = Qt.ItemDataRole.UserRole + 1

(COL_CODE, COL_TITLE, COL_CATEGORY, COL_UNIT, COL_STATUS, COL_RECEIVED, COL_DEADLINE, COL_KIND) = range(8)
COLUMN_COUNT = 8
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
# column → (sort key of app.read.queries.SORTS for ascending, for descending; None = the reverse of ascending)
SORT_KEYS: dict[int, tuple[str, str | None]] = {
    COL_CODE: ("tracking_code", None),
    COL_TITLE: ("title", None),
    COL_STATUS: ("status", None),
    COL_RECEIVED: ("received_asc", "received"),
    COL_DEADLINE: ("deadline", None),
}
_Index = QModelIndex | QPersistentModelIndex
_MISSING = object()
_DISPLAY, _TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)
_DECORATION, _FOREGROUND = int(Qt.ItemDataRole.DecorationRole), int(Qt.ItemDataRole.ForegroundRole)
_ACCESSIBLE, _ID, _STATE = int(Qt.ItemDataRole.AccessibleTextRole), int(ID_ROLE), int(STATE_ROLE)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _DECORATION, _FOREGROUND, _ACCESSIBLE, _ID, _STATE})
_TIP_COLUMNS = frozenset({COL_TITLE, COL_CATEGORY, COL_UNIT, COL_KIND})  # the ones that are often elided
_GREY = QColor("#9aa5b1")


@dataclass(frozen=True)
class _Display:
    cells: tuple[str, ...]
    state: str
    deadline_tip: str


class ComplaintTableModel(QAbstractTableModel):
    """Rows of complaints for one query. ``set_query`` / ``sort`` / ``reload`` fetch the ids again (off the GUI
    thread); ``invalidate(ids)`` drops cached rows so they are read again when next drawn."""

    loaded = Signal()  # a fetched id list was applied (also when it did not change)

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._ids: list[str] = []
        self._row_index: dict[str, int] | None = None
        self._rows: dict[str, ComplaintRow | None] = {}  # None: the id is gone from the store
        self._display: dict[str, _Display] = {}
        self._filter = ComplaintFilter()
        self._search = ""
        self._sort_column, self._sort_order = COL_DEADLINE, ASC
        self._generation = 0
        self._now: datetime = ws.services.clock()
        self._skew = timedelta(0)  # server's time minus the PC's, as of the last fetch (fetch_ids)
        self._policy: SlaPolicy | None = None
        self._tz = "Asia/Jakarta"
        self._has_data = False
        self.search_capped = False
        self.block_fetches = 0  # how many block reads were made (tests, benches)

    # ---- queries ---------------------------------------------------------------------------------------------

    def set_query(self, f: ComplaintFilter, search_text: str = "") -> None:
        self._filter, self._search = f, search_text
        self.reload()

    @property
    def query(self) -> tuple[ComplaintFilter, str]:
        return self._filter, self._search

    def sort(self, column: int, order: Qt.SortOrder = ASC) -> None:
        if column not in SORT_KEYS:
            return
        self._sort_column, self._sort_order = column, Qt.SortOrder(order)
        self.reload()

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def restore_sort(self, column: int, order: Qt.SortOrder) -> None:
        """Take a remembered sort without fetching (the next query uses it)."""
        if column in SORT_KEYS:
            self._sort_column, self._sort_order = column, Qt.SortOrder(order)

    @property
    def tz(self) -> str:
        """The office's zone the rows are shown in (known after the first fetch)."""
        return self._tz

    @staticmethod
    def is_sortable(column: int) -> bool:
        return column in SORT_KEYS

    def reload(self) -> None:
        """Fetch the id list again on the DB thread; only the newest answer is applied."""
        self._generation += 1
        generation = self._generation
        asc_key, desc_key = SORT_KEYS[self._sort_column]
        descending = self._sort_order == DESC
        req = ListRequest(self._ws.user.office_id, self._ws.user.role, self._filter, unit_id=self._ws.user.unit_id,
                          sort=desc_key if descending and desc_key else asc_key,
                          reverse=descending and desc_key is None, search_text=self._search)
        self._ws.tasks.db(fetch_ids, self._ws.store, self._ws.services, req,
                          on_success=lambda result: self._apply(generation, result), owner=self)

    def invalidate(self, ids: list[str]) -> None:
        """Forget cached rows (all when ``ids`` is empty); the view reads them again when it repaints."""
        if not ids:
            self._rows.clear()
            self._display.clear()
            self._changed_all()
            return
        for cid in ids:
            self._rows.pop(cid, None)
            self._display.pop(cid, None)
            row = self.row_of(cid)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))

    def tick(self) -> None:
        """Move the model's clock on (deadline states change with time) and repaint the deadline column."""
        self._now = self._ws.services.clock() + self._skew
        self._display.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, COL_DEADLINE), self.index(len(self._ids) - 1, COL_DEADLINE))

    def _apply(self, generation: int, result: IdList) -> None:
        if generation != self._generation:
            return  # a newer query is on its way
        self._now, self._policy, self._tz = result.now, result.policy, result.tz
        self._skew = result.now - self._ws.services.clock()  # the server-corrected clock, kept for tick()
        self.search_capped = result.search_capped
        self._display.clear()
        new = result.ids
        if self._has_data and new == self._ids:
            self._changed_all()
        elif self._has_data and len(new) == len(self._ids) and set(new) == set(self._ids):
            self._reorder(new)
        else:
            self.beginResetModel()
            self._ids, self._row_index, self._has_data = new, None, True
            self.endResetModel()
        self.loaded.emit()

    def _reorder(self, new: list[str]) -> None:
        """Same complaints in another order: a layout change, so selections and current rows follow their ids."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._ids[i.row()] if i.isValid() else None for i in old]
        self._ids, self._row_index = new, None
        moved = []
        for index, cid in zip(old, old_ids, strict=True):
            row = self.row_of(cid) if cid is not None else None
            moved.append(self.index(row, index.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(old, moved)
        self.layoutChanged.emit()

    def _changed_all(self) -> None:
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, COLUMN_COUNT - 1))

    # ---- look-ups --------------------------------------------------------------------------------------------

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._ids)

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, complaint_id: str) -> int | None:
        if self._row_index is None:
            self._row_index = {cid: i for i, cid in enumerate(self._ids)}
        return self._row_index.get(complaint_id)

    def cached_row(self, complaint_id: str) -> ComplaintRow | None:
        row = self._rows.get(complaint_id)
        return row if isinstance(row, ComplaintRow) else None

    # ---- the lazy row cache ----------------------------------------------------------------------------------

    def warm(self, rows: int = BLOCK) -> None:
        """Read and format the first ``rows`` rows now (a window prepared behind the log-in, before it is shown), so
        its first paint has them."""
        for row in range(min(rows, len(self._ids))):
            self._display_at(row)

    def _fetch_block(self, block: int) -> None:
        wanted = [cid for cid in self._ids[block * BLOCK:(block + 1) * BLOCK] if cid not in self._rows]
        if not wanted:
            return
        try:
            with self._ws.store.read() as session:  # the one GUI-thread read allowed: rows by primary key
                got = queries.rows_by_id(session, Scope.of(self._ws.user), wanted)
        except SQLAlchemyError:
            log.exception("reading %d complaint rows failed", len(wanted))
            return
        self.block_fetches += 1
        for cid in wanted:
            self._rows[cid] = got.get(cid)
        excess = len(self._rows) - CACHE_LIMIT
        if excess > 0:
            keep = set(wanted)
            for cid in [c for c in islice(self._rows, excess + len(keep)) if c not in keep][:excess]:
                del self._rows[cid]
                self._display.pop(cid, None)

    def _display_at(self, row: int) -> _Display | None:
        cid = self._ids[row]
        shown = self._display.get(cid)
        if shown is not None:
            return shown
        data = self._rows.get(cid, _MISSING)
        if data is _MISSING:
            self._fetch_block(row // BLOCK)
            data = self._rows.get(cid)
        if not isinstance(data, ComplaintRow):
            return None
        shown = self._make_display(data)
        self._display[cid] = shown
        return shown

    def _make_display(self, r: ComplaintRow) -> _Display:
        lang = self._ws.lang
        state = DeadlineState.NONE
        due_text = kind_text = tip = ""
        if r.next_due_at is not None and self._policy is not None:
            state = deadline_state(r.next_due_at, self._now, self._policy)
            due_text = f"{local_date(r.next_due_at, self._tz)} · {label(state, lang)}"
            kind_text = label(DeadlineKind(r.next_due_kind), lang) if r.next_due_kind else ""
            when, state_text = local_datetime(r.next_due_at, self._tz), label(state, lang)
            tip = (self.tr("Deadline ({kind}): {when} — {state}").format(kind=kind_text, when=when, state=state_text)
                   if kind_text else self.tr("Deadline: {when} — {state}").format(when=when, state=state_text))
        elif r.next_due_at is None:
            due_text = "—"
            tip = label(DeadlineState.NONE, lang)
        cells = (r.tracking_code, r.title, r.category or "—", r.unit or "—", label(Status(r.status), lang),
                 local_datetime(r.received_at, self._tz), due_text, kind_text)
        return _Display(cells, state, tip)

    # ---- QAbstractTableModel ---------------------------------------------------------------------------------

    @property
    def has_data(self) -> bool:
        """An id list has been applied (the ``loaded`` signal fired at least once)."""
        return self._has_data

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # Called for every role of every drawn cell: plain int comparisons, the commonest roles first.
        if role not in _ROLES:
            return None
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._ids):
            return None
        if role == _ID:
            return self._ids[row]
        col = index.column()
        shown = self._display_at(row)
        if shown is None:
            if role == _DISPLAY:
                return PLACEHOLDER
            return _GREY if role == _FOREGROUND else None
        if role == _DISPLAY:
            return shown.cells[col]
        if role == _STATE:
            return str(shown.state)
        if col == COL_DEADLINE:
            marked = shown.state != DeadlineState.NONE
            if role == _DECORATION:
                return state_icon(shown.state) if marked else None
            if role == _FOREGROUND:
                return state_color(shown.state) if marked else None
            return shown.deadline_tip or shown.cells[col]  # tooltip, accessible text
        if role == _ACCESSIBLE or (role == _TOOLTIP and col in _TIP_COLUMNS):
            return shown.cells[col]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.column_titles()[section]
        if role == Qt.ItemDataRole.ToolTipRole and section not in SORT_KEYS:
            return self.tr("This column cannot be sorted")
        if role == Qt.ItemDataRole.InitialSortOrderRole and section in SORT_KEYS:
            return DESC.value if section == COL_RECEIVED else ASC.value  # newest first, most urgent first
        return None

    def column_titles(self) -> list[str]:
        return [self.tr("Tracking code"), self.tr("Title"), self.tr("Category"), self.tr("Unit"),
                self.tr("Status"), self.tr("Received"), self.tr("Next deadline"), self.tr("Deadline for")]


