"""Attachment bytes: HEAD to dedupe by SHA-256, chunked resumable PUT (verified on completion), GET."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from server import auth
from server.api.deps import ServerContext, check_rate, ctx
from server.api.misc import ERRORS
from server.errors import ApiError, not_found
from server.models import Attachment, Blob, Complaint
from sync.protocol import SHA256_PATTERN, BlobStatus, ErrorBody

router = APIRouter(prefix="/api/v1/blobs", tags=["blobs"])
Sha = Annotated[str, PathParam(pattern=SHA256_PATTERN)]


def final_path(blob_dir: Path, sha: str) -> Path:
    return blob_dir / sha[:2] / sha


def partial_path(blob_dir: Path, sha: str) -> Path:
    return blob_dir / "partial" / sha


def reconcile(blob_dir: Path, blob: Blob) -> None:
    """Believe the disk: after a restore from backup (or a cleaned folder) the row may claim bytes that are gone.
    Then the upload starts over, so a client asks to send the file again instead of trusting a 200."""
    if blob.complete:
        if not final_path(blob_dir, blob.sha256).is_file():
            blob.complete = False
            blob.size_received = 0
    elif blob.size_received:
        partial = partial_path(blob_dir, blob.sha256)
        if (partial.stat().st_size if partial.is_file() else 0) < blob.size_received:
            blob.size_received = 0


@router.head("/{sha256}", responses={404: {"description": "not stored (yet)"}})
def head_blob(sha256: Sha, context: Annotated[ServerContext, Depends(ctx)],
              authorization: Annotated[str | None, Header()] = None) -> Response:
    """200 with the size if the server has the whole file; 404 with ``Upload-Offset`` (bytes held) if not."""
    with context.db.transaction() as session:
        auth.device_from_token(session, authorization, context.clock())
        blob = session.get(Blob, sha256, with_for_update=True)
        if blob is not None:
            reconcile(context.settings.blob_dir, blob)
            complete, held = blob.complete, blob.size_received
        else:
            complete, held = False, 0
    if complete:
        return Response(status_code=200, headers={"Content-Length": str(held), "Upload-Offset": str(held)})
    return Response(status_code=404, headers={"Upload-Offset": str(held)})


@router.put("/{sha256}", response_model=BlobStatus, responses={**ERRORS, 409: {"model": ErrorBody},
                                                                 413: {"model": ErrorBody}, 422: {"model": ErrorBody}})
async def put_chunk(sha256: Sha, request: Request, context: Annotated[ServerContext, Depends(ctx)],
                    offset: Annotated[int, Query(ge=0)],
                    total: Annotated[int, Query(ge=0, description="size of the whole file")],
                    authorization: Annotated[str | None, Header()] = None) -> BlobStatus:
    """Append a chunk at ``offset``. When the bytes reach ``total`` the SHA-256 is checked; a mismatch discards
    the upload (422). An offset that is not where the server stands answers 409 with the right offset."""
    if total > context.settings.max_blob_bytes:
        raise ApiError(413, "blob_too_large", "Lampiran terlalu besar.", "The attachment is too large.")
    chunk = await request.body()
    # Database and disk work off the event loop, like every other route.
    return await run_in_threadpool(_store_chunk, context, sha256, chunk, offset, total, authorization)


def _store_chunk(context: ServerContext, sha256: str, chunk: bytes, offset: int, total: int,
                 authorization: str | None) -> BlobStatus:
    now = context.clock()
    blob_dir = context.settings.blob_dir
    # Refusals that follow a change to the row (a reset) are raised after the commit, or the reset is lost.
    refusal: ApiError | None = None
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, now)
        check_rate(context, ident.device_id)
        blob = session.get(Blob, sha256, with_for_update=True)
        if blob is None:
            try:
                with session.begin_nested():  # two PCs starting the same file at once: one row wins
                    session.add(Blob(sha256=sha256, size_received=0, complete=False, created_at=now))
            except IntegrityError:
                pass
            blob = session.get(Blob, sha256, with_for_update=True, populate_existing=True)
            assert blob is not None
        reconcile(blob_dir, blob)
        if blob.complete:
            return BlobStatus(sha256=sha256, size_received=blob.size_received, complete=True)
        if offset != blob.size_received:
            refusal = ApiError(409, "wrong_offset", "Posisi unggahan tidak sesuai; lanjutkan dari posisi server.",
                               "Upload offset mismatch; resume from the server's offset.",
                               details={"size_received": blob.size_received},
                               headers={"Upload-Offset": str(blob.size_received)})
        elif offset + len(chunk) > total:
            refusal = ApiError(400, "beyond_total", "Potongan melebihi ukuran berkas.", "Chunk beyond the file size.")
        else:
            refusal = _append(blob_dir, blob, chunk, offset, total)
        status = BlobStatus(sha256=sha256, size_received=blob.size_received, complete=blob.complete)
    if refusal is not None:
        raise refusal
    return status


def _append(blob_dir: Path, blob: Blob, chunk: bytes, offset: int, total: int) -> ApiError | None:
    """Write the chunk; on the last one check the SHA-256 and move the file in place (or discard it)."""
    partial = partial_path(blob_dir, blob.sha256)
    partial.parent.mkdir(parents=True, exist_ok=True)
    with partial.open("r+b" if partial.exists() else "wb") as fh:
        fh.truncate(offset)  # drop bytes a dropped earlier attempt may have left past the committed offset
        fh.seek(offset)
        fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())
    blob.size_received = offset + len(chunk)
    if blob.size_received != total:
        return None
    digest = hashlib.sha256()
    with partial.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    if digest.hexdigest() != blob.sha256:
        partial.unlink(missing_ok=True)
        blob.size_received = 0
        return ApiError(422, "hash_mismatch", "Isi berkas tidak cocok dengan SHA-256-nya; unggah ulang.",
                        "The file does not match its SHA-256; upload it again.")
    final = final_path(blob_dir, blob.sha256)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, final)
    blob.complete = True
    return None


@router.get("/{sha256}", responses={404: {"model": None}})
def get_blob(sha256: Sha, context: Annotated[ServerContext, Depends(ctx)],
             authorization: Annotated[str | None, Header()] = None) -> FileResponse:
    """The file, only for an office that has an attachment with these bytes."""
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, context.clock())
        check_rate(context, ident.device_id)
        blob = session.get(Blob, sha256, with_for_update=True)
        if blob is not None:
            reconcile(context.settings.blob_dir, blob)
        allowed = session.execute(
            select(Attachment.id).join(Complaint, Complaint.id == Attachment.complaint_id)
            .where(Attachment.sha256 == sha256, Complaint.office_id == ident.office_id).limit(1)).first()
    if blob is None or not blob.complete or allowed is None:
        raise not_found("lampiran")
    return FileResponse(final_path(context.settings.blob_dir, sha256), media_type="application/octet-stream")
