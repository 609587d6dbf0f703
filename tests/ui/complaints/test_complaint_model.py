"""ComplaintTableModel: a correct Qt model, lazy block reads, sorting done in SQL, invalidation."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from app.domain import DeadlineState, Role, Status
from app.read import queries
from app.read.queries import ComplaintFilter
from app.reference.labels import label
from app.rules.scope import Scope
from app.services import dispose
from tests.helpers.world import World
from tests.ui.complaints.conftest import MakeMany, Office, Spy
from ui.complaints import model as model_module
from ui.complaints.model import (
    COL_CODE,
    COL_DEADLINE,
    COL_KIND,
    COL_RECEIVED,
    COL_STATUS,
    COL_TITLE,
    COLUMN_COUNT,
    ID_ROLE,
    STATE_ROLE,
    ComplaintTableModel,
)
from ui.workspace import Workspace

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def sql_order(ws: Workspace, sort: str, f: ComplaintFilter | None = None) -> list[str]:
    with ws.store.read() as session:
        return queries.list_ids(session, ws.user.office_id, f or ComplaintFilter(), sort=sort,
                                now=ws.services.clock())


def test_model_passes_the_model_tester(office: Office, workspace: Workspace, qtmodeltester: object) -> None:
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter())
    assert model.rowCount() == 7
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.reload()
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.sort(COL_RECEIVED, DESC)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.invalidate([office.new])
    model.set_query(ComplaintFilter(statuses=(Status.DIDISPOSISIKAN,)))
    assert model.rowCount() == 2
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_rows_show_labels_local_times_and_deadline_marks(office: Office, world: World,
                                                         workspace: Workspace) -> None:
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter(ids=(office.new,)))
    cell = lambda col, role=Qt.ItemDataRole.DisplayRole: model.data(model.index(0, col), role)  # noqa: E731
    assert cell(COL_CODE).startswith("3404-")
    assert cell(COL_TITLE) == "Lampu jalan padam di Jalan Kaliurang"
    assert cell(COL_TITLE, Qt.ItemDataRole.ToolTipRole) == "Lampu jalan padam di Jalan Kaliurang"
    assert cell(COL_STATUS) == label(Status.BELUM_TERVERIFIKASI)
    assert cell(COL_RECEIVED) == "02/03/2026 09:00"  # 02:00 UTC is 09:00 WIB
    assert cell(COL_DEADLINE).endswith(label(DeadlineState.ON_TIME))
    assert cell(COL_KIND) == "Verifikasi"
    assert cell(0, ID_ROLE) == office.new
    assert not cell(COL_DEADLINE, Qt.ItemDataRole.DecorationRole).isNull()
    assert cell(COL_DEADLINE, STATE_ROLE) == DeadlineState.ON_TIME
    world.clock.advance(days=30)
    model.tick()
    assert cell(COL_DEADLINE, STATE_ROLE) == DeadlineState.OVERDUE
    assert label(DeadlineState.OVERDUE) in cell(COL_DEADLINE)
    assert label(DeadlineState.OVERDUE) in cell(COL_DEADLINE, Qt.ItemDataRole.AccessibleTextRole)


def test_the_list_shows_no_reporter_identity(office: Office, workspace: Workspace) -> None:
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter())
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)
    shown = [str(model.data(model.index(r, c), role)) for r in range(model.rowCount())
             for c in range(COLUMN_COUNT) for role in roles]
    assert not [s for s in shown if "Budi" in s or "0812" in s]


def test_only_the_blocks_drawn_are_read(many: MakeMany, workspace: Workspace, qtbot: QtBot,
                                        row_reads: Spy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "BLOCK", 5)
    many(40)
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter())
    assert len(row_reads) == 0  # the id list alone reads no rows
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.verticalHeader().setDefaultSectionSize(20)
    view.resize(600, 8 * 20)
    with qtbot.waitExposed(view):
        view.show()
    qtbot.wait_until(lambda: len(row_reads) > 0)
    read = {i for call in row_reads.calls for i in call}
    assert all(len(call) <= 5 for call in row_reads.calls)
    assert read <= set(model.ids[:10]) and model.ids[0] in read
    row_reads.reset()
    view.scrollToBottom()
    qtbot.wait_until(lambda: model.ids[-1] in {i for call in row_reads.calls for i in call})
    read = {i for call in row_reads.calls for i in call}
    assert read <= set(model.ids[-15:])
    assert model.block_fetches <= 5  # 40 rows are 8 blocks: the middle ones were never drawn
    assert model.cached_row(model.ids[20]) is None


def test_a_cached_row_is_not_read_again(many: MakeMany, workspace: Workspace, row_reads: Spy) -> None:
    many(3)
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter())
    for _ in range(3):
        for col in range(COLUMN_COUNT):
            model.data(model.index(1, col))
    assert len(row_reads) == 1
    model.sort(COL_RECEIVED, ASC)  # new order, same rows: still cached
    model.data(model.index(0, 0))
    assert len(row_reads) == 1


def test_the_cache_is_bounded(many: MakeMany, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "BLOCK", 2)
    monkeypatch.setattr(model_module, "CACHE_LIMIT", 4)
    many(10)
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter())
    for row in range(10):
        assert model.data(model.index(row, COL_TITLE)).startswith("Pengaduan nomor")
    assert len(model._rows) <= 4


@pytest.mark.parametrize(("column", "order", "sort", "reverse"), [
    (COL_DEADLINE, ASC, "deadline", False),
    (COL_DEADLINE, DESC, "deadline", True),
    (COL_RECEIVED, DESC, "received", False),
    (COL_RECEIVED, ASC, "received_asc", False),
    (COL_CODE, ASC, "tracking_code", False),
    (COL_STATUS, DESC, "status", True),
])
def test_sorting_is_done_in_sql(office: Office, workspace: Workspace, id_reads: Spy,
                                column: int, order: Qt.SortOrder, sort: str, reverse: bool) -> None:
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter())
    id_reads.reset()
    model.sort(column, order)
    assert [s for _, s in id_reads.calls] == [sort]
    expected = sql_order(workspace, sort)
    assert list(model.ids) == (expected[::-1] if reverse else expected)


def test_deadline_order_puts_the_most_urgent_first(office: Office, workspace: Workspace) -> None:
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter())
    model.sort(COL_DEADLINE, ASC)
    with workspace.store.read() as session:
        rows = queries.rows_by_id(session, Scope.of(workspace.user), list(model.ids))
    dues = [rows[i].next_due_at for i in model.ids]
    open_dues = [d for d in dues if d is not None]
    assert open_dues == sorted(open_dues) and dues[len(open_dues):] == [None] * (len(dues) - len(open_dues))
    model.sort(COL_RECEIVED, DESC)
    received = [rows[i].received_at for i in model.ids]
    assert received == sorted(received, reverse=True)


def test_unsortable_columns_are_ignored(office: Office, workspace: Workspace, id_reads: Spy) -> None:
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter())
    id_reads.reset()
    model.sort(COL_KIND, ASC)
    assert len(id_reads) == 0 and model.sort_column == COL_DEADLINE


def test_invalidate_rereads_a_changed_row(office: Office, world: World, workspace: Workspace,
                                          qtbot: QtBot, row_reads: Spy) -> None:
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter())
    row = model.row_of(office.new)
    assert row is not None
    assert model.data(model.index(row, COL_STATUS)) == label(Status.BELUM_TERVERIFIKASI)
    dispose(world.ctx, world.users[Role.ADMIN_INSTANSI], office.new, unit_id=world.units["Dinas Kesehatan"])
    assert model.data(model.index(row, COL_STATUS)) == label(Status.BELUM_TERVERIFIKASI)  # still cached
    with qtbot.wait_signal(model.dataChanged) as blocker:
        model.invalidate([office.new])
    assert blocker.args[0].row() == row
    assert model.data(model.index(row, COL_STATUS)) == label(Status.DIDISPOSISIKAN)
    assert row_reads.calls[-1] == (office.new,)  # only the dropped row is read again


def test_an_id_gone_from_the_store_shows_a_placeholder(office: Office, workspace: Workspace,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter())
    real = queries.rows_by_id
    monkeypatch.setattr(queries, "rows_by_id", lambda s, scope, ids: {k: v for k, v in real(s, scope, ids).items()
                                                               if k != office.new})
    row = model.row_of(office.new)
    assert model.data(model.index(row, COL_TITLE)) == model_module.PLACEHOLDER
    assert model.data(model.index(row, COL_TITLE), Qt.ItemDataRole.ToolTipRole) is None


def test_a_stale_answer_is_dropped(office: Office, make_workspace: object, qtbot: QtBot) -> None:
    ws = make_workspace(synchronous=False)  # type: ignore[operator]
    model = ComplaintTableModel(ws)
    with qtbot.wait_signal(model.loaded, timeout=10_000):
        model.set_query(ComplaintFilter(statuses=(Status.DIARSIPKAN,)))
        model.set_query(ComplaintFilter(statuses=(Status.DIDISPOSISIKAN,)))
    qtbot.wait_until(lambda: not ws.tasks.busy, timeout=10_000)  # the stale answer was delivered (first, in order)
    assert set(model.ids) == {office.disposed_pu, office.disposed_health}


def test_the_overdue_filter_follows_the_clock(office: Office, world: World, workspace: Workspace) -> None:
    model = ComplaintTableModel(workspace)
    model.set_query(ComplaintFilter(deadline_state=DeadlineState.OVERDUE))
    assert model.rowCount() == 0
    world.clock.advance(days=60)
    model.reload()
    assert model.rowCount() == 5
