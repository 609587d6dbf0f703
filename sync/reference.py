"""Reference data and the office's accounts, downloaded from the server: categories, the SLA policy, holidays,
units, users (with password hashes, so staff log in offline) and the office's contact details (printed on the
citizen's papers)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Category, Holiday, Office, SlaPolicyRecord
from app.services.context import ServiceContext
from sync import state
from sync.apply_pull import _upsert_unit, _upsert_user
from sync.protocol import OfficeContactData, ReferenceData
from sync.transport import Transport


def sync_reference(ctx: ServiceContext, transport: Transport, office_id: str) -> bool:
    """Download reference data if it changed since last time; True if anything was installed."""
    data = transport.request_model("GET", "/api/v1/reference", ReferenceData)
    with ctx.store.transaction() as session:
        if state.held_reference_version(session) == str(data.version):
            return False
        # What is held read once (looked up one at a time, a new PC's first download took about 40 ms longer). A
        # parent is one held before or installed before its child (parents first), as before.
        categories = {c.id: c for c in session.scalars(select(Category))}
        for row in sorted(data.categories, key=lambda r: (r.get("parent_id") is not None, r["id"])):
            parent_id = row.get("parent_id") if row.get("parent_id") in categories else None
            cat = categories.get(row["id"])
            if cat is None:
                cat = categories[row["id"]] = Category(id=row["id"])
                session.add(cat)
            cat.parent_id = parent_id
            cat.name, cat.name_en, cat.active = row["name"], row.get("name_en", ""), row.get("active", True)
        session.flush()
        held_days = set(session.scalars(select(Holiday.day)))
        for row in data.holidays:
            day = date.fromisoformat(row["day"])
            if day not in held_days:
                held_days.add(day)
                session.add(Holiday(day=day, name=row["name"], kind=row["kind"]))
        if data.sla_policy:
            from app.rules.sla import SlaPolicy

            policy = SlaPolicy.from_json(__import__("json").dumps(data.sla_policy))
            latest = session.execute(select(SlaPolicyRecord).order_by(SlaPolicyRecord.id.desc()).limit(1)).scalar()
            if latest is None or latest.policy_json != policy.to_json():
                session.add(SlaPolicyRecord(effective_from=policy.effective_from, policy_json=policy.to_json(),
                                            source="server"))
        for unit in data.units:
            _upsert_unit(session, unit, office_id)
        session.flush()
        for user in data.users:
            _upsert_user(session, user, office_id)
        if data.office_contact is not None:  # None: a server older than protocol 5 says nothing; keep what we hold
            _install_contact(session, office_id, data.office_contact)
        state.hold_reference_version(session, data.version)
    ctx.reload_rules()
    return True


def _install_contact(session: Session, office_id: str, contact: OfficeContactData) -> None:
    """The home office's contact as the server holds it (a field the server has emptied is emptied here)."""
    office = session.get(Office, office_id)
    if office is None:  # enrolment wrote the home office; nothing to print on without it
        return
    office.contact_address, office.contact_phone = contact.address, contact.phone
    office.contact_email, office.contact_website = contact.email, contact.website
    office.service_hours = contact.service_hours


__all__ = ["date", "sync_reference"]
