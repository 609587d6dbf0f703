"""The conflict review queue: a field two PCs changed at once. The server kept the value that reached it first
(``theirs``); the other (``mine``: the edit that arrived second) waits here for a person to decide. Keep theirs, keep
mine, or type a new value; a chosen value goes through the normal edit, so it is validated, audited, written on the
timeline and sent to the server like any edit.

The queue is the office's: the decision is written into that edit's timeline entry (``"resolves": {item id:
choice}``; keep theirs, or a value already there, writes an entry with no changes), so it reaches the server and,
through it, every PC of the office, including one enrolled later, which closes the item
(sync/apply_pull.py, settle_conflicts).

The queue itself is filled by sync (sync/apply_pull.py) from the server's CONFLICT_MERGED events; this module only
reads and decides, and never imports sync.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.capture import Mutation
from app.domain import EventKind, Role
from app.errors import ConflictAlreadyResolved, Message, NotFound, ValidationError
from app.inputs import ComplaintEdit
from app.models import Complaint, ConflictItem, User
from app.rules.records import CLEARABLE, EDIT_ROLES
from app.rules.scope import Reach, Scope
from app.services.common import add_event, touch
from app.services.context import ServiceContext, load_actor, load_complaint, record_change
from app.services.records import edit_in_session

# Deciding means editing the complaint, so the roles that may edit fields; anyone who works complaints may look.
RESOLVE_ROLES = EDIT_ROLES
REVIEW_ROLES = (Role.ADMIN_INSTANSI, Role.PENGHUBUNG, Role.PETUGAS_LOKET, Role.PIMPINAN)

FIELD_LABELS: dict[str, Message] = {
    "title": Message("Judul", "Title"),
    "description": Message("Isi laporan", "Description"),
    "classification": Message("Klasifikasi", "Classification"),
    "category_id": Message("Kategori", "Category"),
    "incident_date": Message("Tanggal kejadian", "Incident date"),
    "region_code": Message("Wilayah", "Region"),
    "address": Message("Alamat", "Address"),
    "latitude": Message("Lintang", "Latitude"),
    "longitude": Message("Bujur", "Longitude"),
    "is_supervisory": Message("Berkadar pengawasan", "Supervisory"),
    "is_confidential": Message("Rahasia", "Confidential"),
}
DECISIONS = "resolves"  # in an EDITED timeline entry's data: {conflict item id: choice}
TEXT_FIELDS = frozenset({"title", "description", "classification", "category_id", "region_code", "address"})
FLAG_FIELDS = frozenset({"is_supervisory", "is_confidential"})


class Choice(StrEnum):
    MINE = "mine"  # the value of the edit that arrived second
    THEIRS = "theirs"  # the value the server kept (what every PC shows after its pull)
    EDIT = "edit"  # a value the person types


@dataclass(frozen=True)
class ConflictView:
    id: str
    complaint_id: str
    tracking_code: str
    title: str
    field: str
    field_label: str  # Indonesian
    field_label_en: str
    mine: Any  # JSON values as the server reported them (dates as ISO text)
    theirs: Any
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None


def field_label(name: str) -> Message:
    return FIELD_LABELS.get(name, Message(name, name))


def _view(item: ConflictItem, complaint: Complaint) -> ConflictView:
    label = field_label(item.field)
    return ConflictView(
        id=item.id, complaint_id=item.complaint_id, tracking_code=complaint.tracking_code, title=complaint.title,
        field=item.field, field_label=label.id, field_label_en=label.en, mine=json.loads(item.mine_json),
        theirs=json.loads(item.theirs_json), created_at=item.created_at, resolved_at=item.resolved_at,
        resolution=item.resolution)


def list_conflicts(ctx: ServiceContext, actor_id: str, *, include_resolved: bool = False) -> list[ConflictView]:
    """The review queue of the actor's office, oldest first: the complaints the actor's role may open (a liaison's:
    their unit's, app.rules.scope)."""
    with ctx.store.read() as session:
        actor = load_actor(session, actor_id, REVIEW_ROLES)
        scope = Scope.of(actor)
        if scope.reach == Reach.NONE:
            return []
        q = _within(select(ConflictItem, Complaint), scope)
        if not include_resolved:
            q = q.where(ConflictItem.resolved_at.is_(None))
        rows = session.execute(q.order_by(ConflictItem.created_at, ConflictItem.id))
        return [_view(item, complaint) for item, complaint in rows]


def open_conflict_count(ctx: ServiceContext, scope: Scope) -> int:
    """Conflicts still waiting for a decision on the complaints ``scope`` may open (for the navigation's count: the
    same ones :func:`list_conflicts` shows that person)."""
    if scope.reach == Reach.NONE:
        return 0
    q = _within(select(func.count()).select_from(ConflictItem), scope).where(ConflictItem.resolved_at.is_(None))
    with ctx.store.read() as session:
        return int(session.execute(q).scalar_one())


_Q = TypeVar("_Q", bound="Select[*tuple[Any, ...]]")


def _within(q: _Q, scope: Scope) -> _Q:
    """``q`` over the conflicts of the complaints ``scope`` may open (its reach is not NONE)."""
    q = q.join(Complaint, Complaint.id == ConflictItem.complaint_id).where(Complaint.office_id == scope.office_id)
    return q.where(Complaint.unit_id == scope.unit_id) if scope.reach == Reach.UNIT else q


def resolve_conflict(ctx: ServiceContext, actor_id: str, conflict_id: str, *, choice: str,
                     value: Any = None) -> ConflictView:
    """Decide a conflict, in one transaction. Keep theirs: the pull already put the server's value in this PC's
    copy. Keep mine, or edit: the value goes through :func:`edit_complaint` (validated, audited, on the timeline,
    captured for sync on the current server version). Either way the decision goes on the timeline for the
    office's other PCs, and the item is marked resolved."""
    decision = _choice(choice)
    now = ctx.clock()
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id, RESOLVE_ROLES)
        item = session.get(ConflictItem, conflict_id)
        if item is None:
            raise NotFound(Message("Konflik tidak ditemukan.", "Conflict not found."))
        complaint = load_complaint(session, actor, item.complaint_id)
        if item.resolved_at is not None:
            raise ConflictAlreadyResolved(Message(
                f"Konflik {field_label(item.field).id} pada laporan {complaint.tracking_code} sudah diselesaikan.",
                f"The {field_label(item.field).en.lower()} conflict on complaint {complaint.tracking_code} was "
                "already resolved."))
        note = {DECISIONS: {item.id: decision.value}}
        changed: list[str] = []
        if decision != Choice.THEIRS:
            chosen = json.loads(item.mine_json) if decision == Choice.MINE else value
            edit = _edit_of(item.field, chosen, complaint)
            changed = edit_in_session(ctx, session, actor, complaint, edit, note=note)
        decision_only = None if changed else _decision_only(session, actor, complaint, note, now)
        item.resolved_at, item.resolution, item.resolved_by = now, decision.value, actor.id
        record_change(ctx, session, actor=actor, action="conflict.resolve", entity_type="complaint",
                      entity_id=complaint.id, details={"conflict": item.id, "field": item.field,
                                                       "choice": decision.value}, mutation=decision_only)
        session.flush()
        return _view(item, complaint)


