"""The office's accounts for IT: who can log in on this PC, in which role and unit, and whether the account is
disabled or locked after failed log-ins; add an account, give a new password, unlock, disable or enable. The
services check that the person acting is IT and that the last IT account stays active."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import Role
from app.errors import ValidationError
from app.read.choices import Choice, load_office_units
from app.reference.labels import label
from app.rules.accounts import check_username
from app.security import generate_password
from app.services import users
from app.services.users import LOGIN_ROLES, UserInfo
from ui import screen_fit
from ui.admin.common import confirm, error_text, fill, lead, local_time, page_title, table
from ui.login import error_label, show_error
from ui.style import style_form
from ui.workspace import Workspace


@dataclass(frozen=True)
class Accounts:
    users: list[UserInfo]
    units: list[Choice]
    now: datetime


def read_accounts(ws: Workspace) -> Accounts:
    """Database thread: the office's accounts and units, and the time their lockouts are judged against."""
    return Accounts(users.list_users(ws.services, ws.office_id), load_office_units(ws.store, ws.office_id,
                                                                                    active_only=False),
                    ws.services.clock())


def is_locked(user: UserInfo, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


class AccountsPage(QWidget):
    """The table and the four actions on the selected account; every change is one service call on the database
    thread, after which the table is read again."""

    loaded = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._ws = ws
        self._accounts: Accounts | None = None
        self._dirty = True
        self.message_box: QMessageBox | None = None
        self.dialog: AccountDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(page_title(self.tr("User accounts"), self))
        layout.addWidget(lead(self.tr(
            "Everyone who works on this PC has their own account. A new account gets a random first password to "
            "hand over in person; its owner changes it under File ▸ Change password. After five wrong passwords an "
            "account locks itself for five minutes; unlock it here once you know it was its owner."), self))
        self.view = table([self.tr("User name"), self.tr("Name"), self.tr("Role"), self.tr("Unit"),
                           self.tr("Status")], self, accessible_name=self.tr("User accounts"))
        self.view.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.view, 1)
        self.status = lead("", self)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add an account…"), self)
        self.password_button = QPushButton(self.tr("New &password…"), self)
        self.unlock_button = QPushButton(self.tr("&Unlock"), self)
        self.active_button = QPushButton(self.tr("&Disable"), self)
        self.add_button.clicked.connect(self.add_account)
        self.password_button.clicked.connect(self.new_password)
        self.unlock_button.clicked.connect(self.unlock)
        self.active_button.clicked.connect(self.toggle_active)
        for button in (self.add_button, self.password_button, self.unlock_button, self.active_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        ws.hub.reference_changed.connect(self._mark_dirty)
        self._update_buttons()

    # ---- reading ------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._dirty = False
        self._ws.tasks.db(read_accounts, self._ws, on_success=self._show, owner=self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    @Slot()
    def _mark_dirty(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def _show(self, accounts: Accounts) -> None:
        selected = self.selected()
        self._accounts = accounts
        units = {u.id: u.name for u in accounts.units}
        lang = self._ws.lang
        fill(self.view, [(u.username, u.full_name, label(Role(u.role), lang), units.get(u.unit_id or "", "—"),
                          self._status_text(u, accounts.now)) for u in accounts.users])
        for row, user in enumerate(accounts.users):
            if selected is not None and user.username == selected.username:
                self.view.selectRow(row)
        self._update_buttons()
        self.loaded.emit()

    def _status_text(self, user: UserInfo, now: datetime) -> str:
        if not user.active:
            return self.tr("disabled")
        if is_locked(user, now):
            return self.tr("locked until %1").replace("%1", local_time(user.locked_until))
        return self.tr("active")

    def selected(self) -> UserInfo | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        if not rows or self._accounts is None:
            return None
        return self._accounts.users[rows[0].row()]

    def select(self, username: str) -> None:
        for row, user in enumerate(self._accounts.users if self._accounts else []):
            if user.username == username:
                self.view.selectRow(row)

    @Slot()
    def _update_buttons(self) -> None:
        user = self.selected()
        mine = user is not None and user.id == self._ws.user.id
        self.password_button.setEnabled(user is not None and not mine)  # one's own: File ▸ Change password
        self.unlock_button.setEnabled(user is not None and self._accounts is not None
                                      and is_locked(user, self._accounts.now))
        self.active_button.setEnabled(user is not None and not mine)
        self.active_button.setText(self.tr("&Enable") if user is not None and not user.active
                                   else self.tr("&Disable"))

    # ---- changing -----------------------------------------------------------------------------------------------

    def add_account(self) -> None:
        dialog = AccountDialog(self._ws, self._accounts.units if self._accounts else [], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.added.connect(self._added)
        self.dialog = dialog
        dialog.open()

    def _added(self, info: UserInfo, password: str) -> None:
        self._ws.hub.reference_changed.emit()
        self._tell(self.tr("Account added"), self.tr(
            "The account %1 was added. Its first password is:\n\n%2\n\nHand it over in person; it is not shown "
            "again.").replace("%1", info.username).replace("%2", password))

    def new_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        password = generate_password()
        self._run(users.set_password, user.username, password, done=self.tr(
            "The new password of %1 is:\n\n%2\n\nHand it over in person; it is not shown again. The account is "
            "unlocked.").replace("%1", user.username).replace("%2", password))

    def unlock(self) -> None:
        user = self.selected()
        if user is not None:
            self._run(users.unlock, user.username,
                      status=self.tr("%1 is unlocked.").replace("%1", user.username))

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        text = self.tr("%1 is enabled.") if not user.active else self.tr("%1 is disabled.")

        def change() -> None:
            self._run(users.set_active, user.username, not user.active, status=text.replace("%1", user.username))

        if not user.active:
            change()
            return
        self.message_box = confirm(self, self.tr("Disable the account?"), self.tr(
            "%1 will no longer be able to log in. What they did stays in the records.").replace("%1", user.username),
            self.tr("&Disable"), change)

    def _run(self, action: object, *args: object, done: str = "", status: str = "") -> None:
        def succeeded(_result: object) -> None:
            self._ws.hub.reference_changed.emit()
            self.status.setText(status)
            if done:
                self._tell(self.tr("Password changed"), done)

        self._ws.tasks.db(action, self._ws.services, *args, actor_id=self._ws.user.id, on_success=succeeded,
                          on_failure=self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self._tell(self.tr("Not changed"), error_text(exc, self._ws.lang), QMessageBox.Icon.Warning)

    def _tell(self, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        style_form(box)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_box = box
        box.open()


class AccountDialog(QDialog):
    """A new account: user name, full name, role and (for a liaison) the unit; the first password is made by the
    program. Every problem is shown under its field at once."""

    added = Signal(object, str)  # UserInfo, the first password

    def __init__(self, ws: Workspace, units: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._ws = ws
        self.setWindowTitle(self.tr("Add an account"))
        self.username = QLineEdit(self)
        self.username.setPlaceholderText(self.tr("e.g. rina.loket"))
        self.full_name = QLineEdit(self)
        self.role = QComboBox(self)
        for role in LOGIN_ROLES:
            self.role.addItem(label(Role(role), ws.lang), str(role))
        self.role.setCurrentIndex(self.role.findData(str(Role.PETUGAS_LOKET)))
        self.unit = QComboBox(self)
        self.unit.addItem(self.tr("(no unit)"), None)
        for unit in units:
            self.unit.addItem(unit.name, unit.id)
        self.role.currentIndexChanged.connect(self._role_changed)
        self.errors = {name: error_label() for name in ("username", "full_name", "role", "unit", "other")}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field, key in ((self.tr("&User name"), self.username, "username"),
                                 (self.tr("&Full name"), self.full_name, "full_name"),
                                 (self.tr("&Role"), self.role, "role"), (self.tr("U&nit"), self.unit, "unit")):
            caption = QLabel(text, self)
            caption.setBuddy(field)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(field)
            column.addWidget(self.errors[key])
            form.addRow(caption, column)
        hint = lead(self.tr("User names: 3–64 letters, digits, dots, dashes or underscores. The unit is needed for "
                            "a unit liaison, who sees only that unit's complaints."), self)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(self.tr("&Add"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.save_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(min(520, screen_fit.available_rect(self).width() - 40))
        self._role_changed()

    @Slot()
    def _role_changed(self) -> None:
        self.unit.setEnabled(self.role.currentData() == Role.PENGHUBUNG)
        if not self.unit.isEnabled():
            self.unit.setCurrentIndex(0)

    def problems(self) -> dict[str, str]:
        """What the form itself can see is wrong, by field (the service checks again, and what only it knows)."""
        found: dict[str, str] = {}
        try:
            check_username(self.username.text())
        except ValidationError as exc:
            found["username"] = exc.fields["username"].text(self._ws.lang)
        if not self.full_name.text().strip():
            found["full_name"] = self.tr("Fill in the full name.")
        if self.role.currentData() == Role.PENGHUBUNG and self.unit.currentData() is None:
            found["unit"] = self.tr("Choose the unit this liaison works for.")
        return found

    def _show_problems(self, problems: dict[str, str]) -> None:
        for key, label_ in self.errors.items():
            show_error(label_, problems.get(key, ""))
        fields = {"username": self.username, "full_name": self.full_name, "role": self.role, "unit": self.unit}
        for key in fields:
            if key in problems:
                fields[key].setFocus()
                break
        screen_fit.grow_to_content(self)  # the error lines need their room; a dialog does not grow by itself

    @Slot()
    def submit(self) -> None:
        problems = self.problems()
        self._show_problems(problems)
        if problems:
            return
        self.save_button.setEnabled(False)
        password = generate_password()
        ws = self._ws
        ws.tasks.db(users.add_user, ws.services, username=self.username.text(), full_name=self.full_name.text(),
                    role=self.role.currentData(), password=password, office_id=ws.office_id,
                    unit_id=self.unit.currentData(), actor_id=ws.user.id,
                    on_success=lambda info: self._added(info, password), on_failure=self._failed, owner=self)

    def _added(self, info: UserInfo, password: str) -> None:
        self.added.emit(info, password)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            known = {k: m.text(self._ws.lang) for k, m in exc.fields.items() if k in self.errors}
            other = " ".join(m.text(self._ws.lang) for k, m in exc.fields.items() if k not in self.errors)
            self._show_problems({**known, **({"other": other} if other else {})})
        else:
            self._show_problems({"other": error_text(exc, self._ws.lang)})
