"""IT's backups page with the rolling backups: the daily ones listed as made by LAPOR Desk itself, and a restore
asked for with nothing unsent refused when a change waits by the time it is staged (no tick was asked for it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from app.domain import Role
from app.store.restore import pending_restore
from app.store.rotation import daily_backup
from sync.capture import OutboxCapture
from tests.helpers.world import World
from tests.ui.admin.test_admin_area import button
from ui.admin.backups import BackupsPage
from ui.workspace import Workspace

MakeWorkspace = Callable[..., Workspace]


@pytest.fixture
def page(qtbot: Any, make_workspace: MakeWorkspace) -> BackupsPage:
    backups = BackupsPage(make_workspace(Role.IT_ADMIN))
    qtbot.add_widget(backups)
    backups.show()
    return backups


def test_the_days_backup_is_listed_as_made_by_itself(page: BackupsPage) -> None:
    paths = page._ws.paths
    daily_backup(paths.database, paths.backups, paths.attachments, now=datetime.now(UTC))
    page.refresh()
    assert [page.view.item(row, 1).text() for row in range(page.view.rowCount())] == ["made by itself (daily)"]


def test_a_change_made_after_the_question_stops_the_restore(page: BackupsPage, world: World) -> None:
    page.backup_button.click()
    page.view.selectRow(0)
    page.restore_button.click()
    box = page.message_box
    assert box is not None and "not yet sent" not in box.text()  # nothing to lose when asked: no tick
    world.ctx.capture = OutboxCapture(world.clock)
    world.new_complaint()  # made meanwhile (the counter went on working)
    button(box, "Restore and restart").click()
    assert page.message_box is not box and "belum terkirim" in page.message_box.text()
    assert pending_restore(page._ws.paths) is None
