"""Garbage collection stays on the GUI thread while the window's worker threads exist (ui.collector): a collection
started inside a database task could destroy Qt objects on the wrong thread (a segmentation fault in CI)."""

from __future__ import annotations

import gc

from app.collector import collect_due
from ui import collector
from ui.tasks import TaskRunner


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_runner_with_threads_moves_collection_to_the_gui_thread(qapp: object) -> None:
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
    assert gc.isenabled() == (was or not collector.installed())


def test_a_synchronous_runner_leaves_collection_alone(qapp: object) -> None:
    before = gc.isenabled()
    TaskRunner(synchronous=True)
    assert gc.isenabled() == before
