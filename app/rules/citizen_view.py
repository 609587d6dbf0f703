"""What a citizen may see of a complaint: the status page, the counter's look-up and the status letter all show
this and nothing more.

A citizen sees the status, the dates of the steps and the answers meant for the reporter (follow-ups, a request
for clarification); never internal notes, edits, sync events, staff names, the unit's instruction or anyone's
personal data. Of a confidential (rahasia) complaint only the status is shown.

Tracking codes are sequential per device, so a code alone would let anyone walk through an office's complaints.
Every complaint therefore has a status PIN, printed on the receipt next to the code and carried in its QR
address: six characters derived from the complaint's random id, which both the PC and the server hold, so no
field travels for it and a PC offline can print it. A code without the right PIN shows nothing of the complaint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.domain import EventKind, Status
from app.errors import Message

PIN_LENGTH = 6
# Crockford's base32: no I, L, O or U, so a PIN read aloud or typed from paper has no look-alikes.
_PIN_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PIN_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def status_pin(complaint_id: str) -> str:
    """The six-character PIN of a complaint (30 bits from a hash of its random id)."""
    digest = hashlib.sha256(b"lapor-desk/status-pin/" + complaint_id.encode()).digest()
    number = int.from_bytes(digest[:4], "big") >> 2  # 30 bits
    return "".join(_PIN_ALPHABET[(number >> shift) & 31] for shift in range(25, -1, -5))


def normalise_pin(text: str) -> str:
    """A PIN as typed: case, spaces and dashes ignored, O read as 0 and I or L as 1."""
    return "".join(ch for ch in text.upper() if ch not in " -").translate(_PIN_READS_AS)


def pin_matches(complaint_id: str, typed: str | None) -> bool:
    return typed is not None and hmac.compare_digest(status_pin(complaint_id), normalise_pin(typed))


@dataclass(frozen=True)
class EventFact:
    """One timeline entry as the store or the server holds it."""

    kind: str
    at: datetime
    text: str | None = None
    archive_reason: str | None = None


def event_fact(kind: str, at: datetime, text: str | None, data_json: str | None) -> EventFact:
    """A fact from a stored timeline row (the PC's and the server's tables keep the same columns); an archive
    entry's reason code is in its data."""
    reason = None
    if kind == EventKind.ARCHIVED and data_json:
        try:
            data = json.loads(data_json)
        except ValueError:
            data = {}
        reason = data.get("reason") if isinstance(data, dict) else None
    return EventFact(kind=kind, at=at, text=text, archive_reason=reason if isinstance(reason, str) else None)


@dataclass(frozen=True)
class CitizenEntry:
    at: datetime
    label: Message
    text: str | None = None


@dataclass(frozen=True)
class CitizenStatus:
    tracking_code: str
    status: str
    status_label: Message
    explanation: Message
    received_at: datetime | None
    entries: tuple[CitizenEntry, ...]
    is_confidential: bool


STATUS_FOR_CITIZEN: dict[str, tuple[Message, Message]] = {
    Status.BELUM_TERVERIFIKASI: (
        Message("Diterima, menunggu verifikasi", "Received, awaiting verification"),
        Message("Laporan Anda sudah diterima dan sedang diperiksa oleh petugas.",
                "Your complaint has been received and is being checked by the staff."),
    ),
    Status.DIDISPOSISIKAN: (
        Message("Sedang diproses", "Being handled"),
        Message("Laporan Anda sudah diverifikasi dan diteruskan ke unit kerja yang menanganinya.",
                "Your complaint was verified and passed to the unit that handles it."),
    ),
    Status.DITINDAKLANJUTI: (
        Message("Sudah ditindaklanjuti", "Followed up"),
        Message("Unit kerja sudah menanggapi. Anda dapat memberi tanggapan dalam 10 hari.",
                "The unit has replied. You may respond within 10 days."),
    ),
    Status.DITUNDA: (
        Message("Menunggu keterangan dari Anda", "Waiting for your clarification"),
        Message("Petugas memerlukan keterangan tambahan dari Anda. Silakan hubungi kantor atau datang ke loket.",
                "The staff need more information from you. Please contact the office or come to the counter."),
    ),
    Status.BUKAN_WEWENANG: (
        Message("Dialihkan ke instansi yang berwenang", "Passed to the responsible agency"),
        Message("Laporan Anda bukan wewenang kantor ini dan dialihkan ke instansi yang berwenang.",
                "Your complaint is not this office's authority and is passed to the agency responsible."),
    ),
    Status.DIARSIPKAN: (
        Message("Diarsipkan", "Archived"),
        Message("Laporan Anda diarsipkan. Jika masih perlu ditangani, silakan hubungi kantor.",
                "Your complaint was archived. If it still needs handling, please contact the office."),
    ),
    Status.SELESAI: (
        Message("Selesai", "Completed"),
        Message("Penanganan laporan Anda sudah selesai.", "The handling of your complaint is completed."),
    ),
}

