"""The screenshot tool (tools/screenshots.py) works under a real X server: Xvfb at 1024×768, the real start-up with
the log-in typed in, IT's window, its administration pages and the guide, the office admin's window; each picture
the size of the screen and not blank. (docs/screenshots/ is made by the same tool with the demo's server.)

Needs Xvfb and Qt's xcb libraries, which .ci/run installs; missing there, the test fails instead of skipping."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.store import meta
from app.store.db import open_store
from demo import seed_demo
from tools.screenshots import ROLES, start_x

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _distinct_colours(image: QImage) -> int:
    step = 16
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def test_pictures_of_the_real_window_under_xvfb(tmp_path: Path) -> None:
    if shutil.which("Xvfb") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Xvfb is missing: .ci/run installs it (xvfb, xauth and Qt's xcb libraries)")
        pytest.skip("Xvfb is not installed")
    data_dir = tmp_path / "data"
    store = open_store(data_dir / "lapor-desk.sqlite3", backup_dir=data_dir / "backups")
    try:
        seed_demo(store, count=60)
        with store.read() as session:
            assert meta.get(session, meta.HOME_OFFICE)  # a set-up PC: no wizard
    finally:
        store.close()
    out = tmp_path / "shots"
    out.mkdir()
    xserver, display = start_x("1024x768")
    try:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        for role, scenes in (("it", ["main", "admin", "guide"]), ("admin", ["main"])):
            run = subprocess.run([sys.executable, "-m", "tools.screenshots", "shoot", "--data-dir", str(data_dir),
                                  "--user", ROLES[role], "--out", str(out), "--size", "1024x768", *scenes],
                                 cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
            assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    finally:
        xserver.terminate()
        xserver.wait(10)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{n}-1024x768.png" for n in (
        "main-it_admin", "admin-sync_problems", "admin-accounts", "admin-backups", "admin-connection", "admin-log",
        "guide", "main-admin_instansi"))
    for picture in out.iterdir():
        image = QImage(str(picture))
        assert (image.width(), image.height()) == (1024, 768), picture.name
        assert _distinct_colours(image) > 8, f"{picture.name} looks blank"
