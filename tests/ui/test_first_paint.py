"""``LAPOR_DESK_SMOKE_TEST=0``: the window prints one line as soon as its first window is painted, then closes; what
bench/dist_bench.py times the frozen and the unfrozen start-up by."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_the_window_says_when_its_first_window_is_painted(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "lapor-desk"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([str(exe), "--data-dir", str(tmp_path), "seed-demo", "--count", "5"], env=env, check=True,
                   capture_output=True, timeout=120)
    done = subprocess.run([str(exe), "--data-dir", str(tmp_path)], env={**env, "LAPOR_DESK_SMOKE_TEST": "0"},
                          capture_output=True, text=True, timeout=120)
    # (the form is closed at once, before the store is open: the exit code says so and is not what is tested)
    assert done.stdout.splitlines() == ["smoke test: visible windows: LoginDialog"], done.stderr
