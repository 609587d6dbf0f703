"""The conflict review page over a store with conflict items written the way a pull writes them
(sync/apply_pull.py: id "<server event id>:<field>", JSON values, the server's value already in the complaint):
keep mine, keep the server's, edit (and a refused edit), the empty state, roles that may only look."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QCheckBox, QLineEdit

from app.domain import Role
from app.models import Complaint, ConflictItem, TimelineEvent
from tests.helpers.world import World
from ui.sync.conflicts import ConflictListModel, ConflictReviewWidget, load_review, open_conflict_count
from ui.workspace import Workspace

MINE = "Jalan rusak parah di depan Pasar Sleman"
THEIRS = "Jalan berlubang besar di depan Pasar Sleman"


def add_conflict(world: World, complaint_id: str, field: str, mine: Any, theirs: Any, event: str = "ev-1") -> str:
    """What apply_pull leaves for one field of a CONFLICT_MERGED event."""
    item_id = f"{event}:{field}"[:80]
    with world.store.transaction() as session:
        session.add(ConflictItem(id=item_id, complaint_id=complaint_id, field=field,
                                 mine_json=json.dumps(mine, ensure_ascii=False),
                                 theirs_json=json.dumps(theirs, ensure_ascii=False), created_at=world.clock()))
    world.clock.advance(minutes=1)
    return item_id


def item(world: World, item_id: str) -> ConflictItem:
    with world.store.read() as session:
        found = session.get(ConflictItem, item_id)
        assert found is not None
        session.expunge(found)
        return found


def complaint(world: World, complaint_id: str) -> Complaint:
    with world.store.read() as session:
        found = session.get(Complaint, complaint_id)
        assert found is not None
        session.expunge(found)
        return found


@pytest.fixture
def title_conflict(world: World) -> tuple[str, str]:
    cid = world.new_complaint(title=THEIRS)  # the pull already brought the server's value
    return cid, add_conflict(world, cid, "title", MINE, THEIRS)


def review(ws: Workspace, qtbot) -> ConflictReviewWidget:  # type: ignore[no-untyped-def]
    widget = ConflictReviewWidget(ws)
    qtbot.add_widget(widget)
    widget.resize(900, 600)
    widget.show()
    return widget


def test_no_conflicts_is_a_calm_empty_page(workspace: Workspace, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    widget = review(workspace, qtbot)
    assert widget.pages.currentIndex() == 0
    assert widget.empty_label.text() == "No conflicts"
    assert widget.model.rowCount() == 0
    qtmodeltester.check(widget.model)
    assert open_conflict_count(workspace) == 0


def test_the_queue_lists_conflicts_side_by_side(workspace: Workspace, world: World, title_conflict: tuple[str, str],
                                                qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    cid, _item_id = title_conflict
    add_conflict(world, cid, "is_supervisory", True, False, event="ev-2")
    widget = review(workspace, qtbot)
    assert widget.pages.currentIndex() == 1
    qtmodeltester.check(widget.model)
    model = widget.model
    assert model.rowCount() == 2 and model.rowCount(model.index(0, 0)) == 0
    code = complaint(world, cid).tracking_code
    assert [model.data(model.index(0, c)) for c in range(3)] == [code, THEIRS, "Judul"]
    assert model.data(model.index(1, 2)) == "Berkadar pengawasan"
    assert model.data(QModelIndex()) is None
    assert widget.selected() is not None and widget.selected().field == "title"
    assert widget.mine.toPlainText() == MINE and widget.theirs.toPlainText() == THEIRS
    assert code in widget.heading.text() and "Judul" in widget.recorded.text()
    assert _marked(widget.mine, "rusak") and not _marked(widget.mine, "Sleman")
    assert _marked(widget.theirs, "berlubang")
    widget.table.selectRow(1)
    assert (widget.mine.toPlainText(), widget.theirs.toPlainText()) == ("Yes", "No")
    assert open_conflict_count(workspace) == 2


def _marked(box: Any, word: str) -> bool:
    """Is ``word`` shown underlined (the mark that does not rely on colour)?"""
    text = box.toPlainText()
    cursor = QTextCursor(box.document())
    cursor.setPosition(text.index(word) + 1)
    return bool(cursor.charFormat().fontUnderline())


def test_keep_mine_edits_the_complaint_and_closes_the_item(workspace: Workspace, world: World,
                                                          title_conflict: tuple[str, str], qtbot) -> None:  # type: ignore[no-untyped-def]
    cid, item_id = title_conflict
    widget = review(workspace, qtbot)
    changed: list[list[str]] = []
    workspace.hub.complaints_changed.connect(changed.append)
    with qtbot.wait_signal(workspace.hub.conflicts_changed):
        widget.keep_mine_button.click()
    assert complaint(world, cid).title == MINE
    resolved = item(world, item_id)
    assert resolved.resolution == "mine" and resolved.resolved_at is not None
    assert resolved.resolved_by == world.users[Role.ADMIN_INSTANSI]
    assert changed == [[cid]]
    assert widget.model.rowCount() == 0 and widget.pages.currentIndex() == 0
    assert "next sync" in widget.message.text()
    with world.store.read() as session:  # on the timeline like any edit
        kinds = [e.kind for e in session.query(TimelineEvent).filter(TimelineEvent.complaint_id == cid)]
    assert len(kinds) >= 2


def test_keep_theirs_leaves_the_complaint_as_the_server_has_it(workspace: Workspace, world: World,
                                                              title_conflict: tuple[str, str], qtbot) -> None:  # type: ignore[no-untyped-def]
    cid, item_id = title_conflict
    other = add_conflict(world, cid, "address", "Jl. Magelang km 10", "Jl. Kaliurang km 5", event="ev-2")
    widget = review(workspace, qtbot)
    widget.keep_theirs_button.click()
    assert complaint(world, cid).title == THEIRS
    assert item(world, item_id).resolution == "theirs"
    assert widget.model.rowCount() == 1 and widget.selected() is not None and widget.selected().id == other


def test_edit_writes_a_new_value(workspace: Workspace, world: World, title_conflict: tuple[str, str],
                                 qtbot) -> None:  # type: ignore[no-untyped-def]
    cid, item_id = title_conflict
    widget = review(workspace, qtbot)
    widget.edit_button.click()
    dialog = widget.edit_dialog
    assert dialog is not None and dialog.isVisible()
    assert isinstance(dialog.editor, QLineEdit) and dialog.editor.text() == MINE  # prefilled with mine
    dialog.editor.setText("Jalan rusak dan berlubang di depan Pasar Sleman")
    dialog.save_button.click()
    assert complaint(world, cid).title == "Jalan rusak dan berlubang di depan Pasar Sleman"
    assert item(world, item_id).resolution == "edit"
    assert not dialog.isVisible() and widget.edit_dialog is None


def test_a_refused_edit_keeps_the_dialog_open_with_the_reason(workspace: Workspace, world: World,
                                                             title_conflict: tuple[str, str], qtbot) -> None:  # type: ignore[no-untyped-def]
    cid, item_id = title_conflict
    widget = review(workspace, qtbot)
    widget.edit_button.click()
    dialog = widget.edit_dialog
    assert dialog is not None
    dialog.set_value("Pendek")  # a title needs at least 10 characters
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.error.isVisible() and dialog.error.text()
    assert item(world, item_id).resolved_at is None and complaint(world, cid).title == THEIRS
    assert widget.keep_mine_button.isEnabled()
    dialog.reject()


def test_a_flag_is_edited_with_a_checkbox(workspace: Workspace, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    cid = world.new_complaint()
    item_id = add_conflict(world, cid, "is_supervisory", True, False)
    widget = review(workspace, qtbot)
    widget.edit_button.click()
    dialog = widget.edit_dialog
    assert dialog is not None and isinstance(dialog.editor, QCheckBox) and dialog.editor.isChecked()
    dialog.save_button.click()
    assert complaint(world, cid).is_supervisory is True
    assert item(world, item_id).resolution == "edit"


def test_roles_that_may_not_decide_only_look(make_workspace: Callable[..., Workspace], world: World,
                                            title_conflict: tuple[str, str], qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = review(make_workspace(Role.PIMPINAN), qtbot)
    assert widget.model.rowCount() == 1
    assert not widget.keep_mine_button.isEnabled() and not widget.edit_button.isEnabled()
    assert "Admin" in widget.message.text()


def test_a_hidden_page_reads_again_when_shown(workspace: Workspace, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = review(workspace, qtbot)
    widget.hide()
    cid = world.new_complaint()
    add_conflict(world, cid, "address", "Jl. A", "Jl. B")
    workspace.hub.conflicts_changed.emit()
    assert widget.model.rowCount() == 0  # not read while hidden
    widget.show()
    assert widget.model.rowCount() == 1


def test_the_list_model_alone(qtmodeltester, workspace: Workspace, world: World,
                              title_conflict: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    model = ConflictListModel("en")
    qtmodeltester.check(model)
    model.set_rows(load_review(workspace).conflicts)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 2)) == "Title"
