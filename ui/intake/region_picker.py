"""Where it happened: province → regency/city → district → village, each list searchable by name, plus one search
box over every region (a name anywhere, or a Kemendagri code typed as 34.04.07.2005 or 3404072005).

The lists are the bundled Kemendagri regions (app.reference.regions), read on the database thread once per process
and kept: they never change while the program runs. The chosen code is known at once (``code()``), also while the
lists to show it are still being read.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.reference.regions import (
    RegionRow,
    level_of,
    normalise_region_code,
    region_children,
    region_lists_along,
    region_name,
    search_regions,
)
from app.store.db import Store
from ui.style import muted
from ui.workspace import Workspace

SEARCH_DELAY_MS = 200
_LISTS: dict[str | None, list[RegionRow]] = {}  # parent code (None: provinces) → its children; reference data
CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def _parents_of(code: str) -> list[str | None]:
    """The parent of every level down to ``code``: [None, "34", "34.04", ...]."""
    parts = code.split(".")
    return [None] + [".".join(parts[:i]) for i in range(1, len(parts))]


def cached_lists_cover(code: str | None) -> bool:
    needed = _parents_of(code) + ([code] if code and level_of(code) < 4 else []) if code else [None]
    return all(parent in _LISTS for parent in needed)


def load_lists(store: Store, code: str | None) -> dict[str | None, list[RegionRow]]:
    """(Database thread.) The lists along ``code``'s path and under it."""
    with store.read() as session:
        return region_lists_along(session, code)


def load_children(store: Store, parent: str) -> list[RegionRow]:
    with store.read() as session:
        return region_children(session, parent)


def find_regions(store: Store, text: str, home: str | None) -> list[tuple[RegionRow, list[str]]]:
    """(Database thread.) Regions whose name matches ``text``, those in the office's own regency first, each with
    the names of the regions above it (district, regency, province)."""
    with store.read() as session:
        found = search_regions(session, text, parent_code=home, limit=10) if home else []
        seen = {r.code for r in found}
        found += [r for r in search_regions(session, text, limit=20) if r.code not in seen]
    out = []
    for row in found[:20]:
        above = [region_name(p) or p for p in reversed(_parents_of(row.code)) if p is not None]
        out.append((row, above))
    return out


