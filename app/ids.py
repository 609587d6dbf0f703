"""Identifiers made where a record is created: UUIDv7 (time-ordered, so inserts stay local in the index)."""

from __future__ import annotations

import uuid6


def new_id() -> str:
    return str(uuid6.uuid7())
