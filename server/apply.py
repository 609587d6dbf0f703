"""Applying pushed mutations: the server is the authority. Each mutation runs in its own savepoint and ends
as applied, merged, conflict or rejected; a rejection is permanent and the queue moves on.

Rules (../shared/DESIGN.md, Sync): transitions are commands checked against app.rules.workflow (legal now → apply;
already there → success; otherwise a TRANSITION_REJECTED event keeps what the person wrote); editable fields
merge one by one against ``base_version``; append-only children merge by id.

Whatever the outcome, the PC's copy ends equal to the server's: a refused or partly applied change moves the
complaint to a new version with a change-log row, so the PC's next pull corrects what it applied locally. A change
applied exactly as the PC made it, on the state the PC had, is marked ``exact`` (in the result and in its change-log
rows): the PC stamps its copy from the result and its pull does not send the change back.
"""


from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from pydantic import ValidationError as PydanticError
from sqlalchemy.exc import OperationalError, StatementError
from sqlalchemy.orm import Session

from app.domain import EventKind
from app.errors import ValidationError
from app.rules.records import (
    NOTE_TEXT,
    attachment_size_problem,
    attachment_type_problem,
    may_attach,
    may_note,
)
from app.rules.workflow import clean_text
from server import changelog
from server.apply_common import (
    KNOWN_KEY,
    ROWS_KEY,
    Known,
    Rejected,
    RejectWithEvent,
    Versioned,
    append_event,
    correct,
    held,
    hold,
    mutation_result,
    settle,
)
from server.apply_edit import apply_edit
from server.apply_intake import apply_intake
from server.apply_restore import apply_restore
from server.apply_transition import TRANSITION_ACTIONS, apply_rejection_event, apply_transition
from server.auth import DeviceIdentity
from server.models import Attachment, Complaint, TimelineEvent, User
from server.trust import check_mutation_ids
from sync.protocol import (
    AttachArgs,
    EditArgs,
    EventData,
    Mutation,
    MutationResult,
    MutationStatus,
    NoteArgs,
)

log = logging.getLogger("lapor.server.apply")
# What a batch run may apply without a savepoint each (apply_in_run): every refusal of these comes before a change.
RUN_KINDS = frozenset({"complaint.edit", "complaint.note", "complaint.attach",
                       *(f"complaint.{action}" for action in TRANSITION_ACTIONS)})


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


def apply_in_run(session: Session, device: DeviceIdentity, m: Mutation, now: datetime) -> MutationResult:
    """Apply one mutation of a batch run (server.apply_batch): no savepoint and no flush of its own. Only for the
    kinds in :data:`RUN_KINDS`, whose refusals (:class:`Rejected`, :class:`RejectWithEvent`) all come before they
    change anything; any other exception leaves this mutation half done, and the caller rolls the whole run back."""
    session.info[changelog.ORIGIN_KEY] = device.client_id
    try:
        rows: Versioned = []
        session.info[ROWS_KEY] = rows
        try:
            result, holds = _decide(session, device, m, now)
        except RejectWithEvent as rej:  # decided before anything changed: its entry is recorded all the same
            session.info.pop(ROWS_KEY, None)
            apply_rejection_event(session, rej, now)
            return _step_refused(m, rej).model_copy(update={"kept": _kept(session, m)})
        except Rejected as rej:
            session.info.pop(ROWS_KEY, None)
            refused = mutation_result(m, MutationStatus.REJECTED, code=rej.code, message=rej.message)
            c = held(session, Complaint, m.entity_id)
            if c is not None and c.office_id == device.office_id:
                correct(session, c, now)
            return refused.model_copy(update={"kept": _kept(session, m)})
        exact = _exact(result, holds)
        settle(rows, bool(exact), device.client_id)
        return result.model_copy(update={"exact": exact, "kept": _kept(session, m)})
    finally:
        session.info.pop(changelog.ORIGIN_KEY, None)
        session.info.pop(ROWS_KEY, None)


