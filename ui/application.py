"""Start-up and shut-down of the desktop window: ``run(args)`` is what ``lapor-desk`` without a command calls.

The steps are methods of :class:`Startup` (Qt application, logging and error hooks, the store, the set-up wizard,
log-in, the main window), and every modal dialog goes through :class:`Dialogs`, so a test can drive each step
without ``exec()``.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# isort: off
# The core before Qt, on purpose: once PySide6 is imported, its import hook reads the source of every module
# imported after it (looking for ``from __feature__ import``), ~0.15 s of start-up over SQLAlchemy's modules.
import app.queries  # noqa: F401 - the list's queries, with SQLAlchemy's SQLite dialect (the store's)
from app import __version__, plugins
from app.config import DATA_DIR_ENV, Paths, resolve_paths
from app.db import Store, check_integrity, open_store
from app.errors import Message, StoreError
from app.services.autoclose import apply_auto_closures
from app.services.context import ServiceContext

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
# isort: on

from ui import i18n
from ui.crash import CrashReporter, ExceptionHook
from ui.logs import close_logging, install_qt_message_handler, log_dir, setup_logging
from ui.main_window import Features, MainWindow
from ui.settings import LANGUAGE, LANGUAGES, Settings, WindowState
from ui.style import apply_style
from ui.tasks import TaskRunner, is_known_error, known_error_message
from ui.workspace import ChangeHub, Workspace

log = logging.getLogger(__name__)

AUTO_CLOSE_INTERVAL_MS = 30 * 60 * 1000
BACKGROUND_FALLBACK_MS = 2000
# The main window's feature packages (Features.real), imported while the log-in waits for the person.
WINDOW_PACKAGES = ("ui.complaints", "ui.detail", "ui.sync")
EXIT_OK, EXIT_STORE = 0, 5  # as the command line's exit codes


@dataclass
class SetupHooks:
    """The first-start wizard and the demo's local server (ui.setup), replaceable in tests."""

    needs_setup: Callable[[Paths, Settings, Store], bool]
    wizard: Callable[..., QDialog]
    start_demo_server: Callable[[Paths, Settings], Any]

    @classmethod
    def real(cls) -> SetupHooks:
        from ui import setup  # cheap: the wizard itself is imported only when it is shown

        return cls(setup.needs_setup, _setup_wizard, setup.start_demo_server_if_needed)


def _setup_wizard(paths: Paths, settings: Settings) -> QDialog:
    from ui.setup.wizard import SetupWizard

    return SetupWizard(paths, settings)


