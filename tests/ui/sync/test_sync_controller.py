"""The sync controller with a stand-in engine: progress and results reach the GUI thread, the hub hears what
changed, an unreachable server is "offline" (not an error), other failures are plain messages, bugs go to the crash
signal, never two syncs at once, cancel, and automatic sync with back-off."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from app.domain import Role
from app.errors import Message
from app.models import ConflictItem
from app.store import meta
from sync import state
from sync.engine import Cancelled, SyncReport
from sync.state import SyncStatus
from sync.transport import ServerUnreachable, Unauthorized
from tests.helpers.world import World
from tests.ui.sync.conftest import FakeFactory, mark_enrolled
from ui.settings import AUTO_SYNC_MINUTES
from ui.sync import controller as controller_module
from ui.sync.controller import LOG_SIZE, ConnectionState, SyncController
from ui.workspace import Workspace

UNREACHABLE = ServerUnreachable(Message("Server tidak dapat dihubungi.", "The server cannot be reached."))
REVOKED = Unauthorized(Message("PC ini tidak lagi terdaftar di server.", "This PC is no longer enrolled."))


def report(**fields: object) -> SyncReport:
    return SyncReport(**fields)  # type: ignore[arg-type]


def test_a_store_that_is_not_enrolled_never_syncs(workspace: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    factory = FakeFactory([report()])
    controller = SyncController(workspace, engine_factory=factory)
    assert not controller.configured
    assert controller.sync_now() is False
    controller.start_auto(50, first_after_ms=0)
    assert controller.auto_interval_ms == 0
    assert factory.calls == 0


def test_success_reports_progress_result_and_what_changed(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    factory = FakeFactory([report(pushed=2, applied=2, pulled_complaints=3, new_complaint_ids=["a", "b"],
                                  bytes_sent=300, bytes_received=900)])
    controller = SyncController(enrolled_ws, engine_factory=factory)
    assert controller.configured and controller.state == ConnectionState.UNKNOWN
    progress: list[tuple[str, int, int, int]] = []
    controller.progress.connect(lambda *args: progress.append(args))
    changed: list[list[str]] = []
    enrolled_ws.hub.complaints_changed.connect(changed.append)
    states: list[SyncStatus] = []
    enrolled_ws.hub.sync_state_changed.connect(states.append)
    with qtbot.wait_signal(controller.started), qtbot.wait_signal(controller.finished) as done:
        assert controller.sync_now() is True
    result = done.args[0]
    assert isinstance(result, SyncReport) and result.pulled_complaints == 3
    assert progress == [("push", 1, 2, 120), ("pull", 1, 1, 480)]
    assert changed == [[]]
    assert states and states[-1].enrolled and states[-1].pending == 0
    assert controller.state == ConnectionState.ONLINE and controller.last_error is None
    assert not controller.running
    [entry] = controller.log_entries()
    assert (entry.result, entry.pushed, entry.pulled, entry.bytes) == ("ok", 2, 3, 1200)
    assert "2 new complaint" in entry.message


def test_nothing_pulled_means_no_refresh_of_the_lists(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller = SyncController(enrolled_ws, engine_factory=FakeFactory([report(pushed=1, applied=1)]))
    changed: list[list[str]] = []
    enrolled_ws.hub.complaints_changed.connect(changed.append)
    conflicts: list[bool] = []
    enrolled_ws.hub.conflicts_changed.connect(lambda: conflicts.append(True))
    references: list[bool] = []
    enrolled_ws.hub.reference_changed.connect(lambda: references.append(True))
    controller.sync_now()
    assert changed == [] and conflicts == [] and references == []


def test_new_conflicts_and_reference_data_are_announced(enrolled_ws: Workspace, world: World,
                                                        qtbot) -> None:  # type: ignore[no-untyped-def]
    cid = world.new_complaint()

    def pulled() -> None:  # what a pull with a conflict and new reference data leaves in the store
        with world.store.transaction() as session:
            session.add(ConflictItem(id="ev-1:title", complaint_id=cid, field="title",
                                     mine_json=json.dumps("Judul saya"), theirs_json=json.dumps("Judul server"),
                                     created_at=world.clock()))
            meta.put(session, state.REFERENCE_VERSION, "7")

    factory = FakeFactory([report(pulled_events=1, conflicts=1)], before_return=pulled)
    controller = SyncController(enrolled_ws, engine_factory=factory)
    got: list[str] = []
    enrolled_ws.hub.conflicts_changed.connect(lambda: got.append("conflicts"))
    enrolled_ws.hub.reference_changed.connect(lambda: got.append("reference"))
    with qtbot.wait_signal(controller.status_changed) as status:
        controller.sync_now()
    assert sorted(got) == ["conflicts", "reference"]
    assert status.args[0].open_conflicts == 1


def test_unreachable_server_is_offline_not_an_error(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller = SyncController(enrolled_ws, engine_factory=FakeFactory([UNREACHABLE]))
    bugs: list[object] = []
    enrolled_ws.tasks.bug.connect(bugs.append)
    known: list[object] = []
    enrolled_ws.tasks.known_error.connect(known.append)
    with qtbot.wait_signal(controller.finished) as done:
        controller.sync_now()
    assert done.args[0] is UNREACHABLE
    assert controller.state == ConnectionState.OFFLINE
    assert controller.last_error is None
    assert bugs == [] and known == []
    assert controller.log_entries()[-1].result == "offline"


def test_a_refusal_is_a_plain_message_in_the_log(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller = SyncController(enrolled_ws, engine_factory=FakeFactory([REVOKED]))
    bugs: list[object] = []
    enrolled_ws.tasks.bug.connect(bugs.append)
    controller.sync_now()
    assert controller.state == ConnectionState.ERROR
    assert controller.last_error is not None
    assert controller.last_error.text("id") == "PC ini tidak lagi terdaftar di server."
    entry = controller.log_entries()[-1]
    assert entry.result == "error" and entry.message == "PC ini tidak lagi terdaftar di server."
    assert bugs == []


def test_a_bug_goes_to_the_crash_signal(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller = SyncController(enrolled_ws, engine_factory=FakeFactory([KeyError("cursor")]))
    with qtbot.wait_signal(enrolled_ws.tasks.bug) as bug:
        controller.sync_now()
    assert "KeyError" in bug.args[0].summary
    assert controller.state == ConnectionState.ERROR and not controller.running
    assert controller.log_entries()[-1].result == "error"


def test_a_failing_engine_factory_is_reported_too(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    def no_token(*_args: object, **_kwargs: object) -> None:
        raise Unauthorized(Message("Token perangkat tidak ditemukan.", "The device token is missing."))

    controller = SyncController(enrolled_ws, engine_factory=no_token)
    controller.sync_now()
    assert controller.state == ConnectionState.ERROR and not controller.running


def _threaded(make_workspace: Callable[..., Workspace]) -> Workspace:
    ws = make_workspace(Role.ADMIN_INSTANSI, synchronous=False)
    mark_enrolled(ws)
    return ws


def test_progress_is_delivered_on_the_gui_thread_and_no_second_sync_starts(
        make_workspace: Callable[..., Workspace], qtbot) -> None:  # type: ignore[no-untyped-def]
    ws = _threaded(make_workspace)
    gate = threading.Event()
    factory = FakeFactory([report(pulled_complaints=1)], gate=gate)
    controller = SyncController(ws, engine_factory=factory)
    delivered_on: list[str] = []
    controller.progress.connect(lambda *_args: delivered_on.append(threading.current_thread().name))
    assert controller.sync_now() is True
    qtbot.wait_until(lambda: len(delivered_on) == 2, timeout=5000)
    assert controller.running
    assert controller.sync_now() is False  # one at a time
    with qtbot.wait_signal(controller.finished, timeout=5000):
        gate.set()
    assert factory.calls == 1
    assert factory.engines[0].threads[0].startswith("lapor-net")
    assert set(delivered_on) == {threading.main_thread().name}
    assert controller.sync_now() is True  # free again
    qtbot.wait_until(lambda: not controller.running, timeout=5000)


def test_cancel_stops_a_running_sync(make_workspace: Callable[..., Workspace], qtbot) -> None:  # type: ignore[no-untyped-def]
    ws = _threaded(make_workspace)
    factory = FakeFactory([report()], gate=threading.Event())
    controller = SyncController(ws, engine_factory=factory)
    bugs: list[object] = []
    ws.tasks.bug.connect(bugs.append)
    controller.sync_now()
    with qtbot.wait_signal(controller.finished, timeout=5000) as done:
        controller.cancel()
    assert isinstance(done.args[0], Cancelled)
    assert controller.log_entries()[-1].result == "cancelled"
    assert bugs == [] and controller.last_error is None and not controller.running


def test_automatic_sync_runs_on_its_timer(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    factory = FakeFactory([report()])
    controller = SyncController(enrolled_ws, engine_factory=factory)
    controller.start_auto(40, first_after_ms=0)
    assert controller.auto_interval_ms == 40
    qtbot.wait_until(lambda: factory.calls >= 3, timeout=5000)
    controller.stop()
    qtbot.wait_until(lambda: not controller.running, timeout=5000)
    # Nothing can start another sync: both of its timers are stopped (no window of time to wait out).
    assert not controller._timer.isActive() and not controller._first.isActive()


def test_automatic_sync_follows_the_setting(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller = SyncController(enrolled_ws, engine_factory=FakeFactory([report()]))
    enrolled_ws.settings.set(AUTO_SYNC_MINUTES, 0)
    controller.start_auto()
    assert controller.auto_interval_ms == 0
    enrolled_ws.settings.set(AUTO_SYNC_MINUTES, 15)
    controller.start_auto(first_after_ms=-1)
    assert controller.auto_interval_ms == 15 * 60_000
    controller.stop()


def test_automatic_sync_backs_off_while_the_server_is_unreachable(enrolled_ws: Workspace,
                                                                  qtbot) -> None:  # type: ignore[no-untyped-def]
    now = [0.0]
    factory = FakeFactory([UNREACHABLE, UNREACHABLE, UNREACHABLE, report()])
    controller = SyncController(enrolled_ws, engine_factory=factory, clock=lambda: now[0])
    controller.start_auto(1000, first_after_ms=-1)  # ticks driven by hand below, one per "second"
    ran = []
    for second in range(12):
        now[0] = float(second)
        before = factory.calls
        controller.auto_tick()
        if factory.calls > before:
            ran.append(second)
    controller.stop()
    # after each failure the wait doubles (1, 2, 4 intervals); after a success every tick syncs again
    assert ran[:4] == [0, 1, 3, 7]
    assert ran[4:] == [8, 9, 10, 11]
    # a person's "Sync now" does not wait for the back-off
    factory.outcomes = [UNREACHABLE]
    now[0] = 20.0
    controller.auto_tick()
    before = factory.calls
    controller.auto_tick()
    assert factory.calls == before
    assert controller.sync_now() is True and factory.calls == before + 1


def test_the_log_keeps_the_last_entries(enrolled_ws: Workspace, qtbot,
                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert LOG_SIZE == 200
    monkeypatch.setattr(controller_module, "LOG_SIZE", 4)
    controller = SyncController(enrolled_ws, engine_factory=FakeFactory([report(pushed=n) for n in range(1, 8)]))
    added: list[object] = []
    controller.log_added.connect(added.append)
    for _ in range(7):
        controller.sync_now()
    assert len(added) == 7
    assert [e.pushed for e in controller.log_entries()] == [4, 5, 6, 7]


def test_a_local_change_refreshes_the_pending_count(enrolled_ws: Workspace, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller = SyncController(enrolled_ws, engine_factory=FakeFactory([report()]))
    with qtbot.wait_signal(controller.status_changed, timeout=3000):
        enrolled_ws.hub.complaints_changed.emit(["x"])
    assert controller.status is not None and controller.status.enrolled
