"""Every top-level window and dialog on a screen of one size (run by test_every_window_fits.py in a pytest of its
own, whose offscreen screen is that size; not collected by the suite's run, whose screen is Qt's 800×800):
each fits the screen, no label's text is cut (a word-wrapped one gets the height its lines need, another the width
of its text), nor a button's, no form scrolls sideways, the buttons are on the window. In Indonesian, with the
window's style.

Pictures of each go to $LAPOR_FIT_SHOTS when set, named ``<window>-<width>.png``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget

from app.domain import Role, Status
from tests.helpers.translations import build_qm
from tests.helpers.world import World
from tests.ui.detail.conftest import complaint_in, load
from tests.ui.intake.test_screenshots import settle
from tests.ui.test_main_window import FakeController, fake_features
from tools import i18n as tools_i18n
from ui import i18n
from ui.style import apply_style
from ui.workspace import Workspace

SCREEN = os.environ.get("LAPOR_FIT_SCREEN", "")
pytestmark = pytest.mark.skipif(not SCREEN, reason="run by test_every_window_fits.py on a screen of that size")


@pytest.fixture(scope="module")
def translations() -> None:
    for area in tools_i18n.areas():
        if tools_i18n.ts_path(area).exists():
            build_qm(area)


@pytest.fixture
def indonesian(qapp: QApplication, translations: None, keep_app_as_it_was: None) -> None:
    i18n.install(qapp, "id")
    apply_style(qapp)


@pytest.fixture
def screen(qapp: QApplication) -> QRect:
    width, height = (int(n) for n in SCREEN.split("x"))
    area = qapp.primaryScreen().availableGeometry()
    assert (area.width(), area.height()) == (width, height), "the offscreen screen was not configured"
    return area


@pytest.fixture
def shown(qtbot: Any, screen: QRect) -> Iterator[Callable[..., None]]:
    """``shown(window, name)``: show it as the program would, check that it fits, save its picture."""

    def show(window: QWidget, name: str, *, again: bool = False) -> None:
        if not again:
            qtbot.add_widget(window)
            window.show()
            qtbot.wait_exposed(window)
        settle()
        settle()  # the window keeps itself on the screen once its frame is known
        save(window, name)
        assert fit_problems(window, screen) == [], name

    yield show


def save(window: QWidget, name: str) -> None:
    folder = os.environ.get("LAPOR_FIT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(Path(folder) / f"{name}-{SCREEN.split('x')[0]}.png"))


def _in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def label_cut(label: QLabel) -> bool:
    """The label's text needs more room than its geometry gives it."""
    if label.wordWrap():
        return label.height() < label.heightForWidth(label.width())
    hint = QLabel.minimumSizeHint(label)  # the text's own size (an elided label's shortened text)
    return label.width() < hint.width() or label.height() < hint.height()


def fit_problems(window: QWidget, screen: QRect) -> list[str]:
    found = []
    if not screen.contains(window.frameGeometry()):
        found.append(f"the window {window.frameGeometry()} is not inside the screen {screen}")
    inside = window.rect()
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not (label.text() or label.pixmap() is not None and not label.pixmap().isNull()):
            continue
        if label_cut(label):
            wants = label.heightForWidth(label.width()) if label.wordWrap() else QLabel.minimumSizeHint(label)
            found.append(f"cut label {label.text()[:50]!r} {label.size()} wants {wants}")
        elif not _in_scroll_area(label, window) and not inside.contains(
                QRect(label.mapTo(window, QPoint(0, 0)), label.size())):
            found.append(f"label {label.text()[:50]!r} reaches out of the window")
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible():
            continue
        if button.text() and button.width() < button.minimumSizeHint().width():
            found.append(f"cut button {button.text()!r} {button.width()} wants {button.minimumSizeHint().width()}")
        elif not _in_scroll_area(button, window) and not inside.contains(
                QRect(button.mapTo(window, QPoint(0, 0)), button.size())):
            found.append(f"button {button.text()!r} reaches out of the window")
    for scroll in window.findChildren(QScrollArea):
        if scroll.isVisible() and scroll.horizontalScrollBar().isVisible():
            found.append(f"{type(scroll.widget()).__name__} scrolls sideways")
    return found


