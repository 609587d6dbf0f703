"""Attachment bytes to and from the server: HEAD first (the server may have them already), then a chunked
upload that resumes from the server's offset after a dropped connection; downloads verified by SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from app.errors import Message
from sync.protocol import BLOB_CHUNK
from sync.transport import ServerRefused, SyncError, Transport


def blob_path(blob_dir: Path, sha256: str) -> Path:
    return blob_dir / sha256[:2] / sha256


def upload_blob(transport: Transport, blob_dir: Path, sha256: str, size: int, *,
                cancel: threading.Event | None = None, chunk: int = BLOB_CHUNK) -> None:
    head = transport.request("HEAD", f"/api/v1/blobs/{sha256}", ok=(200, 404))
    if head.status_code == 200:
        return  # dedupe: the server has these bytes already (another PC, or an earlier try)
    offset = int(head.headers.get("Upload-Offset") or 0)
    path = blob_path(blob_dir, sha256)
    with path.open("rb") as fh:
        while True:
            if cancel is not None and cancel.is_set():
                return
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
                        return
                    offset = int(again.headers.get("Upload-Offset") or 0)
                    continue
                raise
            status = response.json()
            if status.get("complete"):
                return
            offset = int(status["size_received"])
            if offset >= size:
                return


def download_blob(transport: Transport, blob_dir: Path, sha256: str) -> Path:
    target = blob_path(blob_dir, sha256)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    response = transport.request("GET", f"/api/v1/blobs/{sha256}", stream=True)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".download-")
    try:
        with os.fdopen(fd, "wb") as out:
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
