"""CLI commands about the store itself: check, backup, restore, lookup, auto-close (seed-demo is the demo
package's, demo.cli)."""

from __future__ import annotations

import argparse
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from app.cli.common import open_for_cli, paths_of
from app.cli.output import Out
from app.errors import LaporError, Message, reason_of
from app.models import AuditRecord, Complaint, Office, TimelineEvent, User
from app.read import queries
from app.reference.labels import label
from app.rules.sla import holiday_horizon, horizon_warning, is_estimate, period_of
from app.store.audit import verify_chain
from app.store.db import backup_name, current_revision, head_revision
from app.store.restore import check_backup_file, restore_database, unsent_in_file, unsent_message
from app.store.rotation import BackupPolicy, back_up_to, daily_backup
from app.timeutil import utcnow, zone

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    """The commands, their help in the language ``t`` picks (Indonesian, English)."""
    p = sub.add_parser("check", help=t("periksa keutuhan basis data, skema, rantai audit, kalender libur dan jumlah "
                                       "data", "check the database's integrity, schema, audit chain, holiday "
                                       "calendar and counts"))
    p.set_defaults(handler=cmd_check)
    p = sub.add_parser("backup", help=t("buat cadangan basis data ke BERKAS atau ke dalam FOLDER/ (aman saat "
                                        "aplikasi berjalan)", "back the database up to FILE or into FOLDER/ (safe "
                                        "while the program runs)"))
    # A str: Path() drops the trailing "/" that says "a folder".
    p.add_argument("file", nargs="?", metavar=t("BERKAS", "FILE"))
    p.add_argument("--rotate", action="store_true", help=t(
        "cadangan harian bergilir (untuk penjadwal tugas): dibuat di folder cadangan (atau FOLDER/), lalu hanya "
        "yang terbaru disimpan: satu per hari untuk --keep-daily hari dan satu per minggu untuk --keep-weekly "
        "minggu; cadangan manual tidak pernah dihapus",
        "a rolling daily backup (for a task scheduler): made in the backup folder (or FOLDER/), then only the "
        "newest are kept: one a day for --keep-daily days and one a week for --keep-weekly weeks; manual backups "
        "are never removed"))
    p.add_argument("--keep-daily", type=int, metavar="N",
                   help=t("berapa cadangan harian disimpan (bawaan: backup.daily di konfigurasi, atau 7)",
                          "how many daily backups to keep (default: backup.daily as configured, else 7)"))
    p.add_argument("--keep-weekly", type=int, metavar="N",
                   help=t("berapa cadangan mingguan disimpan (bawaan: backup.weekly di konfigurasi, atau 4)",
                          "how many weekly backups to keep (default: backup.weekly as configured, else 4)"))
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help=t("pulihkan basis data dari BERKAS cadangan",
                                         "restore the database from a backup FILE"))
    p.add_argument("file", type=Path, metavar=t("BERKAS", "FILE"))
    p.add_argument("--force", action="store_true", help=t(
        "timpa basis data yang ada (disimpan dulu sebagai cadangan), juga bila ada perubahan yang belum terkirim "
        "ke server", "replace the existing database (kept as a backup first), also when it holds changes not yet "
        "sent to the server"))
    p.set_defaults(handler=cmd_restore)
    p = sub.add_parser("lookup", help=t("cari laporan dengan kode pelacakan", "find a complaint by tracking code"))
    p.add_argument("code", metavar=t("KODE", "CODE"))
    p.set_defaults(handler=cmd_lookup)
    p = sub.add_parser("auto-close", help=t("tutup laporan yang masa tanggapan pelapornya habis",
                                            "close complaints whose reporter response window has ended"))
    p.set_defaults(handler=cmd_auto_close)


