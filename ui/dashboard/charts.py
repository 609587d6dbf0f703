"""A breakdown as a QtCharts bar chart readable without colour: every bar set has its own fill pattern as well as
its colour (print, colour-blind readers), each bar its value written on it, the legend names the sets, and a chart
with nothing in it says so in its title. Clicking a bar emits the ids behind it."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.dashboard.compute import Breakdown, Row
from ui.locale_format import locale_for

# Colour and pattern together: a set is told apart by either alone.
PATTERNS: tuple[tuple[str, Qt.BrushStyle], ...] = (
    ("#1f5fa8", Qt.BrushStyle.SolidPattern),
    ("#2e7d32", Qt.BrushStyle.BDiagPattern),
    ("#b3261e", Qt.BrushStyle.DiagCrossPattern),
    ("#7b3fa0", Qt.BrushStyle.Dense4Pattern),
    ("#c8641e", Qt.BrushStyle.FDiagPattern),
    ("#5d6d7e", Qt.BrushStyle.CrossPattern),
    ("#8a6d00", Qt.BrushStyle.HorPattern),
    ("#00796b", Qt.BrushStyle.VerPattern),
)
MAX_GROUPS = 12  # the chart shows the biggest groups; the table beside it has all of them


LABEL_DARK, LABEL_LIGHT = "#1b1f24", "#ffffff"


def pattern_brush(i: int) -> QBrush:
    colour, style = PATTERNS[i % len(PATTERNS)]
    return QBrush(QColor(colour), style)


def label_colour(i: int, stacked: bool) -> str:
    """The colour of a bar's value: written inside a stacked column, on a solid fill it is white (dark on the first
    set's blue was 2.6:1); elsewhere it sits on white or on a pattern that is mostly white."""
    solid = PATTERNS[i % len(PATTERNS)][1] == Qt.BrushStyle.SolidPattern
    return LABEL_LIGHT if stacked and solid else LABEL_DARK


class BreakdownChart(QChartView):
    """``show_breakdown`` draws one breakdown: horizontal bars per group (``stacked`` False) or stacked columns per
    month (``stacked`` True). ``bar_clicked(set title, group name, ids)``. A breakdown shaped like the one shown (the
    same sets, as many groups) only changes the bars' values and names: building the bars again costs several
    times more, and a dashboard shows six charts for every period chosen."""

    bar_clicked = Signal(str, str, list)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(320, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self._chart = QChart()
        self._chart.setLocale(locale_for(lang))  # the bars' values and the axis: 1.514 / 1,514
        self._chart.setLocalizeNumbers(True)
        self._chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(self._chart)
        self.sets: list[QBarSet] = []
        self.categories: list[str] = []
        self._rows: tuple[Row, ...] = ()  # as drawn (the biggest group on top)
        self._shape: tuple[bool, tuple[str, ...], int] | None = None  # stacked, set titles, groups
        self._axes: tuple[QBarCategoryAxis, QValueAxis] | None = None

    def show_breakdown(self, breakdown: Breakdown, set_titles: tuple[str, ...], title: str, empty_text: str, *,
                       stacked: bool = False) -> None:
        chart = self._chart
        rows = breakdown.rows if stacked else breakdown.rows[:MAX_GROUPS]
        if breakdown.empty or not set_titles:
            self._clear()
            chart.setTitle(f"{title} — {empty_text}")
            return
        chart.setTitle(title)
        if not stacked:
            rows = tuple(reversed(rows))  # the biggest group on top
        shape = (stacked, set_titles, len(rows))
        if shape != self._shape or self._axes is None:
            self._clear()
            self._build(set_titles, stacked, len(rows))
            self._shape = shape
        assert self._axes is not None
        groups, values = self._axes
        self._rows = rows
        self.categories = [r.name for r in rows]
        for i, bar_set in enumerate(self.sets):
            for j, r in enumerate(rows):
                bar_set.replace(j, float(r.values[i]))
        groups.setCategories(self.categories)
        top = max((sum(r.values) if stacked else max(r.values)) for r in rows)
        values.setRange(0, max(1, top * (1.0 if stacked else 1.15)))
        values.applyNiceNumbers()

    def _clear(self) -> None:
        chart = self._chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.sets, self.categories, self._rows = [], [], ()
        self._shape = self._axes = None

    def _build(self, set_titles: tuple[str, ...], stacked: bool, groups_count: int) -> None:
        """The series, its sets (each with ``groups_count`` bars, filled by the caller) and the axes."""
        chart = self._chart
        series = QStackedBarSeries() if stacked else QHorizontalBarSeries()
        for i, set_title in enumerate(set_titles):
            bar_set = QBarSet(set_title)
            bar_set.setBrush(pattern_brush(i))
            bar_set.setPen(QPen(QColor(PATTERNS[i % len(PATTERNS)][0]), 1))
            bar_set.setLabelColor(QColor(label_colour(i, stacked)))
            bar_set.append([0.0] * groups_count)
            bar_set.clicked.connect(lambda index, i=i: self._clicked(i, index))
            series.append(bar_set)
            self.sets.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QStackedBarSeries.LabelsPosition.LabelsCenter if stacked
                                 else QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        groups = QBarCategoryAxis()
        values = QValueAxis()
        values.setLabelFormat("%.0f")  # localized numbers take %f, not %d (which leaves the axis without labels)
        if stacked:
            chart.addAxis(groups, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        else:
            chart.addAxis(groups, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(groups)
        series.attachAxis(values)
        chart.legend().setVisible(True)
        self._axes = (groups, values)

    def _clicked(self, set_index: int, index: int) -> None:
        if self._shape is not None and 0 <= index < len(self._rows):
            row = self._rows[index]
            self.bar_clicked.emit(self._shape[1][set_index], row.name, list(row.ids[set_index]))
