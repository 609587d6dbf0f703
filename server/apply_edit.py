"""Edits merge field by field against the version the PC based them on: a field nobody else changed meanwhile is
applied; one changed on both sides to different values becomes a conflict for people to review (both values kept)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.domain import EventKind
from app.errors import ValidationError
from app.ids import new_id
from app.rules.records import check_edit_fields, edit_status_problem, may_edit
from server import kpi_national
from server.apply_common import Rejected, add_event, bump, event_as_sent, mutation_result, office_today
from server.apply_intake import INCIDENT_DATE_TOLERANCE
from server.kpi_facts import FACT_COLUMNS
from server.models import Complaint, User
from sync.protocol import (
    EDITABLE_FIELDS,
    EditArgs,
    EventData,
    Mutation,
    MutationResult,
    MutationStatus,
)

# json.dumps(..., sort_keys=True) without building an encoder for each call (same text).
_SORTED_JSON = json.JSONEncoder(sort_keys=True).encode


def apply_edit(session: Session, m: Mutation, c: Complaint, user: User | None, args: EditArgs, client_id: str,
          now: datetime) -> MutationResult:
    if user is None or not may_edit(user.role):
        raise Rejected("permission_denied", "Hanya admin instansi yang boleh mengubah data laporan.")
    if (closed := edit_status_problem(c.status)) is not None:
        raise Rejected("edit_after_close", closed.id)  # another PC closed it first
    unknown = set(args.fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise Rejected("bad_arguments", "Kolom tidak dapat diubah: " + ", ".join(sorted(unknown)))
    if args.event is not None and args.event.kind != EventKind.EDITED:
        raise Rejected("bad_arguments", f"Jenis peristiwa harus {EventKind.EDITED}.")
    fields = _validated_edit(c, args.fields, office_today(session, c.office_id, now) + INCIDENT_DATE_TOLERANCE)
    versions = _field_versions(c)
    applied: dict[str, Any] = {}
    conflicts: dict[str, dict[str, Any]] = {}
    for name, new in fields.items():
        current = getattr(c, name)
        current_wire = current.isoformat() if isinstance(current, date) else current
        changed_at, changed_by = versions.get(name, (0, None))
        # Untouched since the PC's base, or last changed by this same PC (its queue is in order, so its later
        # edit was made knowing its earlier one): apply. Otherwise someone else changed it meanwhile.
        if changed_at <= m.base_version or changed_by == client_id:
            if current_wire != new:
                applied[name] = new
        elif current_wire != new:
            conflicts[name] = {"mine": new, "theirs": current_wire}
    # Nothing of its KPI facts changed (a title, an address): its marks need no computing again at commit.
    with kpi_national.quiet(session, unchanged=not set(applied) & FACT_COLUMNS):
        if applied:
            new_version = c.version + 1
            for name, value in applied.items():
                setattr(c, name, date.fromisoformat(value) if name == "incident_date" and value else value)
                versions[name] = (new_version, client_id)
            c.field_versions = _SORTED_JSON({k: list(v) for k, v in versions.items()})
        history = args.event is not None and add_event(session, c, args.event, now)  # who changed what, from what
        if conflicts:
            add_event(session, c, EventData(
                id=new_id(), complaint_id=c.id, kind=EventKind.CONFLICT_MERGED, at=now,
                actor_user_id=user.id, data_json=json.dumps({"conflicts": conflicts}, sort_keys=True, default=str)),
                now, from_client=False)
        if applied or conflicts or history:
            bump(session, c, now)
    if conflicts:
        return mutation_result(m, MutationStatus.CONFLICT, c, code="field_conflict",
                       server_values={k: v["theirs"] for k, v in conflicts.items()})
    merged = c.version - (1 if applied or history else 0) > m.base_version
    # As the PC has it: every value as it sent it (no other spelling after validation), and its timeline entry.
    as_sent = fields == args.fields and args.event is not None and event_as_sent(session, c, args.event)
    return mutation_result(m, MutationStatus.MERGED if merged else MutationStatus.APPLIED, c, as_sent=as_sent)


def _field_versions(c: Complaint) -> dict[str, tuple[int, str | None]]:
    """Per editable field: the complaint version that last changed it, and the client that changed it (older rows
    hold only the version)."""
    raw = json.loads(c.field_versions or "{}")
    out: dict[str, tuple[int, str | None]] = {}
    for name, value in raw.items():
        if isinstance(value, list) and len(value) == 2:
            out[name] = (int(value[0]), value[1])
        else:
            out[name] = (int(value), None)
    return out


def _validated_edit(c: Complaint, fields: dict[str, Any], today: date) -> dict[str, Any]:
    """The desktop's rules for editable fields (app.rules.records), so a modified client cannot store what the app
    refuses; values come back in their wire form. ``today``: the latest incident date accepted (the server's date in
    the office's zone, plus the tolerance intakes have for a PC whose clock runs ahead)."""
    try:
        return check_edit_fields(fields, today, latitude=c.latitude, longitude=c.longitude)
    except ValidationError as exc:
        detail = "; ".join(f"{k}: {v.id}" for k, v in exc.fields.items())
        raise Rejected("validation", f"Data tidak valid — {detail}") from None
