"""The guide's window fits a 1024×768 screen with nothing cut (guide_at_screen.py, run in a pytest of its own whose
offscreen screen has that size, as tests/ui/fit/ does for the other windows: a Qt program keeps one screen
configuration for its life).

Set LAPOR_FIT_SHOTS to a folder to keep the pictures (``guide-<page>-1024.png``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
INNER = Path(__file__).with_name("guide_at_screen.py")


@pytest.mark.slow
@pytest.mark.parametrize("width, height", [(1024, 768)])
def test_the_guide_fits_the_screen(tmp_path: Path, width: int, height: int) -> None:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "LAPOR_FIT_SCREEN": f"{width}x{height}"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:randomly",
         f"--basetemp={tmp_path / 'inner'}", str(INNER)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "skipped" not in run.stdout
