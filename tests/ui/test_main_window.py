"""The main window shell: navigation and pages, counts after changes, menus and shortcuts, lock, errors, state.

Most tests host small stand-ins for the feature widgets (:func:`fake_features`), so the shell is tested on its own;
the last tests host the real ones from ui.complaints, ui.detail and ui.sync.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from app.domain import Role, Status
from app.errors import Message, NotFound
from app.models import Holiday
from app.read import queries
from app.rules.scope import Scope
from app.rules.sla import HOLIDAY_CUTI_BERSAMA, HOLIDAY_NATIONAL, holiday_horizon
from tests.helpers.world import PASSWORD, World
from ui.main_window import Features, MainWindow
from ui.navigation import CONFLICTS, SYNC_LOG, NavEntry
from ui.workspace import Workspace

VIEW_KEYS = ["inbox", "verify", "disposed", "awaiting_response", "overdue", "all", "archived"]


class FakeList(QWidget):
    complaint_selected = Signal(str)
    complaint_activated = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, view: str = "inbox") -> None:
        super().__init__(parent)
        self.view = view
        self.search = QLineEdit(self)
        QVBoxLayout(self).addWidget(self.search)

    def set_view(self, key: str) -> None:
        self.view = key

    def focus_search(self) -> None:
        self.search.setFocus()


class FakeDetail(QLabel):
    actions_changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__("detail", parent)
        self.shown: str | None = None
        self.verify = QAction("Verify", self)

    def show_complaint(self, complaint_id: str | None) -> None:
        self.shown = complaint_id
        self.actions_changed.emit()

    def menu_actions(self) -> list[QAction]:
        return [self.verify] if self.shown else []


class FakeController(QObject):
    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.configured = True
        self.syncs = 0
        self.auto = 0
        self.stopped = False

    def sync_now(self) -> bool:
        self.syncs += 1
        return True

    def start_auto(self, *args: Any, **kwargs: Any) -> None:
        self.auto += 1

    def stop(self) -> None:
        self.stopped = True

    def refresh_status(self) -> None:
        pass


def _status_counts(ws: Workspace) -> dict[str, int]:
    with ws.store.read() as session:
        by_status = queries.status_counts(session, Scope.of(ws.user))
    new = by_status.get(Status.BELUM_TERVERIFIKASI, 0)
    return {"inbox": new, "verify": new, "all": sum(by_status.values()), "overdue": 0}


def fake_features() -> Features:
    return Features(
        views=lambda: [NavEntry(k, k.title()) for k in VIEW_KEYS], view_counts=_status_counts,
        open_conflict_count=lambda ws: 2, complaint_list=FakeList, complaint_detail=FakeDetail,
        sync_controller=FakeController, sync_status=lambda ws, c, parent=None: QLabel("sync", parent),
        conflict_review=lambda ws, parent=None: QLabel("conflicts", parent),
        sync_log=lambda ws, c, parent=None: QLabel("log", parent))


@pytest.fixture
def window(qtbot, workspace: Workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(workspace, fake_features(), FakeController(workspace))
    qtbot.add_widget(win)
    win.show()
    qtbot.wait_exposed(win)
    return win


def test_navigation_switches_pages_and_views(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.current_page() is window.splitter and window.complaint_list.view == "inbox"
    assert window.pages.count() == 1  # the sync pages are built when first shown
    window.nav.select("verify")
    assert window.complaint_list.view == "verify" and window.nav_actions["verify"].isChecked()
    window.nav.select(CONFLICTS)
    assert window.current_page() is window.conflicts and window.pages.count() == 2
    window.nav_actions[SYNC_LOG].trigger()
    assert window.current_page() is window.sync_log and window.nav.current_key() == SYNC_LOG
    window.focus_search()  # search from a sync page goes back to the last complaint view
    assert window.current_page() is window.splitter and window.complaint_list.view == "verify"
    assert window.complaint_list.search.hasFocus()


def test_selection_reaches_the_detail_and_its_actions_fill_the_complaint_menu(window: MainWindow) -> None:
    assert [a.text() for a in window.complaint_menu.actions()] == [window.tr("(select a complaint first)")]
    window.complaint_list.complaint_selected.emit("c-1")
    assert window.detail.shown == "c-1"
    assert window.complaint_menu.actions() == [window.detail.verify]
    window.complaint_list.complaint_selected.emit("")
    assert window.detail.shown is None


def test_counts_follow_a_service_call(qtbot, window: MainWindow, world: World, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait_until(lambda: window.nav.count_of("all") is not None)
    before = window.nav.count_of("all")
    assert window.nav.count_of(CONFLICTS) == 2
    new_id = world.new_complaint()
    with qtbot.wait_signal(window.nav.counts_updated, timeout=3000):
        workspace.hub.complaints_changed.emit([new_id])
    assert window.nav.count_of("all") == before + 1
    assert window.nav.count_of("verify") == before + 1


def test_counts_wait_while_hidden_and_catch_up_when_shown(qtbot, window: MainWindow, world: World,  # type: ignore[no-untyped-def]
                                                          workspace: Workspace) -> None:
    qtbot.wait_until(lambda: window.nav.count_of("all") is not None)
    before = window.nav.count_of("all")
    window.hide()
    world.new_complaint()
    with qtbot.assert_not_emitted(window.nav.counts_updated, wait=600):
        workspace.hub.complaints_changed.emit([])
    with qtbot.wait_signal(window.nav.counts_updated, timeout=3000):
        window.show()
    assert window.nav.count_of("all") == before + 1


def test_every_action_has_its_shortcut(window: MainWindow) -> None:
    shortcuts = {a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()}
    assert {"F5", "Ctrl+F", "Ctrl+L", "F9", "Ctrl+Q", "Ctrl+,"} <= shortcuts
    assert {f"Ctrl+{n}" for n in range(1, 10)} <= shortcuts
    assert window.nav_actions["inbox"].shortcut().toString() == "Ctrl+1"
    assert window.nav_actions[CONFLICTS].shortcut().toString() == "Ctrl+8"
    assert len(shortcuts) == len([a for a in window.findChildren(QAction) if not a.shortcut().isEmpty()])
    for menu in window.menus.values():  # every menu has a mnemonic
        assert "&" in menu.title()


def test_toolbar_actions(window: MainWindow) -> None:
    assert window.toolbar.actions() == [window.new_action, window.sync_action, window.search_action,
                                        window.refresh_action]
    window.sync_action.trigger()
    assert window.controller.syncs == 1


@pytest.mark.parametrize("role, offered", [(Role.ADMIN_INSTANSI, True), (Role.PENGHUBUNG, True),
                                           (Role.PIMPINAN, False), (Role.IT_ADMIN, False)])
def test_new_complaint_is_offered_to_the_roles_that_take_complaints_in(  # type: ignore[no-untyped-def]
        qtbot, make_workspace: Any, role: str, offered: bool) -> None:
    ws = make_workspace(role)
    win = MainWindow(ws, fake_features(), FakeController(ws))
    qtbot.add_widget(win)
    assert win.new_action.isVisible() is offered
    if offered:
        win.new_action.trigger()
        from ui.intake.staff_form import StaffIntakeForm

        forms = [w for w in win.findChildren(StaffIntakeForm) if w.isVisible()]
        assert len(forms) == 1
        forms[0].close()


def test_lock_and_unlock(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.complaint_list.complaint_selected.emit("c-1")
    window.lock_action.trigger()
    assert window.is_locked() and window.root.currentWidget() is window.lock_screen
    assert not window.refresh_action.isEnabled() and not window.menuBar().isEnabled()
    assert window.detail.verify not in window.complaint_menu.actions()
    window.lock_screen.password.setText("salah-sekali1")
    window.lock_screen.submit()
    assert window.is_locked() and window.lock_screen.error.isVisible()
    # The name is the locked account's own: only the password can be wrong (not the log-in's "name or password").
    assert window.lock_screen.error.text() == window.lock_screen.tr(
        "The password is wrong. Check Caps Lock and try again.") and "pengguna" not in window.lock_screen.error.text()
    window.lock_screen.password.setText(PASSWORD)
    window.lock_screen.submit()
    assert not window.is_locked() and window.refresh_action.isEnabled() and window.menuBar().isEnabled()
    assert window.detail.verify in window.complaint_menu.actions()


def test_known_errors_are_plain_messages(qtbot, window: MainWindow, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    def fail() -> None:
        raise NotFound(Message("Laporan tidak ditemukan.", "Complaint not found."))

    workspace.tasks.db(fail)
    box = window.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == "Laporan tidak ditemukan." and box.icon() == QMessageBox.Icon.Warning
    box.close()


def test_bugs_open_the_crash_dialog(qtbot, window: MainWindow, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    workspace.tasks.db(lambda: {}["nope"])
    dialog = window.crash.dialog
    assert dialog is not None and dialog.isVisible() and "KeyError" in dialog.details_text()
    dialog.close()


def test_backup_now_writes_a_copy_to_the_backup_folder(qtbot, window: MainWindow, workspace: Workspace,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    from ui.settings import BACKUP_DIR

    workspace.settings.set(BACKUP_DIR, str(tmp_path / "usb"))
    window.backup_action.trigger()
    copies = list((tmp_path / "usb").glob("lapor-desk-*-manual.sqlite3"))
    assert len(copies) == 1 and copies[0].stat().st_size > 0
    assert str(copies[0]) in window.statusBar().currentMessage()
    assert window.message_box is not None
    window.message_box.close()


def test_backup_to_an_unusable_folder_is_a_known_error(window: MainWindow, workspace: Workspace,
                                                       tmp_path: Path) -> None:
    from ui.settings import BACKUP_DIR

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    workspace.settings.set(BACKUP_DIR, str(blocker))
    window.backup_action.trigger()
    assert window.message_box is not None and "Cadangan tidak dapat ditulis" in window.message_box.text()
    window.message_box.close()


def test_status_bar_names_the_user_role_and_office(window: MainWindow, workspace: Workspace) -> None:
    text = window.user_label.full_text()
    assert workspace.user.full_name in text and "Admin instansi" in text and "Kabupaten Sleman" in text
    assert "Kabupaten Sleman" in window.windowTitle()


@pytest.mark.parametrize(("days_before", "shows"), [
    (120, None), (60, "Holiday calendar ends on"), (-10, "Holiday calendar ended on")])
def test_the_status_bar_warns_of_the_end_of_the_holiday_calendar(qtbot, world: World, workspace: Workspace,  # type: ignore[no-untyped-def]
                                                                  days_before: int, shows: str | None) -> None:
    with world.store.read() as session:
        horizon = holiday_horizon(session)
    assert horizon is not None
    world.clock.now = datetime.combine(horizon - timedelta(days=days_before), time(2), UTC)
    win = MainWindow(workspace, fake_features(), FakeController(workspace))
    qtbot.add_widget(win)
    win.show()
    notice = win.calendar_notice
    assert notice.isVisible() is (shows is not None)
    if shows is not None:
        assert notice.text().startswith(f"⚠ {shows}") and str(horizon.year) in notice.text()
        assert "estimates" in notice.toolTip() and "Update LAPOR Desk or sync" in notice.toolTip()
        assert notice.accessibleName() == "Holiday calendar"


def test_a_new_calendar_from_a_sync_takes_the_notice_away(qtbot, world: World, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    with world.store.read() as session:
        horizon = holiday_horizon(session)
    assert horizon is not None
    world.clock.now = datetime.combine(horizon - timedelta(days=60), time(2), UTC)
    win = MainWindow(workspace, fake_features(), FakeController(workspace))
    qtbot.add_widget(win)
    win.show()
    assert win.calendar_notice.isVisible()
    next_year = horizon.year + 1
    with world.store.transaction() as session:  # as sync/reference.py installs the server's calendar
        session.merge(Holiday(day=date(next_year, 12, 25), name="Natal", kind=HOLIDAY_NATIONAL))
        session.merge(Holiday(day=date(next_year, 12, 24), name="Cuti bersama", kind=HOLIDAY_CUTI_BERSAMA))
    world.ctx.reload_rules()
    workspace.hub.reference_changed.emit()
    assert not win.calendar_notice.isVisible()


def test_geometry_splitters_and_view_are_restored(qtbot, workspace: Workspace) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(workspace, fake_features(), FakeController(workspace))
    qtbot.add_widget(first)
    first.show()
    first.resize(700, 500)  # the offscreen screen is 800×600
    first.splitter.setSizes([200, 300])
    first.nav.select("archived")
    sizes = first.splitter.sizes()
    first.close()
    second = MainWindow(workspace, fake_features(), FakeController(workspace))
    qtbot.add_widget(second)
    second.show()
    assert second.size().width() == 700 and second.splitter.sizes() == sizes
    assert second.complaint_list.view == "archived"


# ---- with the real feature widgets -------------------------------------------------------------------------------


@pytest.fixture
def real_window(qtbot, workspace: Workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    features = Features.real()
    controller = features.sync_controller(workspace)
    win = MainWindow(workspace, features, controller)
    qtbot.add_widget(win)
    win.show()
    qtbot.wait_exposed(win)
    return win


def test_real_features_navigation_and_counts(qtbot, real_window: MainWindow, world: World,  # type: ignore[no-untyped-def]
                                             workspace: Workspace) -> None:
    from ui.complaints.views import VIEWS
    from ui.navigation import DASHBOARD

    # the office admin: the dashboard first, the complaint views, the sync pages
    assert real_window.nav.entry_keys() == [DASHBOARD] + [v.key for v in VIEWS] + [CONFLICTS, SYNC_LOG]
    assert real_window.nav.count_of(DASHBOARD) is None  # a page without a count
    qtbot.wait_until(lambda: real_window.nav.count_of("verify") is not None)
    before = real_window.nav.count_of("verify")
    complaint_id = world.new_complaint()
    with qtbot.wait_signal(real_window.nav.counts_updated, timeout=3000):
        workspace.hub.complaints_changed.emit([complaint_id])
    assert real_window.nav.count_of("verify") == before + 1
    assert real_window.nav.count_of(CONFLICTS) == 0
    for key in real_window.nav.entry_keys():
        real_window.nav_actions[key].trigger()
        assert real_window.nav.current_key() == key
    assert real_window.current_page() is real_window.sync_log
    real_window.nav_actions["verify"].trigger()
    assert real_window.current_page() is real_window.splitter
    assert real_window.complaint_list.view_key == "verify"


def test_real_features_selection_fills_the_complaint_menu(qtbot, real_window: MainWindow, world: World,  # type: ignore[no-untyped-def]
                                                          workspace: Workspace) -> None:
    complaint_id = world.new_complaint()
    workspace.hub.complaints_changed.emit([complaint_id])
    real_window.nav.select("verify")
    real_window.complaint_list.complaint_selected.emit(complaint_id)
    qtbot.wait_until(lambda: len(real_window.detail.menu_actions()) > 0, timeout=3000)
    papers = real_window.detail.print_actions()
    menu = [a for a in real_window.complaint_menu.actions() if not a.isSeparator()]
    assert menu == real_window.detail.menu_actions() + papers  # the steps, then the receipt and the letter
    own = {a.shortcut().toString() for a in real_window.window_actions if not a.shortcut().isEmpty()}
    theirs = {a.shortcut().toString() for a in real_window.detail.menu_actions() + papers
              if not a.shortcut().isEmpty()}
    assert not own & theirs, "the detail's shortcuts must not clash with the window's"


def test_real_window_asks_for_its_first_rows_once_and_first(qtbot, workspace: Workspace,  # type: ignore[no-untyped-def]
                                                            world: World, monkeypatch) -> None:
    """The list's id query is the first database work of the window (the first rows wait for it), made once for
    the remembered view; the navigation's counts come after the window is shown."""
    from ui.complaints.fetch import fetch_ids

    world.new_complaint()
    workspace.window_state.save("main/view", QByteArray(b"verify"))
    submitted: list[str] = []
    real_db = workspace.tasks.db

    def db(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        submitted.append(getattr(fn, "__name__", repr(fn)))
        return real_db(fn, *args, **kwargs)

    monkeypatch.setattr(workspace.tasks, "db", db)
    features = Features.real()
    win = MainWindow(workspace, features, features.sync_controller(workspace))
    qtbot.add_widget(win)
    assert submitted[0] == fetch_ids.__name__ and submitted.count(fetch_ids.__name__) == 1
    assert win.complaint_list.view_key == "verify" and win.nav.current_key() == "verify"
    assert win.nav_actions["verify"].isChecked() and win.current_page() is win.splitter
    assert "counter" not in submitted  # the counts: once the window is shown
    win.show()
    qtbot.wait_until(lambda: win.nav.count_of("verify") == 1)
    assert submitted.count(fetch_ids.__name__) == 1


def test_navigation_measures_its_entries_again_when_the_font_changes(window: MainWindow) -> None:
    nav = window.nav
    before = nav.sizeHint().width()
    font = nav.font()
    font.setPointSizeF(font.pointSizeF() * 3)
    nav.setFont(font)
    assert nav.sizeHint().width() > before


def test_leadership_starts_on_the_dashboard_and_its_drilldown_opens_the_list(  # type: ignore[no-untyped-def]
        qtbot, make_workspace: Any, world: World) -> None:
    from ui.navigation import DASHBOARD

    ids = [world.new_complaint(), world.new_complaint(title="Lampu jalan padam di simpang pasar")]
    ws = make_workspace(Role.PIMPINAN)
    features = Features.real()
    win = MainWindow(ws, features, features.sync_controller(ws))
    qtbot.add_widget(win)
    win.show()
    assert win.current_page() is win.dashboard and win.nav.current_key() == DASHBOARD
    assert win.report_action.isVisible() and not win.new_action.isVisible()
    assert win.nav_actions[DASHBOARD].shortcut().toString() == "Ctrl+1"
    win.dashboard.drilldown_requested.emit("Diterima", ids[:1])
    assert win.current_page() is win.splitter
    qtbot.wait_until(lambda: win.complaint_list.model.rowCount() == 1)
    win.nav.select(DASHBOARD)
    assert win.current_page() is win.dashboard


@pytest.mark.parametrize("role", [Role.PENGHUBUNG, Role.IT_ADMIN])
def test_the_dashboard_is_for_leadership_and_the_office_admin(qtbot, make_workspace: Any,  # type: ignore[no-untyped-def]
                                                              role: str) -> None:
    from ui.navigation import DASHBOARD, SYNC_PROBLEMS

    ws = make_workspace(role)
    features = Features.real()
    win = MainWindow(ws, features, features.sync_controller(ws))
    qtbot.add_widget(win)
    first = win.page(SYNC_PROBLEMS) if role == Role.IT_ADMIN else win.splitter  # IT opens on its sync problems
    assert DASHBOARD not in win.nav_actions and win.current_page() is first
    assert win.report_action.isVisible() is (role == Role.PENGHUBUNG)  # a liaison reports on their own unit
