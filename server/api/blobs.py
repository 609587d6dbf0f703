"""Attachment bytes: HEAD to dedupe by SHA-256, chunked resumable PUT (verified on completion), GET."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path as PathParam, Query, Request, Response
from fastapi.responses import FileResponse
from sqlalchemy import select

from server import auth
from server.api.deps import ServerContext, check_rate, ctx
from server.api.misc import ERRORS
from server.errors import ApiError, not_found
from server.models import Attachment, Blob, Complaint
from sync.protocol import SHA256_PATTERN, BlobStatus

router = APIRouter(prefix="/api/v1/blobs", tags=["blobs"])
Sha = Annotated[str, PathParam(pattern=SHA256_PATTERN)]


def final_path(blob_dir: Path, sha: str) -> Path:
    return blob_dir / sha[:2] / sha


def partial_path(blob_dir: Path, sha: str) -> Path:
    return blob_dir / "partial" / sha


@router.head("/{sha256}", responses={404: {"description": "not stored (yet)"}})
def head_blob(sha256: Sha, context: Annotated[ServerContext, Depends(ctx)],
              authorization: Annotated[str | None, Header()] = None) -> Response:
    """200 with the size if the server has the whole file; 404 with ``Upload-Offset`` (bytes held) if not."""
    with context.db.transaction() as session:
        auth.device_from_token(session, authorization, context.clock())
        blob = session.get(Blob, sha256)
    if blob is not None and blob.complete:
        return Response(status_code=200, headers={"Content-Length": str(blob.size_received),
                                                  "Upload-Offset": str(blob.size_received)})
    return Response(status_code=404, headers={"Upload-Offset": str(blob.size_received if blob else 0)})


@router.put("/{sha256}", response_model=BlobStatus, responses={**ERRORS, 409: {"model": BlobStatus}})
async def put_chunk(sha256: Sha, request: Request, context: Annotated[ServerContext, Depends(ctx)],
                    offset: Annotated[int, Query(ge=0)],
                    total: Annotated[int, Query(ge=0, description="size of the whole file")],
                    authorization: Annotated[str | None, Header()] = None) -> BlobStatus:
    """Append a chunk at ``offset``. When the bytes reach ``total`` the SHA-256 is checked; a mismatch discards
    the upload (422). An offset that is not where the server stands answers 409 with the right offset."""
    if total > context.settings.max_blob_bytes:
        raise ApiError(413, "blob_too_large", "Lampiran terlalu besar.", "The attachment is too large.")
    chunk = await request.body()
    now = context.clock()
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, now)
        check_rate(context, ident.device_id)
        blob = session.get(Blob, sha256, with_for_update=True)
        if blob is None:
            blob = Blob(sha256=sha256, size_received=0, complete=False, created_at=now)
            session.add(blob)
            session.flush()
        if blob.complete:
            return BlobStatus(sha256=sha256, size_received=blob.size_received, complete=True)
        if offset != blob.size_received:
            raise ApiError(409, "wrong_offset", "Posisi unggahan tidak sesuai; lanjutkan dari posisi server.",
                           "Upload offset mismatch; resume from the server's offset.",
                           details={"size_received": blob.size_received})
        if offset + len(chunk) > total:
            raise ApiError(400, "beyond_total", "Potongan melebihi ukuran berkas.", "Chunk beyond the file size.")
        partial = partial_path(context.settings.blob_dir, sha256)
        partial.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("r+b" if partial.exists() else "wb") as fh:
            fh.truncate(offset)  # drop bytes a dropped earlier attempt may have left past the committed offset
            fh.seek(offset)
            fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        blob.size_received = offset + len(chunk)
        if blob.size_received == total:
            digest = hashlib.sha256()
            with partial.open("rb") as fh:
                while block := fh.read(1 << 20):
                    digest.update(block)
            if digest.hexdigest() != sha256:
                partial.unlink(missing_ok=True)
                blob.size_received = 0
                session.flush()
                raise ApiError(422, "hash_mismatch", "Isi berkas tidak cocok dengan SHA-256-nya; unggah ulang.",
                               "The file does not match its SHA-256; upload it again.")
            final = final_path(context.settings.blob_dir, sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(partial, final)
            blob.complete = True
        return BlobStatus(sha256=sha256, size_received=blob.size_received, complete=blob.complete)


@router.get("/{sha256}", responses={404: {"model": None}})
def get_blob(sha256: Sha, context: Annotated[ServerContext, Depends(ctx)],
             authorization: Annotated[str | None, Header()] = None) -> FileResponse:
    """The file, only for an office that has an attachment with these bytes."""
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, context.clock())
        check_rate(context, ident.device_id)
        blob = session.get(Blob, sha256)
        allowed = session.execute(
            select(Attachment.id).join(Complaint, Complaint.id == Attachment.complaint_id)
            .where(Attachment.sha256 == sha256, Complaint.office_id == ident.office_id).limit(1)).first()
    if blob is None or not blob.complete or allowed is None:
        raise not_found("lampiran")
    return FileResponse(final_path(context.settings.blob_dir, sha256), media_type="application/octet-stream")
