"""The category: a searchable list of the category tree, and up to three suggestions from the text as it is typed
(app.read.category_suggest: the office's own past complaints, offline), each one button press away."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QPushButton, QVBoxLayout, QWidget

from app.read.category_suggest import CategorySuggestion, load_suggestions
from app.read.choices import Choice, load_category_tree
from ui.intake.section import IntakeSection
from ui.style import muted
from ui.widgets.flow_layout import FlowLayout
from ui.workspace import Workspace

SUGGEST_DELAY_MS = 400
MIN_TEXT = 12  # characters of title and description together before anything is suggested


class CategorySection(IntakeSection):
    def __init__(self, ws: Workspace, *, counter: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(ws, counter=counter, parent=parent)
        self.add_keys("category_id")
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.category = QComboBox(box)
        self.category.setEditable(True)
        self.category.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.category.setMinimumContentsLength(20)
        completer = self.category.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.category.lineEdit().setPlaceholderText(self.tr("— not chosen yet (type to search) —"))
        self.category.addItem("", None)
        self.category.currentIndexChanged.connect(self.emit_changed)
        self.category.lineEdit().editingFinished.connect(self._typed)
        column.addWidget(self.category)
        suggestions = QWidget(box)
        row = FlowLayout(suggestions)  # long category names wrap onto a new line instead of widening the form
        self.suggest_label = QLabel(self.tr("Suggested from similar past reports:"), suggestions)
        muted(self.suggest_label)
        row.addWidget(self.suggest_label)
        self.suggest_buttons: list[QPushButton] = []
        for _ in range(3):
            button = QPushButton(suggestions)
            button.setAutoDefault(False)
            button.hide()
            button.clicked.connect(lambda _c=False, b=button: self.choose(str(b.property("category_id"))))
            row.addWidget(button)
            self.suggest_buttons.append(button)
        suggestions.hide()
        self.suggestions_box = suggestions
        column.addWidget(suggestions)
        self.add_row("category_id", self.tr("Category"), box,
                     hint=self.tr("Optional; the verifier can set or change it."))
        self._pending: str | None = None
        self._asked = ""
        self._wanted: str | None = None  # a category restored before the list arrived
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SUGGEST_DELAY_MS)
        self._timer.timeout.connect(self._suggest_now)
        ws.tasks.db(load_category_tree, ws.store, ws.lang, on_success=self._fill, owner=self)

    def title(self) -> str:
        return self.tr("Category")

    def field_widget(self, key: str) -> QWidget | None:
        return self.category

    # ---- values ------------------------------------------------------------------------------------------------

    def collect(self, draft: dict[str, Any]) -> None:
        chosen = self.category.currentData()
        draft["category_id"] = chosen if chosen is not None else self._wanted

    def restore(self, draft: dict[str, Any]) -> None:
        value = draft.get("category_id")
        self.choose(value if isinstance(value, str) else None)

    def clear(self) -> None:
        self.choose(None)
        self._show_suggestions([])
        self._asked = ""
        self.show_problems({})

    def choose(self, category_id: str | None) -> None:
        index = self.category.findData(category_id) if category_id else 0
        self._wanted = category_id if index < 0 else None
        self.category.setCurrentIndex(max(index, 0))

    def _fill(self, choices: list[Choice]) -> None:
        wanted = self._wanted or self.category.currentData()
        self.category.blockSignals(True)
        path: list[str] = []
        for choice in choices:
            # "Infrastruktur › Jalan dan Jembatan": a search finds a sub-category by its own name or its parent's,
            # and the chosen one reads whole in the box (an indent would show as leading spaces there).
            path = path[: choice.depth] + [choice.name]
            self.category.addItem(" › ".join(path), choice.id)
        self.category.blockSignals(False)
        if wanted:
            self.choose(wanted)

    def _typed(self) -> None:
        text = self.category.currentText().strip()
        index = next((i for i in range(self.category.count())
                      if self.category.itemText(i).strip().casefold() == text.casefold()), -1) if text else 0
        if index >= 0 and index != self.category.currentIndex():
            self.category.setCurrentIndex(index)
        elif index < 0:
            self.category.setEditText(self.category.itemText(self.category.currentIndex()))

    # ---- suggestions -------------------------------------------------------------------------------------------

    def draft_changed(self, draft: dict[str, Any]) -> None:
        text = " ".join(str(draft.get(k) or "") for k in ("title", "description")).strip()
        if text != self._pending:
            self._pending = text
            self._timer.start()

    def _suggest_now(self) -> None:
        text = self._pending or ""
        if len(text) < MIN_TEXT:
            self._show_suggestions([])
            return
        if text == self._asked:
            return
        self._asked = text
        self.ws.tasks.db(load_suggestions, self.ws.store, self.ws.office_id, text, self.ws.lang, owner=self,
                         on_success=lambda found: self._suggested(text, found))

    def _suggested(self, text: str, found: list[CategorySuggestion]) -> None:
        if text == self._asked:
            self._show_suggestions(found)

    def suggestions(self) -> list[str]:
        """The suggested category ids as shown (tests)."""
        return [str(b.property("category_id")) for b in self.suggest_buttons if not b.isHidden()]

    def _show_suggestions(self, found: list[CategorySuggestion]) -> None:
        for button, suggestion in zip(self.suggest_buttons, found + [None] * 3, strict=False):
            if suggestion is None:
                button.hide()
                continue
            button.setText(suggestion.name)
            button.setProperty("category_id", suggestion.category_id)
            button.setToolTip(self.tr("Use this category"))
            button.setAccessibleName(self.tr("Suggested category: %1").replace("%1", suggestion.name))
            button.show()
        self.suggestions_box.setVisible(bool(found))
