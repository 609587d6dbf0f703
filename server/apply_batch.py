"""A push batch as a whole: which of its mutations are answered from what is stored and which are applied, and
applying them in runs.

Planning (:func:`plan`) reads what the batch needs to know in two queries for the whole batch: the results stored
for its seqs (a seq already applied is answered with its stored result, the same seq with another payload stops the
batch as ``client_diverged``) and which of its mutation ids are taken; a seq that does not follow the last one stops
it as ``gap``.

Applying (:func:`apply_planned`): consecutive mutations whose refusals all come before they change anything
(server.apply.RUN_KINDS: edits, notes, attachments) and that touch different complaints are applied as one run: the
complaints, events and attachments they name are read with one query per table (the complaints locked, in id order),
nothing is flushed until the run ends, and the run is one savepoint instead of one per mutation. Should the run fail
as a whole (a value the database refuses, an error halfway through a mutation), its savepoint is rolled back and the
same mutations are applied again one at a time, each in its own savepoint, so that exactly the failing one is
refused as before. Everything else (intakes, status changes, restores) is applied one at a time. Either way each
mutation is applied exactly once and its result stored with it, in the push's one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.errors import LaporError
from app.rules import tracking
from server import changelog, run_rows
from server.apply import RUN_KINDS, apply_in_run, apply_mutation, children
from server.apply_common import KNOWN_KEY, LAST_STEPS, Known
from server.apply_restore import refused_steps_of
from server.apply_transition import TRANSITION_ACTIONS
from server.auth import DeviceIdentity
from server.models import (
    Attachment,
    ChangeLogEntry,
    Complaint,
    Device,
    MutationRecord,
    Office,
    TimelineEvent,
    User,
)
from server.run_rows import NewRow, RunComplaint, new_row
from sync.protocol import Mutation, MutationResult, MutationStatus, PushStop

log = logging.getLogger("lapor.server.apply")


@dataclass
class Plan:
    """The batch in seq order, up to where it stops: a stored result, or a mutation to apply (a seq sent twice in
    one batch names the same mutation twice and is answered with its one result)."""

    answers: list[MutationResult | Mutation]
    stopped: PushStop | None

    @property
    def todo(self) -> list[Mutation]:
        seen: set[int] = set()
        out: list[Mutation] = []
        for answer in self.answers:
            if isinstance(answer, Mutation) and answer.seq not in seen:
                seen.add(answer.seq)
                out.append(answer)
        return out


# What a batch's planning reads (built once: building the statements was a good part of planning).
_STORED = select(MutationRecord.seq, MutationRecord.mutation_id, MutationRecord.payload_hash,
                 MutationRecord.result_json).where(MutationRecord.client_id == bindparam("client_id"),
                                                   MutationRecord.seq.in_(bindparam("seqs", expanding=True)))
_TAKEN = select(MutationRecord.mutation_id).where(MutationRecord.mutation_id.in_(bindparam("ids", expanding=True)))


def plan(session: Session, device: Device, mutations: list[Mutation]) -> Plan:
    ordered = sorted(mutations, key=lambda x: x.seq)
    conn = session.connection()
    stored = {r.seq: r for r in conn.execute(_STORED, {"client_id": device.client_id,
                                                      "seqs": sorted({m.seq for m in ordered})})}
    taken = set(conn.execute(_TAKEN, {"ids": sorted({m.mutation_id for m in ordered})}).scalars())
    answers: list[MutationResult | Mutation] = []
    planned: dict[int, Mutation] = {}
    next_seq = device.last_seq + 1
    for m in ordered:
        known = stored.get(m.seq) or planned.get(m.seq)
        if known is not None:
            if known.payload_hash != m.payload_hash or known.mutation_id != m.mutation_id:
                return Plan(answers, PushStop.CLIENT_DIVERGED)
            answers.append(known if isinstance(known, Mutation)
                           else MutationResult.model_validate_json(known.result_json))
            continue
        if m.seq != next_seq:
            return Plan(answers, PushStop.GAP)
        if m.mutation_id in taken:
            return Plan(answers, PushStop.CLIENT_DIVERGED)
        taken.add(m.mutation_id)
        planned[m.seq] = m
        answers.append(m)
        next_seq += 1
    return Plan(answers, None)


def apply_planned(session: Session, ident: DeviceIdentity, device: Device, todo: list[Mutation],
                  now: datetime) -> dict[int, MutationResult]:
    """Apply ``todo`` (consecutive seqs, in order), storing each result; the results by seq."""
    results: dict[int, MutationResult] = {}
    for run in _runs(todo):
        done = _apply_run(session, ident, device, run, now) if len(run) > 1 else None
        if done is None:
            for m in run:
                results[m.seq] = _stored(session, device, m, apply_mutation(session, ident, m, now), now)
        else:
            results.update(done)
    return results


def _runs(todo: list[Mutation]) -> Iterator[list[Mutation]]:
    """``todo`` cut into runs: consecutive RUN_KINDS mutations on different complaints, and each other mutation on
    its own. A complaint changed twice starts a new run (whatever the second change reads of it is then flushed)."""
    run: list[Mutation] = []
    touched: set[str] = set()
    for m in todo:
        if m.name in RUN_KINDS and m.entity_id not in touched:
            run.append(m)
            touched.add(m.entity_id)
            continue
        if run:
            yield run
        run, touched = [], set()
        if m.name in RUN_KINDS:
            run, touched = [m], {m.entity_id}
        else:
            yield [m]
    if run:
        yield run


def _apply_run(session: Session, ident: DeviceIdentity, device: Device, run: list[Mutation],
               now: datetime) -> dict[int, MutationResult] | None:
    """The run in one savepoint with one flush; None (and nothing of it kept) when it failed as a whole."""
    try:
        with session.begin_nested():
            session.info[KNOWN_KEY] = _read_ahead(session, ident.office_id, run)
            new_rows: list[object] = []
            session.info[changelog.DEFERRED_KEY] = new_rows
            with session.no_autoflush:
                done = {m.seq: _stored(session, device, m, apply_in_run(session, ident, m, now), now, moves=False)
                        for m in run}
            device.last_seq = run[-1].seq  # (once: an ORM attribute set is bookkeeping each time)
            session.info.pop(changelog.DEFERRED_KEY)
            known: Known = session.info[KNOWN_KEY]
            run_rows.write_complaints(session, [row for row in known.rows.values() if isinstance(row, RunComplaint)])
            _insert(session, new_rows)
            session.flush()
        return done
    except OperationalError:
        raise  # the database is unavailable: the push is retried as a whole
    except Exception as exc:  # noqa: BLE001 - whatever it was, one at a time decides it exactly as before
        log.info("push run of %d mutations applied one at a time: %s", len(run), type(exc).__name__)
        return None
    finally:
        session.info.pop(KNOWN_KEY, None)
        session.info.pop(changelog.DEFERRED_KEY, None)


# The tables a run adds rows to, parents first (an attachment names its event).
INSERT_ORDER: tuple[type[Any], ...] = (TimelineEvent, Attachment, ChangeLogEntry, MutationRecord)


def _insert(session: Session, rows: list[object]) -> None:
    """The rows a run made, never added to the session: one executemany per table (per set of columns given), in
    the order they were made. Columns a row leaves unset take their defaults."""
    by_class: dict[type[Any], list[dict[str, Any]]] = {}
    for row in rows:
        if isinstance(row, NewRow):
            by_class.setdefault(row.model, []).append(row.values)
        else:
            raise TypeError(f"a run made a row it does not insert: {type(row).__name__}")
    if unknown := set(by_class) - set(INSERT_ORDER):
        raise TypeError(f"a run made rows it does not insert: {sorted(c.__name__ for c in unknown)}")
    for cls in INSERT_ORDER:
        if rows_of := by_class.get(cls):
            run_rows.insert_rows(session, cls.__table__, rows_of)


_BY_ID: dict[type, Select[Any]] = {}


def _by_id(cls: type[Any]) -> Select[Any]:
    """The rows of ``cls`` with the ids bound as ``ids`` (built once per table: building and compiling the
    statement anew was a tenth of reading ahead)."""
    if (statement := _BY_ID.get(cls)) is None:
        table = cls.__table__
        statement = _BY_ID[cls] = select(table).where(table.c.id.in_(bindparam("ids", expanding=True)))
    return statement


def _read_ahead(session: Session, office_id: str, run: list[Mutation]) -> Known:
    """Load what the run names, one query per table, as plain rows (server.run_rows): its complaints (locked, in id
    order, so that two pushes lock them in the same order), the events and attachments its arguments name, its
    accounts and the office; the rest is known to be missing."""
    wanted: dict[type, set[str]] = {Office: {office_id}, User: {m.user_id for m in run if m.user_id is not None}}
    named = {m.seq: children(m) for m in run}
    for found in named.values():
        for cls, child_id in found:
            wanted.setdefault(cls, set()).add(child_id)
    rows: dict[tuple[type, str], Any] = {(Complaint, c.id): c
                                         for c in run_rows.read_complaints(session, {m.entity_id for m in run})}
    missing: set[tuple[type, str]] = {(Complaint, m.entity_id) for m in run}
    missing -= set(rows)
    for cls, ids in wanted.items():
        if not ids:
            continue
        for row in session.connection().execute(_by_id(cls), {"ids": sorted(ids)}):
            rows[(cls, row.id)] = row
        missing.update((cls, key) for key in ids if (cls, key) not in rows)
    known = Known(rows, missing)
    known.children = named
    steps = {m.entity_id for m in run if m.name.removeprefix("complaint.") in TRANSITION_ACTIONS}
    if steps:  # what status changes read of their complaints' timelines: one query each for the whole run
        ordered = sorted(steps)
        known.floors = dict.fromkeys(ordered)
        last_steps = LAST_STEPS.add_columns(TimelineEvent.complaint_id).where(
            TimelineEvent.complaint_id.in_(ordered)).group_by(TimelineEvent.complaint_id)
        known.floors.update((cid, at) for at, cid in session.execute(last_steps))
        known.refused = refused_steps_of(session, ordered)
    return known


def _stored(session: Session, device: Device, m: Mutation, result: MutationResult, now: datetime, *,
            moves: bool = True) -> MutationResult:
    """Store the result with its seq (exactly once: a seq sent again is answered from here) and move the device on
    (``moves``; a run moves it once, past its last mutation)."""
    new_row(session, session.info.get(changelog.DEFERRED_KEY), MutationRecord, {
        "client_id": device.client_id, "seq": m.seq, "mutation_id": m.mutation_id, "payload_hash": m.payload_hash,
        "result_json": result.model_dump_json(), "applied_at": now})
    if moves:
        device.last_seq = m.seq
    _note_intake(device, m, result)
    return result


def _note_intake(device: Device, m: Mutation, result: MutationResult) -> None:
    """Keep the PC's highest tracking number the server holds (a restored PC continues above it)."""
    if m.name != "complaint.intake" or result.status != MutationStatus.APPLIED:
        return
    complaint = m.args.get("complaint")
    code = complaint.get("tracking_code") if isinstance(complaint, dict) else None
    try:
        seq = tracking.parse(str(code)).seq
    except LaporError:
        return
    device.tracking_high = max(device.tracking_high, seq)


__all__ = ["Plan", "apply_planned", "plan"]
