"""Garbage collection stays on the GUI thread while the window's worker threads exist (ui.collector): a collection
started inside a database task could destroy Qt objects on the wrong thread (a segmentation fault in CI)."""

from __future__ import annotations

import gc

import pytest

from app.collector import collect_due
from ui import collector
from ui.tasks import TaskRunner


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.mark.parametrize("alone", [True, False])
def test_a_runner_with_threads_moves_collection_to_the_gui_thread(qapp: object, monkeypatch: pytest.MonkeyPatch,
                                                                  alone: bool) -> None:
    """Once its threads are gone, Python's own collector comes back only if the GUI thread is the last thread (a
    test run always has others: its servers, xdist's)."""
    monkeypatch.setattr(collector, "_alone", lambda: alone)
    was = gc.isenabled()
    runner = TaskRunner()
    try:
        assert collector.installed() and not gc.isenabled()
        for _ in range(gc.get_threshold()[0] * 2):
            _Cycle()
        assert gc.get_count()[0] > gc.get_threshold()[0]  # nothing collected them on its own
        collect_due()  # what the GUI thread's timer runs
        assert gc.get_count()[0] < gc.get_threshold()[0]
    finally:
        runner.shutdown()
    assert gc.isenabled() == (was or (alone and not collector.installed()))


def test_a_synchronous_runner_leaves_collection_alone(qapp: object) -> None:
    before = gc.isenabled()
    TaskRunner(synchronous=True)
    assert gc.isenabled() == before
