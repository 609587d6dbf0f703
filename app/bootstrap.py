"""First start of a store: bundled reference data, and this PC's office and device identity."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from app import __version__
from app.errors import Message, ValidationError
from app.ids import new_id
from app.models import Office, Unit
from app.reference.categories import install_categories
from app.reference.regions import get_region, install_regions
from app.rules.office_contact import OfficeContact
from app.rules.sla import install_holidays, install_policy
from app.store import meta
from app.store.db import Store, head_revision
from app.timeutil import OFFICE_ZONES, utcnow

STANDALONE_DEVICE_RANGE = (900, 999)  # numbers a PC gives itself before enrolment; enrolment replaces them


def reference_stamp(this_year: int) -> str:
    """What an installation of the bundled data depends on: the program, the schema and the year (the holidays
    cover the two years either side of it)."""
    return f"{__version__}/{head_revision()}/{this_year}"


def install_reference_data(store: Store) -> bool:
    """Load what ships with the program into an empty store (each part only once); False when the store's stamp
    says this program already did so this year. The check is one read: computing the holidays and writing the
    transaction would otherwise cost every start of the program about half a second."""
    this_year = utcnow().year
    stamp = reference_stamp(this_year)
    with store.read() as session:
        if meta.get(session, meta.REFERENCE_DATA) == stamp:
            return False
    with store.transaction() as session:
        install_regions(session)
        install_categories(session)
        install_policy(session)
        install_holidays(session, range(this_year - 2, this_year + 3))
        meta.put(session, meta.REFERENCE_DATA, stamp)
    return True


@dataclass(frozen=True)
class OfficeInfo:
    id: str
    name: str
    region_code: str
    tz: str


def create_office(store: Store, *, region_code: str, name: str, tz: str, units: Sequence[str] = (),
                  make_home: bool = False, office_id: str | None = None,
                  contact: OfficeContact | None = None) -> OfficeInfo:
    """Create an office (with units); ``make_home`` makes it this PC's own office and gives the PC a device
    number if it has none. ``contact``: how citizens reach it, already checked (app.rules.office_contact); on an
    enrolled PC the server sends it with the reference data instead."""
    if tz not in OFFICE_ZONES.values() and tz not in OFFICE_ZONES:
        raise ValidationError({"tz": Message("Zona waktu harus WIB, WITA atau WIT.",
                                             "Time zone must be WIB, WITA or WIT.")})
    tz_name = OFFICE_ZONES.get(tz, tz)
    with store.transaction() as session:
        if get_region(session, region_code) is None:
            raise ValidationError({"region_code": Message(f"Kode wilayah {region_code} tidak dikenal.",
                                                          f"Unknown region code {region_code}.")})
        office = Office(id=office_id or new_id(), region_code=region_code, name=name, tz=tz_name, server_version=0)
        if contact is not None:
            office.contact_address, office.contact_phone, office.contact_email = (contact.address, contact.phone,
                                                                                  contact.email)
            office.contact_website, office.service_hours = contact.website, contact.service_hours
        session.add(office)
        for unit_name in units:
            session.add(Unit(id=new_id(), office_id=office.id, name=unit_name, active=True, server_version=0))
        if make_home:
            meta.put(session, meta.HOME_OFFICE, office.id)
            if meta.get(session, meta.DEVICE_NO) is None:
                low, high = STANDALONE_DEVICE_RANGE
                meta.put(session, meta.DEVICE_NO, str(low + secrets.randbelow(high - low + 1)))
        return OfficeInfo(office.id, office.name, office.region_code, office.tz)


def home_office(store: Store) -> OfficeInfo | None:
    with store.read() as session:
        office_id = meta.get(session, meta.HOME_OFFICE)
        office = session.get(Office, office_id) if office_id else None
        return OfficeInfo(office.id, office.name, office.region_code, office.tz) if office else None
