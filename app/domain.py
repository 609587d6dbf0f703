"""The vocabulary of SP4N-LAPOR!: statuses, roles, classifications, channels and timeline event kinds.

Indonesian names are kept where staff know them; each enum says in English what it means.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a complaint stands in the office's workflow."""

    BELUM_TERVERIFIKASI = "BELUM_TERVERIFIKASI"  # received, not yet verified
    DIDISPOSISIKAN = "DIDISPOSISIKAN"  # verified and forwarded to a unit
    DITINDAKLANJUTI = "DITINDAKLANJUTI"  # the unit replied; the reporter may respond
    DITUNDA = "DITUNDA"  # postponed, waiting for clarification from the reporter
    BUKAN_WEWENANG = "BUKAN_WEWENANG"  # not this office's authority; redirected
    DIARSIPKAN = "DIARSIPKAN"  # archived (incomplete, duplicate, not relevant)
    SELESAI = "SELESAI"  # closed


OPEN_STATUSES = frozenset(
    {Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN, Status.DITINDAKLANJUTI, Status.DITUNDA}
)


class Role(StrEnum):
    ADMIN_INSTANSI = "ADMIN_INSTANSI"  # office administrator: verifies, dispositions, closes
    PENGHUBUNG = "PENGHUBUNG"  # unit liaison: follows up complaints sent to their unit
    PETUGAS_LOKET = "PETUGAS_LOKET"  # counter staff: walk-in intake and the reporter's responses
    PIMPINAN = "PIMPINAN"  # leadership: reads and reports
    IT_ADMIN = "IT_ADMIN"  # IT staff: accounts, devices, backups
    SYSTEM = "SYSTEM"  # the program itself (auto-closure); never a log-in


class Classification(StrEnum):
    PENGADUAN = "PENGADUAN"  # complaint
    ASPIRASI = "ASPIRASI"  # aspiration / suggestion
    PERMINTAAN_INFORMASI = "PERMINTAAN_INFORMASI"  # request for information


class Channel(StrEnum):
    WALK_IN = "WALK_IN"
    PHONE = "PHONE"
    LETTER = "LETTER"
    EMAIL = "EMAIL"
    LAPOR_ONLINE = "LAPOR_ONLINE"
    SOCIAL_MEDIA = "SOCIAL_MEDIA"
    SMS = "SMS"  # SMS or WhatsApp message


class EventKind(StrEnum):
    """Timeline entries: append-only; a correction is a new event."""

    RECEIVED = "RECEIVED"
    DISPOSED = "DISPOSED"  # verified and dispositioned to a unit
    FOLLOW_UP = "FOLLOW_UP"  # tindak lanjut
    REPORTER_RESPONSE = "REPORTER_RESPONSE"  # tanggapan pelapor
    NOTE = "NOTE"  # internal note
    POSTPONED = "POSTPONED"
    RESUMED = "RESUMED"  # clarification received, back to verification
    REDIRECTED = "REDIRECTED"  # bukan wewenang → dialihkan
    ARCHIVED = "ARCHIVED"
    UNARCHIVED = "UNARCHIVED"
    CLOSED = "CLOSED"
    AUTO_CLOSED = "AUTO_CLOSED"  # the reporter's response window ran out
    REOPENED = "REOPENED"
    EDITED = "EDITED"
    ATTACHMENT_ADDED = "ATTACHMENT_ADDED"
    TRANSITION_REJECTED = "TRANSITION_REJECTED"  # sync: the server refused a status change
    CONFLICT_MERGED = "CONFLICT_MERGED"  # sync: a concurrent edit was merged
    ROUTED = "ROUTED"  # the national admin routed (or re-routed) the complaint to this office


class ArchiveReason(StrEnum):
    TIDAK_LENGKAP = "TIDAK_LENGKAP"  # incomplete, reporter did not clarify
    DUPLIKAT = "DUPLIKAT"  # duplicate of another complaint
    TIDAK_RELEVAN = "TIDAK_RELEVAN"  # not relevant / not a complaint
    SPAM = "SPAM"


class DeadlineKind(StrEnum):
    VERIFICATION = "VERIFICATION"
    FOLLOW_UP = "FOLLOW_UP"
    RESPONSE_WINDOW = "RESPONSE_WINDOW"
    CLARIFICATION = "CLARIFICATION"
    RESOLUTION = "RESOLUTION"


class DeadlineState(StrEnum):
    ON_TIME = "ON_TIME"
    DUE_SOON = "DUE_SOON"
    OVERDUE = "OVERDUE"
    NONE = "NONE"  # no running deadline (closed, archived, redirected)
