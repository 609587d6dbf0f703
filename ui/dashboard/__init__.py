"""The dashboard (issue 13 §2): the pimpinan's start page. For a chosen period and unit, the roadmap KPIs of app.kpi
as tiles and their breakdowns as charts with a table beside each; every tile, bar and table row drills down to the
complaints behind it (``DashboardWidget.drilldown_requested``)."""

from ui.dashboard.widget import DashboardWidget

__all__ = ["DashboardWidget"]
