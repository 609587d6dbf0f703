"""Pieces of the conflict review: a value as a person reads it, the two versions with their differences marked,
and the small dialog for writing a new value (prefilled with this PC's)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import Classification
from app.errors import LaporError, ValidationError
from app.reference.labels import label
from app.services.conflicts import FLAG_FIELDS, ConflictView
from ui.style import style_form

HIGHLIGHT = {"mine": "#fde7b0", "theirs": "#cfe3f7"}
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
NUMBER_FIELDS = frozenset({"latitude", "longitude"})


def field_label(conflict: ConflictView, lang: str) -> str:
    return conflict.field_label_en if lang == "en" else conflict.field_label


def display_value(value: Any, field: str = "", lang: str = "id", names: Mapping[str, str] | None = None) -> str:
    """A field value as a person reads it: yes/no for flags, labels for codes, category names, local dates."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return (QCoreApplication.translate("ConflictReviewWidget", "Yes") if value
                else QCoreApplication.translate("ConflictReviewWidget", "No"))
    if field == "classification" and value in Classification.__members__:
        return label(Classification(value), lang)
    if field == "category_id" and names:
        return names.get(str(value), str(value))
    if field == "incident_date":
        try:
            day = date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
        return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)
    return str(value)


def show_diff(box: QTextEdit, text: str, other: str, *, side: str) -> None:
    """Put ``text`` in ``box`` with the words that differ from ``other`` shaded and underlined (not colour
    alone)."""
    box.clear()
    box.setPlaceholderText(QCoreApplication.translate("ConflictReviewWidget", "(empty)"))
    if not text:
        return
    mine, theirs = _TOKENS.findall(text), _TOKENS.findall(other)
    plain = QTextCharFormat()
    marked = QTextCharFormat()
    marked.setBackground(QColor(HIGHLIGHT.get(side, HIGHLIGHT["mine"])))
    marked.setFontUnderline(True)
    cursor = QTextCursor(box.document())
    matcher = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        chunk = "".join(mine[i1:i2])
        if chunk:
            cursor.insertText(chunk, plain if tag == "equal" or not chunk.strip() else marked)
    box.moveCursor(QTextCursor.MoveOperation.Start)


def fit_height(*boxes: QTextEdit, min_lines: int = 3, max_lines: int = 14) -> None:
    """Give side-by-side boxes one height that fits the longer text (within limits), so short values do not sit
    in large empty boxes and long ones scroll."""
    line = boxes[0].fontMetrics().lineSpacing()
    lines = min_lines
    for box in boxes:
        box.document().setTextWidth(max(box.viewport().width(), line * 12))
        lines = max(lines, int(box.document().size().height() / line) + 1)
    lines = min(lines, max_lines)
    for box in boxes:
        margins = box.contentsMargins()
        box.setFixedHeight(lines * line + int(box.document().documentMargin() * 2) + margins.top() + margins.bottom())


Editor = QCheckBox | QComboBox | QDateEdit | QPlainTextEdit | QLineEdit


class ConflictEditDialog(QDialog):
    """Write the value to keep. ``submitted(value)`` asks the review page to save it; the dialog closes once it
    is saved, or shows why not. ``categories`` are (id, name) pairs for a category conflict."""

    submitted = Signal(object)

    def __init__(self, conflict: ConflictView, lang: str, parent: QWidget | None = None, *,
                 categories: list[tuple[str, str]] | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._conflict = conflict
        name = field_label(conflict, lang)
        self.setWindowTitle(self.tr("Edit the value"))
        caption = QLabel(self.tr("&New value for “%1” (%2):").replace("%1", name)
                         .replace("%2", conflict.tracking_code), self)
        caption.setWordWrap(True)
        self.editor = self._editor(conflict, lang, categories or [])
        self.editor.setAccessibleName(name)
        caption.setBuddy(self.editor)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())

    def _editor(self, conflict: ConflictView, lang: str, categories: list[tuple[str, str]]) -> Editor:
        mine, field = conflict.mine, conflict.field
        if field in FLAG_FIELDS or isinstance(mine, bool):
            box = QCheckBox(field_label(conflict, lang), self)
            box.setChecked(bool(mine))
            return box
        if field in ("classification", "category_id"):
            combo = QComboBox(self)
            pairs = ([(c.value, label(c, lang)) for c in Classification] if field == "classification"
                     else categories)
            for value, shown in pairs:
                combo.addItem(shown, value)
            if combo.findData(mine) < 0 and mine is not None:
                combo.addItem(str(mine), mine)
            combo.setCurrentIndex(max(0, combo.findData(mine)))
            return combo
        if field == "incident_date":
            edit = QDateEdit(self)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(QLocale().dateFormat(QLocale.FormatType.ShortFormat))
            try:
                day = date.fromisoformat(str(mine)[:10])
                edit.setDate(QDate(day.year, day.month, day.day))
            except ValueError:
                edit.setDate(QDate.currentDate())
            return edit
        text = "" if mine is None else str(mine)
        if field == "description" or len(text) > 80 or "\n" in text:
            area = QPlainTextEdit(text, self)
            area.setTabChangesFocus(True)
            return area
        return QLineEdit(text, self)

    def set_value(self, value: Any) -> None:
        editor = self.editor
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(value))
        elif isinstance(editor, QDateEdit):
            editor.setDate(QDate(value.year, value.month, value.day))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(value))
        else:
            editor.setText(str(value))

    def value(self) -> Any:
        """The value in the type the field takes (ValueError for a number that is not one)."""
        editor = self.editor
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QDateEdit):
            return editor.date().toPython()
        text = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
        if self._conflict.field in NUMBER_FIELDS:
            return float(text.strip().replace(",", "."))
        return text.strip()

    def show_error(self, exc: LaporError, lang: str) -> None:
        if isinstance(exc, ValidationError) and exc.fields:
            text = " ".join(m.text(lang) for m in exc.fields.values())
        else:
            text = exc.message.text(lang)
        self.error.setText(text)
        self.error.show()

    def _submit(self) -> None:
        try:
            value = self.value()
        except ValueError:
            self.error.setText(self.tr("Write a number, for example -7.7156."))
            self.error.show()
            return
        self.error.hide()
        self.submitted.emit(value)
