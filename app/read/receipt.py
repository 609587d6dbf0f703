"""What a receipt (tanda terima) says, assembled from the store without Qt: the tracking code and its status PIN,
the status-page address for the QR code, a summary, the received time and the deadlines in the office's zone, the
officer who took the complaint in, and the office with its contact (app.read.letterhead) with where to ask: the
office's phone by its number when the server has sent one. ui/printing paints it; the CLI and the window get the
same content.

Privacy is decided here, not in the painter: an anonymous or confidential complaint's reporter is never read, so no
identity can reach the paper; a named reporter's receipt may carry the name (for a viewer whose role may see it),
never the NIK, phone, e-mail or address. A confidential complaint's title and place are left off too: a receipt is
carried around and may be lost. The paper is in Indonesian (the product's paper language), so texts here are
Indonesian strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import Channel, Classification, DeadlineKind
from app.errors import Message, NotFound, OutOfScope
from app.models import Category, Complaint, Office, Reporter, User
from app.read.letterhead import Line, OfficeHeader, by_phone, counter_hours, office_header, region_text, zone_label
from app.reference.labels import label
from app.rules import tracking
from app.rules.citizen_view import status_pin
from app.rules.privacy import can_see_reporter
from app.rules.scope import Scope
from app.rules.sla import SlaPolicy, WorkingCalendar, is_estimate, load_calendar, load_policy, period_of
from app.timeutil import as_utc, zone

if TYPE_CHECKING:
    from app.store.db import Store

# store_meta: a status-page address IT set for this PC (``lapor-desk status-page URL``); it wins over the address of
# the national server the PC is enrolled with, which may be an internal sync host rather than the public page.
STATUS_PAGE_KEY = "status_page_url"

_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember")
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@dataclass(frozen=True)
class Viewer:
    """Who prints: their office, role and unit (only the complaints within their scope are printed, app.rules.scope:
    a liaison prints their unit's, IT none; the role also says whether a named reporter's name may appear) and their
    name (the officer named as printing). ``role`` None: no account (the CLI without --user), so the whole office
    and no reporter name at all."""

    office_id: str
    role: str | None = None
    name: str | None = None
    unit_id: str | None = None


@dataclass(frozen=True)
class StatusAccess:
    """How the citizen checks the status later: the page's address with code and PIN (the QR code holds it) when
    this PC knows a status page, else the counter or the phone."""

    url: str | None
    how_to: tuple[str, ...]


@dataclass(frozen=True)
class ReceiptContent:
    office: OfficeHeader
    tracking_code: str
    pin: str
    access: StatusAccess
    summary: tuple[Line, ...]
    times: tuple[Line, ...]  # received, then the deadlines
    time_notes: tuple[str, ...]
    officer: Line | None  # the account that took it in
    printed: str
    notes: tuple[str, ...]
    is_anonymous: bool
    is_confidential: bool


# ---- formatting shared with the status letter -------------------------------------------------------------------


def format_day(day: date) -> str:
    """``Kamis, 5 Maret 2026``."""
    return f"{_DAYS[day.weekday()]}, {day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_moment(moment: datetime, tz_name: str, *, weekday: bool = True) -> str:
    """``Senin, 2 Maret 2026 pukul 09.05 WIB`` in the office's zone (Indonesian writes hours with a dot)."""
    local = as_utc(moment).astimezone(zone(tz_name))
    day = format_day(local.date()) if weekday else f"{local.day} {_MONTHS[local.month - 1]} {local.year}"
    return f"{day} pukul {local:%H.%M} {zone_label(tz_name)}"


def format_short(moment: datetime, tz_name: str) -> str:
    """``2 Mar 2026, 09.05`` in the office's zone (for lists whose zone is said once)."""
    local = as_utc(moment).astimezone(zone(tz_name))
    return f"{local.day} {_SHORT_MONTHS[local.month - 1]} {local.year}, {local:%H.%M}"


def status_address(base: str, tracking_code: str, pin: str) -> str:
    """``{base}/cek/{compact code}?pin={PIN}``: the status page of one complaint, as its QR code holds it."""
    return f"{base.rstrip('/')}/cek/{tracking.compact(tracking_code)}?pin={pin}"


def status_access(base: str | None, tracking_code: str, pin: str, office: OfficeHeader) -> StatusAccess:
    """The status page's address and how to use it, or else where to ask: the counter (with its hours) or the
    office's phone, by its number when the office has given one."""
    if base:
        url = status_address(base, tracking_code, pin)
        return StatusAccess(url, (
            "Pindai kode QR dengan kamera ponsel untuk melihat status laporan Anda, atau buka alamat di bawah ini.",
            f"Tanpa internet, tanyakan di loket pengaduan atau melalui {by_phone(office)} dengan menyebutkan kode "
            "pelacakan dan PIN.",
            *counter_hours(office),
        ))
    return StatusAccess(None, (
        f"Status laporan dapat ditanyakan di loket pengaduan {office.name} atau melalui {by_phone(office)} dengan "
        "menyebutkan kode pelacakan dan PIN.",
        *counter_hours(office),
    ))


@contextmanager
def reading(source: Session | Store) -> Iterator[Session]:
    """A session to read in: the one given, or a read transaction of the store given."""
    if isinstance(source, Session):
        yield source
    else:
        with source.read() as session:
            yield session


def complaint_of(session: Session, complaint_id: str, viewer: Viewer) -> Complaint:
    """The complaint if it is of the viewer's office; another office's is "not found", as everywhere. One of the
    office outside the viewer's role's scope is refused with the reason (OutOfScope)."""
    c = session.get(Complaint, complaint_id)
    if c is None or c.office_id != viewer.office_id:
        raise NotFound(Message("Laporan tidak ditemukan.", "Complaint not found."))
    if viewer.role is not None:
        scope = Scope(viewer.office_id, viewer.role, viewer.unit_id)
        if not scope.may_open(c.office_id, c.unit_id):
            raise OutOfScope(scope.refusal())
    return c


