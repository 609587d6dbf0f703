"""The one interface of an intake section, and the field rows sections are built of.

A section owns some keys of the draft (ui.intake.draft_keys), writes them with ``collect``, reads them back with
``restore``, and shows the problems of its keys next to their fields. The staff form shows every section in one
scrolling form; counter mode shows them one per page in large type (``counter=True``: plain words for a citizen).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.actions.form import TextBox
from ui.style import DEADLINE_COLORS, muted, scaled_font
from ui.workspace import Workspace

ERROR_COLOUR = DEADLINE_COLORS["overdue"]


class FieldRow(QWidget):
    """An input with its hint and its error line underneath; the label is the form's."""

    def __init__(self, key: str, field: QWidget, hint: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.field = field
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        self.hint = QLabel(hint or "", self)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        muted(self.hint)
        self.hint.setVisible(bool(hint))
        column.addWidget(self.hint)
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.hide()
        column.addWidget(self.error)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def set_problem(self, text: str | None) -> None:
        """Show (or, with None, clear) this field's problem; screen readers hear it with the field."""
        if text:
            self.error.setText(text)
            self.error.show()
        else:
            self.error.clear()
            self.error.hide()
        self.field.setAccessibleDescription(text or "")

    def problem(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""


class IntakeSection(QWidget):
    """A part of the intake form. Subclasses add their fields with :meth:`add_row` and implement ``title``,
    ``collect``, ``restore`` and ``clear``; problems are shown per key by the base class."""

    changed = Signal()

    def __init__(self, ws: Workspace, *, counter: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.counter = counter
        self._rows: dict[str, FieldRow] = {}
        self._labels: list[QLabel] = []
        self._keys: tuple[str, ...] = ()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        muted(self.intro)
        self.intro.hide()
        outer.addWidget(self.intro)
        self.form = QFormLayout()
        # At the counter the labels stand above their fields (large type, narrow columns); staff read them beside,
        # every row alike (a long field put under its label would break the column of labels).
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if counter
                                   else QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setVerticalSpacing(10 if counter else 8)
        outer.addLayout(self.form)

    # ---- the interface -----------------------------------------------------------------------------------------

    def title(self) -> str:
        raise NotImplementedError

    def keys(self) -> tuple[str, ...]:
        """The draft keys this section owns."""
        return self._keys

    def collect(self, draft: dict[str, Any]) -> None:
        """Write this section's values into ``draft``."""
        raise NotImplementedError

    def restore(self, draft: dict[str, Any]) -> None:
        """Show the values of ``draft`` (a key that is missing: the field's empty state)."""
        raise NotImplementedError

    def clear(self) -> None:
        """Back to the empty form, problems cleared."""
        raise NotImplementedError

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Each owned key's problem next to its field; owned keys without one are cleared."""
        texts: dict[FieldRow, list[str]] = {}
        for key, row in self._rows.items():
            found = texts.setdefault(row, [])
            if problems.get(key) and problems[key] not in found:
                found.append(problems[key])
        for row, found in texts.items():
            row.set_problem("\n".join(found) or None)

    def first_problem_widget(self, problems: Mapping[str, str]) -> QWidget | None:
        """The field of the first problem in this section's order (to focus), or None."""
        for key in self._keys:
            if key in problems and key in self._rows:
                return self.focus_target(key)
        return None

    def draft_changed(self, draft: dict[str, Any]) -> None:
        """The whole draft after any section changed (a section that depends on another's values, such as the
        category suggestions on the text, looks here). Default: nothing."""

    # ---- for the forms ---------------------------------------------------------------------------------------

    def field_widget(self, key: str) -> QWidget | None:
        """The widget that holds ``key`` (its focus tells whether the person is still typing there)."""
        row = self._rows.get(key)
        return row.field if row is not None else None

    def focus_target(self, key: str) -> QWidget | None:
        """Where the cursor goes for ``key``'s problem (a row's first input)."""
        return self.field_widget(key)

    def problem_text(self, key: str) -> str:
        """The problem shown for ``key`` ("" when none): tests and counter mode read it."""
        row = self._rows.get(key)
        return row.problem() if row is not None else ""

    def row(self, key: str) -> FieldRow | None:
        return self._rows.get(key)

    # ---- for subclasses ----------------------------------------------------------------------------------------

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def add_row(self, key: str | None, label: str, field: QWidget, *, hint: str | None = None,
                owns: tuple[str, ...] = ()) -> FieldRow:
        """A labelled field; ``key`` is the draft key its problems belong to (None: a row without problems of
        its own). ``owns``: further keys shown on this row (latitude with longitude)."""
        row = FieldRow(key or "", field, hint, self)
        field.setAccessibleName(label.replace("&", "").rstrip(" *"))
        label_widget = QLabel(label, self)
        label_widget.setBuddy(field)
        label_widget.setWordWrap(True)
        if self.counter:
            label_widget.setFont(scaled_font(label_widget.font(), 1.0, bold=True))
        self._labels.append(label_widget)
        self.form.addRow(label_widget, row)
        if key:
            self._rows[key] = row
        for other in owns:
            self._rows[other] = row
        return row

    def label_width(self) -> int:
        """The width this section's labels want (a form of several sections lines them all up on the widest)."""
        return max((label.sizeHint().width() for label in self._labels), default=0)

    def set_label_width(self, width: int) -> None:
        for label in self._labels:
            label.setMinimumWidth(width)

    def add_keys(self, *keys: str) -> None:
        self._keys = self._keys + tuple(k for k in keys if k not in self._keys)

    def emit_changed(self, *_args: Any) -> None:
        self.changed.emit()


def has_focus_within(widget: QWidget | None) -> bool:
    """Whether the keyboard focus is in ``widget`` or one of its children."""
    focused = QApplication.focusWidget()
    return widget is not None and focused is not None and (focused is widget or widget.isAncestorOf(focused))


def text_or_none(edit: QLineEdit) -> str | None:
    """The line's text as typed, or None when it holds only spaces (the draft's empty value)."""
    text = edit.text()
    return text if text.strip() else None


def explained(parent: QWidget, button: QWidget, text: str) -> QWidget:
    """A choice with a plain-words explanation under it, indented to the choice's text."""
    box = QWidget(parent)
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 2)
    column.setSpacing(0)
    column.addWidget(button)
    note = QLabel(text, box)
    note.setWordWrap(True)
    muted(note)
    note.setContentsMargins(24, 0, 0, 0)
    column.addWidget(note)
    button.setAccessibleDescription(text)
    return box


def text_box(lines: int, parent: QWidget, *, grow_to: int | None = None) -> TextBox:
    """A multi-line field ``lines`` high that grows to at most ``grow_to`` lines (a short one stays its size: a
    two-line address box should not take half the screen)."""
    box = TextBox(lines, parent)
    line = box.fontMetrics().lineSpacing()
    box.setMaximumHeight(line * (grow_to or lines) + 14)
    box.setMinimumHeight(line * lines + 14)
    return box


def set_text(edit: QLineEdit | TextBox, value: Any) -> None:
    edit.setText(value if isinstance(value, str) else "")
