"""``lapor-server``: run the national server and administer it (for the national admin and IT).

Exit codes: 0 ok · 1 refused or failed (the message says why) · 2 usage.
"""

from __future__ import annotations

import argparse
import logging
import logging.config
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from app import __version__
from app.rules.office_contact import ADDRESS_MAX, HOURS_MAX, OfficeContact, display_phone
from app.timeutil import utcnow
from server import admin
from server.db import Database, make_engine, migrate, normalise_url
from server.files import FileStore
from server.files.folder import FolderStore
from server.settings import DEFAULT_HOST, DEFAULT_PORT, Settings, default_data_dir, default_db_url

log = logging.getLogger("lapor.server")

# set-office-contact: the option (and --clear name) of each contact field, and its caption in the output.
CONTACT_FLAGS = {"address": "address", "phone": "phone", "email": "email", "website": "website",
                 "hours": "service_hours"}
CONTACT_CAPTIONS = {"address": "Alamat", "phone": "Telepon", "email": "E-mail", "website": "Situs web",
                    "service_hours": "Jam layanan"}


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=os.environ.get("LAPOR_SERVER_DB", default_db_url()),
                   help="database URL: sqlite:///path or postgresql://user@host/db (default: a SQLite file)")


def _files_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--files", "--blob-dir", dest="files", metavar="URL", default=str(default_data_dir() / "blobs"),
                   help="tempat berkas lampiran: sebuah folder (bawaan: %(default)s) atau s3://BUCKET[/PREFIX] "
                        "(alamat dan kunci dari LAPOR_S3_ENDPOINT, LAPOR_S3_ACCESS_KEY, LAPOR_S3_SECRET_KEY, "
                        "LAPOR_S3_REGION); --blob-dir: nama lamanya")


