"""Files are per office: knowing a hash gives nothing. An office reads a file only after it sent the bytes itself
or received a complaint carrying them; for every other office the server answers as if the file did not exist.
Uploads no attachment refers to are bounded per PC and purged after a grace period. Files in a folder and in an S3
bucket alike."""

from __future__ import annotations

import hashlib
import os

import pytest
import requests

from app.domain import Status
from server.api.blobs import purge
from server.api.deps import ServerContext
from server.models import Blob, OfficeBlob
from server.ratelimit import RateLimiter
from tests.server.conftest import FILE_STORES
from tests.server.support import TIMEOUT, Backend, Device, SeededOffice, enrol
from tests.server.test_blobs import BLOBS, _head, _put, _upload, files, partial_leftovers
from tests.server.test_national import create, route


@pytest.fixture(params=FILE_STORES)
def files_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _get(device: Device, sha: str) -> requests.Response:
    return requests.get(f"{device.backend.url}{BLOBS}{sha}", headers=device.headers, timeout=TIMEOUT)


def _attached(device: Device, sha: str, size: int) -> str:
    """A new complaint of the device's office with an attachment carrying ``sha``; its id."""
    intake = device.intake()
    version = device.push_one(intake)["server_version"]
    result = device.push_one(device.attach(intake.entity_id, sha, size, base_version=version))
    assert result["status"] == "applied", result
    return intake.entity_id


def _answer(response: requests.Response, sha: str) -> tuple[int, dict[str, str], bytes]:
    """What a client can tell from an answer (the date and the request's own id aside, and the hash it asked about
    masked)."""
    headers = {k.lower(): v for k, v in response.headers.items()
               if k.lower() not in ("date", "server", "x-request-id")}
    return response.status_code, headers, response.content.replace(sha.encode(), b"<sha>")


def test_another_offices_file_answers_like_a_file_that_does_not_exist(backend: Backend, device_a: Device,
                                                                      device_b: Device) -> None:
    secret = b"%PDF-1.4 KTP pelapor kantor B " + os.urandom(4000)
    sha = _upload(device_b, secret)
    _attached(device_b, sha, len(secret))
    assert _get(device_b, sha).content == secret
    never = hashlib.sha256(os.urandom(64)).hexdigest()

    assert _answer(_head(device_a, sha), sha) == _answer(_head(device_a, never), never)
    got, missing = _get(device_a, sha), _get(device_a, never)
    assert got.status_code == missing.status_code == 404 and secret not in got.content
    assert got.json() == missing.json()
    # A first chunk, a wrong offset and a whole wrong file: the same answers as for a file never sent.
    for probe in (lambda h: _put(device_a, h, secret[:100], 0, len(secret)),
                  lambda h: _put(device_a, h, secret[100:200], 100, len(secret)),
                  lambda h: _put(device_a, h, b"tebakan", 0, 7)):
        assert _answer(probe(sha), sha) == _answer(probe(never), never)


def test_naming_a_hash_gives_no_access_sending_the_bytes_does(backend: Backend, device_a: Device,
                                                             device_b: Device) -> None:
    secret = b"foto rumah pelapor B " + os.urandom(3000)
    sha = _upload(device_b, secret)
    _attached(device_b, sha, len(secret))

    # Office A attaches B's hash without the bytes: the metadata is kept (it may arrive before the bytes), the
    # bytes are not A's.
    _attached(device_a, sha, len(secret))
    assert _get(device_a, sha).status_code == 404
    head = _head(device_a, sha)
    assert head.status_code == 404 and head.headers["Upload-Offset"] == "0"
    half = _put(device_a, sha, secret[:1000], 0, len(secret))
    assert half.json() == {"sha256": sha, "size_received": 1000, "complete": False}

    # Proof of possession: once A has sent every byte, A may read the file (stored once).
    assert _put(device_a, sha, secret[1000:], 1000, len(secret)).json()["complete"] is True
    assert _get(device_a, sha).content == secret
    assert backend.count(Blob) == 1
    assert backend.count(OfficeBlob) == 2


def test_a_rerouted_complaint_brings_the_files_its_office_held(backend: Backend, device_a: Device, device_b: Device,
                                                               office_a: SeededOffice, office_b: SeededOffice) -> None:
    created = create(backend, region_code="51.03")
    route(backend, created["id"], office_a.id)
    device_a.pull_all()
    held = b"surat warga " + os.urandom(2000)
    named_only = hashlib.sha256(b"berkas kantor lain").hexdigest()
    held_sha = _upload(device_a, held)
    version = device_a.push_one(device_a.attach(created["id"], held_sha, len(held), base_version=0))
    device_a.push_one(device_a.attach(created["id"], named_only, 18, base_version=version["server_version"]))
    redirect = device_a.transition(created["id"], "redirect", Status.BELUM_TERVERIFIKASI, Status.BUKAN_WEWENANG,
                                   user_id=office_a.admin, base_version=0, text="Bukan wewenang Sleman.")
    assert device_a.push_one(redirect)["status"] in ("applied", "merged")
    assert _get(device_b, held_sha).status_code == 404

    route(backend, created["id"], office_b.id, "Dialihkan ke Kabupaten Badung.")

    assert _get(device_b, held_sha).content == held
    assert _head(device_b, held_sha).status_code == 200
    assert _head(device_b, named_only).status_code == 404  # A only named it: B gets nothing either


