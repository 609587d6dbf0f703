"""The sync half of ``lapor-desk diagnose`` that needs no network: enrolment, where the device token is kept,
what waits to be sent or decided, and the last sync as the database remembers it."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any

from app.config import Paths
from app.errors import Message
from sync import state
from sync.credentials import TokenStore
from sync.diagnose import Finding, Level, LocalState

STALE_SYNC = timedelta(days=1)  # changes waiting longer than this are worth IT's look


def sync_findings(local: LocalState, paths: Paths, now: datetime) -> list[Finding]:
    st = local.status
    facts: dict[str, Any] = {"enrolled": st.enrolled, "server_url": st.server_url, "device_id": local.device_id,
                             "office_id": local.office_id, "demo": local.demo}
    if not st.enrolled:
        what = Message("PC ini belum terdaftar ke server nasional" + (" (data demo)." if local.demo else "."),
                       "This PC is not enrolled with the national server" + (" (demo data)." if local.demo else "."))
        return [Finding("sync.enrolment", Level.WARN, what,
                        Message("Daftarkan dengan kode dari admin nasional: lapor-desk enroll --server URL --code KODE",
                                "Enrol with the code from the national admin: lapor-desk enroll --server URL "
                                "--code CODE"), facts)]
    found = [Finding("sync.enrolment", Level.OK,
                     Message(f"Terdaftar ke {st.server_url} (instansi {local.office_id}, perangkat {local.device_id})",
                             f"Enrolled with {st.server_url} (office {local.office_id}, device {local.device_id})"),
                     facts=facts), token_finding(paths, local.client_id)]
    found.append(queue_finding(st, now))
    found.append(last_sync_finding(st, now))
    return found


def token_finding(paths: Paths, client_id: str | None) -> Finding:
    """Where the device token is kept, never the token itself."""
    tokens = TokenStore(paths.data_dir, client_id or "")
    enrol_again = Message("Daftarkan ulang PC ini: lapor-desk enroll --server URL --code KODE (kode baru dari admin "
                          "nasional).", "Enrol this PC again: lapor-desk enroll --server URL --code CODE (a new code "
                          "from the national admin).")
    if not tokens.load():
        return Finding("sync.token", Level.FAIL, Message("Token perangkat tidak ditemukan (keyring maupun berkas).",
                                                         "The device token is missing (neither keyring nor file)."),
                       enrol_again, {"location": None})
    if not tokens.fallback_path.is_file():
        return Finding("sync.token", Level.OK, Message("Token perangkat tersimpan di keyring OS",
                                                       "Device token kept in the OS keyring"),
                       facts={"location": "keyring"})
    where = str(tokens.fallback_path)
    if os.name != "nt" and tokens.fallback_path.stat().st_mode & 0o077:
        return Finding("sync.token", Level.WARN,
                       Message(f"Berkas token perangkat dapat dibaca akun lain: {where}",
                               f"The device token file is readable by other accounts: {where}"),
                       Message(f"chmod 600 {where}", f"chmod 600 {where}"), {"location": "file"})
    return Finding("sync.token", Level.OK,
                   Message(f"Token perangkat tersimpan di berkas pribadi {where} (tidak ada keyring OS)",
                           f"Device token kept in the private file {where} (no OS keyring)"),
                   facts={"location": "file"})


def queue_finding(st: state.SyncStatus, now: datetime) -> Finding:
    facts = {"pending": st.pending, "open_conflicts": st.open_conflicts, "refused_intakes": st.refused_intakes}
    what = Message(f"Menunggu dikirim: {st.pending} perubahan; konflik terbuka: {st.open_conflicts}; laporan "
                   f"ditolak server: {st.refused_intakes}",
                   f"Waiting to be sent: {st.pending} changes; open conflicts: {st.open_conflicts}; complaints "
                   f"refused by the server: {st.refused_intakes}")
    stale = st.pending > 0 and (st.last_success is None or now - st.last_success > STALE_SYNC)
    if st.refused_intakes or st.open_conflicts or stale:
        return Finding("sync.queue", Level.WARN, what,
                       Message("Konflik dan laporan yang ditolak diselesaikan petugas di jendela LAPOR Desk (halaman "
                               "Konflik sinkronisasi, bilah status); perubahan yang lama menunggu: lihat "
                               "keterjangkauan server di bawah, lalu lapor-desk sync.",
                               "Conflicts and refused complaints are settled by staff in the LAPOR Desk window (the "
                               "sync conflicts page, the status bar); changes waiting long: see the server's "
                               "reachability below, then lapor-desk sync."), facts)
    return Finding("sync.queue", Level.OK, what, facts=facts)


def last_sync_finding(st: state.SyncStatus, now: datetime) -> Finding:
    when = st.last_success.isoformat(timespec="seconds") if st.last_success else "-"
    facts = {"last_success": when if st.last_success else None, "last_error": st.last_error,
             "last_error_en": st.last_error_en, "stored_clock_skew_seconds": st.clock_skew_seconds}
    if st.last_error:
        return Finding("sync.last", Level.WARN,
                       Message(f"Sinkronisasi terakhir berhasil: {when}; galat terakhir: {st.last_error}",
                               f"Last successful sync: {when}; last error: {st.last_error_en or st.last_error}"),
                       Message("Ikuti petunjuk dalam pesan galat, lalu jalankan lapor-desk sync.",
                               "Follow the error message's advice, then run lapor-desk sync."), facts)
    if st.last_success is None or now - st.last_success > STALE_SYNC:
        return Finding("sync.last", Level.WARN,
                       Message(f"Sinkronisasi terakhir berhasil: {when} (lebih dari sehari)",
                               f"Last successful sync: {when} (more than a day ago)"),
                       Message("Jalankan lapor-desk sync dan lihat keterjangkauan server di bawah.",
                               "Run lapor-desk sync and see the server's reachability below."), facts)
    return Finding("sync.last", Level.OK, Message(f"Sinkronisasi terakhir berhasil: {when}, tanpa galat",
                                                  f"Last successful sync: {when}, no error"), facts=facts)
