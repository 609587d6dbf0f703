"""Applying pushed mutations: the server is the authority. Each mutation runs in its own savepoint and ends
as applied, merged, conflict or rejected; a rejection is permanent and the queue moves on.

Rules (../shared/DESIGN.md, Sync): transitions are commands checked against app.workflow (legal now → apply;
already there → success; otherwise a TRANSITION_REJECTED event keeps what the person wrote); editable fields
merge one by one against ``base_version``; append-only children merge by id.

Whatever the outcome, the PC's copy ends equal to the server's: a refused or partly applied change moves the
complaint to a new version with a change-log row, so the PC's next pull corrects what it applied locally. A change
applied exactly as the PC made it, on the state the PC had, is marked ``exact`` (in the result and in its change-log
rows): the PC stamps its copy from the result and its pull does not send the change back.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import ValidationError as PydanticError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, StatementError
from sqlalchemy.orm import Session

from app import workflow
from app.domain import ArchiveReason, Classification, EventKind, Role, Status
from app.errors import Message
from app.field_validators import FieldErrors, coordinates, incident_date, region_code, required_text
from app.ids import new_id
from app.services.records import ATTACH_ROLES, NOTE_ROLES
from server import changelog, serialize
from server.auth import DeviceIdentity
from server.models import Attachment, ChangeLogEntry, Complaint, Reporter, TimelineEvent, Unit, User
from sync.protocol import (
    EDITABLE_FIELDS,
    STAMP_FIELDS,
    AttachArgs,
    ComplaintData,
    EditArgs,
    EventData,
    IntakeArgs,
    Mutation,
    MutationResult,
    MutationStatus,
    NoteArgs,
    ReporterData,
    TransitionArgs,
)

log = logging.getLogger("lapor.server.apply")
TRANSITION_ACTIONS = frozenset(t.action for t in workflow.TRANSITIONS)
CONTENT_EVENTS = frozenset({EventKind.FOLLOW_UP, EventKind.REPORTER_RESPONSE})
CLOSED = frozenset({Status.SELESAI, Status.DIARSIPKAN, Status.BUKAN_WEWENANG})


ROWS_KEY = "lapor_complaint_rows"  # session.info: complaint change-log rows of the mutation being applied


class Rejected(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _result(m: Mutation, status: MutationStatus, c: Complaint | None = None, *, as_sent: bool = False,
            **extra: Any) -> MutationResult:
    """``as_sent``: the change took effect exactly as the PC made it (whether on the state the PC had is for
    :func:`_dispatch` to add)."""
    return MutationResult(seq=m.seq, mutation_id=m.mutation_id, status=status, entity_id=m.entity_id,
                          server_version=c.version if c is not None else None,
                          updated_at=c.updated_at if c is not None else None, exact=as_sent, **extra)


def apply_mutation(session: Session, device: DeviceIdentity, m: Mutation, now: datetime) -> MutationResult:
    """Apply one mutation inside a savepoint; a rejection rolls back only this mutation. Whatever a client sends,
    the answer is a stored result (never a 500 that would block its queue for ever); only a database that is
    unavailable (OperationalError) aborts the push, to be retried."""
    session.info[changelog.ORIGIN_KEY] = device.client_id
    try:
        result = _apply(session, device, m, now)
        return result.model_copy(update={"kept": _kept(session, m)})
    finally:
        session.info.pop(changelog.ORIGIN_KEY, None)
        session.info.pop(ROWS_KEY, None)


def _apply(session: Session, device: DeviceIdentity, m: Mutation, now: datetime) -> MutationResult:
    try:
        with session.begin_nested():
            rows: list[ChangeLogEntry] = []
            session.info[ROWS_KEY] = rows
            result = _dispatch(session, device, m, now)
            for row in rows:  # the complaint as it is now is what the PC holds: its pull skips these rows
                row.exact = bool(result.exact)
            session.flush()  # inside the savepoint, so a row the database refuses rolls back only this mutation
            return result
    except _RejectWithEvent as rej:
        try:
            with session.begin_nested():
                apply_rejection_event(session, rej, now)
        except OperationalError:
            raise
        except (StatementError, ValueError) as exc:  # text the database cannot store: the rejection still holds
            log.info("rejection event not recorded: %s", type(exc).__name__)
            _correct_after_refusal(session, device, m, now)
        if rej.reason == "role_not_allowed":
            return _result(m, MutationStatus.REJECTED, code="permission_denied",
                           message="Perubahan status ditolak: peran pengguna ini tidak boleh mengubah status "
                           f"dari {rej.event.from_status} ke {rej.event.to_status}.")
        return _result(m, MutationStatus.REJECTED, code="transition_rejected",
                       message="Perubahan status ditolak: status laporan di server sudah berubah "
                       f"menjadi {rej.event.from_status}.")
    except Rejected as rej:
        refused = _result(m, MutationStatus.REJECTED, code=rej.code, message=rej.message)
    except PydanticError as exc:
        refused = _result(m, MutationStatus.REJECTED, code="bad_arguments",
                          message=f"Argumen mutasi tidak valid: {exc.error_count()} kesalahan.")
    except OperationalError:
        raise
    except (StatementError, ValueError, TypeError) as exc:
        # Values the database or a parser refuses (a naive time, a string too long for its column, ...).
        refused = _result(m, MutationStatus.REJECTED, code="bad_arguments",
                          message=f"Argumen mutasi tidak dapat disimpan ({type(exc).__name__}).")
    _correct_after_refusal(session, device, m, now)
    return refused


def correct(session: Session, c: Complaint, now: datetime) -> None:
    """What a PC applied locally did not happen here (refused, or overtaken): a new version of the complaint as the
    server has it, with its change-log row, so the PC's next pull puts its copy right. The version moves so that the
    PC's later changes, written on its own copy before that pull, are never taken for exact ones."""
    c.version += 1
    changelog.record(session, office_id=c.office_id or "", entity_type="complaint", entity_id=c.id, op="upsert",
                     version=c.version, now=now)


