"""Acting on a selection at once (app.services.bulk): every complaint takes the step with its own timeline entry,
audit record and outbox row in one transaction; when any of them may not, nothing is written and each refused one is
named with its reason; a problem with what was typed is the field's."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain import ArchiveReason, Role, Status
from app.errors import ValidationError
from app.models import Complaint, TimelineEvent
from app.models.audit import AuditRecord
from app.services import archive, dispose
from app.services.bulk import SomeRefused, act_on_many
from tests.app.test_report_content import NEIGHBOUR, take_in
from tests.helpers.world import World


def _new(world: World, n: int) -> list[str]:
    return [take_in(world, f"Jalan rusak di dusun nomor {i + 1} perlu diperbaiki", NEIGHBOUR) for i in range(n)]


def _counts(world: World) -> tuple[int, int]:
    with world.store.read() as s:
        return (int(s.execute(select(func.count()).select_from(TimelineEvent)).scalar_one()),
                int(s.execute(select(func.count()).select_from(AuditRecord)).scalar_one()))


def test_a_selection_is_disposed_in_one_step(world: World) -> None:
    ids = _new(world, 5)
    admin = world.users[Role.ADMIN_INSTANSI]
    unit = world.units["Dinas Pekerjaan Umum"]
    events, audits = _counts(world)
    results = act_on_many(world.ctx, admin, "dispose", ids, {"unit_id": unit, "instruction": "Cek lokasi"})
    assert [r.complaint_id for r in results] == ids and {r.to_status for r in results} == {Status.DIDISPOSISIKAN}
    with world.store.read() as s:
        rows = s.execute(select(Complaint.status, Complaint.unit_id, Complaint.step_due_at)
                         .where(Complaint.id.in_(ids))).all()
    assert {(status, unit_id) for status, unit_id, _ in rows} == {(Status.DIDISPOSISIKAN, unit)}
    assert _counts(world) == (events + 5, audits + 5)  # each its own entry and audit record


def test_when_one_may_not_nothing_is_written_and_it_is_named(world: World) -> None:
    ids = _new(world, 4)
    admin = world.users[Role.ADMIN_INSTANSI]
    unit = world.units["Dinas Kesehatan"]
    dispose(world.ctx, admin, ids[1], unit_id=unit)  # done on another PC meanwhile
    archive(world.ctx, admin, ids[3], reason_code=ArchiveReason.SPAM)
    before = _counts(world)
    with pytest.raises(SomeRefused) as refused:
        act_on_many(world.ctx, admin, "dispose", ids, {"unit_id": unit})
    assert set(refused.value.refused) == {ids[1], ids[3]}
    assert "2 dari 4 laporan tidak dapat diproses" in refused.value.message.id
    assert _counts(world) == before
    with world.store.read() as s:
        assert s.get(Complaint, ids[0]).status == Status.BELUM_TERVERIFIKASI  # nothing half-done
    # Without the refused ones it goes.
    rest = [i for i in ids if i not in refused.value.refused]
    assert len(act_on_many(world.ctx, admin, "dispose", rest, {"unit_id": unit})) == 2


def test_what_was_typed_is_the_fields_problem(world: World) -> None:
    ids = _new(world, 2)
    admin = world.users[Role.ADMIN_INSTANSI]
    with pytest.raises(ValidationError) as invalid:
        act_on_many(world.ctx, admin, "dispose", ids, {"unit_id": ""})
    assert "unit_id" in invalid.value.fields
    with pytest.raises(ValidationError):
        act_on_many(world.ctx, admin, "close", ids, {})
    with pytest.raises(ValidationError):
        act_on_many(world.ctx, admin, "archive", [], {"reason_code": ArchiveReason.SPAM})


def test_a_role_that_may_not_is_refused_for_each(world: World) -> None:
    ids = _new(world, 2)
    with pytest.raises(SomeRefused) as refused:
        act_on_many(world.ctx, world.users[Role.PIMPINAN], "archive", ids, {"reason_code": ArchiveReason.SPAM})
    assert set(refused.value.refused) == set(ids)
