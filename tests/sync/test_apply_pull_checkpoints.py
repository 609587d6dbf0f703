"""While a pull writes its pages the store's writing connection checkpoints the WAL less often and keeps a larger
page cache (sync.apply_pull.fewer_checkpoints), and gets its own settings back afterwards, also when the pull
fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store.db import Store, open_store
from sync.apply_pull import PULL_CACHE_KIB, PULL_CHECKPOINT_PAGES, fewer_checkpoints


def _settings(store: Store) -> tuple[int, int]:
    """The writing connection's WAL checkpoint interval (pages) and page cache (negative: KiB)."""
    with store.transaction() as session:
        conn = session.connection()
        return (int(conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() or 0),
                int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or 0))


def test_the_pull_checkpoints_less_often_and_gives_the_setting_back(tmp_path: Path) -> None:
    store = open_store(tmp_path / "pc.sqlite3", backup_dir=tmp_path / "backups")
    try:
        before = _settings(store)
        assert before[0] < PULL_CHECKPOINT_PAGES
        assert -before[1] < PULL_CACHE_KIB
        with fewer_checkpoints(store):
            assert _settings(store) == (PULL_CHECKPOINT_PAGES, -PULL_CACHE_KIB)
        assert _settings(store) == before
        with pytest.raises(RuntimeError), fewer_checkpoints(store):
            raise RuntimeError("a page failed")
        assert _settings(store) == before
    finally:
        store.close()