def _correct_after_refusal(session: Session, device: DeviceIdentity, m: Mutation, now: datetime) -> None:
    """After a refused mutation (its savepoint rolled back): correct the PC's copy of a complaint of its office. A
    refused intake has nothing here to send; a complaint of another office is not this PC's to see."""
    if m.entity_type != "complaint" or m.name == "complaint.intake":
        return
    try:
        with session.begin_nested():
            c = session.get(Complaint, m.entity_id, with_for_update=True, populate_existing=True)
            if c is not None and c.office_id == device.office_id:
                correct(session, c, now)
                session.flush()
    except OperationalError:
        raise
    except (StatementError, ValueError) as exc:
        log.warning("refused mutation: correction not recorded: %s", type(exc).__name__)


def _holds(session: Session, c: Complaint, m: Mutation, client_id: str) -> bool:
    """Whether the PC holds the complaint exactly as it is here: the version its change was based on, or a version
    its own earlier exact change made (the PC wrote this change on top of that one, before hearing back)."""
    if m.base_version == c.version:
        return True
    if m.base_version > c.version:  # a PC ahead of the server: the server was restored from an older backup
        return False
    last = changelog.latest_complaint_row(session, c.id)
    return last is not None and last.exact and last.origin_client_id == client_id and last.version == c.version


def _kept(session: Session, m: Mutation) -> list[str]:
    """The ids of this mutation's timeline event and attachment that the server holds (for the PC to drop the
    ones it does not: a refused step, a step another PC had already taken)."""
    kept: list[str] = []
    for key in ("event", "attachment"):
        child = m.args.get(key)
        child_id = child.get("id") if isinstance(child, dict) else None
        if not isinstance(child_id, str) or not child_id:
            continue
        found = session.get(TimelineEvent, child_id) if key == "event" else session.get(Attachment, child_id)
        if found is not None and found.complaint_id == m.entity_id:
            kept.append(child_id)
    return kept