class Dialogs:
    """How start-up shows its modal steps. The program exec()s them; tests drive them instead."""

    def run(self, dialog: QDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(None, title, text)


def open_store_or_message(paths: Paths) -> Store | Message:
    """Open the store; a damaged, too new or unusable file gives the message saying what to do."""
    try:
        # Every page is read in the background once the window is up (check_integrity), not before it opens.
        return open_store(paths.database, backup_dir=paths.backups, quick_check=False)
    except StoreError as exc:
        log.error("store cannot be opened: %s", type(exc).__name__)
        return exc.message
    except OSError as exc:
        if not is_known_error(exc):
            raise
        log.error("store cannot be opened: errno %s", exc.errno)
        return known_error_message(exc)


class Startup:
    """The window's life from start to shut-down; :meth:`prepare` runs the steps in order."""

    def __init__(self, args: Any, *, features: Features | None = None, setup: SetupHooks | None = None,
                 dialogs: Dialogs | None = None, synchronous: bool = False) -> None:
        data_dir = getattr(args, "data_dir", None)
        self.paths = resolve_paths(data_dir)
        self.explicit_data_dir = bool(data_dir or os.environ.get(DATA_DIR_ENV))
        self.features = features
        self.setup = setup
        self.dialogs = dialogs or Dialogs()
        self.synchronous = synchronous
        self.qapp: QApplication | None = None
        self.log_path: Path | None = None
        self.hook: ExceptionHook | None = None
        self.crash: CrashReporter | None = None
        self.settings = Settings(self.paths.data_dir / "settings.ini")
        self.lang = self.settings.get(LANGUAGE) if self.settings.get(LANGUAGE) in LANGUAGES else "id"
        self.store: Store | None = None
        self.services: ServiceContext | None = None
        self.tasks: TaskRunner | None = None
        self.hub = ChangeHub()
        self.demo_server: Any = None
        self.auto_close_timer: QTimer | None = None
        self.workspace: Workspace | None = None
        self.controller: Any = None
        self.window: MainWindow | None = None
        self._background_started = False

    # ---- the steps -----------------------------------------------------------------------------------------------

    def prepare(self) -> bool:
        """Everything up to the main window on screen; False when the person stopped (or the store is unusable)."""
        if self.qapp is None:
            self.create_app()
        self.start_logging()
        return (self.open_store() and self.run_setup() and self.start_services() and self.log_in()
                and self.show_main_window())

    def create_app(self) -> QApplication:
        existing = QApplication.instance()
        owns = existing is None
        app = existing if isinstance(existing, QApplication) else QApplication([])
        app.setApplicationName("LAPOR Desk")
        app.setOrganizationName("LAPOR Desk")
        app.setApplicationVersion(__version__)
        app.setDesktopFileName("lapor-desk")
        apply_style(app)
        i18n.install(app, self.lang)
        if owns:
            install_qt_message_handler()  # not under pytest-qt, which watches Qt's warnings itself
        self.qapp = app
        return app

    def start_logging(self) -> None:
        self.log_path = setup_logging(log_dir(self.paths, explicit_data_dir=self.explicit_data_dir))
        log.info("LAPOR Desk %s starting (language %s)", __version__, self.lang)
        self.crash = CrashReporter(self.log_path)
        self.hook = ExceptionHook()
        self.hook.bug.connect(self.crash.show_bug)
        self.tasks = TaskRunner(synchronous=self.synchronous)
        self.tasks.bug.connect(self.crash.show_bug)

    def open_store(self) -> bool:
        result = open_store_or_message(self.paths)
        if isinstance(result, Message):
            title = QCoreApplication.translate("Startup", "LAPOR Desk cannot open its database")
            self.dialogs.error(title, result.text(self.lang))
            return False
        self.store = result
        return True

    def run_setup(self) -> bool:
        """The first-start wizard (enrol this PC or try the demo) when the store has no office yet."""
        setup = self.setup or SetupHooks.real()
        self.setup = setup
        assert self.store is not None
        if not setup.needs_setup(self.paths, self.settings, self.store):  # the open store: no second engine
            return True
        log.info("first start: showing the set-up wizard")
        wizard = setup.wizard(self.paths, self.settings)
        if not self.dialogs.run(wizard):
            log.info("set-up cancelled")
            return False
        self.settings.sync()
        self.demo_server = getattr(wizard, "demo_server", None)  # a demo's server keeps running: stop it at exit
        return True

    def start_services(self) -> bool:
        """The services' context (with change capture on an enrolled PC), the demo server, the auto-closure timer."""
        assert self.store is not None and self.tasks is not None and self.setup is not None
        ctx = ServiceContext(store=self.store, blob_dir=self.paths.attachments)
        # After the wizard (it may have enrolled); looked up in the background once the window is up.
        ctx.capture = plugins.PluginCapture(self.store, ctx.clock)
        self.services = ctx
        try:
            self.demo_server = self.setup.start_demo_server(self.paths, self.settings) or self.demo_server
        except Exception as exc:  # the demo works without its server; sync just stays offline
            log.warning("demo server did not start: %s", type(exc).__name__)
        # The first auto-closure runs once the main window is up (show_main_window): queued now, it would hold the
        # database thread while the log-in waits for it.
        self.auto_close_timer = QTimer()
        self.auto_close_timer.setInterval(AUTO_CLOSE_INTERVAL_MS)
        self.auto_close_timer.timeout.connect(self.run_auto_closures)
        self.auto_close_timer.start()
        return True

    def run_auto_closures(self) -> None:
        """Close followed-up complaints whose response window ran out (database thread)."""
        assert self.tasks is not None and self.services is not None
        self.tasks.db(apply_auto_closures, self.services, on_success=self._auto_closed,
                      on_failure=lambda exc: log.warning("auto-closure failed: %s", type(exc).__name__))

    def _auto_closed(self, closed: list[str]) -> None:
        if closed:
            log.info("auto-closed %d complaint(s) whose response window ended", len(closed))
            self.hub.complaints_changed.emit(list(closed))

    def log_in(self) -> bool:
        from ui.login import LoginDialog

        assert self.services is not None and self.tasks is not None
        dialog = LoginDialog(self.services, self.tasks, self.settings, self.lang)
        self.login_dialog = dialog
        if self.features is None:
            self._preload(list(WINDOW_PACKAGES))
        if not self.dialogs.run(dialog) or dialog.user is None:
            log.info("log-in cancelled")
            return False
        user = dialog.user
        log.info("logged in: user %s (%s)", user.id, user.role)
        assert self.store is not None
        self.workspace = Workspace(
            paths=self.paths, store=self.store, services=self.services, user=user, tasks=self.tasks, hub=self.hub,
            settings=self.settings, window_state=WindowState(self.paths.data_dir / "window-state.ini"),
            lang=self.lang)
        return True

    def _preload(self, packages: list[str]) -> None:
        """Import the main window's packages in the event loop's idle turns, one per turn so that typing stays
        responsive, while the person types (and while the password check runs on the database thread)."""
        if not packages:
            return

        def next_package() -> None:
            importlib.import_module(packages[0])
            self._preload(packages[1:])

        QTimer.singleShot(0, next_package)

    def show_main_window(self) -> bool:
        ws = self.workspace
        assert ws is not None
        features = self.features or Features.real()
        self.features = features
        self.controller = features.sync_controller(ws)
        ws.extras["sync"] = self.controller
        self.window = MainWindow(ws, features, self.controller, crash=self.crash,
                                 log_dir=self.log_path.parent if self.log_path else None)
        self.window.show()
        start = getattr(self.window.notifier, "start", None)
        if start is not None:
            start()
        # Once the first rows are on screen (the list's first answer, then the paint it asks for), behind the
        # navigation's counts on the database thread: the change capture's plugins, the auto-closure, the whole-file
        # check. Without a list answer (a failed query, a stand-in list) a timer starts them.
        self._background_started = False
        timer = QTimer(self.window)  # goes with the window
        timer.setSingleShot(True)
        timer.timeout.connect(self._after_first_screen)
        loaded = getattr(getattr(self.window.complaint_list, "model", None), "loaded", None)
        if loaded is not None:
            loaded.connect(lambda: timer.start(0), Qt.ConnectionType.SingleShotConnection)
        timer.start(0 if loaded is None else BACKGROUND_FALLBACK_MS)
        self.controller.refresh_status()
        if self.controller.configured:
            self.controller.start_auto()
        return True

    def _after_first_screen(self) -> None:
        if self._background_started or self.store is None or self.tasks is None or self.services is None:
            return  # done already, or shut down
        self._background_started = True
        resolve = getattr(self.services.capture, "resolve", None)
        if resolve is not None:
            self.tasks.db(resolve)
        self.run_auto_closures()
        self.tasks.db(check_integrity, self.store, self.paths.backups,
                      on_success=lambda _none: log.info("store integrity check: ok"))

    # ---- the end -------------------------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop sync and timers, finish queued database work, close the store. Safe to call more than once."""
        log.info("shutting down")
        if self.auto_close_timer is not None:
            self.auto_close_timer.stop()
        if self.controller is not None:
            self.controller.stop()
        stop_notes = getattr(getattr(self.window, "notifier", None), "stop", None)
        if stop_notes is not None:
            stop_notes()
        if self.tasks is not None:
            self.tasks.shutdown(wait=True)
        if self.demo_server is not None:
            try:
                self.demo_server.stop()
            except Exception:  # noqa: BLE001 - nothing left to do about it at exit
                log.warning("demo server did not stop cleanly", exc_info=True)
            self.demo_server = None
        if self.store is not None:
            self.store.close()
            self.store = None
        self.settings.sync()
        if self.workspace is not None:
            self.workspace.window_state.sync()
        if self.hook is not None:
            self.hook.uninstall()
            self.hook = None
        log.info("stopped")
        close_logging()


def _quit_on_ctrl_c(app: QApplication) -> Callable[[], None]:
    """Ctrl+C in the terminal (``make run``) closes the window cleanly: Python only sees the signal when it runs,
    so a timer lets it run now and then. Returns what undoes it."""
    previous = signal.signal(signal.SIGINT, lambda *_args: app.closeAllWindows())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(500)

    def undo() -> None:
        timer.stop()
        timer.deleteLater()
        signal.signal(signal.SIGINT, previous)

    return undo


SMOKE_TEST_ENV = "LAPOR_DESK_SMOKE_TEST"  # seconds: show the first window, say which, then close (packaging check)


def _smoke_test(app: QApplication, seconds: float) -> None:
    def report_and_close() -> None:
        shown = [w for w in app.topLevelWidgets() if w.isVisible()]
        names = ", ".join(sorted({type(w).__name__ for w in shown})) or "none"
        print(f"smoke test: visible windows: {names}", flush=True)
        app.closeAllWindows()

    QTimer.singleShot(int(seconds * 1000), report_and_close)


def run(args: Any) -> int:
    """Open the desktop window; returns the process's exit code."""
    startup = Startup(args)
    app = startup.create_app()
    undo_ctrl_c = _quit_on_ctrl_c(app)
    if os.environ.get(SMOKE_TEST_ENV):
        _smoke_test(app, float(os.environ[SMOKE_TEST_ENV]))
    try:
        if not startup.prepare():
            return EXIT_STORE if startup.store is None else EXIT_OK
        assert startup.qapp is not None
        return startup.qapp.exec()
    finally:
        startup.shutdown()
        undo_ctrl_c()