def cmd_check(args: argparse.Namespace, out: Out) -> int:
    paths, store, _ctx = open_for_cli(args)
    problems = 0
    try:
        with store.engine.connect() as conn:
            result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        ok = result == ["ok"]
        problems += not ok
        out.line(out.t("Keutuhan berkas   : ", "File integrity    : ") + ("ok" if ok else "; ".join(result[:5])))
        rev, head = current_revision(store.engine), head_revision()
        out.line(out.t(f"Skema             : {rev} (terbaru {head})", f"Schema            : {rev} (latest {head})"))
        problems += rev != head
        with store.read() as session:
            chain = verify_chain(session)
            problems += not chain.ok
            status = "ok" if chain.ok else out.t(f"RUSAK mulai catatan #{chain.first_bad_id}",
                                                  f"BROKEN from record #{chain.first_bad_id}")
            out.line(out.t("Rantai audit      : ", "Audit chain       : ") + f"{status} ({chain.records})")
            n = lambda model: session.execute(select(func.count()).select_from(model)).scalar()  # noqa: E731
            out.line(out.t("Laporan           : ", "Complaints        : ") + str(n(Complaint)))
            out.line(out.t("Peristiwa linimasa: ", "Timeline events   : ") + str(n(TimelineEvent)))
            out.line(out.t("Pengguna          : ", "Users             : ") + str(n(User)))
            out.line(out.t("Catatan audit     : ", "Audit records     : ") + str(n(AuditRecord)))
            fts = session.execute(text("SELECT count(*) FROM complaint_search_docs")).scalar()
            out.line(out.t("Indeks pencarian  : ", "Search index      : ") + str(fts))
            horizon = holiday_horizon(session)
        out.line(out.t("Kalender libur    : ", "Holiday calendar  : ") + (
            out.t(f"s.d. {horizon:%d-%m-%Y}", f"until {horizon:%Y-%m-%d}") if horizon else out.t("kosong", "empty")))
        out.line(out.t("Berkas            : ", "File              : ") + str(paths.database))
    finally:
        store.close()
    warning = horizon_warning(horizon, utcnow().date())
    if warning is not None:  # the store is sound; the calendar needs an update
        out.say(f"Peringatan: {warning.id}", f"Warning: {warning.en}")
    out.say("Hasil: baik." if not problems else f"Hasil: {problems} masalah ditemukan.",
            "Result: healthy." if not problems else f"Result: {problems} problem{'s' if problems > 1 else ''} found.")
    return EXIT_OK if not problems else EXIT_PROBLEM


def names_folder(typed: str) -> bool:
    """Whether a typed destination means a folder: it ends in a path separator, or is an existing folder."""
    separators = tuple(sep for sep in (os.sep, os.altsep) if sep)
    return typed.endswith(separators) or Path(typed).is_dir()


def cmd_backup(args: argparse.Namespace, out: Out) -> int:
    if args.rotate:
        return _rolling_backup(args, out)
    if args.file is None:
        out.error(Message("Sebutkan BERKAS atau FOLDER/ tujuan cadangan, atau gunakan --rotate.",
                          "Name the backup's FILE or FOLDER/, or use --rotate."))
        return EXIT_USAGE
    paths, store, _ctx = open_for_cli(args)
    store.close()
    dest = Path(args.file)
    try:
        if names_folder(args.file):  # "backups/": a folder, made if missing, with a new file inside
            dest.mkdir(parents=True, exist_ok=True)
            dest = dest / backup_name("manual")
        back_up_to(paths.database, dest, paths.attachments)  # its attachment files in the pool beside it
    except (OSError, sqlite3.Error) as exc:  # a missing USB drive, a read-only folder, a full disk
        reason = reason_of(exc)
        raise LaporError(Message(
            f"Cadangan tidak dapat ditulis ke {dest} ({reason.id}). Periksa folder tujuan, izinnya dan ruang disk.",
            f"The backup could not be written to {dest} ({reason.en}). Check the destination folder, its "
            "permissions and the free space.")) from exc
    out.say(f"Cadangan dibuat: {dest}", f"Backup written: {dest}")
    return EXIT_OK


