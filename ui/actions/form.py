"""The base of every action form: a small dialog whose fields each have their own error line, a form-level
message for other refusals, and ``submit()`` — the accept path — which collects the input on the GUI thread and
calls the service on the database thread. Testable without exec(): construct, fill, ``submit()``.

On success the form says what changed (``ws.hub.complaints_changed([id])``) and closes; a ValidationError puts
each field's message next to that field; PermissionDenied, InvalidTransition and other known errors show as a
message in the form.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import Message, ValidationError
from app.read.detail import ComplaintDetail
from app.services.context import ServiceContext
from ui import operations, screen_fit
from ui.style import muted, style_form
from ui.tasks import known_error_message
from ui.workspace import Workspace

ERROR_COLOUR = "#a61b1b"


class FormInvalid(Exception):
    """Input the form itself can tell is wrong before asking the service (e.g. a number that is not one).
    ``rest``: the rest of the input, for the service's checks (:meth:`ActionForm.problems_of`), so that the
    person sees every problem of the form at once rather than one batch after another."""

    def __init__(self, fields: dict[str, Message], *, rest: Any = None) -> None:
        super().__init__(", ".join(fields))
        self.fields = fields
        self.rest = rest


class TextBox(QPlainTextEdit):
    """Multi-line text whose Tab key moves on (keyboard users), sized for a few lines."""

    def __init__(self, lines: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 12)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - mirrors QLineEdit
        self.setPlainText(text)


class ActionForm(QDialog):
    """Subclasses set ``action``, build their fields in ``build()``, read them in ``collect()`` and call their
    service in the static ``call()`` (runs on the database thread: plain values only, no widgets)."""

    action = ""
    succeeded = Signal(object)  # the service's result

    def __init__(self, ws: Workspace, detail: ComplaintDetail | None, parent: QWidget | None = None, *,
                 subject: str | None = None) -> None:
        """``detail``: the complaint acted on; None for a selection of several (ui.actions.bulk), which names
        them in ``subject``."""
        super().__init__(parent)
        style_form(self)
        self.ws = ws
        self.detail = detail
        self._errors: dict[str, QLabel] = {}
        self._inputs: dict[str, QWidget] = {}
        self._busy = False
        self.setWindowTitle(self.title())
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        heading = QLabel(self.title(), self)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        outer.addWidget(heading)
        about = QLabel(subject or (f"{detail.tracking_code} — {detail.title}" if detail is not None else ""), self)
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.PlainText)
        muted(about)
        outer.addWidget(about)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(8)
        outer.addLayout(self.form)
        self._message = QLabel(self)
        self._message.setWordWrap(True)
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setAccessibleName(self.tr("Form message"))
        self._message.setStyleSheet(
            f"color: {ERROR_COLOUR}; background: #fde4e4; border: 1px solid #f3b7b7; border-radius: 4px;"
            " padding: 6px 8px;")
        self._message.hide()
        outer.addWidget(self._message)
        outer.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.submit_text())
        # Qt ships no Indonesian translation of its own buttons (no qtbase_id.qm): name it here.
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.submit)
        self.build()

    # ---- for subclasses ---------------------------------------------------------------------------------------

    def title(self) -> str:
        raise NotImplementedError

    def submit_text(self) -> str:
        return self.tr("Save")

    def build(self) -> None:
        raise NotImplementedError

    def collect(self) -> Any:
        """The input as plain values; raise FormInvalid for what the form can check itself."""
        raise NotImplementedError

    @staticmethod
    def call(ctx: ServiceContext, actor_id: str, complaint_id: str, values: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def problems_of(ctx: ServiceContext, actor_id: str, complaint_id: str, rest: Any) -> dict[str, Message]:
        """What the service would find wrong with ``rest`` (FormInvalid's), without changing anything (runs on the
        database thread). Forms whose ``collect`` raises FormInvalid with a ``rest`` say how."""
        return {}

    def add_field(self, name: str, label: str, widget: QWidget, *, hint: str | None = None) -> QWidget:
        """A labelled input with its error line underneath; ``name`` is the service's field name."""
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if hint:
            hint_label = QLabel(hint, box)
            hint_label.setWordWrap(True)
            muted(hint_label)
            column.addWidget(hint_label)
        error = QLabel(box)
        error.setWordWrap(True)
        error.setTextFormat(Qt.TextFormat.PlainText)
        error.setStyleSheet(f"color: {ERROR_COLOUR};")
        error.hide()
        column.addWidget(error)
        widget.setAccessibleName(label.replace("&", ""))
        label_widget = QLabel(label, self)
        label_widget.setBuddy(widget)
        label_widget.setWordWrap(True)
        self.form.addRow(label_widget, box)
        self._errors[name] = error
        self._inputs[name] = widget
        return widget

    # ---- the accept path --------------------------------------------------------------------------------------

    def accept(self) -> None:
        self.submit()

    def submit(self) -> None:
        """Check and send the input; the dialog closes when the service succeeds."""
        if self._busy:
            return
        self.clear_errors()
        try:
            values = self.collect()
        except FormInvalid as exc:
            self._invalid(exc)
            return
        self._set_busy(True)
        assert self.detail is not None
        complaint_id = self.detail.id
        operations.change_complaints(self.ws.tasks, self.ws.hub, self.call, self.ws.services, self.ws.user.id,
                                     complaint_id, values, changed=lambda _result: [complaint_id],
                                     on_success=self._succeeded, on_failure=self._failed,
                                     on_done=lambda: self._set_busy(False), owner=self)

    def _invalid(self, exc: FormInvalid) -> None:
        """Show the form's own problems together with what the service finds wrong with the rest."""
        if exc.rest is None or self.detail is None:
            self._show_fields(exc.fields)
            return

        def found(theirs: dict[str, Message]) -> None:
            self._show_fields({**theirs, **exc.fields})

        self._set_busy(True)
        self.ws.tasks.db(self.problems_of, self.ws.services, self.ws.user.id, self.detail.id, exc.rest,
                         on_success=found, on_failure=lambda _exc: self._show_fields(exc.fields),
                         on_done=lambda: self._set_busy(False), owner=self)

    def field_error(self, name: str) -> str:
        label = self._errors.get(name)
        return label.text() if label is not None and not label.isHidden() else ""

    def message(self) -> str:
        return self._message.text() if not self._message.isHidden() else ""

    def clear_errors(self) -> None:
        for name, label in self._errors.items():
            label.clear()
            label.hide()
            self._inputs[name].setAccessibleDescription("")
        self._message.clear()
        self._message.hide()

    def show_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.show()
        screen_fit.grow_to_content(self)

    def _show_fields(self, fields: dict[str, Message]) -> None:
        lang = self.ws.lang
        stray = []
        first: QWidget | None = None
        for name, msg in fields.items():
            label = self._errors.get(name)
            if label is None:
                stray.append(msg.text(lang))
                continue
            label.setText(msg.text(lang))
            label.show()
            self._inputs[name].setAccessibleDescription(msg.text(lang))
            first = first or self._inputs[name]
        if stray:
            self.show_message("\n".join(stray))
        if first is not None:
            first.setFocus()
        screen_fit.grow_to_content(self)  # the messages' lines get their height instead of overlapping the fields

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok_button.setEnabled(not busy)

    def _succeeded(self, result: Any) -> None:
        self.succeeded.emit(result)
        QDialog.accept(self)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self._show_fields(exc.fields)
        else:
            self.show_message(known_error_message(exc).text(self.ws.lang))
