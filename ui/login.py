"""Log-in against the local accounts (offline), the lock screen and changing one's own password.

Password checks run on the database thread (Argon2id takes a moment on purpose); failures are shown inline, in
the words of the service (wrong name or password, account locked for N minutes, the password rules).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app import meta
from app.db import Store
from app.domain import Role
from app.errors import LaporError, ValidationError
from app.models import Office, User
from app.services.context import ServiceContext
from app.services.users import MIN_PASSWORD, UserInfo, authenticate, change_own_password
from ui.settings import DEMO_MODE, LAST_USERNAME, Settings
from ui.style import scaled_font
from ui.tasks import TaskRunner
from ui.workspace import Workspace


def home_office_name(store: Store) -> str:
    """The name of this PC's office ("" before set-up); runs on the database thread."""
    with store.read() as session:
        office_id = meta.get(session, meta.HOME_OFFICE)
        office = session.get(Office, office_id) if office_id else None
        return office.name if office else ""


def demo_usernames(store: Store) -> list[str]:
    """The home office's admin and counter accounts, to name on the log-in of a demo installation."""
    with store.read() as session:
        office_id = meta.get(session, meta.HOME_OFFICE)
        if not office_id:
            return []
        rows = session.execute(select(User.username, User.role).where(User.office_id == office_id)
                               .where(User.role.in_([Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET]))
                               .order_by(User.role, User.username)).all()
    return [name for name, _role in rows][:3]


