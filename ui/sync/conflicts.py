"""The conflict review queue: fields two people changed at once. The server kept the value that reached it first;
here a person sees both side by side and keeps theirs, keeps the server's, or writes a new value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QItemSelectionModel, QLocale, QModelIndex, QObject, Qt, QTime
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import LaporError
from app.read.choices import load_category_tree
from app.reference.labels import label
from app.rules.scope import Scope
from app.services import conflicts as conflict_service
from app.services.conflicts import RESOLVE_ROLES, ConflictView
from app.timeutil import zone
from ui import operations
from ui.style import scaled_font, style_form
from ui.sync.conflict_edit import ConflictEditDialog, display_value, field_label, fit_height, show_diff
from ui.workspace import Workspace


def open_conflict_count(ws: Workspace) -> int:
    """Open conflicts the user may review, for the navigation's count (run on the database thread)."""
    return conflict_service.open_conflict_count(ws.services, Scope.of(ws.user))


@dataclass(frozen=True)
class ReviewData:
    conflicts: list[ConflictView]
    categories: list[tuple[str, str]]  # (id, name), read only when a category is in conflict


def load_review(ws: Workspace) -> ReviewData:
    """The open conflicts and the names their values need (database thread)."""
    rows = conflict_service.list_conflicts(ws.services, ws.user.id)
    categories: list[tuple[str, str]] = []
    if any(c.field == "category_id" for c in rows):
        categories = [(c.id, "  " * c.depth + c.name) for c in load_category_tree(ws.store, ws.lang)]
    return ReviewData(rows, categories)


