"""Errors in the window: the crash dialog for bugs, a plain message for known errors, and the exception hook.

The hook (Electrum's pattern) may be called on any thread; it only emits a signal, and the dialog opens on the GUI
thread. Details are stripped of SQL parameters (ui.logs.redact) before they are shown, copied or logged.

The hook is installed before the log-in form is shown, so this module does not import the ``Qt`` namespace at the
top: the first import of it creates its ~90 enums (~50 ms), which the form does not need; the dialogs import it.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.errors import Message
from ui.logs import redact
from ui.style import scaled_font, style_form
from ui.tasks import BugReport, bug_report

log = logging.getLogger(__name__)


class CrashDialog(QDialog):
    """A short apology, what went wrong in one line, the details on request, "copy details" and the log path."""

    def __init__(self, report: BugReport, log_path: Path | None, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt  # here, not at the top: see the module's docstring

        super().__init__(parent)
        style_form(self)
        self.setWindowTitle(self.tr("LAPOR Desk — an error occurred"))
        self.setMinimumWidth(520)
        self._report = report
        self._log_path = log_path

        title = QLabel(self.tr("Sorry, something went wrong."))
        title.setFont(scaled_font(self.font(), 1.25, bold=True))
        explain = QLabel(self.tr(
            "This is a fault in LAPOR Desk, not something you did. Your saved work is safe. If it happens again, "
            "copy the details and send them to your IT staff together with the log file."))
        explain.setWordWrap(True)
        summary = QLabel(redact(report.summary))
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary.setObjectName("muted")
        summary.setAccessibleName(self.tr("Error summary"))

        self.details = QPlainTextEdit(self.details_text())
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("Error details"))
        self.details.setVisible(False)
        self.details.setMinimumHeight(220)

        log_text = str(log_path) if log_path else self.tr("(no log file)")
        self.log_label = QLabel(self.tr("Log file: %1").replace("%1", log_text))
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label.setObjectName("muted")

        self.toggle_button = QPushButton(self.tr("Show &details"))
        self.toggle_button.setCheckable(True)
        self.toggle_button.setAutoDefault(False)
        self.toggle_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(self.tr("&Copy details"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(self.tr("C&lose"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)

        row = QHBoxLayout()
        row.addWidget(self.toggle_button)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        for widget in (title, explain, summary, self.details, self.log_label):
            layout.addWidget(widget)
        layout.addLayout(row)
        self.close_button.setDefault(True)  # after it is in the dialog, or the dialog never learns of it
        self.close_button.setFocus()

    def details_text(self) -> str:
        where = str(self._log_path) if self._log_path else "-"
        header = (f"LAPOR Desk {__version__}\nPython {platform.python_version()} · {platform.platform()}\n"
                  f"Log: {where}\n\n")
        return header + redact(self._report.details)

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
        self.copy_button.setText(self.tr("Copied"))

    @Slot(bool)
    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.toggle_button.setText(self.tr("Hide &details") if shown else self.tr("Show &details"))
        self.adjustSize()


def known_error_box(parent: QWidget | None, message: Message, lang: str, *,
                    title: str | None = None) -> QMessageBox:
    """A plain, non-blocking warning for an error a person can act on (opened, not exec'd)."""
    from PySide6.QtCore import QCoreApplication, Qt

    box = QMessageBox(QMessageBox.Icon.Warning, title or QCoreApplication.translate("Errors", "LAPOR Desk"),
                      message.text(lang), QMessageBox.StandardButton.Ok, parent)
    style_form(box)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


class ExceptionHook(QObject):
    """Catches exceptions no one handled (on any thread) and reports them as bugs through ``bug``."""

    bug = Signal(object)  # BugReport, delivered on the GUI thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._previous_sys = sys.excepthook
        self._previous_thread = threading.excepthook
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        sys.excepthook = self._previous_sys
        threading.excepthook = self._previous_thread

    def _sys_hook(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_sys(kind, exc, tb)
            return
        self.report(exc.with_traceback(tb))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or isinstance(args.exc_value, SystemExit):
            return
        self.report(args.exc_value)

    def report(self, exc: BaseException) -> None:
        report = bug_report(exc)
        log.error("unhandled error: %s\n%s", redact(report.summary), redact(report.details))
        self.bug.emit(report)  # queued to the GUI thread when called from a worker


class CrashReporter(QObject):
    """Shows one crash dialog at a time for bug reports from the hook and from the task runner."""

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.dialog: CrashDialog | None = None
        self.window: QWidget | None = None

    @Slot(object)
    def show_bug(self, report: BugReport) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return  # one is open; the log has every report
        # Kept (not deleted on close) until the next report replaces it: no signal from a dying dialog can reach
        # a reporter that is itself being torn down.
        self.dialog = CrashDialog(report, self.log_path, self.window)
        self.dialog.open()
