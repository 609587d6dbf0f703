"""Every server worker sets the garbage collector up once its application is built (app.collector): a full
collection inside a push cost more than the push's own work on a small office."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app import collector

CHILD = """
import gc, json, sys
before = gc.get_threshold()
import server.main
server.main.build()
print(json.dumps({"before": before, "after": gc.get_threshold(), "frozen": gc.get_freeze_count()}))
"""


def test_a_worker_tunes_the_collector_when_its_application_is_built(tmp_path: Path) -> None:
    env = {"LAPOR_SERVER_DB": f"sqlite:///{tmp_path / 'server.sqlite3'}",
           "LAPOR_SERVER_BLOB_DIR": str(tmp_path / "blobs"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    import json

    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["before"][0] == 700  # CPython's default, untouched by importing
    assert seen["after"] == [collector.YOUNG, collector.OLDER, collector.OLDER]
    assert seen["frozen"] > 10_000  # what start-up built (modules, the application) is left out of collections
