"""What the store's errors tell a person: what was found, in both languages, and the command or setting that
fixes it — for a damaged store, the ``lapor-desk restore`` line that works for this data folder as printed."""

from __future__ import annotations

import errno
import os
import shlex
import subprocess
from pathlib import Path

from app.config import platform_data_dir
from app.errors import Message, reason_of

REPLACED_BY_RESTORE = "replaced-by-restore"


def latest_backup(backup_dir: Path) -> Path | None:
    """The newest backup to suggest restoring. Copies that ``restore`` kept of the database it replaced are
    left out: that database was often the damaged one."""
    if not backup_dir.is_dir():
        return None
    files = sorted((p for p in backup_dir.glob("*.sqlite3") if REPLACED_BY_RESTORE not in p.name),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    return files[0] if files else None


def shell_command(args: list[str]) -> str:
    """``args`` as one line to paste into this system's shell (cmd.exe quotes with "…", POSIX shells with '…')."""
    return subprocess.list2cmdline(args) if os.name == "nt" else shlex.join(args)


def restore_command(backup: Path | str, backup_dir: Path) -> str:
    """The ``lapor-desk restore`` line that puts ``backup`` (a file, or a placeholder such as "FILE") back into the
    data folder whose backup folder is ``backup_dir`` (DATA/backups, app.config.Paths): with ``--data-dir`` unless
    that is the default folder, which is where the command, run as printed, would otherwise restore."""
    data_dir = backup_dir.parent
    where = [] if data_dir.resolve() == platform_data_dir().resolve() else ["--data-dir", str(data_dir)]
    return shell_command(["lapor-desk", *where, "restore", str(backup), "--force"])


def restore_hint(backup_dir: Path) -> Message:
    latest = latest_backup(backup_dir)
    if latest is None:
        id_command, en_command = restore_command("BERKAS", backup_dir), restore_command("FILE", backup_dir)
        return Message(f"Tidak ada cadangan di {backup_dir}; pulihkan cadangan dari tempat lain (misalnya diska "
                       f"USB) dengan: {id_command}",
                       f"There is no backup in {backup_dir}; restore one kept elsewhere (a USB drive, for example) "
                       f"with: {en_command}")
    command = restore_command(latest, backup_dir)
    return Message(f"Pulihkan cadangan terbaru dengan: {command}", f"Restore the latest backup with: {command}")


def corrupt_message(path: Path, backup_dir: Path, detail: Message | str) -> Message:
    """A damaged store: what was found (``detail``: ours in both languages, or SQLite's own words, which IT can
    look up) and the command that restores the latest backup."""
    found = detail if isinstance(detail, Message) else Message(f"SQLite: {detail}", f"SQLite: {detail}")
    hint = restore_hint(backup_dir)
    return Message(
        f"Basis data tidak dapat dibaca ({found.id}): {path}. Berkas ini tidak diubah. {hint.id}",
        f"The database cannot be read ({found.en}): {path}. The file was left untouched. {hint.en}",
    )


def empty_file_message(path: Path, backup_dir: Path) -> Message:
    hint = restore_hint(backup_dir)
    return Message(
        f"Berkas basis data kosong (0 bita): {path}. Ini tanda kerusakan, misalnya penyalinan yang terputus atau "
        f"disk yang penuh, bukan basis data baru; berkas ini tidak diubah. {hint.id}",
        f"The database file is empty (0 bytes): {path}. That is damage, for example an interrupted copy or a full "
        f"disk, not a new database; the file was left untouched. {hint.en}",
    )


def unusable_message(path: Path, detail: str) -> Message:
    """A store that is sound but cannot be used now; ``detail`` is SQLite's own words."""
    return Message(
        f"Basis data tidak dapat dipakai saat ini (SQLite: {detail}): {path}. Berkas ini tidak diubah. "
        "Pastikan LAPOR Desk tidak berjalan dua kali dan disk tidak penuh, lalu coba lagi.",
        f"The database cannot be used right now (SQLite: {detail}): {path}. The file was left untouched. Make sure "
        "LAPOR Desk is not running twice and the disk is not full, then try again.",
    )


def _write_fix(target: Path, *, folder: bool) -> Message:
    if os.name == "nt":
        if folder:
            return Message("Beri akun Windows ini izin Modify pada folder itu (klik kanan → Properties → Security).",
                           "Give this Windows account the Modify permission on that folder (right-click → "
                           "Properties → Security).")
        return Message("Klik kanan berkas → Properties → hapus centang Read-only, dan pastikan akun ini punya izin "
                       "Modify (tab Security).",
                       "Right-click the file → Properties → clear Read-only, and make sure this account has the "
                       "Modify permission (Security tab).")
    command = shell_command(["chmod", "u+w", str(target)])
    return Message(f"Beri izin menulis, misalnya: {command} (atau minta petugas TI bila berkas milik akun lain).",
                   f"Give write permission, for example: {command} (or ask IT if another account owns it).")


def not_writable_message(target: Path, exc: OSError, *, folder: bool) -> Message:
    """The store cannot be written because of ``target`` (the file, its -wal/-shm, or the folder)."""
    reason = reason_of(exc)
    if exc.errno == errno.EROFS:
        fix = Message("Salin folder data ke disk yang dapat ditulisi lalu pakai --data-dir FOLDER.",
                      "Copy the data folder to a writable disk and use --data-dir FOLDER.")
    else:
        fix = _write_fix(target, folder=folder)
    if folder:
        return Message(
            f"Folder data tidak dapat ditulisi ({reason.id}): {target}. LAPOR Desk menyimpan basis data dan "
            f"berkas pendampingnya (-wal, -shm) di folder ini; tidak ada yang diubah. {fix.id}",
            f"The data folder cannot be written ({reason.en}): {target}. LAPOR Desk keeps the database and its "
            f"companion files (-wal, -shm) in this folder; nothing was changed. {fix.en}",
        )
    return Message(
        f"Berkas basis data tidak dapat ditulisi ({reason.id}): {target}. LAPOR Desk harus dapat menulis ke berkas "
        f"ini; tidak ada yang diubah. {fix.id}",
        f"The database file cannot be written ({reason.en}): {target}. LAPOR Desk must be able to write to it; "
        f"nothing was changed. {fix.en}",
    )


def folder_not_created_message(folder: Path, exc: OSError) -> Message:
    reason = reason_of(exc)
    return Message(
        f"Folder data tidak dapat dibuat ({reason.id}): {folder}. Buat folder itu dengan izin menulis untuk akun ini, "
        "atau pilih folder lain dengan --data-dir.",
        f"The data folder cannot be created ({reason.en}): {folder}. Create it with write permission for this "
        "account, or choose another folder with --data-dir.")
