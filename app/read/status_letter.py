"""What a status letter (surat keterangan status) says, for a citizen who comes back to the counter: the office, the
code, when it was printed, the citizen's view of the complaint (app.rules.citizen_view: status, its explanation, the
dates of the steps and the answers meant for the reporter; of a confidential complaint the status alone) and the
officer who printed it. Nothing else of the complaint is read, so internal notes, units, staff who handled it and
anyone's personal data cannot reach the paper. The status PIN is not printed: the letter is the status itself, and
a code heard at the counter must not become a way into the status page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.models import Office
from app.read.citizen import citizen_view_of
from app.read.letterhead import Line, OfficeHeader, by_phone, counter_hours, office_header
from app.read.receipt import Viewer, complaint_of, format_moment, format_short, reading

if TYPE_CHECKING:
    from app.store.db import Store


@dataclass(frozen=True)
class LetterEntry:
    """One step the citizen may see: when, what, and the answer meant for them (if the step has one)."""

    when: str
    label: str
    text: str | None = None


@dataclass(frozen=True)
class StatusLetterContent:
    office: OfficeHeader
    tracking_code: str
    printed: str
    status_label: str
    explanation: str
    received: str | None  # None for a confidential complaint
    entries: tuple[LetterEntry, ...]
    notes: tuple[str, ...]
    officer: Line | None  # who printed it
    is_confidential: bool


def status_letter_content(source: Session | Store, complaint_id: str, viewer: Viewer, *,
                          status_base_url: str | None, now: datetime) -> StatusLetterContent:
    """The letter for one complaint of the viewer's office (NotFound otherwise); ``status_base_url`` only says where
    the citizen can look online (with the PIN of their receipt)."""
    with reading(source) as session:
        c = complaint_of(session, complaint_id, viewer)
        office = session.get(Office, c.office_id)
        assert office is not None
        header = office_header(session, office)
        view = citizen_view_of(session, complaint_id)
        tz = office.tz
    entries = tuple(LetterEntry(format_short(e.at, tz), e.label.id, e.text) for e in view.entries)
    notes: list[str] = []
    if entries:
        notes.append(f"Waktu pada riwayat penanganan dalam {header.zone_label}.")
    if view.is_confidential:
        notes.append("Laporan ini bersifat rahasia: hanya statusnya yang dapat diterangkan dalam surat ini.")
    if status_base_url:
        notes.append(f"Status terbaru juga dapat dilihat di {status_base_url.rstrip('/')}/cek dengan kode pelacakan "
                     "dan PIN yang tercantum pada tanda terima Anda.")
        if header.phone:
            notes.append(f"Tanpa internet, tanyakan melalui {by_phone(header)} dengan kode pelacakan dan PIN.")
    else:
        notes.append(f"Untuk status terbaru, tanyakan di loket pengaduan atau melalui {by_phone(header)} dengan kode "
                     "pelacakan dan PIN pada tanda terima Anda.")
    notes += counter_hours(header)
    notes.append("Surat keterangan ini menerangkan status laporan pada saat dicetak.")
    return StatusLetterContent(
        office=header, tracking_code=view.tracking_code, printed=format_moment(now, tz),
        status_label=view.status_label.id, explanation=view.explanation.id,
        received=format_moment(view.received_at, tz) if view.received_at is not None else None, entries=entries,
        notes=tuple(notes), officer=Line("Petugas", viewer.name) if viewer.name else None,
        is_confidential=view.is_confidential)
