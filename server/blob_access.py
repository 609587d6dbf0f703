"""Who may read which file. Bytes are stored once, named by their SHA-256; access is per office. An office may
read a file only after one of its PCs sent all of its bytes (proof of possession: knowing a hash is not enough) or
it received, by national routing, a complaint whose file the sending office held. Uploads resume per office, so
nothing in an answer depends on what another office stored: for an office without access, a file that exists
elsewhere looks exactly like one that exists nowhere.

Uploads that no attachment of the office refers to are bounded per device (``Settings.max_unreferenced_bytes``)
and removed after a grace period (:func:`purge_unreferenced`), so one PC cannot fill the server's disk.

The bytes themselves are in a file store (server.files: a folder or an object store); this module decides, the
store keeps.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, and_, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Exists

from server.files import FileStore
from server.files.folder import FolderStore
from server.models import SCOPE_EXITS, Attachment, Blob, ChangeLogEntry, Complaint, OfficeBlob, User

log = logging.getLogger("lapor.server.blobs")

UPLOAD = "upload"
REROUTE = "reroute"


def final_path(blob_dir: Path, sha: str) -> Path:
    """Where a folder store keeps a verified file."""
    return FolderStore(blob_dir).final_path(sha)


def partial_path(blob_dir: Path, office_id: str, sha: str) -> Path:
    """Where a folder store keeps an office's upload in progress: apart from every other office's, so no answer
    reveals another's."""
    return FolderStore(blob_dir).partial_path(office_id, sha)


def grant(session: Session, office_id: str, sha: str, *, lock: bool = False) -> OfficeBlob | None:
    return session.get(OfficeBlob, (office_id, sha), with_for_update=lock, populate_existing=lock)


def start_upload(session: Session, office_id: str, device_id: str, sha: str, total: int,
                 now: datetime) -> OfficeBlob:
    """The office's upload row for this file, created if new (two PCs of one office starting at once: one wins,
    the other finds it), locked for this request."""
    row = grant(session, office_id, sha, lock=True)
    if row is None:
        try:
            with session.begin_nested():
                session.add(OfficeBlob(office_id=office_id, sha256=sha, device_id=device_id, source=UPLOAD,
                                       total=total, size_received=0, complete=False, created_at=now,
                                       updated_at=now))
        except IntegrityError:
            pass
        row = grant(session, office_id, sha, lock=True)
        assert row is not None
    return row


def reconcile(files: FileStore, row: OfficeBlob) -> None:
    """Believe the storage: after a restore from backup (or a cleaned folder or bucket) the row may claim bytes
    that are gone. Then the upload starts over, so the PC is asked to send the file again instead of being told it
    is there."""
    if row.complete:
        if files.final_size(row.sha256) is None:
            row.complete = False
            row.size_received = 0
    elif row.size_received and files.partial_size(row.office_id, row.sha256) < row.size_received:
        row.size_received = 0


def senders(office_id: str, sha: str) -> Select[str]:
    """The offices that re-routed to ``office_id`` a complaint it holds with this file (read through the change
    log's index of scope exits)."""
    received = select(Attachment.complaint_id).join(Complaint, Complaint.id == Attachment.complaint_id).where(
        Attachment.sha256 == sha, Complaint.office_id == office_id)
    return select(ChangeLogEntry.office_id).where(ChangeLogEntry.entity_id.in_(received), SCOPE_EXITS).distinct()


def inherit(session: Session, office_id: str, sha: str, now: datetime) -> OfficeBlob | None:
    """The office's grant, made now if it received by re-route a complaint carrying the file from an office that
    holds it (that office may have sent the bytes only after the re-route: after a server restore its PCs send
    their files again)."""
    row = grant(session, office_id, sha, lock=True)
    if row is not None:
        return row
    for sender in session.execute(senders(office_id, sha)).scalars():
        # Only an attachment the sending office made (its account made it: the trust boundary holds that to the
        # office) passes the file on: one this office added to the complaint after it arrived gives nothing.
        made_there = session.execute(select(Attachment.id).join(Complaint, Complaint.id == Attachment.complaint_id)
                                     .join(User, User.id == Attachment.created_by).where(
            Attachment.sha256 == sha, Complaint.office_id == office_id, User.office_id == sender).limit(1)).first()
        if made_there is not None and share_with(session, sender, office_id, [sha], now):
            session.flush()
            return grant(session, office_id, sha, lock=True)
    return None


