"""Display labels, Indonesian and English, for every value of the domain vocabulary in app.domain."""

from __future__ import annotations

from enum import StrEnum

from app.domain import (
    ArchiveReason,
    Channel,
    Classification,
    DeadlineKind,
    DeadlineState,
    EventKind,
    Role,
    Status,
)
from app.errors import Message

# Keyed by enum class, then value: members of different StrEnums with the same value (EventKind.FOLLOW_UP and
# DeadlineKind.FOLLOW_UP) compare and hash equal, so one flat dict would mix them up.
LABELS: dict[type[StrEnum], dict[str, Message]] = {
    Classification: {
        Classification.PENGADUAN: Message("Pengaduan", "Complaint"),
        Classification.ASPIRASI: Message("Aspirasi", "Aspiration"),
        Classification.PERMINTAAN_INFORMASI: Message("Permintaan Informasi", "Information request"),
    },
    Channel: {
        Channel.WALK_IN: Message("Datang langsung", "Walk-in"),
        Channel.PHONE: Message("Telepon", "Phone"),
        Channel.LETTER: Message("Surat", "Letter"),
        Channel.EMAIL: Message("Surel (e-mail)", "E-mail"),
        Channel.LAPOR_ONLINE: Message("LAPOR! daring", "LAPOR! online"),
        Channel.SOCIAL_MEDIA: Message("Media sosial", "Social media"),
        Channel.SMS: Message("SMS/WhatsApp", "SMS/WhatsApp"),
    },
    Status: {
        Status.BELUM_TERVERIFIKASI: Message("Belum terverifikasi", "Not yet verified"),
        Status.DIDISPOSISIKAN: Message("Didisposisikan", "Dispositioned"),
        Status.DITINDAKLANJUTI: Message("Ditindaklanjuti", "Followed up"),
        Status.DITUNDA: Message("Ditunda", "Postponed"),
        Status.BUKAN_WEWENANG: Message("Bukan wewenang", "Not our authority"),
        Status.DIARSIPKAN: Message("Diarsipkan", "Archived"),
        Status.SELESAI: Message("Selesai", "Closed"),
    },
    Role: {
        Role.ADMIN_INSTANSI: Message("Admin instansi", "Office administrator"),
        Role.PENGHUBUNG: Message("Admin penghubung", "Unit liaison"),
        Role.PETUGAS_LOKET: Message("Petugas loket", "Counter staff"),
        Role.PIMPINAN: Message("Pimpinan", "Leadership"),
        Role.IT_ADMIN: Message("Admin TI", "IT administrator"),
        Role.SYSTEM: Message("Sistem", "System"),
    },
    EventKind: {
        EventKind.RECEIVED: Message("Laporan diterima", "Complaint received"),
        EventKind.DISPOSED: Message("Diverifikasi dan didisposisikan", "Verified and dispositioned"),
        EventKind.FOLLOW_UP: Message("Tindak lanjut", "Follow-up"),
        EventKind.REPORTER_RESPONSE: Message("Tanggapan pelapor", "Reporter's response"),
        EventKind.NOTE: Message("Catatan internal", "Internal note"),
        EventKind.POSTPONED: Message("Ditunda", "Postponed"),
        EventKind.RESUMED: Message("Klarifikasi diterima", "Clarification received"),
        EventKind.REDIRECTED: Message("Dialihkan (bukan wewenang)", "Redirected (not our authority)"),
        EventKind.ARCHIVED: Message("Diarsipkan", "Archived"),
        EventKind.UNARCHIVED: Message("Dikeluarkan dari arsip", "Unarchived"),
        EventKind.CLOSED: Message("Ditutup", "Closed"),
        EventKind.AUTO_CLOSED: Message(
            "Ditutup otomatis (batas tanggapan habis)", "Closed automatically (response window ended)"
        ),
        EventKind.REOPENED: Message("Dibuka kembali", "Reopened"),
        EventKind.EDITED: Message("Data diubah", "Details edited"),
        EventKind.ATTACHMENT_ADDED: Message("Lampiran ditambahkan", "Attachment added"),
        EventKind.TRANSITION_REJECTED: Message(
            "Perubahan status ditolak server", "Status change rejected by the server"
        ),
        EventKind.CONFLICT_MERGED: Message("Perubahan bersamaan digabungkan", "Concurrent edit merged"),
        EventKind.ROUTED: Message("Diteruskan oleh admin nasional", "Routed by the national admin"),
    },
    ArchiveReason: {
        ArchiveReason.TIDAK_LENGKAP: Message("Tidak lengkap", "Incomplete"),
        ArchiveReason.DUPLIKAT: Message("Duplikat", "Duplicate"),
        ArchiveReason.TIDAK_RELEVAN: Message("Tidak relevan", "Not relevant"),
        ArchiveReason.SPAM: Message("Spam", "Spam"),
    },
    DeadlineKind: {
        DeadlineKind.VERIFICATION: Message("Verifikasi", "Verification"),
        DeadlineKind.FOLLOW_UP: Message("Tindak lanjut", "Follow-up"),
        DeadlineKind.RESPONSE_WINDOW: Message("Masa tanggapan pelapor", "Reporter's response window"),
        DeadlineKind.CLARIFICATION: Message("Klarifikasi pelapor", "Reporter's clarification"),
        DeadlineKind.RESOLUTION: Message("Penyelesaian", "Resolution"),
    },
    DeadlineState: {
        DeadlineState.ON_TIME: Message("Tepat waktu", "On time"),
        DeadlineState.DUE_SOON: Message("Segera jatuh tempo", "Due soon"),
        DeadlineState.OVERDUE: Message("Terlambat", "Overdue"),
        DeadlineState.NONE: Message("Tidak ada tenggat", "No deadline"),
    },
}


def label_message(value: StrEnum) -> Message:
    """The Indonesian/English label of an enum member of app.domain (KeyError if it has none)."""
    return LABELS[type(value)][value.value]


def label(value: StrEnum, lang: str = "id") -> str:
    """The display label of an enum member of app.domain in ``lang`` ("id" or "en")."""
    return label_message(value).text(lang)
