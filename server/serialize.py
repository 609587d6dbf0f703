"""Server rows as the wire's entity dicts (for pull pages and conflict answers)."""

from __future__ import annotations

from typing import Any

from server.models import Attachment, Complaint, Office, Reporter, TimelineEvent, Unit, User


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def complaint(c: Complaint, reporter: Reporter | None) -> dict[str, Any]:
    data = {col.name: _iso(getattr(c, col.key)) for col in Complaint.__table__.columns
            if col.name not in Complaint.SERVER_ONLY}
    data["reporter"] = reporter_dict(reporter) if reporter else None
    return data


def reporter_dict(r: Reporter) -> dict[str, Any]:
    return {col.name: _iso(getattr(r, col.key)) for col in Reporter.__table__.columns}


def event(e: TimelineEvent) -> dict[str, Any]:
    return {col.name: _iso(getattr(e, col.key)) for col in TimelineEvent.__table__.columns}


def attachment(a: Attachment) -> dict[str, Any]:
    return {col.name: _iso(getattr(a, col.key)) for col in Attachment.__table__.columns}


def unit(u: Unit) -> dict[str, Any]:
    return {"id": u.id, "office_id": u.office_id, "name": u.name, "active": u.active, "version": u.version}


def user(u: User) -> dict[str, Any]:
    """Accounts with their hashes, so staff can log in offline on their office's PCs."""
    return {"id": u.id, "office_id": u.office_id, "unit_id": u.unit_id, "username": u.username,
            "full_name": u.full_name, "role": u.role, "password_hash": u.password_hash, "active": u.active,
            "version": u.version}


def office(o: Office) -> dict[str, Any]:
    return {"id": o.id, "region_code": o.region_code, "name": o.name, "tz": o.tz, "version": o.version}