# ---- the windows -------------------------------------------------------------------------------------------------


def main_window(ws: Workspace) -> Any:
    from ui.main_window import Features, MainWindow

    features = Features.real()
    return MainWindow(ws, features, features.sync_controller(ws))


def key_columns_in_view(window: Any) -> list[int]:
    """The key columns (code, title, status, next deadline) that are not wholly in the list's view."""
    from ui.complaints.header import KEY_COLUMNS

    table = window.complaint_list.table
    header = table.horizontalHeader()
    return [c for c in KEY_COLUMNS if header.sectionViewportPosition(c) < 0
            or header.sectionViewportPosition(c) + header.sectionSize(c) > table.viewport().width()]


@pytest.mark.parametrize("role", [Role.ADMIN_INSTANSI, Role.PENGHUBUNG, Role.PIMPINAN, Role.IT_ADMIN])
def test_the_main_window(indonesian: None, world: World, make_workspace: Callable[..., Workspace],
                         shown: Callable[..., None], role: str) -> None:
    for status in (Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI):
        complaint_in(world, status)
    ws = make_workspace(role)
    window = main_window(ws)
    shown(window, f"main-{role.lower()}")
    if role != Role.IT_ADMIN:  # IT lists no complaint (app.rules.scope): its pages are the administration's
        window.show_page("all")
        window.complaint_list.table.selectRow(0)
    window.banner.show_message("Laporan baru", "3 laporan baru tiba dari server.")
    shown(window, f"main-{role.lower()}-list", again=True)
    assert window.isMaximized() or window.frameGeometry().height() <= 768
    assert window.statusBar().isVisible()
    if role != Role.IT_ADMIN:
        assert key_columns_in_view(window) == []
    if window.current_page() is window.splitter:  # the detail beside the list at 1366
        across = Qt.Orientation.Vertical if SCREEN.startswith("1024") else Qt.Orientation.Horizontal
        assert window.splitter.orientation() == across
    window.lock()
    shown(window, f"lock-{role.lower()}", again=True)


def test_the_main_window_restored_from_a_larger_screen(indonesian: None, world: World, workspace: Workspace,
                                                       shown: Callable[..., None], qtbot: Any) -> None:
    first = main_window(workspace)
    qtbot.add_widget(first)
    first.setGeometry(300, 200, 1880, 1000)  # as on a 1920×1080 monitor, partly beyond this screen
    workspace.window_state.save("main/geometry", first.saveGeometry())
    first.deleteLater()
    complaint_in(world, Status.DIDISPOSISIKAN)
    window = main_window(workspace)
    shown(window, "main-restored")
    window.show_page("all")
    shown(window, "main-restored", again=True)
    assert key_columns_in_view(window) == []


def test_the_counter_window(indonesian: None, make_workspace: Callable[..., Workspace],
                            shown: Callable[..., None]) -> None:
    from ui.counter import CounterWindow

    ws = make_workspace(Role.PETUGAS_LOKET)
    window = CounterWindow(ws, fake_features(), FakeController(ws), full_screen=False)
    shown(window, "counter")
    window.lock()  # in the counter's larger type
    shown(window, "counter-lock", again=True)


def test_the_log_in(indonesian: None, world: World, workspace: Workspace, shown: Callable[..., None]) -> None:
    from ui.login import LoginDialog

    dialog = LoginDialog(world.ctx, workspace.tasks, workspace.settings)
    shown(dialog, "login")
    dialog.submit()  # nothing typed: says what is missing
    shown(dialog, "login-error", again=True)


def test_the_setup_wizard(indonesian: None, workspace: Workspace, shown: Callable[..., None]) -> None:
    from ui.setup.wizard import SetupWizard

    wizard = SetupWizard(workspace.paths, workspace.settings)
    shown(wizard, "setup")