def _file_store(url: str) -> FileStore | None:
    """The file store ``--files`` names, ready (a folder made, a bucket that answers); else None, having said why."""
    from server.files import FileStoreError, store_from_url

    try:
        files = store_from_url(url, default_data_dir() / "blobs")
        files.prepare()
    except FileStoreError as exc:
        print(f"Galat: {exc.message_id}\nError: {exc.message_en}", file=sys.stderr)
        return None
    log.info("attachment files: %s", files.describe())
    return files


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lapor-server", description="Server nasional LAPOR Desk (sinkronisasi, "
                                "rute nasional, Open311).")
    p.add_argument("--version", action="version", version=f"lapor-server {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="PERINTAH")
    s = sub.add_parser("serve", help="jalankan server")
    _db_arg(s)
    _files_arg(s)
    s.add_argument("--host", default=DEFAULT_HOST)
    s.add_argument("--port", type=int, default=DEFAULT_PORT)
    s.add_argument("--workers", type=int, default=1, help="proses pekerja (untuk PostgreSQL)")
    s.add_argument("--admin-token-file", type=Path, help="berkas berisi token admin nasional")
    s.add_argument("--forwarded-allow-ips", metavar="ADDRESSES",
                   help="alamat penyeimbang beban (nginx) yang X-Forwarded-For-nya dipercaya, dipisah koma (bawaan: "
                        "FORWARDED_ALLOW_IPS atau 127.0.0.1); tanpa ini semua PC terlihat dari satu alamat")
    s.add_argument("--graceful-seconds", type=float, default=GRACEFUL_SECONDS,
                   help="saat dihentikan (SIGTERM), tunggu permintaan yang sedang berjalan selesai paling lama "
                        "sekian detik (bawaan: %(default)s)")
    s.add_argument("--allow-newer-schema", action="store_true",
                   help="mulai juga pada basis data yang dimigrasikan versi lebih baru (saat peningkatan bergilir: "
                        "aman selama migrasi versi itu hanya menambah)")
    s.add_argument("--migrate", action="store_true",
                   help="migrasikan skema sendiri sebelum mulai (hanya untuk server demo satu PC; server nasional: "
                        "lapor-server migrate sekali, lalu serve)")
    s.set_defaults(handler=cmd_serve)
    m = sub.add_parser("migrate", help="terapkan migrasi skema")
    _db_arg(m)
    m.set_defaults(handler=cmd_migrate)
    k = sub.add_parser("kpi-rebuild", help="hitung ulang angka kinerja nasional dari semua laporan "
                       "(setelah aturan tenggat atau hari libur berubah)")
    _db_arg(k)
    k.set_defaults(handler=cmd_kpi_rebuild)
    a = sub.add_parser("admin", help="administrasi: instansi, unit, pengguna, pendaftaran PC")
    asub = a.add_subparsers(dest="admin_command", required=True, metavar="TINDAKAN")

    def admin_cmd(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = asub.add_parser(name, help=help_text)
        _db_arg(cmd)
        return cmd

    c = admin_cmd("create-office", "buat instansi")
    c.add_argument("--region", required=True, help="kode wilayah Kemendagri, mis. 34.04")
    c.add_argument("--name", required=True)
    c.add_argument("--tz", required=True, choices=["WIB", "WITA", "WIT"])
    c.set_defaults(handler=cmd_create_office)
    c = admin_cmd("set-office-contact", "isi atau ubah kontak instansi yang dicetak pada tanda terima")
    c.add_argument("--office", required=True, help="id atau kode wilayah instansi")
    c.add_argument("--address", help=f"alamat kantor (≤ {ADDRESS_MAX} karakter)")
    c.add_argument("--phone", help="telepon, mis. 0274-868405 atau 0812-3456-7890")
    c.add_argument("--email", help="e-mail pengaduan, mis. pengaduan@slemankab.go.id")
    c.add_argument("--website", help="situs web https, mis. https://slemankab.go.id")
    c.add_argument("--hours", help=f"jam layanan, mis. 'Senin–Jumat 08.00–15.00 WIB' (≤ {HOURS_MAX} karakter)")
    c.add_argument("--clear", nargs="+", action="extend", default=[], metavar="FIELD", choices=list(CONTACT_FLAGS),
                   help="kosongkan isian ini: " + ", ".join(CONTACT_FLAGS))
    c.set_defaults(handler=cmd_set_office_contact)
    c = admin_cmd("create-unit", "buat unit kerja")
    c.add_argument("--office", required=True, help="id atau kode wilayah instansi")
    c.add_argument("--name", required=True)
    c.set_defaults(handler=cmd_create_unit)
    c = admin_cmd("create-user", "buat akun")
    c.add_argument("--office", required=True)
    c.add_argument("--username", required=True)
    c.add_argument("--name", required=True)
    c.add_argument("--role", required=True)
    c.add_argument("--unit", help="nama unit (untuk PENGHUBUNG)")
    c.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari stdin; tanpa ini dibuatkan")
    c.set_defaults(handler=cmd_create_user)
    c = admin_cmd("disable-user", "nonaktifkan akun")
    c.add_argument("username")
    c.set_defaults(handler=cmd_disable_user)
    c = admin_cmd("enroll", "buat kode pendaftaran sekali pakai (24 jam) untuk satu PC")
    c.add_argument("--office", required=True)
    c.set_defaults(handler=cmd_enroll)
    c = admin_cmd("revoke-device", "cabut token sebuah PC")
    c.add_argument("device_id")
    c.set_defaults(handler=cmd_revoke)
    c = admin_cmd("create-api-key", "buat kunci API Open311")
    c.add_argument("--name", required=True)
    c.add_argument("--office", help="rute laporan dari kunci ini ke instansi ini")
    c.set_defaults(handler=cmd_api_key)
    c = admin_cmd("import-reference", "impor kategori, kebijakan SLA, hari libur dan cuti bersama")
    c.add_argument("--categories", type=Path, help="JSON daftar kategori (bawaan: kategori bawaan)")
    c.add_argument("--sla-policy", type=Path, help="JSON kebijakan SLA (bawaan: kebijakan bawaan)")
    c.add_argument("--years", default=None, help="tahun hari libur, mis. 2025-2028")
    c.set_defaults(handler=cmd_import_reference)
    c = admin_cmd("purge-uploads", "hapus unggahan berkas yang tidak menjadi lampiran laporan mana pun")
    _files_arg(c)  # the same as serve's
    c.add_argument("--grace-hours", type=int, default=Settings.unreferenced_grace_hours,
                   help="hapus unggahan tanpa lampiran yang lebih tua dari ini (jam; bawaan: %(default)s)")
    c.set_defaults(handler=cmd_purge_uploads)
    c = admin_cmd("rotate-era", "ganti era setelah memulihkan cadangan server")
    c.set_defaults(handler=cmd_rotate_era)
    d = admin_cmd("demo", "isi enam lokasi percontohan dengan unit, pengguna dan beberapa ratus laporan")
    d.add_argument("--complaints", type=int, default=300)
    d.add_argument("--seed", type=int, default=1)
    d.add_argument("--feed", action="store_true",
                   help="selama server berjalan, laporan daring baru terus masuk (umpan demo, kira-kira tiap menit)")
    d.set_defaults(handler=cmd_demo)
    sim = sub.add_parser("simulate-citizens", help="kirim laporan daring realistis ke server yang berjalan")
    sim.add_argument("--url", default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}")
    sim.add_argument("--token", default=os.environ.get("LAPOR_SERVER_ADMIN_TOKEN"), help="token admin nasional")
    sim.add_argument("--rate", type=float, default=1.0, help="laporan per detik")
    sim.add_argument("--duration", type=float, default=10.0, help="lama simulasi (detik)")
    sim.add_argument("--seed", type=int, default=1)
    sim.set_defaults(handler=cmd_simulate)
    return p


def _database(url: str) -> Database:
    engine = make_engine(_with_folder(url))
    migrate(engine)
    return Database(engine)


def _with_folder(url: str) -> str:
    """The URL as the engine takes it, the folder of a SQLite file made if missing."""
    url = normalise_url(url)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return url


# How long an idle connection stays open. uvicorn's 5 s default closes it while a PC on a slow link is still
# applying the page it just received, and the next request then meets a closed socket and has to be retried.
KEEP_ALIVE_SECONDS = 75
# On SIGTERM (a deploy, a host taken out of the pool) requests already in flight get this long to finish: a PC's
# push or a chunk of its upload completes instead of being cut and retried against another host.
GRACEFUL_SECONDS = 30.0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.logs import LOG_CONFIG
    from server.main import ENV_ADMIN_TOKEN, ENV_BLOBS, ENV_DB, ENV_FILES
    from server.schema_check import log_holiday_horizon

    db = _database(args.db) if args.migrate else _database_at_head(args.db, allow_newer=args.allow_newer_schema)
    if db is None:
        return 1
    logging.config.dictConfig(LOG_CONFIG)  # the server's log from its first line (uvicorn applies it again)
    files = _file_store(args.files)
    if files is None:
        db.dispose()
        return 1
    try:
        log_holiday_horizon(db, utcnow().date())
    finally:
        db.dispose()
    from server.demo import start_feed

    start_feed(Database(make_engine(normalise_url(args.db))))  # a demo made with --feed: online complaints keep coming
    os.environ[ENV_DB] = normalise_url(args.db)
    os.environ[ENV_FILES] = args.files
    if isinstance(files, FolderStore):
        os.environ[ENV_BLOBS] = str(files.root)
    if args.admin_token_file:
        os.environ[ENV_ADMIN_TOKEN] = args.admin_token_file.read_text().strip()
    # uvicorn stops gracefully on SIGTERM, then raises the signal again for the handler it found: this one makes
    # that a normal exit (0) rather than death by signal, which supervisors would report as a crash.
    previous = signal.signal(signal.SIGTERM, _stopped)
    metrics_dir = _shared_metrics_dir() if args.workers > 1 else None
    try:
        uvicorn.run("server.main:build", factory=True, host=args.host, port=args.port, workers=args.workers,
                    log_config=LOG_CONFIG, proxy_headers=True, forwarded_allow_ips=args.forwarded_allow_ips,
                    timeout_keep_alive=KEEP_ALIVE_SECONDS,
                    timeout_graceful_shutdown=args.graceful_seconds)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


def _shared_metrics_dir() -> str:
    """A fresh folder where the workers' metrics meet (prometheus-client's multiprocess mode), so /metrics on any
    worker sums them all; set before the workers start, removed when serve ends."""
    from server.metrics import MULTIPROC_ENV

    folder = tempfile.mkdtemp(prefix="lapor-metrics-")
    os.environ[MULTIPROC_ENV] = folder
    return folder


def _stopped(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def _database_at_head(url: str, *, allow_newer: bool = False,
                      then: tuple[str, str] = ("serve", "serve")) -> Database | None:
    from server.schema_check import database_at_head

    return database_at_head(normalise_url(url), allow_newer=allow_newer, then=then)


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring the schema to this version's head and say from where (an IT technician upgrading many hosts reads
    whether this one moved); a schema a newer version made is left alone, with what to do instead."""
    from server.schema_check import is_newer, migrated_message, newer_schema_message, schema_behind

    engine = make_engine(_with_folder(args.db))
    try:
        behind = schema_behind(engine)
        if behind is not None and behind[0] is not None and is_newer(behind[0]):
            print(newer_schema_message(behind[0], behind[1]), file=sys.stderr)
            return 1
        migrate(engine)
    finally:
        engine.dispose()
    print(migrated_message(behind))
    return 0


def cmd_kpi_rebuild(args: argparse.Namespace) -> int:
    from server import kpi_national

    started = time.monotonic()
    with _with_session(args) as session:
        count = kpi_national.rebuild(session)
    print(f"Angka kinerja nasional dihitung ulang dari {count} laporan dalam {time.monotonic() - started:.1f} detik.")
    return 0


class _Refused(Exception):
    """The command did not run; what to do was said already."""


@contextmanager
def _with_session(args: argparse.Namespace) -> Iterator[Session]:
    """One transaction on the database, then its engine closed (no pooled connection left behind). Only on a
    database at this version's schema: an administrative command never migrates (that is ``migrate``'s step, run
    once per upgrade while the hosts of the version before may still be serving); it says so instead."""
    db = _database_at_head(args.db, then=("ulangi perintah ini", "run this command again"))
    if db is None:
        raise _Refused
    try:
        with db.transaction() as session:
            yield session
    finally:
        db.dispose()


def cmd_create_office(args: argparse.Namespace) -> int:
    with _with_session(args) as s:
        office = admin.create_office(s, region_code=args.region, name=args.name, tz=args.tz)
        print(office.id)
    return 0


def cmd_set_office_contact(args: argparse.Namespace) -> int:
    values = {field: getattr(args, flag) for flag, field in CONTACT_FLAGS.items() if getattr(args, flag) is not None}
    clear = {CONTACT_FLAGS[flag] for flag in args.clear}
    if not values and not clear:
        print("Galat: tidak ada yang diubah; berikan --address, --phone, --email, --website, --hours atau --clear.\n"
              "Error: nothing to change; give --address, --phone, --email, --website, --hours or --clear.",
              file=sys.stderr)
        return 2
    flag_of = {field: flag for flag, field in CONTACT_FLAGS.items()}
    try:
        with _with_session(args) as s:
            office = admin.find_office(s, args.office)
            change = admin.set_office_contact(s, office, values=values, clear=clear)
            name = office.name
    except admin.ContactInvalid as exc:
        lines = ["Galat: kontak instansi tidak disimpan (tidak ada yang diubah). Perbaiki:",
                 "Error: the office's contact was not saved (nothing changed). Fix:"]
        for field, message in exc.problems.items():
            lines += [f"  --{flag_of[field]}: {message.id}", f"  {' ' * (len(flag_of[field]) + 4)}{message.en}"]
        print("\n".join(lines), file=sys.stderr)
        return 1
    if change.changed:
        print(f"Kontak {name} disimpan; PC instansi menerimanya pada sinkronisasi berikutnya "
              f"(data referensi versi {change.reference_version}).")
    else:
        print(f"Kontak {name} sudah seperti itu; tidak ada yang diubah.")
    print(_contact_text(change.contact))
    return 0


def _contact_text(contact: OfficeContact) -> str:
    lines = []
    for field, caption in CONTACT_CAPTIONS.items():
        value = getattr(contact, field)
        shown = f"{display_phone(value)} · {value}" if field == "phone" and value else value
        lines.append(f"  {caption + ':':<13}{shown or '-'}")
    return "\n".join(lines)


def cmd_create_unit(args: argparse.Namespace) -> int:
    with _with_session(args) as s:
        unit = admin.create_unit(s, admin.find_office(s, args.office), args.name, utcnow())
        print(unit.id)
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from app.security import generate_password
    from server.models import Unit

    generated = not args.password_stdin
    password = generate_password() if generated else sys.stdin.readline().rstrip("\n")
    with _with_session(args) as s:
        office = admin.find_office(s, args.office)
        unit = None
        if args.unit:
            unit = s.execute(select(Unit).where(Unit.office_id == office.id, Unit.name == args.unit)).scalar()
            if unit is None:
                raise admin.AdminError(f"Unit '{args.unit}' tidak ada di {office.name}.")
        user = admin.create_user(s, office=office, username=args.username, full_name=args.name, role=args.role,
                                 password=password, unit=unit, now=utcnow())
        print(user.id)
    if generated:
        print(f"Kata sandi awal: {password}")
    return 0


def cmd_disable_user(args: argparse.Namespace) -> int:
    with _with_session(args) as s:
        admin.set_user_active(s, args.username, False, utcnow())
    print(f"Pengguna {args.username} dinonaktifkan.")
    return 0


def cmd_enroll(args: argparse.Namespace) -> int:
    with _with_session(args) as s:
        office = admin.find_office(s, args.office)
        code = admin.issue_enrollment_code(s, office, utcnow())
    print(code)
    print(f"Kode sekali pakai untuk satu PC {office.name}, berlaku 24 jam.", file=sys.stderr)
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    with _with_session(args) as s:
        admin.revoke_device(s, args.device_id, utcnow())
    print(f"Perangkat {args.device_id} dicabut.")
    return 0


def cmd_api_key(args: argparse.Namespace) -> int:
    with _with_session(args) as s:
        office = admin.find_office(s, args.office) if args.office else None
        print(admin.create_api_key(s, args.name, office, utcnow()))
    return 0


def cmd_import_reference(args: argparse.Namespace) -> int:
    this_year = utcnow().year
    years = range(this_year - 1, this_year + 3)
    if args.years:
        first, _, last = args.years.partition("-")
        years = range(int(first), int(last or first) + 1)
    with _with_session(args) as s:
        report = admin.import_reference(
            s, categories_json=args.categories.read_text() if args.categories else None,
            policy_json=args.sla_policy.read_text() if args.sla_policy else None, holiday_years=years)
    print(f"Kategori baru: {report.categories}; hari libur baru: {report.holidays}; kebijakan SLA diperbarui.")
    return 0


def cmd_purge_uploads(args: argparse.Namespace) -> int:
    from server.blob_access import purge_unreferenced, remove_files

    files = _file_store(args.files)
    if files is None:
        return 1
    with _with_session(args) as s:
        purged = purge_unreferenced(s, utcnow(), timedelta(hours=args.grace_hours))
    remove_files(files, purged.files)
    print(f"Unggahan tanpa lampiran dilupakan: {purged.uploads}; berkas dihapus: {len(purged.files)}.")
    return 0


def cmd_rotate_era(args: argparse.Namespace) -> int:
    from server.state import rotate_era

    with _with_session(args) as s:
        era = rotate_era(s)
    print(f"Era baru: {era}. PC akan mengirim ulang perubahannya dan mengunduh ulang data.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from server.demo import seed_server_demo

    db = _database(args.db)
    report = seed_server_demo(db, complaints=args.complaints, seed=args.seed, feed=args.feed)
    print(report)
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from server.simulate import simulate_citizens

    if not args.token:
        print("Galat: token admin nasional diperlukan (--token atau $LAPOR_SERVER_ADMIN_TOKEN).", file=sys.stderr)
        return 1
    sent, failed = simulate_citizens(args.url, args.token, rate=args.rate, duration=args.duration, seed=args.seed)
    print(f"Terkirim {sent} laporan, gagal {failed}.")
    return 0 if not failed else 1


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except _Refused:
        return 1
    except admin.AdminError as exc:
        print(f"Galat: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"Galat: {exc}", file=sys.stderr)
        return 1


def main() -> None:
    sys.exit(run())
