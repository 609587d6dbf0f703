"""The region picker: starts at the office's own regency, every list searchable by name, one search box over every
region (a name, or a code typed dotted or not), the lists read on the database thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from app.domain import Role
from ui.intake.region_picker import RegionPicker
from ui.intake.sections import WhereSection
from ui.workspace import Workspace


def test_where_starts_at_the_offices_regency(workspace: Workspace, qtbot: Any) -> None:
    where = WhereSection(workspace)
    qtbot.add_widget(where)
    picker = where.region
    assert picker.code() == "34.04"
    assert [c.currentText() for c in picker.combos[:2]] == ["Daerah Istimewa Yogyakarta", "Kabupaten Sleman"]
    assert picker.combos[2].isEnabled() and picker.combos[2].count() == 18  # 17 districts and "choose"
    assert not picker.combos[3].isEnabled()
    assert picker.code_label.text() == "Region code: 34.04"


def test_search_by_name_sets_the_whole_path(workspace: Workspace, qtbot: Any, qtmodeltester: Any) -> None:
    picker = RegionPicker(workspace)
    qtbot.add_widget(picker)
    picker.set_home("34.04")
    picker.search.setText("caturtung")
    picker.search_now()
    qtmodeltester.check(picker._results)
    assert picker.results()[0] == "Caturtunggal (village) — Depok, Kabupaten Sleman, Daerah Istimewa Yogyakarta"
    with qtbot.wait_signal(picker.changed):
        picker.pick_result(0)
    assert picker.code() == "34.04.07.2001"
    assert [c.currentText() for c in picker.combos] == ["Daerah Istimewa Yogyakarta", "Kabupaten Sleman", "Depok",
                                                        "Caturtunggal"]


def test_the_offices_regency_comes_first_in_a_search(workspace: Workspace, qtbot: Any) -> None:
    picker = RegionPicker(workspace)
    qtbot.add_widget(picker)
    picker.search.setText("sari")
    picker.search_now()
    everywhere = picker.results()
    picker.set_home("34.04")
    picker.search_now()
    assert "Sleman" not in everywhere[0]
    assert picker.results()[0].endswith("Kabupaten Sleman, Daerah Istimewa Yogyakarta")


def test_a_code_typed_dotted_or_not(workspace: Workspace, qtbot: Any) -> None:
    picker = RegionPicker(workspace)
    qtbot.add_widget(picker)
    picker.search.setText("3404072001")
    with qtbot.wait_signal(picker.changed):
        picker.search.returnPressed.emit()
    assert picker.code() == "34.04.07.2001" and picker.search.text() == ""
    picker.search.setText("51.03")
    picker.search.returnPressed.emit()
    assert picker.code() == "51.03" and picker.combos[1].currentText() == "Kabupaten Badung"


def test_each_list_picks_by_name(workspace: Workspace, qtbot: Any) -> None:
    picker = RegionPicker(workspace)
    qtbot.add_widget(picker)
    picker.set_code("34.04")
    districts = picker.combos[2]
    with qtbot.wait_signal(picker.changed):
        districts.setEditText("depok")
        districts.lineEdit().editingFinished.emit()
    assert picker.code() == "34.04.07"
    assert picker.combos[3].isEnabled() and picker.combos[3].findText("Caturtunggal") > 0
    assert districts.completer().filterMode().name == "MatchContains"
    districts.setEditText("no such district")
    districts.lineEdit().editingFinished.emit()
    assert districts.currentText() == "Depok" and picker.code() == "34.04.07"
    picker.combos[1].setCurrentIndex(0)  # no regency: nothing below it either
    assert picker.code() == "34" and not picker.combos[2].isEnabled()


def test_the_lists_come_from_the_database_thread(make_workspace: Callable[..., Workspace], qtbot: Any) -> None:
    import ui.intake.region_picker as module

    module._LISTS.clear()
    ws = make_workspace(Role.ADMIN_INSTANSI, synchronous=False)
    host = QWidget()
    qtbot.add_widget(host)
    picker = RegionPicker(ws, host)
    picker.set_code("34.04.07.2001")
    assert picker.code() == "34.04.07.2001"  # known at once, before the lists are read
    qtbot.wait_until(lambda: picker.combos[3].currentText() == "Caturtunggal", timeout=5000)
    assert picker.loaded()
