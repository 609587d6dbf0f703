"""The backups part of ``lapor-desk diagnose``: how many there are, how old the newest is, and a restore staged in the
window that waits for the next start. The window backs up into the folder chosen in its settings, else into the
data folder's ``backups/`` (ui.application.backup_folder); both are looked at."""

from __future__ import annotations

import configparser
from datetime import datetime, timedelta
from pathlib import Path

from app.config import Paths
from app.errors import Message
from app.store.restore import BackupFile, list_backups, pending_restore
from sync.diagnose import Finding, Level

STALE_BACKUP = timedelta(days=2)  # the window makes one a day while it runs


def chosen_backup_folder(data_dir: Path) -> Path | None:
    """The folder chosen in the window's settings (settings.ini ``[backup] folder``), if any."""
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read(data_dir / "settings.ini", encoding="utf-8")
        chosen = parser.get("backup", "folder", fallback="").strip().strip('"')
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None
    return Path(chosen).expanduser() if chosen else None


def backups_finding(paths: Paths, now: datetime) -> Finding:
    folders = [paths.backups]
    chosen = chosen_backup_folder(paths.data_dir)
    if chosen is not None and chosen != paths.backups:
        folders.insert(0, chosen)
    found: list[BackupFile] = sorted((b for folder in folders for b in list_backups(folder)),
                                     key=lambda b: b.made_at, reverse=True)
    staged = pending_restore(paths)
    facts = {"folders": [str(f) for f in folders], "count": len(found),
             "newest": found[0].made_at.isoformat(timespec="seconds") if found else None,
             "newest_reason": found[0].reason if found else None, "restore_staged": staged}
    if staged:
        return Finding("backups", Level.WARN,
                       Message(f"Pemulihan cadangan {staged} menunggu: dilakukan saat LAPOR Desk dimulai berikutnya.",
                               f"A restore of {staged} is staged: it is done when LAPOR Desk starts next."),
                       Message("Tutup lalu buka LAPOR Desk untuk menyelesaikannya, atau batalkan di Administrasi ▸ "
                               "Cadangan.", "Close and open LAPOR Desk to finish it, or cancel it in "
                               "Administration ▸ Backups."), facts)
    where = ", ".join(str(f) for f in folders)
    fix = Message(f"Buka LAPOR Desk (cadangan harian dibuat sendiri) atau jalankan: lapor-desk backup {folders[0]}/",
                  f"Open LAPOR Desk (it makes the daily backup by itself) or run: lapor-desk backup {folders[0]}/")
    if not found:
        return Finding("backups", Level.WARN, Message(f"Belum ada cadangan di {where}", f"No backup yet in {where}"),
                       fix, facts)
    newest = found[0]
    when = newest.made_at.isoformat(timespec="minutes")
    what = Message(f"Cadangan: {len(found)} di {where}; terbaru {when} ({newest.reason or 'manual'})",
                   f"Backups: {len(found)} in {where}; newest {when} ({newest.reason or 'manual'})")
    if now - newest.made_at > STALE_BACKUP:
        return Finding("backups", Level.WARN, what, fix, facts)
    return Finding("backups", Level.OK, what, facts=facts)
