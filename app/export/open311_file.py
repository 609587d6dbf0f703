"""The Open311 GeoReport v2 export: the complaints the list shows, as the national server's /open311 answers about
them — each built by app.open311.service_request, the serializer the server uses, written as the spec's JSON (a
list of requests) or its XML (``<service_requests>``, app.open311.to_xml).

Not through app.open311.requests_from_store: it filters with the spec's arguments, and the list's filter also has a
channel, a deadline state and a text search, and its own order. Confidential complaints are left out in SQL (the
serializer would refuse them anyway); a request never carries a reporter (ComplaintFacts has none), so this export
has no personal-data option at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.export.complaints import ListQuery, list_statement, split_ids
from app.models import Category, Complaint, Office
from app.open311 import service_request


class _Facts(NamedTuple):
    """app.open311.ComplaintFacts from one row."""

    tracking_code: str
    status: str
    category_id: str | None
    description: str
    office_id: str | None
    region_code: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    is_confidential: bool
    received_at: datetime
    updated_at: datetime
    closed_at: datetime | None


_SELECTED = (Complaint.tracking_code, Complaint.status, Complaint.category_id, Complaint.description,
             Complaint.office_id, Complaint.region_code, Complaint.address, Complaint.latitude, Complaint.longitude,
             Complaint.is_confidential, Complaint.received_at, Complaint.updated_at, Complaint.closed_at)


def requests(session: Session, q: ListQuery, *, now: datetime, due_soon: timedelta) -> Iterator[dict[str, Any]]:
    """The GeoReport requests of the list's non-confidential complaints, in the list's order."""
    names: dict[str, str] = {cid: name for cid, name in session.execute(select(Category.id, Category.name))}
    office = session.execute(select(Office.name).where(Office.id == q.office_id)).scalar()
    agencies = {q.office_id: office} if office else {}
    q, wanted = split_ids(q)
    statement = list_statement(q, (*_SELECTED, Complaint.id), now=now, due_soon=due_soon).where(
        Complaint.is_confidential.is_(False))
    for *facts, complaint_id in session.execute(statement):
        if wanted is None or complaint_id in wanted:
            yield service_request(_Facts(*facts), names, agencies)


def confidential_count(session: Session, q: ListQuery, *, now: datetime, due_soon: timedelta) -> int:
    """How many of the list's complaints are confidential (left out of the Open311 export)."""
    q, wanted = split_ids(q)
    if wanted is not None:
        statement = list_statement(q, [Complaint.id], now=now, due_soon=due_soon).order_by(None).where(
            Complaint.is_confidential.is_(True))
        return sum(1 for (complaint_id,) in session.execute(statement) if complaint_id in wanted)
    statement = list_statement(q, [func.count()], now=now, due_soon=due_soon).order_by(None).where(
        Complaint.is_confidential.is_(True))
    return int(session.execute(statement).scalar() or 0)
