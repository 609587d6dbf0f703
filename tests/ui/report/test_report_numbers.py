"""The numbers the report's painter writes (chart values and axes, table counts) go through ui.locale_format in the
report's language. The report is written in Indonesian for the office's leadership (its words and the numbers
app.report.formats writes), so its own numbers are Indonesian too, also from a window in English: "1,514" in an
Indonesian text reads as one and a half."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.report.content import RankedGroup, UnitOverdue
from tests.app.test_report_content import build_report_office, content_of
from tests.helpers.world import World
from tests.ui.printing.pdfcheck import pdf_text
from ui import i18n
from ui.report import paper
from ui.report.charts import number_text
from ui.report.pdf import save_report_pdf


@pytest.mark.parametrize(("lang", "count", "share"), [("id", "1.514", "85,7"), ("en", "1,514", "85.7")])
def test_chart_numbers_in_each_language(lang: str, count: str, share: str) -> None:
    assert number_text(1514.0, False, lang) == count
    assert number_text(85.66, True, lang) == share


@pytest.mark.usefixtures("keep_app_as_it_was")
def test_the_report_writes_its_numbers_the_indonesian_way_from_an_english_window(
        world: World, qapp: QApplication, tmp_path: Path) -> None:
    build_report_office(world)
    content = content_of(world, generated_by="Petugas Pimpinan")
    busy = RankedGroup("Jalan rusak", 1514, 1203, 1024)
    content = replace(content, top_categories=(busy,), overdue_total=2048,
                      overdue_by_unit=(UnitOverdue("Dinas Pekerjaan Umum", 1024, ()),))
    i18n.install(qapp, "en")  # the window in English: its default locale writes 1,514
    text = pdf_text(save_report_pdf(content, tmp_path / "laporan.pdf"))
    assert paper.LANG == "id"
    assert "1.514" in text and "1.203" in text and "1.024" in text and "2.048 laporan terlambat" in text
    assert "1,514" not in text and "2,048" not in text
