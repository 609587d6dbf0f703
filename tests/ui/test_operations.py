"""The operation wrapper: a change announces the complaints it changed once, after it is committed and before the
caller's own success callback; a failure announces nothing; ``on_done`` runs whatever happened. And no other module
in ui/ announces changes by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.errors import Message, NotFound
from ui import operations
from ui.tasks import TaskRunner
from ui.workspace import ChangeHub

UI = Path(__file__).resolve().parents[2] / "ui"


def test_only_the_operation_wrapper_emits_complaints_changed() -> None:
    emitters = sorted(str(p.relative_to(UI)) for p in UI.rglob("*.py")
                      if re.search(r"complaints_changed\s*\.\s*emit", p.read_text(encoding="utf-8")))
    assert emitters == ["operations.py"]


def _run(fn, changed):  # type: ignore[no-untyped-def]
    hub, runner = ChangeHub(), TaskRunner(synchronous=True)
    order: list[object] = []
    hub.complaints_changed.connect(lambda ids: order.append(("changed", ids)))
    operations.change_complaints(runner, hub, fn, changed=changed, on_success=lambda r: order.append(("ok", r)),
                                 on_failure=lambda e: order.append(("failed", type(e).__name__)),
                                 on_done=lambda: order.append("done"))
    return order


def test_success_announces_the_changed_ids_before_the_callers_callback(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert _run(lambda: "c1", lambda r: [r]) == [("changed", ["c1"]), ("ok", "c1"), "done"]


@pytest.mark.parametrize(("changed", "announced"), [(lambda r: None, []), (lambda r: [], [("changed", [])])],
                         ids=["nothing", "many"])
def test_nothing_and_many(qtbot, changed, announced) -> None:  # type: ignore[no-untyped-def]
    assert _run(lambda: 1, changed) == [*announced, ("ok", 1), "done"]


def test_a_known_failure_announces_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    def fail() -> None:
        raise NotFound(Message("Tidak ada.", "Not there."))

    assert _run(fail, lambda r: [r]) == [("failed", "NotFound"), "done"]


def test_a_bug_announces_nothing_and_still_ends(qtbot) -> None:  # type: ignore[no-untyped-def]
    hub, runner = ChangeHub(), TaskRunner(synchronous=True)
    done: list[bool] = []

    def bug() -> None:
        raise ZeroDivisionError

    with qtbot.waitSignal(runner.bug), qtbot.assertNotEmitted(hub.complaints_changed):
        operations.change_complaints(runner, hub, bug, changed=lambda r: [r], on_done=lambda: done.append(True))
    assert done == [True]


def test_a_bug_in_a_failure_callback_is_a_bug_and_on_done_still_runs(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(synchronous=True)
    done: list[bool] = []

    def fail() -> None:
        raise NotFound(Message("Tidak ada.", "Not there."))

    def broken_handler(_exc: BaseException) -> None:
        raise KeyError("in the handler")

    with qtbot.waitSignal(runner.bug) as crash:
        runner.db(fail, on_failure=broken_handler, on_done=lambda: done.append(True))
    assert "KeyError" in crash.args[0].summary and done == [True]
