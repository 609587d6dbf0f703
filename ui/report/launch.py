""""Laporan bulanan…" from the window: a small dialog choosing the month and the unit, a save dialog, the content
computed on the database thread (ui.tasks), the PDF painted on the GUI thread (fonts and painting live there) and
written whole, and a message saying where it went or why it could not be written.

The window calls :func:`open_monthly_report`; it returns the flow object (kept alive by its parent) so tests can
drive each step. A unit liaison (PENGHUBUNG) gets only their own unit's report: the choice is fixed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QWidget,
)

from app.domain import Role
from app.export.kpi_tables import write_kpi_tables
from app.kpi.period import ReportPeriod, check_not_future
from app.read.choices import Choice, office_units
from app.report import MonthlyReport, monthly_report_content
from app.report.access import report_unit
from app.services.context import ServiceContext
from app.services.users import UserInfo
from app.timeutil import server_now, zone
from ui.locale_format import month_text
from ui.report.pdf import save_report_pdf
from ui.tasks import is_known_error, known_error_message
from ui.workspace import Workspace

MONTHS_OFFERED = 24


@dataclass(frozen=True)
class ReportChoices:
    """What the dialog offers: the office's months up to the current one (its date by the server's clock), units."""

    today: date
    units: tuple[Choice, ...]


def load_choices(ctx: ServiceContext, office_id: str) -> ReportChoices:
    """The office's date and units (database thread)."""
    with ctx.store.read() as session:
        today = server_now(session, ctx.clock()).astimezone(zone(ctx.office_tz(session, office_id))).date()
        return ReportChoices(today, tuple(office_units(session, office_id, active_only=False)))


def compute_report(ctx: ServiceContext, user: UserInfo, period: ReportPeriod, unit_id: str | None) -> MonthlyReport:
    """The report's content (database thread). ValidationError for a month that has not begun; PermissionDenied for
    a role that may not make it (app.report.access)."""
    office_id, unit_id = user.office_id, report_unit(user.role, user.unit_id, unit_id)
    with ctx.store.read() as session:
        now = server_now(session, ctx.clock())
        check_not_future(period, now.astimezone(zone(ctx.office_tz(session, office_id))).date(), field="month")
        return monthly_report_content(session, office_id, period, now, unit_id=unit_id,
                                      generated_by=user.full_name)


def months_up_to(today: date, count: int = MONTHS_OFFERED) -> list[ReportPeriod]:
    """The current month and the ``count - 1`` before it, newest first."""
    out = [ReportPeriod.month(today.year, today.month)]
    while len(out) < count:
        out.append(out[-1].previous_month())
    return out


class MonthlyReportDialog(QDialog):
    def __init__(self, parent: QWidget | None, choices: ReportChoices, *, fixed_unit: str | None,
                 lang: str = "id") -> None:
        super().__init__(parent)
        self.setObjectName("monthly-report-options")
        self.setWindowTitle(self.tr("Monthly report"))
        form = QFormLayout(self)
        self.month = QComboBox(self)
        self.month.setAccessibleName(self.tr("Month"))
        current = months_up_to(choices.today)
        for period in current:
            text = month_text(period.first_day, lang)  # the window's language; the report itself is Indonesian
            if period.first_day.month == choices.today.month and period.first_day.year == choices.today.year:
                text += " " + self.tr("(so far)")
            self.month.addItem(text, period)
        self.month.setCurrentIndex(1)  # the last whole month: what leadership usually asks for
        self.unit = QComboBox(self)
        self.unit.setAccessibleName(self.tr("Unit"))
        if fixed_unit is None:
            self.unit.addItem(self.tr("All units"), None)
        for choice in choices.units:
            if fixed_unit is None or choice.id == fixed_unit:
                self.unit.addItem(choice.name, choice.id)
        self.unit.setEnabled(fixed_unit is None)
        form.addRow(self.tr("&Month:"), self.month)
        form.addRow(self.tr("&Unit:"), self.unit)
        note = QLabel(self.tr("The report is in Indonesian, on A4, without reporters' personal data."), self)
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   parent=self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Choose file…"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @property
    def period(self) -> ReportPeriod:
        found: ReportPeriod = self.month.currentData()
        return found

    @property
    def unit_id(self) -> str | None:
        found: str | None = self.unit.currentData()
        return found