_ARCHIVE_REASONS = {
    "TIDAK_LENGKAP": Message("data tidak lengkap", "incomplete information"),
    "DUPLIKAT": Message("sama dengan laporan lain", "same as another complaint"),
    "TIDAK_RELEVAN": Message("bukan pengaduan pelayanan publik", "not a public-service complaint"),
    "SPAM": Message("tidak relevan", "not relevant"),
}

# Entries a citizen sees, and whether their text is meant for the reporter.
_VISIBLE: dict[str, tuple[Message, bool]] = {
    EventKind.RECEIVED: (Message("Laporan diterima", "Complaint received"), False),
    EventKind.ROUTED: (Message("Laporan diteruskan ke instansi ini", "Complaint passed to this agency"), False),
    EventKind.DISPOSED: (Message("Diverifikasi dan diteruskan ke unit kerja", "Verified and passed to a unit"),
                         False),
    EventKind.FOLLOW_UP: (Message("Tindak lanjut", "Follow-up"), True),
    EventKind.REPORTER_RESPONSE: (Message("Tanggapan Anda", "Your response"), True),
    EventKind.POSTPONED: (Message("Petugas meminta keterangan tambahan", "The staff asked for more information"),
                          True),
    EventKind.RESUMED: (Message("Keterangan diterima, diperiksa kembali", "Information received, checked again"),
                        False),
    EventKind.REDIRECTED: (Message("Dialihkan ke instansi yang berwenang", "Passed to the responsible agency"),
                           False),
    EventKind.ARCHIVED: (Message("Diarsipkan", "Archived"), False),
    EventKind.UNARCHIVED: (Message("Dibuka kembali dari arsip", "Taken out of the archive"), False),
    EventKind.CLOSED: (Message("Selesai", "Completed"), False),
    EventKind.AUTO_CLOSED: (Message("Selesai (batas waktu tanggapan berakhir)", "Completed (response time over)"),
                            False),
    EventKind.REOPENED: (Message("Diproses kembali", "Handled again"), False),
}


def citizen_status(*, tracking_code: str, status: str, received_at: datetime | None, is_confidential: bool,
                   events: Iterable[EventFact]) -> CitizenStatus:
    """The citizen's view of one complaint, its entries in time order. Nothing else of the complaint is read, so
    nothing else can leak: callers pass only these facts."""
    label, explanation = STATUS_FOR_CITIZEN.get(status, (Message(status, status), Message("", "")))
    entries: list[CitizenEntry] = []
    if not is_confidential:
        for event in sorted(events, key=lambda e: e.at):
            shown = _VISIBLE.get(event.kind)
            if shown is None:
                continue
            entry_label, with_text = shown
            if event.kind == EventKind.ARCHIVED and event.archive_reason in _ARCHIVE_REASONS:
                reason = _ARCHIVE_REASONS[event.archive_reason]
                entry_label = Message(f"Diarsipkan: {reason.id}", f"Archived: {reason.en}")
            text = (event.text or "").strip() or None if with_text else None
            entries.append(CitizenEntry(at=event.at, label=entry_label, text=text))
    return CitizenStatus(tracking_code=tracking_code, status=status, status_label=label, explanation=explanation,
                         received_at=None if is_confidential else received_at, entries=tuple(entries),
                         is_confidential=is_confidential)
