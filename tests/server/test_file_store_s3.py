"""Files in an S3 bucket behind several hosts (SeaweedFS started by the tests): an upload's chunks may reach
different hosts that share only the bucket and the database; a host that dies between writing a chunk and
committing it leaves nothing the next attempt trips on; the staged parts and the files a purge forgets leave the
bucket; the largest file an attachment may be (20 MiB; an upload may be up to 25 MiB) is served in blocks, never
held whole."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from app.rules.records import MAX_ATTACHMENT_BYTES
from server.api import blobs as blobs_api
from server.api.blobs import purge
from server.files import files_for
from server.files.s3 import S3Store
from sync.protocol import BLOB_CHUNK
from tests.server.support import TIMEOUT, Backend, Device
from tests.server.test_blob_access import _attached, backend_context
from tests.server.test_blobs import BLOBS, _head, _put, _upload


@pytest.fixture
def files_kind() -> str:
    return "s3"


def _store(backend: Backend) -> S3Store:
    store = files_for(backend.settings)
    assert isinstance(store, S3Store)
    return store


def _keys(store: S3Store) -> set[str]:
    pages = store._client().get_paginator("list_objects_v2").paginate(Bucket=store.bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", ())}


def _put_at(base: str, device: Device, sha: str, chunk: bytes, offset: int, total: int) -> requests.Response:
    return requests.put(f"{base}{BLOBS}{sha}", params={"offset": offset, "total": total}, data=chunk,
                        headers={**device.headers, "Content-Type": "application/octet-stream"}, timeout=TIMEOUT)


def test_chunks_of_one_upload_through_two_hosts(backend: Backend, device_a: Device, tmp_path: Path) -> None:
    """Two apps over the same database and bucket, each with a folder of its own: chunks alternate between them,
    and neither folder is ever written."""
    data = os.urandom(5 * 100_000 + 77)
    sha = hashlib.sha256(data).hexdigest()
    with backend.serve(blob_dir=tmp_path / "host2") as second:
        assert files_for(backend.settings) is not files_for(replace(backend.settings, blob_dir=tmp_path / "host2"))
        hosts = [backend.url, second]
        offset, turn = 0, 0
        while offset < len(data):
            chunk = data[offset:offset + 100_000]
            answer = _put_at(hosts[turn % 2], device_a, sha, chunk, offset, len(data))
            assert answer.status_code == 200, answer.text
            offset, turn = answer.json()["size_received"], turn + 1
        assert answer.json()["complete"] is True and turn == 6
        _attached(device_a, sha, len(data))
        for host in hosts:
            got = requests.get(f"{host}{BLOBS}{sha}", headers=device_a.headers, timeout=TIMEOUT)
            assert got.status_code == 200 and got.content == data
    assert not any(p.is_file() for p in backend.settings.blob_dir.rglob("*"))
    assert not (tmp_path / "host2").exists()
    assert _keys(_store(backend)) == {_store(backend).final_key(sha)}  # the staged parts are gone


def test_a_chunk_written_but_never_committed_is_replaced(backend: Backend, device_a: Device,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The host wrote the chunk's part, then died before its transaction committed: the server still stands at
    the old offset, and the PC's retry (on any host) replaces the part."""
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    assert _put(device_a, sha, data[:100_000], 0, len(data)).status_code == 200
    real_append = blobs_api._append

    def append_then_die(*args: object) -> object:
        real_append(*args)  # type: ignore[arg-type]
        raise RuntimeError("host died before the commit")

    with monkeypatch.context() as patch:
        patch.setattr(blobs_api, "_append", append_then_die)
        lost = _put(device_a, sha, b"\0" * 150_000, 100_000, len(data))  # garbage, longer than the real chunk
    assert lost.status_code == 500
    assert _store(backend).partial_size(device_a.office.id, sha) == 250_000  # the part is in the bucket
    resume_at = int(_head(device_a, sha).headers["Upload-Offset"])
    assert resume_at == 100_000
    assert _put(device_a, sha, data[100_000:200_000], resume_at, len(data)).json()["size_received"] == 200_000
    done = _put(device_a, sha, data[200_000:], 200_000, len(data))
    assert done.status_code == 200 and done.json()["complete"] is True
    _attached(device_a, sha, len(data))
    got = requests.get(f"{backend.url}{BLOBS}{sha}", headers=device_a.headers, timeout=TIMEOUT)
    assert got.content == data


