"""Complaints (laporan), their reporters (pelapor), timelines and attachments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, func, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class Reporter(Base):
    """The person who reported. Personal data: shown, logged and exported only as the privacy rules allow."""

    __tablename__ = "reporters"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    nik: Mapped[str | None] = mapped_column(String(16), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    assistance_needs: Mapped[str | None] = mapped_column(String(500), nullable=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Complaint(Base):
    """A laporan. Deadlines are stored (recomputed on every change) so lists sort and filter in SQL."""

    __tablename__ = "complaints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"))
    tracking_code: Mapped[str] = mapped_column(String(24), unique=True)
    national_tracking_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    classification: Mapped[str] = mapped_column(String(24))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), nullable=True)
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
    is_supervisory: Mapped[bool] = mapped_column(Boolean, default=False)  # berkadar pengawasan
    reporter_id: Mapped[str | None] = mapped_column(ForeignKey("reporters.id"), nullable=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(24))
    archive_reason: Mapped[str | None] = mapped_column(String(24), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    postponed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # Deadlines, recomputed by the SLA engine whenever status or dates change.
    step_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    step_due_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    resolution_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    next_due_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # Sync bookkeeping: the last version the server gave, and a local edit counter.
    server_version: Mapped[int] = mapped_column(Integer, default=0)
    local_rev: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_complaints_office_next_due", "office_id",
              func.coalesce(literal_column("next_due_at"), "9999-12-31"), "id"),
        Index(
            "ix_complaints_office_status_due",
            "office_id",
            "status",
            func.coalesce(literal_column("next_due_at"), "9999-12-31"),
            "id",
        ),
        Index("ix_complaints_office_received", "office_id", "received_at"),
        Index("ix_complaints_unit_status", "unit_id", "status"),
    )


class TimelineEvent(Base):
    """An append-only entry on a complaint's timeline. ``data_json`` holds the event's structured fields."""

    __tablename__ = "timeline_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    from_status: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(24), nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    data_json: Mapped[str | None] = mapped_column(Text, nullable=True)


class Attachment(Base):
    """File metadata; the bytes live outside the database, named by their SHA-256."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), index=True)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("timeline_events.id"), nullable=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    blob_present: Mapped[bool] = mapped_column(Boolean, default=True)
    blob_uploaded: Mapped[bool] = mapped_column(Boolean, default=False)  # the server holds the bytes


class ComplaintSearchDoc(Base):
    """Maps a complaint to the integer rowid of its full-text document (FTS5 needs integer rowids)."""

    __tablename__ = "complaint_search_docs"

    docid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    complaint_id: Mapped[str] = mapped_column(ForeignKey("complaints.id"), unique=True)
