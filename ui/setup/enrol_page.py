"""The enrolment page: the national server's address and the one-time enrolment code from the national admin
(CA bundle and proxy under "Advanced"), then enrolment and the first full sync in the background."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from app import machine_config as mc
from app.config import Paths
from app.config_layers import resolve
from sync.transport import ServerRefused, ServerUnreachable
from ui.setup import checks
from ui.setup.jobs import Report, SetupResult, enrol_and_sync, read_state
from ui.setup.work_page import WorkPage, muted_label
from ui.tasks import TaskRunner

FIELD_ERROR_STYLE = "QLabel { color: #b03a2e; }"


def _column(field: QWidget | QHBoxLayout, *below: QWidget) -> QWidget:
    """A form field with its error message and hint under it (hidden lines take no room)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(3)
    if isinstance(field, QHBoxLayout):
        column.addLayout(field)
    else:
        column.addWidget(field)
    for widget in below:
        column.addWidget(widget)
    return box


class EnrolPage(WorkPage):
    def __init__(self, paths: Paths, tasks: TaskRunner, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(tasks, lang, parent)
        self._paths = paths
        self._resume_url: str | None = None
        self.setTitle(self.tr("Enrol this PC with the national server"))
        self.setSubTitle(self.tr("Enter the server address and the enrolment code you received from the national "
                                 "admin. This PC then receives your office's complaints."))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Enrol"))

        self.resume_note = QLabel(self)
        self.resume_note.setWordWrap(True)
        self.resume_note.hide()
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://lapor.example.go.id")
        self.url.setAccessibleName(self.tr("Server address"))
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("K7QM-4TZP-9WXA")
        self.code.setAccessibleName(self.tr("Enrolment code"))
        self.code_hint = muted_label(self.tr("A one-time code of 12 letters and digits, valid for 24 hours. Ask the "
                                       "national admin for a new one if it has expired."), self)
        self.ca_bundle = QLineEdit(self)
        self.ca_bundle.setPlaceholderText(self.tr("(system certificates)"))
        self.ca_bundle.setAccessibleName(self.tr("CA bundle file"))
        self.proxy = QLineEdit(self)
        self.proxy.setPlaceholderText("http://proxy.pemda.go.id:8080")
        self.proxy.setAccessibleName(self.tr("Proxy"))
        self.field_errors = {name: self._error_label() for name in ("url", "code", "ca_bundle", "proxy")}

        browse = QPushButton(self.tr("&Browse…"), self)
        browse.clicked.connect(self._browse_ca)
        ca_row = QHBoxLayout()
        ca_row.setContentsMargins(0, 0, 0, 0)
        ca_row.addWidget(self.ca_bundle, 1)
        ca_row.addWidget(browse)

        self.advanced_toggle = QToolButton(self)
        self.advanced_toggle.setText(self.tr("&Advanced settings"))
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.toggled.connect(self._show_advanced)
        self.advanced = QWidget(self)
        adv_form = QFormLayout(self.advanced)
        adv_form.setContentsMargins(0, 0, 0, 0)
        adv_form.addRow(muted_label(self.tr("Only needed on some government networks; leave empty unless IT asks. "
                                      "Without a proxy here, the system's proxy settings are used."), self))
        adv_form.addRow(self._label(self.tr("&CA bundle (PEM):"), self.ca_bundle),
                        _column(ca_row, self.field_errors["ca_bundle"]))
        adv_form.addRow(self._label(self.tr("&Proxy:"), self.proxy), _column(self.proxy, self.field_errors["proxy"]))
        self.advanced.hide()

        self.form = QFormLayout()
        self.form.addRow(self._label(self.tr("&Server address:"), self.url),
                         _column(self.url, self.field_errors["url"]))
        self.code_label = self._label(self.tr("Enrolment &code:"), self.code)
        self.code_column = _column(self.code, self.field_errors["code"], self.code_hint)
        self.form.addRow(self.code_label, self.code_column)

        layout = QVBoxLayout(self)
        layout.addWidget(self.resume_note)
        layout.addLayout(self.form)
        layout.addWidget(self.advanced_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.advanced)
        self.add_work_area(layout)
        for name, edit in (("url", self.url), ("code", self.code), ("ca_bundle", self.ca_bundle),
                           ("proxy", self.proxy)):
            edit.textEdited.connect(partial(self._clear_error, name))
        # What IT set for every PC (lapor-desk.toml, or LAPOR_DESK_* in the environment) fills the fields in.
        configured = resolve(user={})
        self.url.setText(configured.text(mc.SERVER_URL))
        self.ca_bundle.setText(configured.text(mc.CA_BUNDLE))
        self.proxy.setText(configured.text(mc.PROXY))

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    def _error_label(self) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setStyleSheet(FIELD_ERROR_STYLE)
        label.hide()
        return label

    def _clear_error(self, name: str, _text: str = "") -> None:
        self.field_errors[name].hide()

    def _show_advanced(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self.advanced_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _browse_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the CA bundle"), "",
                                              self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_bundle.setText(path)
            self._clear_error("ca_bundle")

    # ---- resume: enrolled, first sync not finished ----------------------------------------------------------------

    def set_resume(self, server_url: str) -> None:
        """The PC is already enrolled (an earlier first sync did not finish): only the sync is left to do."""
        self._resume_url = server_url
        self.url.setText(server_url)
        self.url.setReadOnly(True)
        for widget in (self.code_column, self.code_label, self.advanced_toggle, self.advanced):
            widget.hide()
        self.resume_note.setText(self.tr("This PC is already enrolled with %1, but its first sync did not finish. "
                                         "Sync now to finish setting it up.").replace("%1", server_url))
        self.resume_note.show()
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("S&ync"))

    # ---- WorkPage ---------------------------------------------------------------------------------------------

    def input_problems(self) -> dict[str, str]:
        """Field name → what is wrong with it, in the person's language."""
        if self._resume_url is not None:
            return {}
        texts = {
            ("url", "empty"): self.tr("Enter the server address, e.g. https://lapor.example.go.id."),
            ("url", "scheme"): self.tr("The address must start with https:// (or http://), e.g. "
                                       "https://lapor.example.go.id."),
            ("url", "host"): self.tr("This server address is incomplete or has a typing error."),
            ("code", "empty"): self.tr("Enter the enrolment code from the national admin."),
            ("code", "length"): self.tr("An enrolment code has 12 letters and digits, e.g. K7QM-4TZP-9WXA."),
            ("ca_bundle", "missing"): self.tr("This CA bundle file does not exist."),
            ("proxy", "proxy"): self.tr("The proxy address must look like http://proxy.pemda.go.id:8080."),
        }
        found = {"url": checks.url_problem(self.url.text()), "code": checks.code_problem(self.code.text()),
                 "ca_bundle": checks.ca_problem(self.ca_bundle.text()),
                 "proxy": checks.proxy_problem(self.proxy.text())}
        return {name: texts[(name, key)] for name, key in found.items() if key is not None}

    def check_input(self) -> bool:
        problems = self.input_problems()
        for name, label in self.field_errors.items():
            label.setText(problems.get(name, ""))
            label.setVisible(name in problems)
        if problems.keys() & {"ca_bundle", "proxy"}:
            self.advanced_toggle.setChecked(True)
        first = next((w for n, w in (("url", self.url), ("code", self.code), ("ca_bundle", self.ca_bundle),
                                     ("proxy", self.proxy)) if n in problems), None)
        if first is not None:
            first.setFocus()
            first.selectAll()
        return not problems

    def set_inputs_enabled(self, enabled: bool) -> None:
        for widget in (self.url, self.code, self.ca_bundle, self.proxy, self.advanced_toggle):
            widget.setEnabled(enabled)

    def make_job(self, report: Report, cancel: threading.Event) -> Callable[[], SetupResult]:
        return partial(enrol_and_sync, self._paths, server_url=checks.clean_url(self.url.text()),
                       code=self.code.text().strip(), ca_bundle=self.ca_bundle.text().strip() or None,
                       proxy=self.proxy.text().strip() or None, report=report, cancel=cancel)

    def step_text(self, step: str) -> str:
        return {
            "prepare": self.tr("Preparing the database on this PC…"),
            "enrol": self.tr("Enrolling this PC with the server…"),
            "sync": self.tr("First sync: receiving your office's accounts and complaints…"),
        }.get(step, "")

    def error_text(self, exc: BaseException) -> str:
        url = checks.clean_url(self.url.text())
        if isinstance(exc, ServerUnreachable):
            return self.tr("The server at %1 cannot be reached. Check the server address and this PC's network "
                           "connection (or the proxy under Advanced settings), then try again.").replace("%1", url)
        if isinstance(exc, ServerRefused) and exc.code == "http_error":
            return self.tr("%1 did not answer as a LAPOR Desk server (HTTP %2). Check the server address.") \
                .replace("%1", url).replace("%2", str(exc.status))
        return super().error_text(exc)

    def _finish_failure(self, text: str) -> None:
        super()._finish_failure(text)
        if self._resume_url is None:
            state = read_state(self._paths)
            if state.enrolled and state.server_url:  # enrolled, then the first sync failed: only the sync is left
                self.set_resume(state.server_url)
                self.setButtonText(QWizard.WizardButton.CommitButton, self.retry_text())
                return
            self.code.setFocus()
            self.code.selectAll()
