"""Drafts on disk: written whole (temporary file, then replaced), readable by the user alone, one per user and kind,
saved a moment after the last change, not kept when the form is as it opened, removed on discard."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from tests.ui.intake.conftest import good_draft
from ui.intake.drafts import SAVE_DELAY_MS, DraftSaver, DraftStore


def test_a_draft_is_saved_whole_and_private(tmp_path: Path) -> None:
    store = DraftStore(tmp_path, "user-1", "staff")
    draft = good_draft()
    store.save(draft)
    assert store.load() is not None and store.load().draft == draft  # type: ignore[union-attr]
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(store.folder).st_mode) == 0o700
    store.save(good_draft(title="Jalan rusak parah sekali"))
    assert [p.name for p in store.folder.iterdir()] == [store.path.name]  # no temporary file left behind
    assert store.load().draft["title"] == "Jalan rusak parah sekali"  # type: ignore[union-attr]


def test_each_user_and_kind_has_its_own_draft(tmp_path: Path) -> None:
    paths = {DraftStore(tmp_path, u, k).path for u in ("u1", "u2") for k in ("staff", "counter")}
    assert len(paths) == 4
    assert DraftStore(tmp_path, "../../etc/passwd", "staff").path.parent == tmp_path / "drafts"


def test_a_damaged_draft_is_not_offered_and_not_removed(tmp_path: Path) -> None:
    store = DraftStore(tmp_path, "u1", "staff")
    store.folder.mkdir()
    store.path.write_text("{not json", encoding="utf-8")
    assert store.load() is None and store.exists()


def test_the_saver_waits_for_a_pause_and_keeps_no_empty_form(tmp_path: Path, qtbot: Any) -> None:
    store = DraftStore(tmp_path, "u1", "staff")
    empty: dict[str, Any] = {"title": None}
    saver = DraftSaver(store, empty=empty)
    saver.changed(good_draft())
    assert not store.exists()  # not yet: typing goes on
    qtbot.wait_until(store.exists, timeout=SAVE_DELAY_MS * 10)
    saver.changed(dict(empty))
    saver.flush()
    assert not store.exists()  # the form is back as it opened: nothing to keep
    saver.set_paused(True)
    saver.changed(good_draft())
    saver.flush()
    assert not store.exists()
    saver.set_paused(False)
    saver.changed(good_draft())
    saver.discard()
    saver.flush()  # what the timer would run, had it not been stopped: nothing is pending any more
    assert not store.exists()


def test_a_failed_write_is_said_once_and_retried(tmp_path: Path, qtbot: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    errors: list[OSError] = []
    saver = DraftSaver(DraftStore(blocker, "u1", "staff"), on_error=errors.append)  # its folder cannot be made
    saver.changed(good_draft())
    saver.flush()
    saver.changed(good_draft(title="Judul yang lain sekali"))
    saver.flush()
    assert len(errors) == 1
