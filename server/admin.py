"""Administration of the national side (offices, units, accounts, enrolment codes, reference data), shared by
the CLI and the demo. Every change to what offices sync writes its change-log row in the same transaction."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain import Role
from app.errors import Message, ValidationError
from app.ids import new_id
from app.reference.categories import default_categories
from app.reference.regions import region_name
from app.rules.accounts import check_password_rules, check_username
from app.rules.office_contact import CONTACT_FIELDS, OfficeContact, check_contact
from app.rules.sla import SlaPolicy, default_holidays
from app.security import hash_password
from app.timeutil import OFFICE_ZONES
from server import auth, changelog, kpi_national
from server.models import ApiKey, Category, Device, EnrollmentCode, Holiday, Office, SlaPolicyRecord, Unit, User
from server.state import bump_reference


class AdminError(Exception):
    """A refusal with a message for the person at the console."""


def find_office(session: Session, ref: str) -> Office:
    office = session.execute(select(Office).where(or_(Office.id == ref, Office.region_code == ref))).scalar()
    if office is None:
        raise AdminError(f"Instansi '{ref}' tidak ditemukan (pakai id atau kode wilayah).")
    return office


def create_office(session: Session, *, region_code: str, name: str, tz: str) -> Office:
    if region_name(region_code) is None:
        raise AdminError(f"Kode wilayah {region_code} tidak dikenal.")
    tz_name = OFFICE_ZONES.get(tz, tz)
    if tz_name not in OFFICE_ZONES.values():
        raise AdminError("Zona waktu harus WIB, WITA atau WIT.")
    if session.execute(select(Office.id).where(Office.region_code == region_code)).first():
        raise AdminError(f"Sudah ada instansi untuk wilayah {region_code}.")
    office = Office(id=new_id(), region_code=region_code, name=name, tz=tz_name, next_device_no=1, version=1)
    session.add(office)
    session.flush()
    return office


# The offices columns that hold each field of app.rules.office_contact.OfficeContact.
CONTACT_COLUMNS = {"address": "contact_address", "phone": "contact_phone", "email": "contact_email",
                   "website": "contact_website", "service_hours": "service_hours"}


class ContactInvalid(AdminError):
    """Contact details refused, every problem at once (field name → message); nothing was written."""

    def __init__(self, problems: Mapping[str, Message]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{name}: {message.id}" for name, message in self.problems.items()))


@dataclass(frozen=True)
class ContactChange:
    contact: OfficeContact  # as the office holds it now
    changed: bool
    reference_version: int | None  # the new reference version when it changed


def office_contact(office: Office) -> OfficeContact:
    return OfficeContact(**{name: getattr(office, column) for name, column in CONTACT_COLUMNS.items()})


def set_office_contact(session: Session, office: Office, *, values: Mapping[str, str],
                       clear: Collection[str] = ()) -> ContactChange:
    """Set the given contact fields (checked and normalised by app.rules.office_contact) and empty the ``clear``
    ones; fields named in neither keep their value. Refused as a whole, with every problem, if any value is bad or a
    field is both set and cleared. A real change bumps the reference version, so the office's PCs fetch it."""
    assert set(values) <= set(CONTACT_FIELDS) and set(clear) <= set(CONTACT_FIELDS), (values, clear)
    problems: dict[str, Message] = {}
    for name in sorted(set(values) & set(clear), key=CONTACT_FIELDS.index):
        problems[name] = Message("diisi dan dikosongkan sekaligus; pilih salah satu.",
                                 "both set and cleared; choose one.")
    try:
        checked = check_contact({k: v for k, v in values.items() if k not in problems})
    except ValidationError as exc:
        problems.update(exc.fields)
        checked = {}
    if problems:
        raise ContactInvalid({name: problems[name] for name in CONTACT_FIELDS if name in problems})
    before = office_contact(office)
    for name in CONTACT_FIELDS:
        if name in checked:
            setattr(office, CONTACT_COLUMNS[name], checked[name])
        elif name in clear:
            setattr(office, CONTACT_COLUMNS[name], None)
    after = office_contact(office)
    if after == before:
        return ContactChange(after, False, None)
    office.version += 1
    session.flush()
    return ContactChange(after, True, bump_reference(session))


