"""Log-in against the local accounts (offline). The lock screen and changing one's password: ui.lock.

Password checks run on the database thread (Argon2id takes a moment on purpose); failures are shown inline, in
the words of the service (wrong name or password, account locked for N minutes).

The form is the first thing a person sees, so this module imports no data layer: on a PC already set up, start-up
shows the form at once and opens the store while the person types (ui.application), then hands the services
over with :meth:`LoginDialog.attach`. A log-in asked for before that waits for it, saying so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import LaporError
from ui.settings import DEMO_MODE, LAST_USERNAME, Settings
from ui.style import scaled_font, style_form
from ui.tasks import TaskRunner

if TYPE_CHECKING:  # the form comes up before the data layer is imported (see attach)
    from app.services.context import ServiceContext
    from app.services.users import UserInfo


def password_field(accessible_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(accessible_name)
    return field


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("error")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class LoginDialog(QDialog):
    """Who is working at this PC. After ``accepted``, ``user`` holds the account."""

    def __init__(self, services: ServiceContext | None, tasks: TaskRunner, settings: Settings, lang: str = "id",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._services: ServiceContext | None = None
        self._waiting = False  # Log in pressed before the services were attached
        self._withdrawn = False  # start-up found the store unusable: the form closes itself, even if not shown yet
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
        self.password = password_field(self.tr("Password"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        name_label = QLabel(self.tr("&User name"))
        name_label.setBuddy(self.username)
        pass_label = QLabel(self.tr("&Password"))
        pass_label.setBuddy(self.password)
        form.addRow(name_label, self.username)
        form.addRow(pass_label, self.password)

        self.error = error_label()
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
        if services is not None:
            self.attach(services)

    def withdraw(self) -> None:
        """Close the form without a log-in (start-up found the store unusable while it waited). Works whenever
        it comes: before the form is shown (it then closes as soon as it is) or while it is open."""
        self._withdrawn = True
        self.reject()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._withdrawn:
            QTimer.singleShot(0, self.reject)

    def attach(self, services: ServiceContext) -> None:
        """The store is open: show the office, and log in now if the person already asked to."""
        from app.services.users import demo_usernames, home_office_name

        self._services = services
        if self._waiting:
            self.hint.setVisible(False)  # "opening the data…": done
        self._tasks.db(home_office_name, services.store, on_success=self._show_office, owner=self)
        if self._settings.get(DEMO_MODE):
            self._tasks.db(demo_usernames, services.store, on_success=self._show_demo_hint, owner=self)
        if self._waiting:
            self._waiting = False
            self._authenticate()

    @Slot(str)
    def _show_office(self, name: str) -> None:
        self.office_label.setText(name)
        self.office_label.setVisible(bool(name))

    @Slot(list)
    def _show_demo_hint(self, usernames: list[str]) -> None:
        if not usernames:
            return
        from demo import DEMO_PASSWORD

        self.hint.setText(self.tr("Demo data: log in as %1 with the password %2.")
                          .replace("%1", ", ".join(usernames)).replace("%2", DEMO_PASSWORD))
        self.hint.setVisible(True)

    @Slot()
    def submit(self) -> None:
        name = self.username.text().strip()
        if not name or not self.password.text():
            show_error(self.error, self.tr("Fill in your user name and password."))
            (self.username if not name else self.password).setFocus()
            return
        self.login_button.setEnabled(False)
        show_error(self.error, "")
        if self._services is None:
            self._waiting = True
            self.hint.setText(self.tr("Opening the data of this PC…"))
            self.hint.setVisible(True)
            return
        self._authenticate()

    def _authenticate(self) -> None:
        from app.services.users import authenticate

        self._tasks.db(authenticate, self._services, self.username.text().strip(), self.password.text(),
                       on_success=self._logged_in, on_failure=self._failed, owner=self)

    def _logged_in(self, user: UserInfo) -> None:
        self.user = user
        self._settings.set(LAST_USERNAME, user.username)
        self._settings.sync()
        self.password.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.login_button.setEnabled(True)
        text = exc.text(self._lang) if isinstance(exc, LaporError) else str(exc)
        show_error(self.error, text)
        self.password.clear()
        self.password.setFocus()
