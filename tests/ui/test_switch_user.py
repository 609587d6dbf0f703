"""Log out and switch user on a shared PC: the log-in form comes back without restarting, each account finds its own
last view, and cancelling the form ends the program."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from tests.helpers.world import World
from tests.ui.test_application import DrivenDialogs, _remember, fake_setup
from tests.ui.test_main_window import fake_features
from ui.application import Startup
from ui.login import LoginDialog

pytestmark = pytest.mark.usefixtures("keep_app_as_it_was")


class Queue(DrivenDialogs):
    """Logs in as each account of the queue in turn (None: the person closes the form); notes what the form held."""

    def __init__(self, accounts: list[str | None]) -> None:
        super().__init__()
        self.accounts = accounts
        self.prefilled: list[str] = []

    def run(self, dialog: QDialog) -> bool:
        if isinstance(dialog, LoginDialog):
            self.prefilled.append(dialog.username.text())
            account = self.accounts.pop(0)
            if account is None:
                dialog.show()
                dialog.reject()
                return False
            self.username = account
        return super().run(dialog)


def _startup(data_dir: Path, dialogs: DrivenDialogs) -> Startup:
    return Startup(Namespace(data_dir=str(data_dir)), dialogs=dialogs, synchronous=True, features=fake_features(),
                   setup=fake_setup())


def test_switching_user_gives_each_account_its_own_window_and_last_view(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                        world: World) -> None:
    _remember(data_dir, "user.admin_instansi")
    dialogs = Queue(["user.admin_instansi", "user.penghubung", "user.admin_instansi"])
    startup = _startup(data_dir, dialogs)
    try:
        assert startup.prepare() is True
        first = startup.window
        assert first is not None and startup.workspace is not None
        qtbot.add_widget(first)
        first.nav.select("verify")
        first.logout_action.trigger()  # queued: the window's own slot returns first
        qtbot.wait_until(lambda: startup.window is not None and startup.window is not first)
        second = startup.window
        qtbot.add_widget(second)
        assert startup.workspace.user.username == "user.penghubung" and second.ws is startup.workspace
        assert not first.isVisible() and first.controller.stopped
        assert dialogs.prefilled[1] == ""  # the next person types their own name
        assert second.complaint_list.view == "inbox"  # not the admin's view
        second.lock()
        second.lock_screen.switch_button.click()  # from the lock screen too
        qtbot.wait_until(lambda: startup.window is not second)
        third = startup.window
        qtbot.add_widget(third)
        assert startup.workspace.user.username == "user.admin_instansi"
        assert third.complaint_list.view == "verify"  # the admin's own last view
        states = sorted(p.name for p in (data_dir / "window-state").iterdir())
        assert len(states) == 2
        third.close()
    finally:
        startup.shutdown()


def test_closing_the_log_in_after_a_log_out_ends_the_program(qtbot, data_dir: Path, world: World,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    dialogs = Queue(["user.admin_instansi", None])
    startup = _startup(data_dir, dialogs)
    quits: list[Any] = []
    try:
        assert startup.prepare() is True
        window = startup.window
        qtbot.add_widget(window)
        assert startup.qapp is not None
        monkeypatch.setattr(startup.qapp, "quit", lambda: quits.append(True))
        startup.switch_user()
        assert quits == [True] and startup.window is None and startup.workspace is None
        assert startup.qapp.quitOnLastWindowClosed()  # as it was
    finally:
        startup.shutdown()


def test_the_counter_officer_gets_counter_mode_and_hands_the_pc_over(qtbot, data_dir: Path,  # type: ignore[no-untyped-def]
                                                                      world: World) -> None:
    from ui.counter import CounterWindow
    from ui.main_window import MainWindow

    dialogs = Queue(["user.petugas_loket", "user.admin_instansi"])
    startup = Startup(Namespace(data_dir=str(data_dir)), dialogs=dialogs, synchronous=True, setup=fake_setup())
    try:
        assert startup.prepare() is True
        counter = startup.window
        qtbot.add_widget(counter)
        assert isinstance(counter, CounterWindow) and counter.isFullScreen()
        counter.switch_button.click()
        qtbot.wait_until(lambda: isinstance(startup.window, MainWindow))
        qtbot.add_widget(startup.window)
        assert not counter.isVisible() and startup.workspace is not None
        assert startup.workspace.user.username == "user.admin_instansi"
        startup.window.close()
    finally:
        startup.shutdown()
