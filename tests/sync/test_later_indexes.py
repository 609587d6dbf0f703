"""A first sync into an empty store builds the complaints' secondary indexes once at the end
(app.store.later_indexes); a store with complaints keeps them, and a store left without them gets them back."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.store.db import Store, open_store
from app.store.later_indexes import LATER, indexes_later
from tests.helpers.world import World


def _indexes(store: Store) -> set[str]:
    with store.read() as session:
        return {name for (name,) in session.connection().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'complaints'")}


def test_an_empty_store_builds_them_at_the_end_however_the_block_ends(store: Store) -> None:
    assert set(LATER) <= _indexes(store)
    with indexes_later(store) as later:
        assert later
        assert not set(LATER) & _indexes(store)
    assert set(LATER) <= _indexes(store)
    with pytest.raises(RuntimeError), indexes_later(store):
        assert not set(LATER) & _indexes(store)
        raise RuntimeError("a page failed")
    assert set(LATER) <= _indexes(store)


def test_a_store_with_complaints_keeps_them(world: World) -> None:
    world.new_complaint()
    with indexes_later(world.store) as later:
        assert not later
        assert set(LATER) <= _indexes(world.store)
    assert set(LATER) <= _indexes(world.store)


def test_a_store_left_without_them_gets_them_back(world: World, data_dir: Path) -> None:
    """A sync killed between dropping and building them: the next pull builds them first, and so does opening."""
    world.new_complaint()

    def drop() -> None:
        with world.store.transaction() as session:
            for name in LATER:
                session.connection().exec_driver_sql(f"DROP INDEX {name}")
        assert not set(LATER) & _indexes(world.store)

    drop()
    with indexes_later(world.store) as later:
        assert not later
        assert set(LATER) <= _indexes(world.store)
    drop()
    path = world.store.path
    assert path is not None
    world.store.close()
    reopened = open_store(path, backup_dir=data_dir / "backups", install_reference=False)
    try:
        assert set(LATER) <= _indexes(reopened)
    finally:
        reopened.close()
