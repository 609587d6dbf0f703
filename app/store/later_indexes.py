"""Filling an empty store with a whole office (a PC's first sync): the complaints' secondary indexes, which only
the worklist, the reports and the search filters read, are built once at the end instead of row by row.

Rows come in the order of their ids, so the table and its id index grow at their end; these four indexes are keyed
by office, status, dates and due dates, so every page of rows lands all over them: each transaction rewrote most of
their pages. Built once from the finished table, they cost a sort. Nothing a pull reads uses them (it finds rows by
id), and a store left without them by a sync killed part-way gets them back when it is next opened or pulls again:
:func:`build_later_indexes` only reads when they are there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

from sqlalchemy import Connection, Index, Table, select
from sqlalchemy.schema import CreateIndex

from app.models import Complaint

if TYPE_CHECKING:
    from app.store.db import Store

LATER = ("ix_complaints_office_next_due", "ix_complaints_office_status_due", "ix_complaints_office_received",
         "ix_complaints_unit_status")


def _indexes() -> list[Index]:
    table = cast(Table, Complaint.__table__)
    found = [index for index in table.indexes if index.name in LATER]
    assert len(found) == len(LATER), "an index named in LATER is not on the Complaint model"
    return found


def missing_later_indexes(connection: Connection) -> bool:
    """Whether any of the :data:`LATER` indexes is missing (a read: a store that has them is not written to)."""
    present = {name for (name,) in connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'complaints'")}
    return not set(LATER) <= present


def build_later_indexes(store: Store) -> None:
    """Create whichever of the :data:`LATER` indexes is missing; nothing is written when none is."""
    with store.read() as session:
        if not missing_later_indexes(session.connection()):
            return
    with store.transaction() as session:
        _build(session.connection())


def _build(connection: Connection) -> None:
    for index in _indexes():
        connection.execute(CreateIndex(index, if_not_exists=True))


@contextmanager
def indexes_later(store: Store) -> Iterator[bool]:
    """While the block writes into a store that holds no complaint, the :data:`LATER` indexes are left out; they are
    built when it ends, however it ends. Yields whether they were left out (False for a store with complaints: its
    indexes stay, and any missing are built first)."""
    with store.read() as session:
        empty = session.execute(select(Complaint.id).limit(1)).first() is None
    if not empty:
        build_later_indexes(store)
        yield False
        return
    with store.transaction() as session:
        for index in _indexes():
            session.connection().exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
    try:
        yield True
    finally:
        with store.transaction() as session:
            _build(session.connection())
