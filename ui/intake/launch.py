"""Opening the staff's intake form from the main window ("Laporan baru", Ctrl+N): only for the roles that may take
complaints in (app.services.intake.INTAKE_ROLES), one form at a time per window."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.errors import Message
from app.services.intake import INTAKE_ROLES
from ui.intake.flow import DoneHook
from ui.intake.staff_form import StaffIntakeForm
from ui.workspace import Workspace

_OPEN = "intake.staff_form"  # ws.extras: the form now open, if any


def may_take_in(role: str) -> bool:
    """Whether this role may take complaints in (the main window shows its "new complaint" action only then)."""
    return role in INTAKE_ROLES


def open_staff_intake(workspace: Workspace, parent: QWidget | None, *, on_done: DoneHook | None = None) -> None:
    """Open (or bring forward) the intake form, non-modal. ``on_done(complaint_id, tracking_code, linked)`` runs
    after each complaint is saved: the receipt is offered there. A role that may not take complaints in is told
    so through the known-error channel (the main window shows it) and nothing opens."""
    if not may_take_in(workspace.role):
        workspace.tasks.known_error.emit(Message(
            "Akun ini tidak boleh mencatat pengaduan (hanya admin instansi, petugas loket atau penghubung).",
            "This account may not take in complaints (only the office admin, counter staff or unit liaisons)."))
        return
    current = workspace.extras.get(_OPEN)
    if isinstance(current, StaffIntakeForm) and shiboken6.isValid(current) and current.isVisible():
        current.raise_()
        current.activateWindow()
        return
    form = StaffIntakeForm(workspace, parent, on_done=on_done)
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    workspace.extras[_OPEN] = form
    form.destroyed.connect(lambda *_: workspace.extras.pop(_OPEN, None))
    form.show()  # not modal: the officer may look something up in the list while the reporter is on the phone
