"""Changes that are not status moves: internal notes, edits of editable fields, attachments."""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.domain import EventKind
from app.errors import InvalidTransition, Message, PermissionDenied, StoreError, ValidationError
from app.ids import new_id
from app.inputs import ComplaintEdit
from app.models import Attachment, Category, Complaint, User
from app.read.search import index_complaint
from app.rules.records import (
    ATTACH_ROLES,
    CLEARABLE,
    EDIT_ROLES,
    EDITABLE_FIELDS,
    NOTE_ROLES,
    NOTE_TEXT,
    attachment_size_problem,
    attachment_type_problem,
    check_edit_fields,
    edit_status_problem,
    may_edit,
)
from app.rules.validation import FieldErrors
from app.rules.workflow import clean_text
from app.services.common import add_event, record_complaint_change, refresh_deadlines, touch
from app.services.context import ServiceContext, load_actor, load_complaint
from app.store.blobfiles import PartialFile
from app.timeutil import server_now, zone


def add_note(ctx: ServiceContext, actor_id: str, complaint_id: str, *, text: str) -> str:
    """An internal note on the timeline (never shown to the reporter). Returns the event id."""
    body = clean_text(text, NOTE_TEXT)
    now = ctx.clock()
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id, NOTE_ROLES)
        complaint = load_complaint(session, actor, complaint_id)
        event = add_event(session, complaint, kind=EventKind.NOTE, at=now, actor=actor, text=body)
        touch(complaint, now)
        record_complaint_change(
            ctx, session, complaint, actor, action="complaint.note",
            args={"event_id": event.id, "text": body}, audit_details={"event": EventKind.NOTE},
        )
        return event.id


def _validated_edit(edit: ComplaintEdit, complaint: Complaint, today: date) -> dict[str, Any]:
    """The edit as wire-form fields (None empties a field), checked by app.rules.records as the server checks it;
    what only this form can get wrong (emptying a required field, giving and emptying one) is checked here."""
    errors = FieldErrors()
    for name in sorted(edit.clear):
        if name not in CLEARABLE:
            errors.add(name, Message("Kolom ini wajib diisi dan tidak dapat dikosongkan.",
                                     "This field is required and cannot be emptied."))
        elif getattr(edit, name) is not None:
            errors.add(name, Message("Kolom ini diisi dan dikosongkan sekaligus.",
                                     "This field is both given and emptied."))
    clear = edit.clear | ({"latitude", "longitude"} if {"latitude", "longitude"} & edit.clear else set())
    wire: dict[str, Any] = {name: None for name in clear if name in CLEARABLE}
    for f in fields(edit):
        value = getattr(edit, f.name)
        if f.name != "clear" and value is not None:
            wire[f.name] = value.isoformat() if isinstance(value, date) else value
    if ("latitude" in wire) != ("longitude" in wire) and "latitude" not in clear:
        errors.add("latitude", Message("Isi lintang dan bujur sekaligus.", "Give both latitude and longitude."))
    try:
        checked = check_edit_fields(wire, today, latitude=complaint.latitude, longitude=complaint.longitude)
    except ValidationError as exc:
        for name, message in exc.fields.items():
            errors.add(name, message)
    errors.raise_if_any()
    return checked


def _checked_edit(ctx: ServiceContext, session: Session, complaint: Complaint, edit: ComplaintEdit,
                  now: datetime) -> dict[str, Any]:
    """:func:`_validated_edit` with the category looked up, every problem at once (ValidationError)."""
    # "Today" is the office's local date, as at intake (UTC is a day behind in the early morning in WIB), and the
    # later of the PC's and the server's as this PC knows it (app.services.intake).
    today = max(now, server_now(session, now)).astimezone(zone(ctx.office_tz(session, complaint.office_id))).date()
    try:
        clean = _validated_edit(edit, complaint, today)
    except ValidationError as exc:
        errors = dict(exc.fields)
        clean = {}
    else:
        errors = {}
    category = clean.get("category_id", edit.category_id)
    if isinstance(category, str) and category and session.get(Category, category) is None:
        errors.setdefault("category_id", Message("Kategori tidak dikenal.", "Unknown category."))
    if errors:
        raise ValidationError(errors)
    return clean


def edit_problems(ctx: ServiceContext, actor_id: str, complaint_id: str, edit: ComplaintEdit) -> dict[str, Message]:
    """What :func:`edit_complaint` would find wrong with ``edit``'s fields, by field, without changing anything: for
    a form that found problems of its own (a coordinate that is not a number) to show them all at once."""
    with ctx.store.read() as session:
        actor = load_actor(session, actor_id, EDIT_ROLES)
        complaint = load_complaint(session, actor, complaint_id)
        try:
            _checked_edit(ctx, session, complaint, edit, ctx.clock())
        except ValidationError as exc:
            return dict(exc.fields)
    return {}


