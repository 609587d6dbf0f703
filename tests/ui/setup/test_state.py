"""needs_setup: a fresh PC, a PC with its office, and an enrolment whose first sync never finished."""

from __future__ import annotations

from pathlib import Path

from app.bootstrap import create_office
from app.config import Paths
from app.store import meta
from app.store.db import Store
from sync import state
from ui.settings import Settings
from ui.setup import needs_setup
from ui.setup.jobs import read_state


def test_a_pc_without_a_store_file_needs_setup(tmp_path: Path, qapp: object) -> None:
    paths = Paths(tmp_path / "new")
    assert needs_setup(paths, Settings(tmp_path / "settings.ini"))
    assert not paths.database.exists()  # only looked, created nothing


def test_an_empty_store_needs_setup_and_a_home_office_ends_it(paths: Paths, settings: Settings, store: Store) -> None:
    assert needs_setup(paths, settings)
    assert needs_setup(paths, settings, store)
    create_office(store, region_code="34.04", name="Pemerintah Kabupaten Sleman", tz="WIB", make_home=True)
    assert not needs_setup(paths, settings)
    assert not needs_setup(paths, settings, store)


def test_an_enrolment_without_its_first_sync_is_resumed(paths: Paths, settings: Settings, store: Store) -> None:
    create_office(store, region_code="34.04", name="Pemerintah Kabupaten Sleman", tz="WIB", make_home=True)
    with store.transaction() as session:
        meta.put(session, state.CLIENT_ID, "client-1")
        meta.put(session, state.SERVER_URL, "https://lapor.example.go.id")
    assert needs_setup(paths, settings)
    found = read_state(paths)
    assert (found.resume, found.server_url) == ("enrol", "https://lapor.example.go.id")
    with store.transaction() as session:
        meta.put(session, state.LAST_SUCCESS, "2026-01-05T08:00:00+00:00")
    assert not needs_setup(paths, settings)
    assert read_state(paths).resume is None


def test_a_damaged_store_is_left_to_the_normal_opening(tmp_path: Path, qapp: object) -> None:
    paths = Paths(tmp_path)
    paths.database.write_bytes(b"not a database at all" * 100)
    assert not needs_setup(paths, Settings(tmp_path / "settings.ini"))  # open_store then explains the damage
