"""The wire protocol between a LAPOR Desk PC and the national server (version 6; the server still serves 1 to 5).

Shared by the client (sync/) and the server (server/), so both read and write exactly these shapes. Every request
carries ``X-Lapor-Protocol`` and ``X-Lapor-App-Version``; the server answers a client it cannot serve with 426 and
an ``upgrade_required`` error, except on push, which stays open so no local change is ever stranded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import repeat
from typing import Annotated, Any, Literal, Protocol

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.rules import office_contact
from sync import protocol_shapes as _shapes

try:  # Python 3.14 has zstd in the standard library; before, its backport (what urllib3 decodes zstd answers with)
    from compression import zstd as zstd  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    from backports import zstd as zstd  # type: ignore[no-redef,unused-ignore]

PROTOCOL_VERSION = 6
MIN_PROTOCOL_VERSION = 1
# From protocol 2 a client takes its own changes as the server's state from the push results (``exact``,
# ``updated_at``, ``kept``), so the pull leaves them out instead of sending them back.
ECHO_FREE_PROTOCOL = 2
# From protocol 3 a download from the beginning may start with a snapshot (``PullRequest.snapshot``): the office's
# entities as they are now, each once, instead of a replay of the whole change log.
SNAPSHOT_PROTOCOL = 3
# From protocol 4 push and pull answers say what the server holds of this PC (``DeviceState``), and a pull answers a
# cursor the server's change log does not hold (the server was restored from an older backup) with ``restart``.
RESTORE_PROTOCOL = 4
# From protocol 5 the reference data carries the calling office's contact details (``ReferenceData.office_contact``),
# which the PC prints on receipts and status letters. Older clients refuse unknown fields, so they get none.
CONTACT_PROTOCOL = 5
# From protocol 6 a snapshot page comes as tables (``PullResponse.tables``): each kind of entity's column names once
# and its rows as lists, instead of every row repeating every key (a third less JSON to write and to read).
TABLES_PROTOCOL = 6
HEADER_PROTOCOL = "X-Lapor-Protocol"
HEADER_APP_VERSION = "X-Lapor-App-Version"
# On every file download: "remaining=<bytes>; per-second=<bytes>", the device's download budget after it (the PC
# waits for the budget before its next file instead of being refused: sync.transport.Transport.pace_download).
DOWNLOAD_BUDGET = "X-Lapor-Download-Budget"
# The codings a request body may come in, the one a PC should choose first: every answer names them in its
# Accept-Encoding (RFC 7694, section 3), and a PC sends zstd only to a server whose last answer named it (a server
# before these answers takes gzip only).
REQUEST_CODINGS = ("zstd", "gzip")
MAX_PUSH_BATCH = 500
MAX_PULL_LIMIT = 2000
BLOB_CHUNK = 1 << 20
MAX_SEQ = (1 << 62) - 1  # fits a signed 64-bit column

# The entity shapes (sync.protocol_shapes) are part of the protocol: the same names here.
SHA256_PATTERN = _shapes.SHA256_PATTERN
EDITABLE_FIELDS = _shapes.EDITABLE_FIELDS
STAMP_FIELDS = _shapes.STAMP_FIELDS
Entity = _shapes.Entity
ReporterData = _shapes.ReporterData
EventData = _shapes.EventData
AttachmentData = _shapes.AttachmentData
ComplaintData = _shapes.ComplaintData
IntakeArgs = _shapes.IntakeArgs
TransitionArgs = _shapes.TransitionArgs
NoteArgs = _shapes.NoteArgs
EditArgs = _shapes.EditArgs
AttachArgs = _shapes.AttachArgs
RestoreArgs = _shapes.RestoreArgs

# Ids, names and cursors are printable ASCII (UUIDs, "complaint.intake"): no NUL, no space, nothing a database
# column or a log line could choke on.
TOKEN_PATTERN = r"^[!-~]+$"


def _storable(value: str) -> str:
    """Text a database can store: no NUL character, no unpaired surrogate (both are valid in JSON)."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no unpaired surrogates)") from None
    return value


Text = Annotated[str, AfterValidator(_storable)]


class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(Wire):
    """Every 4xx/5xx answer: a machine code and a sentence a person can read (Indonesian first)."""

    code: str
    message: str
    message_en: str = ""
    details: dict[str, Any] = Field(default_factory=dict)