def _actor(session: Session, device: DeviceIdentity, m: Mutation) -> User | None:
    if m.user_id is None:
        return None
    user = session.get(User, m.user_id)
    if user is None or user.office_id != device.office_id or not user.active:
        raise Rejected("permission_denied", "Pengguna tidak terdaftar atau tidak aktif di instansi perangkat ini.")
    return user


def _role(user: User | None) -> str:
    return user.role if user is not None else Role.SYSTEM


def _complaint(session: Session, device: DeviceIdentity, complaint_id: str) -> Complaint:
    c = session.get(Complaint, complaint_id, with_for_update=True)
    if c is None or c.office_id != device.office_id:
        raise Rejected("not_found", "Laporan tidak ada di instansi ini (mungkin sudah dialihkan).")
    return c


def _dispatch(session: Session, device: DeviceIdentity, m: Mutation, now: datetime) -> MutationResult:
    user = _actor(session, device, m)
    action = m.name.removeprefix("complaint.")
    if m.entity_type != "complaint":
        raise Rejected("unknown_mutation", f"Jenis entitas tidak dikenal: {m.entity_type}")
    if action == "intake":
        return _intake(session, device, m, user, now)
    c = _complaint(session, device, m.entity_id)
    holds = _holds(session, c, m, device.client_id)
    if action in TRANSITION_ACTIONS:
        result = _transition(session, m, c, user, now)
    elif action == "note":
        event = NoteArgs.model_validate(m.args).event
        _check_child_event(user, event, NOTE_ROLES, EventKind.NOTE)
        result = _append_event(session, m, c, event, now)
    elif action == "edit":
        result = _edit(session, m, c, user, EditArgs.model_validate(m.args), device.client_id, now)
    elif action == "attach":
        attach = AttachArgs.model_validate(m.args)
        _check_child_event(user, attach.event, ATTACH_ROLES, EventKind.ATTACHMENT_ADDED)
        result = _attach(session, m, c, attach, now)
    else:
        raise Rejected("unknown_mutation", f"Mutasi tidak dikenal: {m.name}")
    return result.model_copy(update={"exact": holds and bool(result.exact)})


def _check_child_event(user: User | None, event: EventData, roles: tuple[str, ...], kind: str) -> None:
    """Notes and attachments: only roles the desktop allows, and only their own kind of timeline event (a
    modified client cannot slip a CLOSED event onto a timeline without the status change)."""
    if user is None or user.role not in roles:
        raise Rejected("permission_denied", "Peran ini tidak boleh menambah catatan atau lampiran.")
    if event.kind != kind:
        raise Rejected("bad_arguments", f"Jenis peristiwa harus {kind}.")


def bump(session: Session, c: Complaint, now: datetime) -> None:
    c.version += 1
    c.updated_at = now
    row = changelog.record(session, office_id=c.office_id or "", entity_type="complaint", entity_id=c.id,
                           op="upsert", version=c.version, now=now)
    rows = session.info.get(ROWS_KEY)
    if rows is not None:  # a PC's mutation: exact or not is known once it is applied (_apply)
        rows.append(row)


def add_event(session: Session, c: Complaint, data: EventData, now: datetime,
              extra: dict[str, Any] | None = None, *, from_client: bool = True) -> bool:
    """Append an event unless its id is already there (children merge by id). True if added. ``from_client``: the
    event is the pushing PC's own (not one the server writes), so stored unchanged it is exactly what that PC
    holds."""
    if session.get(TimelineEvent, data.id) is not None:
        return False
    payload = data.data_json
    if extra:
        merged = json.loads(payload) if payload else {}
        merged.update(extra)
        payload = json.dumps(merged, sort_keys=True, ensure_ascii=False)
    session.add(TimelineEvent(id=data.id, complaint_id=c.id, kind=data.kind, at=data.at,
                              actor_user_id=data.actor_user_id, from_status=data.from_status,
                              to_status=data.to_status, text=data.text, data_json=payload, version=1))
    changelog.record(session, office_id=c.office_id or "", entity_type="event", entity_id=data.id, op="upsert",
                     version=1, now=now, exact=from_client and not extra)
    return True