class RegionPicker(QWidget):
    """Four linked lists and a search box; ``changed`` when the person picks a region."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._code: str | None = None
        self._home: str | None = None
        self._generation = 0
        self._updating = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search a village, district or regency by name, or type its code"))
        self.search.setAccessibleName(self.tr("Search region"))
        self.search.setClearButtonEnabled(True)
        self._results = QStandardItemModel(self)
        self._completer = QCompleter(self._results, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setMaxVisibleItems(12)
        self.search.setCompleter(self._completer)
        self._completer.activated[QModelIndex].connect(self._result_chosen)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self.search.textEdited.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_entered)
        column.addWidget(self.search)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        names = (self.tr("Province"), self.tr("Regency / city"), self.tr("District (kecamatan)"),
                 self.tr("Village (desa / kelurahan)"))
        self.combos: list[QComboBox] = []
        for index, name in enumerate(names):
            combo = QComboBox(self)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            completer = combo.completer()
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            line = combo.lineEdit()
            line.setPlaceholderText(self.tr("— choose —"))
            combo.setAccessibleName(name)
            label = QLabel(name, self)
            label.setBuddy(combo)
            muted(label)
            row, col = divmod(index, 2)
            grid.addWidget(label, row * 2, col)
            grid.addWidget(combo, row * 2 + 1, col)
            combo.currentIndexChanged.connect(lambda _i, level=index + 1: self._picked(level))
            line.editingFinished.connect(lambda level=index + 1: self._typed(level))
            self.combos.append(combo)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        self.code_label = QLabel(self)
        muted(self.code_label)
        column.addWidget(self.code_label)
        self._show_code()

    # ---- value -----------------------------------------------------------------------------------------------

    def code(self) -> str | None:
        """The region chosen (the deepest level picked), or None."""
        return self._code

    def set_home(self, code: str | None) -> None:
        """The office's own regency: searched first."""
        self._home = code

    def set_code(self, code: str | None, *, announce: bool = False) -> None:
        """Show ``code`` (a dotted or undotted code; None or "" for none). The lists are read if needed."""
        code = normalise_region_code(code) if code else None
        self._code = code
        self._generation += 1
        generation = self._generation
        self._show_code()
        if cached_lists_cover(code):
            self._apply(code)
        else:
            self._ws.tasks.db(load_lists, self._ws.store, code, owner=self,
                              on_success=lambda lists: self._lists_loaded(lists, code, generation))
        if announce:
            self.changed.emit()

    def loaded(self) -> bool:
        """Whether the lists shown match the chosen code (tests; nothing is waiting for the database)."""
        return cached_lists_cover(self._code)

    # ---- search ----------------------------------------------------------------------------------------------

    def search_now(self) -> None:
        text = self.search.text().strip()
        self._search_timer.stop()
        if len(text) < 3 or normalise_region_code(text):
            self._results.clear()
            return
        generation = self._generation
        self._ws.tasks.db(find_regions, self._ws.store, text, self._home, owner=self,
                          on_success=lambda found: self._show_results(found, generation))

    def results(self) -> list[str]:
        """The search results as shown (tests)."""
        return [self._results.item(r).text() for r in range(self._results.rowCount())]

    def pick_result(self, row: int) -> None:
        self._result_chosen(self._results.index(row, 0))

    def _show_results(self, found: list[tuple[RegionRow, list[str]]], generation: int) -> None:
        self._results.clear()
        kinds = {1: self.tr("province"), 2: self.tr("regency/city"), 3: self.tr("district"),
                 4: self.tr("village")}
        for row, above in found:
            where = ", ".join(above)
            text = f"{row.name} ({kinds[row.level]})" + (f" — {where}" if where else "")
            item = QStandardItem(text)
            item.setData(row.code, CODE_ROLE)
            item.setEditable(False)
            self._results.appendRow(item)
        if found and self.search.hasFocus():
            self._completer.complete()

    def _result_chosen(self, index: QModelIndex) -> None:
        code = index.data(CODE_ROLE)
        if code:
            QTimer.singleShot(0, self.search.clear)  # after the completer has written its text into the box
            self.set_code(str(code), announce=True)

    def _search_entered(self) -> None:
        code = normalise_region_code(self.search.text())
        if code:
            self.search.clear()
            self.set_code(code, announce=True)
        else:
            self.search_now()

    # ---- the four lists ----------------------------------------------------------------------------------------

    def _lists_loaded(self, lists: dict[str | None, list[RegionRow]], code: str | None, generation: int) -> None:
        _LISTS.update(lists)
        if generation == self._generation:
            self._apply(code)

    def _fill(self, level: int, parent: str | None, chosen: str | None) -> None:
        combo = self.combos[level - 1]
        combo.clear()
        rows = _LISTS.get(parent) if (parent is not None or level == 1) else None
        combo.setEnabled(bool(rows))
        combo.addItem("", None)
        for row in rows or []:
            combo.addItem(row.name, row.code)
        index = combo.findData(chosen) if chosen else 0
        combo.setCurrentIndex(max(index, 0))

    def _apply(self, code: str | None) -> None:
        """Fill the lists for ``code`` (their data is cached) without announcing a change."""
        path = (_parents_of(code) + [code]) if code else [None]
        self._updating = True
        try:
            for level in range(1, 5):
                parent = path[level - 1] if level - 1 < len(path) else None
                chosen = path[level] if level < len(path) else None
                self._fill(level, parent, chosen)
        finally:
            self._updating = False
        self._show_code()

    def _picked(self, level: int) -> None:
        if self._updating:
            return
        combo = self.combos[level - 1]
        chosen = combo.currentData()
        above = self.combos[level - 2].currentData() if level > 1 else None
        self._code = chosen or above
        self._generation += 1
        self._updating = True
        try:
            for lower in range(level + 1, 5):
                self._fill(lower, chosen if lower == level + 1 else None, None)
        finally:
            self._updating = False
        if chosen and level < 4 and chosen not in _LISTS:
            generation = self._generation
            self._ws.tasks.db(load_children, self._ws.store, chosen, owner=self,
                              on_success=lambda rows: self._children_loaded(chosen, rows, generation))
        self._show_code()
        self.changed.emit()

    def _children_loaded(self, parent: str, rows: list[RegionRow], generation: int) -> None:
        _LISTS[parent] = rows
        if generation == self._generation:
            self._apply(self._code)

    def _typed(self, level: int) -> None:
        """The person typed in a list and left it: take the item whose name matches, else show the chosen one."""
        combo = self.combos[level - 1]
        text = combo.currentText().strip()
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString) if text else 0
        if index >= 0 and index != combo.currentIndex():
            combo.setCurrentIndex(index)
        elif index < 0:
            combo.setEditText(combo.itemText(combo.currentIndex()))

    def _show_code(self) -> None:
        self.code_label.setText(self.tr("Region code: %1").replace("%1", self._code) if self._code
                                else self.tr("No region chosen"))


__all__ = ["RegionPicker", "find_regions", "load_lists"]
