"""The complaint list's "Export…": what the list shows now (its view, filters, search and order) to Excel, CSV or
Open311, through app.export on the database thread.

A small dialog first — the format, and for the office administrator alone the box "include the reporters' personal
data" with a plain warning — then the save dialog, then the export in the background, then a message with the path.
Every dialog is opened with ``open()`` and answers through signals, so tests drive it without ``exec()``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import Role
from app.export import PERSONAL_DATA_ROLES, ExportFormat, ExportRequest, ExportResult, default_file_name
from app.export import export_complaints as run_export
from app.read.queries import ComplaintFilter
from ui.complaints.model import DESC, SORT_KEYS, ComplaintTableModel
from ui.style import muted
from ui.tasks import known_error_message
from ui.workspace import Workspace


@dataclass(frozen=True)
class ListState:
    """What the list shows: its filter (the search's matches as ids), order, whether a search narrowed it, and
    the view's name."""

    filter: ComplaintFilter
    sort: str
    reverse: bool
    searched: bool
    view: str
    count: int

    @staticmethod
    def of(model: ComplaintTableModel, view: str) -> ListState:
        f, search = model.query
        searched = bool(search.strip())
        if searched:  # the words stay here: the export gets the matches the list holds (at most 500)
            f = replace(f, ids=model.ids)
        asc_key, desc_key = SORT_KEYS[model.sort_column]
        descending = model.sort_order == DESC
        return ListState(f, desc_key if descending and desc_key else asc_key, descending and desc_key is None,
                         searched, view, model.rowCount())


class ExportOptions(QDialog):
    """The format, and the personal-data box (shown to the office administrator only)."""

    def __init__(self, parent: QWidget, count: int, *, may_include_personal: bool) -> None:
        super().__init__(parent)
        self._may_include_personal = may_include_personal
        self.setWindowTitle(self.tr("Export complaints"))
        self.setObjectName("export-options")
        self.summary = QLabel(self.tr("Export the %Ln complaint(s) the list shows now, with its filters, search and "
                                      "order.", "", count), self)
        self.summary.setWordWrap(True)
        self.format = QComboBox(self)
        self.format.setAccessibleName(self.tr("File format"))
        for fmt, text in ((ExportFormat.XLSX, self.tr("Excel workbook (.xlsx)")),
                          (ExportFormat.CSV, self.tr("CSV for Excel (.csv, separated by ;)")),
                          (ExportFormat.OPEN311, self.tr("Open311 GeoReport v2, JSON (.json)")),
                          (ExportFormat.OPEN311_XML, self.tr("Open311 GeoReport v2, XML (.xml)"))):
            self.format.addItem(text, fmt.value)
        self.privacy_note = muted(QLabel(self.tr(
            "Without the reporters' personal data. Of confidential complaints only the code, dates, status, category "
            "and unit are exported; Open311 leaves them out."), self))
        self.privacy_note.setWordWrap(True)
        self.personal = QCheckBox(self.tr("Include the reporters' personal data"), self)
        self.personal.setObjectName("export-personal")
        self.warning = QLabel(self.tr(
            "Warning: the file will hold the name, NIK, phone, e-mail and address of every reporter who is not "
            "anonymous (never those of anonymous reporters or of confidential complaints). This export is recorded "
            "in the audit log with your name. Keep the file safe and share it only as the personal data protection "
            "rules allow."), self)
        self.warning.setWordWrap(True)
        self.warning.setObjectName("export-personal-warning")
        self.personal.setVisible(may_include_personal)
        self.warning.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.addButton(self.tr("&Save as…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Format:"), self.format)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.privacy_note)
        layout.addWidget(self.personal)
        layout.addWidget(self.warning)
        layout.addWidget(buttons)
        self.personal.toggled.connect(self._update)
        self.format.currentIndexChanged.connect(self._update)
        self._update()

    @property
    def chosen_format(self) -> ExportFormat:
        return ExportFormat(self.format.currentData())

    @property
    def include_personal(self) -> bool:
        return self._may_include_personal and self.personal.isEnabled() and self.personal.isChecked()

    def _update(self) -> None:
        open311 = self.chosen_format.is_open311
        self.personal.setEnabled(not open311)
        self.personal.setToolTip(self.tr("Open311 is open data: it never holds personal data.") if open311 else "")
        self.warning.setVisible(self.include_personal)
        self.privacy_note.setVisible(not self.include_personal)
        self.adjustSize()