def test_uploads_no_attachment_refers_to_are_bounded_per_pc(backend: Backend, device_a: Device,
                                                            office_a: SeededOffice) -> None:
    limit = 50_000
    with backend.serve(max_unreferenced_bytes=limit) as url:
        def put(data: bytes, offset: int = 0, total: int | None = None) -> requests.Response:
            sha = hashlib.sha256(data).hexdigest()
            return requests.put(f"{url}{BLOBS}{sha}", params={"offset": offset, "total": total or len(data)},
                                data=data, headers={**device_a.headers, "Content-Type": "application/octet-stream"},
                                timeout=TIMEOUT)

        first, second = os.urandom(30_000), os.urandom(30_000)
        assert put(first).json()["complete"] is True
        refused = put(second)
        assert refused.status_code == 413 and refused.json()["code"] == "upload_quota"
        assert "lampiran" in refused.json()["message"]
        # Attached, the first file no longer counts: the second goes in.
        _attached(device_a, hashlib.sha256(first).hexdigest(), len(first))
        assert put(second).json()["complete"] is True
        # The same office's other PC has its own allowance.
        other = enrol(backend, office_a, "PC loket 2")
        third = os.urandom(30_000)
        sha3 = hashlib.sha256(third).hexdigest()
        answer = requests.put(f"{url}{BLOBS}{sha3}", params={"offset": 0, "total": len(third)}, data=third,
                              headers={**other.headers, "Content-Type": "application/octet-stream"}, timeout=TIMEOUT)
        assert answer.json()["complete"] is True


def test_unreferenced_uploads_are_purged_after_the_grace_period(backend: Backend, device_a: Device,
                                                               device_b: Device) -> None:
    kept_data, dropped_data, partial_data = os.urandom(5000), os.urandom(5000), os.urandom(5000)
    kept = _upload(device_a, kept_data)
    _attached(device_a, kept, len(kept_data))
    dropped = _upload(device_a, dropped_data)
    partial = hashlib.sha256(partial_data).hexdigest()
    _put(device_a, partial, partial_data[:1000], 0, len(partial_data))
    shared = _upload(device_b, dropped_data)  # office B sent the same bytes and attached them
    _attached(device_b, shared, len(dropped_data))

    context = backend_context(backend)
    assert purge(context) == 0  # nothing is old enough yet
    backend.clock.advance(hours=backend.settings.unreferenced_grace_hours + 1)
    assert purge(context) == 2  # A's unattached upload and its partial one; the shared bytes stay for B

    assert _head(device_a, kept).status_code == 200
    assert _head(device_a, dropped).status_code == 404
    assert _head(device_b, dropped).status_code == 200
    assert not partial_leftovers(backend, partial)
    assert _head(device_a, partial).headers["Upload-Offset"] == "0"
    assert files(backend).final_size(dropped) == len(dropped_data)

    # Once no office may read a file, its bytes go too.
    lonely_data = os.urandom(3000)
    lonely = _upload(device_a, lonely_data)
    backend.clock.advance(hours=backend.settings.unreferenced_grace_hours + 1)
    assert purge(context) == 1  # its upload, and with it the stored file no office may read
    assert files(backend).final_size(lonely) is None
    assert _head(device_a, lonely).status_code == 404


def backend_context(backend: Backend) -> ServerContext:
    return ServerContext(db=backend.db, settings=backend.settings, clock=backend.clock,
                         limiter=RateLimiter(backend.settings.rate_limit_per_minute))


def test_a_file_sent_after_the_re_route_reaches_the_new_office_but_naming_a_hash_does_not(
        backend: Backend, device_a: Device, device_b: Device, office_a: SeededOffice, office_b: SeededOffice) -> None:
    """After a server restore the sending office's PCs send their files again, possibly after the complaint went on:
    the new office gets a file of an attachment the sending office made. An attachment the new office adds itself
    to such a complaint, naming a hash of the sending office, gives it nothing."""
    created = create(backend, region_code="51.03")
    route(backend, created["id"], office_a.id)
    device_a.pull_all()
    late = b"berkas yang dikirim ulang " + os.urandom(1500)
    late_sha = hashlib.sha256(late).hexdigest()
    secret = b"berkas lain kantor A " + os.urandom(1500)
    secret_sha = _upload(device_a, secret)
    _attached(device_a, secret_sha, len(secret))  # on another complaint of A
    device_a.push_one(device_a.attach(created["id"], late_sha, len(late), base_version=0))
    redirect = device_a.transition(created["id"], "redirect", Status.BELUM_TERVERIFIKASI, Status.BUKAN_WEWENANG,
                                   user_id=office_a.admin, base_version=0, text="Bukan wewenang Sleman.")
    device_a.push_one(redirect)
    route(backend, created["id"], office_b.id, "Dialihkan ke Kabupaten Badung.")
    assert _get(device_b, late_sha).status_code == 404

    assert _upload(device_a, late) == late_sha  # A's PC sends the bytes only now
    assert _get(device_b, late_sha).content == late

    b_attach = device_b.attach(created["id"], secret_sha, len(secret), base_version=0)
    b_attach.args["attachment"]["created_by"] = office_b.admin  # B's own attachment (as B's PC makes it)
    b_attach = device_b.mutation("complaint.attach", created["id"], b_attach.args, user_id=office_b.admin,
                                 seq=b_attach.seq)
    device_b.push_one(b_attach)
    assert _get(device_b, secret_sha).status_code == 404
    assert _head(device_b, secret_sha).status_code == 404
