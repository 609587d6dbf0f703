"""The counter of a PC that stays offline for weeks: ``python -m tests.sync.backlog_child DATA_DIR COUNTER_ID COUNT``
(from the repository root) takes COUNT complaints in with the real services and the real change capture, in a
process of its own, and exits. No network: test_offline_backlog.py then syncs the PC once in the test process.

It runs in the background from the start of the sync tests (conftest.py, ``offline_backlogs``), so the minute of
typing per database kind overlaps the other tests instead of adding to the run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import event

from app import services
from app.config import Paths
from app.services.context import ServiceContext
from app.store.db import open_store
from sync.capture import OutboxCapture
from tests.sync.fleet import counter_input


def main(data_dir: str, counter_id: str, count: str) -> None:
    paths = Paths(Path(data_dir))
    store = open_store(paths.database, backup_dir=paths.backups)
    # Test speed only: the PC's SQLite need not wait for the disk while the backlog is typed in.
    store.engine.dispose()
    event.listen(store.engine, "connect", lambda conn, _record: conn.execute("PRAGMA synchronous=OFF"))
    ctx = ServiceContext(store=store, blob_dir=paths.attachments, device_label="pc-luring")
    ctx.capture = OutboxCapture(ctx.clock)
    for i in range(int(count)):
        services.intake(ctx, counter_id, counter_input(i))
    store.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
