"""Writing an export file whole or not at all: into a temporary file beside the destination, which replaces the
destination only when everything is written (``os.replace``, atomic on one file system), and is removed otherwise.
A full disk, a pulled USB stick or a crash leave the old file (or none), never half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import LaporError, Message, reason_of


class ExportNotWritten(LaporError):
    """The export file could not be written where asked (a read-only folder, a full disk, the file open in Excel)."""


def cannot_write(path: Path, exc: BaseException) -> ExportNotWritten:
    reason = reason_of(exc)
    return ExportNotWritten(Message(
        f"Berkas ekspor tidak dapat ditulis ke {path} ({reason.id}). Pilih folder lain, periksa izin folder dan "
        "ruang disk, atau tutup berkas itu bila sedang terbuka di program lain (misalnya Excel). Tidak ada berkas "
        "yang ditulis.",
        f"The export could not be written to {path} ({reason.en}). Choose another folder, check the folder's "
        "permissions and free space, or close the file if another program (Excel, say) has it open. No file was "
        "written."))


def _umask() -> int:
    mask = os.umask(0o022)  # read at import, before any thread: os.umask can only be read by setting it
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would have given a new file
PRIVATE_MODE = 0o600


@contextmanager
def whole_file(path: Path, before_release: Callable[[], None] | None = None, *,
               private: bool = False) -> Iterator[Path]:
    """A temporary path in ``path``'s folder to write the export to. On a clean exit the file is flushed to disk,
    ``before_release`` runs (the audit record is written there) and the file takes ``path``'s place; on any error
    it is removed. An OSError becomes :class:`ExportNotWritten`, saying where and why. A ``private`` file (one with
    personal data) is readable by its owner only where the system has such permissions; others get the usual
    ones."""
    if path.is_dir():
        raise cannot_write(path, IsADirectoryError(21, "Is a directory"))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    os.close(fd)
    temp = Path(name)
    try:
        try:
            yield temp
            with open(temp, "rb+") as fh:  # the bytes on disk before the name says the file is there
                os.fsync(fh.fileno())
            os.chmod(temp, PRIVATE_MODE if private else _FILE_MODE)
        except OSError as exc:
            raise cannot_write(path, exc) from exc
        if before_release is not None:
            before_release()
        try:
            os.replace(temp, path)
        except OSError as exc:
            raise cannot_write(path, exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
