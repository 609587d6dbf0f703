"""The download step of a sync: the files of open complaints this PC does not hold yet, a few at a time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from sqlalchemy import select, update

from app.domain import OPEN_STATUSES
from app.models import Attachment, Complaint
from app.store.db import Store
from sync.blobs import download_blob
from sync.transport import ServerRefused, Transport

log = logging.getLogger(__name__)

# Files fetched at once: on a slow link each file is mostly round-trip wait, so a few in flight fill the line.
DOWNLOAD_WORKERS = 4


def download_files(store: Store, transport: Transport, blob_dir: Path, *, only_open: bool,
                   check: Callable[[], None], fetched: Callable[[int, int], None]) -> None:
    """Fetch the files marked absent here (only those of open complaints when ``only_open``; older ones come on
    demand, :func:`sync.blobs.download_blob`). Each is recorded as present, on the calling thread, once its bytes
    are verified, and then ``fetched(done, total)`` is called; ``check`` raises to stop (the files in flight finish,
    each kept whole or not at all). A file the server does not hold yet (its PC has not uploaded it) is left for the
    next sync."""
    with store.read() as session:
        q = select(Attachment.sha256, Attachment.size).join(Complaint, Complaint.id == Attachment.complaint_id
                                                             ).where(Attachment.blob_present.is_(False))
        if only_open:
            q = q.where(Complaint.status.in_(OPEN_STATUSES))
        sizes = {sha: int(size) for sha, size in session.execute(q)}
        todo = sorted(sizes)
    if not todo:
        return
    check()
    done = 0
    with ThreadPoolExecutor(max_workers=min(DOWNLOAD_WORKERS, len(todo)), thread_name_prefix="lapor-download") as pool:
        futures = {pool.submit(download_blob, transport, blob_dir, sha, sizes[sha]): sha for sha in todo}
        try:
            for future in as_completed(futures):
                sha = futures[future]
                try:
                    future.result()
                except ServerRefused as exc:
                    if exc.status != 404:
                        raise
                    # Metadata may arrive before the bytes: the PC that attached the file has not uploaded it.
                    log.info("attachment %s not on the server yet; trying again at the next sync", sha[:12])
                    continue
                with store.transaction() as session:
                    session.execute(update(Attachment).where(Attachment.sha256 == sha).values(blob_present=True))
                done += 1
                fetched(done, len(todo))
        except BaseException:
            for pending in futures:
                pending.cancel()  # the files in flight finish (each is kept whole or not at all)
            raise