def test_a_staged_part_lost_from_the_bucket_restarts_the_upload(backend: Backend, device_a: Device) -> None:
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    for offset in (0, 100_000):
        assert _put(device_a, sha, data[offset:offset + 100_000], offset, len(data)).status_code == 200
    store = _store(backend)
    store._client().delete_object(Bucket=store.bucket, Key=store.parts_prefix(device_a.office.id, sha)
                                  + f"{0:015d}")
    assert _head(device_a, sha).headers["Upload-Offset"] == "0"  # believe the bucket, not the database
    assert _upload(device_a, data) == sha


def test_a_mismatch_of_a_large_file_leaves_nothing_in_the_bucket(backend: Backend, device_a: Device) -> None:
    data = os.urandom(6 * BLOB_CHUNK)  # the final object would have been a multipart upload
    sha = hashlib.sha256(data + b"?").hexdigest()
    for offset in range(0, len(data), BLOB_CHUNK):
        answer = _put(device_a, sha, data[offset:offset + BLOB_CHUNK], offset, len(data))
    assert answer.status_code == 422 and answer.json()["code"] == "hash_mismatch"
    store = _store(backend)
    assert _keys(store) == set()
    assert not store._client().list_multipart_uploads(Bucket=store.bucket).get("Uploads")


def test_purge_empties_the_bucket_of_what_no_office_may_read(backend: Backend, device_a: Device) -> None:
    kept_data, dropped_data, partial_data = os.urandom(5000), os.urandom(5000), os.urandom(5000)
    kept = _upload(device_a, kept_data)
    _attached(device_a, kept, len(kept_data))
    _upload(device_a, dropped_data)
    partial = hashlib.sha256(partial_data).hexdigest()
    assert _put(device_a, partial, partial_data[:1000], 0, len(partial_data)).status_code == 200
    store = _store(backend)
    assert len(_keys(store)) == 3  # two files and one staged part
    backend.clock.advance(hours=backend.settings.unreferenced_grace_hours + 1)
    assert purge(backend_context(backend)) == 2
    assert _keys(store) == {store.final_key(kept)}


def test_the_largest_file_is_streamed_not_held(backend: Backend, device_a: Device) -> None:
    size = MAX_ATTACHMENT_BYTES
    data = os.urandom(size)
    sha = hashlib.sha256(data).hexdigest()
    for offset in range(0, size - BLOB_CHUNK, BLOB_CHUNK):
        assert _put(device_a, sha, data[offset:offset + BLOB_CHUNK], offset, size).status_code == 200
    last = size - BLOB_CHUNK
    assert _put(device_a, sha, data[last:], last, size).json()["complete"] is True
    _attached(device_a, sha, size)
    tracemalloc.start()
    try:
        digest, received = hashlib.sha256(), 0
        with requests.get(f"{backend.url}{BLOBS}{sha}", headers=device_a.headers, timeout=TIMEOUT,
                          stream=True) as got:
            assert got.status_code == 200 and got.headers["Content-Length"] == str(size)
            for block in got.iter_content(1 << 16):
                digest.update(block)
                received += len(block)
        _, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == size and digest.hexdigest() == sha
    # Server and client together, in this process: a few blocks at a time, never the file.
    assert download_peak < size // 10, download_peak  # measured: 0.4 MiB for 20 MiB
    print(f"peak traced memory downloading a {size / 2**20:.0f} MiB file: {download_peak / 2**20:.1f} MiB")


def test_readiness_checks_the_bucket_in_use(backend: Backend) -> None:
    assert backend.get("/health/ready").json()["checks"] == {"database": "ok", "files": "ok"}
    with backend.serve(files="s3://no-such-bucket-here/lapor") as url:
        response = requests.get(url + "/health/ready", timeout=TIMEOUT)
        assert response.status_code == 503
        assert response.json()["checks"] == {"database": "ok", "files": "no_bucket"}
