"""Start-up and shut-down of the desktop window: ``run(args)`` is what ``lapor-desk`` without a command calls.

The steps are methods of :class:`Startup` (Qt application, logging and error hooks, the store, the set-up wizard,
log-in, the main window), and every modal dialog goes through :class:`Dialogs`, so a test can drive each step
without ``exec()``.

On a PC already set up (its store file exists) the log-in form is the first thing shown, before the data layer is
even imported: SQLAlchemy, the models and the store open on the database thread while the person types, the main
window's packages are imported beside it, and the main window is built, hidden, for the account the form remembers
(:meth:`Startup.log_in_while_opening`; the steps off the GUI thread are in ui.opening). It is shown only after
that account's password is checked; anyone else gets a window built for them. So what a person waits for is Qt and
the form, then the password check. This module therefore imports no data layer at the top.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import __version__, machine_config, plugins
from app.config import DATA_DIR_ENV, resolve_paths
from app.errors import Message
from app.resources import resource_path
from ui import i18n, operations
from ui.crash import CrashReporter, ExceptionHook
from ui.daily_backup import DailyBackups
from ui.logs import close_logging, install_qt_message_handler, log_dir, setup_logging
from ui.opening import (  # noqa: F401 - open_store_or_message: part of this module's interface
    WINDOW_PACKAGES,
    Opening,
    SetupHooks,
    open_for_log_in,
    open_store_or_message,
    preload,
)
from ui.process_hooks import SMOKE_TEST_ENV, quit_on_ctrl_c, relaunch, smoke_test
from ui.settings import HIGH_CONTRAST, LAST_USERNAME, Settings, WindowState, effective_config
from ui.startup_hooks import Dialogs, apply_auto_closures, check_integrity  # noqa: F401 - Dialogs: part of the interface
from ui.style import apply_style, wanted_scheme
from ui.tasks import TaskRunner
from ui.window_build import Prepared, build_window, discard, warm_first_rows
from ui.workspace import ChangeHub, Workspace

if TYPE_CHECKING:
    from app.services.context import ServiceContext
    from app.services.users import UserInfo
    from app.store.db import Store
    from ui.login import LoginDialog
    from ui.main_window import Features, MainWindow

log = logging.getLogger(__name__)

AUTO_CLOSE_INTERVAL_MS = 30 * 60 * 1000
BACKGROUND_FALLBACK_MS = 2000
EXIT_OK, EXIT_STORE = 0, 5  # as the command line's exit codes


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
        # The person's choices over the machine file lapor-desk.toml (app.config_layers); a locked key is IT's.
        self.config = effective_config(self.settings)
        self.lang = self.config.text(machine_config.LANGUAGE)
        self.store: Store | None = None
        self.services: ServiceContext | None = None
        self.tasks: TaskRunner | None = None
        self.hub = ChangeHub()
        self.demo_server: Any = None
        self.auto_close_timer: QTimer | None = None
        self.daily_backups: DailyBackups | None = None
        self.opening: Opening | None = None
        self.prepared: Prepared | None = None
        self.login_dialog: LoginDialog | None = None
        self.workspace: Workspace | None = None
        self.controller: Any = None
        self.window: MainWindow | None = None
        self._background_started = False
        self.stopped = False
        self.restart_wanted = False  # a restore is staged: the program starts again after shutting down

    # ---- the steps -----------------------------------------------------------------------------------------------

    def prepare(self) -> bool:
        """Everything up to the main window on screen; False when the person stopped (or the store is unusable)."""
        if self.qapp is None:
            self.create_app()
        self.start_logging()
        for problem in self.config.problems:  # into this run's log file too, with the file, line and key
            log.warning("configuration problem, value not used: %s", problem.text("en"))
        if self.settings.too_new is not None:
            log.warning("settings file from a newer version: running on the defaults")
            self.dialogs.error(QCoreApplication.translate("Startup", "Settings from a newer LAPOR Desk"),
                               self.settings.too_new.text(self.lang))
        if self.paths.database.exists():
            ready = self.log_in_while_opening()
        else:  # a first start: the wizard makes the store, then the log-in
            ready = self.open_store() and self.run_setup() and self.start_services() and self.log_in()
        return ready and self.show_main_window()

    def create_app(self) -> QApplication:
        existing = QApplication.instance()
        owns = existing is None
        app = existing if isinstance(existing, QApplication) else QApplication([])
        app.setApplicationName("LAPOR Desk")
        app.setOrganizationName("LAPOR Desk")
        app.setApplicationVersion(__version__)
        app.setDesktopFileName("lapor-desk")
        app.setWindowIcon(QIcon(str(resource_path("lapor-desk.svg"))))  # drawn by packaging/make_icon.py
        apply_style(app, wanted_scheme(self.settings.get(HIGH_CONTRAST)))
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

    def run_setup(self, *, needed: bool | None = None) -> bool:
        """The first-start wizard (enrol this PC or try the demo) when the store has no office yet (``needed``:
        already asked)."""
        setup = self.setup or SetupHooks.real()
        self.setup = setup
        assert self.store is not None
        if needed is None:
            needed = setup.needs_setup(self.paths, self.settings, self.store)  # the open store: no second engine
        if not needed:
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
        from app.services.context import ServiceContext

        assert self.store is not None and self.tasks is not None
        self.setup = self.setup or SetupHooks.real()
        ctx = ServiceContext(store=self.store, blob_dir=self.paths.attachments)
        # After the wizard (it may have enrolled); looked up in the background once the window is up.
        ctx.capture = plugins.PluginCapture(self.store, ctx.clock)
        self.services = ctx
        # A demo PC's local server, started again on the network pool (it waits for the server to answer).
        self.tasks.net(self._start_demo_server, self.setup)
        # The first auto-closure runs once the main window is up (show_main_window): queued now, it would hold the
        # database thread while the log-in waits for it.
        self.auto_close_timer = QTimer()
        self.auto_close_timer.setInterval(AUTO_CLOSE_INTERVAL_MS)
        self.auto_close_timer.timeout.connect(self.run_auto_closures)
        self.auto_close_timer.start()
        self.daily_backups = DailyBackups(self.tasks, self.paths, self.settings)  # its first run, like the
        self.daily_backups.start()  # auto-closure's, once the window is up
        return True

    def _start_demo_server(self, setup: SetupHooks) -> None:
        """Network pool. Sets ``demo_server`` from this thread, not through a queued callback: shut-down waits for
        the pool, then stops what is there, even when the event loop never ran the callback."""
        try:
            server = setup.start_demo_server(self.paths, self.settings)
        except Exception as exc:  # noqa: BLE001 - the demo works without its server; sync just stays offline
            log.warning("demo server did not start: %s", type(exc).__name__)
            return
        if server is not None:
            self.demo_server = server

    def run_auto_closures(self) -> None:
        """Close followed-up complaints whose response window ran out (database thread)."""
        assert self.tasks is not None and self.services is not None
        assert self.hub is not None
        operations.change_complaints(self.tasks, self.hub, apply_auto_closures, self.services,
                                     changed=lambda closed: closed or None, on_success=self._auto_closed,
                                     on_failure=lambda exc: log.warning("auto-closure failed: %s",
                                                                        type(exc).__name__))

    def _auto_closed(self, closed: list[str]) -> None:
        if closed:
            log.info("auto-closed %d complaint(s) whose response window ended", len(closed))

    def log_in(self) -> bool:
        """The log-in form over an open store (after the first-start wizard)."""
        from ui.login import LoginDialog

        assert self.services is not None and self.tasks is not None
        dialog = LoginDialog(self.services, self.tasks, self.settings, self.lang)
        self.login_dialog = dialog
        self._preload_window()
        if not self.dialogs.run(dialog) or dialog.user is None:
            log.info("log-in cancelled")
            return False
        self._logged_in(dialog.user)
        return True

    def log_in_while_opening(self) -> bool:
        """A PC already set up: the log-in form at once, while the database thread imports the data layer and opens
        the store (:func:`open_for_log_in`); the form logs in once the store is open. A store that cannot be used
        closes the form and says why; one that still needs the wizard gets it, then the log-in again."""
        from ui.login import LoginDialog

        assert self.tasks is not None
        dialog = LoginDialog(None, self.tasks, self.settings, self.lang)
        self.login_dialog = dialog
        self.opening = Opening()
        done: list[Opening] = []

        def opened(result: Opening) -> None:
            if self.stopped:
                return  # delivered after the person quit and start-up shut down (which closed the store)
            done.append(result)
            self.store = result.store
            if not result.usable:
                dialog.withdraw()  # stop waiting for a log-in that cannot happen (handled below)
                return
            self.start_services()
            assert self.services is not None
            dialog.attach(self.services)
            self._preload_window(then=lambda: self.prepare_window(result.remembered))

        self.tasks.db(open_for_log_in, self.opening, self.paths, self.settings, self.setup,
                      self.settings.get(LAST_USERNAME), on_success=opened)
        accepted = (not done or done[0].usable) and self.dialogs.run(dialog) and dialog.user is not None
        if not done:  # quit before the store was open: shut-down closes it
            log.info("log-in cancelled")
            return False
        result = done[0]
        if result.error is not None:
            raise result.error
        if result.problem is not None:
            log.error("store cannot be opened")
            self.dialogs.error(QCoreApplication.translate("Startup", "LAPOR Desk cannot open its database"),
                               result.problem.text(self.lang))
            return False
        if result.needs_setup:
            log.info("the store still needs set-up: showing the wizard before the log-in")
            return self.run_setup(needed=True) and self.start_services() and self.log_in()
        if not accepted:
            log.info("log-in cancelled")
            return False
        assert dialog.user is not None
        self._logged_in(dialog.user)
        return True

    def _logged_in(self, user: UserInfo) -> None:
        log.info("logged in: user %s (%s)", user.id, user.role)
        prepared = self.prepared
        if prepared is not None and prepared.workspace.user.id == user.id:
            prepared.workspace.user = user  # the account as the password check read it
            self.workspace = prepared.workspace
            return
        self.workspace = self._new_workspace(user)

    def _new_workspace(self, user: UserInfo) -> Workspace:
        assert self.store is not None and self.services is not None and self.tasks is not None
        return Workspace(
            paths=self.paths, store=self.store, services=self.services, user=user, tasks=self.tasks, hub=self.hub,
            settings=self.settings, window_state=WindowState(self.window_state_path(user.id)), lang=self.lang)

    def window_state_path(self, user_id: str) -> Path:
        """Each account's own window layout and last view (people sharing a PC each find theirs). The one file of
        earlier versions becomes the starting point of each account's."""
        path = self.paths.data_dir / "window-state" / f"{user_id}.ini"
        shared = self.paths.data_dir / "window-state.ini"
        if not path.exists() and shared.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shared, path)
        return path

    def _preload_window(self, then: Callable[[], None] | None = None) -> None:
        """The main window's packages, imported on the network pool while the person types (and while the password
        check runs on the database thread); the window's own imports then find them loaded. ``then`` runs on the
        GUI thread once they are."""
        assert self.tasks is not None
        self.tasks.net(preload, WINDOW_PACKAGES if self.features is None else (),
                       on_success=(lambda _none: then()) if then is not None else None)

    def prepare_window(self, user: UserInfo | None) -> None:
        """While the person types: the main window for the account the log-in remembers, built hidden, its first
        rows read. :meth:`show_main_window` shows it if that account is who logs in; otherwise it is thrown away.
        Nothing in it is visible before the password check."""
        if user is None or self.stopped or self.workspace is not None or self.prepared is not None:
            return  # no account to prepare for, or logged in already (the window is then built for the person)
        log.info("preparing the window for user %s while the log-in waits", user.id)
        self.prepared = self._build_window(self._new_workspace(user))
        warm_first_rows(self.prepared.window)

    def _build_window(self, ws: Workspace) -> Prepared:
        from ui.main_window import Features

        self.features = self.features or Features.real()
        return build_window(ws, self.features, crash=self.crash,
                            log_dir=self.log_path.parent if self.log_path else None)

    def _discard(self, prepared: Prepared) -> None:
        discard(prepared, self.crash)

    def show_main_window(self) -> bool:
        from PySide6.QtCore import Qt  # not at the top: the form comes first (ui.crash says why)

        ws = self.workspace
        assert ws is not None
        prepared, self.prepared = self.prepared, None
        if prepared is not None and prepared.workspace is not ws:
            self._discard(prepared)
            prepared = None
        built = prepared or self._build_window(ws)
        self.controller, self.window = built.controller, built.window
        if self.crash is not None:
            self.crash.window = self.window
        self.window.switch_user_requested.connect(lambda: QTimer.singleShot(0, self.switch_user))
        restart = getattr(self.window, "restart_requested", None)  # the counter's window has none
        if restart is not None:
            restart.connect(self.restart)
        self.window.show()
        start = getattr(self.window.notifier, "start", None)
        if start is not None:
            start()
        if not self._background_started:
            # Once the first rows are on screen (the list's first answer, then the paint it asks for), behind the
            # navigation's counts on the database thread: the change capture's plugins, the auto-closure, the
            # whole-file check; once per run, not again for the next person logging in. Without a list answer (a
            # failed query, a stand-in list, the counter) a timer starts them.
            timer = QTimer(self.window)  # goes with the window
            timer.setSingleShot(True)
            timer.timeout.connect(self._after_first_screen)
            model = getattr(getattr(self.window, "complaint_list", None), "model", None)
            loaded = getattr(model, "loaded", None)
            if loaded is not None and not getattr(model, "has_data", False):
                loaded.connect(lambda: timer.start(0), Qt.ConnectionType.SingleShotConnection)
                timer.start(BACKGROUND_FALLBACK_MS)
            else:  # no list answer to wait for, or a prepared window's rows are in already
                timer.start(0)
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
        if self.daily_backups is not None:
            self.daily_backups.run()
        self.tasks.db(check_integrity, self.store, self.paths.backups,
                      on_success=lambda _none: log.info("store integrity check: ok"))

    def restart(self) -> None:
        """Close the window (its state saved) and the program, which :func:`run` then starts again."""
        log.info("closing to restart")
        self.restart_wanted = True
        if self.window is not None:
            self.window.close()
        if self.qapp is not None:
            self.qapp.quit()

    # ---- another person ------------------------------------------------------------------------------------------

    def switch_user(self) -> None:
        """Log out: the window goes (its layout saved for this account), the log-in form comes back with no name
        filled in, and whoever logs in gets their own window. Cancelling the form ends the program. The store, the
        database thread and the background timers stay as they are; only the person changes."""
        if self.window is None or self.stopped or self.workspace is None:
            return
        log.info("logging out user %s", self.workspace.user.id)
        window, controller = self.window, self.controller
        window.save_state()
        self.workspace.window_state.sync()
        if controller is not None:
            controller.stop()
        stop_notes = getattr(getattr(window, "notifier", None), "stop", None)
        if stop_notes is not None:
            stop_notes()
        if self.crash is not None and self.crash.window is window:
            self.crash.window = None
        self.window = self.controller = self.workspace = None
        assert self.qapp is not None and self.services is not None and self.tasks is not None
        quits_on_close = self.qapp.quitOnLastWindowClosed()
        self.qapp.setQuitOnLastWindowClosed(False)  # between the two windows only the form is up
        try:
            window.hide()
            window.deleteLater()
            from ui.login import LoginDialog

            dialog = LoginDialog(self.services, self.tasks, self.settings, self.lang)
            dialog.username.clear()
            dialog.username.setFocus()
            self.login_dialog = dialog
            if not self.dialogs.run(dialog) or dialog.user is None:
                log.info("log-in cancelled after a log-out: closing")
                self.qapp.quit()
                return
            self._logged_in(dialog.user)
            self.show_main_window()
        finally:
            self.qapp.setQuitOnLastWindowClosed(quits_on_close)

    # ---- the end -------------------------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop sync and timers, finish queued database work, close the store. Safe to call more than once."""
        log.info("shutting down")
        self.stopped = True
        if self.auto_close_timer is not None:
            self.auto_close_timer.stop()
        if self.daily_backups is not None:
            self.daily_backups.stop()
        if self.controller is not None:
            self.controller.stop()
        if self.prepared is not None:
            self._discard(self.prepared)
            self.prepared = None
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
        opened_late = self.opening.store if self.opening is not None else None
        for store in {id(s): s for s in (self.store, opened_late) if s is not None}.values():
            store.close()  # the open store; or one that opened after the person quit the log-in
        self.store = None
        self.settings.sync()
        if self.workspace is not None:
            self.workspace.window_state.sync()
        if self.hook is not None:
            self.hook.uninstall()
            self.hook = None
        log.info("stopped")
        close_logging()


def run(args: Any) -> int:
    """Open the desktop window; returns the process's exit code."""
    startup = Startup(args)
    app = startup.create_app()
    undo_ctrl_c = quit_on_ctrl_c(app)
    if os.environ.get(SMOKE_TEST_ENV):
        smoke_test(app, float(os.environ[SMOKE_TEST_ENV]))
    try:
        if not startup.prepare():
            return EXIT_STORE if startup.store is None else EXIT_OK
        assert startup.qapp is not None
        return startup.qapp.exec()
    finally:
        startup.shutdown()
        undo_ctrl_c()
        if startup.restart_wanted:
            relaunch()  # the store is closed: the new process restores the staged backup before opening it