def _intake(session: Session, device: DeviceIdentity, m: Mutation, user: User | None,
            now: datetime) -> MutationResult:
    args = IntakeArgs.model_validate(m.args)
    data = args.complaint
    if data.id != m.entity_id:
        raise Rejected("bad_arguments", "Id laporan pada argumen tidak sama dengan entity_id.")
    existing = session.get(Complaint, data.id)
    if existing is not None:  # re-pushed after an era change: the complaint is already here
        if existing.office_id != device.office_id and existing.created_by_client != device.client_id:
            raise Rejected("not_found", "Laporan dengan id ini milik instansi lain.")
        return _result(m, MutationStatus.APPLIED, existing)
    if user is None or user.role not in (Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET, Role.PENGHUBUNG):
        raise Rejected("permission_denied", "Peran ini tidak boleh menerima laporan.")
    if session.execute(select(Complaint.id).where(Complaint.tracking_code == data.tracking_code)).first():
        raise Rejected("duplicate_tracking_code", "Kode pelacakan ini sudah dipakai laporan lain.")
    if data.status != Status.BELUM_TERVERIFIKASI:
        raise Rejected("bad_arguments", "Laporan baru harus berstatus BELUM_TERVERIFIKASI.")
    _validate_intake(data.model_dump(), args.reporter.model_dump() if args.reporter else None)
    if args.reporter is not None and session.get(Reporter, args.reporter.id) is None:
        r = args.reporter
        session.add(Reporter(id=r.id, name=r.name, nik=r.nik, phone=r.phone, email=r.email, address=r.address,
                             assistance_needs=r.assistance_needs, consent_at=r.consent_at))
        session.flush()  # no ORM relationship orders the inserts: the reporter must exist before its complaint
    c = Complaint(
        id=data.id, office_id=device.office_id, tracking_code=data.tracking_code,
        classification=data.classification, category_id=data.category_id, title=data.title,
        description=data.description,
        incident_date=date.fromisoformat(data.incident_date) if data.incident_date else None,
        region_code=data.region_code, address=data.address, latitude=data.latitude, longitude=data.longitude,
        channel=data.channel, is_anonymous=data.is_anonymous, is_confidential=data.is_confidential,
        is_supervisory=data.is_supervisory, reporter_id=args.reporter.id if args.reporter else None,
        status=Status.BELUM_TERVERIFIKASI, received_at=data.received_at, updated_at=now, version=0,
        field_versions="{}", created_by_client=device.client_id,
    )
    session.add(c)
    session.flush()
    bump(session, c, now)
    added = add_event(session, c, args.event, now)
    return _result(m, MutationStatus.APPLIED, c, as_sent=added and _stored_as_sent(session, c, args))


def _stored_as_sent(session: Session, c: Complaint, args: IntakeArgs) -> bool:
    """The new complaint and its reporter as stored are what the PC sent (the server fills no field the PC left
    out, and keeps a reporter it already had)."""
    server_side = {"office_id", "version", "updated_at"}
    stored = ComplaintData.model_validate(serialize.complaint(c, None))
    if stored.model_dump(exclude=server_side) != args.complaint.model_dump(exclude=server_side):
        return False
    if args.reporter is None:
        return True
    reporter = session.get(Reporter, args.reporter.id)
    return reporter is not None and ReporterData.model_validate(serialize.reporter_dict(reporter)) == args.reporter


