"""The bulk apply's time binding (sync.apply_bulk.utc_text) writes exactly what the store's own conversion
(app.store.transactions.sql_datetime, the UTCDateTime columns' processor) writes, for the UTC times the server sends
and for any other offset, whether it is given the parsed time, the text as sent, or a row's time that was parsed
from that text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import cast

import pytest
from sqlalchemy import Table

from app.models import Attachment, Complaint, Reporter, TimelineEvent, UTCDateTime
from app.store.transactions import sql_datetime
from sync.apply_bulk import SENT_TIMES, _as_sent, _stored, utc_text
from sync.apply_rows import as_datetime


@pytest.mark.parametrize("wire", [
    "2024-05-27T18:57:49.339000+00:00", "2024-05-27T18:57:49+00:00", "2024-05-27T18:57:49Z", "2024-05-27 18:57:49",
    "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59.999999+00:00", "2024-05-27T01:02:03.000001+07:00",
    "2024-05-27T23:30:00-03:30",
])
def test_a_pulled_time_binds_as_the_store_converts_it(wire: str) -> None:
    value = as_datetime(wire)
    assert value is not None
    assert utc_text(value) == sql_datetime(value)
    assert utc_text(wire) == sql_datetime(value)  # the text as sent, cut or parsed
    # A row's time parsed from the text (as the bulk rows are made): written from that text without a second parse.
    row = _as_sent(dict.fromkeys(SENT_TIMES["complaints"]) | {"updated_at": value}, {"updated_at": wire}, Complaint)
    assert row["updated_at"] == sql_datetime(value)
    assert _stored(row["updated_at"]) == sql_datetime(value)
    assert row["received_at"] is None


@pytest.mark.parametrize("wire", ["2024-13-27T18:57:49.339000+00:00", "2024-05-27T18:57:49.33900x+00:00",
                                  "2024-05-27T25:57:49+00:00", "not a time"])
def test_malformed_text_as_sent_is_refused(wire: str) -> None:
    with pytest.raises(ValueError):
        utc_text(wire)


def test_other_zones_and_none() -> None:
    jakarta = timezone(timedelta(hours=7))
    for value in (datetime(2026, 3, 2, 9, 0, tzinfo=jakarta), datetime(2026, 3, 2, 2, 0, 0, 5, tzinfo=UTC)):
        assert utc_text(value) == sql_datetime(value)
    assert utc_text(None) is None
    with pytest.raises(ValueError):
        utc_text(datetime(2026, 3, 2, 2, 0))  # naive: refused, as the store refuses it


def test_times_written_as_sent_are_the_tables_own_and_stay_text() -> None:
    """Each time the bulk rows carry as the store's text is a UTCDateTime column of its table; a value left
    otherwise (a datetime) is refused, never written in another form."""
    tables = {t.name: t for t in (cast(Table, model.__table__)
                                  for model in (Complaint, Reporter, TimelineEvent, Attachment))}
    for name, columns in SENT_TIMES.items():
        for column in columns:
            assert isinstance(tables[name].c[column].type, UTCDateTime), (name, column)
    assert _stored(None) is None
    with pytest.raises(TypeError):
        _stored(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # type: ignore[arg-type]