def _password_field(accessible_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(accessible_name)
    return field


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class LoginDialog(QDialog):
    """Who is working at this PC. After ``accepted``, ``user`` holds the account."""

    def __init__(self, services: ServiceContext, tasks: TaskRunner, settings: Settings, lang: str = "id",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._settings = settings
        self._lang = lang
        self.user: UserInfo | None = None
        self.setWindowTitle(self.tr("LAPOR Desk — Log in"))
        self.setMinimumWidth(420)

        brand = QLabel("LAPOR Desk")
        brand.setObjectName("brand")
        brand.setFont(scaled_font(self.font(), 1.8, bold=True))
        tagline = QLabel(self.tr("Handling SP4N-LAPOR! public complaints"))
        tagline.setObjectName("muted")
        self.office_label = QLabel()
        self.office_label.setFont(scaled_font(self.font(), 1.05, bold=True))
        self.office_label.setWordWrap(True)

        self.username = QLineEdit(settings.get(LAST_USERNAME))
        self.username.setAccessibleName(self.tr("User name"))
        self.username.setPlaceholderText(self.tr("e.g. admin.sleman"))
        self.password = _password_field(self.tr("Password"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        name_label = QLabel(self.tr("&User name"))
        name_label.setBuddy(self.username)
        pass_label = QLabel(self.tr("&Password"))
        pass_label.setBuddy(self.password)
        form.addRow(name_label, self.username)
        form.addRow(pass_label, self.password)

        self.error = _error_label()
        self.hint = QLabel()
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        self.hint.setVisible(False)

        buttons = QDialogButtonBox()
        self.login_button = buttons.addButton(self.tr("&Log in"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton(self.tr("&Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        card = QFrame()
        card.setObjectName("card")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(20, 18, 20, 18)
        inner.setSpacing(10)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 22)
        layout.setSpacing(6)
        layout.addWidget(brand)
        layout.addWidget(tagline)
        layout.addSpacing(8)
        layout.addWidget(self.office_label)
        layout.addSpacing(4)
        layout.addWidget(card)
        layout.addWidget(self.hint)
        self.login_button.setDefault(True)

        (self.password if self.username.text() else self.username).setFocus()
        tasks.db(home_office_name, services.store, on_success=self._show_office, owner=self)
        if settings.get(DEMO_MODE):
            tasks.db(demo_usernames, services.store, on_success=self._show_demo_hint, owner=self)

    @Slot(str)
    def _show_office(self, name: str) -> None:
        self.office_label.setText(name)
        self.office_label.setVisible(bool(name))

    @Slot(list)
    def _show_demo_hint(self, usernames: list[str]) -> None:
        if not usernames:
            return
        from app.demo import DEMO_PASSWORD

        self.hint.setText(self.tr("Demo data: log in as %1 with the password %2.")
                          .replace("%1", ", ".join(usernames)).replace("%2", DEMO_PASSWORD))
        self.hint.setVisible(True)

    @Slot()
    def submit(self) -> None:
        name = self.username.text().strip()
        if not name or not self.password.text():
            _show_error(self.error, self.tr("Fill in your user name and password."))
            (self.username if not name else self.password).setFocus()
            return
        self.login_button.setEnabled(False)
        self._tasks.db(authenticate, self._services, name, self.password.text(), on_success=self._logged_in,
                       on_failure=self._failed, owner=self)

    def _logged_in(self, user: UserInfo) -> None:
        self.user = user
        self._settings.set(LAST_USERNAME, user.username)
        self._settings.sync()
        self.password.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.login_button.setEnabled(True)
        text = exc.text(self._lang) if isinstance(exc, LaporError) else str(exc)
        _show_error(self.error, text)
        self.password.clear()
        self.password.setFocus()


class LockScreen(QWidget):
    """Covers the window while the user is away; only the same user's password opens it again."""

    unlocked = Signal()
    quit_requested = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        title = QLabel(self.tr("The screen is locked"))
        title.setFont(scaled_font(self.font(), 1.4, bold=True))
        self.who = QLabel(self.tr("Logged in as %1 (%2). Enter your password to continue.")
                          .replace("%1", ws.user.full_name).replace("%2", ws.user.username))
        self.who.setWordWrap(True)
        self.who.setObjectName("muted")
        self.password = _password_field(self.tr("Password"))
        self.password.returnPressed.connect(self.submit)
        self.error = _error_label()
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        self.quit_button = QPushButton(self.tr("&Quit LAPOR Desk"))
        self.quit_button.clicked.connect(self.quit_requested)

        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(self.fontMetrics().averageCharWidth() * 58)  # fixed: wrapped text then gets its height
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(10)
        inner.addWidget(title)
        inner.addWidget(self.who)
        pass_label = QLabel(self.tr("&Password"))
        pass_label.setBuddy(self.password)
        inner.addWidget(pass_label)
        inner.addWidget(self.password)
        inner.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.quit_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        inner.addLayout(row)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def reset(self) -> None:
        self.password.clear()
        _show_error(self.error, "")
        self.unlock_button.setEnabled(True)
        self.password.setFocus()

    @Slot()
    def submit(self) -> None:
        if not self.password.text():
            _show_error(self.error, self.tr("Enter your password."))
            return
        self.unlock_button.setEnabled(False)
        self._ws.tasks.db(authenticate, self._ws.services, self._ws.user.username, self.password.text(),
                          on_success=self._checked, on_failure=self._failed, owner=self)

    def _checked(self, user: UserInfo) -> None:
        self.password.clear()
        self.unlock_button.setEnabled(True)
        if user.id != self._ws.user.id:  # cannot happen (same user name), but never open for someone else
            _show_error(self.error, self.tr("Only %1 can unlock this screen.").replace("%1", self._ws.user.username))
            return
        _show_error(self.error, "")
        self.unlocked.emit()

    def _failed(self, exc: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        _show_error(self.error, exc.text(self._ws.lang) if isinstance(exc, LaporError) else str(exc))
        self.password.clear()
        self.password.setFocus()


class ChangePasswordDialog(QDialog):
    """Change one's own password: the old one, the new one twice, and the rules said up front."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setWindowTitle(self.tr("Change password"))
        self.setMinimumWidth(440)
        self.old = _password_field(self.tr("Current password"))
        self.new = _password_field(self.tr("New password"))
        self.repeat = _password_field(self.tr("Repeat the new password"))
        rules = QLabel(self.tr("At least %1 characters, with both letters and digits, and not the same as your "
                               "user name.").replace("%1", str(MIN_PASSWORD)))
        rules.setWordWrap(True)
        rules.setObjectName("muted")
        form = QFormLayout()
        for text, field in ((self.tr("&Current password"), self.old), (self.tr("&New password"), self.new),
                            (self.tr("&Repeat new password"), self.repeat)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        self.error = _error_label()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("&Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(rules)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.save_button.setDefault(True)

    @Slot()
    def submit(self) -> None:
        if not self.old.text() or not self.new.text():
            _show_error(self.error, self.tr("Fill in the current and the new password."))
            return
        if self.new.text() != self.repeat.text():
            _show_error(self.error, self.tr("The two new passwords are not the same."))
            self.repeat.setFocus()
            return
        self.save_button.setEnabled(False)
        self._ws.tasks.db(change_own_password, self._ws.services, self._ws.user.id, self.old.text(),
                          self.new.text(), on_success=self._saved, on_failure=self._failed, owner=self)

    def _saved(self, _result: object) -> None:
        for field in (self.old, self.new, self.repeat):
            field.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError) and exc.fields:
            text = " ".join(m.text(self._ws.lang) for m in exc.fields.values())
        elif isinstance(exc, LaporError):
            text = exc.text(self._ws.lang)
        else:
            text = str(exc)
        _show_error(self.error, text)