class MonthlyReportFlow(QObject):
    """One "Laporan bulanan…": options, save dialog, the report written, the message. ``finished`` carries the path
    written, ``failed`` the message shown."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget) -> None:
        super().__init__(parent)
        self._ws = ws
        self._parent = parent
        self.dialog: MonthlyReportDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.message_box: QMessageBox | None = None
        self.running = False

    def start(self) -> None:
        self.running = True
        self._ws.tasks.db(load_choices, self._ws.services, self._ws.office_id, on_success=self._ask_options,
                          on_failure=self._failed, on_done=self._ended, owner=self)

    def _ended(self) -> None:
        self.running = False

    def _ask_options(self, choices: ReportChoices) -> None:
        fixed = self._ws.user.unit_id if self._ws.role == Role.PENGHUBUNG else None
        self.dialog = MonthlyReportDialog(self._parent, choices, fixed_unit=fixed, lang=self._ws.lang)
        self.dialog.accepted.connect(self._ask_path)
        self.dialog.open()

    def _ask_path(self) -> None:
        assert self.dialog is not None
        period, unit_id = self.dialog.period, self.dialog.unit_id
        dialog = QFileDialog(self._parent, self.tr("Save the monthly report as"))
        dialog.setObjectName("monthly-report-save")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilters([self.tr("PDF (*.pdf)"), self.tr("Excel: the report's tables (*.xlsx)"),
                               self.tr("CSV: the KPI table (*.csv)")])
        dialog.setDefaultSuffix("pdf")
        dialog.filterSelected.connect(lambda chosen: dialog.setDefaultSuffix(_suffix_of(chosen)))
        dialog.setDirectory(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        dialog.selectFile(f"laporan-bulanan-{period.label}.pdf")
        dialog.fileSelected.connect(lambda path: self.write_to(Path(path), period, unit_id))
        self.file_dialog = dialog
        dialog.open()

    def write_to(self, path: Path, period: ReportPeriod, unit_id: str | None) -> None:
        """Compute the report on the database thread, then paint and write it here."""
        if path.suffix.lower() not in REPORT_SUFFIXES:
            path = path.with_name(path.name + ".pdf")
        self.running = True
        self._ws.tasks.db(compute_report, self._ws.services, self._ws.user, period, unit_id,
                          on_success=lambda content: self._save(content, path), on_failure=self._failed,
                          on_done=self._ended, owner=self)

    def _save(self, content: MonthlyReport, path: Path) -> None:
        try:
            if path.suffix.lower() == ".pdf":
                written = save_report_pdf(content, path)
            else:  # its tables: a few kilobytes, written here
                written = write_kpi_tables(content, path)
        except Exception as exc:  # a known error (unwritable) is shown; a bug goes on to the crash dialog
            if not is_known_error(exc):
                raise
            self._failed(exc)
            return
        text = self.tr("Monthly report saved to:") + f"\n{written}"
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Monthly report"), text,
                          QMessageBox.StandardButton.Ok, self._parent)
        if content.no_data:
            box.setInformativeText(self.tr("Nothing happened in this month: every figure is zero."))
        box.setObjectName("monthly-report-finished")
        self.message_box = box
        box.open()
        self.finished.emit(written)

    def _failed(self, exc: BaseException) -> None:
        text = known_error_message(exc).text(self._ws.lang)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Cannot write the monthly report"), text,
                          QMessageBox.StandardButton.Ok, self._parent)
        box.setObjectName("monthly-report-failed")
        self.message_box = box
        box.open()
        self.failed.emit(text)


REPORT_SUFFIXES = (".pdf", ".xlsx", ".csv")


def _suffix_of(name_filter: str) -> str:
    """"PDF (*.pdf)" → "pdf"."""
    return name_filter.rsplit("*.", 1)[-1].rstrip(")") if "*." in name_filter else "pdf"


def open_monthly_report(ws: Workspace, parent: QWidget) -> MonthlyReportFlow:
    """Start "Laporan bulanan…": the month and unit dialog opens once the office's units are loaded."""
    flow = MonthlyReportFlow(ws, parent)
    flow.start()
    return flow
