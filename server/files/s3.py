"""Attachment files in S3-compatible object storage (``serve --files s3://BUCKET[/PREFIX]``), shared by every host
behind the load balancer. Verified files are objects ``<prefix>/<sha[:2]>/<sha>``. An office's upload in progress is
staged in the bucket too, one object per chunk named by its offset (``<prefix>/partial/<office>/<sha>/<offset>``),
so consecutive chunks of one upload may reach different hosts and a host may be replaced mid-upload.

The last chunk's request streams the parts in order through SHA-256 while writing the final object as a multipart
upload that is completed only when the hash matches (aborted otherwise): nothing is visible before it is verified,
and at most one part (:data:`MULTIPART_PART`) is held in memory.

boto3 is imported here only, when a store is first used: the desktop app and its bundle never load it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

from server.files import READ_BLOCK, FileStoreError, StoredFile

log = logging.getLogger("lapor.server.files")

MULTIPART_PART = 5 * 1024 * 1024  # S3's smallest part but the last: the memory a finishing upload holds
OFFSET_DIGITS = 15
DELETE_BATCH = 1000  # DeleteObjects takes at most this many keys
STREAM_BLOCK = 64 * 1024  # a download's blocks to the web server
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_NOT_FOUND = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://BUCKET[/PREFIX]`` -> (bucket, prefix without slashes at either end)."""
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    if not _BUCKET.match(bucket):
        raise FileStoreError(
            f"Nama bucket S3 tidak sah: {bucket!r} (3-63 huruf kecil, angka, titik atau tanda hubung). "
            "Bentuk alamat: s3://BUCKET[/PREFIX].",
            f"Invalid S3 bucket name: {bucket!r} (3-63 lowercase letters, digits, dots or hyphens). "
            "Address form: s3://BUCKET[/PREFIX].")
    return bucket, prefix.strip("/")


@dataclass(frozen=True)
class _Part:
    offset: int
    key: str
    size: int


_session: Any = None
_session_lock = threading.Lock()


def _new_client(boto3: Any, **options: Any) -> Any:
    """A client from the process's one boto3 session (it loads the S3 service model once); made under a lock, as a
    session is not thread-safe (the clients are)."""
    global _session
    with _session_lock:
        if _session is None:
            _session = boto3.session.Session()
        return _session.client("s3", **options)


def _code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


