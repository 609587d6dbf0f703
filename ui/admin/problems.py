"""IT's Kotak Masuk: the sync problems this PC knows of — changes not yet sent and since when, complaints the
server refused (by tracking code only: IT does not read complaints), conflicts waiting for the office's decision,
the last sync's error — with "Sync now" and the way to the sync log."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.read.inbox import SyncProblems, sync_problems
from app.rules.scope import Scope
from ui.admin.common import fill, lead, local_time, page_title, table
from ui.style import style_form
from ui.workspace import Workspace


def read_problems(ws: Workspace) -> SyncProblems:
    """Database thread."""
    with ws.store.read() as session:
        return sync_problems(session, Scope.of(ws.user))


class SyncProblemsPage(QWidget):
    """Refreshed when shown and after each sync; ``sync_log_requested``: the person wants the sync log page."""

    sync_log_requested = Signal()
    loaded = Signal(object)  # the SyncProblems shown (for tests and the navigation's count)

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, controller: Any = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._ws = ws
        self._controller = controller
        self._dirty = True
        self.problems: SyncProblems | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(page_title(self.tr("Sync problems"), self))
        layout.addWidget(lead(self.tr(
            "What stands between this PC and the national server. Changes wait here while the PC is offline and go "
            "out with the next sync; a complaint the server refused must be fixed by the office's administrator "
            "(it is listed by tracking code only)."), self))
        form = QFormLayout()
        self.unsent = QLabel(self)
        self.conflicts = QLabel(self)
        self.last_sync = QLabel(self)
        self.last_error = QLabel(self)
        for value in (self.unsent, self.conflicts, self.last_sync, self.last_error):
            value.setWordWrap(True)
        form.addRow(self.tr("Changes not yet sent:"), self.unsent)
        form.addRow(self.tr("Conflicts to decide:"), self.conflicts)
        form.addRow(self.tr("Last successful sync:"), self.last_sync)
        form.addRow(self.tr("Last error:"), self.last_error)
        layout.addLayout(form)
        self.refused_title = QLabel(self)
        layout.addWidget(self.refused_title)
        self.refused = table([self.tr("Tracking code"), self.tr("Refused"), self.tr("Server's code"),
                              self.tr("Server's message")], self,
                             accessible_name=self.tr("Complaints the server refused"))
        layout.addWidget(self.refused, 1)
        buttons = QHBoxLayout()
        self.sync_button = QPushButton(self.tr("S&ync now"), self)
        self.sync_button.clicked.connect(self._sync_now)
        self.sync_button.setEnabled(bool(getattr(controller, "configured", False)))
        self.log_button = QPushButton(self.tr("Open the sync &log"), self)
        self.log_button.clicked.connect(self.sync_log_requested)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.log_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        ws.hub.sync_state_changed.connect(self.schedule_refresh)
        ws.hub.conflicts_changed.connect(self.schedule_refresh)

    @Slot()
    def schedule_refresh(self, *_args: object) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def refresh(self) -> None:
        self._dirty = False
        self._ws.tasks.db(read_problems, self._ws, on_success=self._show, owner=self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def _show(self, problems: SyncProblems) -> None:
        self.problems = problems
        locale = QLocale()
        if problems.unsent:
            self.unsent.setText(self.tr("%1 (the oldest waiting since %2)").replace(
                "%1", locale.toString(problems.unsent)).replace("%2", local_time(problems.oldest_unsent_at)))
        else:
            self.unsent.setText(self.tr("none"))
        self.conflicts.setText(locale.toString(problems.open_conflicts) if problems.open_conflicts else
                               self.tr("none (the office's administrator decides them)"))
        status = getattr(self._controller, "status", None)
        self.last_sync.setText(local_time(getattr(status, "last_success", None)))
        error = getattr(status, "last_error" if self._ws.lang == "id" else "last_error_en", None)
        self.last_error.setText(error or self.tr("none"))
        self.refused_title.setText(self.tr("Complaints the server refused: %1").replace(
            "%1", locale.toString(len(problems.refused))))
        fill(self.refused, [(r.tracking_code, local_time(r.refused_at), r.code, r.message)
                            for r in problems.refused])
        self.loaded.emit(problems)

    def _sync_now(self) -> None:
        if self._controller is not None:
            self._controller.sync_now()
