"""The counter's status look-up for a returning citizen: type the code from the receipt, see what the citizen may
see (app.rules.citizen_view) and print it as a status letter. A mistyped code is caught by its check digit."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import LaporError, MistypedCode, NotFound
from app.read.citizen import citizen_view_by_code
from app.read.detail import ComplaintDetail, detail
from app.rules.availability import Actor, available_actions
from app.rules.citizen_view import CitizenStatus
from app.store.db import Store
from ui.actions.controller import ComplaintActions, action_text
from ui.locale_format import datetime_text
from ui.style import scaled_font
from ui.workspace import Workspace

# What a returning citizen may come for, done here on their own complaint: the reporter's response to a follow-up,
# the clarification a postponed complaint waits for, a document they bring.
COUNTER_ACTIONS = ("respond", "resume", "attach")


@dataclass(frozen=True)
class Found:
    complaint_id: str
    view: CitizenStatus
    detail: ComplaintDetail  # for the action forms (the officer's view, under the role's rules)
    actions: tuple[str, ...]


def look_up(store: Store, typed: str, office_id: str, role: str, unit_id: str | None) -> Found:
    """Database thread."""
    with store.read() as session:
        complaint_id, view = citizen_view_by_code(session, typed, office_id)
        shown = detail(session, complaint_id, viewer_role=role, office_id=office_id, viewer_unit_id=unit_id)
    allowed = available_actions(Actor(role, unit_id), shown.status, shown.unit_id)
    return Found(complaint_id, view, shown, tuple(a for a in COUNTER_ACTIONS if a in allowed))


def office_zone(store: Store, office_id: str) -> str:
    from app.models import Office

    with store.read() as session:
        office = session.get(Office, office_id)
        return office.tz if office is not None else "Asia/Jakarta"


class LookupPage(QWidget):
    """Code field, then the citizen's view. ``letter_requested(complaint_id)``: print the status letter;
    ``done``: back to the counter's start."""

    letter_requested = Signal(str)
    done = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._tz = ZoneInfo("Asia/Jakarta")
        self.complaint_id: str | None = None
        title = QLabel(self.tr("Check the status of a complaint"))
        title.setObjectName("pageTitle")
        title.setFont(scaled_font(self.font(), 1.3, bold=True))
        hint = QLabel(self.tr("Type the tracking code printed on the citizen's receipt. Spaces and dashes may be "
                              "left out."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setAccessibleName(self.tr("Tracking code"))
        self.code.setPlaceholderText("3404-012-000123-1")
        self.code.setFont(scaled_font(self.font(), 1.4))
        self.code.setMaxLength(40)
        self.code.returnPressed.connect(self.search)
        self.search_button = QPushButton(self.tr("&Look up"))
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(self.search_button)
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)

        self.result = QFrame()
        self.result.setObjectName("card")
        self.result.setVisible(False)
        inner = QVBoxLayout(self.result)
        inner.setContentsMargins(20, 16, 20, 16)
        self.status = QLabel()
        self.status.setFont(scaled_font(self.font(), 1.3, bold=True))
        self.status.setWordWrap(True)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.entries = QLabel()
        self.entries.setWordWrap(True)
        self.entries.setTextFormat(Qt.TextFormat.PlainText)
        self.entries.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.entries)
        inner.addWidget(self.status)
        inner.addWidget(self.explanation)
        inner.addWidget(scroll, 1)

        self.letter_button = QPushButton(self.tr("&Print status letter"))
        self.letter_button.setEnabled(False)
        self.letter_button.clicked.connect(lambda: self.complaint_id and self.letter_requested.emit(self.complaint_id))
        self.back_button = QPushButton(self.tr("&Done"))
        self.back_button.clicked.connect(self.done)
        self.actions = ComplaintActions(ws, self)
        self.action_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for key in COUNTER_ACTIONS:
            button = QPushButton(action_text(key))
            button.setVisible(False)
            button.clicked.connect(lambda _checked=False, k=key: self.actions.open_form(k))
            self.action_buttons[key] = button
            buttons.addWidget(button)
        buttons.addWidget(self.letter_button)
        ws.hub.complaints_changed.connect(self._changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(self.result, 1)
        layout.addStretch(0)
        layout.addLayout(buttons)
        ws.tasks.db(office_zone, ws.store, ws.office_id, on_success=self._zone, owner=self)

    def _zone(self, name: str) -> None:
        self._tz = ZoneInfo(name)

    def _no_actions(self) -> None:
        self.actions.set_target(None, ())
        for button in self.action_buttons.values():
            button.setVisible(False)

    def reset(self) -> None:
        self.code.clear()
        self.complaint_id = None
        self._no_actions()
        self.problem.setVisible(False)
        self.result.setVisible(False)
        self.letter_button.setEnabled(False)
        self.code.setFocus()

    @Slot()
    def search(self) -> None:
        typed = self.code.text().strip()
        if not typed:
            self._show_problem(self.tr("Type the tracking code first."))
            return
        self.search_button.setEnabled(False)
        user = self._ws.user
        self._ws.tasks.db(look_up, self._ws.store, typed, self._ws.office_id, user.role, user.unit_id,
                          on_success=self._found, on_failure=self._failed,
                          on_done=lambda: self.search_button.setEnabled(True), owner=self)

    def _changed(self, ids: list[str]) -> None:
        """A response or a clarification recorded here (or a sync) changed the complaint shown: show it again."""
        if self.complaint_id is not None and (not ids or self.complaint_id in ids) and self.result.isVisible():
            self.search()

    def _found(self, found: Found) -> None:
        view = found.view
        self.complaint_id = found.complaint_id
        self.actions.set_target(found.detail, found.actions)
        for key, button in self.action_buttons.items():
            button.setVisible(key in found.actions)
        lang = self._ws.lang
        self.problem.setVisible(False)
        self.status.setText(f"{view.tracking_code} — {view.status_label.text(lang)}")
        self.explanation.setText(view.explanation.text(lang))
        lines = []
        if view.is_confidential:
            lines.append(self.tr("This complaint is confidential: only its status is shown."))
        for entry in view.entries:
            when = datetime_text(entry.at.astimezone(self._tz), lang)
            lines.append(f"{when}  {entry.label.text(lang)}")
            if entry.text:
                lines.append(f"    {entry.text}")
        self.entries.setText("\n".join(lines))
        self.result.setVisible(True)
        self.letter_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.complaint_id = None
        self._no_actions()
        self.result.setVisible(False)
        self.letter_button.setEnabled(False)
        if isinstance(exc, MistypedCode):
            self._show_problem(self.tr("This code is mistyped: one digit is wrong or two digits are swapped. Check "
                                       "it against the receipt and type it again."))
        elif isinstance(exc, NotFound):
            self._show_problem(self.tr("No complaint of this office has this code. Check the code; a complaint "
                                       "made at another office is checked there or on the LAPOR! status page."))
        elif isinstance(exc, LaporError):
            self._show_problem(exc.message.text(self._ws.lang))

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)
        self.code.setFocus()
        self.code.selectAll()
