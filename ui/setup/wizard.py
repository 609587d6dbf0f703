"""The first-start wizard: choose the demo or enrolment, do it with progress shown, then a summary. Runs before
there is a Workspace, so it owns a TaskRunner of its own (or takes one, e.g. a synchronous one in tests)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QVBoxLayout, QWidget, QWizard, QWizardPage

from app import machine_config
from app.config import Paths
from demo import DEMO_PASSWORD
from ui.settings import AUTO_SYNC_MINUTES, DEMO_MODE, Settings, effective_config
from ui.setup.demo_page import DemoPage
from ui.setup.demo_server import DemoServer
from ui.setup.enrol_page import EnrolPage
from ui.setup.jobs import DEMO_COMPLAINTS, FIRST_SYNC_COMPLAINTS, SetupResult
from ui.setup.state import SetupState, read_state
from ui.setup.work_page import WorkPage, muted_label
from ui.style import style_form
from ui.tasks import BugReport, TaskRunner

PAGE_CHOICE, PAGE_ENROL, PAGE_DEMO, PAGE_DONE = range(4)
DEMO_SYNC_MINUTES = 1  # a demo PC syncs with its local server every minute (a real PC: every 10)


def remember_setup(settings: Settings, result: SetupResult) -> None:
    """What the settings keep of a finished set-up: a demo PC (its server is started again at each start) syncs
    every minute, for the demo server's feed files a complaint about every minute."""
    settings.set(DEMO_MODE, result.mode != "enrol")
    if result.mode == "demo-server":
        settings.set(AUTO_SYNC_MINUTES, DEMO_SYNC_MINUTES)
    settings.sync()


class ChoicePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Welcome to LAPOR Desk"))
        self.setSubTitle(self.tr("This PC is not set up yet. Choose how to start."))
        self.demo = QRadioButton(self.tr("Try the &demo"), self)
        self.enrol = QRadioButton(self.tr("&Enrol this PC with the national server"), self)
        self.demo.setChecked(True)
        group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        for button, text in (
            (self.demo, self.tr("Made-up complaints for Kabupaten Sleman and a small national server on this PC. "
                                "For trying the program out and for training; no internet connection needed.")),
            (self.enrol, self.tr("For real work at your office. You need the server address and an enrolment "
                                 "code from the national admin.")),
        ):
            group.addButton(button)
            button.setAccessibleDescription(text)
            font = button.font()
            font.setBold(True)
            button.setFont(font)
            about = QLabel(text, self)
            about.setWordWrap(True)
            about.setContentsMargins(button.iconSize().width() + 12, 0, 0, 0)
            about.setBuddy(button)
            layout.addWidget(button)
            layout.addWidget(about)
            layout.addSpacing(12)
        layout.addStretch(1)
        layout.addWidget(muted_label(self.tr("Demo data is kept apart from real data: to use LAPOR Desk for real "
                                             "later, IT enrols this PC with a new data folder."), self))

    def choose(self, mode: str) -> None:
        """"demo" or "enrol"."""
        (self.demo if mode == "demo" else self.enrol).setChecked(True)

    def chosen(self) -> str:
        return "demo" if self.demo.isChecked() else "enrol"

    def nextId(self) -> int:
        return PAGE_DEMO if self.demo.isChecked() else PAGE_ENROL


