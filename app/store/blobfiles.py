"""Files being written into the attachment folder (a copy at attach time, a download by sync): each is written under
a partial name, held locked by its writer, and renamed whole to its SHA-256 name; a partial left by a killed process
is removed by :func:`remove_stale_partials`, and never taken for an attachment's bytes (:func:`stored_blobs`)."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from contextlib import suppress
from pathlib import Path
from types import TracebackType

PARTIAL_PREFIX = ".incoming-"
_PARTIAL_PREFIXES = (PARTIAL_PREFIX, ".download-")  # .download-: sync's partials before they shared the prefix
_SHA256 = re.compile(r"[0-9a-f]{64}")
_WINDOWS = sys.platform == "win32"

if _WINDOWS:
    def _try_lock(fd: int) -> bool:
        return True  # Windows deletes no file that a process holds open: the open handle is the lock

    def _remove_unheld(path: Path) -> bool:
        try:
            path.unlink()
        except PermissionError:
            return False  # its writer holds it open
        return True
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        """An exclusive lock, held until the descriptor closes; the kernel drops it when the process dies."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _remove_unheld(path: Path) -> bool:
        fd = os.open(path, os.O_RDONLY)
        try:
            if not _try_lock(fd):
                return False  # its writer is alive
            path.unlink()
            return True
        finally:
            os.close(fd)


def _still_named(fd: int, name: str) -> bool:
    try:
        return os.path.samestat(os.stat(name), os.fstat(fd))
    except FileNotFoundError:
        return False


class PartialFile:
    """A new partial file in ``folder``, locked while open. :meth:`commit` gives it its final name (whole bytes or
    nothing under that name); leaving the ``with`` block without a commit removes it."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        while True:
            fd, name = tempfile.mkstemp(dir=folder, prefix=PARTIAL_PREFIX)
            if _try_lock(fd) and _still_named(fd, name):
                break
            os.close(fd)  # a cleanup took it between its creation and the lock: make another
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")
        self._committed = False

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def commit(self, target: Path) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        if _WINDOWS:
            self._file.close()  # Windows renames no open file
        os.replace(self.path, target)  # elsewhere still locked, so a cleanup never races the rename
        self._committed = True
        self._file.close()

    def __enter__(self) -> PartialFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self._committed:
            if _WINDOWS:
                self._file.close()
            with suppress(FileNotFoundError):
                self.path.unlink()
        self._file.close()


def _partials(blob_dir: Path) -> list[Path]:
    """Partial files in the folder and its two-character shards."""
    found: list[Path] = []
    for folder in (blob_dir, *(p for p in blob_dir.glob("??") if p.is_dir())):
        with suppress(FileNotFoundError):
            found += [Path(e.path) for e in os.scandir(folder) if e.name.startswith(_PARTIAL_PREFIXES)]
    return found


def remove_stale_partials(blob_dir: Path) -> int:
    """Remove the partial files no live process is writing (left by a kill or a power cut). Returns how many."""
    removed = 0
    for path in _partials(blob_dir):
        try:
            removed += _remove_unheld(path)
        except OSError:
            continue  # committed or removed meanwhile; a leftover never stops the caller
    return removed


def stored_blobs(blob_dir: Path) -> set[str]:
    """The SHA-256 of every whole file in the folder (partial files are not attachments' bytes)."""
    return {p.name for p in blob_dir.glob("??/*") if _SHA256.fullmatch(p.name) and p.name[:2] == p.parent.name
            and p.is_file()}
