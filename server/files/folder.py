"""Attachment files in a local folder (``serve --files PATH``, the default): ``<sha[:2]>/<sha>`` for verified files,
``partial/<office>/<sha>`` for uploads in progress. One host only: another host does not see these files."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from server.files import READ_BLOCK, FileStoreError, StoredFile

log = logging.getLogger("lapor.server.files")


class FolderStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def final_path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def partial_path(self, office_id: str, sha: str) -> Path:
        return self.root / "partial" / office_id / sha

    def describe(self) -> str:
        return f"folder {self.root}"

    def prepare(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileStoreError(f"Folder berkas tidak dapat dibuat: {self.root} ({exc.strerror}).",
                                 f"The file folder cannot be created: {self.root} ({exc.strerror}).") from exc

    def check(self) -> str | None:
        if not self.root.is_dir():
            return "missing"
        try:
            with tempfile.TemporaryFile(dir=self.root, prefix=".ready-"):
                pass
        except OSError as exc:
            log.warning("readiness: file store not writable: %s", type(exc).__name__)
            return "not_writable"
        return None

    def final_size(self, sha: str) -> int | None:
        path = self.final_path(sha)
        return path.stat().st_size if path.is_file() else None

    def partial_size(self, office_id: str, sha: str) -> int:
        path = self.partial_path(office_id, sha)
        return path.stat().st_size if path.is_file() else 0

    def append(self, office_id: str, sha: str, offset: int, chunk: bytes) -> None:
        partial = self.partial_path(office_id, sha)
        partial.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("r+b" if partial.exists() else "wb") as fh:
            fh.truncate(offset)  # drop bytes a dropped earlier attempt may have left past the committed offset
            fh.seek(offset)
            fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())

    def finish(self, office_id: str, sha: str) -> bool:
        partial = self.partial_path(office_id, sha)
        digest = hashlib.sha256()
        with partial.open("rb") as fh:
            while block := fh.read(READ_BLOCK):
                digest.update(block)
        if digest.hexdigest() != sha:
            partial.unlink(missing_ok=True)
            return False
        final = self.final_path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.is_file():
            partial.unlink(missing_ok=True)
        else:
            os.replace(partial, final)
        return True

    def local_path(self, sha: str) -> Path | None:
        return self.final_path(sha)

    def open_final(self, sha: str) -> StoredFile | None:
        try:
            fh = self.final_path(sha).open("rb")
        except FileNotFoundError:
            return None
        size = os.fstat(fh.fileno()).st_size

        def chunks() -> Iterator[bytes]:
            with fh:
                while block := fh.read(READ_BLOCK):
                    yield block

        return StoredFile(size, chunks(), fh.close)

    def remove_partial(self, office_id: str, sha: str) -> None:
        self.partial_path(office_id, sha).unlink(missing_ok=True)

    def remove_final(self, sha: str) -> None:
        self.final_path(sha).unlink(missing_ok=True)
