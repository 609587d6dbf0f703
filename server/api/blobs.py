"""Attachment bytes: HEAD to dedupe by SHA-256, chunked resumable PUT (verified on completion), GET; each answer
only about what the calling office may read (server.blob_access)."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from server import auth, blob_access
from server.api.deps import ServerContext, check_rate, ctx
from server.api.misc import ERRORS
from server.errors import ApiError, not_found
from server.models import OfficeBlob
from sync.protocol import DOWNLOAD_BUDGET, SHA256_PATTERN, BlobStatus, ErrorBody

router = APIRouter(prefix="/api/v1/blobs", tags=["blobs"])
Sha = Annotated[str, PathParam(pattern=SHA256_PATTERN)]


@router.head("/{sha256}", responses={404: {"description": "not stored (yet) for this office"}})
def head_blob(sha256: Sha, context: Annotated[ServerContext, Depends(ctx)],
              authorization: Annotated[str | None, Header()] = None) -> Response:
    """200 with the size if this office may read the whole file; 404 with ``Upload-Offset`` (the bytes of this
    office's upload the server holds) if not. A file only another office sent answers as one never sent."""
    with context.db.transaction() as session:
        now = context.clock()
        ident = auth.device_from_token(session, authorization, now)
        row = blob_access.inherit(session, ident.office_id, sha256, now)
        if row is not None:
            blob_access.reconcile(context.settings.blob_dir, row)
            complete, held = row.complete, row.size_received
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
    status = await run_in_threadpool(_store_chunk, context, sha256, chunk, offset, total, authorization)
    if _purge_due(request, context.clock()):  # uploads are what grows: they also sweep, at most once an hour
        await run_in_threadpool(purge, context)
    return status


PURGE_EVERY = timedelta(hours=1)


def _purge_due(request: Request, now: datetime) -> bool:
    state = request.app.state
    due: datetime | None = getattr(state, "lapor_purge_due", None)
    if due is not None and now < due:
        return False
    state.lapor_purge_due = now + PURGE_EVERY
    return True


def purge(context: ServerContext) -> int:
    """Remove uploads no attachment has referred to for the grace period; the number of uploads forgotten."""
    grace = timedelta(hours=context.settings.unreferenced_grace_hours)
    with context.db.transaction() as session:
        purged = blob_access.purge_unreferenced(session, context.settings.blob_dir, context.clock(), grace)
    blob_access.remove_files(purged.files)
    return purged.uploads


def _store_chunk(context: ServerContext, sha256: str, chunk: bytes, offset: int, total: int,
                 authorization: str | None) -> BlobStatus:
    now = context.clock()
    settings = context.settings
    # Refusals that follow a change to the row (a reset) are raised after the commit, or the reset is lost.
    refusal: ApiError | None = None
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, now)
        check_rate(context, ident.device_id)
        row = blob_access.grant(session, ident.office_id, sha256, lock=True)
        if row is None or not row.complete:
            held = blob_access.unreferenced_bytes(session, ident.device_id, besides=sha256)
            if held + total > settings.max_unreferenced_bytes:
                raise ApiError(413, "upload_quota", "Terlalu banyak berkas terunggah dari PC ini yang belum menjadi "
                               "lampiran laporan. Kirim perubahan yang tertunda dulu, atau hubungi admin.",
                               "Too many files uploaded from this PC that no complaint refers to yet. Send the "
                               "pending changes first, or contact the administrator.",
                               details={"limit": settings.max_unreferenced_bytes})
        row = blob_access.start_upload(session, ident.office_id, ident.device_id, sha256, total, now)
        blob_access.reconcile(settings.blob_dir, row)
        if row.complete:
            return BlobStatus(sha256=sha256, size_received=row.size_received, complete=True)
        if offset != row.size_received:
            refusal = ApiError(409, "wrong_offset", "Posisi unggahan tidak sesuai; lanjutkan dari posisi server.",
                               "Upload offset mismatch; resume from the server's offset.",
                               details={"size_received": row.size_received},
                               headers={"Upload-Offset": str(row.size_received)})
        elif offset + len(chunk) > total:
            refusal = ApiError(400, "beyond_total", "Potongan melebihi ukuran berkas.", "Chunk beyond the file size.")
        else:
            row.device_id, row.total, row.updated_at = ident.device_id, total, now
            refusal = _append(session, settings.blob_dir, row, chunk, offset, total, now)
        status = BlobStatus(sha256=sha256, size_received=row.size_received, complete=row.complete)
    if refusal is not None:
        raise refusal
    return status


def _append(session: Session, blob_dir: Path, row: OfficeBlob, chunk: bytes, offset: int, total: int,
            now: datetime) -> ApiError | None:
    """Write the chunk; on the last one check the SHA-256 and move the file in place (or discard it). Bytes the
    server already stores for another office are checked all the same (that is the proof), then dropped."""
    partial = blob_access.partial_path(blob_dir, row.office_id, row.sha256)
    partial.parent.mkdir(parents=True, exist_ok=True)
    with partial.open("r+b" if partial.exists() else "wb") as fh:
        fh.truncate(offset)  # drop bytes a dropped earlier attempt may have left past the committed offset
        fh.seek(offset)
        fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())
    row.size_received = offset + len(chunk)
    if row.size_received != total:
        return None
    digest = hashlib.sha256()
    with partial.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    if digest.hexdigest() != row.sha256:
        partial.unlink(missing_ok=True)
        row.size_received = 0
        return ApiError(422, "hash_mismatch", "Isi berkas tidak cocok dengan SHA-256-nya; unggah ulang.",
                        "The file does not match its SHA-256; upload it again.")
    final = blob_access.final_path(blob_dir, row.sha256)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.is_file():
        partial.unlink(missing_ok=True)
    else:
        os.replace(partial, final)
    blob_access.mark_stored(session, row.sha256, total, now)
    row.complete = True
    return None


@router.get("/{sha256}", responses={404: {"model": None}, 429: {"model": ErrorBody}})
def get_blob(sha256: Sha, context: Annotated[ServerContext, Depends(ctx)],
             authorization: Annotated[str | None, Header()] = None) -> FileResponse:
    """The file, only for an office that sent its bytes or received a complaint carrying it. Downloads are limited
    per device by bytes, not by requests (server.ratelimit); every answer says what is left of the budget
    (``X-Lapor-Download-Budget``) so the PC waits before asking rather than after a refusal."""
    limits = context.download_limits
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, context.clock())
        row = blob_access.readable(session, context.settings.blob_dir, ident.office_id, sha256, context.clock())
    if row is None:
        check_rate(context, ident.device_id)  # asking for files one may not read is counted like any request
        raise not_found("lampiran")
    path = blob_access.final_path(context.settings.blob_dir, sha256)
    headers: dict[str, str] = {}
    if limits is not None:
        key = "download:" + ident.device_id
        wait = limits.take(key, max(path.stat().st_size, 1))
        headers[DOWNLOAD_BUDGET] = f"remaining={max(0, int(limits.remaining(key)))}; per-second={int(limits.rate)}"
        if wait > 0:
            raise ApiError(429, "rate_limited", "Terlalu banyak unduhan lampiran dari perangkat ini; coba lagi "
                           "sebentar.", "Too many attachment downloads from this device; try again shortly.",
                           headers={**headers, "Retry-After": str(max(1, round(wait)))})
    else:
        check_rate(context, ident.device_id)
    return FileResponse(path, media_type="application/octet-stream", headers=headers)
