"""Log-in against the local accounts, the lock screen and changing one's own password."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from app.services.users import authenticate
from tests.helpers.world import PASSWORD, World
from ui.lock import ChangePasswordDialog, LockScreen
from ui.login import LoginDialog
from ui.settings import LAST_USERNAME, Settings
from ui.tasks import TaskRunner
from ui.workspace import Workspace

ADMIN = "user.admin_instansi"


@pytest.fixture
def login(qtbot, world: World, data_dir: Path):  # type: ignore[no-untyped-def]
    def make(last_username: str = "") -> LoginDialog:
        settings = Settings(data_dir / "settings.ini")
        settings.set(LAST_USERNAME, last_username)
        dialog = LoginDialog(world.ctx, TaskRunner(synchronous=True), settings, "id")
        qtbot.add_widget(dialog)
        dialog.show()
        return dialog

    return make


def test_right_password_logs_in_and_remembers_the_user_name(login, world: World, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = login()
    assert dialog.office_label.text() == "Pemerintah Kabupaten Sleman"
    dialog.username.setText(ADMIN)
    dialog.password.setText(PASSWORD)
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user is not None and dialog.user.username == ADMIN
    assert Settings(data_dir / "settings.ini").get(LAST_USERNAME) == ADMIN
    assert login(ADMIN).username.text() == ADMIN  # the next start fills in the name


def test_wrong_password_is_said_inline_and_the_dialog_stays(login) -> None:  # type: ignore[no-untyped-def]
    dialog = login()
    dialog.username.setText(ADMIN)
    dialog.password.setText("salah-sekali1")
    dialog.submit()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.user is None
    assert dialog.error.isVisible() and dialog.error.text() == "Nama pengguna atau kata sandi salah."
    assert dialog.password.text() == ""
    assert dialog.login_button.isEnabled()


def test_empty_fields_are_caught_before_asking_the_store(login) -> None:  # type: ignore[no-untyped-def]
    dialog = login()
    dialog.submit()
    assert dialog.error.isVisible() and dialog.user is None


def test_five_failures_lock_the_account_with_a_message(login) -> None:  # type: ignore[no-untyped-def]
    dialog = login()
    for _ in range(5):
        dialog.username.setText(ADMIN)
        dialog.password.setText("salah-sekali1")
        dialog.submit()
    dialog.password.setText(PASSWORD)  # even the right password is refused while locked
    dialog.submit()
    assert dialog.user is None
    assert "Akun terkunci" in dialog.error.text() and "5 menit" in dialog.error.text()


def test_lock_screen_opens_only_with_the_same_users_password(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    screen = LockScreen(workspace)
    qtbot.add_widget(screen)
    screen.show()
    assert workspace.user.full_name in screen.who.text()
    with qtbot.assert_not_emitted(screen.unlocked):
        screen.password.setText("bukan-ini-1")
        screen.submit()
    # (the window's language is installed by the real start-up; here the source text shows)
    assert screen.error.isVisible() and screen.error.text() == screen.tr(
        "The password is wrong. Check Caps Lock and try again.")
    with qtbot.wait_signal(screen.unlocked):
        screen.password.setText(PASSWORD)
        screen.submit()
    assert screen.password.text() == "" and not screen.error.isVisible()


def test_change_own_password(qtbot, workspace: Workspace, world: World) -> None:  # type: ignore[no-untyped-def]
    dialog = ChangePasswordDialog(workspace)
    qtbot.add_widget(dialog)
    dialog.show()
    dialog.old.setText(PASSWORD)
    dialog.new.setText("BaruSekali2026")
    dialog.repeat.setText("BaruSekali2026")
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert authenticate(world.ctx, ADMIN, "BaruSekali2026").id == workspace.user.id


def test_change_password_shows_the_rules_and_mistakes(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = ChangePasswordDialog(workspace)
    qtbot.add_widget(dialog)
    dialog.show()
    dialog.old.setText(PASSWORD)
    dialog.new.setText("pendek")
    dialog.repeat.setText("pendek")
    dialog.submit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "minimal 8 karakter" in dialog.error.text() and "huruf dan angka" in dialog.error.text()

    dialog.new.setText("BaruSekali2026")
    dialog.repeat.setText("BaruSekali2027")
    dialog.submit()
    assert dialog.error.text() == dialog.tr("The two new passwords are not the same.")

    dialog.old.setText("bukan-ini-1")
    dialog.repeat.setText("BaruSekali2026")
    dialog.submit()
    assert dialog.error.text() == "Kata sandi lama salah."
    assert dialog.save_button.isEnabled()