def readable(session: Session, files: FileStore, office_id: str, sha: str, now: datetime) -> OfficeBlob | None:
    """The office's grant for this file if it may be read now: complete, the bytes stored, and an attachment of
    the office's complaints carries it (a file sent but never attached is not served, not even to its sender)."""
    row = inherit(session, office_id, sha, now)
    if row is None:
        return None
    reconcile(files, row)
    if not row.complete:
        return None
    attached = session.execute(select(Attachment.id).join(Complaint, Complaint.id == Attachment.complaint_id)
                               .where(Attachment.sha256 == sha, Complaint.office_id == office_id).limit(1)).first()
    return row if attached is not None else None


def mark_stored(session: Session, sha: str, size: int, now: datetime) -> None:
    """The verified file is in place (shared storage): its row says so."""
    blob = session.get(Blob, sha, with_for_update=True)
    if blob is None:
        try:
            with session.begin_nested():
                session.add(Blob(sha256=sha, size_received=size, complete=True, created_at=now))
            return
        except IntegrityError:
            blob = session.get(Blob, sha, with_for_update=True, populate_existing=True)
            assert blob is not None
    blob.complete = True
    blob.size_received = size


def share_with(session: Session, from_office: str | None, to_office: str, shas: Iterable[str],
               now: datetime) -> int:
    """A complaint moved from one office to another (national routing): the new office may read the files the
    old office held, and no others (a hash the old office only named, never sent, gives nothing). Returns the
    number of grants made."""
    if from_office is None:
        return 0
    made = 0
    for sha in sorted(set(shas)):
        held = grant(session, from_office, sha)
        if held is None or not held.complete or grant(session, to_office, sha) is not None:
            continue
        session.add(OfficeBlob(office_id=to_office, sha256=sha, device_id=None, source=REROUTE, total=held.total,
                               size_received=held.total, complete=True, created_at=now, updated_at=now))
        made += 1
    return made


def _referenced_by_office() -> Exists:
    """SQL condition: an attachment of a complaint of the grant's office carries the grant's file."""
    return exists().where(Attachment.sha256 == OfficeBlob.sha256, Complaint.id == Attachment.complaint_id,
                          Complaint.office_id == OfficeBlob.office_id)


def unreferenced_bytes(session: Session, device_id: str, *, besides: str | None = None) -> int:
    """Bytes this device uploaded (or is uploading) that no attachment of its office refers to, leaving out the
    file ``besides`` (the one being uploaded now)."""
    query = select(func.coalesce(func.sum(OfficeBlob.total), 0)).where(
        OfficeBlob.device_id == device_id, OfficeBlob.source == UPLOAD, ~_referenced_by_office())
    if besides is not None:
        query = query.where(OfficeBlob.sha256 != besides)
    return int(session.execute(query).scalar_one())


@dataclass(frozen=True)
class StoredBytes:
    """Bytes in the file store: an office's upload in progress, or (``office_id`` None) a verified file."""

    office_id: str | None
    sha256: str


@dataclass
class Purged:
    uploads: int  # office uploads forgotten
    files: list[StoredBytes]  # to delete once the transaction has committed (before, a rollback would lose them)


def purge_unreferenced(session: Session, now: datetime, grace: timedelta) -> Purged:
    """Forget uploads no attachment of their office has referred to for ``grace``, and the stored files no office
    may read any more."""
    cutoff = now - grace
    stale = and_(OfficeBlob.updated_at < cutoff, ~_referenced_by_office())
    gone = session.execute(select(OfficeBlob.office_id, OfficeBlob.sha256, OfficeBlob.complete)
                           .where(stale)).all()
    if gone:
        session.execute(delete(OfficeBlob).where(stale).execution_options(synchronize_session=False))
    files = [StoredBytes(office, sha) for office, sha, complete in gone if not complete]
    orphans = session.execute(select(Blob.sha256).where(
        Blob.created_at < cutoff, ~exists().where(OfficeBlob.sha256 == Blob.sha256))).scalars().all()
    if orphans:
        session.execute(delete(Blob).where(Blob.sha256.in_(orphans)).execution_options(synchronize_session=False))
        files.extend(StoredBytes(None, sha) for sha in orphans)
    if gone or orphans:
        log.info("purged %d unreferenced uploads and %d files no office may read", len(gone), len(orphans))
    return Purged(len(gone), files)


def remove_files(files: FileStore, gone: Iterable[StoredBytes]) -> None:
    for item in gone:
        if item.office_id is None:
            files.remove_final(item.sha256)
        else:
            files.remove_partial(item.office_id, item.sha256)
