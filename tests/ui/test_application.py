"""Start-up, driven step by step without exec(): the store check, the wizard, log-in, the main window, shut-down."""

from __future__ import annotations

import signal
import sqlite3
from argparse import Namespace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from app.errors import Message
from tests.helpers.world import PASSWORD, FakeClock, World, build_world
from tests.ui.test_main_window import FakeController, fake_features
from ui import application
from ui.application import AUTO_CLOSE_INTERVAL_MS, Dialogs, SetupHooks, Startup, open_store_or_message
from ui.login import LoginDialog
from ui.style import ACCENT

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
        assert startup.qapp.styleSheet() and startup.qapp.palette().highlight().color().name() == ACCENT
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
        window.close()
    finally:
        startup.shutdown()
