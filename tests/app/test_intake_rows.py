"""Intake writes its rows with prebuilt inserts (app.store.transactions.TableInsert) instead of the ORM: the rows it
stores are, column for column and byte for byte, the rows the ORM stores for the same values — defaults of columns
intake does not give included (a new column with a Python-side default must not arrive as NULL)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.domain import Channel, Classification
from app.inputs import IntakeInput, ReporterInput
from app.models import Category, Complaint, Reporter, TimelineEvent
from app.services.intake import COMPLAINT_COLUMNS, EVENT_COLUMNS, REPORTER_COLUMNS, intake
from app.store.transactions import TableInsert
from tests.helpers.world import World

SYNTHETIC = IntakeInput(
    classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title="Lampu jalan padam di simpang tiga",
    description="Lampu penerangan jalan di simpang tiga sudah padam dua minggu, rawan kecelakaan di malam hari.",
    region_code="34.04.01", address="Jl. Contoh No. 1, RT 01/RW 02",
    latitude=-7.7, longitude=110.35, is_confidential=True, is_supervisory=True,
    reporter=ReporterInput(name="Warga Uji Coba", nik="3404010101900001", phone="081200000001",
                           email="warga.uji@example.org", address="Jl. Contoh No. 2", assistance_needs="Kursi roda",
                           consent_given=True),
)


def _raw(world: World, table: str, row_id: str) -> dict[str, Any]:
    assert world.store.path is not None
    with sqlite3.connect(world.store.path) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone()  # noqa: S608 - test tables
    assert row is not None
    return dict(row)


@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_intake_rows_equal_the_orms(world: World, anonymous: bool) -> None:
    with world.store.read() as session:
        category = session.execute(select(Category.id)).scalars().first()
    inp = replace(SYNTHETIC, category_id=category, is_anonymous=anonymous,
                  incident_date=world.clock().date() - timedelta(days=3),
                  reporter=None if anonymous else SYNTHETIC.reporter)
    result = intake(world.ctx, world.users["PETUGAS_LOKET"], inp)
    copies: dict[str, tuple[str, str]] = {}  # table -> (fast path's id, ORM copy's id)
    with world.store.transaction() as session:
        complaint = session.get(Complaint, result.complaint_id)
        assert complaint is not None
        event = session.execute(select(TimelineEvent).where(TimelineEvent.complaint_id == complaint.id)).scalar_one()
        values = {name: getattr(complaint, name) for name in COMPLAINT_COLUMNS}
        if complaint.reporter_id is not None:
            reporter = session.get(Reporter, complaint.reporter_id)
            assert reporter is not None
            copy = Reporter(**{name: getattr(reporter, name) for name in REPORTER_COLUMNS} | {"id": "orm-reporter"})
            session.add(copy)
            session.flush()
            copies["reporters"] = (reporter.id, "orm-reporter")
            values["reporter_id"] = "orm-reporter"
        session.add(Complaint(**values | {"id": "orm-complaint", "tracking_code": "ORM-COPY"}))
        session.flush()
        session.add(TimelineEvent(**{name: getattr(event, name) for name in EVENT_COLUMNS}
                                  | {"id": "orm-event", "complaint_id": "orm-complaint"}))
        copies["complaints"] = (complaint.id, "orm-complaint")
        copies["timeline_events"] = (event.id, "orm-event")
    assert ("reporters" in copies) is not anonymous
    links = {"id", "tracking_code", "reporter_id", "complaint_id"}
    for table, (fast_id, orm_id) in copies.items():
        fast, orm = _raw(world, table, fast_id), _raw(world, table, orm_id)
        assert {k: v for k, v in fast.items() if k not in links} == {k: v for k, v in orm.items() if k not in links}


def test_a_table_insert_fills_defaults_and_refuses_a_column_it_cannot_fill() -> None:
    insert = TableInsert(Complaint.__table__, ("id", "office_id", "tracking_code", "classification", "title",
                                                "description", "channel", "status", "received_at", "updated_at"))
    position = [c.name for c in insert.columns]
    assert insert.params({
        "id": "c", "office_id": "o", "tracking_code": "t", "classification": "PENGADUAN", "title": "x",
        "description": "y", "channel": "WALK_IN", "status": "BELUM_TERVERIFIKASI",
        "received_at": None, "updated_at": None})[position.index("server_version")] == 0
    with pytest.raises(ValueError, match="NOT NULL columns without a value or default"):
        TableInsert(Complaint.__table__, ("id",))
    with pytest.raises(ValueError, match="no such columns"):
        TableInsert(Complaint.__table__, ("id", "colour"))
