"""After log-in: the lock screen (only the same user's password opens it again) and changing one's own password.

Both check passwords on the database thread, like the log-in (ui.login)."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AuthenticationFailed, LaporError, ValidationError
from app.rules.accounts import MIN_PASSWORD, check_password_rules
from app.services.users import UserInfo, authenticate, change_own_password
from ui.login import error_label, password_field, show_error
from ui.style import scaled_font, style_form
from ui.workspace import Workspace


class LockScreen(QWidget):
    """Covers the window while the user is away; only the same user's password opens it again."""

    unlocked = Signal()
    quit_requested = Signal()
    switch_requested = Signal()  # someone else wants the PC: log this person out

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._ws = ws
        title = QLabel(self.tr("The screen is locked"))
        title.setFont(scaled_font(self.font(), 1.4, bold=True))
        self.who = QLabel(self.tr("Logged in as %1 (%2). Enter your password to continue.")
                          .replace("%1", ws.user.full_name).replace("%2", ws.user.username))
        self.who.setWordWrap(True)
        self.who.setObjectName("muted")
        self.password = password_field(self.tr("Password"))
        self.password.returnPressed.connect(self.submit)
        self.error = error_label()
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        self.quit_button = QPushButton(self.tr("&Quit LAPOR Desk"))
        self.quit_button.clicked.connect(self.quit_requested)
        self.switch_button = QPushButton(self.tr("&Switch user"))
        self.switch_button.setToolTip(self.tr("Log this account out so that someone else can log in"))
        self.switch_button.clicked.connect(self.switch_requested)

        card = QFrame()
        card.setObjectName("card")
        self._card = card
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
        row.addWidget(self.switch_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        inner.addLayout(row)
        self._buttons = row
        # Centred by stretches, not by an alignment flag: a widget placed with alignment loses its height-for-width,
        # and the wrapped line naming the user was cut at the top and bottom.
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(card)
        middle.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_card()  # styled and in its final font now (the counter's is larger)
        super().showEvent(event)

    def _fit_card(self) -> None:
        """A fixed width, so that the wrapped text gets its height; wide enough for the buttons' whole texts."""
        for widget in (self._card, self.quit_button, self.switch_button, self.unlock_button):
            widget.ensurePolished()
        margins = self._card.layout().contentsMargins()
        border = self._card.width() - self._card.contentsRect().width()
        buttons = self._buttons.sizeHint().width() + margins.left() + margins.right() + border
        self._card.setFixedWidth(max(self.fontMetrics().averageCharWidth() * 58, buttons))

    def reset(self) -> None:
        self.password.clear()
        show_error(self.error, "")
        self.unlock_button.setEnabled(True)
        self.password.setFocus()

    @Slot()
    def submit(self) -> None:
        if not self.password.text():
            show_error(self.error, self.tr("Enter your password."))
            return
        self.unlock_button.setEnabled(False)
        self._ws.tasks.db(authenticate, self._ws.services, self._ws.user.username, self.password.text(),
                          on_success=self._checked, on_failure=self._failed, owner=self)

    def _checked(self, user: UserInfo) -> None:
        self.password.clear()
        self.unlock_button.setEnabled(True)
        if user.id != self._ws.user.id:  # cannot happen (same user name), but never open for someone else
            show_error(self.error, self.tr("Only %1 can unlock this screen.").replace("%1", self._ws.user.username))
            return
        show_error(self.error, "")
        self.unlocked.emit()

    def _failed(self, exc: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        if isinstance(exc, AuthenticationFailed):  # (a locked account raises AccountLocked, with its minutes)
            # The user name is the locked account's own: the log-in's "user name or password" would mislead.
            show_error(self.error, self.tr("The password is wrong. Check Caps Lock and try again."))
        else:
            show_error(self.error, exc.text(self._ws.lang) if isinstance(exc, LaporError) else str(exc))
        self.password.clear()
        self.password.setFocus()


class ChangePasswordDialog(QDialog):
    """Change one's own password: the old one, the new one twice, and the rules said up front."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self._ws = ws
        self.setWindowTitle(self.tr("Change password"))
        self.setMinimumWidth(440)
        self.old = password_field(self.tr("Current password"))
        self.new = password_field(self.tr("New password"))
        self.repeat = password_field(self.tr("Repeat the new password"))
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
        self.error = error_label()
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
        problems = self.problems()
        if problems:  # every problem the form can see, at once; the old password is the service's to check
            show_error(self.error, " ".join(text for _field, text in problems))
            problems[0][0].setFocus()
            return
        self.save_button.setEnabled(False)
        self._ws.tasks.db(change_own_password, self._ws.services, self._ws.user.id, self.old.text(),
                          self.new.text(), on_success=self._saved, on_failure=self._failed, owner=self)

    def problems(self) -> list[tuple[QWidget, str]]:
        """What is wrong with the form, each with the field to focus."""
        found: list[tuple[QWidget, str]] = []
        if not self.old.text():
            found.append((self.old, self.tr("Fill in the current password.")))
        if not self.new.text():
            found.append((self.new, self.tr("Fill in the new password.")))
            return found
        try:
            check_password_rules(self.new.text(), self._ws.user.username)
        except ValidationError as exc:
            found.append((self.new, " ".join(m.text(self._ws.lang) for m in exc.fields.values())))
        if self.new.text() != self.repeat.text():
            found.append((self.repeat, self.tr("The two new passwords are not the same.")))
        return found

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
        show_error(self.error, text)