def _apply(session: Session, device: DeviceIdentity, m: Mutation, now: datetime) -> MutationResult:
    try:
        with session.begin_nested():
            rows: Versioned = []
            session.info[ROWS_KEY] = rows
            result = _dispatch(session, device, m, now)
            settle(rows, bool(result.exact), device.client_id)
            session.flush()  # inside the savepoint, so a row the database refuses rolls back only this mutation
            return result
    except RejectWithEvent as rej:
        try:
            with session.begin_nested():
                apply_rejection_event(session, rej, now)
        except OperationalError:
            raise
        except (StatementError, ValueError) as exc:  # text the database cannot store: the rejection still holds
            log.info("rejection event not recorded: %s", type(exc).__name__)
            _correct_after_refusal(session, device, m, now)
        return _step_refused(m, rej)
    except Rejected as rej:
        refused = mutation_result(m, MutationStatus.REJECTED, code=rej.code, message=rej.message)
    except PydanticError as exc:
        refused = mutation_result(m, MutationStatus.REJECTED, code="bad_arguments",
                          message=f"Argumen mutasi tidak valid: {exc.error_count()} kesalahan.")
    except OperationalError:
        raise
    except (StatementError, ValueError, TypeError) as exc:
        # Values the database or a parser refuses (a naive time, a string too long for its column, ...).
        refused = mutation_result(m, MutationStatus.REJECTED, code="bad_arguments",
                          message=f"Argumen mutasi tidak dapat disimpan ({type(exc).__name__}).")
    _correct_after_refusal(session, device, m, now)
    return refused


def _step_refused(m: Mutation, rej: RejectWithEvent) -> MutationResult:
    """A status change refused (its TRANSITION_REJECTED entry recorded): why, in words a person can act on."""
    if rej.reason == "role_not_allowed":
        return mutation_result(m, MutationStatus.REJECTED, code="permission_denied",
                               message="Perubahan status ditolak: peran pengguna ini tidak boleh mengubah status "
                               f"dari {rej.event.from_status} ke {rej.event.to_status}.")
    return mutation_result(m, MutationStatus.REJECTED, code="transition_rejected",
                           message="Perubahan status ditolak: status laporan di server sudah berubah "
                           f"menjadi {rej.event.from_status}.")


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


def _holds(c: Complaint, m: Mutation, client_id: str) -> bool:
    """Whether the PC holds the complaint exactly as it is here: the version its change was based on, or a version
    its own earlier exact change made (the PC wrote this change on top of that one, before hearing back)."""
    if m.base_version == c.version:
        return True
    if m.base_version > c.version:  # a PC ahead of the server: the server was restored from an older backup
        return False
    return c.exact_client_id == client_id and c.exact_version == c.version


def children(m: Mutation) -> list[tuple[type[TimelineEvent] | type[Attachment], str]]:
    """The timeline events and attachments a mutation's arguments name, by id (whatever their shape: a modified
    client's arguments are looked at before they are validated)."""
    named: list[tuple[type[TimelineEvent] | type[Attachment], str]] = []
    for key in ("event", "attachment", "events", "attachments"):
        value = m.args.get(key)
        for child in value if isinstance(value, list) else [value]:
            child_id = child.get("id") if isinstance(child, dict) else None
            if isinstance(child_id, str) and child_id:
                named.append((TimelineEvent if key.startswith("event") else Attachment, child_id))
    return named


def _kept(session: Session, m: Mutation) -> list[str]:
    """The ids of this mutation's timeline event and attachment that the server holds (for the PC to drop the
    ones it does not: a refused step, a step another PC had already taken)."""
    kept: list[str] = []
    known: Known | None = session.info.get(KNOWN_KEY)
    named = known.children.get(m.seq) if known is not None else None
    for cls, child_id in children(m) if named is None else named:
        found = held(session, cls, child_id)
        if found is not None and found.complaint_id == m.entity_id:
            kept.append(child_id)
    return kept


def _actor(session: Session, device: DeviceIdentity, m: Mutation) -> User | None:
    if m.user_id is None:
        return None
    user = held(session, User, m.user_id)
    if user is None or user.office_id != device.office_id or not user.active:
        raise Rejected("permission_denied", "Pengguna tidak terdaftar atau tidak aktif di instansi perangkat ini.")
    return user


def _complaint(session: Session, device: DeviceIdentity, complaint_id: str) -> Complaint:
    c = held(session, Complaint, complaint_id, lock=True)
    if c is None or c.office_id != device.office_id:
        raise Rejected("not_found", "Laporan tidak ada di instansi ini (mungkin sudah dialihkan).")
    return c


