"""The dashboard's figures in the window's language: tiles, table and chart write 1.514 / 85,7 % in Indonesian and
1,514 / 85.7% in English, and English counts say "1 complaint" and "2 complaints", never "complaint(s)"."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.kpi.definitions import Count, KpiReport, Median, Rate
from app.kpi.period import ReportPeriod
from ui import i18n
from ui.dashboard.charts import BreakdownChart
from ui.dashboard.compute import Breakdown, Row, month_name
from ui.dashboard.figures import tile_figures
from ui.dashboard.table_model import BreakdownTableModel


def _count(n: int) -> Count:
    return Count(n, ())


def _rate(numerator: int, denominator: int, pending: int = 0) -> Rate:
    return Rate(numerator, denominator, 100 * numerator / denominator, False, (), (),
                tuple(f"p{i}" for i in range(pending)))


def big_month() -> KpiReport:
    """A busy office's month: counts past a thousand, rates with a decimal."""
    return KpiReport(
        period=ReportPeriod.month(2026, 10), as_of=datetime(2026, 11, 2, tzinfo=UTC), partial=False,
        received=_count(1514), excluded=_count(1), completed=_count(1203), auto_closed=_count(2),
        verified_on_time=_rate(1297, 1514, pending=1), followed_up_on_time=_rate(1, 8),
        resolved_on_time=_rate(1203, 1203), overdue_now=_count(1024),
        median_days_to_verification=Median(2.5, 1514, False, ()), median_days_to_follow_up=Median(1.0, 1, False, ()),
        reporter_responses=_count(2000), satisfaction=_rate(3, 4), no_data=False)


@pytest.mark.usefixtures("keep_app_as_it_was")
@pytest.mark.parametrize(("lang", "expected"), [
    ("id", {"received": ("1.514", "1 spam/duplikat tidak dihitung"),
            "verified_on_time": ("85,7 %", "1.297 dari 1.514 · 1 masih berjalan", "Target 100 % — ✗ belum tercapai"),
            "followed_up_on_time": ("12,5 %", "1 dari 8"),
            "completed": ("1.203", "2 ditutup otomatis"),
            "overdue_now": ("1.024",),
            "median_days_to_verification": ("2,5 hari", "dari 1.514 laporan"),
            "median_days_to_follow_up": ("1,0 hari", "dari 1 laporan"),
            "reporter_responses": ("2.000",)}),
    ("en", {"received": ("1,514", "1 spam or duplicate left out"),
            "verified_on_time": ("85.7%", "1,297 of 1,514 · 1 pending", "Target 100% — ✗ not met"),
            "followed_up_on_time": ("12.5%", "1 of 8"),
            "completed": ("1,203", "2 closed automatically"),
            "overdue_now": ("1,024",),
            "median_days_to_verification": ("2.5 days", "over 1,514 complaints"),
            "median_days_to_follow_up": ("1.0 days", "over 1 complaint"),
            "reporter_responses": ("2,000",)}),
])
def test_tiles_in_each_language(qapp: QApplication, lang: str, expected: dict[str, tuple[str, ...]]) -> None:
    i18n.install(qapp, lang)  # as the window does: its translations and its locale
    tiles = {f.key: f for f in tile_figures(big_month(), lang)}
    for key, texts in expected.items():
        tile = tiles[key]
        shown = (tile.value, tile.detail, tile.target)[:len(texts)]
        assert shown == texts, key
    every = " ".join(f"{f.value} {f.detail} {f.target}" for f in tiles.values())
    assert "(s)" not in every


@pytest.mark.parametrize(("lang", "cell", "month"), [("id", "1.514", "Okt 2026"), ("en", "1,514", "Oct 2026")])
def test_table_and_chart_in_each_language(qtbot: QtBot, lang: str, cell: str, month: str) -> None:
    breakdown = Breakdown("unit", ("r", "c", "o"), (Row("u1", "Dinas Kesehatan", (1514, 3, 0), ((), (), ())),))
    model = BreakdownTableModel(lang)
    model.set_breakdown(breakdown, "Unit", ("Diterima", "Selesai", "Terlambat"))
    assert model.data(model.index(0, 1), Qt.ItemDataRole.DisplayRole) == cell
    chart = BreakdownChart(lang)
    qtbot.addWidget(chart)
    chart.show_breakdown(breakdown, ("Diterima", "Selesai", "Terlambat"), "Unit", "kosong")
    assert chart.chart().localizeNumbers() and chart.chart().locale().toString(1514) == cell
    assert month_name(date(2026, 10, 1), lang) == month
