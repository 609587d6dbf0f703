"""Reference data: regions, categories, the SLA policy and the holiday calendar."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Region(Base):
    """A Kemendagri region: province (11), regency/city (11.01), district (11.01.01), village (11.01.01.2001)."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(Integer)  # 1 province … 4 village
    parent_code: Mapped[str | None] = mapped_column(String(13), index=True, nullable=True)
    name_folded: Mapped[str] = mapped_column(String(100), index=True)


class Category(Base):
    """A complaint category; a tree (parent_id)."""

    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SlaPolicyRecord(Base):
    """The deadline policy in force, as JSON (the server may replace the bundled default)."""

    __tablename__ = "sla_policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date)
    policy_json: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(40), default="bundled")


class Holiday(Base):
    """A non-working day: a national holiday or cuti bersama (joint leave)."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # NATIONAL or CUTI_BERSAMA
