"""While a pull writes its pages the store's writing connection checkpoints the WAL less often
(sync.apply_pull.fewer_checkpoints), and gets its own setting back afterwards, also when the pull fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store.db import Store, open_store
from sync.apply_pull import PULL_CHECKPOINT_PAGES, fewer_checkpoints


def _autocheckpoint(store: Store) -> int:
    with store.transaction() as session:
        return int(session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() or 0)


def test_the_pull_checkpoints_less_often_and_gives_the_setting_back(tmp_path: Path) -> None:
    store = open_store(tmp_path / "pc.sqlite3", backup_dir=tmp_path / "backups")
    try:
        before = _autocheckpoint(store)
        assert before < PULL_CHECKPOINT_PAGES
        with fewer_checkpoints(store):
            assert _autocheckpoint(store) == PULL_CHECKPOINT_PAGES
        assert _autocheckpoint(store) == before
        with pytest.raises(RuntimeError), fewer_checkpoints(store):
            raise RuntimeError("a page failed")
        assert _autocheckpoint(store) == before
    finally:
        store.close()
