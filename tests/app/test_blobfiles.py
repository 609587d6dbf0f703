"""Files being written into the attachment folder (app.store.blobfiles): a partial file is removed once no process
writes it, never while one does, and never counts as an attachment's bytes; an attach whose bytes a sync removed
between the copy and the transaction copies them again."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from app import services
from app.domain import Role
from app.services import records
from app.store.blobfiles import PARTIAL_PREFIX, PartialFile, remove_stale_partials, stored_blobs
from tests.helpers.world import World

DATA = b"%PDF-1.4 denah lokasi jalan berlubang"
SHA = hashlib.sha256(DATA).hexdigest()


def test_a_partial_file_goes_only_once_its_writer_is_gone(tmp_path: Path) -> None:
    shard = tmp_path / SHA[:2]
    with PartialFile(shard) as live:
        live.write(DATA[:10])
        stale = [tmp_path / f"{PARTIAL_PREFIX}copy", shard / f"{PARTIAL_PREFIX}dl", shard / ".download-old"]
        for path in stale:  # what a killed copy or download leaves: a file nobody holds
            path.write_bytes(DATA[:5])
        assert remove_stale_partials(tmp_path) == len(stale)
        assert live.path.exists() and not any(p.exists() for p in stale)
        assert stored_blobs(tmp_path) == set()
        live.write(DATA[10:])
        live.commit(shard / SHA)
    assert sorted(p.name for p in shard.iterdir()) == [SHA]
    assert stored_blobs(tmp_path) == {SHA} and (shard / SHA).read_bytes() == DATA


def test_a_partial_file_left_without_commit_is_removed(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), PartialFile(tmp_path) as partial:
        partial.write(DATA)
        raise RuntimeError("connection lost")
    assert list(tmp_path.iterdir()) == []


def test_an_attach_copies_again_bytes_removed_before_its_transaction(world: World, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "denah.pdf"
    source.write_bytes(DATA)
    real = records.store_blob
    calls = 0

    def store_then_swept(blob_dir: Path, path: Path) -> Any:
        nonlocal calls
        calls += 1
        stored = real(blob_dir, path)
        if calls == 1:  # a sync removes the bytes as unreferenced before the attachment's row exists
            records.blob_path(blob_dir, stored[0]).unlink()
        return stored

    monkeypatch.setattr(records, "store_blob", store_then_swept)
    cid = world.new_complaint()
    services.attach_file(world.ctx, world.users[Role.ADMIN_INSTANSI], cid, source)
    assert world.ctx.blob_dir is not None
    assert stored_blobs(world.ctx.blob_dir) == {SHA}
    assert records.blob_path(world.ctx.blob_dir, SHA).read_bytes() == DATA
