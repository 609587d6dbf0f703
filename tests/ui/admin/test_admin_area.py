"""IT's administration area in the window (issue 15 §6 and §9): only IT has it and IT has nothing else; the sync
problems by tracking code; accounts added (every wrong field at once), given a new password, unlocked, disabled;
backups made and a restore staged (lost changes ticked as understood) that restarts the program; the connection;
the log."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QCheckBox, QMessageBox, QPushButton
from sqlalchemy import select, update

from app.domain import Role
from app.errors import AccountLocked, AuthenticationFailed
from app.models import OutboxEntry
from app.reference.labels import label
from app.services import users
from app.store.restore import pending_restore
from sync.capture import OutboxCapture
from tests.helpers.world import PASSWORD, World
from ui.admin import ACCOUNTS, BACKUPS, CONNECTION, LOG, PAGES, SYNC_PROBLEMS
from ui.admin.accounts import AccountDialog, AccountsPage
from ui.admin.backups import BackupsPage
from ui.admin.connection import ConnectionPage
from ui.admin.log_page import LogPage, read_tail
from ui.admin.problems import SyncProblemsPage
from ui.main_window import Features, MainWindow
from ui.navigation import CONFLICTS, SYNC_LOG
from ui.workspace import Workspace

MakeWorkspace = Callable[..., Workspace]


def window(qtbot: Any, ws: Workspace, log_dir: Path | None = None) -> MainWindow:
    features = Features.real()
    win = MainWindow(ws, features, features.sync_controller(ws), log_dir=log_dir)
    qtbot.add_widget(win)
    win.show()
    return win


def button(box: QMessageBox | None, text: str) -> QPushButton:
    assert box is not None
    (found,) = [b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == text]
    return found


# ---- who has it -------------------------------------------------------------------------------------------------


def test_it_opens_on_its_sync_problems_and_has_no_complaints(qtbot: Any, make_workspace: MakeWorkspace) -> None:
    win = window(qtbot, make_workspace(Role.IT_ADMIN))
    keys = win.nav.entry_keys()
    assert keys == [*PAGES, SYNC_LOG]  # no complaint view, no conflicts to decide
    assert isinstance(win.current_page(), SyncProblemsPage) and win.nav.current_key() == SYNC_PROBLEMS
    assert not win.search_action.isVisible() and not win.export_action.isVisible()
    assert not win.complaint_menu.menuAction().isVisible()
    for key, page_type in ((ACCOUNTS, AccountsPage), (BACKUPS, BackupsPage), (CONNECTION, ConnectionPage),
                           (LOG, LogPage)):
        win.nav.select(key)
        assert isinstance(win.current_page(), page_type)


def test_it_comes_back_to_the_page_it_left(qtbot: Any, make_workspace: MakeWorkspace) -> None:
    ws = make_workspace(Role.IT_ADMIN)
    win = window(qtbot, ws)
    win.nav.select(BACKUPS)
    win.save_state()
    again = window(qtbot, ws)
    assert isinstance(again.current_page(), BackupsPage) and again.nav.current_key() == BACKUPS


@pytest.mark.parametrize("role", [Role.ADMIN_INSTANSI, Role.PIMPINAN, Role.PENGHUBUNG])
def test_other_roles_have_no_administration(qtbot: Any, make_workspace: MakeWorkspace, role: str) -> None:
    win = window(qtbot, make_workspace(role))
    assert not set(PAGES) & set(win.nav.entry_keys())
    assert CONFLICTS in win.nav.entry_keys() and win.search_action.isVisible()


# ---- sync problems ----------------------------------------------------------------------------------------------


def test_sync_problems_show_unsent_changes_and_refusals_by_tracking_code_only(
        qtbot: Any, make_workspace: MakeWorkspace, world: World) -> None:
    world.ctx.capture = OutboxCapture(world.clock)
    refused_id = world.new_complaint(title="Judul yang TI tidak perlu baca")
    world.new_complaint()
    with world.store.transaction() as s:
        seq = s.execute(select(OutboxEntry.seq).where(OutboxEntry.entity_id == refused_id)).scalar_one()
        result = {"seq": seq, "mutation_id": "m", "status": "rejected", "entity_id": refused_id,
                  "code": "permission_denied", "message": "Pengguna tidak aktif di instansi perangkat ini."}
        s.execute(update(OutboxEntry).where(OutboxEntry.seq == seq).values(
            acked_at=world.clock(), result_status="rejected", result_json=json.dumps(result)))
    win = window(qtbot, make_workspace(Role.IT_ADMIN))
    page = win.current_page()
    assert isinstance(page, SyncProblemsPage)
    assert page.problems is not None and page.problems.count == 1 and page.problems.unsent >= 1
    assert page.unsent.text().startswith(str(page.problems.unsent))
    assert page.refused.rowCount() == 1 and page.refused.item(0, 2).text() == "permission_denied"
    code = page.refused.item(0, 0).text()
    assert code and all(page.refused.item(0, c).text() != "Judul yang TI tidak perlu baca" for c in range(4))
    win.nav.refresh_now()
    assert win.nav.count_of(SYNC_PROBLEMS) == 1


# ---- accounts ---------------------------------------------------------------------------------------------------


@pytest.fixture
def accounts(qtbot: Any, make_workspace: MakeWorkspace) -> AccountsPage:
    page = AccountsPage(make_workspace(Role.IT_ADMIN))
    qtbot.add_widget(page)
    page.show()
    return page


def test_accounts_list_the_office_with_role_and_status(accounts: AccountsPage, world: World) -> None:
    names = [accounts.view.item(r, 0).text() for r in range(accounts.view.rowCount())]
    assert "user.pimpinan" in names and "user.it_admin" in names
    row = names.index("user.penghubung")
    assert accounts.view.item(row, 2).text() == label(Role.PENGHUBUNG, "id")
    assert accounts.view.item(row, 3).text() not in ("", "—")  # a liaison's unit
    assert accounts.view.item(names.index("user.pimpinan"), 3).text() == "—"
    assert {accounts.view.item(r, 4).text() for r in range(len(names))} == {"active"}


def test_a_new_account_shows_every_problem_at_once_then_its_first_password(
        qtbot: Any, accounts: AccountsPage, world: World) -> None:
    accounts.add_button.click()
    dialog = accounts.dialog
    assert isinstance(dialog, AccountDialog)
    dialog.username.setText("a b")
    dialog.role.setCurrentIndex(dialog.role.findData(str(Role.PENGHUBUNG)))
    dialog.submit()
    shown = {k for k, label in dialog.errors.items() if not label.isHidden()}
    assert shown == {"username", "full_name", "unit"}
    dialog.username.setText("rina.loket")
    dialog.full_name.setText("Rina Loket")
    dialog.role.setCurrentIndex(dialog.role.findData(str(Role.PETUGAS_LOKET)))
    assert not dialog.unit.isEnabled()
    dialog.submit()
    assert not dialog.isVisible()
    text = accounts.message_box.text() if accounts.message_box else ""
    password = text.split("\n\n")[1]
    assert users.authenticate(world.ctx, "rina.loket", password).role == Role.PETUGAS_LOKET
    assert "rina.loket" in [accounts.view.item(r, 0).text() for r in range(accounts.view.rowCount())]


def test_a_taken_user_name_comes_back_under_its_field(accounts: AccountsPage) -> None:
    accounts.add_button.click()
    dialog = accounts.dialog
    assert dialog is not None
    dialog.username.setText("user.pimpinan")
    dialog.full_name.setText("Orang Lain")
    dialog.submit()
    assert dialog.isVisible() and "sudah dipakai" in dialog.errors["username"].text()


def test_new_password_unlock_and_disable(qtbot: Any, accounts: AccountsPage, world: World) -> None:
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(world.ctx, "user.pimpinan", "salah-salah1")
    accounts.refresh()
    accounts.select("user.pimpinan")
    assert accounts.view.item(accounts.view.currentRow(), 4).text().startswith("locked until")
    assert accounts.unlock_button.isEnabled()
    accounts.unlock_button.click()
    assert users.authenticate(world.ctx, "user.pimpinan", PASSWORD)
    accounts.select("user.pimpinan")
    accounts.password_button.click()
    password = accounts.message_box.text().split("\n\n")[1] if accounts.message_box else ""
    assert users.authenticate(world.ctx, "user.pimpinan", password)
    accounts.select("user.pimpinan")
    accounts.active_button.click()
    button(accounts.message_box, "Disable").click()
    with pytest.raises(AuthenticationFailed):
        users.authenticate(world.ctx, "user.pimpinan", password)
    accounts.select("user.pimpinan")
    assert accounts.active_button.text().replace("&", "") == "Enable"
    accounts.active_button.click()
    assert users.authenticate(world.ctx, "user.pimpinan", password)


def test_it_cannot_reset_or_disable_its_own_account_here(accounts: AccountsPage) -> None:
    accounts.select("user.it_admin")
    assert not accounts.password_button.isEnabled() and not accounts.active_button.isEnabled()


def test_a_locked_account_is_not_unlocked_by_a_refresh(accounts: AccountsPage, world: World) -> None:
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(world.ctx, "user.pimpinan", "salah-salah1")
    accounts.refresh()
    with pytest.raises(AccountLocked):
        users.authenticate(world.ctx, "user.pimpinan", PASSWORD)


# ---- backups ----------------------------------------------------------------------------------------------------


@pytest.fixture
def backups(qtbot: Any, make_workspace: MakeWorkspace) -> BackupsPage:
    page = BackupsPage(make_workspace(Role.IT_ADMIN))
    qtbot.add_widget(page)
    page.show()
    return page


def test_back_up_now_adds_a_backup_to_the_list(backups: BackupsPage) -> None:
    before = backups.view.rowCount()
    backups.backup_button.click()
    assert backups.view.rowCount() == before + 1
    assert backups.view.item(0, 1).text() == "made by hand"


def test_restore_asks_counts_lost_changes_stages_and_restarts(qtbot: Any, backups: BackupsPage,
                                                               world: World, data_dir: Path) -> None:
    backups.backup_button.click()
    world.ctx.capture = OutboxCapture(world.clock)
    world.new_complaint()  # a change the server has not seen: the restore would lose it
    backups.view.selectRow(0)
    backups.restore_button.click()
    box = backups.message_box
    assert box is not None and "1 change" in box.text()
    go = button(box, "Restore and restart")
    assert not go.isEnabled()  # not before the loss is ticked as understood
    tick = box.findChild(QCheckBox)
    assert tick is not None
    tick.setChecked(True)
    with qtbot.wait_signal(backups.restart_requested):
        go.click()
    assert pending_restore(backups._ws.paths) is not None
    backups.refresh()
    assert backups.pending.isVisibleTo(backups) and backups.cancel_button.isVisibleTo(backups)
    backups.cancel_button.click()
    assert pending_restore(backups._ws.paths) is None and not backups.pending.isVisibleTo(backups)


def test_restoring_a_file_that_is_no_backup_says_so_and_stages_nothing(backups: BackupsPage, tmp_path: Path) -> None:
    notes = tmp_path / "catatan.sqlite3"
    notes.write_text("bukan basis data\n" * 50)
    backups.ask_restore(notes)
    button(backups.message_box, "Restore and restart").click()
    assert backups.message_box is not None and "bukan cadangan LAPOR Desk" in backups.message_box.text()
    assert pending_restore(backups._ws.paths) is None


def test_the_window_asks_start_up_to_restart(qtbot: Any, make_workspace: MakeWorkspace) -> None:
    win = window(qtbot, make_workspace(Role.IT_ADMIN))
    win.nav.select(BACKUPS)
    page = win.current_page()
    assert isinstance(page, BackupsPage)
    with qtbot.wait_signal(win.restart_requested):
        page.restart_requested.emit()


# ---- connection and log -----------------------------------------------------------------------------------------


def test_a_pc_without_a_server_says_how_it_is_enrolled(qtbot: Any, make_workspace: MakeWorkspace) -> None:
    page = ConnectionPage(make_workspace(Role.IT_ADMIN))
    qtbot.add_widget(page)
    page.show()
    assert page.connection is not None and not page.connection.enrolled
    assert page.values["enrolled"].text() == "no" and page.values["office"].text() != "—"
    assert not page.enrol_hint.isHidden() and "lapor-desk enroll" in page.enrol_hint.text()
    assert not page.sync_button.isEnabled()
    with qtbot.wait_signal(page.settings_requested):
        page.settings_button.click()


def test_the_log_page_shows_the_newest_lines(qtbot: Any, make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    (tmp_path / "lapor-desk.log").write_text("".join(f"2026-12-05 baris {n}\n" for n in range(5000)))
    page = LogPage(make_workspace(Role.IT_ADMIN), log_dir=tmp_path)
    qtbot.add_widget(page)
    page.show()
    text = page.text.toPlainText()
    assert text.endswith("baris 4999\n") and text.startswith("2026-12-05 baris ")  # from a whole line
    assert read_tail(tmp_path / "none.log") == ""


def test_the_program_starts_again_with_what_started_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    from ui import process_hooks

    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda args, **_kw: started.append(args))
    monkeypatch.setattr(sys, "orig_argv", ["python3", "-m", "ui", "--data-dir", "/kantor/data"])
    process_hooks.relaunch()
    assert started == [[sys.executable, "-m", "ui", "--data-dir", "/kantor/data"]]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "argv", ["lapor-desk", "--data-dir", "D:/data"])
    assert process_hooks.relaunch_command() == [sys.executable, "--data-dir", "D:/data"]
