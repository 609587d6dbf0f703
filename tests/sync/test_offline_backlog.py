"""A long offline period: more complaints taken in at the counter than two push batches hold, then one sync. Every
one arrives exactly once, in bounded batches (a small first one, then full ones, a partial one, a small last one),
and the PC's copy of the office equals the server's.

The typing is done by tests/sync/backlog_child.py (the real services and change capture, no network), started in the
background at the beginning of the sync tests (conftest.py, ``offline_backlogs``; in a pytest-xdist worker, when this
test asks for it); the sync runs here.
"""

from __future__ import annotations

from sqlalchemy import func, select

from server import models as srv
from sync.engine import PUSH_BATCH
from sync.protocol import MAX_PUSH_BATCH
from sync.push_batches import FIRST_PUSH_BATCH, LAST_PUSH_BATCH
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled, assert_store_sound
from tests.sync.conftest import BACKLOG, OfflineBacklogs
from tests.sync.serverproc import ServerProcess


def test_a_backlog_of_intakes_then_one_sync(server: ServerProcess, offline_backlogs: OfflineBacklogs) -> None:
    job = offline_backlogs[server.kind]
    pc = job.ready()
    assert pc.pending() == BACKLOG
    made = pc.complaint_ids()
    job.proxy.reset_log()

    report = pc.sync()

    assert (report.pushed, report.applied, len(report.rejected)) == (BACKLOG, BACKLOG, 0)
    sizes = [e.push_size or 0 for e in job.proxy.exchanges("/api/v1/sync/push")]
    assert sum(sizes) == BACKLOG and max(sizes) <= min(PUSH_BATCH, MAX_PUSH_BATCH), sizes
    assert sizes == [FIRST_PUSH_BATCH, PUSH_BATCH, BACKLOG - FIRST_PUSH_BATCH - PUSH_BATCH - LAST_PUSH_BATCH,
                     LAST_PUSH_BATCH], sizes
    # The office's changes are all this PC's own, held exactly as the server has them (stamped from the push
    # results): the server reads past them in one pull instead of a round trip for each page of them.
    assert len(job.proxy.exchanges("/api/v1/sync/pull")) == 1
    with server.db.transaction() as s:
        stored = s.execute(select(func.count()).select_from(srv.Complaint)
                           .where(srv.Complaint.office_id == pc.office.id)).scalar_one()
        codes = s.execute(select(func.count(func.distinct(srv.Complaint.tracking_code)))
                          .where(srv.Complaint.office_id == pc.office.id)).scalar_one()
    assert stored == codes == BACKLOG
    assert pc.complaint_ids() == made and len(made) == BACKLOG
    assert_store_sound(pc.store)
    assert_outbox_settled(pc)
    assert_no_duplicates(server.db, pc.office.id)
    pc.assert_converged()
