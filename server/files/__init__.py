"""Where attachment bytes live: one interface (:class:`FileStore`), a local folder (the embedded default) and an
S3-compatible object store (shared by every host behind the load balancer). The server's blob code
(server.blob_access, server.api.blobs) only speaks to this interface; which office may read what stays there.

A store is chosen by a URL: a folder path (or ``file:///path``), or ``s3://BUCKET[/PREFIX]`` with the endpoint and
credentials from the environment (``LAPOR_S3_ENDPOINT``, ``LAPOR_S3_ACCESS_KEY``, ``LAPOR_S3_SECRET_KEY``,
``LAPOR_S3_REGION``).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from server.settings import Settings

ENV_S3_ENDPOINT = "LAPOR_S3_ENDPOINT"
ENV_S3_ACCESS_KEY = "LAPOR_S3_ACCESS_KEY"
ENV_S3_SECRET_KEY = "LAPOR_S3_SECRET_KEY"
ENV_S3_REGION = "LAPOR_S3_REGION"
DEFAULT_REGION = "us-east-1"
READ_BLOCK = 1 << 20  # bytes read at a time when hashing or copying: a file is never held whole


class FileStoreError(Exception):
    """The store cannot be used as configured (a bad URL, missing credentials, unreachable): a message in
    Indonesian and in English an operator can act on."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(f"{message_id}\n{message_en}")
        self.message_id = message_id
        self.message_en = message_en


@dataclass
class StoredFile:
    """A final file opened for reading: its size, its bytes in blocks, and how to let it go early."""

    size: int
    chunks: Iterator[bytes]
    close: Callable[[], None]


class FileStore(Protocol):
    """Files named by their SHA-256 (final, visible once verified) and each office's upload in progress (partial,
    apart from every other office's). Writes to one office's partial upload of one file are serialised by the
    caller (the office's upload row is locked in the database)."""

    def describe(self) -> str:
        """Where the files are, for the log (never a secret)."""

    def prepare(self) -> None:
        """At start: make the folder, or check the bucket answers. Raises FileStoreError."""

    def check(self) -> str | None:
        """Readiness: None when the store takes requests, else a short reason (no paths, no secrets)."""

    def final_size(self, sha: str) -> int | None:
        """The size of the verified file, None when it is not stored."""

    def partial_size(self, office_id: str, sha: str) -> int:
        """Bytes of the office's upload in progress the store holds (0 when none)."""

    def append(self, office_id: str, sha: str, offset: int, chunk: bytes) -> None:
        """Write ``chunk`` at ``offset`` of the office's upload, dropping whatever an interrupted attempt left at
        or past ``offset`` first."""

    def finish(self, office_id: str, sha: str) -> bool:
        """The upload is whole: check its SHA-256 by streaming it, then make it the visible file (or, when that
        file is already stored, drop the upload). A mismatch discards the upload and returns False; nothing is
        visible before the check."""

    def local_path(self, sha: str) -> Path | None:
        """A path the web server can send from directly (a folder store), else None."""

    def open_final(self, sha: str) -> StoredFile | None:
        """The verified file for streaming, None when it is not stored."""

    def remove_partial(self, office_id: str, sha: str) -> None: ...

    def remove_final(self, sha: str) -> None: ...


def store_from_url(url: str | None, default_folder: Path, env: Mapping[str, str] | None = None) -> FileStore:
    """The store a URL names: empty means ``default_folder``. Raises FileStoreError for a URL it cannot use."""
    from server.files.folder import FolderStore

    env = os.environ if env is None else env
    url = (url or "").strip()
    if not url:
        return FolderStore(default_folder)
    if url.startswith("file://"):
        return FolderStore(Path(url.removeprefix("file://")))
    if url.startswith("s3://"):
        from server.files.s3 import S3Store, parse_s3_url

        bucket, prefix = parse_s3_url(url)
        access, secret = env.get(ENV_S3_ACCESS_KEY, ""), env.get(ENV_S3_SECRET_KEY, "")
        if not access or not secret:
            raise FileStoreError(
                f"Penyimpanan S3 membutuhkan kunci akses: setel {ENV_S3_ACCESS_KEY} dan {ENV_S3_SECRET_KEY} "
                f"(dan {ENV_S3_ENDPOINT} untuk penyimpanan selain AWS).",
                f"S3 storage needs access keys: set {ENV_S3_ACCESS_KEY} and {ENV_S3_SECRET_KEY} (and "
                f"{ENV_S3_ENDPOINT} for storage other than AWS).")
        return S3Store(bucket, prefix, endpoint=env.get(ENV_S3_ENDPOINT) or None, access_key=access,
                       secret_key=secret, region=env.get(ENV_S3_REGION) or DEFAULT_REGION)
    if "://" in url:
        raise FileStoreError(
            f"Alamat penyimpanan berkas tidak dikenal: {url.split('://', 1)[0]}://. Gunakan folder atau "
            "s3://BUCKET[/PREFIX].",
            f"Unknown file storage address: {url.split('://', 1)[0]}://. Use a folder or s3://BUCKET[/PREFIX].")
    return FolderStore(Path(url))


_stores: OrderedDict[tuple[str, ...], FileStore] = OrderedDict()
_stores_lock = threading.Lock()
KEEP_STORES = 8  # a server has one; tests make one per bucket and must not keep every client's pool


def files_for(settings: Settings) -> FileStore:
    """The store the settings name, one per configuration in a process (an S3 client holds a connection pool)."""
    env = os.environ
    key = (settings.files or "", str(settings.blob_dir),
           *(env.get(name, "") for name in (ENV_S3_ENDPOINT, ENV_S3_ACCESS_KEY, ENV_S3_SECRET_KEY, ENV_S3_REGION)))
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = store_from_url(settings.files, settings.blob_dir, env)
            while len(_stores) > KEEP_STORES:
                _stores.popitem(last=False)
        _stores.move_to_end(key)
        return store
