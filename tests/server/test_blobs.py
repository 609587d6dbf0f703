"""Attachment bytes: HEAD to dedupe, a chunked PUT that resumes after a dropped connection, SHA-256 checked,
GET only for an office whose complaint has an attachment with those bytes (and that sent them: see
test_blob_access.py). Every test runs with files in a folder and in an S3 bucket."""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from server.files import FileStore, files_for
from server.files.folder import FolderStore
from server.files.s3 import S3Store
from server.models import Blob
from tests.server.conftest import FILE_STORES
from tests.server.support import TIMEOUT, Backend, Device, enrol

BLOBS = "/api/v1/blobs/"


@pytest.fixture(params=FILE_STORES)
def files_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def files(backend: Backend) -> FileStore:
    return files_for(backend.settings)


def partial_leftovers(backend: Backend, sha: str) -> list[str]:
    """What any office's upload in progress of ``sha`` left in the store (a file, or staged parts)."""
    store = files(backend)
    if isinstance(store, FolderStore):
        return [str(p) for p in (store.root / "partial").rglob(sha)]
    assert isinstance(store, S3Store)
    client = store._client()
    found = client.list_objects_v2(Bucket=store.bucket, Prefix=store._key("partial/")).get("Contents", [])
    return [item["Key"] for item in found if f"/{sha}/" in item["Key"]]


def _put(device: Device, sha: str, chunk: bytes, offset: int, total: int) -> requests.Response:
    return requests.put(f"{device.backend.url}{BLOBS}{sha}", params={"offset": offset, "total": total}, data=chunk,
                        headers={**device.headers, "Content-Type": "application/octet-stream"}, timeout=TIMEOUT)


def _head(device: Device, sha: str) -> requests.Response:
    return requests.head(f"{device.backend.url}{BLOBS}{sha}", headers=device.headers, timeout=TIMEOUT)


