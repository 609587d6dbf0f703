"""The main window: a thin shell around the feature widgets — navigation on the left, the complaint list and detail
(or a sync page) in the middle, menus, toolbar and status bar — plus the lock screen.

The feature widgets come from ui.complaints, ui.detail and ui.sync through :class:`Features`, so the shell can be
tested with small stand-ins and the features without the shell.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app import __version__
from app.domain import Role
from app.errors import Message
from app.report.access import REPORT_ROLES
from app.rules.scope import Reach, Scope
from app.services.users import home_office_name
from ui import operations, screen_fit
from ui.admin import ADMIN_ROLES
from ui.admin import pages as admin_area
from ui.calendar_notice import CalendarNotice
from ui.crash import CrashReporter, known_error_box
from ui.intake.launch import may_take_in
from ui.lock import ChangePasswordDialog, LockScreen
from ui.main_window_layout import restore_layout, save_layout, saved_page
from ui.navigation import CONFLICTS, DASHBOARD, SYNC_LOG, SYNC_PROBLEMS, NavEntry, NavigationList
from ui.style import STATUS_BAR_STYLE, TOOLBAR_STYLE, style_form
from ui.window_features import Features, back_up_now, banner_in_toolbar, show_user_line, user_line_label
from ui.workspace import Workspace

log = logging.getLogger(__name__)

DASHBOARD_ROLES = frozenset({Role.PIMPINAN, Role.ADMIN_INSTANSI})


class MainWindow(QMainWindow):
    """The logged-in window. ``controller`` is the sync controller (``ws.extras["sync"]``). ``switch_user_requested``:
    the person logs out (start-up brings the log-in form back)."""

    switch_user_requested = Signal()
    restart_requested = Signal()  # a restore is staged: start-up closes everything and starts the program again

    def __init__(self, ws: Workspace, features: Features, controller: Any, *, crash: CrashReporter | None = None,
                 log_dir: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.features = features
        self.controller = controller
        self.log_dir = log_dir
        self.crash = crash or CrashReporter(None, self)  # start-up passes the one its hooks report to
        self.crash.window = self
        self.message_box: QMessageBox | None = None
        self.setObjectName("mainWindow")
        self.setWindowTitle("LAPOR Desk")

        # IT reads no complaints (app.rules.scope): no complaint views and no conflicts to decide, but the
        # administration area, opening on the sync problems.
        self.reads_complaints = Scope.of(ws.user).reach != Reach.NONE
        views = features.views() if self.reads_complaints else []
        sync_pages = ([NavEntry(CONFLICTS, self.tr("Sync conflicts"), self.tr("Changes to review after a sync"))]
                      if self.reads_complaints else [])
        sync_pages.append(NavEntry(SYNC_LOG, self.tr("Sync log"), self.tr("What the recent syncs did")))
        admin = admin_area.entries() if ws.role in ADMIN_ROLES else []
        self._complaint_views = {e.key for e in views}
        start = saved_page(ws.window_state, [e.key for e in views + admin], SYNC_PROBLEMS if admin else "inbox")
        self._last_view = start if start in self._complaint_views else "inbox"  # the list's view
        self._current_key = start
        dashboard = [NavEntry(DASHBOARD, self.tr("Dashboard"), self.tr("Performance figures and charts for a period"))
                     ] if features.dashboard is not None and ws.role in DASHBOARD_ROLES else []
        views = dashboard + views

        # Built from the outside in: a widget made inside its final parent is styled once, while one moved into a
        # parent afterwards is styled again with all its children (with the style sheet, a tenth of a second).
        self.root = QStackedWidget()
        self.setCentralWidget(self.root)
        self.body = QSplitter(Qt.Orientation.Horizontal, self.root)
        self.body.setObjectName("bodySplitter")
        self.body.setChildrenCollapsible(False)
        self.root.addWidget(self.body)

        reads_complaints = self.reads_complaints  # (not self: the navigation keeps the function)

        def counter(w: Workspace) -> dict[str, int]:
            if not reads_complaints:
                return {SYNC_PROBLEMS: admin_area.problem_count(w)} if admin else {}
            return {**features.view_counts(w), CONFLICTS: features.open_conflict_count(w)}

        self.nav = NavigationList(ws, views, sync_pages, counter, self.body, admin=admin)
        self.body.addWidget(self.nav)
        self.pages = QStackedWidget(self.body)
        self.body.addWidget(self.pages)
        self.body.setStretchFactor(1, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self.pages)
        self.splitter.setObjectName("complaintSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.pages.addWidget(self.splitter)
        # The list first of the features, opening on the remembered view: its id query then runs on the database
        # thread while the rest of the window is built.
        self.complaint_list = features.complaint_list(ws, self.splitter, view=self._last_view)
        self.detail = features.complaint_detail(ws, self.splitter)
        self.splitter.addWidget(self.complaint_list)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        # The other pages are built when first shown (the sync pages were a fifth of the window's building, for
        # pages most days never opened; it is done while the log-in waits, where it holds the keys typed).
        # (Made by key, not kept as closures: a closure over the window would keep its Python side alive after
        # a log-out deleted it.)
        self._page_keys = {CONFLICTS, SYNC_LOG, DASHBOARD} | {e.key for e in admin}
        self._built_pages: dict[str, QWidget] = {}
        self.lock_screen = LockScreen(ws, self.root)
        self.root.addWidget(self.lock_screen)

        self._build_actions([e.key for e in [*admin, *views, *sync_pages]],
                            {e.key: e.title for e in [*admin, *views, *sync_pages]})
        self._build_menus()
        self._build_toolbar()
        for action in (self.export_action, self.search_action, self.complaint_menu.menuAction()):
            action.setVisible(self.reads_complaints)
        self._build_status_bar()
        self.notifier = features.notifier(ws, controller, self) if features.notifier else None
        if self.notifier is not None and self.banner is not None and hasattr(self.notifier, "notify"):
            self.notifier.notify.connect(self.banner.show_message)

        self.nav.entry_selected.connect(self.show_page)
        self.complaint_list.complaint_selected.connect(self._complaint_selected)
        self.complaint_list.complaint_activated.connect(self._complaint_activated)
        self.detail.actions_changed.connect(self._rebuild_complaint_menu)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.quit_requested.connect(self.close)
        self.lock_screen.switch_requested.connect(self.switch_user_requested)
        ws.tasks.known_error.connect(self.show_known_error)
        if crash is None:
            ws.tasks.bug.connect(self.crash.show_bug)
        ws.tasks.db(home_office_name, ws.store, on_success=self._show_office, owner=self)
        self._restore_state()
        self._open_first_view()
        if dashboard and ws.role == Role.PIMPINAN:
            self.show_page(DASHBOARD)  # leadership starts on its figures

    # ---- building ----------------------------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], Any], shortcut: str | QKeySequence | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip if not shortcut else f"{tip} ({action.shortcut().toString()})")
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self, keys: list[str], titles: dict[str, str]) -> None:
        self.new_action = self._action(self.tr("&New complaint…"), self.new_complaint, "Ctrl+N",
                                       self.tr("Register a complaint received at the counter, by letter, phone, "
                                               "e-mail, social media or SMS/WhatsApp"))
        self.new_action.setVisible(may_take_in(self.ws.role))
        self.export_action = self._action(self.tr("&Export the list…"), self.export_list, None,
                                          self.tr("Save the complaints the list shows now as Excel, CSV or Open311"))
        self.report_action = self._action(self.tr("Monthly &report…"), self.open_monthly_report, None,
                                          self.tr("Write the monthly report for leadership as a PDF"))
        self.report_action.setVisible(self.ws.role in REPORT_ROLES)
        self.settings_action = self._action(self.tr("&Settings…"), self.open_settings, "Ctrl+,")
        self.backup_action = self._action(self.tr("&Back up now"), self.backup_now, "Ctrl+Shift+B",
                                          self.tr("Save a copy of the database in the backup folder"))
        self.password_action = self._action(self.tr("Change &password…"), self.change_password)
        self.lock_action = self._action(self.tr("&Lock screen"), self.lock, "Ctrl+L")
        self.logout_action = self._action(self.tr("Log &out (switch user)"), self.switch_user_requested.emit,
                                          "Ctrl+Shift+Q", self.tr("End your session; someone else can log in"))
        self.quit_action = self._action(self.tr("&Quit LAPOR Desk"), self.close, "Ctrl+Q")
        self.refresh_action = self._action(self.tr("&Refresh"), self.refresh, "F5",
                                           self.tr("Read the lists and counts again"))
        self.search_action = self._action(self.tr("&Search"), self.focus_search, "Ctrl+F",
                                          self.tr("Search the complaints"))
        self.sync_action = self._action(self.tr("S&ync now"), self.sync_now, "F9",
                                        self.tr("Send and receive changes with the server now"))
        self.sync_action.setEnabled(bool(getattr(self.controller, "configured", False)))
        self.about_action = self._action(self.tr("&About LAPOR Desk"), self.show_about)
        self.guide_action = self._action(self.tr("&User guide"), self.open_guide,
                                         QKeySequence(QKeySequence.StandardKey.HelpContents),
                                         self.tr("How to do your work in LAPOR Desk, step by step"))
        self.log_folder_action = self._action(self.tr("Open the &log folder"), self.open_log_folder)
        self.nav_group = QActionGroup(self)
        self.nav_actions: dict[str, QAction] = {}
        for number, key in enumerate(keys, start=1):
            action = self._action(titles[key], functools.partial(self.nav.select, key),
                                  f"Ctrl+{number}" if number <= 9 else None)
            action.setCheckable(True)
            self.nav_group.addAction(action)
            self.nav_actions[key] = action
        self.window_actions = [self.new_action, self.export_action, self.report_action, self.settings_action,
                               self.backup_action, self.password_action, self.lock_action, self.logout_action,
                               self.refresh_action, self.search_action, self.sync_action, self.about_action,
                               self.log_folder_action, *self.nav_actions.values()]  # (the guide works locked)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([self.new_action, self.export_action, self.report_action])
        file_menu.addSeparator()
        file_menu.addActions([self.settings_action, self.password_action])
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addActions([self.lock_action, self.logout_action, self.quit_action])
        self.complaint_menu = bar.addMenu(self.tr("&Complaint"))
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions(list(self.nav_actions.values()))
        view_menu.addSeparator()
        view_menu.addActions([self.search_action, self.refresh_action, self.sync_action])
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.guide_action)
        self.addAction(self.guide_action)  # F1 also on the lock screen, whose menu bar is off
        help_menu.addSeparator()
        help_menu.addActions([self.about_action, self.log_folder_action])
        self.menus: dict[str, QMenu] = {"file": file_menu, "complaint": self.complaint_menu, "view": view_menu,
                                        "help": help_menu}
        self._rebuild_complaint_menu()

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self.tr("Toolbar"))
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setStyleSheet(TOOLBAR_STYLE)
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addActions([self.new_action, self.sync_action, self.search_action, self.refresh_action])
        self.banner = banner_in_toolbar(self.toolbar, self.features.banner) if self.features.banner else None
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def _build_status_bar(self) -> None:
        self.statusBar().setStyleSheet(STATUS_BAR_STYLE)
        self.user_label = user_line_label(self.ws)
        self.statusBar().addWidget(self.user_label, 1)
        self.calendar_notice = CalendarNotice(self.ws, self)
        self.statusBar().addPermanentWidget(self.calendar_notice)
        self.sync_status = self.features.sync_status(self.ws, self.controller, self)
        self.statusBar().addPermanentWidget(self.sync_status)
        requested = getattr(self.sync_status, "conflicts_requested", None)
        if requested is not None:
            requested.connect(lambda: self.show_page(CONFLICTS))

    # ---- pages -------------------------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page of ``key`` (not a complaint view), built on first use."""
        built = self._built_pages.get(key)
        if built is None:
            built = self._built_pages[key] = self._make_page(key)
            self.pages.addWidget(built)
        return built

    def _make_page(self, key: str) -> QWidget:
        if key == CONFLICTS:
            return self.features.conflict_review(self.ws, self.pages)  # type: ignore[no-any-return]
        if key == SYNC_LOG:
            return self.features.sync_log(self.ws, self.controller, self.pages)  # type: ignore[no-any-return]
        if key == DASHBOARD:
            assert self.features.dashboard is not None
            dashboard = self.features.dashboard(self.ws, self.pages)
            dashboard.drilldown_requested.connect(self._open_drilldown)
            return dashboard  # type: ignore[no-any-return]
        return admin_area.make(key, self.ws, self.controller, self.log_dir, self, self.pages)

    @property
    def conflicts(self) -> QWidget:
        """The conflict review page."""
        return self.page(CONFLICTS)

    @property
    def dashboard(self) -> QWidget:
        """The KPI dashboard; its drill-downs open the complaint list on those complaints."""
        return self.page(DASHBOARD)

    def _open_drilldown(self, title: str, ids: list[str]) -> None:
        self.show_page(self._last_view)  # the list's view; its drill-down then narrows it to these complaints
        opener = getattr(self.complaint_list, "open_drilldown", None)
        if opener is not None:
            opener(ids, title)

    @property
    def sync_log(self) -> QWidget:
        """The sync log page."""
        return self.page(SYNC_LOG)

    @Slot(str)
    def show_page(self, key: str) -> None:
        action = self.nav_actions.get(key)
        if action is not None:
            action.setChecked(True)
        self._current_key = key
        if key in self._page_keys:
            self.pages.setCurrentWidget(self.page(key))
        else:
            self._last_view = key
            self.pages.setCurrentWidget(self.splitter)
            self.complaint_list.set_view(key)
        if self.nav.current_key() != key:
            self.nav.select(key)

    def current_page(self) -> QWidget | None:
        return self.pages.currentWidget()

    @Slot(str)
    def _complaint_selected(self, complaint_id: str) -> None:
        self.detail.show_complaint(complaint_id or None)

    @Slot(str)
    def _complaint_activated(self, complaint_id: str) -> None:
        if complaint_id:
            self.detail.show_complaint(complaint_id)
            self.detail.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _rebuild_complaint_menu(self) -> None:
        self.complaint_menu.clear()
        actions = [] if self.is_locked() else list(self.detail.menu_actions())
        if actions:
            self.complaint_menu.addActions(actions)
            papers = getattr(self.detail, "print_actions", None)
            if papers is not None:
                self.complaint_menu.addSeparator()
                self.complaint_menu.addActions(papers())
        else:
            placeholder = self.complaint_menu.addAction(self.tr("(select a complaint first)"))
            placeholder.setEnabled(False)

    # ---- actions -----------------------------------------------------------------------------------------------

    def new_complaint(self) -> None:
        """The staff's intake form (non-modal; the list shows the new complaint once it is saved)."""
        from ui.intake.launch import open_staff_intake

        open_staff_intake(self.ws, self)

    def export_list(self) -> None:
        """The list as it is shown now (view, filters, search, order) to a file (ui.complaints' export)."""
        if self.pages.currentWidget() is not self.splitter:
            self.show_page(self._last_view)
        export = getattr(self.complaint_list, "export_list", None)
        if export is not None:
            export()

    def open_monthly_report(self) -> None:
        """Month and unit, then where to save the PDF; computed on the database thread (ui.report)."""
        from ui.report.launch import open_monthly_report

        self._report_flow = open_monthly_report(self.ws, self)  # kept alive while its dialogs are open

    def refresh(self) -> None:
        operations.reload_all(self.ws.hub)

    def focus_search(self) -> None:
        if self.pages.currentWidget() is not self.splitter:
            self.show_page(self._last_view)
        self.complaint_list.focus_search()

    def sync_now(self) -> None:
        if self.controller is not None and not self.controller.sync_now():
            self.statusBar().showMessage(self.tr("A sync is already running or this PC is not enrolled."), 5000)

    def backup_now(self) -> None:
        back_up_now(self)

    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ws, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._settings_saved)
        self.settings_dialog = dialog
        dialog.open()

    @Slot()
    def _settings_saved(self) -> None:
        if self.controller is not None and getattr(self.controller, "configured", False):
            self.controller.start_auto(first_after_ms=-1)

    def request_restart(self) -> None:
        """A restore is staged (ui.admin.backups, after the person agreed): close and start again."""
        log.info("restart requested to restore a backup")
        self.restart_requested.emit()

    def change_password(self) -> None:
        dialog = ChangePasswordDialog(self.ws, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.statusBar().showMessage(self.tr("Your password was changed."), 8000))
        self.password_dialog = dialog
        dialog.open()

    def show_about(self) -> None:
        self._message(QMessageBox.Icon.Information, self.tr("About LAPOR Desk"), self.tr(
            "LAPOR Desk %1\n\nHandling SP4N-LAPOR! public complaints in the office, online or offline.")
            .replace("%1", __version__))

    def open_guide(self) -> None:
        """The user guide on this person's role's page (F1; ui.guide)."""
        from ui.guide import open_guide

        self.guide = open_guide(self.ws, self)

    def open_log_folder(self) -> None:
        from PySide6.QtCore import QUrl

        if self.log_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))

    @Slot(object)
    def show_known_error(self, message: Message) -> None:
        self.message_box = known_error_box(self, message, self.ws.lang)

    def _message(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        style_form(box)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_box = box
        box.open()

    def _show_office(self, name: str) -> None:
        show_user_line(self.user_label, self.ws, name)
        self.setWindowTitle(f"LAPOR Desk — {name}" if name else "LAPOR Desk")

    # ---- lock --------------------------------------------------------------------------------------------------

    def is_locked(self) -> bool:
        return self.root.currentWidget() is self.lock_screen

    def lock(self) -> None:
        if self.is_locked():
            return
        log.info("screen locked")
        self.root.setCurrentWidget(self.lock_screen)
        for action in self.window_actions:
            action.setEnabled(False)
        self.menuBar().setEnabled(False)
        self.toolbar.setEnabled(False)
        self._rebuild_complaint_menu()
        self.lock_screen.reset()

    @Slot()
    def unlock(self) -> None:
        log.info("screen unlocked")
        self.root.setCurrentWidget(self.body)
        for action in self.window_actions:
            action.setEnabled(True)
        self.sync_action.setEnabled(bool(getattr(self.controller, "configured", False)))
        self.menuBar().setEnabled(True)
        self.toolbar.setEnabled(True)
        self._rebuild_complaint_menu()

    # ---- state -------------------------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        self.panes = restore_layout(self, self.ws.window_state)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        screen_fit.keep_on_screen_once_shown(self)  # the window manager's frame is known now

    def _open_first_view(self) -> None:
        """Select the view the list opened on, without asking the list for it a second time (or open IT's page)."""
        if self._current_key not in self._complaint_views:
            self.show_page(self._current_key)
            return
        self.nav.blockSignals(True)
        self.nav.select(self._last_view)
        self.nav.blockSignals(False)
        action = self.nav_actions.get(self._last_view)
        if action is not None:
            action.setChecked(True)
        self.pages.setCurrentWidget(self.splitter)

    def save_state(self) -> None:
        opened = self._current_key if self._current_key in self._page_keys - {
            DASHBOARD, CONFLICTS, SYNC_LOG} else self._last_view  # a complaint view, or an administration page
        save_layout(self, self.ws.window_state, opened)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
