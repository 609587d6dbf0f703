"""What the sync module keeps in the store: the outbox of captured changes and the conflict review queue.

The tables live here because they must commit in the same SQLite transaction as the change they record; the
code that fills and drains them is in sync/, which app never imports.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class OutboxEntry(Base):
    """One captured local change, in a gap-free per-client sequence. Acknowledged rows are kept 30 days so
    they can be pushed again to a server restored from an older backup."""

    __tablename__ = "sync_outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    mutation_id: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    base_version: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    args_json: Mapped[str] = mapped_column(Text)
    payload_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    result_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    result_json: Mapped[str | None] = mapped_column(Text, nullable=True)


class ConflictItem(Base):
    """A field two people changed at once: the server kept ``theirs``; a person decides (keep mine, keep
    theirs, or edit). Kept until resolved; nothing is lost silently."""

    __tablename__ = "sync_conflicts"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # the server's conflict event id + field
    complaint_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(40))
    mine_json: Mapped[str] = mapped_column(Text)
    theirs_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(16), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
