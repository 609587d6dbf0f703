"""A complaint half typed at the counter survives the program being killed (SIGKILL, no chance to save at exit):
the next "Laporan baru" for that officer offers it back, whole."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.domain import Role
from tests.helpers.world import PASSWORD, World
from tests.ui.counter.draft_child import TITLE
from tests.ui.test_main_window import FakeController, fake_features
from ui.counter import CounterWindow
from ui.workspace import Workspace

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_the_draft_is_offered_back_after_the_program_is_killed(qtbot, world: World, data_dir: Path,  # type: ignore[no-untyped-def]
                                                               make_workspace: Callable[..., Workspace]) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, "-m", "tests.ui.counter.draft_child", str(data_dir),
                              "user.petugas_loket"], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write((PASSWORD + "\n").encode())
        child.stdin.close()
        ready, _, _ = select.select([child.stdout], [], [], 120)
        line = child.stdout.readline().decode() if ready else ""
        assert line.startswith("typed "), f"no draft typed: {line!r} {child.stderr.read().decode()[-2000:]}" \
            if child.poll() is not None else f"no draft typed: {line!r}"
        child.send_signal(signal.SIGKILL)
        assert child.wait(30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    ws = make_workspace(Role.PETUGAS_LOKET)
    assert Path(line.split(" ", 1)[1].strip()).parent == ws.paths.data_dir / "drafts"
    window = CounterWindow(ws, fake_features(), FakeController(ws), full_screen=False)
    qtbot.add_widget(window)
    window.show()
    window.new_button.click()
    box = window.intake.draft_question
    assert isinstance(box, QMessageBox) and box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()
    draft = window.intake.draft()
    assert draft["title"] == TITLE and draft["reporter"]["name"] == "Budi Santoso"
    window.close()
