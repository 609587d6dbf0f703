"""Counter mode: the window of a counter officer (PETUGAS_LOKET) serving a citizen across the desk.

Full screen and large type; two tasks only — take a complaint in step by step and hand over a receipt, or look up
the status of one and print a status letter. No list or search of other people's complaints exists anywhere in
this window. A half-typed complaint is cleared after a few minutes without activity (the citizen has gone) and the
screen locks itself a little later; a draft survives a crash or a closed window and is offered back.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.reference.labels import label
from app.services.users import home_office_name
from ui import screen_fit
from ui.counter.intake_steps import IntakeSteps
from ui.counter.lookup import LookupPage
from ui.crash import CrashReporter, known_error_box
from ui.idle import IdleWatcher
from ui.lock import LockScreen
from ui.style import ACCENT, scaled_font, style_form
from ui.workspace import Workspace

log = logging.getLogger(__name__)

CLEAR_AFTER_MS = 3 * 60 * 1000  # a citizen who walked away: the half-typed complaint goes
LOCK_AFTER_MS = 5 * 60 * 1000  # an officer who walked away: nobody else uses the session
TYPE_SCALE = 1.45  # large type for a citizen reading along

_HEADER_STYLE = f"QFrame#counterHeader {{ background: {ACCENT}; }} QFrame#counterHeader QLabel {{ color: white; }}"


class CounterWindow(QMainWindow):
    """The counter officer's window; made by start-up instead of the main window for PETUGAS_LOKET."""

    switch_user_requested = Signal()

    def __init__(self, ws: Workspace, features: Any, controller: Any, *, crash: CrashReporter | None = None,
                 log_dir: Path | None = None, full_screen: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.controller = controller
        self.log_dir = log_dir
        self.notifier = None
        self.crash = crash or CrashReporter(None, self)
        self.crash.window = self
        self.message_box: Any = None
        self.setObjectName("counterWindow")
        self.setWindowTitle(self.tr("LAPOR Desk — Service counter"))
        # Large type for the whole program while the counter is on screen (its dialogs and message boxes too): an
        # application font, because a style sheet stops a window's own font from reaching its children.
        self._normal_font = QApplication.font()
        self._large_font = scaled_font(self._normal_font, TYPE_SCALE)
        QApplication.setFont(self._large_font)
        style_form(self)

        self.root = QStackedWidget(self)
        self.setCentralWidget(self.root)
        self.work = QWidget(self.root)
        column = QVBoxLayout(self.work)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._header())
        self.pages = QStackedWidget(self.work)
        column.addWidget(self.pages, 1)
        self.root.addWidget(self.work)

        self.home = self._home_page()
        self.pages.addWidget(self.home)
        self.intake = IntakeSteps(ws, self.pages)
        self.pages.addWidget(self.intake)
        self.lookup = LookupPage(ws, self.pages)
        self.pages.addWidget(self.lookup)
        self.lock_screen = LockScreen(ws, self.root)
        self.root.addWidget(self.lock_screen)

        self.intake.finished.connect(self.go_home)
        self.lookup.done.connect(self.go_home)
        self.lookup.letter_requested.connect(self.intake.print_status_letter)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.quit_requested.connect(self.close)
        self.lock_screen.switch_requested.connect(self.switch_user_requested)
        ws.tasks.known_error.connect(self.show_known_error)

        self.sync_status = features.sync_status(ws, controller, self)
        self.statusBar().addPermanentWidget(self.sync_status)
        self._shortcuts()

        self.clear_watch = IdleWatcher(CLEAR_AFTER_MS, self)
        self.clear_watch.idle.connect(self._idle_clear)
        self.lock_watch = IdleWatcher(LOCK_AFTER_MS, self)
        self.lock_watch.idle.connect(self.lock)
        ws.tasks.db(home_office_name, ws.store, on_success=self._show_office, owner=self)

        geometry = ws.window_state.load("counter/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            screen_fit.first_geometry(self, QSize(1280, 720))  # out of full screen: the size to return to
        else:
            screen_fit.keep_on_screen(self)
        if full_screen:
            self.setWindowState(Qt.WindowState.WindowFullScreen)

    # ---- building ----------------------------------------------------------------------------------------------

    def _header(self) -> QFrame:
        header = QFrame(self.work)
        header.setObjectName("counterHeader")
        header.setStyleSheet(_HEADER_STYLE)
        row = QHBoxLayout(header)
        row.setContentsMargins(20, 8, 12, 8)
        brand = QLabel(self.tr("LAPOR Desk · Service counter"), header)
        brand.setFont(scaled_font(self._large_font, 1.15, bold=True))
        user = self.ws.user
        self._officer = f"{user.full_name} · {label_role(user.role, self.ws.lang)}"
        self.office_label = QLabel(self._officer, header)  # office · officer; wraps on a narrow screen
        self.office_label.setWordWrap(True)
        self.office_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.lock_button = QPushButton(self.tr("&Lock"), header)
        self.lock_button.setToolTip(self.tr("Lock the screen while you are away (Ctrl+L)"))
        self.lock_button.clicked.connect(self.lock)
        self.switch_button = QPushButton(self.tr("Log &out"), header)
        self.switch_button.setToolTip(self.tr("End your session; someone else can log in"))
        self.switch_button.clicked.connect(self.switch_user_requested)
        row.addWidget(brand)
        row.addSpacing(16)
        row.addWidget(self.office_label, 1)
        row.addSpacing(12)
        row.addWidget(self.lock_button)
        row.addWidget(self.switch_button)
        return header

    def _home_page(self) -> QWidget:
        page = QWidget(self.pages)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 36, 48, 36)
        layout.setSpacing(18)
        greeting = QLabel(self.tr("How can we help?"), page)
        greeting.setFont(scaled_font(self._large_font, 1.6, bold=True))
        layout.addWidget(greeting)
        self.new_button = self._big_button(page, self.tr("&New complaint"),
                                           self.tr("Take a complaint, an aspiration or a request for information "
                                                   "from the citizen at the counter, and print the receipt."))
        self.new_button.clicked.connect(self.start_intake)
        self.check_button = self._big_button(page, self.tr("&Check a complaint's status"),
                                             self.tr("For a citizen who comes back with the tracking code from "
                                                     "the receipt."))
        self.check_button.clicked.connect(self.start_lookup)
        layout.addWidget(self.new_button)
        layout.addWidget(self.check_button)
        privacy = QLabel(self.tr("This screen shows no other citizen's complaints. It clears itself after a few "
                                 "minutes without activity."), page)
        privacy.setObjectName("muted")
        privacy.setWordWrap(True)
        self.guide_button = QPushButton(self.tr("User &guide (F1)"), page)
        self.guide_button.setToolTip(self.tr("How the counter works, step by step"))
        self.guide_button.clicked.connect(self.open_guide)
        foot = QHBoxLayout()
        foot.addWidget(privacy, 1)
        foot.addWidget(self.guide_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addStretch(1)
        layout.addLayout(foot)
        return page

    def _big_button(self, parent: QWidget, text: str, explanation: str) -> QPushButton:
        """A large button with its name in bold and a line saying what it is for."""
        button = QPushButton(parent)
        button.setAccessibleName(text.replace("&", ""))
        button.setAccessibleDescription(explanation)
        button.setStyleSheet("QPushButton { text-align: left; padding: 0px; }")
        name = QLabel(text.replace("&", ""), button)
        name.setFont(scaled_font(self._large_font, 1.25, bold=True))
        line = QLabel(explanation, button)
        line.setWordWrap(True)
        inner = QVBoxLayout(button)
        inner.setContentsMargins(22, 14, 22, 14)
        inner.setSpacing(4)
        for part in (name, line):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            inner.addWidget(part)
        button.setMinimumHeight(inner.sizeHint().height())
        shortcut = text.find("&")
        if shortcut >= 0:
            button.setShortcut(QKeySequence(f"Alt+{text[shortcut + 1]}"))
        return button

    def _shortcuts(self) -> None:
        lock = QAction(self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        full = QAction(self)
        full.setShortcut(QKeySequence("F11"))
        full.triggered.connect(self.toggle_full_screen)
        guide = QAction(self)
        guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))  # F1
        guide.triggered.connect(self.open_guide)
        self.addActions([lock, full, guide])

    @Slot()
    def open_guide(self) -> None:
        """The user guide on the counter officer's page (it holds no personal data: also from the lock screen)."""
        from ui.guide import open_guide

        self.guide = open_guide(self.ws, self)

    # ---- pages -------------------------------------------------------------------------------------------------

    @Slot()
    def start_intake(self) -> None:
        self.pages.setCurrentWidget(self.intake)
        self.intake.begin()

    @Slot()
    def start_lookup(self) -> None:
        self.lookup.reset()
        self.pages.setCurrentWidget(self.lookup)
        self.lookup.code.setFocus()

    @Slot()
    def go_home(self) -> None:
        self.lookup.reset()
        self.pages.setCurrentWidget(self.home)
        self.new_button.setFocus()

    def current_page(self) -> QWidget:
        return self.pages.currentWidget()

    @Slot()
    def _idle_clear(self) -> None:
        """Nobody at the counter for a while: what a citizen typed or looked up is cleared off the screen."""
        if self.intake.has_content():
            log.info("counter idle: the unfinished intake is cleared")
        self.intake.clear(discard_draft=True)
        self.go_home()

    def toggle_full_screen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

    # ---- lock --------------------------------------------------------------------------------------------------

    def is_locked(self) -> bool:
        return self.root.currentWidget() is self.lock_screen

    @Slot()
    def lock(self) -> None:
        if self.is_locked():
            return
        log.info("counter screen locked")
        # A half-typed complaint stays behind the lock (the officer stepped away for a moment); one left for minutes
        # was cleared before this by the clearing watcher, which runs out first.
        self.root.setCurrentWidget(self.lock_screen)
        self.lock_screen.reset()

    @Slot()
    def unlock(self) -> None:
        log.info("counter screen unlocked")
        self.root.setCurrentWidget(self.work)
        self.clear_watch.poke()
        self.lock_watch.poke()

    # ---- the rest ----------------------------------------------------------------------------------------------

    def _show_office(self, name: str) -> None:
        self.office_label.setText(f"{name}  ·  {self._officer}" if name else self._officer)
        if name:
            self.setWindowTitle(self.tr("LAPOR Desk — Service counter — %1").replace("%1", name))

    @Slot(object)
    def show_known_error(self, message: Any) -> None:
        self.message_box = known_error_box(self, message, self.ws.lang)

    def save_state(self) -> None:
        """At log-out and at close: the draft on disk, the window's place remembered."""
        self.intake.save_now()
        self.ws.window_state.save("counter/geometry", self.saveGeometry())
        self.ws.window_state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.clear_watch.stop()
        self.lock_watch.stop()
        self.save_state()  # what a citizen told is on disk before the window goes
        QApplication.setFont(self._normal_font)
        super().closeEvent(event)

    def showEvent(self, event: Any) -> None:
        QApplication.setFont(self._large_font)
        super().showEvent(event)
        screen_fit.keep_on_screen_once_shown(self)
        self.clear_watch.start(self.windowHandle())
        self.lock_watch.start(self.windowHandle())

    def hideEvent(self, event: Any) -> None:
        """Logged out (or minimised): no clearing or locking behind it; after a log-out the next person's window
        gets the usual type."""
        self.clear_watch.stop()
        self.lock_watch.stop()
        if not event.spontaneous():  # hidden by the program (a log-out), not minimised by the person
            QApplication.setFont(self._normal_font)
        super().hideEvent(event)


def label_role(role: str, lang: str) -> str:
    from app.domain import Role

    return label(Role(role), lang)