def _rolling_backup(args: argparse.Namespace, out: Out) -> int:
    """``backup --rotate``: the day's backup (always: the task scheduler asked for one now), then the rotation."""
    paths, store, _ctx = open_for_cli(args)  # migrated first if due (that backup rotates with the rest)
    store.close()
    if args.file is not None and not names_folder(args.file):
        out.error(Message("Dengan --rotate, tujuan harus sebuah FOLDER/ (akhiri dengan /).",
                          "With --rotate the destination must be a FOLDER/ (end it with /)."))
        return EXIT_USAGE
    folder = Path(args.file) if args.file is not None else paths.backups
    from app.config_layers import backup_policy

    configured = backup_policy(paths)  # lapor-desk.toml, the environment; the options here come first
    policy = BackupPolicy(max(0, configured.daily if args.keep_daily is None else args.keep_daily),
                          max(0, configured.weekly if args.keep_weekly is None else args.keep_weekly))
    result = daily_backup(paths.database, folder, paths.attachments, policy=policy, always=True,
                          migration_folder=paths.backups)
    out.say(f"Cadangan dibuat: {result.made}", f"Backup written: {result.made}")
    count = len(result.removed)
    out.say(f"Cadangan lama dihapus: {count}.", f"Old backups removed: {count}.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: Out) -> int:
    paths = paths_of(args)
    source: Path = args.file.resolve()
    target = paths.database
    check_backup_file(source, paths.backups)
    unsent = unsent_in_file(target)  # None: the database cannot be read (damaged: what it held is kept anyway)
    if target.exists() and not args.force:
        if unsent:
            lost = unsent_message(unsent)
            out.error(Message(
                f"{lost.id} Kirim dulu dengan: lapor-desk sync. Untuk tetap memulihkan, tambahkan --force "
                "(basis data sekarang disimpan dulu di folder cadangan).",
                f"{lost.en} Send them first with: lapor-desk sync. To restore anyway, add --force (the current "
                "database is kept in the backup folder first)."))
            return EXIT_PROBLEM
        out.error(Message(
            f"Basis data sudah ada di {target}. Tambahkan --force untuk menimpanya "
            "(basis data lama disimpan dulu di folder cadangan).",
            f"A database already exists at {target}. Add --force to replace it "
            "(the old one is kept in the backup folder first)."))
        return EXIT_PROBLEM
    restored = restore_database(paths, source)
    if restored.kept is not None:
        out.say(f"Basis data lama disimpan: {restored.kept}", f"Old database kept: {restored.kept}")
        if unsent:
            out.say(f"{unsent} perubahan yang belum terkirim tidak ada di basis data yang dipulihkan; masih ada di "
                    f"{restored.kept}.", f"Changes not yet sent that the restored database lacks: {unsent}; they "
                    f"are still in {restored.kept}.")
    files = restored.attachments
    if files.copied or files.missing:
        out.say(f"Lampiran dipulihkan: {files.copied}; tidak ada di cadangan: {files.missing} (diunduh lagi saat "
                "sinkronisasi).", f"Attachment files restored: {files.copied}; not in the backup: {files.missing} "
                "(downloaded again by the next sync).")
    out.say(f"Dipulihkan dari {source}. Sinkronisasi berikutnya mengambil lagi dari server apa yang sudah dikirim "
            "setelah cadangan ini dibuat.", f"Restored from {source}. The next sync brings back from the server "
            "what was sent after this backup was made.")
    return EXIT_OK


def cmd_lookup(args: argparse.Namespace, out: Out) -> int:
    _paths, store, ctx = open_for_cli(args)
    try:
        with store.read() as session:
            complaint_id = queries.find_by_code(session, args.code)
            c = session.get(Complaint, complaint_id)
            assert c is not None
            out.line(f"{c.tracking_code}  {label_status(c.status, out.lang)}")
            out.line(c.title)
            office = session.get(Office, c.office_id)
            tz_name = office.tz if office else "Asia/Jakarta"
            tz = zone(tz_name)  # times are shown in the office's zone
            out.line(out.t("Diterima: ", "Received: ") + _local_time(c.received_at, tz))
            if c.next_due_at and c.next_due_kind:
                policy, calendar = ctx.rules(session)
                period = period_of(policy, c.next_due_kind, c.classification, c.is_supervisory)
                estimate = out.t(" (perkiraan)", " (estimate)") if is_estimate(c.next_due_at, period, calendar,
                                                                              tz_name) else ""
                out.line(out.t("Tenggat berikutnya: ", "Next deadline: ") + _local_time(c.next_due_at, tz) + estimate)
    finally:
        store.close()
    return EXIT_OK


def _local_time(value: datetime, tz: tzinfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def label_status(status: str, lang: str) -> str:
    from app.domain import Status

    return label(Status(status), lang)


def cmd_auto_close(args: argparse.Namespace, out: Out) -> int:
    from app.services.autoclose import apply_auto_closures

    _paths, store, ctx = open_for_cli(args)
    try:
        closed = apply_auto_closures(ctx)
    finally:
        store.close()
    out.say(f"{len(closed)} laporan ditutup otomatis.", f"{len(closed)} complaints closed automatically.")
    return EXIT_OK