def edit_complaint(ctx: ServiceContext, actor_id: str, complaint_id: str, edit: ComplaintEdit) -> list[str]:
    """Change editable fields; the timeline keeps the old and new values. Returns the changed field names."""
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id, EDIT_ROLES)
        return edit_in_session(ctx, session, actor, load_complaint(session, actor, complaint_id), edit)


def edit_in_session(ctx: ServiceContext, session: Session, actor: User, complaint: Complaint,
                    edit: ComplaintEdit, *, note: dict[str, Any] | None = None) -> list[str]:
    """:func:`edit_complaint` inside the caller's transaction (with its audit, timeline entry and outbox row), for
    a service whose own change includes an edit (resolving a sync conflict); ``note`` goes into the timeline
    entry's data with the changes."""
    now = ctx.clock()
    if not may_edit(actor.role):
        raise PermissionDenied(Message("Hanya admin instansi yang boleh mengubah data laporan.",
                                       "Only the office admin may edit a complaint."))
    if (closed := edit_status_problem(complaint.status)) is not None:
        raise InvalidTransition(closed)
    clean = _checked_edit(ctx, session, complaint, edit, now)
    changes: dict[str, list[Any]] = {}
    for name in EDITABLE_FIELDS:
        if name not in clean:
            continue
        new = clean[name]
        if name == "incident_date" and new is not None:
            new = date.fromisoformat(new)
        old = getattr(complaint, name)
        if new != old:
            changes[name] = [old, new]
            setattr(complaint, name, new)
    if not changes:
        return []
    touch(complaint, now)
    refresh_deadlines(ctx, session, complaint)
    event = add_event(session, complaint, kind=EventKind.EDITED, at=now, actor=actor,
                      data={"changes": changes, **(note or {})})
    if {"title", "description"} & changes.keys():
        index_complaint(session, complaint.id)
    record_complaint_change(
        ctx, session, complaint, actor, action="complaint.edit",
        args={"fields": {k: v[1] for k, v in changes.items()}, "event_id": event.id},
        audit_details={"fields": sorted(changes)},
    )
    return sorted(changes)


def blob_path(blob_dir: Path, sha256: str) -> Path:
    return blob_dir / sha256[:2] / sha256


def store_blob(blob_dir: Path, source: Path) -> tuple[str, int]:
    """Copy a file into the content-addressed blob store; returns (sha256, size). Idempotent."""
    digest = hashlib.sha256()
    size = 0
    with PartialFile(blob_dir) as partial, source.open("rb") as src:
        while chunk := src.read(1 << 20):
            size += len(chunk)
            if (too_big := attachment_size_problem(size)) is not None:
                raise ValidationError({"file": too_big})
            digest.update(chunk)
            partial.write(chunk)
        sha = digest.hexdigest()
        final = blob_path(blob_dir, sha)
        if not final.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            partial.commit(final)
    return sha, size


def attach_file(ctx: ServiceContext, actor_id: str, complaint_id: str, source: Path,
                *, filename: str | None = None) -> str:
    """Attach a file: bytes to the blob store first, then metadata and a timeline event in one transaction."""
    if ctx.blob_dir is None:
        raise StoreError(Message("Folder lampiran belum diatur.", "No attachment folder configured."))
    name = filename or source.name
    if (wrong_type := attachment_type_problem(name)) is not None:
        raise ValidationError({"file": wrong_type})
    if not source.is_file():
        raise ValidationError({"file": Message(f"Berkas tidak ditemukan: {source}", f"File not found: {source}")})
    with ctx.store.read() as session:  # refuse before any bytes reach the blob store
        load_complaint(session, load_actor(session, actor_id, ATTACH_ROLES), complaint_id)
    sha, size = store_blob(ctx.blob_dir, source)
    now = ctx.clock()
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id, ATTACH_ROLES)
        complaint = load_complaint(session, actor, complaint_id)
        if not blob_path(ctx.blob_dir, sha).is_file():
            # A sync removed these bytes as no longer referenced, between the copy and this transaction (it
            # removes them inside a write transaction, so from here on they stay): copy them again.
            sha, size = store_blob(ctx.blob_dir, source)
        attachment = Attachment(
            id=new_id(), complaint_id=complaint.id, sha256=sha, filename=name[:255],
            mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream", size=size,
            created_at=now, created_by=actor.id, blob_present=True,
        )
        session.add(attachment)
        event = add_event(session, complaint, kind=EventKind.ATTACHMENT_ADDED, at=now, actor=actor,
                          data={"attachment_id": attachment.id, "filename": attachment.filename})
        session.flush()
        attachment.event_id = event.id
        touch(complaint, now)
        record_complaint_change(
            ctx, session, complaint, actor, action="complaint.attach",
            args={"attachment_id": attachment.id, "sha256": sha, "size": size, "filename": attachment.filename},
            audit_details={"attachment_id": attachment.id, "sha256": sha},
        )
        return attachment.id


def copy_blob_out(blob_dir: Path, sha256: str, dest: Path) -> None:
    shutil.copyfile(blob_path(blob_dir, sha256), dest)
