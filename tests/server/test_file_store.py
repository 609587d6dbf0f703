"""The file-store contract (server.files), the same for a folder and an S3 bucket: an upload resumes at the
committed offset (whatever an interrupted attempt left past it dropped), a file becomes visible only once its
SHA-256 is verified, a mismatch leaves nothing, files are read back in blocks. And the store a URL names."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.files import FileStore, FileStoreError, store_from_url
from server.files.folder import FolderStore
from server.files.s3 import MULTIPART_PART, S3Store
from tests.helpers.seaweed import SeaweedServer

OFFICE, OTHER = "office-a", "office-b"


@pytest.fixture(params=["folder", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FileStore]:
    if request.param == "folder":
        folder = FolderStore(tmp_path / "files")
        folder.prepare()
        yield folder
        return
    server: SeaweedServer = request.getfixturevalue("seaweed")
    s3 = store_from_url(f"s3://{server.bucket()}/shared/lapor", tmp_path, server.env())
    s3.prepare()
    yield s3


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(store: FileStore, sha: str) -> bytes:
    opened = store.open_final(sha)
    assert opened is not None
    try:
        return b"".join(opened.chunks)
    finally:
        opened.close()


def test_an_upload_in_chunks_becomes_visible_only_when_verified(store: FileStore) -> None:
    data = os.urandom(250_000)
    sha = _sha(data)
    assert store.final_size(sha) is None and store.partial_size(OFFICE, sha) == 0
    store.append(OFFICE, sha, 0, data[:100_000])
    store.append(OFFICE, sha, 100_000, data[100_000:200_000])
    assert store.partial_size(OFFICE, sha) == 200_000
    assert store.partial_size(OTHER, sha) == 0  # each office's upload is its own
    store.append(OFFICE, sha, 200_000, data[200_000:])
    assert store.final_size(sha) is None  # whole, not yet verified: not visible
    assert store.open_final(sha) is None
    assert store.finish(OFFICE, sha) is True
    assert store.final_size(sha) == len(data)
    assert store.partial_size(OFFICE, sha) == 0
    assert _read(store, sha) == data
    assert store.check() is None


def test_appending_at_an_offset_drops_what_an_interrupted_attempt_left_past_it(store: FileStore) -> None:
    data = os.urandom(90_000)
    sha = _sha(data)
    store.append(OFFICE, sha, 0, data[:30_000])
    # An attempt wrote two chunks but its transaction never committed: the server still stands at 30 000.
    store.append(OFFICE, sha, 30_000, b"\0" * 40_000)
    store.append(OFFICE, sha, 70_000, b"\1" * 20_000)
    assert store.partial_size(OFFICE, sha) == 90_000
    store.append(OFFICE, sha, 30_000, data[30_000:60_000])
    assert store.partial_size(OFFICE, sha) == 60_000
    store.append(OFFICE, sha, 60_000, data[60_000:])
    assert store.finish(OFFICE, sha) is True
    assert _read(store, sha) == data


def test_appending_inside_a_written_chunk_cuts_it_there(store: FileStore) -> None:
    data = os.urandom(50_000)
    sha = _sha(data)
    store.append(OFFICE, sha, 0, b"\7" * 40_000)
    store.append(OFFICE, sha, 10_000, data[10_000:])  # the first 10 000 bytes of the old chunk stay
    assert store.partial_size(OFFICE, sha) == 50_000
    assert store.finish(OFFICE, sha) is False  # they were not the file's
    store.append(OFFICE, sha, 0, data[:30_000])
    store.append(OFFICE, sha, 10_000, data[10_000:])
    assert store.finish(OFFICE, sha) is True
    assert _read(store, sha) == data


def test_a_mismatch_discards_the_upload_and_shows_nothing(store: FileStore) -> None:
    data = os.urandom(6 * 1024 * 1024 + 123)  # more than one part of a multipart upload
    wrong = _sha(data + b"!")
    for offset in range(0, len(data), 1 << 20):
        store.append(OFFICE, wrong, offset, data[offset:offset + (1 << 20)])
    assert store.finish(OFFICE, wrong) is False
    assert store.final_size(wrong) is None and store.open_final(wrong) is None
    assert store.partial_size(OFFICE, wrong) == 0
    if isinstance(store, S3Store):  # no multipart upload left half-made either
        client = store._client()
        assert client.list_objects_v2(Bucket=store.bucket).get("KeyCount", 0) == 0
        assert not client.list_multipart_uploads(Bucket=store.bucket).get("Uploads")


def test_finishing_a_large_upload_holds_one_part_not_the_file(store: FileStore) -> None:
    size = 20 * 1024 * 1024  # the largest attachment (app.rules.records)
    data = os.urandom(size)
    sha = _sha(data)
    for offset in range(0, size, 1 << 20):
        store.append(OFFICE, sha, offset, data[offset:offset + (1 << 20)])
    tracemalloc.start()
    try:
        assert store.finish(OFFICE, sha) is True
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # S3: the multipart part being gathered (5 MiB) and the client's buffers while it sends (measured: 8.3 MiB).
    assert peak < 2 * MULTIPART_PART, peak
    assert store.final_size(sha) == size


def test_bytes_another_office_already_stored_are_verified_then_dropped(store: FileStore) -> None:
    data = os.urandom(40_000)
    sha = _sha(data)
    store.append(OFFICE, sha, 0, data)
    assert store.finish(OFFICE, sha) is True
    store.append(OTHER, sha, 0, data[:-1] + bytes([data[-1] ^ 1]))
    assert store.finish(OTHER, sha) is False  # the proof failed: the stored file is untouched
    store.append(OTHER, sha, 0, data)
    assert store.finish(OTHER, sha) is True
    assert store.partial_size(OTHER, sha) == 0
    assert _read(store, sha) == data


def test_an_empty_file_and_removal(store: FileStore) -> None:
    empty = _sha(b"")
    store.append(OFFICE, empty, 0, b"")
    assert store.finish(OFFICE, empty) is True
    assert store.final_size(empty) == 0 and _read(store, empty) == b""
    store.remove_final(empty)
    store.remove_final(empty)  # gone already: no error
    assert store.final_size(empty) is None
    data = os.urandom(1000)
    store.append(OFFICE, _sha(data), 0, data[:500])
    store.remove_partial(OFFICE, _sha(data))
    store.remove_partial(OFFICE, _sha(data))
    assert store.partial_size(OFFICE, _sha(data)) == 0


def test_the_store_a_url_names(tmp_path: Path) -> None:
    keys = {"LAPOR_S3_ACCESS_KEY": "ak", "LAPOR_S3_SECRET_KEY": "do-not-show",
            "LAPOR_S3_ENDPOINT": "http://127.0.0.1:9"}
    default = store_from_url(None, tmp_path / "blobs", {})
    assert isinstance(default, FolderStore) and default.root == tmp_path / "blobs"
    assert isinstance(store_from_url(str(tmp_path / "x"), tmp_path, {}), FolderStore)
    named = store_from_url(f"file://{tmp_path}/y", tmp_path, {})
    assert isinstance(named, FolderStore) and named.root == tmp_path / "y"
    s3 = store_from_url("s3://lapor-files/national/prod/", tmp_path, keys)
    assert isinstance(s3, S3Store)
    assert (s3.bucket, s3.prefix, s3.region) == ("lapor-files", "national/prod", "us-east-1")
    assert s3.final_key("ab" + "0" * 62) == "national/prod/ab/ab" + "0" * 62
    assert "do-not-show" not in repr(s3) + s3.describe()
    for bad in ("gs://bucket", "s3://Bad_Bucket", "s3://", "s3://ab"):
        with pytest.raises(FileStoreError) as raised:
            store_from_url(bad, tmp_path, keys)
        assert raised.value.message_id and raised.value.message_en
    with pytest.raises(FileStoreError, match="LAPOR_S3_ACCESS_KEY"):
        store_from_url("s3://lapor-files", tmp_path, {})


def test_an_unreachable_or_missing_bucket_is_named(seaweed: SeaweedServer, tmp_path: Path) -> None:
    missing = store_from_url("s3://no-such-bucket-here", tmp_path, seaweed.env())
    assert missing.check() == "no_bucket"
    wrong_key = store_from_url(f"s3://{seaweed.bucket()}", tmp_path, {**seaweed.env(), "LAPOR_S3_SECRET_KEY": "x"})
    assert wrong_key.check() == "forbidden"
    closed = store_from_url("s3://lapor-files", tmp_path, {**seaweed.env(), "LAPOR_S3_ENDPOINT": "http://127.0.0.1:9",
                                                            "LAPOR_S3_SECRET_KEY": "do-not-show"})
    assert closed.check() == "unreachable"
    with pytest.raises(FileStoreError) as raised:
        closed.prepare()
    assert "tidak dapat dihubungi" in raised.value.message_id and "unreachable" in raised.value.message_en
    assert "do-not-show" not in str(raised.value)


def _lapor_server(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LAPOR_S3_")}
    return subprocess.run([str(Path(sys.executable).parent / "lapor-server"), *args], capture_output=True, text=True,
                          env={**clean, **env}, timeout=120, check=False)


def test_serve_and_purge_refuse_a_store_they_cannot_use(seaweed: SeaweedServer, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    assert _lapor_server("migrate", "--db", db, env={}).returncode == 0
    unreachable = {**seaweed.env(), "LAPOR_S3_ENDPOINT": "http://127.0.0.1:9", "LAPOR_S3_SECRET_KEY": "do-not-show"}
    cases = [("gs://bucket", {}, "tidak dikenal", "Unknown file storage"),
             ("s3://lapor-files", {}, "LAPOR_S3_ACCESS_KEY", "S3 storage needs access keys"),
             ("s3://lapor-files", unreachable, "tidak dapat dihubungi", "unreachable"),
             ("s3://no-such-bucket-here", seaweed.env(), "bucket tidak ada", "no such bucket")]
    for files, env, indonesian, english in cases:
        for command in (["serve", "--port", "9"], ["admin", "purge-uploads"]):
            done = _lapor_server(*command, "--db", db, "--files", files, env=env)
            assert done.returncode == 1, (command, files, done.stderr)
            assert indonesian in done.stderr and english in done.stderr
            assert done.stderr.index("Galat:") < done.stderr.index("Error:")  # Indonesian first
            assert "do-not-show" not in done.stdout + done.stderr
    purged = _lapor_server("admin", "purge-uploads", "--db", db, "--files", f"s3://{seaweed.bucket()}/lapor",
                           env=seaweed.env())
    assert purged.returncode == 0, purged.stderr
    assert "berkas dihapus: 0" in purged.stdout
    # --blob-dir, the old name, is the same option.
    by_old_name = _lapor_server("admin", "purge-uploads", "--db", db, "--blob-dir", str(tmp_path / "blobs"), env={})
    assert by_old_name.returncode == 0 and (tmp_path / "blobs").is_dir()
