"""One complaint through the whole workflow, checking the store after each step."""

from __future__ import annotations

from sqlalchemy import select

from app import services
from app.domain import Role, Status
from app.models import Complaint, TimelineEvent
from app.read import queries
from app.store.audit import verify_chain
from tests.helpers.world import World


def test_complaint_through_the_whole_workflow(world: World) -> None:
    ctx, u = world.ctx, world.users
    cid = world.new_complaint()
    unit = world.units["Dinas Pekerjaan Umum"]
    services.dispose(ctx, u[Role.ADMIN_INSTANSI], cid, unit_id=unit, instruction="Mohon segera ditinjau")
    services.follow_up(
        ctx, u[Role.PENGHUBUNG], cid, text="Jalan sudah ditambal oleh tim PU pada hari Selasa."
    )
    services.record_response(
        ctx, u[Role.PETUGAS_LOKET], cid, satisfied=False, text="Tambalan sudah rusak lagi"
    )
    services.follow_up(ctx, u[Role.PENGHUBUNG], cid, text="Jalan diaspal ulang seluruhnya pada hari Kamis.")
    services.close(ctx, u[Role.ADMIN_INSTANSI], cid)
    with world.store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None and c.status == Status.SELESAI and c.next_due_at is None
        kinds = (
            s.execute(
                select(TimelineEvent.kind)
                .where(TimelineEvent.complaint_id == cid)
                .order_by(TimelineEvent.at, TimelineEvent.id)
            )
            .scalars()
            .all()
        )
        assert kinds == ["RECEIVED", "DISPOSED", "FOLLOW_UP", "REPORTER_RESPONSE", "FOLLOW_UP", "CLOSED"]
        assert verify_chain(s).ok
        assert queries.find_by_code(s, c.tracking_code.replace("-", " ").lower()) == cid
