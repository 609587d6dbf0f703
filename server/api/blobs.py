"""Attachment bytes: HEAD to dedupe by SHA-256, chunked resumable PUT (verified on completion), GET; each answer
only about what the calling office may read (server.blob_access)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from server import auth, blob_access
from server.api.deps import ServerContext, check_rate, ctx
from server.api.misc import ERRORS
from server.errors import ApiError, not_found
from server.files import FileStore, files_for
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
            blob_access.reconcile(files_for(context.settings), row)
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
        purged = blob_access.purge_unreferenced(session, context.clock(), grace)
    blob_access.remove_files(files_for(context.settings), purged.files)
    return purged.uploads


def _store_chunk(context: ServerContext, sha256: str, chunk: bytes, offset: int, total: int,
                 authorization: str | None) -> BlobStatus:
    now = context.clock()
    settings = context.settings
    files = files_for(settings)
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
        blob_access.reconcile(files, row)
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
            refusal = _append(session, files, row, chunk, offset, total, now)
        status = BlobStatus(sha256=sha256, size_received=row.size_received, complete=row.complete)
    if refusal is not None:
        raise refusal
    return status


def _append(session: Session, files: FileStore, row: OfficeBlob, chunk: bytes, offset: int, total: int,
            now: datetime) -> ApiError | None:
    """Write the chunk; on the last one check the SHA-256 and make the file visible (or discard it). Bytes the
    server already stores for another office are checked all the same (that is the proof), then dropped."""
    files.append(row.office_id, row.sha256, offset, chunk)
    row.size_received = offset + len(chunk)
    if row.size_received != total:
        return None
    if not files.finish(row.office_id, row.sha256):
        row.size_received = 0
        return ApiError(422, "hash_mismatch", "Isi berkas tidak cocok dengan SHA-256-nya; unggah ulang.",
                        "The file does not match its SHA-256; upload it again.")
    blob_access.mark_stored(session, row.sha256, total, now)
    row.complete = True
    return None


@router.get("/{sha256}", responses={404: {"model": None}, 429: {"model": ErrorBody}})
def get_blob(sha256: Sha, context: Annotated[ServerContext, Depends(ctx)],
             authorization: Annotated[str | None, Header()] = None) -> Response:
    """The file, only for an office that sent its bytes or received a complaint carrying it. Downloads are limited
    per device by bytes, not by requests (server.ratelimit); every answer says what is left of the budget
    (``X-Lapor-Download-Budget``) so the PC waits before asking rather than after a refusal."""
    # A folder store's file is sent from disk, an object store's streamed through (never held whole).
    files = files_for(context.settings)
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, context.clock())
        row = blob_access.readable(session, files, ident.office_id, sha256, context.clock())
    if row is None:
        check_rate(context, ident.device_id)  # asking for files one may not read is counted like any request
        raise not_found("lampiran")
    path = files.local_path(sha256)
    if path is not None:
        headers = _charge(context, ident.device_id, path.stat().st_size)
        return FileResponse(path, media_type="application/octet-stream", headers=headers)
    opened = files.open_final(sha256)
    if opened is None:  # removed since it was checked (a purge on another host): as if never there
        check_rate(context, ident.device_id)
        raise not_found("lampiran")
    try:
        headers = _charge(context, ident.device_id, opened.size)
    except ApiError:
        opened.close()
        raise
    return StreamingResponse(opened.chunks, media_type="application/octet-stream",
                             headers={**headers, "Content-Length": str(opened.size)},
                             background=BackgroundTask(opened.close))


def _charge(context: ServerContext, device_id: str, size: int) -> dict[str, str]:
    """Take a download of ``size`` bytes from the device's budget: the budget header, or 429 when it is spent."""
    limits = context.download_limits
    if limits is None:
        check_rate(context, device_id)
        return {}
    key = "download:" + device_id
    wait = limits.take(key, max(size, 1))
    headers = {DOWNLOAD_BUDGET: f"remaining={max(0, int(limits.remaining(key)))}; per-second={int(limits.rate)}"}
    if wait > 0:
        raise ApiError(429, "rate_limited", "Terlalu banyak unduhan lampiran dari perangkat ini; coba lagi "
                       "sebentar.", "Too many attachment downloads from this device; try again shortly.",
                       headers={**headers, "Retry-After": str(max(1, round(wait)))})
    return headers
