"""A wizard page that runs one setup job in the background with a progress bar, shows a failure as a plain
message, and offers to try again. The job runs on the TaskRunner's database thread; its progress reaches the
bar through a queued signal."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget, QWizard, QWizardPage

from ui.setup.jobs import Report, SetupResult
from ui.style import muted
from ui.tasks import BugReport, TaskRunner, known_error_message

log = logging.getLogger(__name__)
BAR_STEPS = 1000
ERROR_STYLE = ("QLabel { background: palette(base); border: 1px solid #c0392b; border-left: 4px solid #c0392b; "
               "border-radius: 3px; padding: 6px; }")


def muted_label(text: str, parent: QWidget) -> QLabel:
    """A muted explanatory line (the theme's placeholder colour, so it suits light and dark themes)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return muted(label)


class _Relay(QObject):
    """Lives in the GUI thread: a worker's emit is queued to it."""

    progressed = Signal(str, float)


class WorkPage(QWizardPage):
    """Subclasses give the job (:meth:`make_job`), the step texts and the input checks."""

    succeeded = Signal(object)  # SetupResult
    failed = Signal(str)  # the message shown on the page
    running_changed = Signal(bool)

    def __init__(self, tasks: TaskRunner, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._lang = lang
        self._running = False
        self.next_page_id = -1
        self._cancel = threading.Event()
        self.result: SetupResult | None = None
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._on_progress)
        self.setCommitPage(True)  # once done, no way back to choose again

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Setup step"))
        self.bar = QProgressBar(self)
        self.bar.setRange(0, BAR_STEPS)
        self.bar.setAccessibleName(self.tr("Setup progress"))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName(self.tr("Problem"))
        for widget in (self.status, self.bar, self.error):
            widget.hide()

    def add_work_area(self, layout: QVBoxLayout) -> None:
        """Put the status line, progress bar and error message at the end of ``layout``."""
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)

    # ---- for subclasses ----------------------------------------------------------------------------------------

    def make_job(self, report: Report, cancel: threading.Event) -> Callable[[], SetupResult]:
        raise NotImplementedError

    def step_text(self, step: str) -> str:
        raise NotImplementedError

    def check_input(self) -> bool:
        """Show what is wrong with the input; True when the job may start."""
        return True

    def set_inputs_enabled(self, enabled: bool) -> None:
        """Lock the inputs while the job runs."""

    def error_text(self, exc: BaseException) -> str:
        return known_error_message(exc).text(self._lang)

    def retry_text(self) -> str:
        return self.tr("&Try again")

    # ---- the work ----------------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> bool:
        """Check the input and start the job; False when it did not start (bad input, or already running)."""
        if self._running or self.result is not None:
            return False
        self.error.hide()
        if not self.check_input():
            return False
        self._cancel = threading.Event()
        self._set_running(True)
        self.bar.setValue(0)
        job = self.make_job(self._relay.progressed.emit, self._cancel)
        self._tasks.db(job, on_success=self._on_success, on_failure=self._on_failure, owner=self)
        return True

    def cancel(self) -> None:
        self._cancel.set()

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.status.hide()
        self.bar.hide()

    def on_bug(self, report: BugReport) -> None:
        """An unexpected error in this page's job (the wizard routes the runner's ``bug`` signal here)."""
        if not self._running:
            return
        log.error("setup job failed unexpectedly: %s", report.summary)
        self._finish_failure(self.tr("Something unexpected went wrong: %1. Try again; if it happens again, ask IT "
                                     "for help and give them the log file.").replace("%1", report.summary))

    def _set_running(self, running: bool) -> None:
        self._running = running
        self.set_inputs_enabled(not running)
        self.status.setVisible(running)
        self.bar.setVisible(running)
        self.completeChanged.emit()
        wizard = self.wizard()
        if wizard is not None:  # the wizard re-enables Back on completeChanged; keep it off while working
            wizard.button(QWizard.WizardButton.BackButton).setEnabled(not running)
        self.running_changed.emit(running)

    def _on_progress(self, step: str, fraction: float) -> None:
        if self._running:
            self.status.setText(self.step_text(step))
            self.bar.setValue(round(fraction * BAR_STEPS))

    def _on_success(self, result: Any) -> None:
        self.result = result
        self.bar.setValue(BAR_STEPS)
        self._set_running(False)
        self.succeeded.emit(result)
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            wizard.next()

    def _on_failure(self, exc: BaseException) -> None:
        self._finish_failure(self.error_text(exc))

    def _finish_failure(self, text: str) -> None:
        self._set_running(False)
        self.show_problem(text)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.retry_text())
        self.failed.emit(text)

    # ---- QWizardPage -------------------------------------------------------------------------------------------

    def nextId(self) -> int:
        return self.next_page_id

    def isComplete(self) -> bool:
        return not self._running

    def validatePage(self) -> bool:
        if self.result is not None:
            return True
        self.start()
        return False

    def cleanupPage(self) -> None:  # going Back: stop what runs
        self.cancel()