def _validate_intake(complaint: dict[str, Any], reporter: dict[str, Any] | None) -> None:
    """The desktop's own intake rules (app.validation), so a modified client cannot store what the app refuses."""
    from app.errors import ValidationError
    from app.inputs import IntakeInput, ReporterInput
    from app.validation import validate_intake

    rep = None
    if reporter is not None:
        rep = ReporterInput(name=reporter.get("name") or "", nik=reporter.get("nik"), phone=reporter.get("phone"),
                            email=reporter.get("email"), address=reporter.get("address"),
                            assistance_needs=reporter.get("assistance_needs"),
                            consent_given=reporter.get("consent_at") is not None)
    inp = IntakeInput(
        classification=complaint["classification"], channel=complaint["channel"], title=complaint["title"],
        description=complaint["description"], category_id=complaint.get("category_id"),
        incident_date=date.fromisoformat(complaint["incident_date"]) if complaint.get("incident_date") else None,
        region_code=complaint.get("region_code"), address=complaint.get("address"),
        latitude=complaint.get("latitude"), longitude=complaint.get("longitude"),
        is_anonymous=complaint.get("is_anonymous", False), is_confidential=complaint.get("is_confidential", False),
        is_supervisory=complaint.get("is_supervisory", False), reporter=rep,
    )
    try:
        # One day of slack on "not in the future": the PC's clock and zone are not the server's.
        validate_intake(inp, today=date.today() + timedelta(days=1))
    except ValidationError as exc:
        raise Rejected("validation", str(exc)) from exc


def _transition(session: Session, m: Mutation, c: Complaint, user: User | None, now: datetime) -> MutationResult:
    args = TransitionArgs.model_validate(m.args)
    target = args.to_status
    if target not in Status.__members__:
        raise Rejected("bad_arguments", "Status tujuan tidak dikenal.")
    action = m.name.removeprefix("complaint.")
    role = _role(user)
    if c.status == target:
        # Already there (another PC did the same): success; keep content the person wrote. The PC's own unit,
        # date stamps and (for other steps) timeline entry are not kept, so its copy is corrected either way.
        if args.event.kind in CONTENT_EVENTS and add_event(session, c, args.event, now):
            bump(session, c, now)
        else:
            correct(session, c, now)
        return _result(m, MutationStatus.MERGED, c, code="already_there")
    # The step the person took, from where the complaint stands now: a dispose written before the complaint was
    # closed must not become a reopen (same statuses, another action).
    transition = workflow.find(c.status, target, action)
    if transition is not None and transition.needs_reason and not _has_reason(args.event):
        raise Rejected("validation", "Alasan wajib diisi untuk perubahan status ini.")
    if transition is None or role not in transition.roles:
        reason = "not_allowed_now" if transition is None else "role_not_allowed"
        rejected = EventData(
            id=new_id(), complaint_id=c.id, kind=EventKind.TRANSITION_REJECTED, at=now,
            actor_user_id=user.id if user else None, from_status=c.status, to_status=target,
            text=args.event.text,
            data_json=json.dumps({"requested_from": args.from_status, "requested_to": target, "reason": reason,
                                  "original_event_id": args.event.id, "original_kind": args.event.kind},
                                 sort_keys=True),
        )
        # Outside the savepoint's rollback: recorded even though the mutation is rejected.
        raise _RejectWithEvent(c, rejected, reason)
    if user is not None and user.role == Role.PENGHUBUNG and transition.action in ("follow_up", "postpone") \
            and user.unit_id != c.unit_id:
        raise Rejected("permission_denied", "Penghubung hanya menindaklanjuti laporan untuk unitnya.")
    fields = args.fields
    if "unit_id" in fields:
        unit = session.get(Unit, fields["unit_id"]) if fields["unit_id"] else None
        if unit is None or unit.office_id != c.office_id:
            raise Rejected("validation", "Unit tujuan disposisi tidak ada di instansi ini.")
        c.unit_id = unit.id
    if "archive_reason" in fields:
        if fields["archive_reason"] is not None and fields["archive_reason"] not in ArchiveReason.__members__:
            raise Rejected("validation", "Alasan pengarsipan tidak dikenal.")
        c.archive_reason = fields["archive_reason"]
    elif transition.action == "unarchive":
        c.archive_reason = None  # as the desktop does (a PC that did not say so is still right)
    for stamp in STAMP_FIELDS:
        if stamp in fields:
            setattr(c, stamp, _stamp(fields[stamp]))
    c.status = target
    added = add_event(session, c, args.event, now)
    bump(session, c, now)
    return _result(m, MutationStatus.APPLIED, c, as_sent=added)


