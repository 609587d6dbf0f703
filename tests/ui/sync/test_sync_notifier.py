"""Notifications: new complaints after a sync, and once a day the complaints due tomorrow; counts only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QToolButton

from app.domain import Role
from app.rules.scope import Scope
from sync.engine import SyncReport
from tests.helpers.world import World
from tests.ui.sync.conftest import FakeFactory
from ui.sync.controller import SyncController
from ui.sync.notifier import NotificationBanner, Notifier, due_tomorrow_count
from ui.workspace import Workspace

Said = list[tuple[str, str]]


def _notifier(ws: Workspace, factory: FakeFactory | None = None) -> tuple[Notifier, SyncController, Said]:
    controller = SyncController(ws, engine_factory=factory or FakeFactory([SyncReport()]))
    notifier = Notifier(ws, controller, use_tray=False)
    got: list[tuple[str, str]] = []
    notifier.notify.connect(lambda title, text: got.append((title, text)))
    return notifier, controller, got


def test_new_complaints_from_a_sync_are_announced_as_a_count(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    factory = FakeFactory([SyncReport(pulled_complaints=3, new_complaint_ids=["a", "b", "c"]), SyncReport()])
    _notifier_, controller, got = _notifier(enrolled_ws, factory)
    controller.sync_now()
    assert got == [("New complaints", "3 new complaint(s) arrived from the server.")]
    controller.sync_now()  # nothing new: nothing said
    assert len(got) == 1


def test_deadlines_due_tomorrow_once_a_day(workspace: Workspace, world: World, qtbot) -> None:  # type: ignore[no-untyped-def]
    world.new_complaint()  # verification due Thursday 23:59 WIB
    world.new_complaint()
    notifier, _controller, got = _notifier(workspace)
    notifier.start()  # Monday: nothing due on Tuesday
    assert got == []
    notifier.check_deadlines()
    world.clock.advance(days=2)  # Wednesday: both are due tomorrow
    notifier.check_deadlines()
    assert got == [("Deadlines tomorrow", "2 complaint(s) reach their deadline tomorrow.")]
    notifier.check_deadlines()  # the same day: not again
    world.clock.advance(hours=5)
    notifier.check_deadlines()
    assert len(got) == 1
    assert not any("Jalan" in title or "Jalan" in text for title, text in got)  # no complaint text
    notifier.stop()


def test_the_count_is_tomorrows_calendar_day(workspace: Workspace, world: World) -> None:
    world.new_complaint()
    assert due_tomorrow_count(world.ctx, Scope.whole_office(world.office_id)) == 0  # Monday
    world.clock.advance(days=2)
    assert due_tomorrow_count(world.ctx, Scope.whole_office(world.office_id)) == 1  # Wednesday: due Thursday
    world.clock.advance(days=1)
    assert due_tomorrow_count(world.ctx, Scope.whole_office(world.office_id)) == 0  # Thursday: due today, not tomorrow


def test_a_liaison_hears_only_about_their_unit(make_workspace: Callable[..., Workspace], world: World,
                                              qtbot) -> None:  # type: ignore[no-untyped-def]
    world.new_complaint()
    ws = make_workspace(Role.PENGHUBUNG)
    world.clock.advance(days=2)
    notifier, _controller, got = _notifier(ws)
    notifier.check_deadlines()
    assert got == []  # not disposed to their unit


def test_without_a_tray_the_signal_carries_the_message(workspace: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller = SyncController(workspace, engine_factory=FakeFactory([SyncReport()]))
    notifier = Notifier(workspace, controller, use_tray=True)  # no application icon: no tray entry
    with qtbot.wait_signal(notifier.notify) as signal:
        notifier.show_message("Judul", "Isi")
    assert signal.args == ["Judul", "Isi"]


def test_the_banner_shows_and_closes(qtbot) -> None:  # type: ignore[no-untyped-def]
    banner = NotificationBanner(timeout_ms=0)
    qtbot.add_widget(banner)
    assert banner.isHidden()
    banner.show_message("New complaints", "2 new complaint(s) arrived from the server.")
    assert banner.isVisible() and banner.title() == "New complaints"
    banner.findChild(QToolButton).click()
    assert banner.isHidden()


def test_the_banner_hides_by_itself(qtbot) -> None:  # type: ignore[no-untyped-def]
    banner = NotificationBanner(timeout_ms=30)
    qtbot.add_widget(banner)
    banner.show_message("Deadlines tomorrow", "1 complaint(s) reach their deadline tomorrow.")
    qtbot.wait_until(banner.isHidden, timeout=3000)