class DonePage(QWizardPage):
    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self.setTitle(self.tr("This PC is ready"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.login = QLabel(self)
        self.login.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addSpacing(8)
        layout.addWidget(self.login)
        layout.addStretch(1)

    def show_result(self, result: SetupResult) -> None:
        n = result.complaints
        if result.mode == "enrol":
            text = self.tr("This PC is enrolled for <b>%1</b>. The first sync brought in %Ln complaint(s).", "", n)
            login = self.tr("Log in with the account your office admin gave you.")
            if result.token_location != "keyring":
                login += " " + self.tr("No system keyring was found, so this PC's device token is kept in the file "
                                       "%1, readable only by this user account.").replace("%1",
                                                                                          result.token_location)
        elif result.mode == "demo-server":
            text = self.tr("The demo is ready for <b>%1</b>: %Ln complaint(s) came in with the first sync from the "
                           "demo server on this PC. More complaints are still arriving and come in with the next "
                           "syncs.", "", n)
            login = self._demo_login()
        else:
            text = self.tr("The demo is ready for <b>%1</b> with %Ln complaint(s), on this PC only (no sync).", "", n)
            login = self._demo_login()
        text = text.replace("%1", result.office_name)
        if result.note is not None:
            text = result.note.text(self._lang) + "<br><br>" + text
        self.summary.setText(text)
        self.login.setText(login)

    def _demo_login(self) -> str:
        return self.tr("Log in as <b>admin.sleman</b> (office admin) or <b>loket.sleman</b> (counter clerk) with "
                       "the password <b>%1</b>.").replace("%1", DEMO_PASSWORD)


class SetupWizard(QWizard):
    """``needs_setup`` true → show this; when it is accepted, the store has a home office and its data."""

    setup_done = Signal(object)  # SetupResult

    def __init__(self, paths: Paths, settings: Settings, parent: QWidget | None = None, *,
                 tasks: TaskRunner | None = None, state: SetupState | None = None,
                 demo_complaints: int = DEMO_COMPLAINTS, demo_first_sync: int = FIRST_SYNC_COMPLAINTS) -> None:
        super().__init__(parent)
        style_form(self)
        self._paths = paths
        self._settings = settings
        self._own_tasks = tasks is None
        self.tasks = tasks or TaskRunner(parent=self)
        self.tasks.bug.connect(self._on_bug)
        lang = effective_config(settings).text(machine_config.LANGUAGE)
        self.setup_result: SetupResult | None = None
        self.setWindowTitle(self.tr("LAPOR Desk setup"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # the PC is set up by then
        for button, text in ((QWizard.WizardButton.BackButton, self.tr("< &Back")),
                             (QWizard.WizardButton.NextButton, self.tr("&Next >")),
                             (QWizard.WizardButton.FinishButton, self.tr("&Start using LAPOR Desk")),
                             (QWizard.WizardButton.CancelButton, self.tr("Cancel"))):
            self.setButtonText(button, text)
        self.choice_page = ChoicePage(self)
        self.enrol_page = EnrolPage(paths, self.tasks, lang, self)
        self.demo_page = DemoPage(paths, self.tasks, lang, self, complaints=demo_complaints,
                                  first_sync=demo_first_sync)
        self.done_page = DonePage(lang, self)
        for page_id, page in ((PAGE_CHOICE, self.choice_page), (PAGE_ENROL, self.enrol_page),
                              (PAGE_DEMO, self.demo_page), (PAGE_DONE, self.done_page)):
            self.setPage(page_id, page)
        for work in (self.enrol_page, self.demo_page):
            work.next_page_id = PAGE_DONE
            work.succeeded.connect(self._on_success)
        state = state or read_state(paths)
        if state.resume == "enrol" and state.server_url:
            self.enrol_page.set_resume(state.server_url)
            self.setStartId(PAGE_ENROL)
        elif state.resume == "demo":
            self.demo_page.set_resume()
            self.setStartId(PAGE_DEMO)
        self.setMinimumSize(self.sizeHint().expandedTo(self.minimumSizeHint()))
        self.resize(max(680, self.sizeHint().width()), max(560, self.sizeHint().height()))

    @property
    def demo_server(self) -> DemoServer | None:
        """The demo server this wizard started (still running), for the shell to keep and stop at exit."""
        return self.setup_result.demo_server if self.setup_result else None

    def work_pages(self) -> tuple[WorkPage, ...]:
        return (self.enrol_page, self.demo_page)

    @property
    def busy(self) -> bool:
        return any(page.running for page in self.work_pages())

    def _on_success(self, result: SetupResult) -> None:
        self.setup_result = result
        remember_setup(self._settings, result)
        self.done_page.show_result(result)
        self.setup_done.emit(result)

    def _on_bug(self, report: BugReport) -> None:
        for page in self.work_pages():
            page.on_bug(report)

    def done(self, result: int) -> None:  # accept or reject (Cancel, Esc, closing the window)
        busy = self.busy
        for page in self.work_pages():
            page.cancel()
        if self._own_tasks:
            self.tasks.shutdown(wait=not busy)
        super().done(result)
