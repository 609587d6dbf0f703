"""Pack the one-folder build for copying to the PCs: ``python packaging/archive.py dist/lapor-desk`` writes
``dist/lapor-desk-VERSION-linux-x86_64.tar.gz`` on Linux (symbolic links and permissions kept) and
``dist\\lapor-desk-VERSION-windows-x86_64.zip`` on Windows; prints the archive's path and size."""

from __future__ import annotations

import platform
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from app import __version__  # noqa: E402


def archive_name(system: str = sys.platform, machine: str = platform.machine()) -> str:
    arch = {"amd64": "x86_64", "x64": "x86_64"}.get(machine.lower(), machine.lower())
    if system == "win32":
        return f"lapor-desk-{__version__}-windows-{arch}.zip"
    return f"lapor-desk-{__version__}-{'linux' if system.startswith('linux') else system}-{arch}.tar.gz"


def pack(folder: Path) -> Path:
    target = folder.parent / archive_name()
    if target.suffix == ".zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                zf.write(path, path.relative_to(folder.parent))
    else:
        with tarfile.open(target, "w:gz", compresslevel=6) as tf:
            tf.add(folder, arcname=folder.name)  # links stay links (lapor-desk-cli → lapor-desk)
    return target


if __name__ == "__main__":
    made = pack(Path(sys.argv[1] if len(sys.argv) > 1 else "dist/lapor-desk"))
    print(f"{made} ({made.stat().st_size / 1e6:.1f} MB)")
