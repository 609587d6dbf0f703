"""The monthly report for leadership (laporan bulanan): its content as plain dataclasses, computed from the KPI API
(app.kpi) for one office, month and optionally one unit. No Qt: ui.report paints it on A4.

Privacy is decided here, not in the painter: the content holds figures, group names (categories, regions, units) and,
for overdue complaints, only their tracking code and category — never a reporter's data, never a complaint's title or
description (confidential or not).

    from app.report import monthly_report_content
    with store.read() as session:
        content = monthly_report_content(session, office_id, period, now, unit_id=None, generated_by="Nama")
"""

from app.report.build import monthly_report_content
from app.report.content import (
    ChartSeries,
    KpiRow,
    MonthlyReport,
    OverdueComplaint,
    RankedGroup,
    TrendPoint,
    UnitOverdue,
)

__all__ = ["ChartSeries", "KpiRow", "MonthlyReport", "OverdueComplaint", "RankedGroup", "TrendPoint", "UnitOverdue",
           "monthly_report_content"]