def create_unit(session: Session, office: Office, name: str, now: datetime) -> Unit:
    unit = Unit(id=new_id(), office_id=office.id, name=name, active=True, version=1)
    session.add(unit)
    session.flush()
    changelog.record(session, office_id=office.id, entity_type="unit", entity_id=unit.id, op="upsert", version=1,
                     now=now)
    bump_reference(session)
    return unit


def create_user(session: Session, *, office: Office, username: str, full_name: str, role: str, password: str,
                unit: Unit | None, now: datetime, password_hash: str | None = None) -> User:
    if role not in [r.value for r in Role if r != Role.SYSTEM]:
        raise AdminError(f"Peran tidak dikenal: {role}")
    if role == Role.PENGHUBUNG and unit is None:
        raise AdminError("Penghubung harus terikat pada satu unit (--unit).")
    try:
        name = check_username(username)  # the desktop's rule: its log-in must find the account
        if password_hash is None:
            check_password_rules(password, name)
    except ValidationError as exc:
        raise AdminError(str(exc)) from exc
    if session.execute(select(User.id).where(User.username == name)).first():
        raise AdminError(f"Nama pengguna '{name}' sudah dipakai.")
    user = User(id=new_id(), office_id=office.id, unit_id=unit.id if unit else None, username=name,
                full_name=full_name, role=role, password_hash=password_hash or hash_password(password), active=True,
                version=1)
    session.add(user)
    session.flush()
    changelog.record(session, office_id=office.id, entity_type="user", entity_id=user.id, op="upsert", version=1,
                     now=now)
    bump_reference(session)
    return user


def set_user_active(session: Session, username: str, active: bool, now: datetime) -> User:
    user = session.execute(select(User).where(User.username == username.strip().lower())).scalar()
    if user is None:
        raise AdminError(f"Pengguna '{username}' tidak ditemukan.")
    user.active = active
    user.version += 1
    if user.office_id:
        changelog.record(session, office_id=user.office_id, entity_type="user", entity_id=user.id, op="upsert",
                         version=user.version, now=now)
    bump_reference(session)
    return user


def issue_enrollment_code(session: Session, office: Office, now: datetime) -> str:
    code = auth.new_enrollment_code()
    session.add(EnrollmentCode(code_hash=auth.digest(code), office_id=office.id, created_at=now,
                               expires_at=now + auth.ENROLLMENT_VALIDITY))
    return code


def revoke_device(session: Session, device_id: str, now: datetime) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise AdminError(f"Perangkat '{device_id}' tidak ditemukan.")
    device.revoked_at = now
    return device


def create_api_key(session: Session, name: str, office: Office | None, now: datetime) -> str:
    key = auth.new_token()
    session.add(ApiKey(key_hash=auth.digest(key), name=name, office_id=office.id if office else None,
                       created_at=now))
    return key


@dataclass(frozen=True)
class ImportReport:
    categories: int
    holidays: int
    policy: bool


def import_reference(session: Session, *, categories_json: str | None, policy_json: str | None,
                     holiday_years: range) -> ImportReport:
    """Categories (a JSON list like the bundled one), the SLA policy (validated) and holidays + cuti bersama."""
    cats = json.loads(categories_json) if categories_json else [c.__dict__ for c in default_categories()]
    n_cat = 0
    for row in cats:
        existing = session.get(Category, row["id"])
        if existing is None:
            session.add(Category(id=row["id"], parent_id=row.get("parent_id"), name=row["name"],
                                 name_en=row.get("name_en", ""), active=row.get("active", True)))
            n_cat += 1
        else:
            existing.name, existing.name_en = row["name"], row.get("name_en", "")
    policy = SlaPolicy.from_json(policy_json) if policy_json else SlaPolicy.bundled()
    session.add(SlaPolicyRecord(effective_from=policy.effective_from, policy_json=policy.to_json()))
    n_hol = 0
    for day, name, kind in default_holidays(holiday_years):
        if session.get(Holiday, day) is None:
            session.add(Holiday(day=day, name=name, kind=kind))
            n_hol += 1
    bump_reference(session)
    session.flush()
    kpi_national.rebuild(session)  # the deadlines may have moved: the national figures are computed again
    return ImportReport(n_cat, n_hol, True)


def message_of(exc: ValidationError) -> Message:
    return exc.message
