"""An older LAPOR Desk started on a database a newer one wrote: the window says so before any log-in, with who can
fix it (IT installs the latest version) and that the database was not changed; the file is left as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from app import __version__
from tests.ui.test_application import DrivenDialogs, _startup, fake_setup
from tests.ui.test_main_window import fake_features

pytestmark = pytest.mark.usefixtures("keep_app_as_it_was")


def test_a_database_from_a_newer_version_is_explained_and_left_alone(data_dir: Path) -> None:
    database = data_dir / "lapor-desk.sqlite3"
    conn = sqlite3.connect(database)
    conn.execute("UPDATE alembic_version SET version_num = '0099_dari_versi_baru'")
    conn.commit()
    conn.close()
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    dialogs = DrivenDialogs()
    startup = _startup(data_dir, dialogs, features=fake_features(), setup=fake_setup())
    try:
        assert startup.prepare() is False
    finally:
        startup.shutdown()
    assert dialogs.shown == []  # no log-in that could not succeed
    [(title, text)] = dialogs.errors
    assert title == "LAPOR Desk tidak dapat membuka basis datanya"  # the window speaks Indonesian by default
    assert "lebih baru (skema 0099_dari_versi_baru)" in text and f"({__version__})" in text
    assert "Basis data tidak diubah. Minta TI memasang versi terbaru LAPOR Desk" in text
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert not (data_dir / "backups").exists()  # nothing backed up or migrated either