class S3Store:
    def __init__(self, bucket: str, prefix: str, *, endpoint: str | None, access_key: str, secret_key: str,
                 region: str) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint = endpoint
        self.region = region
        self._access_key = access_key
        self._secret_key = secret_key  # never in a log, a message or repr()
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"S3Store({self.describe()})"

    # -- the client ------------------------------------------------------------------------------------------

    def _client(self, kind: str = "data") -> Any:
        """A boto3 client (thread-safe once made; making one is not). ``probe``: one try, short timeouts, for
        readiness checks a load balancer waits on."""
        with self._lock:
            client = self._clients.get(kind)
            if client is None:
                client = self._clients[kind] = self._make_client(probe=kind == "probe")
            return client

    def _make_client(self, *, probe: bool) -> Any:
        try:
            import boto3
            from botocore.config import Config
        except ImportError as exc:
            raise FileStoreError("Penyimpanan S3 membutuhkan paket boto3: pip install 'lapor-desk[server]'.",
                                 "S3 storage needs the boto3 package: pip install 'lapor-desk[server]'.") from exc
        config = Config(
            s3={"addressing_style": "path"} if self.endpoint else {},  # S3-compatible stores on an address
            retries={"max_attempts": 1 if probe else 3, "mode": "standard"},
            connect_timeout=2 if probe else 5, read_timeout=5 if probe else 60,
            max_pool_connections=48,  # the web server's worker threads (40) and a margin
            # Checksums only where S3 requires one: stores other than AWS do not all know the newer ones.
            request_checksum_calculation="when_required", response_checksum_validation="when_required")
        return _new_client(
            boto3, endpoint_url=self.endpoint, region_name=self.region, aws_access_key_id=self._access_key,
            aws_secret_access_key=self._secret_key, config=config)

    # -- names -----------------------------------------------------------------------------------------------

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def final_key(self, sha: str) -> str:
        return self._key(f"{sha[:2]}/{sha}")

    def parts_prefix(self, office_id: str, sha: str) -> str:
        return self._key(f"partial/{office_id}/{sha}/")

    def _parts(self, office_id: str, sha: str) -> list[_Part]:
        """The staged chunks of the office's upload, by offset."""
        prefix = self.parts_prefix(office_id, sha)
        parts = []
        for page in self._client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", ()):
                name = item["Key"][len(prefix):]
                if name.isdigit():
                    parts.append(_Part(int(name), item["Key"], int(item["Size"])))
        return sorted(parts, key=lambda p: p.offset)

    def _delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), DELETE_BATCH):
            batch = [{"Key": key} for key in keys[start:start + DELETE_BATCH]]
            answer = self._client().delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
            if errors := answer.get("Errors"):
                log.warning("object store: %d objects not deleted (%s)", len(errors), errors[0].get("Code"))

    # -- FileStore -------------------------------------------------------------------------------------------

    def describe(self) -> str:
        where = f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"
        return f"{where} at {self.endpoint or 'AWS'} ({self.region})"

    def check(self) -> str | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._client("probe").head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            code = _code(exc)
            log.warning("readiness: object store refused: %s", code)
            return "no_bucket" if code in _NOT_FOUND else "forbidden" if code in ("403", "AccessDenied") else "error"
        except BotoCoreError as exc:
            log.warning("readiness: object store unreachable: %s", type(exc).__name__)
            return "unreachable"
        return None

    def prepare(self) -> None:
        reason = self.check()
        if reason is None:
            return
        id_reason = {"no_bucket": "bucket tidak ada", "forbidden": "kunci akses ditolak",
                     "unreachable": "tidak dapat dihubungi"}.get(reason, "galat")
        en_reason = {"no_bucket": "no such bucket", "forbidden": "access keys refused",
                     "unreachable": "unreachable"}.get(reason, "error")
        where = self.describe().split(" at ", 1)[0]
        raise FileStoreError(f"Penyimpanan berkas S3 {where} di {self.endpoint or 'AWS'}: {id_reason}.",
                             f"S3 file storage {self.describe()}: {en_reason}.")

    def final_size(self, sha: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = self._client().head_object(Bucket=self.bucket, Key=self.final_key(sha))
        except ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                return None
            raise
        return int(head["ContentLength"])

    def partial_size(self, office_id: str, sha: str) -> int:
        """The bytes from offset 0 the staged parts hold without a gap."""
        held = 0
        for part in self._parts(office_id, sha):
            if part.offset != held:
                break
            held += part.size
        return held

    def append(self, office_id: str, sha: str, offset: int, chunk: bytes) -> None:
        client = self._client()
        parts = self._parts(office_id, sha)
        self._delete([p.key for p in parts if p.offset >= offset])  # an interrupted attempt's, past the offset
        for part in parts:  # a part across the offset (not written by this code, but be exact): cut it there
            if part.offset < offset < part.offset + part.size:
                kept = client.get_object(Bucket=self.bucket, Key=part.key,
                                         Range=f"bytes=0-{offset - part.offset - 1}")["Body"].read()
                client.put_object(Bucket=self.bucket, Key=part.key, Body=kept)
        key = self._key(f"partial/{office_id}/{sha}/{offset:0{OFFSET_DIGITS}d}")
        client.put_object(Bucket=self.bucket, Key=key, Body=chunk)

    def finish(self, office_id: str, sha: str) -> bool:
        client = self._client()
        parts = self._parts(office_id, sha)
        writer = None if self.final_size(sha) is not None else _FinalWriter(client, self.bucket, self.final_key(sha))
        digest = hashlib.sha256()
        whole = True
        try:
            held = 0
            for part in parts:
                if part.offset != held:
                    whole = False
                    break
                body = client.get_object(Bucket=self.bucket, Key=part.key)["Body"]
                with body:
                    for block in body.iter_chunks(READ_BLOCK):
                        digest.update(block)
                        held += len(block)
                        if writer is not None:
                            writer.write(block)
            verified = whole and digest.hexdigest() == sha
            if writer is not None and verified:
                writer.commit()
            elif writer is not None:
                writer.abort()
        except BaseException:
            if writer is not None:
                writer.abort()
            raise
        self._delete([p.key for p in parts])
        return verified

    def local_path(self, sha: str) -> None:
        return None

    def open_final(self, sha: str) -> StoredFile | None:
        from botocore.exceptions import ClientError

        try:
            answer = self._client().get_object(Bucket=self.bucket, Key=self.final_key(sha))
        except ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                return None
            raise
        body = answer["Body"]

        def chunks() -> Any:
            with body:
                yield from body.iter_chunks(STREAM_BLOCK)

        return StoredFile(int(answer["ContentLength"]), chunks(), body.close)

    def remove_partial(self, office_id: str, sha: str) -> None:
        self._delete([p.key for p in self._parts(office_id, sha)])

    def remove_final(self, sha: str) -> None:
        self._client().delete_object(Bucket=self.bucket, Key=self.final_key(sha))


class _FinalWriter:
    """The final object, written as it is hashed: a multipart upload once it passes one part (completed only when
    verified), a single put for a smaller file. Memory: the part being gathered, which the client reads as a file
    (its own buffers add about 3 MiB while it sends)."""

    def __init__(self, client: Any, bucket: str, key: str) -> None:
        self.client, self.bucket, self.key = client, bucket, key
        self.buffer = io.BytesIO()
        self.upload_id: str | None = None
        self.etags: list[dict[str, Any]] = []

    def write(self, block: bytes) -> None:
        self.buffer.write(block)
        if self.buffer.tell() >= MULTIPART_PART:
            self._upload()

    def _upload(self) -> None:
        if self.upload_id is None:
            self.upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=self.key)["UploadId"]
        number = len(self.etags) + 1
        part, self.buffer = self.buffer, io.BytesIO()
        part.seek(0)
        answer = self.client.upload_part(Bucket=self.bucket, Key=self.key, UploadId=self.upload_id,
                                         PartNumber=number, Body=part)
        self.etags.append({"PartNumber": number, "ETag": answer["ETag"]})

    def commit(self) -> None:
        if self.upload_id is None:
            self.buffer.seek(0)
            self.client.put_object(Bucket=self.bucket, Key=self.key, Body=self.buffer)
            return
        if self.buffer.tell():
            self._upload()
        self.client.complete_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=self.upload_id,
                                              MultipartUpload={"Parts": self.etags})
        self.upload_id = None  # done: nothing left to abort

    def abort(self) -> None:
        if self.upload_id is None:
            return
        upload_id, self.upload_id = self.upload_id, None
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=self.key, UploadId=upload_id)
        except Exception as exc:  # noqa: BLE001 - the bucket's lifecycle rule removes it later; say so and go on
            log.warning("object store: a multipart upload not aborted: %s", type(exc).__name__)
