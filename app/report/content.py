"""What the monthly report says, as plain frozen dataclasses: the painter (ui.report) only lays these out. Numbers
come formatted for Indonesian readers (decimal comma, "%") beside their raw values, so tests and the painter agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.kpi.period import ReportPeriod


@dataclass(frozen=True)
class KpiRow:
    """One line of the KPI table: this month against the previous one and the roadmap target.

    ``met``: whether this month reached the target (None: no target, or nothing to count this month)."""

    key: str  # the app.kpi.definitions.KpiReport field
    label: str
    value: float
    value_text: str
    previous: float
    previous_text: str
    change_text: str
    target_text: str
    met: bool | None
    detail: str  # e.g. "6 dari 7; 2 menunggu"


@dataclass(frozen=True)
class TrendPoint:
    """One month of the 12-month trend."""

    period: ReportPeriod
    label: str  # "Okt 2026"
    received: int
    completed: int
    verified_percent: float | None  # None: no verification deadline settled that month
    resolved_percent: float | None


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: tuple[float, ...]
    percent: bool = False


@dataclass(frozen=True)
class RankedGroup:
    """A category, district, village or unit with its figures for the month."""

    name: str
    received: int
    completed: int
    overdue_now: int


@dataclass(frozen=True)
class OverdueComplaint:
    """An overdue complaint as the report may show it: tracking code and category only."""

    tracking_code: str
    category: str
    days_overdue: int  # working days since its deadline


@dataclass(frozen=True)
class UnitOverdue:
    unit: str
    overdue: int
    oldest: tuple[OverdueComplaint, ...]


@dataclass(frozen=True)
class NoteLine:
    title: str
    text: str


@dataclass(frozen=True)
class MonthlyReport:
    office: str
    period: ReportPeriod
    month_label: str  # "Oktober 2026"
    unit: str | None  # None: the whole office
    generated_at: datetime  # aware, in the office's zone
    generated_at_text: str
    generated_by: str | None
    as_of_text: str
    partial: bool
    no_data: bool
    summary: str  # one or two sentences for the cover (says so when the month is empty)
    kpis: tuple[KpiRow, ...]
    trend: tuple[TrendPoint, ...]
    top_categories: tuple[RankedGroup, ...]
    top_districts: tuple[RankedGroup, ...]
    top_villages: tuple[RankedGroup, ...]
    overdue_by_unit: tuple[UnitOverdue, ...]
    overdue_total: int
    notes: tuple[NoteLine, ...]

    @property
    def scope_text(self) -> str:
        return self.unit or "Seluruh unit kerja"

    @property
    def title(self) -> str:
        return f"Laporan Bulanan Pengelolaan Pengaduan — {self.month_label}"

    @property
    def file_name(self) -> str:
        return f"laporan-bulanan-{self.period.label}.pdf"
