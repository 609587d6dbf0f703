"""Complaints the server refused to take in, and what a person can do about each: send it again once fixed, or
withdraw it (after confirming). They exist only on this PC and the citizen already holds the tracking code, so the
status bar keeps counting them until one or the other is done (app.services.refusals)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import LaporError
from app.services import refusals
from app.services.refusals import RefusedIntake
from ui import operations
from ui.style import style_form
from ui.tasks import known_error_message
from ui.workspace import Workspace


def load_refusals(ws: Workspace) -> list[RefusedIntake]:
    """The office's standing refusals (database thread)."""
    with ws.store.read() as session:
        return refusals.refused_intakes(session, ws.office_id)


class RefusedIntakesDialog(QDialog):
    """Non-modal: the list on the left of the decision, the server's reason under it, the two ways out below."""

    changed = Signal()  # a complaint was sent again or withdrawn

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._rows: list[RefusedIntake] = []
        self.setWindowTitle(self.tr("Complaints refused by the server"))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(self.tr(
            "The server refused to take in these complaints. They exist only on this PC, and the citizen already "
            "holds the tracking code. Fix the complaint (find it by its tracking code, then Complaint ▸ Edit details…) "
            "and send it again, or withdraw it."), self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Refused complaints"))
        self.list.currentRowChanged.connect(lambda _row: self._refresh())
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setAccessibleName(self.tr("Why the server refused it"))
        self.resend_button = QPushButton(self.tr("Send again"), self)
        self.resend_button.setToolTip(self.tr("Send the complaint as it is now, after fixing it"))
        self.resend_button.clicked.connect(self._resend)
        self.withdraw_button = QPushButton(self.tr("Withdraw…"), self)
        self.withdraw_button.setToolTip(self.tr("Keep it on this PC, archived, and stop counting it as a problem"))
        self.withdraw_button.clicked.connect(self._ask_withdraw)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.close)
        self.outcome = QLabel(self)
        self.outcome.setWordWrap(True)

        self.confirm = QFrame(self)
        self.confirm.setFrameShape(QFrame.Shape.StyledPanel)
        self.confirm_text = QLabel(self.confirm)
        self.confirm_text.setWordWrap(True)
        self.note = QLineEdit(self.confirm)
        self.note.setPlaceholderText(self.tr("Note for the timeline (optional)"))
        self.note.setAccessibleName(self.tr("Withdrawal note"))
        self.confirm_button = QPushButton(self.tr("Withdraw"), self.confirm)
        self.confirm_button.clicked.connect(self._withdraw)
        cancel = QPushButton(self.tr("Cancel"), self.confirm)
        cancel.clicked.connect(self.confirm.hide)
        confirm_buttons = QHBoxLayout()
        confirm_buttons.addStretch(1)
        confirm_buttons.addWidget(cancel)
        confirm_buttons.addWidget(self.confirm_button)
        confirm_box = QVBoxLayout(self.confirm)
        confirm_box.addWidget(self.confirm_text)
        confirm_box.addWidget(self.note)
        confirm_box.addLayout(confirm_buttons)
        self.confirm.hide()

        buttons = QHBoxLayout()
        buttons.addWidget(self.resend_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        for widget in (intro, self.list, self.reason, self.confirm, self.outcome):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        style_form(self)
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 24)
        self.reload()

    # ---- what the tests read ---------------------------------------------------------------------------------

    def codes(self) -> list[str]:
        return [r.tracking_code for r in self._rows]

    def current(self) -> RefusedIntake | None:
        row = self.list.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # ---- loading ---------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._ws.tasks.db(load_refusals, self._ws, on_success=self._show, owner=self)

    def _show(self, rows: list[RefusedIntake]) -> None:
        keep = self.current()
        self._rows = list(rows)
        self.list.clear()
        for r in self._rows:
            item = QListWidgetItem(f"{r.tracking_code} — {r.title}", self.list)
            item.setToolTip(r.message)
        wanted = next((i for i, r in enumerate(self._rows) if keep and r.complaint_id == keep.complaint_id), 0)
        self.list.setCurrentRow(wanted if self._rows else -1)
        self._refresh()

    def _refresh(self) -> None:
        r = self.current()
        role = self._ws.role
        self.resend_button.setEnabled(r is not None and role in refusals.RESEND_ROLES)
        self.withdraw_button.setEnabled(r is not None and role in refusals.WITHDRAW_ROLES)
        if role not in refusals.WITHDRAW_ROLES:
            self.withdraw_button.setToolTip(self.tr("Only the office admin may withdraw a complaint"))
        if r is None:
            self.reason.setText(self.tr("No complaint is refused by the server."))
            self.confirm.hide()
            return
        self.reason.setText(self.tr("%1: refused by the server (%2): %3").replace("%1", r.tracking_code)
                            .replace("%2", r.code or "?").replace("%3", r.message or "-"))

    # ---- the two ways out ------------------------------------------------------------------------------------

    def _resend(self) -> None:
        r = self.current()
        if r is None:
            return
        operations.change_complaints(
            self._ws.tasks, self._ws.hub, refusals.resend_intake, self._ws.services, self._ws.user.id,
            r.complaint_id, changed=lambda _seq: [r.complaint_id],
            on_success=lambda _seq: self._done(self.tr("%1 will be sent again at the next sync.")
                                               .replace("%1", r.tracking_code)),
            on_failure=self._failed, owner=self)

    def _ask_withdraw(self) -> None:
        r = self.current()
        if r is None:
            return
        self.confirm_text.setText(self.tr(
            "Withdraw %1? It stays on this PC, archived, with the server's reason on its timeline, and is never "
            "sent to the server: the citizen's tracking code will not be found on the national status page.")
            .replace("%1", r.tracking_code))
        self.note.clear()
        self.confirm.show()
        self.note.setFocus()

    def _withdraw(self) -> None:
        r = self.current()
        if r is None:
            return
        self.confirm.hide()
        operations.change_complaints(
            self._ws.tasks, self._ws.hub, refusals.withdraw_intake, self._ws.services, self._ws.user.id,
            r.complaint_id, self.note.text(), changed=lambda _seq: [r.complaint_id],
            on_success=lambda _seq: self._done(self.tr("%1 was withdrawn; it stays on this PC, archived.")
                                               .replace("%1", r.tracking_code)),
            on_failure=self._failed, owner=self)

    def _done(self, text: str) -> None:
        self.outcome.setText(text)
        self.changed.emit()
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, LaporError) else known_error_message(exc)
        self.outcome.setText(message.text(self._ws.lang))
        self.reload()
