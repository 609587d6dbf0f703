"""Processes for the crash-safety tests: they open a store and perform intakes until the test kills them.

``python -m tests.helpers.crash_child`` (run from the repository root) starts a *zygote*: it imports the program
once, prints ``zygote-ready``, then for each line ``MODE DB_PATH ACTOR_ID`` read on stdin forks a fresh child
(which opens the store itself, after the fork), prints ``child <pid>``, waits for the child to end and prints
``exited <wait status>``. Forking saves each round the second of start-up an interpreter needs to import the
program; the child is still a separate process with its own SQLite connections, killed with a real SIGKILL.

Modes of a child:

- ``loop``: prints ``ready``, then intakes forever, printing ``done <tracking code>`` after each commit.
- ``hang``: one normal intake, then an intake that stops inside its transaction, after every row of the
  complaint (reporter, complaint, timeline event, search document, audit record, tracking number) has been
  written to SQLite, and prints ``in-transaction <complaint id> <WAL size>`` before sleeping until killed.
"""

from __future__ import annotations

import faulthandler
import importlib
import os
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from app.capture import Mutation
from app.domain import Channel, Classification
from app.inputs import IntakeInput, ReporterInput
from app.services import ServiceContext, intake
from app.store.db import open_store

STUCK_AFTER_S = 30
WORDS = ["jalan", "lampu", "sampah", "drainase", "puskesmas", "sekolah", "pasar", "jembatan"]


def complaint_input(n: int) -> IntakeInput:
    word = WORDS[n % len(WORDS)]
    anonymous = n % 3 == 0
    reporter = ReporterInput(name=f"Warga Uji {n}", phone="081234567890", consent_given=True)
    return IntakeInput(
        classification=Classification.PENGADUAN,
        channel=Channel.WALK_IN,
        title=f"Keluhan {word} nomor {n} di kecamatan",
        description=f"Uraian sintetis keluhan {word} nomor {n} untuk pengujian ketahanan terhadap crash.",
        is_anonymous=anonymous,
        reporter=None if anonymous and n % 2 else reporter,
    )


def _say(*parts: object, fd: int = 1) -> None:
    """One line in one write(2): a pipe write under PIPE_BUF bytes is atomic, so a kill never cuts a line
    (print() may issue several writes, and a child killed between them leaves half a line behind)."""
    os.write(fd, (" ".join(map(str, parts)) + "\n").encode())


def _wal_size(ctx: ServiceContext) -> int:
    assert ctx.store.path is not None
    wal = Path(str(ctx.store.path) + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def run_loop(ctx: ServiceContext, actor_id: str) -> None:
    _say("ready")
    n = 0
    while True:
        result = intake(ctx, actor_id, complaint_input(n))
        faulthandler.cancel_dump_traceback_later()
        _say("done", result.tracking_code)
        n += 1


class _HangInsideTransaction:
    """A change capture that stops the intake inside its transaction: capture is called after the intake's last
    write (the audit record), with the transaction still open."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def capture(self, session: Any, mutation: Mutation) -> None:
        session.flush()
        faulthandler.cancel_dump_traceback_later()
        _say("in-transaction", mutation.entity_id, _wal_size(self._ctx))
        time.sleep(3600)


def run_hang(ctx: ServiceContext, actor_id: str) -> None:
    # ``app.services.intake`` the attribute is the function; the module is only reachable through importlib.
    intake_module = importlib.import_module("app.services.intake")
    result = intake(ctx, actor_id, complaint_input(0))
    _say("done", result.tracking_code)
    real_sql_cursor = intake_module.sql_cursor

    def sql_cursor_small_cache(session: Any) -> Any:
        # A tiny page cache makes SQLite spill uncommitted pages into the WAL file, so the kill leaves
        # uncommitted frames on disk that recovery must ignore.
        session.connection().exec_driver_sql("PRAGMA cache_size=1")
        return real_sql_cursor(session)

    intake_module.sql_cursor = sql_cursor_small_cache
    ctx.capture = _HangInsideTransaction(ctx)
    _say("wal-before", _wal_size(ctx))
    intake(ctx, actor_id, complaint_input(1))
    _say("not-killed")  # the test fails if it ever reads this


def run_child(mode: str, path: Path, actor_id: str) -> None:
    # A child stuck before its first intake would leave the test waiting: dump where it is stuck and end.
    faulthandler.dump_traceback_later(STUCK_AFTER_S, exit=True)
    store = open_store(path, backup_dir=path.parent / "backups")
    ctx = ServiceContext(store=store, blob_dir=path.parent / "attachments", device_label="crash-child")
    {"loop": run_loop, "hang": run_hang}[mode](ctx, actor_id)


def zygote() -> None:
    assert threading.active_count() == 1, "forking is only safe from a single-threaded process"
    _say("zygote-ready")
    for line in sys.stdin:
        mode, db_path, actor_id = line.split()
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                run_child(mode, Path(db_path), actor_id)
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                os._exit(status)
        _say("child", pid)
        _, status = os.waitpid(pid, 0)
        _say("\nexited", status)  # starts a fresh line even if a child was ever killed mid-line


if __name__ == "__main__":
    zygote()