class ListExport(QObject):
    """One "Export…" from the list: options, save dialog, the export on the database thread, the message.
    ``finished`` carries the ExportResult, ``failed`` the message shown."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget, state: ListState) -> None:
        super().__init__(parent)
        self._ws = ws
        self._parent = parent
        self.state = state
        self.options: ExportOptions | None = None
        self.file_dialog: QFileDialog | None = None
        self.message_box: QMessageBox | None = None
        self.result: ExportResult | None = None
        self.running = False

    def start(self) -> None:
        self.options = ExportOptions(self._parent, self.state.count,
                                     may_include_personal=Role(self._ws.user.role) in PERSONAL_DATA_ROLES)
        self.options.accepted.connect(self._ask_path)
        self.options.open()

    def _filters(self) -> dict[ExportFormat, str]:
        return {ExportFormat.XLSX: self.tr("Excel workbook (*.xlsx)"), ExportFormat.CSV: self.tr("CSV (*.csv)"),
                ExportFormat.OPEN311: self.tr("Open311 JSON (*.json)"),
                ExportFormat.OPEN311_XML: self.tr("Open311 XML (*.xml)")}

    def _ask_path(self) -> None:
        assert self.options is not None
        fmt, personal = self.options.chosen_format, self.options.include_personal
        dialog = QFileDialog(self._parent, self.tr("Export complaints as"))
        dialog.setObjectName("export-save")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilters([self._filters()[fmt]])
        dialog.setDefaultSuffix(fmt.suffix.lstrip("."))
        dialog.setDirectory(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        dialog.selectFile(default_file_name(fmt, self._ws.services.clock().date()))
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path), fmt, personal=personal))
        self.file_dialog = dialog
        dialog.open()

    def export_to(self, path: Path, fmt: ExportFormat, *, personal: bool = False) -> None:
        """Export to ``path`` on the database thread; a message says how it went."""
        if path.suffix.lower() != fmt.suffix:  # a name typed without its extension
            path = path.with_name(path.name + fmt.suffix)
        s = self.state
        request = ExportRequest(s.filter, s.sort, s.reverse, include_personal=personal, searched=s.searched,
                                view=s.view)
        self.running = True
        self._ws.tasks.db(run_export, self._ws.services, self._ws.user.office_id, fmt, path, request,
                          user_id=self._ws.user.id, lang=self._ws.lang,
                          on_success=self._done, on_failure=self._failed, on_done=self._ended, owner=self)

    def _ended(self) -> None:
        self.running = False

    def _done(self, result: ExportResult) -> None:
        self.result = result
        text = self.tr("%Ln complaint(s) exported to:", "", result.rows) + f"\n{result.path}"
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Export finished"), text,
                          QMessageBox.StandardButton.Ok, self._parent)
        if result.include_personal:
            box.setInformativeText(self.tr("The file holds reporters' personal data; the export is recorded in the "
                                           "audit log."))
        elif result.confidential:
            box.setInformativeText(self.tr("%Ln confidential complaint(s): their content is not in the file.", "",
                                           result.confidential))
        box.setObjectName("export-finished")
        self.message_box = box
        box.open()
        self.finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        text = known_error_message(exc).text(self._ws.lang)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Cannot export"), text, QMessageBox.StandardButton.Ok,
                          self._parent)
        box.setObjectName("export-failed")
        self.message_box = box
        box.open()
        self.failed.emit(text)
