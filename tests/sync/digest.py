"""A digest of one office's complaints, reporters, timelines and attachments, computed the same way from a PC's
store and from the server's database, so "the PC converged with the server" is one comparison with a readable diff.

The server is the authority, so where a PC legitimately cannot hold a value (an actor from another office: the PC
only knows its own office's accounts) the server's side is mapped the same way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.models import Attachment, Complaint, Reporter, TimelineEvent
from app.store.db import Store
from server import models as srv
from server.db import Database

COMPLAINT_FIELDS = (
    "tracking_code", "national_tracking_id", "classification", "category_id", "title", "description",
    "incident_date", "region_code", "address", "latitude", "longitude", "channel", "is_anonymous",
    "is_confidential", "is_supervisory", "reporter_id", "unit_id", "status", "archive_reason", "received_at",
    "disposed_at", "followed_up_at", "postponed_at", "closed_at", "updated_at",
)
REPORTER_FIELDS = ("name", "nik", "phone", "email", "address", "assistance_needs", "consent_at")
EVENT_FIELDS = ("complaint_id", "kind", "at", "actor_user_id", "from_status", "to_status", "text", "data_json")
ATTACHMENT_FIELDS = ("complaint_id", "event_id", "sha256", "filename", "mime_type", "size", "created_at",
                     "created_by")


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json(value: str | None) -> Any:
    return json.loads(value) if value else None


@dataclass(frozen=True)
class OfficeDigest:
    complaints: dict[str, dict[str, Any]]
    events: dict[str, dict[str, Any]]
    attachments: dict[str, dict[str, Any]]

    def hexdigest(self) -> str:
        body = json.dumps([self.complaints, self.events, self.attachments], sort_keys=True, default=str)
        return hashlib.sha256(body.encode()).hexdigest()

    def diff(self, other: OfficeDigest, limit: int = 12) -> list[str]:
        """What differs, as short lines (``self`` is "left", ``other`` "right")."""
        lines: list[str] = []
        for name in ("complaints", "events", "attachments"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for key in sorted(mine.keys() - theirs.keys()):
                lines.append(f"{name} {key}: only left {mine[key]}")
            for key in sorted(theirs.keys() - mine.keys()):
                lines.append(f"{name} {key}: only right {theirs[key]}")
            for key in sorted(mine.keys() & theirs.keys()):
                for f, v in mine[key].items():
                    if theirs[key].get(f) != v:
                        lines.append(f"{name} {key}.{f}: left {v!r} right {theirs[key].get(f)!r}")
        return lines[:limit] + ([f"... {len(lines) - limit} more"] if len(lines) > limit else [])


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    row = {f: _norm(getattr(obj, f)) for f in fields}
    if "data_json" in row:
        row["data_json"] = _json(row["data_json"])
    return row


def client_digest(store: Store, office_id: str) -> OfficeDigest:
    with store.read() as s:
        complaints: dict[str, dict[str, Any]] = {}
        for c in s.execute(select(Complaint).where(Complaint.office_id == office_id)).scalars():
            row = _row(c, COMPLAINT_FIELDS)
            row["version"] = c.server_version
            reporter = s.get(Reporter, c.reporter_id) if c.reporter_id else None
            row["reporter"] = _row(reporter, REPORTER_FIELDS) if reporter else None
            complaints[c.id] = row
        ids = set(complaints)
        events = {e.id: _row(e, EVENT_FIELDS) for e in s.execute(select(TimelineEvent)).scalars()
                  if e.complaint_id in ids}
        attachments = {a.id: _row(a, ATTACHMENT_FIELDS) for a in s.execute(select(Attachment)).scalars()
                       if a.complaint_id in ids}
    return OfficeDigest(complaints, events, attachments)


def server_digest(db: Database, office_id: str) -> OfficeDigest:
    with db.transaction() as s:
        staff = set(s.execute(select(srv.User.id).where(srv.User.office_id == office_id)).scalars())
        complaints: dict[str, dict[str, Any]] = {}
        for c in s.execute(select(srv.Complaint).where(srv.Complaint.office_id == office_id)).scalars():
            row = _row(c, COMPLAINT_FIELDS)
            row["version"] = c.version
            reporter = s.get(srv.Reporter, c.reporter_id) if c.reporter_id else None
            row["reporter"] = _row(reporter, REPORTER_FIELDS) if reporter else None
            complaints[c.id] = row
        ids = list(complaints)
        events: dict[str, dict[str, Any]] = {}
        attachments: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for e in s.execute(select(srv.TimelineEvent).where(srv.TimelineEvent.complaint_id.in_(chunk))).scalars():
                row = _row(e, EVENT_FIELDS)
                row["actor_user_id"] = row["actor_user_id"] if row["actor_user_id"] in staff else None
                events[e.id] = row
            for a in s.execute(select(srv.Attachment).where(srv.Attachment.complaint_id.in_(chunk))).scalars():
                row = _row(a, ATTACHMENT_FIELDS)
                row["created_by"] = row["created_by"] if row["created_by"] in staff else None
                attachments[a.id] = row
    return OfficeDigest(complaints, events, attachments)


def assert_converged(store: Store, db: Database, office_id: str, who: str = "PC") -> OfficeDigest:
    """The PC's copy of the office equals the server's; returns the digest."""
    mine, theirs = client_digest(store, office_id), server_digest(db, office_id)
    if mine != theirs:
        raise AssertionError(f"{who} differs from the server (left = {who}, right = server):\n  "
                             + "\n  ".join(mine.diff(theirs)))
    return mine


def assert_same(left: OfficeDigest, right: OfficeDigest, what: str = "") -> None:
    if left != right:
        raise AssertionError(f"digests differ {what}:\n  " + "\n  ".join(left.diff(right)))
