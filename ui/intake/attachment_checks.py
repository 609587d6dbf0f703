"""Whether a file may be attached at intake, and if not why, in plain words: a program or script (by its name or
by what it holds), a type the office does not keep, a file that is missing, unreadable, empty or too large. The
type and size rules are the attachment service's (app.rules.records); the service checks them again when it
stores the file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale

from app.rules.records import ALLOWED_EXTENSIONS, MAX_ATTACHMENT_BYTES

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for

# Programs, scripts, installers, shortcuts and macro documents: files that can run something on the PC that opens
# them. Refused with their own reason (not "unsupported type"), so the officer knows why.
DANGEROUS_EXTENSIONS = frozenset({
    ".exe", ".com", ".bat", ".cmd", ".msi", ".msp", ".msix", ".scr", ".pif", ".cpl", ".dll", ".sys", ".drv",
    ".ps1", ".psm1", ".psd1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".jar", ".class", ".sh",
    ".bash", ".zsh", ".py", ".pyw", ".pl", ".rb", ".php", ".lnk", ".url", ".reg", ".inf", ".apk", ".app", ".dmg",
    ".pkg", ".deb", ".rpm", ".appimage", ".run", ".bin", ".elf", ".so", ".gadget", ".application", ".chm",
    ".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".pptm", ".potm", ".ppam", ".sldm", ".iso", ".img", ".vhd",
})
# The first bytes of programs and scripts, whatever the file is called ("surat.pdf" that is really a program).
_PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe",
                  b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"dex\n")


def attachment_problem(path: Path) -> str | None:
    """Why ``path`` cannot be attached (one sentence naming the file), or None when it can."""
    text = _why(path)
    return text.replace("%1", path.name) if text is not None else None


def _why(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if any(s in DANGEROUS_EXTENSIONS for s in suffixes[-2:]):
        return translate("AttachmentCheck", "%1 is refused: programs, scripts and macro documents can harm this PC. "
                                            "Ask for a PDF, a photo or a plain document instead.")
    if path.suffix.lower() not in ALLOWED_EXTENSIONS:
        return translate("AttachmentCheck", "%1 is refused: this type of file is not kept. Use PDF, images (JPG, "
                                            "PNG), Office documents, text, audio or video.")
    try:
        size = path.stat().st_size
        if not path.is_file():
            return translate("AttachmentCheck", "%1 is refused: it is a folder or a device, not a file.")
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        return translate("AttachmentCheck", "%1 is refused: the file is no longer there.")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return translate("AttachmentCheck", "%1 is refused: it cannot be read (%2).").replace("%2", reason)
    if size == 0:
        return translate("AttachmentCheck", "%1 is refused: the file is empty.")
    if size > MAX_ATTACHMENT_BYTES:
        mb = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        return (translate("AttachmentCheck", "%1 is refused: it is too large (%2 MB; at most %3 MB).")
                .replace("%2", QLocale().toString(size / (1024 * 1024), "f", 1)).replace("%3", str(mb)))
    if head.startswith(_PROGRAM_MAGIC):
        return translate("AttachmentCheck", "%1 is refused: despite its name it holds a program or script, which "
                                            "can harm this PC.")
    return None


@dataclass(frozen=True)
class ScannedFile:
    path: Path
    modified: datetime
    size: int


def scanner_files(folder: Path, limit: int = 50) -> tuple[list[ScannedFile], str | None]:
    """(Background thread: a scanner folder may sit on a slow share.) The files in ``folder`` of a type that may
    be attached, newest first, so the page just scanned is at the top; or, when the folder cannot be read, the
    system's reason."""
    try:
        return _listed(folder, limit), None
    except OSError as exc:
        return [], exc.strerror or type(exc).__name__


def _listed(folder: Path, limit: int) -> list[ScannedFile]:
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.is_file() or Path(entry.name).suffix.lower() not in ALLOWED_EXTENSIONS:
                continue
            try:
                stat = entry.stat()
            except OSError:
                continue
            found.append(ScannedFile(Path(entry.path), datetime.fromtimestamp(stat.st_mtime).astimezone(),
                                     stat.st_size))
    found.sort(key=lambda f: f.modified, reverse=True)
    return found[:limit]
