"""Rate limits that never throttle a sync in progress (issue 14 §5): file downloads are counted in bytes on their
own budget, so a first sync fetching hundreds of small photos is not refused by the request count; a device that
downloads beyond its byte budget is refused with Retry-After; every download says what is left
(``X-Lapor-Download-Budget``) and the PC waits for it before asking (sync.transport.Transport.pace_download).
Files served from a folder and streamed from an S3 bucket are counted alike."""

from __future__ import annotations

import os

import pytest
import requests

from server.ratelimit import RateLimiter
from sync.protocol import DOWNLOAD_BUDGET
from sync.transport import Transport, TransportSettings
from tests.server.conftest import FILE_STORES
from tests.server.support import TIMEOUT, Backend, Device
from tests.server.test_blobs import BLOBS, _upload


@pytest.fixture(params=FILE_STORES)
def files_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _attached(device: Device, size: int, count: int) -> list[str]:
    """Files uploaded and attached to one complaint (only attached files are served)."""
    intake = device.intake()
    version = device.push_one(intake)["server_version"]
    shas = []
    for _ in range(count):
        data = os.urandom(size)
        sha = _upload(device, data)
        result = device.push_one(device.attach(intake.entity_id, sha, len(data), base_version=version))
        assert result["status"] == "applied", result
        version = result["server_version"]
        shas.append(sha)
    return shas


def _get(url: str, device: Device, sha: str) -> requests.Response:
    return requests.get(f"{url}{BLOBS}{sha}", headers=device.headers, timeout=TIMEOUT)


def test_many_small_files_are_not_throttled_by_the_request_count(backend: Backend, device_a: Device) -> None:
    shas = _attached(device_a, 2_000, 15)
    with backend.serve(rate_limit_per_minute=1) as url:  # ten requests at once, then one a minute
        answers = [_get(url, device_a, sha) for sha in shas * 2]  # thirty downloads
        assert [a.status_code for a in answers] == [200] * 30
        budget = answers[-1].headers[DOWNLOAD_BUDGET]
        assert budget.startswith("remaining=") and "per-second=" in budget
        # Asking for files one may not read is still counted as requests.
        unknown = [_get(url, device_a, "0" * 64).status_code for _ in range(12)]
        assert unknown[0] == 404 and unknown[-1] == 429


def test_beyond_the_byte_budget_a_download_waits(backend: Backend, device_a: Device) -> None:
    shas = _attached(device_a, 40_000, 3)
    with backend.serve(download_bytes_per_minute=6_000, download_burst_bytes=100_000) as url:
        assert _get(url, device_a, shas[0]).status_code == 200
        second = _get(url, device_a, shas[1])
        assert second.status_code == 200
        remaining = int(second.headers[DOWNLOAD_BUDGET].split(";")[0].split("=")[1])
        assert remaining < 40_000
        refused = _get(url, device_a, shas[2])
        assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
        assert int(refused.headers["Retry-After"]) >= 1 and DOWNLOAD_BUDGET in refused.headers


def test_a_file_larger_than_the_whole_budget_still_goes_once_the_budget_is_full() -> None:
    clock = [0.0]
    limits = RateLimiter(60, burst=100, clock=lambda: clock[0])  # one a second
    assert limits.take("pc", 250) == 0.0  # full bucket: it goes, leaving a debt
    assert limits.remaining("pc") == -150
    assert limits.take("pc", 250) == pytest.approx(250.0)  # until full again: 150 of debt + 100
    clock[0] += 250
    assert limits.take("pc", 10) == 0.0


def test_the_pc_waits_for_the_budget_instead_of_being_refused() -> None:
    slept: list[float] = []
    transport = Transport(TransportSettings(base_url="http://127.0.0.1:9"), sleep=slept.append)
    response = requests.Response()
    response.headers[DOWNLOAD_BUDGET] = "remaining=1000; per-second=100"
    transport._note_budget(response)
    transport.pace_download(800)  # fits
    assert slept == []
    transport.pace_download(800)  # 200 left (plus what refilled meanwhile): about 6 seconds to wait
    assert len(slept) == 1 and 5.0 < slept[0] <= 6.0
    transport.pace_download(100)  # its share counted too: the next one waits as well
    assert len(slept) == 2 and slept[1] > 0
