"""The staff's intake form in Indonesian with the window's style, at 1366×768 and at 1024×768 (the smallest screen an
office has): no sideways scrolling, the buttons in view. Each picture is saved in the test's folder, and in
$LAPOR_SCREENSHOT_DIR when set: that is how docs/screenshots/intake-staff-1366.png and intake-staff-1024.png are
made (``LAPOR_SCREENSHOT_DIR=docs/screenshots .venv/bin/pytest tests/ui/intake/test_screenshots.py``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.helpers.translations import build_qm
from tests.helpers.world import World
from tests.ui.intake.conftest import good_draft
from ui import i18n
from ui.intake.category import CategorySection
from ui.intake.reporter import ReporterSection
from ui.intake.sections import KindSection, WhatSection, restore_draft
from ui.intake.staff_form import StaffIntakeForm
from ui.style import apply_style
from ui.workspace import Workspace


@pytest.fixture
def indonesian(qapp: QApplication, keep_app_as_it_was: None) -> None:
    """The Indonesian translation of this area, built from its .ts, and the window's style."""
    build_qm("intake")
    i18n.install(qapp, "id")
    apply_style(qapp)


def settle() -> None:
    QCoreApplication.sendPostedEvents()
    QApplication.processEvents()


def save(widget: QWidget, name: str, folder: Path) -> None:
    picture = widget.grab()
    assert picture.save(str(folder / name))
    shots = os.environ.get("LAPOR_SCREENSHOT_DIR")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        assert picture.save(str(Path(shots) / name))


def clipped_labels(form: QWidget) -> list[str]:
    """Word-wrapped texts given less height than their lines need (drawn over the row below)."""
    return [label.text()[:40] for label in form.findChildren(QLabel)
            if label.isVisible() and label.wordWrap() and label.height() < label.heightForWidth(label.width())]


def inside(form: QWidget, widget: QWidget) -> bool:
    rect = QRect(widget.mapTo(form, QPoint(0, 0)), widget.size())
    return form.rect().contains(rect)


@pytest.mark.parametrize("width", [1366, 1024])
def test_the_staff_form_in_indonesian(indonesian: None, workspace: Workspace, world: World, qtbot: Any,
                                      tmp_path: Path, width: int) -> None:
    for title in ("Jalan berlubang di depan pasar Ngaglik", "Jalan berlubang dekat SD Minomartani",
                  "Aspal jalan rusak dan berlubang di Jalan Kaliurang"):
        world.new_complaint(title=title)
    from sqlalchemy import update

    from app.models import Complaint
    with world.store.transaction() as session:
        session.execute(update(Complaint).values(category_id="infrastruktur.jalan"))
    form = StaffIntakeForm(workspace)
    qtbot.add_widget(form)
    form.resize(width, 768)
    form.show()
    qtbot.wait_exposed(form)
    assert form.windowTitle() == "Laporan baru"
    assert form.submit_button.text() == "Daftarkan laporan"
    draft = good_draft(title="Jalan berlubang di depan Pasar Sleman", reporter_nik="3404121708900000",
                       reporter_email="budi.santoso@contoh")
    draft["classification"] = None
    restore_draft(form.sections, draft)
    form.live.restored(draft)
    kind, reporter = form.section(KindSection), form.section(ReporterSection)
    assert reporter.problem_text("reporter.nik") == "Empat digit terakhir NIK tidak boleh 0000."
    assert reporter.problem_text("reporter.email").startswith("Alamat e-mail tidak valid")
    qtbot.wait_until(lambda: form.section(CategorySection).suggestions() != [], timeout=3000)
    settle()
    scroll = form.scroll
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()  # no sideways scrolling
    assert not scroll.horizontalScrollBar().isVisible()
    for button in (form.submit_button, form.close_button, form.discard_button):
        assert button.isVisible() and inside(form, button)
    assert clipped_labels(form) == []
    save(form, f"intake-staff-{width}.png", tmp_path)
    assert scroll.widget().grab().save(str(tmp_path / f"intake-staff-{width}-whole.png"))  # to read it all

    form.submit()
    settle()
    assert kind.problem_text("classification") == "Wajib diisi."
    assert form.message_text() == "3 masalah perlu diperbaiki sebelum laporan dapat didaftarkan."
    assert clipped_labels(form) == []
    save(form, f"intake-staff-{width}-problems.png", tmp_path)
    form.section(WhatSection)  # the sections stay reachable for the next test's reader


def test_the_duplicates_and_the_result_in_indonesian(indonesian: None, workspace: Workspace, world: World,
                                                     qtbot: Any, tmp_path: Path) -> None:
    world.new_complaint(title="Jalan berlubang di depan pasar Ngaglik")
    world.clock.advance(days=3)
    form = StaffIntakeForm(workspace)
    qtbot.add_widget(form)
    form.resize(1024, 768)
    form.show()
    qtbot.wait_exposed(form)
    draft = good_draft(reporter_phone="081234567890", reporter_nik=None)
    restore_draft(form.sections, draft)
    form.live.restored(draft)
    form.submit()
    assert form.pages.currentWidget() is form.duplicates
    assert form.duplicates.link_button.text() == "Gabungkan ke laporan ini"
    assert form.duplicates.register_button.text() == "Daftarkan sebagai laporan baru"
    assert form.duplicates.model.index(0, 4).data() == "nomor telepon sama"
    settle()
    assert clipped_labels(form) == []
    save(form, "intake-duplicates.png", tmp_path)
    form.duplicates.register_button.click()
    assert form.done_page.heading.text() == "Laporan tercatat"
    settle()
    save(form, "intake-done.png", tmp_path)