def _has_reason(event: EventData) -> bool:
    """The desktop keeps a step's reason in the event's data (``reason``) or its text."""
    if event.text and event.text.strip():
        return True
    try:
        data = json.loads(event.data_json) if event.data_json else {}
    except ValueError:
        return False
    return isinstance(data, dict) and bool(str(data.get("reason") or "").strip())


def _stamp(value: Any) -> datetime | None:
    """A date stamp from the wire: an ISO time with its offset (UTC assumed when a client left it out)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise Rejected("bad_arguments", "Cap waktu harus berupa teks ISO 8601.")
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError as exc:
        raise Rejected("bad_arguments", "Cap waktu tidak valid (ISO 8601).") from exc
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


class _RejectWithEvent(Exception):
    def __init__(self, c: Complaint, event: EventData, reason: str) -> None:
        super().__init__(reason)
        self.complaint = c
        self.event = event
        self.reason = reason


def _append_event(session: Session, m: Mutation, c: Complaint, event: EventData, now: datetime,
                  as_sent: bool = True) -> MutationResult:
    flag = {"after_close": True} if c.status in CLOSED else None
    added = add_event(session, c, event, now, extra=flag)
    if added:
        bump(session, c, now)
    return _result(m, MutationStatus.MERGED if flag else MutationStatus.APPLIED, c,
                   code="after_close" if flag else None, as_sent=as_sent and added and not flag)


def _edit(session: Session, m: Mutation, c: Complaint, user: User | None, args: EditArgs, client_id: str,
          now: datetime) -> MutationResult:
    if user is None or user.role != Role.ADMIN_INSTANSI:
        raise Rejected("permission_denied", "Hanya admin instansi yang boleh mengubah data laporan.")
    unknown = set(args.fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise Rejected("bad_arguments", "Kolom tidak dapat diubah: " + ", ".join(sorted(unknown)))
    if args.event is not None and args.event.kind != EventKind.EDITED:
        raise Rejected("bad_arguments", f"Jenis peristiwa harus {EventKind.EDITED}.")
    fields = _validated_edit(c, args.fields)
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
    if applied:
        new_version = c.version + 1
        for name, value in applied.items():
            setattr(c, name, date.fromisoformat(value) if name == "incident_date" and value else value)
            versions[name] = (new_version, client_id)
        c.field_versions = json.dumps({k: list(v) for k, v in versions.items()}, sort_keys=True)
    history = args.event is not None and add_event(session, c, args.event, now)  # who changed what, from what
    if conflicts:
        add_event(session, c, EventData(
            id=new_id(), complaint_id=c.id, kind=EventKind.CONFLICT_MERGED, at=now,
            actor_user_id=user.id, data_json=json.dumps({"conflicts": conflicts}, sort_keys=True, default=str)),
            now, from_client=False)
    if applied or conflicts or history:
        bump(session, c, now)
    if conflicts:
        return _result(m, MutationStatus.CONFLICT, c, code="field_conflict",
                       server_values={k: v["theirs"] for k, v in conflicts.items()})
    merged = c.version - (1 if applied or history else 0) > m.base_version
    # As the PC has it: every value as it sent it (no other spelling after validation), and its timeline entry.
    as_sent = fields == args.fields and args.event is not None and (history or _has_event(session, c, args.event))
    return _result(m, MutationStatus.MERGED if merged else MutationStatus.APPLIED, c, as_sent=as_sent)


def _has_event(session: Session, c: Complaint, event: EventData) -> bool:
    stored = session.get(TimelineEvent, event.id)
    return stored is not None and stored.complaint_id == c.id and stored.data_json == event.data_json


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


def _validated_edit(c: Complaint, fields: dict[str, Any]) -> dict[str, Any]:
    """The desktop's rules for editable fields (app.validation), so a modified client cannot store what the app
    refuses; values come back in their wire form (ISO date text, dotted region code, trimmed text)."""
    errors = FieldErrors()
    out: dict[str, Any] = {}
    today = date.today() + timedelta(days=1)  # the PC's zone may be ahead of the server's

    def text(name: str, value: Any, min_len: int, max_len: int, multiline: bool = False) -> None:
        if isinstance(value, str):
            out[name] = errors.check(name, required_text, value, min_len=min_len, max_len=max_len,
                                     multiline=multiline)
        else:
            errors.add(name, Message("Harus berupa teks.", "Must be text."))

    for name, value in fields.items():
        if name == "title":
            text(name, value, 10, 150)
        elif name == "description":
            text(name, value, 20, 4000, multiline=True)
        elif name == "address":
            if value is None or value == "":
                out[name] = None
            else:
                text(name, value, 1, 500, multiline=True)
        elif name == "classification":
            if value not in Classification.__members__:
                errors.add(name, Message("Klasifikasi tidak dikenal.", "Unknown classification."))
            out[name] = value
        elif name == "category_id":
            if value is not None and not (isinstance(value, str) and 0 < len(value) <= 64):
                errors.add(name, Message("Kategori tidak valid.", "Invalid category."))
            out[name] = value
        elif name == "incident_date":
            if value is None:
                out[name] = None
            elif isinstance(value, str):
                day = errors.check(name, incident_date, value, today=today)
                out[name] = day.isoformat() if day else None
            else:
                errors.add(name, Message("Tanggal harus berformat TTTT-BB-HH.", "Use the format YYYY-MM-DD."))
        elif name == "region_code":
            if value is None:
                out[name] = None
            elif isinstance(value, str):
                out[name] = errors.check(name, region_code, value)
            else:
                errors.add(name, Message("Kode wilayah harus berupa teks.", "The region code must be text."))
        elif name in ("latitude", "longitude"):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                errors.add(name, Message("Koordinat harus berupa angka.", "Coordinates must be numbers."))
            out[name] = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        elif name in ("is_supervisory", "is_confidential"):
            if not isinstance(value, bool):
                errors.add(name, Message("Harus benar atau salah.", "Must be true or false."))
            out[name] = value
    if not errors and ("latitude" in out or "longitude" in out):
        lat = out.get("latitude", c.latitude)
        lon = out.get("longitude", c.longitude)
        if (lat is None) != (lon is None):
            errors.add("latitude", Message("Isi lintang dan bujur sekaligus.", "Give both latitude and longitude."))
        elif lat is not None:
            errors.check("latitude", coordinates, lat, lon)
    if errors:
        detail = "; ".join(f"{k}: {v.id}" for k, v in errors.fields.items())
        raise Rejected("validation", f"Data tidak valid — {detail}")
    return out


def _attach(session: Session, m: Mutation, c: Complaint, args: AttachArgs, now: datetime) -> MutationResult:
    a = args.attachment
    new = session.get(Attachment, a.id) is None
    if new:
        session.add(Attachment(id=a.id, complaint_id=c.id, event_id=a.event_id, sha256=a.sha256,
                               filename=a.filename, mime_type=a.mime_type, size=a.size, created_at=a.created_at,
                               created_by=a.created_by, version=1))
        changelog.record(session, office_id=c.office_id or "", entity_type="attachment", entity_id=a.id,
                         op="upsert", version=1, now=now, exact=True)
    return _append_event(session, m, c, args.event, now, as_sent=new)


def apply_rejection_event(session: Session, err: _RejectWithEvent, now: datetime) -> None:
    """Record the TRANSITION_REJECTED event after the mutation's savepoint was rolled back."""
    c = session.get(Complaint, err.complaint.id)
    if c is not None and add_event(session, c, err.event, now, from_client=False):
        bump(session, c, now)


__all__ = ["apply_mutation", "serialize"]