class ConflictListModel(QAbstractTableModel):
    """The open conflicts: tracking code, complaint title, field."""

    COLUMNS = ("tracking_code", "title", "field")

    def __init__(self, lang: str = "id", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._rows: list[ConflictView] = []

    def set_rows(self, rows: list[ConflictView]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def conflict(self, row: int) -> ConflictView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, conflict_id: str) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == conflict_id), -1)

    def rowCount(self, parent: QModelIndex | Any = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Tracking code"), self.tr("Complaint"), self.tr("Field"))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: QModelIndex | Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        conflict = self.conflict(index.row()) if index.isValid() else None
        if conflict is None:
            return None
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == "tracking_code":
                return conflict.tracking_code
            if column == "title":
                return conflict.title
            return field_label(conflict, self._lang)
        if role == Qt.ItemDataRole.UserRole:
            return conflict.id
        return None


class ConflictReviewWidget(QWidget):
    """A page of the main window (navigation "Konflik sinkronisasi")."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._ws = ws
        self._dirty = False
        self._busy = False
        self._wanted: str | None = None  # the conflict to select after the next load
        with ws.store.read() as session:  # a primary-key read of the office row
            self._tz = zone(ws.services.office_tz(session, ws.office_id))
        self.edit_dialog: ConflictEditDialog | None = None
        self.setAccessibleName(self.tr("Sync conflicts"))

        title = QLabel(self.tr("Sync conflicts"), self)
        title.setObjectName("pageTitle")
        title.setFont(scaled_font(title.font(), 1.25, bold=True))
        intro = QLabel(self.tr("Two people changed the same field while working apart. The server kept the value "
                               "that reached it first; choose the right one for each field."), self)
        intro.setObjectName("muted")
        intro.setWordWrap(True)

        self._categories: list[tuple[str, str]] = []
        self._can_resolve = ws.role in RESOLVE_ROLES
        self.model = ConflictListModel(ws.lang, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Open conflicts"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(lambda _cur, _prev: self._show_current())

        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setFont(scaled_font(self.heading.font(), 1.0, bold=True))
        self.recorded = QLabel(self)
        self.recorded.setObjectName("muted")
        self.mine = self._value_box()
        self.mine.setAccessibleName(self.tr("My value (this PC)"))
        self.theirs = self._value_box()
        self.theirs.setAccessibleName(self.tr("The server's value"))
        mine_box = QGroupBox(self.tr("Mine (this PC)"), self)
        QVBoxLayout(mine_box).addWidget(self.mine)
        theirs_box = QGroupBox(self.tr("Server version (in use now)"), self)
        QVBoxLayout(theirs_box).addWidget(self.theirs)
        sides = QHBoxLayout()
        for box in (mine_box, theirs_box):
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            sides.addWidget(box)
        legend = QLabel(self.tr("Underlined, shaded words are where the two versions differ."), self)
        legend.setObjectName("muted")
        legend.setWordWrap(True)

        self.keep_mine_button = QPushButton(self.tr("Keep &mine"), self)
        self.keep_mine_button.setToolTip(self.tr("Send this PC's value to the server"))
        self.keep_theirs_button = QPushButton(self.tr("Keep the &server's version"), self)
        self.keep_theirs_button.setToolTip(self.tr("Keep the value the server has now"))
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.edit_button.setToolTip(self.tr("Write a new value, starting from mine"))
        self.keep_mine_button.clicked.connect(lambda: self.resolve_selected("mine"))
        self.keep_theirs_button.clicked.connect(lambda: self.resolve_selected("theirs"))
        self.edit_button.clicked.connect(self.edit_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_mine_button)
        buttons.addWidget(self.keep_theirs_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        if not self._can_resolve:
            roles = ", ".join(label(r, ws.lang) for r in RESOLVE_ROLES)
            self.message.setObjectName("muted")
            self.message.setText(self.tr("Only these roles may decide a conflict: %1.").replace("%1", roles))

        detail = QWidget(self)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(self.recorded)
        detail_layout.addLayout(sides)
        detail_layout.addWidget(legend)
        detail_layout.addLayout(buttons)
        detail_layout.addWidget(self.message)
        detail_layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        rows = self.table.verticalHeader().defaultSectionSize()
        splitter.setSizes([rows * 7, rows * 20])  # about six conflicts visible; the rest for the two versions

        empty = QWidget(self)
        empty_layout = QVBoxLayout(empty)
        self.empty_label = QLabel(self.tr("No conflicts"), empty)
        self.empty_label.setFont(scaled_font(self.empty_label.font(), 1.2, bold=True))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_hint = QLabel(self.tr("Every change made on this PC agrees with the server."), empty)
        empty_hint.setObjectName("muted")
        empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_hint.setWordWrap(True)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(empty_hint)
        empty_layout.addStretch(2)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(empty)
        self.pages.addWidget(splitter)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.pages, 1)
        ws.hub.conflicts_changed.connect(self._on_conflicts_changed)
        self.reload()

    @staticmethod
    def _value_box() -> QTextEdit:
        box = QTextEdit()
        box.setReadOnly(True)
        box.setAcceptRichText(False)
        box.setTabChangesFocus(True)
        return box

    # ---- loading ---------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._dirty = False
        self._ws.tasks.db(load_review, self._ws, on_success=self._loaded, on_failure=self._failed, owner=self)

    def _on_conflicts_changed(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._dirty = True  # read again when shown

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()
        fit_height(self.mine, self.theirs)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        fit_height(self.mine, self.theirs)  # wrapping changes with the width

    def _loaded(self, data: ReviewData) -> None:
        rows = data.conflicts
        self._categories = data.categories
        current = self.selected()
        keep_row = self.table.currentIndex().row()
        wanted = self._wanted or (current.id if current is not None else None)
        self._wanted = None
        self.model.set_rows(rows)
        self.pages.setCurrentIndex(1 if rows else 0)
        if rows:
            row = self.model.row_of(wanted) if wanted else -1
            if row < 0:
                row = min(max(keep_row, 0), len(rows) - 1)
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._show_current()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_buttons()
        if isinstance(exc, LaporError):
            self.message.setObjectName("error")
            self.message.setText(exc.message.text(self._ws.lang))
            self.message.style().polish(self.message)

    # ---- the selected conflict -------------------------------------------------------------------------------

    def selected(self) -> ConflictView | None:
        return self.model.conflict(self.table.currentIndex().row())

    def select_conflict(self, conflict_id: str) -> None:
        row = self.model.row_of(conflict_id)
        if row >= 0:
            self.table.selectRow(row)

    def _show_current(self) -> None:
        conflict = self.selected()
        self._update_buttons()
        if conflict is None:
            for widget in (self.heading, self.recorded, self.mine, self.theirs):
                widget.clear()
            return
        name = field_label(conflict, self._ws.lang)
        self.heading.setText(f"{conflict.tracking_code} · {conflict.title}")
        local = conflict.created_at.astimezone(self._tz)
        locale = QLocale()
        when = (f"{locale.toString(QDate(local.year, local.month, local.day), 'd MMM yyyy')} "
                f"{locale.toString(QTime(local.hour, local.minute), QLocale.FormatType.ShortFormat)}")
        self.recorded.setText(self.tr("Field “%1”, recorded %2").replace("%1", name).replace("%2", when))
        names = dict(self._categories)
        lang = self._ws.lang
        mine = display_value(conflict.mine, conflict.field, lang, names)
        theirs = display_value(conflict.theirs, conflict.field, lang, names)
        show_diff(self.mine, mine, theirs, side="mine")
        show_diff(self.theirs, theirs, mine, side="theirs")
        fit_height(self.mine, self.theirs)

    def _update_buttons(self) -> None:
        enabled = self.selected() is not None and not self._busy and self._can_resolve
        for button in (self.keep_mine_button, self.keep_theirs_button, self.edit_button):
            button.setEnabled(enabled)

    # ---- resolving -------------------------------------------------------------------------------------------

    def resolve_selected(self, choice: str, value: Any = None) -> None:
        """Keep "mine", keep "theirs", or "edit" with ``value`` (database thread)."""
        conflict = self.selected()
        if conflict is None or self._busy:
            return
        self._busy = True
        self._update_buttons()
        self.message.clear()
        next_row = self.table.currentIndex().row()
        following = self.model.conflict(next_row + 1) or self.model.conflict(next_row - 1)
        self._wanted = following.id if following is not None else None
        operations.change_complaints(self._ws.tasks, self._ws.hub, conflict_service.resolve_conflict,
                                     self._ws.services, self._ws.user.id, conflict.id, choice=choice, value=value,
                                     changed=lambda _result: [conflict.complaint_id],
                                     on_success=lambda _result: self._resolved(conflict, choice),
                                     on_failure=lambda exc: self._resolve_failed(exc, choice), owner=self)

    def edit_selected(self) -> None:
        conflict = self.selected()
        if conflict is None or self._busy:
            return
        categories = [(i, n.strip()) for i, n in self._categories]
        dialog = ConflictEditDialog(conflict, self._ws.lang, self, categories=categories)
        dialog.submitted.connect(lambda value: self.resolve_selected("edit", value))
        dialog.finished.connect(lambda _code: dialog.deleteLater())
        self.edit_dialog = dialog
        dialog.open()

    def _resolved(self, conflict: ConflictView, choice: str) -> None:
        self._busy = False
        if self.edit_dialog is not None and choice == "edit":
            self.edit_dialog.accept()
            self.edit_dialog = None
        texts = {"mine": self.tr("Kept your value; it goes to the server at the next sync."),
                 "theirs": self.tr("Kept the server's version."),
                 "edit": self.tr("Saved the new value; it goes to the server at the next sync.")}
        self.message.setObjectName("muted")
        self.message.setText(texts.get(choice, ""))
        self.message.style().polish(self.message)
        self._ws.hub.conflicts_changed.emit()
        if not self.isVisible():
            self.reload()  # the hub only marked it dirty

    def _resolve_failed(self, exc: BaseException, choice: str) -> None:
        if choice == "edit" and self.edit_dialog is not None and isinstance(exc, LaporError):
            self._busy = False
            self._update_buttons()
            self.edit_dialog.show_error(exc, self._ws.lang)
            return
        self._failed(exc)
