"""Start-up, driven step by step without exec(): the store check, the wizard, log-in, the main window, shut-down."""

from __future__ import annotations

import signal
import sqlite3
from argparse import Namespace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog

from app.errors import Message
from tests.helpers.world import PASSWORD, FakeClock, World, build_world
from tests.ui.test_main_window import FakeController, fake_features
from ui import application
from ui.application import AUTO_CLOSE_INTERVAL_MS, Dialogs, SetupHooks, Startup, open_store_or_message
from ui.login import LoginDialog
from ui.settings import Settings
from ui.style import ACCENT
from ui.tasks import TaskRunner

pytestmark = pytest.mark.usefixtures("keep_app_as_it_was")


class DrivenDialogs(Dialogs):
    """Answers the start-up dialogs the way a person would, and remembers what was shown."""

    def __init__(self, *, username: str = "user.admin_instansi", password: str = PASSWORD,
                 on_wizard: Any = None) -> None:
        self.username = username
        self.password = password
        self.on_wizard = on_wizard
        self.shown: list[QDialog] = []
        self.errors: list[tuple[str, str]] = []

    def run(self, dialog: QDialog) -> bool:
        self.shown.append(dialog)
        dialog.show()
        if isinstance(dialog, LoginDialog):
            dialog.username.setText(self.username)
            dialog.password.setText(self.password)
            dialog.submit()
            return dialog.result() == QDialog.DialogCode.Accepted
        accepted = bool(self.on_wizard and self.on_wizard(dialog))
        dialog.close()
        return accepted

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))


def _has_office(store_path: Path) -> bool:
    conn = sqlite3.connect(store_path)
    try:
        return conn.execute("SELECT count(*) FROM store_meta WHERE key = 'home_office_id'").fetchone()[0] > 0
    finally:
        conn.close()


def fake_setup(demo_server: Any = None) -> SetupHooks:
    return SetupHooks(needs_setup=lambda paths, settings, _store: not _has_office(paths.database),
                      wizard=lambda paths, settings, parent=None: QDialog(parent),
                      start_demo_server=lambda paths, settings: demo_server)


def _startup(data_dir: Path, dialogs: Dialogs, **kwargs: Any) -> Startup:
    return Startup(Namespace(data_dir=str(data_dir)), dialogs=dialogs, synchronous=True, **kwargs)