def test_settings(indonesian: None, workspace: Workspace, shown: Callable[..., None]) -> None:
    from ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(workspace)
    shown(dialog, "settings")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.language_note.isVisible()
    dialog.backup_dir.setText(str(Path(__file__)))  # a file, not a folder
    dialog.save()
    assert dialog.error.isVisible()
    shown(dialog, "settings-note", again=True)


def test_change_password(indonesian: None, workspace: Workspace, shown: Callable[..., None]) -> None:
    from ui.lock import ChangePasswordDialog

    dialog = ChangePasswordDialog(workspace)
    shown(dialog, "password")
    dialog.old.setText("lama")
    dialog.new.setText("baru-satu")
    dialog.repeat.setText("baru-dua")
    dialog.submit()
    shown(dialog, "password-error", again=True)


FORM_STATUS = {"dispose": Status.BELUM_TERVERIFIKASI, "postpone": Status.BELUM_TERVERIFIKASI,
               "redirect": Status.BELUM_TERVERIFIKASI, "archive": Status.BELUM_TERVERIFIKASI,
               "follow_up": Status.DIDISPOSISIKAN, "close": Status.DITINDAKLANJUTI,
               "respond": Status.DITINDAKLANJUTI, "resume": Status.DITUNDA, "unarchive": Status.DIARSIPKAN,
               "reopen": Status.SELESAI, "note": Status.DIDISPOSISIKAN, "attach": Status.DIDISPOSISIKAN,
               "edit": Status.DIDISPOSISIKAN}


@pytest.mark.parametrize("key", sorted(FORM_STATUS))
def test_the_action_forms(indonesian: None, world: World, workspace: Workspace, shown: Callable[..., None],
                          key: str) -> None:
    from ui.actions.controller import FORMS

    form = FORMS[key](workspace, load(world, complaint_in(world, FORM_STATUS[key])))
    shown(form, f"form-{key}")
    for name in ("text", "reason", "note", "instruction", "description"):  # every text far too long
        box = getattr(form, name, None)
        if box is not None and hasattr(box, "setPlainText"):
            box.setPlainText("Teks yang terlalu panjang. " * 160)
    if key == "edit":
        form.title_edit.setText("")
        form.region.setText("99.99.99")
        form.latitude.setText("abc")
    if key == "respond":
        form.not_satisfied.setChecked(True)
    form.submit()
    shown(form, f"form-{key}-errors", again=True)


def test_the_bulk_forms(indonesian: None, world: World, workspace: Workspace, shown: Callable[..., None]) -> None:
    from ui.actions.bulk import BulkArchiveForm, BulkDisposeForm, Selected

    selection = [Selected(cid, cid, Status.BELUM_TERVERIFIKASI, None)
                 for cid in (world.new_complaint() for _ in range(3))]
    for name, form_class in (("bulk-dispose", BulkDisposeForm), ("bulk-archive", BulkArchiveForm)):
        form = form_class(workspace, selection)
        shown(form, name)
        form.submit()
        shown(form, f"{name}-errors", again=True)


def test_the_staff_intake_form(indonesian: None, workspace: Workspace, shown: Callable[..., None]) -> None:
    from ui.intake.staff_form import StaffIntakeForm

    form = StaffIntakeForm(workspace)
    shown(form, "intake")
    form.submit()
    shown(form, "intake-errors", again=True)


def test_the_other_dialogs(indonesian: None, world: World, workspace: Workspace,
                           shown: Callable[..., None]) -> None:
    from ui.complaints.export import ExportOptions
    from ui.sync.refusals import RefusedIntakesDialog

    shown(ExportOptions(None, 1514, may_include_personal=True), "export")  # type: ignore[arg-type]
    shown(RefusedIntakesDialog(workspace), "refused")


