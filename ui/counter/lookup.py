"""The counter's status look-up for a returning citizen: type the code from the receipt, see what the citizen may
see (app.rules.citizen_view) and print it as a status letter. A mistyped code is caught by its check digit."""

from __future__ import annotations

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
from app.rules.citizen_view import CitizenStatus
from app.store.db import Store
from ui.style import scaled_font
from ui.workspace import Workspace


def look_up(store: Store, typed: str, office_id: str) -> tuple[str, CitizenStatus]:
    """Database thread."""
    with store.read() as session:
        return citizen_view_by_code(session, typed, office_id)


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
        self.code.setPlaceholderText("3404-012-000123-7")
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
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.letter_button)

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

    def reset(self) -> None:
        self.code.clear()
        self.complaint_id = None
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
        self._ws.tasks.db(look_up, self._ws.store, typed, self._ws.office_id, on_success=self._found,
                          on_failure=self._failed, on_done=lambda: self.search_button.setEnabled(True), owner=self)

    def _found(self, answer: tuple[str, CitizenStatus]) -> None:
        complaint_id, view = answer
        self.complaint_id = complaint_id
        lang = self._ws.lang
        self.problem.setVisible(False)
        self.status.setText(f"{view.tracking_code} — {view.status_label.text(lang)}")
        self.explanation.setText(view.explanation.text(lang))
        lines = []
        if view.is_confidential:
            lines.append(self.tr("This complaint is confidential: only its status is shown."))
        for entry in view.entries:
            when = entry.at.astimezone(self._tz).strftime("%d-%m-%Y %H:%M")
            lines.append(f"{when}  {entry.label.text(lang)}")
            if entry.text:
                lines.append(f"    {entry.text}")
        self.entries.setText("\n".join(lines))
        self.result.setVisible(True)
        self.letter_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.complaint_id = None
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
