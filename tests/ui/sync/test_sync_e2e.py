"""End to end with a real ``lapor-server`` on 127.0.0.1: two PCs of one office change the same field offline, both
sync through the window's controller (threaded runner), the conflict appears in the second PC's review page, the
person keeps their own value, and after the next syncs the server and the first PC hold it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.domain import Role
from app.services.users import list_users
from server import models as srv
from sync.engine import SyncReport
from tests.helpers.credentials import no_os_keyring
from tests.sync.conftest import server_pool  # noqa: F401 - server_pool is a fixture used here
from tests.sync.fleet import PC, seed_office
from tests.sync.serverproc import ServerProcess
from ui.settings import Settings, WindowState
from ui.sync.conflicts import ConflictReviewWidget
from ui.sync.controller import SyncController
from ui.sync.status_widget import SyncStatusWidget
from ui.tasks import TaskRunner
from ui.workspace import ChangeHub, Workspace

FIRST_TITLE = "Jalan berlubang besar di depan Pasar Sleman"
SECOND_TITLE = "Jalan rusak parah di depan Pasar Sleman"
SYNC_TIMEOUT_MS = 60_000


@pytest.fixture(autouse=True)
def _no_os_keyring() -> Iterator[None]:
    with no_os_keyring():  # the device tokens go to private files in each PC's folder
        yield


@pytest.fixture
def server(server_pool: Callable[[str], ServerProcess]) -> ServerProcess:  # noqa: F811 - the imported fixture
    return server_pool("sqlite")


@pytest.fixture
def desk(tmp_path: Path, template_db: Path, server: ServerProcess,
         qapp: object) -> Iterator[Callable[[str], tuple[PC, Workspace]]]:
    """``desk(name)`` → an enrolled PC of one office and the window's workspace over it (threaded runner)."""
    office = seed_office(server)
    made: list[tuple[PC, Workspace]] = []

    def make(name: str) -> tuple[PC, Workspace]:
        pc = PC(tmp_path, template_db, office, server.url, name=name)  # enrols and syncs once
        admin = next(u for u in list_users(pc.ctx) if u.id == office.users[Role.ADMIN_INSTANSI])
        ws = Workspace(paths=pc.paths, store=pc.store, services=pc.ctx, user=admin,
                       tasks=TaskRunner(synchronous=False), hub=ChangeHub(),
                       settings=Settings(pc.paths.data_dir / "settings.ini"),
                       window_state=WindowState(pc.paths.data_dir / "window-state.ini"))
        made.append((pc, ws))
        return pc, ws

    yield make
    for pc, ws in made:
        ws.tasks.shutdown(wait=True)
        pc.close()


def sync(controller: SyncController, qtbot) -> SyncReport:  # type: ignore[no-untyped-def]
    with qtbot.wait_signal(controller.finished, timeout=SYNC_TIMEOUT_MS) as done:
        assert controller.sync_now()
    result = done.args[0]
    assert isinstance(result, SyncReport), f"the sync failed: {result!r}"
    return result


@pytest.mark.slow
def test_two_pcs_resolve_a_conflict_through_the_window(desk, server: ServerProcess,
                                                       qtbot) -> None:  # type: ignore[no-untyped-def]
    a, ws_a = desk("pc-a")
    b, ws_b = desk("pc-b")
    sync_a, sync_b = SyncController(ws_a), SyncController(ws_b)
    assert sync_a.configured and sync_b.configured
    status_b = SyncStatusWidget(ws_b, sync_b)
    qtbot.add_widget(status_b)

    cid = a.intake(1)
    assert sync(sync_a, qtbot).pushed == 1
    assert cid in sync(sync_b, qtbot).new_complaint_ids

    a.edit(cid, title=FIRST_TITLE)  # both change the title while apart
    b.edit(cid, title=SECOND_TITLE)
    sync(sync_a, qtbot)
    with qtbot.wait_signal(ws_b.hub.conflicts_changed, timeout=SYNC_TIMEOUT_MS):
        report = sync(sync_b, qtbot)
    assert report.conflicts >= 1
    assert sync_b.status is not None and sync_b.status.open_conflicts == 1
    assert status_b.state_text() == "Online"

    review = ConflictReviewWidget(ws_b)
    qtbot.add_widget(review)
    review.resize(1000, 640)
    review.show()
    qtbot.wait_until(lambda: review.model.rowCount() == 1, timeout=10_000)
    conflict = review.selected()
    assert conflict is not None
    assert (conflict.complaint_id, conflict.field) == (cid, "title")
    assert (conflict.mine, conflict.theirs) == (SECOND_TITLE, FIRST_TITLE)
    assert review.mine.toPlainText() == SECOND_TITLE and review.theirs.toPlainText() == FIRST_TITLE

    with qtbot.wait_signal(ws_b.hub.complaints_changed, timeout=10_000) as changed:
        review.keep_mine_button.click()
    assert changed.args[0] == [cid]
    qtbot.wait_until(lambda: review.model.rowCount() == 0, timeout=10_000)
    assert review.pages.currentIndex() == 0  # "No conflicts"

    sync(sync_b, qtbot)
    with server.db.transaction() as s:
        stored = s.get(srv.Complaint, cid)
        assert stored is not None and stored.title == SECOND_TITLE
    sync(sync_a, qtbot)
    on_a = a.complaint(cid)
    assert on_a is not None and on_a.title == SECOND_TITLE
    on_b = b.complaint(cid)
    assert on_b is not None and on_b.title == SECOND_TITLE
    assert b.pending() == 0 and a.pending() == 0
    a.assert_converged()
    b.assert_converged()
