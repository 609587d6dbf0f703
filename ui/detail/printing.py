"""Reprinting from the detail panel: the complaint's receipt (tanda terima) and its status letter (surat keterangan
status), printed through the system's print dialog or saved as a PDF (ui.printing.service does the work)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QToolButton, QWidget

from ui.printing import RECEIPT, STATUS_LETTER
from ui.workspace import Workspace

if TYPE_CHECKING:
    from ui.printing.jobs import PrintJob


class DetailPrinting(QObject):
    """Four actions on the complaint shown: print or save its receipt or status letter. Enabled while a complaint
    is on screen; every role that may open a complaint may print its papers (what they show is decided in app/)."""

    def __init__(self, ws: Workspace, host: QWidget) -> None:
        super().__init__(host)
        self._ws = ws
        self._host = host
        self._id: str | None = None
        self.last_job: PrintJob | None = None
        self.receipt = self._action("print-receipt", self.tr("Print &receipt…"), "Ctrl+P",
                                    lambda: self.print_paper(RECEIPT))
        self.letter = self._action("print-status-letter", self.tr("Print status &letter…"), "Ctrl+Alt+P",
                                   lambda: self.print_paper(STATUS_LETTER))
        self.receipt_pdf = self._action("save-receipt-pdf", self.tr("Save receipt as &PDF…"), None,
                                        lambda: self.save_pdf(RECEIPT))
        self.letter_pdf = self._action("save-status-letter-pdf", self.tr("Save status letter as P&DF…"), None,
                                       lambda: self.save_pdf(STATUS_LETTER))

    def _action(self, name: str, text: str, shortcut: str | None, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self._host)
        action.setObjectName(f"complaint-action-{name}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setEnabled(False)
        action.triggered.connect(lambda _checked=False: slot())
        self._host.addAction(action)
        return action

    def actions(self) -> list[QAction]:
        return [self.receipt, self.letter, self.receipt_pdf, self.letter_pdf]

    def set_target(self, complaint_id: str | None) -> None:
        self._id = complaint_id
        for action in self.actions():
            action.setEnabled(complaint_id is not None)

    def buttons(self, parent: QWidget) -> list[QToolButton]:
        """The panel's two buttons: a click prints, the arrow offers the PDF."""
        made = []
        for kind, action, pdf in (("receipt", self.receipt, self.receipt_pdf),
                                  ("status-letter", self.letter, self.letter_pdf)):
            button = QToolButton(parent)
            button.setDefaultAction(action)
            button.setText(action.text().replace("&", "").removesuffix("…"))
            menu = QMenu(button)
            menu.addAction(action)
            menu.addAction(pdf)
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setObjectName(f"print-button-{kind}")
            made.append(button)
        return made

    # ---- doing it ---------------------------------------------------------------------------------------------

    def print_paper(self, kind: str) -> None:
        from ui.printing import service  # Qt's print support and the QR maker load when first printing

        if self._id is not None:
            service.print_complaint(self._ws, self._host.window(), self._id, kind, ask=True, started=self._follow)

    def save_pdf(self, kind: str) -> None:
        from ui.printing import service

        if self._id is not None:
            service.save_complaint_pdf(self._ws, self._host.window(), self._id, kind, started=self._follow)

    def _follow(self, job: PrintJob) -> None:
        self.last_job = job
        job.finished.connect(lambda outcome: self._ended(job, outcome))

    def _ended(self, job: PrintJob, outcome: str) -> None:
        if outcome == "saved" and job.saved_path is not None:  # ui.printing.jobs.Outcome.SAVED
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("PDF saved"),
                              self.tr("Saved as %1").replace("%1", str(job.saved_path)),
                              QMessageBox.StandardButton.Ok, self._host.window())
            box.setObjectName("print-saved")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
