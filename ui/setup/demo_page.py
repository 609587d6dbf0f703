"""The demo page: what the demo is (synthetic data for Kabupaten Sleman, a small national server on this PC) and
its log-ins, then the setup in the background: the demo server, enrolment against it and the first sync."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget, QWizard

from app.config import Paths
from app.domain import Role
from app.reference.labels import label
from demo import DEMO_PASSWORD
from ui.setup.jobs import (
    DEMO_COMPLAINTS,
    FIRST_SYNC_COMPLAINTS,
    LOCAL_DEMO_COMPLAINTS,
    Report,
    SetupResult,
    setup_demo,
)
from ui.setup.work_page import WorkPage
from ui.tasks import TaskRunner

DEMO_ACCOUNTS = (("admin.sleman", Role.ADMIN_INSTANSI), ("loket.sleman", Role.PETUGAS_LOKET),
                 ("penghubung.pu.sleman", Role.PENGHUBUNG), ("pimpinan.sleman", Role.PIMPINAN))


class DemoPage(WorkPage):
    def __init__(self, paths: Paths, tasks: TaskRunner, lang: str, parent: QWidget | None = None, *,
                 complaints: int = DEMO_COMPLAINTS, first_sync: int = FIRST_SYNC_COMPLAINTS) -> None:
        super().__init__(tasks, lang, parent)
        self._paths = paths
        self.complaints = complaints
        self.first_sync = first_sync
        self.local_complaints = LOCAL_DEMO_COMPLAINTS  # when no demo server can run here
        self.setTitle(self.tr("Try the demo"))
        self.setSubTitle(self.tr("Made-up data to try LAPOR Desk out and to train staff, without enrolling."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Set up the demo"))

        about = QLabel(self.tr(
            "The demo sets this PC up as <b>Pemerintah Kabupaten Sleman</b>, with citizens' complaints that are "
            "made up: every name, NIK and phone number is synthetic. It also runs a small national server on "
            "this PC (127.0.0.1), so you can watch sync at work: after setup, more complaints keep arriving "
            "with the next syncs."), self)
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.RichText)
        self.resume_note = QLabel(self)
        self.resume_note.setWordWrap(True)
        self.resume_note.hide()

        accounts = QWidget(self)
        grid = QGridLayout(accounts)
        grid.setContentsMargins(12, 4, 0, 4)
        grid.setHorizontalSpacing(24)
        head_user, head_role = QLabel(self.tr("<b>User name</b>"), self), QLabel(self.tr("<b>Role</b>"), self)
        grid.addWidget(head_user, 0, 0)
        grid.addWidget(head_role, 0, 1)
        for row, (username, role) in enumerate(DEMO_ACCOUNTS, start=1):
            name = QLabel(username, self)
            name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, row, 0)
            grid.addWidget(QLabel(label(role, lang), self), row, 1)
        grid.setColumnStretch(2, 1)
        accounts.setAccessibleName(self.tr("Demo accounts"))
        password = QLabel(self.tr("Password of every demo account: <b>%1</b>").replace("%1", DEMO_PASSWORD), self)
        password.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        duration = QLabel(self.tr("Setting up takes about half a minute; no internet connection is needed."), self)
        duration.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.resume_note)
        layout.addSpacing(6)
        layout.addWidget(QLabel(self.tr("Log in with one of these demo accounts:"), self))
        layout.addWidget(accounts)
        layout.addWidget(password)
        layout.addSpacing(6)
        layout.addWidget(duration)
        self.add_work_area(layout)

    def set_resume(self) -> None:
        """An earlier demo setup enrolled but did not finish its first sync."""
        self.resume_note.setText(self.tr("An earlier demo setup did not finish; it continues where it stopped."))
        self.resume_note.show()
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Continue the demo setup"))

    def make_job(self, report: Report, cancel: threading.Event) -> Callable[[], SetupResult]:
        return partial(setup_demo, self._paths, complaints=self.complaints, first_sync=self.first_sync,
                       local_complaints=self.local_complaints, report=report, cancel=cancel)

    def step_text(self, step: str) -> str:
        return {
            "seed": self.tr("Filling the demo server with offices, accounts and complaints…"),
            "start": self.tr("Starting the demo server on this PC…"),
            "enrol": self.tr("Enrolling this PC with the demo server…"),
            "sync": self.tr("First sync: receiving Sleman's accounts and complaints…"),
            "prepare": self.tr("Preparing the database on this PC…"),
            "local": self.tr("Filling this PC with demo data…"),
        }.get(step, "")