def officer_line(session: Session, user_id: str | None, caption: str) -> Line | None:
    if not user_id:
        return None
    user = session.get(User, user_id)
    return Line(caption, user.full_name) if user is not None and user.full_name.strip() else None


# ---- the receipt -----------------------------------------------------------------------------------------------


def receipt_content(source: Session | Store, complaint_id: str, viewer: Viewer, *, status_base_url: str | None,
                    now: datetime, rules: tuple[SlaPolicy, WorkingCalendar] | None = None) -> ReceiptContent:
    """The receipt of one complaint of the viewer's office (NotFound otherwise). ``status_base_url``: the status
    page's base address, None when this PC knows none (no QR code then); ``now``: when it is printed; ``rules``:
    the SLA policy and calendar if the caller holds them (ServiceContext.rules), else read here."""
    with reading(source) as session:
        c = complaint_of(session, complaint_id, viewer)
        office = session.get(Office, c.office_id)
        assert office is not None  # complaints.office_id is a foreign key
        pin = status_pin(c.id)
        policy, calendar = rules if rules is not None else (load_policy(session), load_calendar(session))
        times, time_notes = _times(c, office.tz, policy, calendar)
        notes = ["Simpan tanda terima ini. PIN hanya untuk Anda: jangan berikan kepada orang lain."]
        if c.is_confidential:
            notes.append("Laporan ini bersifat rahasia: judul, lokasi dan identitas pelapor tidak dicetak.")
        elif c.is_anonymous:
            notes.append("Laporan anonim: identitas pelapor tidak dicetak dan tidak ditampilkan kepada pihak lain.")
        header = office_header(session, office)
        return ReceiptContent(
            office=header, tracking_code=c.tracking_code, pin=pin,
            access=status_access(status_base_url, c.tracking_code, pin, header),
            summary=_summary(session, c, viewer), times=times, time_notes=time_notes,
            officer=officer_line(session, c.created_by, "Petugas penerima"),
            printed="Dicetak " + format_moment(now, office.tz) + (f" oleh {viewer.name}" if viewer.name else ""),
            notes=tuple(notes), is_anonymous=c.is_anonymous, is_confidential=c.is_confidential)


def _summary(session: Session, c: Complaint, viewer: Viewer) -> tuple[Line, ...]:
    lines: list[Line] = []
    if not c.is_confidential:
        lines.append(Line("Judul", c.title))
    lines.append(Line("Klasifikasi", label(Classification(c.classification))))
    lines.append(Line("Saluran", label(Channel(c.channel))))
    if c.category_id:
        category = session.get(Category, c.category_id)
        if category is not None:
            parent = session.get(Category, category.parent_id) if category.parent_id else None
            lines.append(Line("Kategori", f"{parent.name} › {category.name}" if parent else category.name))
    if not c.is_confidential:
        place = region_text(session, c.region_code)
        if place:
            lines.append(Line("Lokasi", place))
    reporter = _reporter_text(session, c, viewer)
    if reporter:
        lines.append(Line("Pelapor", reporter))
    return tuple(lines)


def _reporter_text(session: Session, c: Complaint, viewer: Viewer) -> str | None:
    """The reporter as the paper may name them. Anonymous and confidential complaints: never read, only said to be
    withheld. A named reporter: the name alone, for a viewer whose role may see it."""
    if c.is_anonymous:
        return "Dirahasiakan (laporan anonim)"
    if c.is_confidential:
        return "Dirahasiakan (laporan rahasia)"
    if not c.reporter_id or viewer.role is None or not can_see_reporter(viewer.role, is_anonymous=False):
        return None
    name = session.execute(select(Reporter.name).where(Reporter.id == c.reporter_id)).scalar()
    return name.strip() if name and name.strip() else None


def _period_text(days: int, unit: str) -> str:
    return f"{days} hari kerja" if unit == "working" else f"{days} hari kalender"


def _times(c: Complaint, tz: str, policy: SlaPolicy, calendar: WorkingCalendar) -> tuple[tuple[Line, ...],
                                                                                         tuple[str, ...]]:
    """Received, and the complaint's stored deadlines a citizen is promised: verification (while it runs) and
    resolution, each with the period that set it; a date counted past the holiday calendar is marked."""
    lines = [Line("Diterima", format_moment(c.received_at, tz))]
    estimated = False
    working = False
    due: list[tuple[str, str, datetime]] = []
    if c.step_due_kind == DeadlineKind.VERIFICATION and c.step_due_at is not None:
        due.append(("Batas verifikasi", DeadlineKind.VERIFICATION, c.step_due_at))
    if c.resolution_due_at is not None:
        due.append(("Target penyelesaian", DeadlineKind.RESOLUTION, c.resolution_due_at))
    for caption, kind, at in due:
        period = period_of(policy, kind, c.classification, c.is_supervisory)
        guess = is_estimate(at, period, calendar, tz)
        estimated |= guess
        working |= period.unit == "working"
        local = as_utc(at).astimezone(zone(tz)).date()
        text = f"{format_day(local)} ({_period_text(period.days, period.unit)})" + (" *" if guess else "")
        lines.append(Line(caption, text))
    notes: list[str] = []
    if working:
        notes.append("Hari kerja tidak termasuk Sabtu, Minggu, hari libur nasional dan cuti bersama.")
    if estimated:
        notes.append("* Perkiraan: dihitung melewati kalender libur yang sudah ditetapkan; dapat bergeser.")
    return tuple(lines), tuple(notes)
