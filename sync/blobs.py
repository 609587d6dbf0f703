"""Attachment bytes to and from the server: HEAD first (the server may have them already), then a chunked
upload that resumes from the server's offset after a dropped connection; downloads verified by SHA-256 before they
take their name. Files no attachment refers to any more leave the PC once the rows' removal has committed."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

import requests
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.errors import Message
from app.models import Attachment
from app.store import meta
from app.store.blobfiles import PartialFile
from app.store.db import Store
from sync.protocol import BLOB_CHUNK, BlobStatus
from sync.transport import IncompleteAnswer, ServerRefused, SyncError, Transport

log = logging.getLogger(__name__)


class _NotWhole(Exception):
    """Downloaded bytes that do not hash to the file's SHA-256: a reply cut inside its headers (no length left to
    tell the body was short) or garbled on the way. Tried again like a dropped connection."""


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
                status = transport.request_model("PUT", f"/api/v1/blobs/{sha256}", BlobStatus, data=data,
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
            if status.complete:
                return True
            offset = status.size_received
            if offset >= size:  # all bytes sent yet not complete: never claim an upload the server does not hold
                raise SyncError(Message("Server tidak menyelesaikan unggahan lampiran; akan dicoba lagi.",
                                        "The server did not complete an attachment upload; it will be retried."))


def upload_files(store: Store, transport: Transport, blob_dir: Path, *, cancel: threading.Event,
                 check: Callable[[], None], uploaded: Callable[[int, int], None]) -> None:
    """The files of this PC's attachments that the server has not confirmed, one after another (a sync's upload
    step): ``check`` raises once the sync is cancelled, ``uploaded`` hears of each one done and of how many."""
    with store.read() as session:
        todo = list(session.execute(select(Attachment.id, Attachment.sha256, Attachment.size).where(
            Attachment.blob_uploaded.is_(False), Attachment.blob_present.is_(True))))
    for i, (_attachment_id, sha, size) in enumerate(todo, 1):
        check()
        if not blob_path(blob_dir, sha).is_file():
            # Its bytes went from this PC (a store put back from a copy that still listed them): not present any
            # more, so the download step fetches them if the server has them; never a sync that stops.
            log.warning("attachment file %s missing from this PC: marked absent", sha[:12])
            with store.transaction() as session:
                session.execute(update(Attachment).where(Attachment.sha256 == sha).values(blob_present=False))
            continue
        if not upload_blob(transport, blob_dir, sha, size, cancel=cancel):
            check()  # cancelled part-way: not uploaded; the next sync resumes at the server's offset
        with store.transaction() as session:
            session.execute(update(Attachment).where(Attachment.sha256 == sha).values(blob_uploaded=True))
        uploaded(i, len(todo))


def download_blob(transport: Transport, blob_dir: Path, sha256: str, size: int | None = None) -> Path:
    """Fetch a file by its SHA-256 into the blob store (verified before it is kept). A connection that drops
    mid-file is tried again like any other request, then reported as the server being unreachable. ``size`` (the
    attachment's) lets the PC wait for the server's download budget before asking."""
    target = blob_path(blob_dir, sha256)
    if target.is_file():
        return target
    if size is not None:
        transport.pace_download(size)
    target.parent.mkdir(parents=True, exist_ok=True)
    attempt = 0
    while True:
        attempt += 1
        try:
            return _download_once(transport, target, sha256)
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError, requests.exceptions.Timeout, _NotWhole) as exc:
            if attempt > transport.settings.retries:
                raise IncompleteAnswer(Message(
                    "Unduhan lampiran terputus berulang kali; akan dicoba lagi pada sinkronisasi berikutnya.",
                    "An attachment download kept breaking off; it is tried again at the next sync.")) from exc
            transport.sleep(min(transport.settings.backoff_max, transport.settings.backoff_base * 2 ** attempt))


def _download_once(transport: Transport, target: Path, sha256: str) -> Path:
    response = transport.request("GET", f"/api/v1/blobs/{sha256}", stream=True)
    digest = hashlib.sha256()
    with response, PartialFile(target.parent) as partial:
        for block in response.iter_content(1 << 16):
            digest.update(block)
            partial.write(block)
        if digest.hexdigest() != sha256:
            raise _NotWhole(sha256)
        partial.commit(target)
    return target


# Files whose attachment rows were dropped (a complaint that left the office, an attachment the server refused),
# noted in the transaction that drops the rows; the files go once it committed (a rollback never loses bytes), and
# a sync killed before that removes them at its next start.
UNREFERENCED_KEY = "sync_unreferenced_blobs"


def note_unreferenced(session: Session, shas: Iterable[str]) -> None:
    """In the transaction that drops attachment rows: these hashes' files may now belong to no attachment."""
    new = set(shas)
    if new:
        known = set(json.loads(meta.get(session, UNREFERENCED_KEY) or "[]"))
        meta.put(session, UNREFERENCED_KEY, json.dumps(sorted(known | new)))


def remove_unreferenced(store: Store, blob_dir: Path) -> int:
    """Delete the noted files that no attachment row refers to (one file may serve several complaints of the office).
    Inside a write transaction: an attach of the same bytes meanwhile either committed first (its row keeps the
    file) or finds the file gone in its own transaction and copies it again."""
    with store.read() as session:
        if not meta.get(session, UNREFERENCED_KEY):
            return 0
    removed = 0
    with store.transaction() as session:
        noted = sorted(json.loads(meta.get(session, UNREFERENCED_KEY) or "[]"))
        used: set[str] = set()
        for i in range(0, len(noted), 500):
            used.update(session.execute(select(Attachment.sha256).where(Attachment.sha256.in_(noted[i:i + 500])))
                        .scalars())
        for sha in set(noted) - used:
            with suppress(FileNotFoundError):
                blob_path(blob_dir, sha).unlink()
                removed += 1
        meta.put(session, UNREFERENCED_KEY, "")
    return removed