def test_the_monthly_report_dialog(indonesian: None, workspace: Workspace, shown: Callable[..., None]) -> None:
    from ui.report.launch import MonthlyReportDialog, load_choices

    choices = load_choices(workspace.services, workspace.office_id)
    shown(MonthlyReportDialog(None, choices, fixed_unit=None), "report")


def test_the_crash_dialog(indonesian: None, shown: Callable[..., None], tmp_path: Path) -> None:
    from ui.crash import CrashDialog
    from ui.tasks import BugReport

    details = "Traceback (most recent call last):\n" + "  File \"ui/contoh.py\", line 1, in <module>\n" * 40
    report = BugReport("RuntimeError: contoh kesalahan yang tidak terduga", details + "RuntimeError: contoh")
    shown(CrashDialog(report, tmp_path / "lapor-desk.log"), "crash")


def test_the_conflict_review_and_its_edit_dialog(indonesian: None, world: World, workspace: Workspace,
                                                 shown: Callable[..., None]) -> None:
    from tests.ui.sync.test_sync_conflicts import add_conflict
    from ui.main_window import Features, MainWindow
    from ui.navigation import CONFLICTS

    add_conflict(world, world.new_complaint(), "description",
                 "Jalan di depan pasar berlubang besar dan membahayakan pengendara motor setiap malam. " * 3,
                 "Jalan di depan pasar rusak; lubang sudah ditimbun sementara oleh warga. " * 3)
    features = Features.real()
    window = MainWindow(workspace, features, features.sync_controller(workspace))
    shown(window, "conflicts-window")
    window.show_page(CONFLICTS)
    shown(window, "conflicts", again=True)
    page = window.conflicts
    page.edit_button.click()
    assert page.edit_dialog is not None
    shown(page.edit_dialog, "conflict-edit", again=True)


def test_the_message_boxes(indonesian: None, workspace: Workspace, shown: Callable[..., None]) -> None:
    from app.errors import Message
    from ui.crash import known_error_box

    text = ("Cadangan tidak dapat ditulis ke /media/usb/cadangan (No space left on device). Periksa folder tujuan, "
            "izinnya dan ruang disk.")
    box = known_error_box(None, Message(text, text), "id")
    shown(box, "known-error")


def test_the_administration_area(indonesian: None, world: World, make_workspace: Callable[..., Workspace],
                                 shown: Callable[..., None], tmp_path: Path) -> None:
    from ui.admin import ACCOUNTS, BACKUPS, PAGES
    from ui.admin.accounts import AccountsPage
    from ui.admin.backups import BackupsPage
    from ui.main_window import Features, MainWindow

    ws = make_workspace(Role.IT_ADMIN)
    (tmp_path / "lapor-desk.log").write_text("2026-12-05 08:00:01 INFO MainThread ui.application: started\n" * 80)
    features = Features.real()
    window = MainWindow(ws, features, features.sync_controller(ws), log_dir=tmp_path)
    shown(window, "admin-" + PAGES[0])
    for key in PAGES[1:]:
        window.show_page(key)
        if key == BACKUPS:
            page = window.current_page()
            assert isinstance(page, BackupsPage)
            page.back_up()
        shown(window, "admin-" + key, again=True)
    window.show_page(ACCOUNTS)
    accounts = window.current_page()
    assert isinstance(accounts, AccountsPage)
    accounts.add_account()
    assert accounts.dialog is not None
    accounts.dialog.username.setText("a b")
    accounts.dialog.role.setCurrentIndex(accounts.dialog.role.findData(str(Role.PENGHUBUNG)))
    accounts.dialog.submit()
    shown(accounts.dialog, "admin-account-errors")
    accounts.dialog.hide()  # (closing would delete it under qtbot)
    window.show_page(BACKUPS)
    backups = window.current_page()
    assert isinstance(backups, BackupsPage)
    backups.view.selectRow(0)
    backups._confirm(backups.selected().path, 3)  # type: ignore[union-attr]
    assert backups.message_box is not None
    shown(backups.message_box, "admin-restore-question")
