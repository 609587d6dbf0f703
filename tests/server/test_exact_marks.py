"""Who holds a complaint exactly (``complaints.exact_client_id``, server migration s0009): the migration fills it in
from the change log for the complaints a server already has, and takes the change log's index by entity down to its
scope exits; a version made by code that does not know the columns leaves them behind. (That every change keeps
them as the change log says is checked after every server and sync test: tests/helpers/exact_marks.py.)"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, insert, inspect, select

from server import changelog
from server.db import alembic_config, make_engine, migrate
from server.models import ChangeLogEntry, Complaint, Office
from tests.helpers.exact_marks import wrong_exact_marks
from tests.server.support import Backend, Device

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
# Per complaint: its version, its change-log rows (version, origin, exact, op) in order, and who holds it exactly.
CASES: dict[str, tuple[int, list[tuple[int, str | None, bool, str]], str | None]] = {
    "c-own-last": (3, [(1, None, False, "upsert"), (2, "pc-1", True, "upsert"), (3, "pc-2", True, "upsert")], "pc-2"),
    "c-corrected": (3, [(2, "pc-1", True, "upsert"), (3, "pc-1", False, "upsert")], None),
    "c-moved-on": (4, [(3, "pc-1", True, "upsert")], None),
    "c-national": (2, [(1, "pc-1", True, "upsert"), (2, None, False, "upsert")], None),
    "c-left": (2, [(1, "pc-1", True, "upsert"), (2, None, False, "scope_exit")], None),
    "c-no-rows": (1, [], None),
}


def _index_names(engine: Engine) -> set[str]:
    return {str(ix["name"]) for ix in inspect(engine).get_indexes("change_log")}


def _seed_at_s0008(engine: Engine) -> None:
    complaints = Complaint.__table__
    with engine.begin() as conn:
        conn.execute(insert(Office.__table__).values(id="kantor-1", region_code="34.04", name="Kabupaten Sleman",
                                                     tz="Asia/Jakarta", next_device_no=1, version=1))
        xid = 0
        for n, (complaint_id, (version, rows, _holder)) in enumerate(CASES.items()):
            conn.execute(insert(complaints).values(  # (the columns of s0008: no exact_client_id yet)
                id=complaint_id, office_id="kantor-1", tracking_code=f"3404-01-0000{n}", classification="PENGADUAN",
                title="Jalan berlubang", description="Lubang di depan pasar.", channel="LOKET",
                status="BELUM_TERVERIFIKASI", received_at=NOW, updated_at=NOW, version=version))
            for row_version, origin, exact, op in rows:
                xid += 1
                conn.execute(insert(ChangeLogEntry.__table__).values(
                    xid=xid, office_id="kantor-1", entity_type="complaint", entity_id=complaint_id, op=op,
                    version=row_version, created_at=NOW, origin_client_id=origin, exact=exact))


def _marks(engine: Engine) -> dict[str, str | None]:
    """Who holds each complaint exactly, as its columns say."""
    with engine.connect() as conn:
        return {row.id: row.exact_client_id if row.exact_version == row.version else None for row in conn.execute(
            select(Complaint.id, Complaint.version, Complaint.exact_client_id, Complaint.exact_version))}


def test_s0009_marks_who_holds_each_complaint_exactly_and_back(empty_database: str) -> None:
    engine = make_engine(empty_database)
    try:
        migrate(engine, "s0008")
        _seed_at_s0008(engine)
        assert "ix_change_log_entity_id_id" in _index_names(engine)
        migrate(engine)
        expected = {complaint_id: holder for complaint_id, (_v, _rows, holder) in CASES.items()}
        assert _marks(engine) == expected
        assert wrong_exact_marks(engine) == []
        indexes = _index_names(engine)
        assert "ix_change_log_scope_exits" in indexes and "ix_change_log_entity_id_id" not in indexes
        # Down (the column and the partial index go, the index by entity is back) and up again.
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "s0008")
        assert not {"exact_client_id", "exact_version"} & {c["name"] for c in inspect(engine).get_columns("complaints")}
        indexes = _index_names(engine)
        assert "ix_change_log_entity_id_id" in indexes and "ix_change_log_scope_exits" not in indexes
        migrate(engine)
        assert _marks(engine) == expected
    finally:
        engine.dispose()


def test_a_version_made_without_the_marks_leaves_them_behind(backend: Backend, device_a: Device) -> None:
    """During an upgrade, a host of the release before applies changes without knowing the columns: the version it
    makes leaves the mark behind, so the PC's next change, written on its older copy, is not taken for exact (its
    pull brings the complaint back)."""
    intake = device_a.intake()
    body = device_a.push(intake, device_a.dispose(intake.entity_id, 0))
    assert [r["exact"] for r in body["results"]] == [True, True]
    with backend.db.transaction() as session:  # the release before's host: a version, its row, no mark touched
        c = session.get(Complaint, intake.entity_id)
        assert c is not None and (c.exact_client_id, c.exact_version) == (device_a.client_id, c.version)
        c.version += 1
        changelog.record(session, office_id=c.office_id or "", entity_type="complaint", entity_id=c.id, op="upsert",
                         version=c.version, now=backend.clock())
    # Written offline on the copy the PC had before that version (base 0, as its disposition was).
    result = device_a.push_one(device_a.note(intake.entity_id, "Petugas sudah ke lokasi."))
    assert (result["status"], result["exact"]) == ("applied", False)