def _decision_only(session: Session, actor: User, complaint: Complaint, note: dict[str, Any],
                   now: datetime) -> Mutation:
    """A decision that changes no value (keep theirs, or a value already there): an edit of no fields whose timeline
    entry carries the decision, which the server stores like any edit's and sends to the office's PCs."""
    event = add_event(session, complaint, kind=EventKind.EDITED, at=now, actor=actor, data={"changes": {}, **note})
    touch(complaint, now)
    return Mutation(name="complaint.edit", entity_type="complaint", entity_id=complaint.id,
                    base_version=complaint.server_version, args={"fields": {}, "event_id": event.id},
                    user_id=actor.id)


def decisions_in(data_json: str | None) -> dict[str, str]:
    """The conflict decisions an EDITED timeline entry carries, ``{item id: choice}`` (made on any PC)."""
    try:
        found = json.loads(data_json or "{}").get(DECISIONS)
    except (ValueError, AttributeError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {str(item_id): choice for item_id, choice in found.items()
            if isinstance(choice, str) and choice in set(Choice)}


def _choice(choice: str) -> Choice:
    try:
        return Choice(choice)
    except ValueError:
        raise ValidationError({"choice": Message("Pilih: punya saya, punya mereka, atau ubah.",
                                                 "Choose: mine, theirs or edit.")}) from None


def _edit_of(name: str, value: Any, complaint: Complaint) -> ComplaintEdit:
    """The edit that sets ``name`` to ``value`` (JSON or typed); a coordinate keeps its pair's current value. No
    value empties an optional field (a coordinate with its pair)."""
    if name not in {f.name for f in fields(ComplaintEdit)} - {"clear"}:
        raise ValidationError({name: Message("Kolom ini tidak dapat diubah.", "This field cannot be edited.")})
    if value is None or value == "":
        if name in CLEARABLE:
            return ComplaintEdit(clear=frozenset({name}))
        raise ValidationError({name: Message("Nilai wajib diisi.", "A value is required.")})
    wrong = ValidationError({name: Message("Nilai tidak sesuai jenis kolom.", "The value does not fit the field.")})
    if name in TEXT_FIELDS or name in FLAG_FIELDS:
        if not isinstance(value, str if name in TEXT_FIELDS else bool):
            raise wrong
        change: dict[str, Any] = {name: value}
        return replace(ComplaintEdit(), **change)
    if name == "incident_date":
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                raise ValidationError({name: Message("Tanggal harus berformat TTTT-BB-HH.",
                                                     "Use the format YYYY-MM-DD.")}) from None
        if not isinstance(value, date) or isinstance(value, datetime):
            raise wrong
        return ComplaintEdit(incident_date=value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise wrong
    if name == "latitude":
        return ComplaintEdit(latitude=float(value), longitude=complaint.longitude)
    return ComplaintEdit(latitude=complaint.latitude, longitude=float(value))