def _dispatch(session: Session, device: DeviceIdentity, m: Mutation, now: datetime) -> MutationResult:
    result, holds = _decide(session, device, m, now)
    return result if holds is None else result.model_copy(update={"exact": _exact(result, holds)})


def _exact(result: MutationResult, holds: bool | None) -> bool | None:
    return result.exact if holds is None else holds and bool(result.exact)


def _decide(session: Session, device: DeviceIdentity, m: Mutation,
            now: datetime) -> tuple[MutationResult, bool | None]:
    """Apply ``m``: its result as the rules decide it, and whether the PC held the complaint exactly as the server
    did before (:func:`_holds`), which the result's ``exact`` also needs (None: an intake or a restore, whose
    result says it all)."""
    user = _actor(session, device, m)
    action = m.name.removeprefix("complaint.")
    if m.entity_type != "complaint":
        raise Rejected("unknown_mutation", f"Jenis entitas tidak dikenal: {m.entity_type}")
    if action == "intake":
        check_mutation_ids(session, device, m)
        return apply_intake(session, device, m, user, now), None
    if action == "restore":
        check_mutation_ids(session, device, m)
        return apply_restore(session, device, m, now), None
    c = _complaint(session, device, m.entity_id)
    parsed = check_mutation_ids(session, device, m)
    holds = _holds(c, m, device.client_id)
    # The arguments with the event check_mutation_ids parsed (pydantic takes a model instance as it is).
    args = m.args if parsed is None else {**m.args, "event": parsed}
    if action in TRANSITION_ACTIONS:
        result = apply_transition(session, m, c, user, now)
    elif action == "note":
        event = NoteArgs.model_validate(args).event
        _check_child_event(user, event, may_note, EventKind.NOTE)
        _check_note_text(event)
        result = append_event(session, m, c, event, now)
    elif action == "edit":
        result = apply_edit(session, m, c, user, EditArgs.model_validate(args), device.client_id, now)
    elif action == "attach":
        attach = AttachArgs.model_validate(args)
        _check_child_event(user, attach.event, may_attach, EventKind.ATTACHMENT_ADDED)
        _check_file(attach)
        result = _attach(session, m, c, attach, now)
    else:
        raise Rejected("unknown_mutation", f"Mutasi tidak dikenal: {m.name}")
    return result, holds


def _check_child_event(user: User | None, event: EventData, may: Callable[[str], bool], kind: str) -> None:
    """Notes and attachments: only roles the desktop allows (app.rules.records), and only their own kind of timeline
    event (a modified client cannot slip a CLOSED event onto a timeline without the status change)."""
    if user is None or not may(user.role):
        raise Rejected("permission_denied", "Peran ini tidak boleh menambah catatan atau lampiran.")
    if event.kind != kind:
        raise Rejected("bad_arguments", f"Jenis peristiwa harus {kind}.")


def _check_note_text(event: EventData) -> None:
    """The note's text by the desktop's rule (app.rules.records.NOTE_TEXT)."""
    try:
        clean_text(event.text, NOTE_TEXT)
    except ValidationError as exc:
        raise Rejected("validation", "Catatan tidak valid: " + "; ".join(m.id for m in exc.fields.values())) from None


def _check_file(args: AttachArgs) -> None:
    """An attachment's name and size by the desktop's rules (app.rules.records)."""
    problem = attachment_type_problem(args.attachment.filename) or attachment_size_problem(args.attachment.size)
    if problem is not None:
        raise Rejected("validation", problem.id)


def _attach(session: Session, m: Mutation, c: Complaint, args: AttachArgs, now: datetime) -> MutationResult:
    a = args.attachment
    new = held(session, Attachment, a.id) is None
    if new:
        hold(session, Attachment, a.id, {
            "id": a.id, "complaint_id": c.id, "event_id": a.event_id, "sha256": a.sha256, "filename": a.filename,
            "mime_type": a.mime_type, "size": a.size, "created_at": a.created_at, "created_by": a.created_by,
            "version": 1})
        changelog.record(session, office_id=c.office_id or "", entity_type="attachment", entity_id=a.id,
                         op="upsert", version=1, now=now, exact=True)
    return append_event(session, m, c, args.event, now, as_sent=new)

__all__ = ["RUN_KINDS", "apply_in_run", "apply_mutation", "children"]
