"""The complaint state machine as data: every allowed transition, the action that makes it, who may, what the person
writes for it (and its limits) and what it does to the complaint's columns.

One table, read by everything that moves a complaint: the desktop's services (app.services.workflow_actions), the
outbox capture's wire arguments (sync.capture), the server's apply (server.apply_transition), the demo generator and
the tests. Anything not listed here is forbidden. One status change can be made by more than one action with its own
roles: closing (the office decides) and recording the reporter's response (counter staff may too) both end in
SELESAI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from app.domain import ArchiveReason, EventKind, Role, Status
from app.errors import InvalidTransition, Message, PermissionDenied, ValidationError
from app.reference.labels import label

S = Status
R = Role
K = EventKind

MAX_TEXT = 4000
# The complaint's date stamps a step sets or clears (and that the PC sends with every step).
DATE_STAMPS = ("disposed_at", "followed_up_at", "postponed_at", "closed_at")


@dataclass(frozen=True)
class TextInput:
    """A text the person writes for a step: the service's keyword (and the form's field), where the timeline entry
    keeps it (its ``text``, the ``reason`` in its data, or both) and its limits after trimming."""

    name: str
    kept_as: Literal["text", "reason", "both"]
    required: bool
    min_len: int = 1
    max_len: int = MAX_TEXT


def _reason(min_len: int = 5) -> TextInput:
    return TextInput("reason", "reason", required=True, min_len=min_len)


def _note(name: str = "note") -> TextInput:
    return TextInput(name, "text", required=False)


@dataclass(frozen=True)
class Transition:
    """One allowed status change and everything it does.

    ``stamps`` are date columns set to the step's time, ``clears`` the ones emptied; ``sets_unit``: the step takes a
    unit (active, of the complaint's office) and sets ``unit_id``; ``archive_reason``: the step takes an archive
    reason code (kept as the entry's reason) and sets the column, or clears it; ``satisfied``: the reporter's
    response this step records (kept in the entry's data); ``unit_bound``: a unit liaison (penghubung) may take it only
    on a complaint dispositioned to their own unit."""

    source: Status
    target: Status
    action: str
    roles: frozenset[Role]
    event_kind: EventKind
    inputs: tuple[TextInput, ...] = ()
    stamps: tuple[str, ...] = ()
    clears: tuple[str, ...] = ()
    sets_unit: bool = False
    archive_reason: Literal["set", "clear"] | None = None
    satisfied: bool | None = None
    unit_bound: bool = False  # a unit liaison takes it only on complaints dispositioned to their own unit

    @property
    def needs_reason(self) -> bool:
        """Whether the person must say why (a written reason, or an archive reason code)."""
        return self.archive_reason == "set" or any(i.required and i.kept_as != "text" for i in self.inputs)

    @property
    def wire_fields(self) -> tuple[str, ...]:
        """The complaint columns the PC sends with this step: every date stamp (set or not, so the server's copy
        matches), and the unit or archive reason the step sets."""
        extra = (("unit_id",) if self.sets_unit else ()) + (("archive_reason",) if self.archive_reason else ())
        return DATE_STAMPS + extra

    def input(self, name: str) -> TextInput | None:
        return next((i for i in self.inputs if i.name == name), None)


ADMIN = frozenset({R.ADMIN_INSTANSI})
ADMIN_LIAISON = frozenset({R.ADMIN_INSTANSI, R.PENGHUBUNG})
ADMIN_COUNTER = frozenset({R.ADMIN_INSTANSI, R.PETUGAS_LOKET})
def _dispose(source: Status) -> Transition:
    return Transition(source, S.DIDISPOSISIKAN, "dispose", ADMIN, K.DISPOSED, inputs=(_note("instruction"),),
                      stamps=("disposed_at",), clears=("followed_up_at",), sets_unit=True)


def _postpone(source: Status, roles: frozenset[Role]) -> Transition:
    return Transition(source, S.DITUNDA, "postpone", roles, K.POSTPONED, inputs=(_reason(),), stamps=("postponed_at",),
                      unit_bound=True)


def _redirect(source: Status) -> Transition:
    return Transition(source, S.BUKAN_WEWENANG, "redirect", ADMIN, K.REDIRECTED, inputs=(_reason(),))


def _archive(source: Status) -> Transition:
    return Transition(source, S.DIARSIPKAN, "archive", ADMIN, K.ARCHIVED, inputs=(_note(),), stamps=("closed_at",),
                      archive_reason="set")


TRANSITIONS: tuple[Transition, ...] = (
    _dispose(S.BELUM_TERVERIFIKASI),
    _postpone(S.BELUM_TERVERIFIKASI, ADMIN),
    _redirect(S.BELUM_TERVERIFIKASI),
    _archive(S.BELUM_TERVERIFIKASI),
    Transition(S.DIDISPOSISIKAN, S.DITINDAKLANJUTI, "follow_up", ADMIN_LIAISON, K.FOLLOW_UP,
               inputs=(TextInput("text", "text", required=True, min_len=10),), stamps=("followed_up_at",),
               unit_bound=True),
    _postpone(S.DIDISPOSISIKAN, ADMIN_LIAISON),
    _redirect(S.DIDISPOSISIKAN),
    Transition(S.DITINDAKLANJUTI, S.SELESAI, "close", ADMIN | {R.SYSTEM}, K.CLOSED, inputs=(_note(),),
               stamps=("closed_at",)),
    # The reporter's response: satisfied closes; not satisfied sends it back to the unit, saying why.
    Transition(S.DITINDAKLANJUTI, S.SELESAI, "respond", ADMIN_COUNTER, K.REPORTER_RESPONSE,
               inputs=(TextInput("text", "text", required=False, min_len=5),), stamps=("closed_at",),
               satisfied=True),
    Transition(S.DITINDAKLANJUTI, S.DIDISPOSISIKAN, "respond", ADMIN_COUNTER, K.REPORTER_RESPONSE,
               inputs=(TextInput("text", "both", required=True, min_len=5),), stamps=("disposed_at",),
               clears=("followed_up_at",), satisfied=False),
    Transition(S.DITUNDA, S.BELUM_TERVERIFIKASI, "resume", ADMIN_COUNTER, K.RESUMED, inputs=(_note(),),
               clears=("postponed_at",)),
    _dispose(S.DITUNDA),
    _archive(S.DITUNDA),
    Transition(S.DIARSIPKAN, S.BELUM_TERVERIFIKASI, "unarchive", ADMIN, K.UNARCHIVED, inputs=(_reason(),),
               clears=("closed_at",), archive_reason="clear"),
    Transition(S.SELESAI, S.DIDISPOSISIKAN, "reopen", ADMIN, K.REOPENED, inputs=(_reason(),),
               stamps=("disposed_at",), clears=("closed_at", "followed_up_at")),
)

ACTIONS = frozenset(t.action for t in TRANSITIONS)
# The actions a unit liaison takes only on their own unit's complaints (the table's ``unit_bound``; the desktop's
# services, the server's push and the window's action list all ask :func:`unit_allows`).
UNIT_BOUND_ACTIONS = frozenset(t.action for t in TRANSITIONS if t.unit_bound)
# The automatic close (the reporter's response window ran out) is the close action with its own entry kind.
AUTO_CLOSE_KIND = K.AUTO_CLOSED


# ---- what the person writes ---------------------------------------------------------------------------------------


def _text_problem(text: str, spec: TextInput) -> Message | None:
    if not text:
        return Message("Wajib diisi.", "Required.") if spec.required else None
    if len(text) < spec.min_len:
        return Message(f"Minimal {spec.min_len} karakter.", f"At least {spec.min_len} characters.")
    if len(text) > spec.max_len:
        return Message(f"Maksimal {spec.max_len} karakter.", f"At most {spec.max_len} characters.")
    return None


def clean_text(value: str | None, spec: TextInput) -> str | None:
    """The text trimmed (None when empty and optional), or ValidationError on ``spec.name``."""
    text = (value or "").strip()
    problem = _text_problem(text, spec)
    if problem is not None:
        raise ValidationError({spec.name: problem})
    return text or None


def check_inputs(transition: Transition, values: Mapping[str, Any], *, unit: Any = None,
                 office_id: str | None = None) -> dict[str, Any]:
    """What the person chose and wrote for ``transition``, cleaned: each text trimmed and within its limits, the
    archive reason code a known one, the unit (``unit``: the row ``values["unit_id"]`` names, desktop's or server's,
    or None) active and of the complaint's office ``office_id``. Every problem at once (ValidationError keyed by the
    inputs' names)."""
    errors: dict[str, Message] = {}
    out: dict[str, Any] = {}
    if transition.sets_unit:
        problem = unit_problem(getattr(unit, "office_id", None), getattr(unit, "active", None), office_id)
        if problem is not None:
            errors["unit_id"] = problem
        out["unit_id"] = values.get("unit_id")
    for spec in transition.inputs:
        raw = values.get(spec.name)
        text = raw.strip() if isinstance(raw, str) else ""
        if raw is not None and not isinstance(raw, str):
            errors[spec.name] = Message("Harus berupa teks.", "Must be text.")
        elif (problem := _text_problem(text, spec)) is not None:
            errors[spec.name] = problem
        out[spec.name] = text or None
    if transition.archive_reason == "set":
        code = values.get("reason_code")
        if code not in ArchiveReason.__members__:
            errors["reason_code"] = Message("Pilih alasan pengarsipan.", "Choose an archive reason.")
        out["reason_code"] = code
    if errors:
        raise ValidationError(errors)
    return out


def entry_content(transition: Transition, inputs: Mapping[str, Any], **extra: Any) -> tuple[str | None, dict[str, Any]]:
    """The timeline entry's text and data for a step with these (cleaned) inputs; ``extra`` goes into the data
    (a redirect's suggested office). The inverse of :func:`inputs_from_entry`."""
    text: str | None = None
    data: dict[str, Any] = {k: v for k, v in extra.items() if v is not None}
    if transition.sets_unit:
        data["unit_id"] = inputs.get("unit_id")
    if transition.satisfied is not None:
        data["satisfied"] = transition.satisfied
    for spec in transition.inputs:
        value = inputs.get(spec.name)
        if spec.kept_as in ("text", "both"):
            text = value
        if spec.kept_as in ("reason", "both") and value:
            data["reason"] = value
    if transition.archive_reason == "set":
        data["reason"] = inputs.get("reason_code")
    return text, data


def inputs_from_entry(transition: Transition, text: str | None, data_json: str | None) -> dict[str, Any]:
    """What the person wrote for a step, read back from its timeline entry as a PC sent it (for the server to
    check with :func:`check_inputs`, as the PC did)."""
    try:
        data = json.loads(data_json) if data_json else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    values: dict[str, Any] = {}
    for spec in transition.inputs:
        # A reason is kept in the entry's data; a client that wrote it as the entry's text is read the same way.
        values[spec.name] = (data.get("reason") or text) if spec.kept_as == "reason" else text
    if transition.archive_reason == "set":
        values["reason_code"] = data.get("reason")
    return values


# ---- what the step does -----------------------------------------------------------------------------------------


def apply_effects(row: Any, transition: Transition, at: datetime, *, unit_id: str | None = None,
                  archive_reason: str | None = None) -> None:
    """Move ``row`` (the desktop's or the server's complaint, or the demo's state of one) by ``transition`` at
    ``at``: its status, the date stamps it sets and clears, the unit or archive reason it sets."""
    row.status = transition.target
    for stamp in transition.stamps:
        setattr(row, stamp, at)
    for stamp in transition.clears:
        setattr(row, stamp, None)
    if transition.sets_unit:
        row.unit_id = unit_id
    if transition.archive_reason == "set":
        row.archive_reason = archive_reason
    elif transition.archive_reason == "clear":
        row.archive_reason = None


def unit_problem(unit_office_id: str | None, unit_active: bool | None, office_id: str | None) -> Message | None:
    """Why a step may not send a complaint of ``office_id`` to this unit (None: it may). ``unit_office_id`` None:
    no such unit."""
    if unit_office_id is None or unit_office_id != office_id or not unit_active:
        return Message("Pilih unit kerja yang aktif di instansi ini.", "Choose an active unit of this office.")
    return None


def entry_kinds(transition: Transition) -> frozenset[EventKind]:
    """The timeline entry kinds a step may be written with (a close may be the automatic one)."""
    return frozenset({transition.event_kind, AUTO_CLOSE_KIND} if transition.action == "close"
                     else {transition.event_kind})


# ---- who may, from where ------------------------------------------------------------------------------------------


def unit_allows(action: str, role: str, actor_unit_id: str | None, complaint_unit_id: str | None) -> bool:
    """Whether the unit rule lets this role (with its unit) take ``action`` on a complaint of that unit."""
    if role != R.PENGHUBUNG or action not in UNIT_BOUND_ACTIONS:
        return True
    return actor_unit_id is not None and actor_unit_id == complaint_unit_id


def between(source: str, target: str) -> list[Transition]:
    """Every action that moves a complaint from ``source`` to ``target``."""
    return [t for t in TRANSITIONS if t.source == source and t.target == target]


def find(source: str, target: str, action: str | None = None) -> Transition | None:
    """The transition made by ``action`` (or the first one of the pair when no action is named)."""
    found = [t for t in between(source, target) if action is None or t.action == action]
    return found[0] if found else None


def next_statuses(source: str) -> list[Status]:
    return sorted({t.target for t in TRANSITIONS if t.source == source})


def allowed_transitions(source: str, role: str) -> list[Transition]:
    """What this role may do from this status (the UI shows only these)."""
    return [t for t in TRANSITIONS if t.source == source and role in t.roles]


def check_transition(source: str, target: str, role: str, *, action: str | None = None) -> Transition:
    """The transition (made by ``action``, or any action of the pair this role may take), or a typed error
    saying plainly why not. What the person writes for it is :func:`check_inputs`'s."""
    candidates = [t for t in between(source, target) if action is None or t.action == action]
    if not candidates:
        raise InvalidTransition(
            Message(
                f"Status tidak dapat diubah dari {label(Status(source))} ke {label(Status(target))}.",
                f"The status cannot change from {label(Status(source), 'en')} to {label(Status(target), 'en')}.",
            )
        )
    permitted = [t for t in candidates if role in t.roles]
    if not permitted:
        raise PermissionDenied(
            Message(
                f"Peran {label(Role(role))} tidak boleh mengubah status dari {label(Status(source))} "
                f"ke {label(Status(target))}.",
                f"The role {label(Role(role), 'en')} may not change the status from "
                f"{label(Status(source), 'en')} to {label(Status(target), 'en')}.",
            )
        )
    return permitted[0]
