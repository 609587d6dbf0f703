"""The list's "Export…": the options (the personal-data box and its warning for the office administrator only), the
save dialog, the export on the real database thread, and the file holding exactly what the list showed — its view,
filters, search and order — with a message saying where it went; a path that cannot be written says so and leaves
nothing. No dialog is run with exec()."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain import Role, Status
from app.export import ExportFormat
from app.models import AuditRecord, Complaint
from tests.helpers.world import World
from tests.ui.complaints.conftest import Office
from ui.complaints import export as export_module
from ui.complaints.export import ListExport
from ui.complaints.model import COL_TITLE
from ui.complaints.widget import ComplaintListWidget
from ui.workspace import Workspace


@pytest.fixture
def make_list(qtbot: QtBot, make_workspace: Callable[..., Workspace]) -> Callable[..., ComplaintListWidget]:
    """A shown list over the real database thread (synchronous=False), its first ids loaded."""

    def make(role: str = Role.ADMIN_INSTANSI, view: str = "all") -> ComplaintListWidget:
        w = ComplaintListWidget(make_workspace(role, synchronous=False))
        qtbot.addWidget(w)
        w.resize(1200, 500)
        w.set_view(view)
        with qtbot.waitExposed(w):
            w.show()
        settle(qtbot, w)
        return w

    return make


def settle(qtbot: QtBot, w: ComplaintListWidget) -> None:
    """Until the list's newest query has been answered (the runner has nothing pending)."""
    qtbot.waitUntil(lambda: w.model.has_data and not w._ws.tasks.busy, timeout=10_000)


def codes(world: World, ids: tuple[str, ...] | list[str]) -> list[str]:
    with world.store.read() as s:
        by_id = dict(s.execute(select(Complaint.id, Complaint.tracking_code).where(Complaint.id.in_(ids))).all())
    return [by_id[i] for i in ids]


def through_dialogs(qtbot: QtBot, w: ComplaintListWidget, target: Path, fmt: ExportFormat, *,
                    personal: bool = False) -> ListExport:
    """Press Export…, choose the format (and the personal-data box), Save as…, pick ``target``; wait for the end."""
    w.export_button.click()
    job = w.last_export
    assert job is not None and job.options is not None and job.options.isVisible()
    job.options.format.setCurrentIndex(job.options.format.findData(fmt.value))
    job.options.personal.setChecked(personal)
    job.options.save_button.click()
    dialog = job.file_dialog
    assert dialog is not None and dialog.isVisible() and dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert dialog.defaultSuffix() == fmt.suffix.lstrip(".")
    with qtbot.waitSignals([job.finished], timeout=20_000, raising=True):
        dialog.fileSelected.emit(str(target))  # what choosing a file and pressing Save does
    dialog.close()
    return job


def rows_of(path: Path) -> list[tuple[Any, ...]]:
    return list(openpyxl.load_workbook(path).worksheets[0].iter_rows(min_row=2, values_only=True))


def notes_of(path: Path) -> dict[str, Any]:
    return dict(openpyxl.load_workbook(path)["Keterangan"].iter_rows(min_row=2, values_only=True))


def test_only_the_office_administrator_is_offered_personal_data(office: Office, make_list: Callable[...,
                                                                ComplaintListWidget]) -> None:
    admin = make_list(Role.ADMIN_INSTANSI)
    job = admin.export_list()
    options = job.options
    assert options is not None and options.isVisible() and options.personal.isVisible()
    assert "7 complaint(s)" in options.summary.text()
    assert not options.warning.isVisible() and options.privacy_note.isVisible()
    options.personal.setChecked(True)
    assert options.warning.isVisible() and "audit log" in options.warning.text() and options.include_personal
    options.format.setCurrentIndex(options.format.findData(ExportFormat.OPEN311.value))
    assert not options.personal.isEnabled() and not options.include_personal and not options.warning.isVisible()
    options.reject()
    for role in (Role.PIMPINAN, Role.PENGHUBUNG, Role.PETUGAS_LOKET):
        other = make_list(role).export_list()
        assert other.options is not None and not other.options.personal.isVisible()
        other.options.personal.setChecked(True)  # even if it were somehow ticked
        assert not other.options.include_personal
        other.options.reject()


