"""The background runner: results and errors reach the GUI thread, known errors are told apart from bugs."""

from __future__ import annotations

import errno
import threading

import pytest

from app.errors import Message, NotFound
from ui.tasks import BugReport, TaskRunner, is_known_error, known_error_message


def test_synchronous_runner_delivers_result_at_once(qapp: object) -> None:
    runner = TaskRunner(synchronous=True)
    got: list[int] = []
    runner.db(lambda a, b: a + b, 2, 3, on_success=got.append)
    assert got == [5]


def test_threaded_db_work_runs_off_the_gui_thread_and_returns_on_it(qtbot, qapp: object) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    worker_threads: list[str] = []
    delivered_on: list[str] = []

    def work() -> str:
        worker_threads.append(threading.current_thread().name)
        return "ok"

    def done(value: str) -> None:
        delivered_on.append(threading.current_thread().name)

    with qtbot.wait_signal(runner.busy_changed, check_params_cb=lambda busy: busy is False, timeout=5000):
        runner.db(work, on_success=done)
    runner.shutdown()
    assert worker_threads and worker_threads[0].startswith("lapor-db")
    assert delivered_on == [threading.main_thread().name]


def test_work_done_before_it_is_handed_over_is_still_delivered_later(qtbot, qapp: object) -> None:  # type: ignore[no-untyped-def]
    """A worker may finish before ``db()`` returns (a loaded machine, a quick failure): the result still arrives
    through the event loop, never inside ``db()`` itself (start-up relied on that and lost a log-in form once)."""
    from concurrent.futures import Future

    class DoneAtOnce:
        def submit(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
            future: Future[object] = Future()
            future.set_result(fn(*args, **kwargs))
            return future

        def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
            pass

    runner = TaskRunner()
    runner.shutdown()
    runner._closed = False
    runner._db = DoneAtOnce()  # type: ignore[assignment]
    got: list[int] = []
    runner.db(lambda: 7, on_success=got.append)
    assert got == []  # not yet: db() has returned first
    qtbot.wait_until(lambda: got == [7], timeout=5000)


def test_database_work_is_serialised_in_submission_order(qtbot, qapp: object) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    order: list[int] = []
    for i in range(20):
        runner.db(lambda i=i: i, on_success=order.append)
    qtbot.wait_until(lambda: len(order) == 20, timeout=5000)
    runner.shutdown()
    assert order == list(range(20))
    assert not runner.busy


def test_known_error_goes_to_on_failure(qapp: object) -> None:
    runner = TaskRunner(synchronous=True)
    failures: list[BaseException] = []

    def fail() -> None:
        raise NotFound(Message("Tidak ada.", "Not there."))

    runner.db(fail, on_success=lambda _v: pytest.fail("no success expected"), on_failure=failures.append)
    assert isinstance(failures[0], NotFound)


def test_known_error_without_handler_is_a_plain_message(qtbot, qapp: object) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(synchronous=True)

    def fail() -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with qtbot.wait_signal(runner.known_error) as blocker:
        runner.db(fail)
    assert "Disk penuh" in blocker.args[0].id


def test_a_bug_goes_to_the_crash_signal_not_on_failure(qtbot, qapp: object) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(synchronous=True)
    handled: list[BaseException] = []

    def fail() -> None:
        raise KeyError("oops")

    with qtbot.wait_signal(runner.bug) as blocker:
        runner.db(fail, on_failure=handled.append)
    assert handled == []
    report: BugReport = blocker.args[0]
    assert "KeyError" in report.summary and "Traceback" in report.details


def test_callback_of_a_deleted_owner_is_skipped(qapp: object) -> None:
    from PySide6.QtCore import QObject

    runner = TaskRunner(synchronous=True)
    owner = QObject()
    import shiboken6

    shiboken6.delete(owner)
    called: list[object] = []
    runner.db(lambda: 1, on_success=called.append, owner=owner)
    assert called == []


def test_environment_errors_are_known_and_other_os_errors_are_bugs() -> None:
    assert is_known_error(OSError(errno.EACCES, "denied", "/data"))
    assert "izin" in known_error_message(OSError(errno.EACCES, "denied", "/data")).id
    assert not is_known_error(OSError(errno.EBADF, "bad fd"))
