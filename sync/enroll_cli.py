"""``lapor-desk enroll``: a PC set up with no one at the keyboard (``--non-interactive``), the server, CA bundle,
proxy and office taken from the command line, else the environment, else the machine file lapor-desk.toml.

Its exit codes (:data:`ENROLL_EXIT_CODES`, shown by ``lapor-desk enroll --help`` and in the README) are what IT's
installation scripts test: keep them stable.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from app.cli.common import open_for_cli
from app.cli.output import Out
from app.config_layers import Layer, resolve
from app.errors import LaporError, StoreError
from app.machine_config import CA_BUNDLE, OFFICE, PROXY, SERVER_URL, Value
from sync.enroll import AlreadyEnrolled, WrongOffice, enroll
from sync.session import build_engine
from sync.transport import CertificateProblem, ServerRefused, ServerUnreachable

# The server's answers to a code it will not take (server.auth.WRONG_CODE_ERRORS; a test keeps the two equal).
WRONG_CODE_ERRORS = frozenset({"enrollment_code_invalid", "enrollment_code_used", "enrollment_code_expired"})
EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT, EXIT_STORE = 0, 1, 4, 5
EXIT_UNREACHABLE = 7  # the same as ``lapor-desk sync``'s
EXIT_WRONG_CODE, EXIT_CERTIFICATE, EXIT_ALREADY_ENROLLED, EXIT_FIRST_SYNC_FAILED = 10, 11, 12, 13
ENROLL_EXIT_CODES: tuple[tuple[int, str, str], ...] = (
    (EXIT_OK, "terdaftar (dan sudah sinkron pertama kali, kecuali --no-sync)",
     "enrolled (and synced for the first time, unless --no-sync)"),
    (EXIT_ERROR, "galat lain yang dijelaskan pesannya (mis. jawaban bukan dari server LAPOR, versi terlalu lama)",
     "another error its message explains (e.g. an answer not from the LAPOR server, version too old)"),
    (2, "perintah salah tulis", "wrong usage"),
    (EXIT_BAD_INPUT, "masukan tidak valid: alamat server tidak ada atau salah, kode kosong, berkas CA tidak ada, "
     "proxy salah (juga nilai salah di lapor-desk.toml untuk kunci itu)",
     "bad input: server address missing or wrong, no code, CA file missing, bad proxy (also a bad value in "
     "lapor-desk.toml for those keys)"),
    (EXIT_STORE, "basis data lokal tidak dapat dipakai", "the local database cannot be used"),
    (EXIT_UNREACHABLE, "server tidak dapat dihubungi (jaringan, DNS, proxy); coba lagi nanti, kode tetap berlaku",
     "the server cannot be reached (network, DNS, proxy); try again later, the code stays valid"),
    (EXIT_WRONG_CODE, "kode salah, sudah dipakai atau kedaluwarsa, atau untuk instansi lain dari 'office' di "
     "lapor-desk.toml: minta kode baru", "the code is wrong, used or expired, or for another office than "
     "lapor-desk.toml's 'office': ask for a new code"),
    (EXIT_CERTIFICATE, "sertifikat TLS server tidak dapat diverifikasi: periksa berkas CA (ca_bundle)",
     "the server's TLS certificate cannot be verified: check the CA file (ca_bundle)"),
    (EXIT_ALREADY_ENROLLED, "PC (folder data) ini sudah terdaftar atau sudah berisi data: pakai folder data baru",
     "this PC (data folder) is already enrolled or holds data: use a new data folder"),
    (EXIT_FIRST_SYNC_FAILED, "terdaftar, tetapi sinkronisasi pertama gagal: jalankan lapor-desk sync nanti",
     "enrolled, but the first sync failed: run lapor-desk sync later"),
)


def epilog(width: int = 100) -> str:
    lines = ["Kode keluar (exit codes):"]
    for code, text_id, text_en in ENROLL_EXIT_CODES:
        lines += textwrap.wrap(text_id, width, initial_indent=f"  {code:<2}  ", subsequent_indent="      ",
                               break_on_hyphens=False)
        lines += textwrap.wrap(f"({text_en})", width, initial_indent="      ", subsequent_indent="       ",
                               break_on_hyphens=False)
    return "\n".join(lines)


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    e = sub.add_parser(
        "enroll", help=t("daftarkan PC ini ke server nasional lalu sinkronkan pertama kali",
                         "enrol this PC with the national server, then sync for the first time"),
        description=textwrap.fill(t(
            "Yang tidak diberikan di baris perintah diambil dari variabel lingkungan (LAPOR_DESK_SERVER_URL, …) lalu "
            "dari lapor-desk.toml (lihat: lapor-desk config show).",
            "What the command line does not give comes from the environment (LAPOR_DESK_SERVER_URL, …), then from "
            "lapor-desk.toml (see: lapor-desk config show)."), 100, break_on_hyphens=False),
        epilog=epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("--server", help=t("alamat server, mis. https://lapor.example.go.id (bawaan: server_url di "
                                      "lapor-desk.toml)", "server address, e.g. https://lapor.example.go.id "
                                      "(default: server_url in lapor-desk.toml)"))
    e.add_argument("--code", help=t("kode pendaftaran sekali pakai dari admin nasional",
                                    "one-time enrolment code from the national admin"))
    e.add_argument("--name", help=t("nama PC ini (bawaan: nama host)", "this PC's name (default: the host name)"))
    e.add_argument("--ca-bundle", help=t("berkas CA (PEM) untuk jaringan pemerintah (bawaan: dari lapor-desk.toml)",
                                         "CA file (PEM) for government networks (default: from lapor-desk.toml)"))
    e.add_argument("--proxy", help=t("proxy HTTP(S), mis. http://proxy:8080 (bawaan: dari lapor-desk.toml)",
                                     "HTTP(S) proxy, e.g. http://proxy:8080 (default: from lapor-desk.toml)"))
    e.add_argument("--no-sync", action="store_true", help=t("jangan langsung sinkron", "do not sync right away"))
    e.add_argument("--non-interactive", action="store_true",
                   help=t("jangan pernah bertanya: yang kurang menjadi galat (kode keluar 4); untuk skrip pemasangan",
                          "never ask: anything missing is an error (exit code 4); for installation scripts"))
    e.set_defaults(handler=cmd_enroll)


def cmd_enroll(args: argparse.Namespace, out: Out) -> int:
    given: dict[str, Value | None] = {SERVER_URL.name: args.server, CA_BUNDLE.name: args.ca_bundle,
                                      PROXY.name: args.proxy}
    config = resolve(command_line=given, user={})
    wanted = (SERVER_URL.name, CA_BUNDLE.name, PROXY.name, OFFICE.name)
    wrong = [p for p in config.problems if p.key in wanted]
    if wrong:
        for problem in wrong:
            out.error(problem.text(out.lang))
        out.say("Pendaftaran dihentikan: perbaiki nilai di atas.", "Enrolment stopped: fix the values above.")
        return EXIT_BAD_INPUT
    server_url = config.text(SERVER_URL) or _ask(args, out, out.t("Alamat server: ", "Server address: "))
    code = (args.code or "").strip() or _ask(args, out, out.t("Kode pendaftaran: ", "Enrolment code: "))
    if not server_url:
        out.error(out.t("Alamat server tidak ada (--server, atau server_url di lapor-desk.toml).",
                        "The server address is missing (--server, or server_url in lapor-desk.toml)."))
        return EXIT_BAD_INPUT
    if not code:
        out.error(out.t("Kode pendaftaran tidak ada (--code).", "The enrolment code is missing (--code)."))
        return EXIT_BAD_INPUT
    if server_url != config.text(SERVER_URL) and _bad_url(server_url):  # typed at the prompt
        out.error(out.t("Alamat server harus diawali https:// atau http://.",
                        "The server address must start with https:// or http://."))
        return EXIT_BAD_INPUT
    # Only what the command line gives is kept with the enrolment; the machine file's values keep coming from it.
    keep = [k.name for k in (CA_BUNDLE, PROXY) if config[k].source.layer is Layer.COMMAND_LINE]
    try:
        paths, store, _ctx = open_for_cli(args)
    except StoreError as exc:
        out.error(exc.message)
        return EXIT_STORE
    try:
        try:
            result = enroll(store, paths, server_url=server_url, code=code, device_name=args.name,
                            ca_bundle=config.text(CA_BUNDLE) or None, proxy=config.text(PROXY) or None,
                            expected_office=config.text(OFFICE) or None, keep=keep)
        except LaporError as exc:
            out.error(exc.message)
            return _exit_code(exc)
        out.say(f"PC terdaftar untuk {result.office_name} sebagai perangkat {result.device_no:03d}.",
                f"PC enrolled for {result.office_name} as device {result.device_no:03d}.")
        if result.token_location != "keyring":
            out.say(f"Peringatan: keyring OS tidak tersedia; token disimpan di {result.token_location} "
                    "(hanya dapat dibaca pengguna ini).",
                    f"Warning: no OS keyring; the token is stored in {result.token_location} (this user only).")
        if args.no_sync:
            return EXIT_OK
        try:
            report = build_engine(store, paths).run_once()
        except LaporError as exc:
            out.error(exc.message)
            out.say("PC sudah terdaftar; sinkronisasi pertama gagal. Jalankan 'lapor-desk sync' nanti.",
                    "The PC is enrolled; the first sync failed. Run 'lapor-desk sync' later.")
            return EXIT_FIRST_SYNC_FAILED
        out.say(f"Sinkronisasi pertama: {report.pulled_complaints} laporan diterima.",
                f"First sync: {report.pulled_complaints} complaints received.")
        return EXIT_OK
    finally:
        store.close()


def _exit_code(exc: LaporError) -> int:
    if isinstance(exc, AlreadyEnrolled):
        return EXIT_ALREADY_ENROLLED
    if isinstance(exc, WrongOffice) or (isinstance(exc, ServerRefused) and exc.code in WRONG_CODE_ERRORS):
        return EXIT_WRONG_CODE
    if isinstance(exc, CertificateProblem):
        return EXIT_CERTIFICATE
    if isinstance(exc, ServerUnreachable):
        return EXIT_UNREACHABLE
    if isinstance(exc, StoreError):
        return EXIT_STORE
    return EXIT_ERROR


def _ask(args: argparse.Namespace, out: Out, prompt: str) -> str:
    """What the person types, when one may be asked: never with --non-interactive or without a terminal."""
    if args.non_interactive or not sys.stdin.isatty():
        return ""
    try:
        return input(prompt).strip()
    except EOFError:
        return ""


def _bad_url(text: str) -> bool:
    return SERVER_URL.check is not None and SERVER_URL.check(text) is not None
