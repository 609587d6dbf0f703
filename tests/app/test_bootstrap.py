"""Bundled reference data on opening a store: installed on the first open, not rewritten on later ones, and
installed again (adding what is missing) for a new year, a new program version or a new schema."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

import app.bootstrap
from app.models import Category, Holiday, Region, SlaPolicyRecord
from app.store import meta
from app.store.db import head_revision, open_store

NEW_YEAR = datetime(2031, 1, 2, tzinfo=UTC)


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in (Region.__tablename__, Category.__tablename__, SlaPolicyRecord.__tablename__,
                              Holiday.__tablename__)}
    finally:
        conn.close()


def _stamp(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM store_meta WHERE key = ?", (meta.REFERENCE_DATA,)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


def _open_and_close(path: Path) -> None:
    open_store(path, backup_dir=path.parent / "backups", quick_check=False).close()


def test_first_open_installs_the_reference_data_and_stamps_it(tmp_path: Path) -> None:
    path = tmp_path / "lapor-desk.sqlite3"
    _open_and_close(path)
    counts = _counts(path)
    assert all(n > 0 for n in counts.values()), counts
    year = datetime.now(UTC).year
    assert _stamp(path) == app.bootstrap.reference_stamp(year)
    assert app.bootstrap.reference_stamp(year).endswith(f"/{head_revision()}/{year}")


def test_a_second_open_does_not_write(data_dir: Path) -> None:
    path = data_dir / "lapor-desk.sqlite3"  # the template store: opened (so installed) once already
    _open_and_close(path)
    watcher = sqlite3.connect(path)
    try:
        before = watcher.execute("PRAGMA data_version").fetchone()[0]
        store = open_store(path, backup_dir=data_dir / "backups", quick_check=False)
        try:
            assert app.bootstrap.install_reference_data(store) is False
        finally:
            store.close()
        # data_version changes when another connection commits: no transaction was written by either open.
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == before
    finally:
        watcher.close()


def test_a_new_year_installs_its_holidays(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_dir / "lapor-desk.sqlite3"
    before = _counts(path)
    monkeypatch.setattr(app.bootstrap, "utcnow", lambda: NEW_YEAR)
    _open_and_close(path)
    after = _counts(path)
    assert after[Holiday.__tablename__] > before[Holiday.__tablename__]  # the holidays up to 2033 were added
    assert {k: v for k, v in after.items() if k != Holiday.__tablename__} == \
        {k: v for k, v in before.items() if k != Holiday.__tablename__}  # the rest was there already
    assert _stamp(path) == app.bootstrap.reference_stamp(2031)


def test_a_stamp_of_another_program_version_installs_again(data_dir: Path) -> None:
    path = data_dir / "lapor-desk.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("UPDATE store_meta SET value = '0.0.1/0001/2020' WHERE key = ?", (meta.REFERENCE_DATA,))
    conn.execute(f"DELETE FROM {SlaPolicyRecord.__tablename__}")  # e.g. a part an older version did not ship
    conn.commit()
    conn.close()
    _open_and_close(path)
    assert _counts(path)[SlaPolicyRecord.__tablename__] == 1
    assert _stamp(path) == app.bootstrap.reference_stamp(datetime.now(UTC).year)