def test_the_file_holds_what_the_list_shows_exported_on_the_database_thread(
        office: Office, world: World, qtbot: QtBot, make_list: Callable[..., ComplaintListWidget], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    real = export_module.run_export

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(export_module, "run_export", spy)
    w = make_list(Role.PIMPINAN)
    w.filters.status.setCurrentIndex(w.filters.status.findData(Status.DIDISPOSISIKAN))
    settle(qtbot, w)
    w.table.sortByColumn(COL_TITLE, w.model.sort_order.DescendingOrder)  # a column sorted backwards
    settle(qtbot, w)
    shown = codes(world, w.model.ids)
    assert len(shown) == 2
    job = through_dialogs(qtbot, w, tmp_path / "daftar", ExportFormat.XLSX)
    assert threads and threads[0].startswith("lapor-db") and threading.current_thread().name not in threads
    target = tmp_path / "daftar.xlsx"  # the extension added to a name typed without one
    assert job.result is not None and job.result.path == target and job.result.rows == 2
    assert [r[0] for r in rows_of(target)] == shown
    notes = notes_of(target)
    assert notes["Tampilan"] == "All" and notes["Status"] == "Didisposisikan" and notes["Jumlah laporan"] == 2
    assert notes["Diekspor oleh"].startswith("Petugas Pimpinan (user.pimpinan)")
    box = job.message_box
    assert box is not None and box.isVisible() and box.objectName() == "export-finished"
    assert str(target) in box.text() and "2 complaint(s) exported" in box.text()
    box.close()


def test_a_search_exports_its_matches_but_not_its_words(office: Office, world: World, qtbot: QtBot,
                                                        make_list: Callable[..., ComplaintListWidget],
                                                        tmp_path: Path) -> None:
    w = make_list(Role.ADMIN_INSTANSI)
    w.search.setText("Kaliurang")
    w._run_search()
    settle(qtbot, w)
    shown = codes(world, w.model.ids)
    assert len(shown) == 1 and len(shown) < len(office.all)
    job = through_dialogs(qtbot, w, tmp_path / "cari.xlsx", ExportFormat.XLSX)
    assert [r[0] for r in rows_of(tmp_path / "cari.xlsx")] == shown
    notes = notes_of(tmp_path / "cari.xlsx")
    assert "Pencarian teks" in notes and not any("Kaliurang" in str(v) for v in notes.values())
    assert job.message_box is not None
    job.message_box.close()


def test_personal_data_through_the_box_is_in_the_file_and_audited(office: Office, world: World, qtbot: QtBot,
                                                                  make_list: Callable[..., ComplaintListWidget],
                                                                  tmp_path: Path) -> None:
    w = make_list(Role.ADMIN_INSTANSI, view="inbox")
    job = through_dialogs(qtbot, w, tmp_path / "pribadi.csv", ExportFormat.CSV, personal=True)
    text = (tmp_path / "pribadi.csv").read_text(encoding="utf-8-sig")
    assert "Nama pelapor" in text and "Budi Santoso" in text and "+6281234567890" in text
    assert job.message_box is not None and "audit log" in job.message_box.informativeText()
    job.message_box.close()
    with world.store.read() as s:
        record = s.execute(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).scalar_one()
        assert record.action == "export_personal_data" and record.user_id == world.users[Role.ADMIN_INSTANSI]
        assert json.loads(record.details_json)["rows"] == 2


def test_a_path_that_cannot_be_written_says_so_and_leaves_nothing(office: Office, qtbot: QtBot,
                                                                  make_list: Callable[..., ComplaintListWidget],
                                                                  tmp_path: Path) -> None:
    w = make_list(Role.ADMIN_INSTANSI)
    job = w.export_list()
    assert job.options is not None
    job.options.reject()
    with qtbot.waitSignal(job.failed, timeout=20_000) as failed:
        job.export_to(tmp_path / "hilang" / "laporan.xlsx", ExportFormat.XLSX)
    assert "could not be written" in failed.args[0] or "tidak dapat ditulis" in failed.args[0]
    box = job.message_box
    assert box is not None and box.isVisible() and box.objectName() == "export-failed"
    assert box.icon() == QMessageBox.Icon.Warning
    box.close()
    assert not (tmp_path / "hilang").exists() and not job.running


def test_a_dashboard_drilldown_exports_its_complaints_under_its_title(office: Office, world: World, qtbot: QtBot,
                                                                      make_list: Callable[..., ComplaintListWidget],
                                                                      tmp_path: Path) -> None:
    w = make_list(Role.PIMPINAN)
    w.open_drilldown([office.followed_up, office.new, office.followed_up], "Terlambat · Dinas Pekerjaan Umum")
    settle(qtbot, w)
    shown = codes(world, w.model.ids)
    assert len(shown) == 2
    job = through_dialogs(qtbot, w, tmp_path / "rinci.xlsx", ExportFormat.XLSX)
    assert [r[0] for r in rows_of(tmp_path / "rinci.xlsx")] == shown
    notes = notes_of(tmp_path / "rinci.xlsx")
    assert notes["Tampilan"] == "Terlambat · Dinas Pekerjaan Umum" and notes["Laporan terpilih"] == 2
    assert job.message_box is not None
    job.message_box.close()
