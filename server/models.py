"""The national server's tables (its own schema and Alembic history, apart from the desktop store's)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Double,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    false,
    literal_column,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.models.base import NAMING, UTCDateTime


class ServerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ServerMeta(ServerBase):
    """Facts about this server: its era (rotated after a restore) and counters."""

    __tablename__ = "server_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Office(ServerBase):
    __tablename__ = "offices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(13), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    tz: Mapped[str] = mapped_column(String(40))
    next_device_no: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # How citizens reach the office (printed on receipts and status letters); set by ``admin set-office-contact``
    # and checked by app.rules.office_contact; the phone in E.164.
    contact_address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    contact_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    contact_website: Mapped[str | None] = mapped_column(String(200), nullable=True)
    service_hours: Mapped[str | None] = mapped_column(String(200), nullable=True)


class Unit(ServerBase):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class User(ServerBase):
    """Accounts are managed here and synced (with their hashes) to the PCs of their office."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str | None] = mapped_column(ForeignKey("offices.id"), index=True, nullable=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Device(ServerBase):
    """An enrolled PC. Its bearer token is stored only as a SHA-256 hash; revoking it ends its access."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    device_no: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # highest seq with a stored result
    # The highest tracking-code sequence number among this PC's intakes here: a PC restored from an older copy of
    # its data continues above it, so no code is issued twice.
    tracking_high: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class EnrollmentCode(ServerBase):
    """A one-time code the national admin hands to IT for one PC; stored hashed, valid 24 hours. The PC that
    redeems it sends a random enrolment key (hash kept here): a retry with the same key gets the same device back."""

    __tablename__ = "enrollment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    device_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    enrollment_key_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class ApiKey(ServerBase):
    """Keys for Open311 clients that may post requests (stored hashed)."""

    __tablename__ = "api_keys"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    office_id: Mapped[str | None] = mapped_column(ForeignKey("offices.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class MutationRecord(ServerBase):
    """The stored result of every pushed mutation, so a repeated push returns the same answer."""

    __tablename__ = "mutation_records"

    client_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    mutation_id: Mapped[str] = mapped_column(String(64), unique=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    result_json: Mapped[str] = mapped_column(Text)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Reporter(ServerBase):
    __tablename__ = "reporters"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    nik: Mapped[str | None] = mapped_column(String(16), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    assistance_needs: Mapped[str | None] = mapped_column(String(500), nullable=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Complaint(ServerBase):
    """The authoritative complaint. ``field_versions`` records the version at which each editable field last
    changed, so concurrent edits merge field by field."""

    __tablename__ = "complaints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str | None] = mapped_column(ForeignKey("offices.id"), nullable=True)
    tracking_code: Mapped[str] = mapped_column(String(24), unique=True)
    national_tracking_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    classification: Mapped[str] = mapped_column(String(24))
    category_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    incident_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    region_code: Mapped[str | None] = mapped_column(String(13), nullable=True)
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    channel: Mapped[str] = mapped_column(String(16))
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    is_confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    is_supervisory: Mapped[bool] = mapped_column(Boolean, default=False)
    reporter_id: Mapped[str | None] = mapped_column(ForeignKey("reporters.id"), nullable=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    archive_reason: Mapped[str | None] = mapped_column(String(24), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    postponed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    field_versions: Mapped[str] = mapped_column(Text, default="{}")
    created_by_client: Mapped[str | None] = mapped_column(String(36), nullable=True)
    # The PC whose exact change made version ``exact_version`` (server.apply_common.settle): while that is still the
    # complaint's version, this PC holds it exactly as it is here (server.apply, _holds). Any other new version
    # leaves them behind, whatever code made it (a host of the release before, during an upgrade). Kept on the row
    # the change writes anyway: asking the change log took an index by entity that every change-log row entered at
    # a random page, a quarter of what a pushed edit wrote.
    exact_client_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    exact_version: Mapped[int | None] = mapped_column(Integer, nullable=True)

    SERVER_ONLY = ("field_versions", "created_by_client", "exact_client_id", "exact_version")  # never sent to a PC

    __table_args__ = (Index("ix_complaints_office_status", "office_id", "status"),
                      Index("ix_complaints_office_id", "office_id", "id"),
                      # An office's complaints of one reporter: may a pushed intake name this reporter (server.trust)
                      Index("ix_complaints_reporter_id", "reporter_id"))


class TimelineEvent(ServerBase):
    __tablename__ = "timeline_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    from_status: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(24), nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    data_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Attachment(ServerBase):
    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    event_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Blob(ServerBase):
    """A file's bytes on disk, named by SHA-256, shared by every office that may read it (``office_blobs``).
    ``complete``: the verified file is in place. ``size_received`` is no longer used (uploads resume per office)."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OfficeBlob(ServerBase):
    """An office's right to a file's bytes, and its upload of them. Storage is shared and content-addressed
    (``blobs``), access is not: an office may read a file only after one of its PCs sent all of its bytes
    (``source`` "upload", proof of possession) or it received a complaint that carries the file ("reroute").
    ``size_received`` lets the office's upload resume; ``device_id`` is the PC that sent it (for its quota)."""

    __tablename__ = "office_blobs"

    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    source: Mapped[str] = mapped_column(String(16))
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    size_received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChangeLogEntry(ServerBase):
    """One row per committed change, written in the same transaction. On PostgreSQL ``xid`` is the writing
    transaction's id (the pull cursor is (xid, id), fenced by the oldest running transaction); on SQLite it is
    a per-transaction counter (one writer at a time, so commit order is id order).

    ``origin_client_id`` is the PC whose pushed mutation wrote the row (None for national and admin changes);
    ``exact`` says the entity's state after this row is exactly what that PC already holds, so its pull skips the
    row instead of sending its own change back."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                    autoincrement=True)
    xid: Mapped[int] = mapped_column(BigInteger, index=True)
    office_id: Mapped[str] = mapped_column(String(36))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    origin_client_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    exact: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (Index("ix_change_log_office_xid_id", "office_id", "xid", "id"),
                      # The complaints that left an office (server.api.sync, server.blob_access): only those rows,
                      # so the rows every edit writes add nothing to it (:data:`SCOPE_EXITS` reads it).
                      Index("ix_change_log_scope_exits", "entity_id", sqlite_where=text("op = 'scope_exit'"),
                            postgresql_where=text("op = 'scope_exit'")))


# The condition for the rows of complaints leaving an office, with the value written into the SQL: a planner may use
# ix_change_log_scope_exits only for a query whose condition implies the index's, which a bound value does not.
SCOPE_EXITS = ChangeLogEntry.op == literal_column("'scope_exit'")


class Category(ServerBase):
    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SlaPolicyRecord(ServerBase):
    __tablename__ = "sla_policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    effective_from: Mapped[date] = mapped_column(Date)
    policy_json: Mapped[str] = mapped_column(Text)


class Holiday(ServerBase):
    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))


# ---- the national comparison's figures (server.kpi_national, app.kpi.marks) -----------------------------------

class KpiComplaint(ServerBase):
    """What one complaint adds to its office's daily figures (``marks``: app.kpi.marks.Marks as JSON), kept so a
    change moves the rows by the difference; ``overdue_from``: its running deadline while open (overdue after it)."""

    __tablename__ = "kpi_complaints"

    complaint_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36))
    unit_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    category_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    marks: Mapped[str] = mapped_column(Text)
    overdue_from: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # Only open complaints have a running deadline: the index holds them alone (a push's closed ones cost nothing).
    __table_args__ = (Index("ix_kpi_complaints_overdue_from", "overdue_from", "office_id",
                            postgresql_where=text("overdue_from IS NOT NULL"),
                            sqlite_where=text("overdue_from IS NOT NULL")),)


class KpiCounts:
    """The counted measures of app.kpi.marks.MEASURES, one column each (a day's or a month's rows)."""

    received: Mapped[int] = mapped_column(Integer, default=0)
    excluded: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    auto_closed: Mapped[int] = mapped_column(Integer, default=0)
    verified_met: Mapped[int] = mapped_column(Integer, default=0)
    verified_missed: Mapped[int] = mapped_column(Integer, default=0)
    followed_up_met: Mapped[int] = mapped_column(Integer, default=0)
    followed_up_missed: Mapped[int] = mapped_column(Integer, default=0)
    resolved_met: Mapped[int] = mapped_column(Integer, default=0)
    resolved_missed: Mapped[int] = mapped_column(Integer, default=0)
    responses: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)


class KpiDay(KpiCounts, ServerBase):
    """An office's counts on one local day (``month`` its YYYYMM): ``dim`` "" for the whole office, "u" per unit,
    "c" per category (``key`` the unit's or category's id, "-" for none). The key's order serves both readers (every
    office's totals of a month; one office's units or categories of a month) with the one index a push maintains."""

    __tablename__ = "kpi_days"

    dim: Mapped[str] = mapped_column(String(1), primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)


class KpiDayDuration(ServerBase):
    """How many verifications (``kind`` "v") or follow-ups ("f") of an office took ``working_days`` on a local day:
    the histograms the medians are read from."""

    __tablename__ = "kpi_day_durations"

    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    working_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class KpiMonth(KpiCounts, ServerBase):
    """:class:`KpiDay` summed per month (kept with it, in the same statements): a month over before today is read
    here, a dozen rows per office for a year's trend instead of a few hundred."""

    __tablename__ = "kpi_months"

    dim: Mapped[str] = mapped_column(String(1), primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)


class KpiMonthDuration(ServerBase):
    """:class:`KpiDayDuration` summed per month."""

    __tablename__ = "kpi_month_durations"

    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    working_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class RateBucket(ServerBase):
    """One token bucket of a rate limit (server.ratelimit.DatabaseBuckets): ``name`` the limit, ``key`` what it
    counts (a device, an address, a code), ``tokens`` as of ``updated`` (seconds since the epoch, the hosts' clock)."""

    __tablename__ = "rate_buckets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tokens: Mapped[float] = mapped_column(Double)
    updated: Mapped[float] = mapped_column(Double)