def _upload(device: Device, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    response = _put(device, sha, data, 0, len(data))
    assert response.status_code == 200, response.text
    assert response.json()["complete"] is True
    return sha


def test_a_chunked_upload_resumes_after_a_drop(backend: Backend, device_a: Device) -> None:
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    total = len(data)
    chunks = [data[:100_000], data[100_000:200_000], data[200_000:]]

    head = _head(device_a, sha)
    assert head.status_code == 404 and head.headers["Upload-Offset"] == "0"

    first = _put(device_a, sha, chunks[0], 0, total)
    assert first.status_code == 200, first.text
    assert first.json() == {"sha256": sha, "size_received": 100_000, "complete": False}

    # The connection dropped and the client lost track: it sends chunk 2 at a wrong offset.
    wrong = _put(device_a, sha, chunks[1], 150_000, total)
    assert wrong.status_code == 409
    body = wrong.json()
    assert body["code"] == "wrong_offset" and body["details"]["size_received"] == 100_000
    resume_at = int(_head(device_a, sha).headers["Upload-Offset"])
    assert resume_at == 100_000

    assert _put(device_a, sha, chunks[1], resume_at, total).json()["size_received"] == 200_000
    done = _put(device_a, sha, chunks[2], 200_000, total)
    assert done.status_code == 200
    assert done.json() == {"sha256": sha, "size_received": total, "complete": True}

    head = _head(device_a, sha)
    assert head.status_code == 200
    assert head.headers["Upload-Offset"] == str(total)
    # Sending the whole file again (another PC, same bytes) is a no-op.
    assert _put(device_a, sha, data, 0, total).json()["complete"] is True


def test_a_hash_mismatch_discards_the_upload(backend: Backend, device_a: Device) -> None:
    data = os.urandom(50_000)
    sha = hashlib.sha256(b"other bytes").hexdigest()
    assert _put(device_a, sha, data[:20_000], 0, len(data)).status_code == 200
    response = _put(device_a, sha, data[20_000:], 20_000, len(data))
    assert response.status_code == 422
    assert response.json()["code"] == "hash_mismatch"
    head = _head(device_a, sha)
    assert head.status_code == 404 and head.headers["Upload-Offset"] == "0"
    assert not partial_leftovers(backend, sha)
    assert files(backend).final_size(sha) is None
    # The client starts again from zero, with the right bytes this time it would succeed.
    assert _put(device_a, sha, data[:1000], 0, len(data)).status_code == 200


def test_a_single_chunk_hash_mismatch_leaves_nothing(backend: Backend, device_a: Device) -> None:
    sha = hashlib.sha256(b"expected").hexdigest()
    response = _put(device_a, sha, b"received", 0, 8)
    assert response.status_code == 422
    assert _head(device_a, sha).headers["Upload-Offset"] == "0"
    assert backend.count(Blob, Blob.complete.is_(True)) == 0


def test_chunks_beyond_the_total_or_a_file_too_large_are_refused(backend: Backend, device_a: Device) -> None:
    sha = hashlib.sha256(b"abc").hexdigest()
    assert _put(device_a, sha, b"abcdef", 0, 3).status_code == 400
    too_big = _put(device_a, sha, b"abc", 0, backend.settings.max_blob_bytes + 1)
    assert too_big.status_code == 413 and too_big.json()["code"] == "blob_too_large"
    for bad in ("not-a-sha", "A" * 64, "a" * 63):
        assert _head(device_a, bad).status_code in (404, 422)
        response = _put(device_a, bad, b"abc", 0, 3)
        assert response.status_code == 422 and response.json()["code"] == "invalid_request"


def test_blobs_need_a_device_token(backend: Backend, device_a: Device) -> None:
    sha = hashlib.sha256(b"abc").hexdigest()
    assert requests.head(f"{backend.url}{BLOBS}{sha}", timeout=TIMEOUT).status_code == 401
    assert requests.put(f"{backend.url}{BLOBS}{sha}", params={"offset": 0, "total": 3}, data=b"abc",
                        timeout=TIMEOUT).status_code == 401
    assert requests.get(f"{backend.url}{BLOBS}{sha}", timeout=TIMEOUT).status_code == 401


def test_get_only_for_an_office_with_that_attachment(backend: Backend, device_a: Device, device_b: Device) -> None:
    data = b"%PDF-1.4 surat pengaduan warga " + os.urandom(2000)
    sha = _upload(device_a, data)
    url = f"{backend.url}{BLOBS}{sha}"
    # Uploaded, but no attachment refers to it yet: not even the uploader may read it.
    assert requests.get(url, headers=device_a.headers, timeout=TIMEOUT).status_code == 404

    intake = device_a.intake()
    version = device_a.push_one(intake)["server_version"]
    assert device_a.push_one(device_a.attach(intake.entity_id, sha, len(data), base_version=version))["status"] \
        == "applied"
    got = requests.get(url, headers=device_a.headers, timeout=TIMEOUT)
    assert got.status_code == 200 and got.content == data
    other = requests.get(url, headers=device_b.headers, timeout=TIMEOUT)
    assert other.status_code == 404
    assert other.json()["code"] == "not_found"
    assert data not in other.content
    files(backend).remove_final(sha)  # lost from the store: a 404, never a 500
    gone = requests.get(url, headers=device_a.headers, timeout=TIMEOUT)
    assert gone.status_code == 404 and gone.json()["code"] == "not_found"


def test_two_pcs_of_an_office_starting_the_same_file_at_once(backend: Backend, device_a: Device) -> None:
    """Uploads resume per office: two PCs of one office share one upload (one wins the start, the other is told
    where to resume)."""
    second = enrol(backend, device_a.office, "PC loket 2")
    data = os.urandom(10_000)
    sha = hashlib.sha256(data).hexdigest()
    barrier = threading.Barrier(6)

    def start(i: int) -> int:
        barrier.wait()
        return _put(device_a if i % 2 else second, sha, data[:5000], 0, len(data)).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(start, range(6)))
    assert statuses == [200] + [409] * 5
    assert _put(second, sha, data[5000:], 5000, len(data)).json()["complete"] is True
    assert _head(device_a, sha).status_code == 200


def test_bytes_lost_from_disk_are_asked_for_again(backend: Backend, device_a: Device) -> None:
    """After a restore from backup the database may remember files the store no longer holds."""
    data = os.urandom(30_000)
    sha = _upload(device_a, data)
    files(backend).remove_final(sha)
    head = _head(device_a, sha)
    assert head.status_code == 404 and head.headers["Upload-Offset"] == "0"
    assert _upload(device_a, data) == sha
    assert _head(device_a, sha).status_code == 200

    other = os.urandom(30_000)
    other_sha = hashlib.sha256(other).hexdigest()
    assert _put(device_a, other_sha, other[:10_000], 0, len(other)).status_code == 200
    files(backend).remove_partial(device_a.office.id, other_sha)
    resumed = _put(device_a, other_sha, other[10_000:], 10_000, len(other))
    assert resumed.status_code == 409 and resumed.headers["Upload-Offset"] == "0"
    assert _head(device_a, other_sha).headers["Upload-Offset"] == "0"
    assert _upload(device_a, other) == other_sha