# ---- enrolment and tokens -------------------------------------------------------------------------------------


class EnrollRequest(Wire):
    code: Text = Field(min_length=6, max_length=64)  # typed by a person: spaces and dashes are ignored
    device_name: Text = Field(min_length=1, max_length=100)
    # A random secret the PC makes for its enrolment and sends again on every retry: the same code with the same
    # key returns the same device (with a fresh token), so a lost reply does not burn the code. Old PCs omit it.
    enrollment_key: str | None = Field(default=None, min_length=32, max_length=128, pattern=TOKEN_PATTERN)


class OfficeInfo(Wire):
    id: str
    region_code: str
    name: str
    tz: str


class EnrollResponse(Wire):
    device_id: str
    client_id: str
    device_no: int = Field(ge=1, le=999)
    office: OfficeInfo
    token: str
    era: str
    server_time: datetime


class TokenRefreshResponse(Wire):
    token: str
    server_time: datetime


# ---- push -----------------------------------------------------------------------------------------------------


class MutationStatus(StrEnum):
    APPLIED = "applied"
    MERGED = "merged"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class Mutation(Wire):
    """One captured local change. ``seq`` is gap-free per client; ``payload_hash`` covers everything the server
    uses, so the same seq sent again with other content is detected (``client_diverged``)."""

    seq: int = Field(ge=1, le=MAX_SEQ)
    mutation_id: str = Field(min_length=1, max_length=64, pattern=TOKEN_PATTERN)
    name: str = Field(min_length=1, max_length=64, pattern=TOKEN_PATTERN)
    version: int = Field(default=1, ge=1, le=MAX_SEQ)
    entity_type: str = Field(min_length=1, max_length=32, pattern=TOKEN_PATTERN)
    entity_id: str = Field(min_length=1, max_length=64, pattern=TOKEN_PATTERN)
    base_version: int = Field(ge=0, le=MAX_SEQ)
    user_id: str | None = Field(default=None, max_length=64, pattern=TOKEN_PATTERN)
    client_time: datetime | None = None
    args: dict[str, Any] = Field(default_factory=dict)
    payload_hash: str = Field(pattern=SHA256_PATTERN)


