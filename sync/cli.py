"""``lapor-desk enroll`` and ``lapor-desk sync`` (for IT and for Task Scheduler / cron).

``sync`` exits with the codes in :data:`SYNC_EXIT_CODES` (shown by ``lapor-desk sync --help``), which IT scripts
rely on: keep them stable.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable
from typing import Any

from app.cli.common import open_for_cli, paths_of
from app.cli.output import Out
from app.services.refusals import RefusedIntake, refused_intakes, sent_again
from app.store.db import Store
from sync.session import build_engine
from sync.state import read_status
from sync.transport import ServerUnreachable

EXIT_UNREACHABLE = 7
EXIT_REJECTED = 8
EXIT_REFUSED_INTAKE = 9
# Every code ``sync`` can end with: its own and the ones every lapor-desk command shares (app/cli/__init__.py).
SYNC_EXIT_CODES: tuple[tuple[int, str, str], ...] = (
    (0, "berhasil; konflik yang menunggu di antrean tinjauan bukan galat (lihat --status)",
     "ok; conflicts waiting in the review queue are not an error (see --status)"),
    (1, "galat yang dijelaskan pesannya: PC belum terdaftar, token perangkat hilang atau dicabut (daftar ulang), "
        "sertifikat TLS, versi terlalu lama, antrean tidak cocok dengan server (hubungi TI)",
     "an error its message explains: not enrolled, device token missing or revoked (enrol again), TLS "
     "certificate, version too old, queue does not match the server's (contact IT)"),
    (2, "perintah salah tulis", "wrong usage"),
    (5, "basis data lokal tidak dapat dipakai", "the local database cannot be used"),
    (EXIT_UNREACHABLE, "server tidak dapat dihubungi; coba lagi nanti, tidak ada yang hilang",
     "the server cannot be reached; try again later, nothing is lost"),
    (EXIT_REJECTED, "sebagian perubahan ditolak server (alasannya dicetak); sisanya sudah terkirim",
     "some changes were refused by the server (reasons printed); the rest went through"),
    (EXIT_REFUSED_INTAKE, "laporan warga ditolak server dan hanya ada di PC ini (kode pelacakan dan alasannya "
     "dicetak): perbaiki lalu kirim ulang, atau tarik, di jendela LAPOR Desk; juga dengan --status",
     "a citizen's complaint was refused by the server and exists only on this PC (tracking code and reason "
     "printed): fix and resend it, or withdraw it, in the LAPOR Desk window; also with --status"),
)


def sync_epilog(width: int = 100) -> str:
    lines = ["Kode keluar (exit codes):"]
    for code, text_id, text_en in SYNC_EXIT_CODES:
        lines += textwrap.wrap(text_id, width, initial_indent=f"  {code}  ", subsequent_indent="     ")
        lines += textwrap.wrap(f"({text_en})", width, initial_indent="     ", subsequent_indent="      ")
    lines += ["", f"Dengan --status: 0 bila basis data dapat dibaca, {EXIT_REFUSED_INTAKE} bila ada laporan yang "
              f"ditolak server (with --status: 0 when the database opens, {EXIT_REFUSED_INTAKE} when complaints "
              "refused by the server wait)."]
    return "\n".join(lines)


def register(sub: Any, t: Callable[[str, str], str] = lambda id_text, _en: id_text) -> None:
    """The ``enroll`` and ``sync`` commands, their help in the language ``t`` picks (Indonesian, English)."""
    from sync import enroll_cli

    enroll_cli.register(sub, t)
    s = sub.add_parser("sync", help=t("sinkronkan sekali dengan server (untuk penjadwal tugas)",
                                      "sync once with the server (for the task scheduler)"),
                       description=t("Kirim perubahan PC ini, unggah berkas, terima perubahan instansi dari server "
                                     "nasional, sekali, lalu keluar.",
                                     "Send this PC's changes, upload files, receive the office's changes from the "
                                     "national server, once, then exit."),
                       epilog=sync_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("--status", action="store_true", help=t("tampilkan status saja: antrean, konflik, terakhir",
                                                           "show the status only: queue, conflicts, last sync"))
    s.set_defaults(handler=cmd_sync)
    from sync import diagnose_cmd

    diagnose_cmd.register(sub, t)


def cmd_sync(args: argparse.Namespace, out: Out) -> int:
    paths, store, _ctx = open_for_cli(args)
    try:
        if args.status:
            with store.read() as session:
                st = read_status(session)
            out.line(out.t("Terdaftar        : ", "Enrolled         : ") + (out.t("ya", "yes") if st.enrolled
                                                                          else out.t("tidak", "no")))
            out.line(out.t("Server           : ", "Server           : ") + (st.server_url or "-"))
            out.line(out.t("Menunggu dikirim : ", "Pending changes  : ") + str(st.pending))
            out.line(out.t("Konflik terbuka  : ", "Open conflicts   : ") + str(st.open_conflicts))
            out.line(out.t("Terakhir berhasil: ", "Last success     : ") +
                     (st.last_success.isoformat(timespec="seconds") if st.last_success else "-"))
            # A store from before the English copy was kept shows the Indonesian one in both languages.
            out.line(out.t("Galat terakhir   : ", "Last error       : ")
                     + (out.t(st.last_error or "", st.last_error_en or st.last_error or "") or "-"))
            out.line(out.t("Ditolak server   : ", "Refused by server: ") + str(st.refused_intakes))
            if st.clock_skew_seconds is not None and abs(st.clock_skew_seconds) > 300:
                amount_id, amount_en = _duration(abs(st.clock_skew_seconds))
                behind = st.clock_skew_seconds > 0  # the server's time minus this PC's
                out.say(f"Peringatan: jam PC ini {'tertinggal' if behind else 'lebih cepat'} {amount_id} dari "
                        "server. Perbaiki jam PC ini; sinkronisasi tetap berjalan.",
                        f"Warning: this PC's clock is {amount_en} {'behind' if behind else 'ahead of'} the "
                        "server. Fix this PC's clock; sync still works.")
            return _report_refused_intakes(store, out)
        try:
            report = build_engine(store, paths).run_once()
        except ServerUnreachable as exc:
            out.error(exc.message)
            return EXIT_UNREACHABLE
        out.say(f"Terkirim {report.pushed} perubahan ({report.applied} diterapkan, {report.merged} digabung, "
                f"{report.conflicts} konflik, {len(report.rejected)} ditolak); diterima {report.pulled_complaints} "
                f"laporan dan {report.pulled_events} peristiwa; {report.uploaded} berkas diunggah, "
                f"{report.downloaded} diunduh.",
                f"Sent {report.pushed} changes ({report.applied} applied, {report.merged} merged, "
                f"{report.conflicts} conflicts, {len(report.rejected)} rejected); received "
                f"{report.pulled_complaints} complaints and {report.pulled_events} events; {report.uploaded} files "
                f"uploaded, {report.downloaded} downloaded.")
        with store.read() as session:
            resent = sent_again(session, [(r.seq, r.entity_id) for r in report.rejected])
        for rejected in report.rejected:
            out.line(f"  - #{rejected.seq} {rejected.code}: {rejected.message}")
            if rejected.seq in resent:
                out.say("    (laporan ini ditolak lalu dikirim ulang; perubahan ini ikut terkirim bersamanya)",
                        "    (this complaint was refused, then sent again; this change went with it)")
        if _report_refused_intakes(store, out):
            return EXIT_REFUSED_INTAKE
        return EXIT_REJECTED if any(r.seq not in resent for r in report.rejected) else 0
    finally:
        store.close()


def _report_refused_intakes(store: Store, out: Out) -> int:
    """Say which complaints the server refused to take in (they exist only on this PC) and what to do; the exit
    code: :data:`EXIT_REFUSED_INTAKE` when there are any, else 0."""
    with store.read() as session:
        refused: list[RefusedIntake] = refused_intakes(session)
    if not refused:
        return 0
    out.say(f"{len(refused)} laporan warga ditolak server dan hanya ada di PC ini. Perbaiki lalu kirim ulang, atau "
            "tarik, di jendela LAPOR Desk (bilah status: laporan ditolak server):",
            (f"{len(refused)} citizen complaints refused by the server exist" if len(refused) > 1 else
             "1 citizen complaint refused by the server exists") + " only on this PC. Fix and resend, or withdraw, "
            "in the LAPOR Desk window (status bar: complaints refused by the server):")
    for r in refused:
        out.line(f"  - {r.tracking_code} ({r.code}): {r.message}")
    return EXIT_REFUSED_INTAKE


def _duration(seconds: float) -> tuple[str, str]:
    """A clock difference in the unit a person reads at a glance: days, hours or minutes."""
    if seconds >= 86400:
        n = round(seconds / 86400)
        return f"{n} hari", f"{n} day{'s' if n != 1 else ''}"
    if seconds >= 3600:
        n = round(seconds / 3600)
        return f"{n} jam", f"{n} hour{'s' if n != 1 else ''}"
    n = round(seconds / 60)
    return f"{n} menit", f"{n} minute{'s' if n != 1 else ''}"


__all__ = ["paths_of", "register"]
