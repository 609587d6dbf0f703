"""Offices, their units, user accounts and this PC's own identity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime


class Office(Base):
    """An instansi: a provincial or regency government office that handles complaints."""

    __tablename__ = "offices"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    region_code: Mapped[str] = mapped_column(String(13), index=True)
    name: Mapped[str] = mapped_column(String(200))
    tz: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    server_version: Mapped[int] = mapped_column(Integer, default=0)
    # How citizens reach the office, printed on receipts and status letters (app.rules.office_contact): set on the
    # national server and received with the reference data; None where the office has not said. Phone in E.164.
    contact_address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    contact_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    contact_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    contact_website: Mapped[str | None] = mapped_column(String(200), nullable=True)
    service_hours: Mapped[str | None] = mapped_column(String(200), nullable=True)


class Unit(Base):
    """A unit of an office (dinas, bagian) that complaints are dispositioned to."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    server_version: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    """A staff account; the hash lets staff log in while offline."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_id: Mapped[str] = mapped_column(ForeignKey("offices.id"), index=True)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    server_version: Mapped[int] = mapped_column(Integer, default=0)


class StoreMeta(Base):
    """Key/value facts about this store: its office, device number, the next tracking sequence."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(2000))
