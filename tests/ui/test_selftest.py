"""``lapor-desk selftest``: as IT runs it (the installed console script, its own process), every step passes, OK is
printed, the exit code is 0, and the data folder the environment names is never touched; in-process, a step that
breaks (replaced by one that raises, or a bug the window reports) makes the run say what failed and exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from ui.plugin import run_program
from ui.selftest.steps import SelfTest

STEPS = ("demo data", "log-in as the office admin", "complaint list", "complaint detail", "dashboard",
         "log-out, log-in as IT", "administration pages", "window closed", "receipt PDF", "monthly report PDF")


@pytest.mark.slow
def test_selftest_passes_as_the_installed_command(tmp_path: Path) -> None:
    real = tmp_path / "real-data"  # where this PC's data would be: the test must leave it alone
    env = {**os.environ, "LAPOR_DESK_DATA_DIR": str(real), "QT_QPA_PLATFORM": "xcb", "DISPLAY": ""}
    exe = Path(sys.executable).parent / "lapor-desk"
    done = subprocess.run([str(exe), "--lang", "en", "selftest"], env=env, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines == [f"ok: {name}" for name in STEPS] + [f"OK ({len(STEPS)})"]
    assert not real.exists()


@pytest.fixture
def in_process(qapp: QApplication, keep_app_as_it_was: None) -> None:
    """The command run in this process, on the test's QApplication."""
    quits = qapp.quitOnLastWindowClosed()
    yield
    qapp.setQuitOnLastWindowClosed(quits)


def test_a_broken_step_fails_the_run(in_process: None, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    def broken(self: SelfTest) -> None:
        raise RuntimeError("the dashboard would not draw")

    monkeypatch.setattr(SelfTest, "dashboard", broken)
    assert run_program(["--lang", "en", "selftest"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith("FAILED: dashboard — RuntimeError: the dashboard would not draw (test_selftest.py:")
               for line in out), out
    assert "ok: administration pages" in out and "ok: monthly report PDF" in out  # the other steps still ran
    assert out[-1] == "FAILED: 1 of 10 steps — dashboard"


def test_a_failed_log_in_skips_the_window_steps(in_process: None, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("ui.selftest.steps.ADMIN", "nobody.sleman")
    assert run_program(["selftest"]) == 1  # in Indonesian, the default
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("GAGAL: masuk sebagai admin instansi — masuk sebagai nobody.sleman ditolak: ")
    assert "GAGAL: daftar laporan — dilewati: jendela tidak terbuka" in out
    assert "ok: PDF tanda terima" in out
    assert out[-1].startswith("GAGAL: 7 dari 10 langkah — masuk sebagai admin instansi, daftar laporan")


def test_a_bug_reported_by_the_window_fails_its_step(in_process: None, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    original = SelfTest.complaint_detail

    def detail_with_a_bug(self: SelfTest) -> None:
        assert self.startup is not None and self.startup.tasks is not None
        self.startup.tasks.db(lambda: 1 / 0)  # a failure on the database thread, as a broken read would be
        original(self)

    monkeypatch.setattr(SelfTest, "complaint_detail", detail_with_a_bug)
    monkeypatch.setattr("ui.crash.CrashReporter.show_bug", lambda self, report: None)  # no dialog in a test
    assert run_program(["--lang", "en", "selftest"]) == 1
    out = capsys.readouterr().out
    assert "FAILED: complaint detail — bug:" in out and "ZeroDivisionError" in out, out
