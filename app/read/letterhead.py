"""What both citizen's papers (receipt and status letter) share: a labelled line, and the office as the letterhead
names it: its name, region and time zone, and how to reach it (postal address, phone, e-mail, website and the
counter's hours, as the national server sent them, app.rules.office_contact) in the forms they are printed in; and
the sentences that tell a citizen where to ask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.models import Office
from app.reference.regions import region_path
from app.rules.office_contact import display_phone, display_website
from app.timeutil import OFFICE_ZONES, zone

_ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
_PAPUA_PROVINCES = frozenset({"91", "92", "93", "94", "95", "96", "97"})  # districts are "distrik" there


@dataclass(frozen=True)
class Line:
    """One labelled line of the paper."""

    label: str
    value: str


@dataclass(frozen=True)
class OfficeHeader:
    """The office on a paper's letterhead. Contact fields are None where the office has not said; ``phone`` as it
    is dialled ("(0274) 868405"), ``website`` without https:// ("slemankab.go.id")."""

    name: str
    region: str | None  # "Kabupaten Sleman, Daerah Istimewa Yogyakarta"
    zone_label: str  # WIB, WITA or WIT
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    service_hours: str | None = None

    @property
    def contact(self) -> tuple[Line, ...]:
        """The contact lines the office has, in the order the paper prints them."""
        lines = (("Alamat", self.address), ("Telepon", self.phone), ("E-mail", self.email),
                 ("Situs web", self.website), ("Jam layanan", self.service_hours))
        return tuple(Line(label, value) for label, value in lines if value)


def zone_label(tz_name: str) -> str:
    """WIB, WITA or WIT for an office's ``tz`` (a label or an IANA name)."""
    if tz_name in OFFICE_ZONES:
        return tz_name
    known = _ZONE_LABELS.get(tz_name)
    if known is not None:
        return known
    return datetime.now(zone(tz_name)).tzname() or tz_name


def region_text(session: Session, code: str | None) -> str | None:
    """A region's names from the most specific up: ``Desa Minomartani, Kec. Ngaglik, Kabupaten Sleman, Daerah
    Istimewa Yogyakarta`` (a village code's first digit says kelurahan 1 or desa 2)."""
    if not code:
        return None
    names: list[str] = []
    for row in reversed(region_path(session, code)):
        if row.level == 4:
            names.append(f"{'Kel.' if row.code.rsplit('.', 1)[-1].startswith('1') else 'Desa'} {row.name}")
        elif row.level == 3:
            names.append(f"{'Distrik' if row.code[:2] in _PAPUA_PROVINCES else 'Kec.'} {row.name}")
        else:
            names.append(row.name)
    return ", ".join(names) or None


def office_header(session: Session, office: Office) -> OfficeHeader:
    return OfficeHeader(
        office.name, region_text(session, office.region_code), zone_label(office.tz),
        address=office.contact_address or None,
        phone=display_phone(office.contact_phone) if office.contact_phone else None,
        email=office.contact_email or None,
        website=display_website(office.contact_website) if office.contact_website else None,
        service_hours=office.service_hours or None)


NO_BREAK = "\u00a0"  # a space a line is never broken at: a phone number stays on one line


def by_phone(office: OfficeHeader) -> str:
    """``telepon (0274) 868405`` (the number unbroken); without a known number, the office's phone in general."""
    return f"telepon {office.phone.replace(' ', NO_BREAK)}" if office.phone else "telepon kantor"


def counter_hours(office: OfficeHeader) -> tuple[str, ...]:
    """The sentence naming the counter's opening hours, if the office gave them (its own full stop not doubled)."""
    hours = (office.service_hours or "").rstrip(". ")
    return (f"Loket pengaduan buka {hours}.",) if hours else ()
