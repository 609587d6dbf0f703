"""The dashboard page: the period and unit chooser, the KPI tiles, and a chart with its table for each breakdown
(per month by status, category, channel, district, village, unit). The figures are computed on the database thread
(ui.dashboard.compute over app.kpi) and arrive as plain dataclasses; only the newest answer is shown.

``drilldown_requested(title, ids)``: a tile, a bar or a table row was chosen; the window shows the complaint list
narrowed to those ids (``ComplaintListWidget.open_drilldown``). Figures are recomputed after changes announced on the
hub, but only while the page is visible (a hidden page catches up when shown)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import Status
from app.read.choices import Choice, load_office_units
from app.reference.labels import label
from app.timeutil import as_utc, zone
from ui.dashboard.charts import BreakdownChart
from ui.dashboard.compute import Breakdown, DashboardData, PeriodChoice, compute, keep, month_name
from ui.dashboard.figures import TILE_KEYS, tile_figures
from ui.dashboard.kept import KeptAssessment
from ui.dashboard.period import PeriodBar
from ui.dashboard.table_model import BreakdownTableModel
from ui.dashboard.tiles import MISSED_COLOUR, KpiTile
from ui.locale_format import date_text, datetime_text
from ui.style import muted
from ui.tasks import known_error_message
from ui.workspace import Workspace

REFRESH_DELAY_MS = 500
TILE_COLUMNS = 5


class BreakdownPane(QWidget):
    """A chart and, beside it, the same figures as a table."""

    def __init__(self, key: str, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.chart = BreakdownChart(lang, self)
        self.model = BreakdownTableModel(lang, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.table.setMinimumHeight(120)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.chart, 3)
        layout.addWidget(self.table, 2)
        self.fit_pending = False  # new figures, columns not fitted to them yet (done when the tab is shown)

    def fit_columns(self) -> None:
        self.table.resizeColumnsToContents()
        self.fit_pending = False


class DashboardWidget(QWidget):
    drilldown_requested = Signal(str, list)  # title, complaint ids (a complaint may appear more than once)
    computed = Signal()  # new figures are on screen (or the period was refused: see ``message``)

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, autoload: bool = True) -> None:
        super().__init__(parent)
        self._ws = ws
        self._generation = 0
        self._stale = False
        self.data: DashboardData | None = None
        self.cache = KeptAssessment()  # the office's assessment: used and told of changes on the database thread only
        self.error = ""  # the last refused period's message ("" when the figures are current)

        self.period_bar = PeriodBar(self._today(), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("dashboardMessage")
        self.message.setAccessibleName(self.tr("Dashboard message"))
        self.scope_label = muted(QLabel(self))
        self.scope_label.setWordWrap(True)
        self.tiles: dict[str, KpiTile] = {}
        tiles = QGridLayout()
        tiles.setSpacing(6)
        for i, key in enumerate(TILE_KEYS):
            tile = KpiTile(key, self)
            tile.activated.connect(self._tile_activated)
            self.tiles[key] = tile
            tiles.addWidget(tile, i // TILE_COLUMNS, i % TILE_COLUMNS)
        for column in range(TILE_COLUMNS):
            tiles.setColumnStretch(column, 1)
        self.tabs = QTabWidget(self)
        self.panes: dict[str, BreakdownPane] = {}
        for key, title in self._pane_titles().items():
            pane = BreakdownPane(key, ws.lang, self.tabs)
            pane.chart.bar_clicked.connect(lambda set_title, group, ids, k=key: self._bar_clicked(k, set_title,
                                                                                                   group, ids))
            pane.table.activated.connect(lambda index, k=key: self._row_activated(k, index))
            pane.chart.setAccessibleName(title)
            pane.table.setAccessibleName(title)
            self.panes[key] = pane
            self.tabs.addTab(pane, title)
        self.tabs.setMinimumHeight(300)
        self.tabs.currentChanged.connect(self._tab_shown)

        body = QWidget(self)
        inner = QVBoxLayout(body)
        inner.setContentsMargins(8, 8, 8, 8)
        inner.addWidget(self.period_bar)
        inner.addWidget(self.scope_label)
        inner.addWidget(self.message)
        inner.addLayout(tiles)
        inner.addWidget(self.tabs, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self.period_bar.requested.connect(self.refresh)
        ws.hub.complaints_changed.connect(self._on_changed)
        ws.hub.reference_changed.connect(self._on_reference_changed)
        self._load_units()
        if autoload:
            self.refresh()

    # ---- public API ------------------------------------------------------------------------------------------

    def set_period(self, choice: PeriodChoice, unit_id: str | None = None) -> None:
        """Choose a period (and unit) and compute its figures."""
        self.period_bar.set_choice(choice)
        self.period_bar.unit.blockSignals(True)
        self.period_bar.unit.setCurrentIndex(max(0, self.period_bar.unit.findData(unit_id)))
        self.period_bar.unit.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Compute the chosen period's figures on the database thread; only the newest answer is shown."""
        self._refresh_timer.stop()
        self._stale = False
        self._generation += 1
        generation = self._generation
        self._ws.tasks.db(compute, self._ws.store, self._ws.services, self._ws.user.office_id,
                          self.period_bar.choice(), self.period_bar.unit_id(), self._ws.lang, self.cache,
                          on_success=lambda data: self._show(generation, data),
                          on_failure=lambda exc: self._refused(generation, exc), owner=self)

    # ---- results ---------------------------------------------------------------------------------------------

    def _show(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return
        self.data, self.error = data, ""
        report = data.report
        for figure in tile_figures(report, self._ws.lang):
            self.tiles[figure.key].show_figure(figure)
        self.scope_label.setText(self._scope_text(data))
        notes = []
        if report.no_data:
            notes.append(self.tr("There were no complaints in this period: every figure is zero."))
        if report.partial:
            notes.append(self.tr("The period has not ended yet: the figures so far."))
        self.message.setText(" ".join(notes))
        self.message.setVisible(bool(notes))
        self.message.setStyleSheet("")
        for key, pane in self.panes.items():
            self._fill_pane(pane, data.monthly if key == "monthly" else self._breakdown(data, key))
        self.computed.emit()
        # With the figures on screen: assess the office if these were read for their period alone (nothing to do
        # when it is kept already), so the next period or unit chosen is only looked up.
        self._ws.tasks.db(keep, self._ws.store, self._ws.services, self._ws.user.office_id, data.period, self.cache,
                          owner=self)

    def _refused(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.error = known_error_message(exc).text(self._ws.lang)
        fields = getattr(exc, "fields", None)
        if fields:  # a refused period: its own message, without the generic "invalid input" prefix
            self.error = " ".join(m.text(self._ws.lang) for m in fields.values())
        self.message.setText("⚠ " + self.error)
        self.message.setStyleSheet(f"color: {MISSED_COLOUR}; font-weight: 600;")
        self.message.setVisible(True)
        self.computed.emit()

    @staticmethod
    def _breakdown(data: DashboardData, key: str) -> Breakdown:
        return next(b for b in data.breakdowns if b.key == key)

    def _fill_pane(self, pane: BreakdownPane, breakdown: Breakdown) -> None:
        title = self._pane_titles()[pane.key]
        empty = self.tr("no complaints in this period")
        if pane.key == "monthly":
            sets = tuple(label(Status(s), self._ws.lang) for s in breakdown.columns)
            pane.model.set_breakdown(breakdown, self.tr("Month"), sets)
            pane.chart.show_breakdown(breakdown, sets, self.tr("Complaints received per month, by status now"),
                                      empty, stacked=True)
        else:
            sets = self._group_titles()
            pane.model.set_breakdown(breakdown, title, sets)
            pane.chart.show_breakdown(breakdown, sets, title, empty)
        # Fitting the columns asks every row of the table: for the tab on screen now, for the others when shown.
        pane.fit_pending = True
        if self.tabs.currentWidget() is pane:
            pane.fit_columns()

    def _tab_shown(self, _index: int) -> None:
        pane = self.tabs.currentWidget()
        if isinstance(pane, BreakdownPane) and pane.fit_pending:
            pane.fit_columns()

    def _scope_text(self, data: DashboardData) -> str:
        unit = data.unit_name or self.tr("all units")
        as_of = as_utc(data.report.as_of).astimezone(zone(data.tz))
        return self.tr("{period} · {unit} · as of {when}").format(period=self._when(data), unit=unit,
                                                                  when=datetime_text(as_of, self._ws.lang))

    # ---- drill-down ------------------------------------------------------------------------------------------

    def _period_text(self) -> str:
        return "" if self.data is None else self._when(self.data)

    def _when(self, data: DashboardData) -> str:
        """"Okt 2026" for a month, else "1 Jul 2026 – 30 Sep 2026" (in the window's language)."""
        p, lang = data.period, self._ws.lang
        if p.label == f"{p.first_day:%Y-%m}":
            return month_name(p.first_day, lang)
        return f"{date_text(p.first_day, lang)} – {date_text(p.last_day, lang)}"

    def _tile_activated(self, key: str) -> None:
        figure = self.tiles[key].figure
        if figure is not None and self.data is not None:
            self.drilldown_requested.emit(f"{figure.title} — {self._period_text()}", list(figure.ids))

    def _bar_clicked(self, pane_key: str, set_title: str, group: str, ids: list[str]) -> None:
        self.drilldown_requested.emit(f"{group} · {set_title} — {self._period_text()}", list(ids))

    def _row_activated(self, pane_key: str, index: QModelIndex) -> None:
        pane = self.panes[pane_key]
        row = pane.model.row_at(index.row())
        if row is None:
            return
        column = max(1, index.column())
        what = pane.model.headerData(column, Qt.Orientation.Horizontal)
        self.drilldown_requested.emit(f"{row.name} · {what} — {self._period_text()}",
                                      list(pane.model.cell_ids(index.row(), column)))

    # ---- titles ----------------------------------------------------------------------------------------------

    def _pane_titles(self) -> dict[str, str]:
        return {"monthly": self.tr("Per month"), "category": self.tr("Category"), "channel": self.tr("Channel"),
                "district": self.tr("District"), "village": self.tr("Village"), "unit": self.tr("Unit")}

    def _group_titles(self) -> tuple[str, ...]:
        return (self.tr("Received"), self.tr("Completed"), self.tr("Overdue now"))

    # ---- refresh ---------------------------------------------------------------------------------------------

    def _on_changed(self, ids: list[str]) -> None:
        # Queued on the database thread before any later figures, which read these complaints again first.
        self._ws.tasks.db(self.cache.changed, list(ids), owner=self)
        # Figures on their way were computed before the kept assessment heard of the change: not shown.
        self._generation += 1
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self._stale = True

    def _on_reference_changed(self) -> None:
        self._load_units()
        self._on_changed([])  # a new SLA policy or calendar changes every deadline

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _load_units(self) -> None:
        self._ws.tasks.db(load_office_units, self._ws.store, self._ws.user.office_id, active_only=False,
                          on_success=self._units_loaded, owner=self)

    def _units_loaded(self, units: list[Choice]) -> None:
        self.period_bar.set_units(units)

    def _today(self) -> date:
        return as_utc(self._ws.services.clock()).astimezone(zone("Asia/Jakarta")).date()