def test_a_corrupt_store_is_a_message_not_a_crash(data_dir: Path) -> None:
    (data_dir / "lapor-desk.sqlite3").write_bytes(b"this is not a database at all" * 100)
    message = open_store_or_message(application.resolve_paths(data_dir))
    assert isinstance(message, Message) and "tidak dapat dibaca" in message.id and "Traceback" not in message.id

    dialogs = DrivenDialogs()
    startup = _startup(data_dir, dialogs, features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare() is False
    finally:
        startup.shutdown()
    assert len(dialogs.errors) == 1 and "tidak dapat dibaca" in dialogs.errors[0][1]
    assert dialogs.shown == []  # neither wizard nor log-in
    assert (data_dir / "lapor-desk.sqlite3").read_bytes().startswith(b"this is not")  # never overwritten


def test_a_store_from_a_newer_version_says_to_update(data_dir: Path) -> None:
    conn = sqlite3.connect(data_dir / "lapor-desk.sqlite3")
    conn.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    conn.commit()
    conn.close()
    message = open_store_or_message(application.resolve_paths(data_dir))
    assert isinstance(message, Message) and "versi terbaru" in message.id


def test_run_returns_the_store_exit_code_without_showing_a_window(data_dir: Path,  # type: ignore[no-untyped-def]
                                                                  monkeypatch) -> None:
    (data_dir / "lapor-desk.sqlite3").write_bytes(b"garbage" * 100)
    shown: list[str] = []
    monkeypatch.setattr(Dialogs, "error", lambda self, title, text: shown.append(text))
    before = signal.getsignal(signal.SIGINT)
    assert application.run(Namespace(data_dir=str(data_dir))) == application.EXIT_STORE
    assert shown and "tidak dapat dibaca" in shown[0]
    assert signal.getsignal(signal.SIGINT) is before  # Ctrl+C handling is given back


def test_first_start_runs_the_wizard_then_log_in_then_the_window(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                  monkeypatch) -> None:
    closures: list[object] = []
    monkeypatch.setattr(application, "apply_auto_closures", lambda ctx: closures.append(ctx) or [])
    checked: list[object] = []
    monkeypatch.setattr(application, "check_integrity", lambda store, backups: checked.append(store))

    class DemoServer:
        stopped = False

        def stop(self) -> None:
            DemoServer.stopped = True

    startup: Startup

    def wizard_enrols(dialog: QDialog) -> bool:  # what the wizard leaves behind: an office with accounts
        assert startup.store is not None
        build_world(startup.store, FakeClock(), blob_dir=data_dir / "attachments")
        return True

    dialogs = DrivenDialogs(on_wizard=wizard_enrols)
    startup = _startup(data_dir, dialogs, features=fake_features(), setup=fake_setup(DemoServer()))
    try:
        assert startup.prepare() is True
        assert [type(d).__name__ for d in dialogs.shown] == ["QDialog", "LoginDialog"]
        assert startup.qapp is QApplication.instance() and startup.qapp.applicationName() == "LAPOR Desk"
        assert startup.qapp.palette().highlight().color().name() == ACCENT
        assert dialogs.shown[-1].styleSheet()  # the forms are styled on their own (no application sheet)
        window = startup.window
        assert window is not None and window.isVisible()
        qtbot.add_widget(window)
        assert startup.workspace is not None and startup.workspace.user.username == "user.admin_instansi"
        assert startup.workspace.extras["sync"] is startup.controller
        assert isinstance(startup.controller, FakeController) and startup.controller.auto == 1
        # Once the first screen is up: the auto-closure and the whole-file check, in the background.
        assert closures == [] and checked == []
        qtbot.wait_until(lambda: bool(closures and checked))
        assert closures == [startup.services] and checked == [startup.store]  # auto-closure at start...
        assert startup.auto_close_timer is not None and startup.auto_close_timer.interval() == AUTO_CLOSE_INTERVAL_MS
        startup.auto_close_timer.timeout.emit()  # ...and every 30 minutes
        assert len(closures) == 2
        assert startup.log_path is not None and startup.log_path.parent == data_dir / "logs"
        window.close()
    finally:
        startup.shutdown()
    assert startup.controller.stopped and DemoServer.stopped and startup.store is None
    logged = (data_dir / "logs" / "lapor-desk.log").read_text(encoding="utf-8")
    assert "logged in: user" in logged and "Petugas" not in logged  # ids, never names


def test_cancelling_the_wizard_or_the_log_in_ends_quietly(data_dir: Path, world: World) -> None:
    dialogs = DrivenDialogs(password="salah-sekali1")
    startup = _startup(data_dir, dialogs, features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare() is False
    finally:
        startup.shutdown()
    assert [type(d).__name__ for d in dialogs.shown] == ["LoginDialog"]  # the world has an office: no wizard
    assert startup.window is None and dialogs.errors == []


def test_settings_of_a_newer_version_are_reported_and_the_window_still_starts(data_dir: Path,
                                                                               world: World) -> None:
    qs = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
    qs.setValue("meta/version", 99)
    qs.setValue("ui/language", "en")
    qs.sync()
    dialogs = DrivenDialogs()
    startup = _startup(data_dir, dialogs, features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare() is True and startup.window is not None
        startup.window.close()
    finally:
        startup.shutdown()
    assert len(dialogs.errors) == 1 and "versi LAPOR Desk yang lebih baru" in dialogs.errors[0][1]
    assert startup.lang == "id"  # the defaults, not the newer file's choice
    assert QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat).value("meta/version") in (99, "99")


def test_the_log_in_remembers_the_last_user(data_dir: Path, world: World) -> None:
    startup = _startup(data_dir, DrivenDialogs(), features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare()
        assert startup.window is not None
        startup.window.close()
    finally:
        startup.shutdown()
    second = DrivenDialogs(password="salah-sekali1")
    again = _startup(data_dir, second, features=fake_features(), setup=fake_setup())
    try:
        again.prepare()
    finally:
        again.shutdown()
    login = second.shown[0]
    assert isinstance(login, LoginDialog) and login.username.text() == "user.admin_instansi"


# ---- with the real wizard and feature widgets -------------------------------------------------------------------


def test_real_wizard_is_offered_on_an_empty_store(data_dir: Path) -> None:
    dialogs = DrivenDialogs(on_wizard=lambda dialog: False)
    startup = _startup(data_dir, dialogs, features=fake_features())
    try:
        assert startup.prepare() is False
    finally:
        startup.shutdown()
    from ui.setup import SetupWizard

    assert len(dialogs.shown) == 1 and isinstance(dialogs.shown[0], SetupWizard)


def test_real_window_after_log_in(qtbot, data_dir: Path, world: World) -> None:  # type: ignore[no-untyped-def]
    startup = _startup(data_dir, DrivenDialogs())
    try:
        assert startup.prepare() is True
        window = startup.window
        assert window is not None and window.isVisible()
        qtbot.add_widget(window)
        from ui.complaints import ComplaintListWidget

        assert isinstance(window.complaint_list, ComplaintListWidget)
        # No application style sheet: with one, every widget of the list and the detail panel is built through
        # QStyleSheetStyle, twice the work (ui.style); the forms and the chrome carry their own.
        assert startup.qapp is not None and startup.qapp.styleSheet() == ""
        for widget in (window.complaint_list.table, window.detail):
            assert widget.style().metaObject().className() != "QStyleSheetStyle"
        assert window.toolbar.styleSheet() and window.nav.styleSheet() and window.lock_screen.styleSheet()
        window.close()
    finally:
        startup.shutdown()


# ---- a PC already set up: the log-in form first, the store opening behind it -----------------------------------


class Gate:
    """Holds the store's opening on the database thread until the test lets it go."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import threading

        self.event = threading.Event()
        real = application.open_for_log_in

        def held(*args: Any, **kwargs: Any) -> Any:
            assert self.event.wait(20), "the test never let the store open"
            return real(*args, **kwargs)

        monkeypatch.setattr(application, "open_for_log_in", held)


def _async_startup(data_dir: Path, dialogs: Dialogs) -> Startup:
    return Startup(Namespace(data_dir=str(data_dir)), dialogs=dialogs, features=fake_features(), setup=fake_setup())


def test_the_log_in_form_needs_no_data_layer() -> None:
    """What the person waits for before the form: Qt and the window's light modules, not SQLAlchemy or Argon2."""
    import subprocess
    import sys

    code = ("import sys; import app.cli, ui.plugin, ui.application, ui.login; "
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('sqlalchemy', 'alembic', 'argon2', 'pydantic', 'sync') or m in ('app.store.db', 'app.models'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_log_in_pressed_while_the_store_opens_goes_on_once_it_is_open(qtbot, data_dir: Path, world: World,  # type: ignore[no-untyped-def]
                                                                       monkeypatch) -> None:
    gate = Gate(monkeypatch)
    seen: dict[str, Any] = {}

    class Early(DrivenDialogs):
        def run(self, dialog: QDialog) -> bool:
            self.shown.append(dialog)
            dialog.show()
            assert isinstance(dialog, LoginDialog)
            seen["store_at_form"] = startup.store  # the form is up before the store is open
            dialog.username.setText(self.username)
            dialog.password.setText(self.password)
            dialog.submit()
            seen["hint"] = dialog.hint.text() if dialog.hint.isVisible() else ""
            seen["button"] = dialog.login_button.isEnabled()
            gate.event.set()
            qtbot.wait_until(lambda: not dialog.isVisible(), timeout=20_000)
            return dialog.result() == QDialog.DialogCode.Accepted

    dialogs = Early()
    startup = _async_startup(data_dir, dialogs)
    try:
        assert startup.prepare() is True
        assert seen["store_at_form"] is None
        assert seen["hint"] and seen["button"] is False  # says it is opening the data; no second click
        assert startup.workspace is not None and startup.workspace.user.username == "user.admin_instansi"
        assert startup.window is not None and startup.window.isVisible()
        qtbot.add_widget(startup.window)
        startup.window.close()
    finally:
        startup.shutdown()


def test_a_wrong_password_typed_while_the_store_opens_is_refused_once_open(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                            world: World, monkeypatch) -> None:
    gate = Gate(monkeypatch)
    errors: list[str] = []

    class Wrong(DrivenDialogs):
        def run(self, dialog: QDialog) -> bool:
            assert isinstance(dialog, LoginDialog)
            dialog.show()
            dialog.username.setText(self.username)
            dialog.password.setText("salah-sekali1")
            dialog.submit()
            gate.event.set()
            qtbot.wait_until(lambda: dialog.error.isVisible(), timeout=20_000)
            errors.append(dialog.error.text())
            assert dialog.login_button.isEnabled() and not dialog.hint.isVisible()
            dialog.reject()
            return False

    startup = _async_startup(data_dir, Wrong())
    try:
        assert startup.prepare() is False
    finally:
        startup.shutdown()
    assert errors and errors[0]  # the service's words (wrong name or password), shown in the form


def test_an_unusable_store_closes_the_form_and_says_why(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    (data_dir / "lapor-desk.sqlite3").write_bytes(b"this is not a database at all" * 100)

    class Waiting(DrivenDialogs):
        def run(self, dialog: QDialog) -> bool:
            self.shown.append(dialog)
            dialog.show()
            # Closed by start-up, not the person: as soon as the store turns out unusable (the data layer's first
            # import on a loaded machine can take long; the wait ends the moment the form closes).
            qtbot.wait_until(lambda: not dialog.isVisible(), timeout=60_000)
            return dialog.result() == QDialog.DialogCode.Accepted

    dialogs = Waiting()
    startup = _async_startup(data_dir, dialogs)
    try:
        assert startup.prepare() is False
    finally:
        startup.shutdown()
    assert [type(d).__name__ for d in dialogs.shown] == ["LoginDialog"]
    assert len(dialogs.errors) == 1 and "tidak dapat dibaca" in dialogs.errors[0][1]


def test_a_form_withdrawn_before_it_is_shown_closes_when_shown(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Start-up may learn that the store is unusable before the form is on screen: it must not wait for ever."""
    dialog = LoginDialog(None, TaskRunner(synchronous=True), Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(dialog)
    dialog.withdraw()
    dialog.show()
    qtbot.wait_until(lambda: not dialog.isVisible())
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_a_store_without_an_office_gets_the_wizard_before_the_log_in(data_dir: Path) -> None:
    """The file exists (an enrolment that did not finish, here the empty template): the wizard, then the log-in."""
    startup: Startup

    def wizard_enrols(dialog: QDialog) -> bool:
        assert startup.store is not None
        build_world(startup.store, FakeClock(), blob_dir=data_dir / "attachments")
        return True

    dialogs = DrivenDialogs(on_wizard=wizard_enrols)
    startup = _startup(data_dir, dialogs, features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare() is True
        assert [type(d).__name__ for d in dialogs.shown] == ["QDialog", "LoginDialog"]
        assert startup.window is not None
        startup.window.close()
    finally:
        startup.shutdown()


def test_quitting_before_the_store_is_open_still_closes_it(data_dir: Path, world: World,  # type: ignore[no-untyped-def]
                                                           monkeypatch) -> None:
    gate = Gate(monkeypatch)
    closed: list[object] = []
    from app.store.db import Store

    real_close = Store.close
    monkeypatch.setattr(Store, "close", lambda self: (closed.append(self), real_close(self))[1])

    class Quits(DrivenDialogs):
        def run(self, dialog: QDialog) -> bool:
            self.shown.append(dialog)
            gate.event.set()  # the store opens after the person has quit
            return False

    startup = _async_startup(data_dir, Quits())
    try:
        assert startup.prepare() is False
        assert startup.store is None and startup.window is None
    finally:
        startup.shutdown()  # waits for the database thread, then closes what it opened
    assert startup.opening is not None and startup.opening.store is not None
    assert closed == [startup.opening.store]


def _remember(data_dir: Path, username: str) -> None:
    from ui.settings import LAST_USERNAME, Settings

    settings = Settings(data_dir / "settings.ini")
    settings.set(LAST_USERNAME, username)
    settings.sync()


class Watching(DrivenDialogs):
    """Notes the window prepared behind the form, and whether it was visible, before logging in."""

    def __init__(self, startup_of: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.startup_of = startup_of
        self.prepared: Any = None
        self.visible_before = None

    def run(self, dialog: QDialog) -> bool:
        prepared = self.startup_of().prepared
        if prepared is not None:
            self.prepared = prepared
            self.visible_before = prepared.window.isVisible()
        return super().run(dialog)


def test_the_window_prepared_for_the_remembered_account_is_shown_after_its_password(
        qtbot, data_dir: Path, world: World) -> None:  # type: ignore[no-untyped-def]
    _remember(data_dir, "user.admin_instansi")
    dialogs = Watching(lambda: startup)
    startup = _startup(data_dir, dialogs, features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare() is True
        assert dialogs.prepared is not None and dialogs.visible_before is False  # built, hidden, before log-in
        assert startup.window is dialogs.prepared.window and startup.window.isVisible()
        assert startup.controller is dialogs.prepared.controller and startup.controller.auto == 1
        assert startup.workspace is dialogs.prepared.workspace
        assert startup.workspace.user.username == "user.admin_instansi"
        qtbot.add_widget(startup.window)
        startup.window.close()
    finally:
        startup.shutdown()


def test_someone_else_logging_in_gets_a_window_of_their_own(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                             world: World) -> None:
    _remember(data_dir, "user.admin_instansi")
    dialogs = Watching(lambda: startup, username="user.petugas_loket")
    startup = _startup(data_dir, dialogs, features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare() is True
        assert dialogs.prepared is not None and dialogs.prepared.workspace.user.username == "user.admin_instansi"
        assert dialogs.prepared.controller.stopped  # thrown away
        assert startup.window is not dialogs.prepared.window
        assert startup.workspace is not None and startup.workspace.user.username == "user.petugas_loket"
        assert startup.window.ws is startup.workspace
        qtbot.add_widget(startup.window)
        startup.window.close()
    finally:
        startup.shutdown()


def test_a_wrong_password_never_shows_the_prepared_window(data_dir: Path, world: World) -> None:
    _remember(data_dir, "user.admin_instansi")
    dialogs = Watching(lambda: startup, password="salah-sekali1")
    startup = _startup(data_dir, dialogs, features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare() is False
        assert dialogs.prepared is not None and not dialogs.prepared.window.isVisible()
        assert startup.window is None
    finally:
        startup.shutdown()
    assert dialogs.prepared.controller.stopped and startup.prepared is None


def test_the_program_opens_the_window_without_reading_the_plugins_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.plugin
    from app import plugins

    started: list[Any] = []
    monkeypatch.setattr(ui.plugin, "launch_gui", lambda args: started.append(args) or 0)
    monkeypatch.setattr(plugins, "_entry_points", lambda: pytest.fail("entry points read for the window"))
    assert ui.plugin.run_program(["--data-dir", "/tmp/somewhere", "--lang", "en"]) == 0
    assert len(started) == 1 and started[0].data_dir == "/tmp/somewhere" and started[0].command is None


def test_the_program_runs_commands_through_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    import ui.plugin

    with pytest.raises(SystemExit) as ended:
        ui.plugin.run_program(["--version"])
    assert ended.value.code == 0 and "LAPOR Desk" in capsys.readouterr().out


def test_the_program_has_its_icon(tmp_path: Path) -> None:
    """The window's icon (resources/lapor-desk.svg, what taskbars and window lists show), drawn through Qt's SVG icon
    engine, which the bundle keeps."""
    app = Startup(Namespace(data_dir=str(tmp_path))).create_app()
    image = app.windowIcon().pixmap(32, 32).toImage()
    assert not image.isNull() and image.width() == 32
    assert image.pixelColor(16, 3).alpha() == 255 and image.pixelColor(0, 0).alpha() == 0  # drawn, corners clear