def payload_hash(name: str, version: int, entity_type: str, entity_id: str, base_version: int,
                 user_id: str | None, args: dict[str, Any]) -> str:
    body = json.dumps(
        {"name": name, "version": version, "entity_type": entity_type, "entity_id": entity_id,
         "base_version": base_version, "user_id": user_id, "args": args},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


class PushRequest(Wire):
    client_id: str = Field(min_length=1, max_length=64, pattern=TOKEN_PATTERN)
    mutations: list[Mutation] = Field(max_length=MAX_PUSH_BATCH)


class MutationResult(Wire):
    seq: int
    mutation_id: str
    status: MutationStatus
    entity_id: str
    server_version: int | None = None
    code: str | None = None  # for rejected/conflict: transition_rejected, permission_denied, validation, ...
    message: str | None = None
    server_values: dict[str, Any] | None = None  # for conflict: what the server kept
    # Protocol 2 (None from older servers, and never sent to older clients):
    # the server's complaint after this mutation is exactly what the client holds (its change applied as sent on
    # the state it had, nothing else merged in). The pull does not send it back; the client takes server_version
    # and updated_at from here.
    exact: bool | None = None
    updated_at: datetime | None = None  # the complaint's updated_at on the server after this mutation
    kept: list[str] | None = None  # ids of this mutation's timeline events and attachments the server holds


PROTOCOL_2_RESULT = frozenset({"exact", "updated_at", "kept"})  # MutationResult fields older clients do not know


class PushStop(StrEnum):
    GAP = "gap"  # a seq is missing: resend from acked_seq + 1
    CLIENT_DIVERGED = "client_diverged"  # same seq, other payload: the client must re-base


class DeviceState(Wire):
    """What the server holds of the calling PC (protocol 4). A PC that finds the server ahead of itself was restored
    from an older copy of its own data: it continues its outbox and its tracking numbers above these, and downloads
    its office again to get its own later work back."""

    acked_seq: int  # the highest seq of this PC with a stored result
    tracking_high: int  # the highest tracking-code sequence number of this PC's intakes the server holds


class PushResponse(Wire):
    results: list[MutationResult]
    acked_seq: int  # every seq up to this one has a stored result on the server
    stopped: PushStop | None = None
    era: str
    server_time: datetime
    device: DeviceState | None = None  # protocol 4


# ---- pull -----------------------------------------------------------------------------------------------------


class ChangeOp(StrEnum):
    UPSERT = "upsert"
    TOMBSTONE = "tombstone"
    SCOPE_EXIT = "scope_exit"  # the entity left this office's scope (re-routed elsewhere)


class Change(Wire):
    op: ChangeOp
    entity_type: str
    entity_id: str
    version: int
    data: dict[str, Any] | None = None


class ChangeLike(Protocol):
    """What applying a pulled change reads of it: a :class:`Change`, or an :class:`Upsert` of a snapshot page."""

    @property
    def op(self) -> ChangeOp: ...
    @property
    def entity_type(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def data(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True, slots=True)
class Upsert:
    """An entity of a snapshot page as a change-log upsert: what :class:`Change` says, built without validation (a
    first sync of 10,000 complaints makes some 50,000 of them; the page itself was validated as it arrived)."""

    entity_type: str
    entity_id: str
    version: int
    data: dict[str, Any]
    op: ChangeOp = ChangeOp.UPSERT


class PullRequest(Wire):
    cursor: str | None = Field(default=None, max_length=200, pattern=r"^[!-~]*$")
    limit: int = Field(default=500, ge=1, le=MAX_PULL_LIMIT)
    # Protocol 3: a download from the beginning may come as snapshot pages (``limit`` then counts complaints, each
    # with its timeline and attachments) before the change log. A server that ignores it sends the change log.
    snapshot: bool = False


class Snapshot(Wire):
    """One page of a download from the beginning: entities as they are now, each once. The first page carries the
    office's units and accounts; every page carries whole complaints, each with all its events and attachments.
    The entity dicts are the ``data`` of the upserts a change-log page would carry (``version`` inside)."""

    units: list[dict[str, Any]] = Field(default_factory=list)
    users: list[dict[str, Any]] = Field(default_factory=list)
    complaints: list[dict[str, Any]] = Field(default_factory=list)
    events: list[dict[str, Any]] = Field(default_factory=list)
    attachments: list[dict[str, Any]] = Field(default_factory=list)

    def as_changes(self) -> list[Upsert]:
        """The same content as change-log upserts (what :func:`sync.apply_pull.apply_changes` takes)."""
        out: list[Upsert] = []
        for entity_type, rows in (("unit", self.units), ("user", self.users), ("complaint", self.complaints),
                                  ("event", self.events), ("attachment", self.attachments)):
            out.extend(Upsert(entity_type, str(row["id"]), int(row.get("version") or 0), row) for row in rows)
        return out


class Table(Wire):
    """Rows of one kind of entity: the column names once, each row's values in that order. A column named twice, or
    a row of another length than ``cols`` (a page cut or garbled), is refused as the page is read."""

    cols: list[str]
    rows: list[list[Any]]

    @model_validator(mode="after")
    def _rows_fit(self) -> Table:
        width = len(self.cols)
        if len(set(self.cols)) != width:
            raise ValueError("a table names a column twice")
        if not set(map(len, self.rows)) <= {width}:
            raise ValueError(f"a table row does not have its {width} columns")
        return self

    def dicts(self, keep: Callable[[Any], bool] | None = None, by: str = "id") -> list[dict[str, Any]]:
        """Each row as a dict by column; with ``keep``, only the rows whose ``by`` column it keeps. Zipped without
        ``strict``, through ``map`` (half the time of a comprehension zipping each row strictly): every row was
        checked to fit ``cols`` as the page was read."""
        rows = self.rows
        if keep is not None:
            at = self.cols.index(by) if by in self.cols else None
            rows = [row for row in rows if keep(None if at is None else row[at])]
        return list(map(dict, map(zip, repeat(self.cols), rows)))


class SnapshotTables(Wire):
    """A snapshot page as tables (protocol 6): the same content as :class:`Snapshot`, with each complaint's reporter
    in ``reporters`` (joined by ``reporter_id``) instead of inside the complaint."""

    units: list[dict[str, Any]] = Field(default_factory=list)
    users: list[dict[str, Any]] = Field(default_factory=list)
    complaints: Table
    reporters: Table
    events: Table
    attachments: Table

    def as_snapshot(self, leave_out: Collection[Any] = ()) -> Snapshot:
        """The page as entity dicts, without the complaints ``leave_out`` names and their events and attachments
        (those sync.apply_tables writes from the tables)."""
        kept = (lambda value: value not in leave_out) if leave_out else None
        complaints = self.complaints.dicts(kept)
        named = {c.get("reporter_id") for c in complaints} if leave_out else None
        reporters = {r["id"]: r for r in self.reporters.dicts(named.__contains__ if named is not None else None)}
        for c in complaints:
            c["reporter"] = reporters.get(c["reporter_id"]) if c.get("reporter_id") else None
        return Snapshot.model_construct(units=self.units, users=self.users, complaints=complaints,
                                        events=self.events.dicts(kept, "complaint_id"),
                                        attachments=self.attachments.dicts(kept, "complaint_id"))


class PullResponse(Wire):
    changes: list[Change]
    cursor: str  # opaque; hand it back unchanged
    has_more: bool
    era: str
    server_time: datetime
    reference_version: int | None = None  # fetch /api/v1/reference only when this changes
    snapshot: Snapshot | None = None  # protocol 3, when asked for: a page of a download from the beginning
    # Protocol 4: the change log does not hold the cursor's position (the server was restored from an older backup):
    # this page starts the download from the beginning, and the PC sends again what it kept (as after a new era).
    restart: bool = False
    device: DeviceState | None = None
    tables: SnapshotTables | None = None  # protocol 6: the snapshot page as tables (``snapshot`` is then empty)

    def snapshot_page(self) -> Snapshot | None:
        """The snapshot page, however it came."""
        return self.tables.as_snapshot() if self.tables is not None else self.snapshot


PULL_FIELDS_SINCE = {"snapshot": SNAPSHOT_PROTOCOL, "restart": RESTORE_PROTOCOL, "device": RESTORE_PROTOCOL,
                     "tables": TABLES_PROTOCOL}


# ---- blobs and reference data ---------------------------------------------------------------------------------


class BlobStatus(Wire):
    sha256: str = Field(pattern=SHA256_PATTERN)
    size_received: int
    complete: bool


class OfficeContactData(BaseModel):
    """How citizens reach the office (app.rules.office_contact checked it on the server); None where the office has
    not said. Unknown fields are ignored, so a later server can add one without breaking this client."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    address: Text | None = Field(default=None, max_length=office_contact.ADDRESS_MAX)
    phone: Text | None = Field(default=None, max_length=office_contact.PHONE_MAX)  # E.164, "+62274868405"
    email: Text | None = Field(default=None, max_length=office_contact.EMAIL_MAX)
    website: Text | None = Field(default=None, max_length=office_contact.WEBSITE_MAX)  # https://…
    service_hours: Text | None = Field(default=None, max_length=office_contact.HOURS_MAX)


class ReferenceData(Wire):
    categories: list[dict[str, Any]]
    sla_policy: dict[str, Any] | None
    holidays: list[dict[str, Any]]
    units: list[dict[str, Any]]
    users: list[dict[str, Any]]
    version: int
    # Protocol 5: the calling office's contact, every field None when it has none. None for the whole object: a
    # server older than protocol 5, which says nothing about it (the PC keeps what it holds).
    office_contact: OfficeContactData | None = None


REFERENCE_FIELDS_SINCE = {"office_contact": CONTACT_PROTOCOL}


class VersionInfo(Wire):
    app: Literal["lapor-server"] = "lapor-server"
    version: str
    protocol: int = PROTOCOL_VERSION
    min_protocol: int = MIN_PROTOCOL_VERSION
    era: str
    server_time: datetime


MAX_MISSING_IDS = 2000


class MissingRequest(Wire):
    """Which of these does the server not hold for the calling office? (After a restore, protocol 4.)"""

    complaints: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=MAX_MISSING_IDS)
    events: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=MAX_MISSING_IDS)
    attachments: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list,
                                                                    max_length=MAX_MISSING_IDS)


class MissingResponse(Wire):
    """The asked-for ids the server does not hold for the office (another office's ids count as not held)."""

    complaints: list[str]
    events: list[str]
    attachments: list[str]
    accepting: bool  # whether the server takes ``complaint.restore`` now (it found out it was restored)
    # Asked-for complaints that left the office (re-routed) while this PC did not hear of it: the PC removes them.
    # Only complaints the office had (it logged their exit) or this PC made: nothing of another office is told.
    gone: list[str] = Field(default_factory=list)
