"""What the administration pages share: a page's title and lead text, a small read-only table, times in the
office's zone and the locale's format, and the text of an error for a person."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.errors import LaporError, ValidationError
from app.timeutil import zone
from ui.style import scaled_font, style_form


def page_title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("pageTitle")
    label.setFont(scaled_font(label.font(), 1.3, bold=True))
    label.setAccessibleName(text)
    return label


def lead(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("muted")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def table(headers: Sequence[str], parent: QWidget, *, accessible_name: str) -> QTableWidget:
    """A read-only table of whole rows, the last column taking the room left."""
    view = QTableWidget(0, len(headers), parent)
    view.setHorizontalHeaderLabels(list(headers))
    view.setAccessibleName(accessible_name)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


def fill(view: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    view.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            view.setItem(r, c, item)


def local_time(value: datetime | None, tz: str = "Asia/Jakarta") -> str:
    """``value`` (UTC) in the office's zone, in the locale's short date and time; "—" for none."""
    if value is None:
        return "—"
    local = value.astimezone(zone(tz))
    shown = QDateTime(local.year, local.month, local.day, local.hour, local.minute, local.second)
    return QLocale().toString(shown, QLocale.FormatType.ShortFormat)


def error_text(exc: BaseException, lang: str) -> str:
    """A failure as a person reads it: every field's problem of a ValidationError, a LaporError's message."""
    if isinstance(exc, ValidationError) and exc.fields:
        return " ".join(m.text(lang) for m in exc.fields.values())
    if isinstance(exc, LaporError):
        return exc.text(lang)
    return str(exc)


def confirm(parent: QWidget, title: str, text: str, yes: str, on_yes: Callable[[], None], *,
            understood: str = "") -> QMessageBox:
    """A question answered without blocking (the box is open when this returns): ``on_yes`` runs after the
    button ``yes``; with ``understood``, that box must be ticked first (a step that loses data)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    style_form(box)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QCoreApplication.translate("AdminPages", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    if understood:
        tick = QCheckBox(understood, box)
        box.setCheckBox(tick)
        go.setEnabled(False)
        tick.toggled.connect(go.setEnabled)
    box.buttonClicked.connect(lambda button: on_yes() if button is go else None)
    box.open()
    return box
