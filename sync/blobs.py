"""Attachment bytes to and from the server: HEAD first (the server may have them already), then a chunked
upload that resumes from the server's offset after a dropped connection; downloads verified by SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

import requests

from app.errors import Message
from sync.protocol import BLOB_CHUNK
from sync.transport import ServerRefused, ServerUnreachable, SyncError, Transport


def blob_path(blob_dir: Path, sha256: str) -> Path:
    return blob_dir / sha256[:2] / sha256


def upload_blob(transport: Transport, blob_dir: Path, sha256: str, size: int, *,
                cancel: threading.Event | None = None, chunk: int = BLOB_CHUNK) -> bool:
    """Send the file's bytes; True once the server holds all of them, False if cancelled part-way (the server keeps
    what it received and the next try resumes there)."""
    head = transport.request("HEAD", f"/api/v1/blobs/{sha256}", ok=(200, 404))
    if head.status_code == 200:
        return True  # dedupe: the server has these bytes already (another PC, or an earlier try)
    offset = int(head.headers.get("Upload-Offset") or 0)
    path = blob_path(blob_dir, sha256)
    with path.open("rb") as fh:
        while True:
            if cancel is not None and cancel.is_set():
                return False
            fh.seek(offset)
            data = fh.read(chunk)
            try:
                response = transport.request("PUT", f"/api/v1/blobs/{sha256}", data=data,
                                             params={"offset": offset, "total": size},
                                             headers={"Content-Type": "application/octet-stream"})
            except ServerRefused as exc:
                if exc.status == 409:  # the server holds another offset (an earlier attempt got further)
                    again = transport.request("HEAD", f"/api/v1/blobs/{sha256}", ok=(200, 404))
                    if again.status_code == 200:
                        return True
                    offset = int(again.headers.get("Upload-Offset") or 0)
                    continue
                raise
            status = response.json()
            if status.get("complete"):
                return True
            offset = int(status["size_received"])
            if offset >= size:  # all bytes sent yet not complete: never claim an upload the server does not hold
                raise SyncError(Message("Server tidak menyelesaikan unggahan lampiran; akan dicoba lagi.",
                                        "The server did not complete an attachment upload; it will be retried."))


def download_blob(transport: Transport, blob_dir: Path, sha256: str) -> Path:
    """Fetch a file by its SHA-256 into the blob store (verified before it is kept). A connection that drops
    mid-file is tried again like any other request, then reported as the server being unreachable."""
    target = blob_path(blob_dir, sha256)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    attempt = 0
    while True:
        attempt += 1
        try:
            return _download_once(transport, target, sha256)
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.Timeout) as exc:
            if attempt > transport.settings.retries:
                raise ServerUnreachable(Message(
                    "Unduhan lampiran terputus berulang kali; akan dicoba lagi pada sinkronisasi berikutnya.",
                    "An attachment download kept breaking off; it is tried again at the next sync.")) from exc
            transport.sleep(min(transport.settings.backoff_max, transport.settings.backoff_base * 2 ** attempt))


def _download_once(transport: Transport, target: Path, sha256: str) -> Path:
    response = transport.request("GET", f"/api/v1/blobs/{sha256}", stream=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".download-")
    try:
        with response, os.fdopen(fd, "wb") as out:
            for block in response.iter_content(1 << 16):
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise SyncError(Message("Lampiran yang diunduh rusak (SHA-256 tidak cocok); akan dicoba lagi.",
                                    "A downloaded attachment is corrupt (SHA-256 mismatch); it will be retried."))
        os.replace(tmp, target)
        return target
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
