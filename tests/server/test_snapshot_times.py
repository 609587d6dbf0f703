"""Snapshot pages on SQLite write a time or date from its stored text (server.snapshot_pages._stored_time): the
same ISO 8601 text as reading the value through its column's type and calling ``isoformat()``, for the text
SQLAlchemy stores and for any other text a row may hold."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Column
from sqlalchemy.dialects import postgresql, sqlite

from server import snapshot_pages
from server.models import Complaint, TimelineEvent

SQLITE = sqlite.dialect()


def _column(model: Any, name: str) -> Column[Any]:
    column: Column[Any] = model.__table__.columns[name]
    return column


def _by_type(column: Column[Any], stored: str | None) -> Any:
    processor = column.type.dialect_impl(SQLITE).result_processor(SQLITE, None)
    value: Any = processor(stored) if processor is not None else stored
    return value.isoformat() if value is not None else None


@pytest.mark.parametrize("stored", [
    "2024-05-27 18:57:49.339000", "2024-05-27 18:57:49.000000", "2024-05-27 18:57:49.000001",
    "0001-01-01 00:00:00.000000", "2024-05-27 18:57:49", "2024-05-27T18:57:49.339000", "2024-05-27 18:57", None,
])
def test_a_stored_time_is_written_as_its_value_would_be(stored: str | None) -> None:
    for column in (_column(TimelineEvent, "at"), _column(Complaint, "updated_at")):
        assert snapshot_pages._stored_time(column, SQLITE)(stored) == _by_type(column, stored)


@pytest.mark.parametrize("stored", ["2024-05-27", "0001-01-01", None])
def test_a_stored_date_is_written_as_its_value_would_be(stored: str | None) -> None:
    column = _column(Complaint, "incident_date")
    assert snapshot_pages._stored_time(column, SQLITE)(stored) == _by_type(column, stored)


def test_other_databases_read_values_through_their_types() -> None:
    column = _column(TimelineEvent, "at")
    assert snapshot_pages._stored_time(column, postgresql.dialect()) is snapshot_pages._wire
    assert snapshot_pages._stored_time(column, None) is snapshot_pages._wire
