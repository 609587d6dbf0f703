"""Snapshot pages read as rows (server.snapshot_pages) carry exactly what the entity dicts of a change-log page
carry, in both shapes of the wire: the dicts of protocols 3 to 5 and the tables of protocol 6
(sync.protocol.SnapshotTables)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from server import serialize
from server import snapshot_pages as snapshot
from server.models import Attachment, Complaint, Reporter, TimelineEvent, Unit, User
from sync.protocol import SnapshotTables
from tests.server.support import Backend, Device, SeededOffice
from tests.server.test_snapshot import busy_office


def _as_objects(session: Any, office_id: str) -> dict[str, Any]:
    """The office's entities through the ORM and server.serialize (what a change-log page sends)."""
    complaints = list(session.execute(select(Complaint).where(Complaint.office_id == office_id)
                                      .order_by(Complaint.id)).scalars())
    ids = [c.id for c in complaints]
    return {
        "units": [serialize.unit(u) for u in session.execute(
            select(Unit).where(Unit.office_id == office_id).order_by(Unit.id)).scalars()],
        "users": [serialize.user(u) for u in session.execute(
            select(User).where(User.office_id == office_id).order_by(User.id)).scalars()],
        "complaints": [serialize.complaint(c, session.get(Reporter, c.reporter_id) if c.reporter_id else None)
                       for c in complaints],
        "events": [serialize.event(e) for e in session.execute(select(TimelineEvent).where(
            TimelineEvent.complaint_id.in_(ids)).order_by(TimelineEvent.complaint_id, TimelineEvent.at,
                                                          TimelineEvent.id)).scalars()],
        "attachments": [serialize.attachment(a) for a in session.execute(select(Attachment).where(
            Attachment.complaint_id.in_(ids)).order_by(Attachment.complaint_id, Attachment.created_at,
                                                       Attachment.id)).scalars()],
    }


def test_rows_and_tables_carry_what_the_entity_dicts_carry(backend: Backend, device_a: Device,
                                                           office_a: SeededOffice) -> None:
    busy_office(device_a, office_a, count=4)
    anonymous = device_a.intake(anonymous=True)
    assert device_a.push_one(anonymous)["status"] == "applied"
    device_a.push_one(device_a.attach(anonymous.entity_id, "cd" * 32, 4096))
    with backend.db.transaction() as session:
        page = snapshot.read(session, office_a.id, None, 500)
        assert not page.more and len(page.complaints) == 5
        expected = json.loads(json.dumps(_as_objects(session, office_a.id)))
    dicts = json.loads(json.dumps(snapshot.as_snapshot(page)))
    assert dicts == expected
    tables = SnapshotTables.model_validate(json.loads(json.dumps(snapshot.as_tables(page))))
    assert json.loads(tables.as_snapshot().model_dump_json()) == expected
    assert any(c["reporter"] is None for c in expected["complaints"])
    assert expected["attachments"] and expected["events"]


def test_pages_follow_each_other_by_complaint_id(backend: Backend, device_a: Device, office_a: SeededOffice) -> None:
    ids = sorted(busy_office(device_a, office_a, count=5))
    seen: list[str] = []
    after = None
    with backend.db.transaction() as session:
        while True:
            page = snapshot.read(session, office_a.id, after, 2)
            assert (page.units != []) == (after is None)
            seen.extend(c.id for c in page.complaints)
            assert {e.complaint_id for e in page.events} == {c.id for c in page.complaints}
            if not page.more:
                break
            after = page.last_id
    assert seen == ids
