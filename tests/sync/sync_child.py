"""A PC's sync in a process of its own, for the kill -9 tests.

``python -m tests.sync.sync_child`` (from the repository root) starts a *zygote*: it imports the program once,
prints ``zygote-ready``, then for each line ``MODE DATA_DIR STOP_AT`` read on stdin forks a child that opens the PC's
store and runs one sync (``lapor-desk sync`` does the same), prints ``child <pid>``, waits for it and prints
``exited <wait status>``. The child is a separate process with its own SQLite connections, killed with a real SIGKILL.

Modes (STOP_AT counts from 1):

- ``pull``: stops inside the transaction that applies the STOP_AT-th pull page that has changes, after its rows are
  written and before its commit, prints ``in-pull-page`` and sleeps until killed;
- ``push``: stops after the server answered the STOP_AT-th push batch (the server has committed it), inside the
  transaction that records the answers, before its commit, prints ``in-push-record`` and sleeps until killed;
- ``free``: runs the sync untouched (the test kills it at a random moment) and prints ``synced`` if it finishes;
- ``download``: stops inside an attachment download, after its first block is written to the partial file, prints
  ``in-download`` and sleeps until killed.

Small batches and pages make one sync many steps long, so a kill lands in the middle of it.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import keyring
from keyring.backends import fail

from app.config import Paths
from app.store.db import open_store
from sync import engine as engine_module
from sync.engine import SyncEngine
from sync.session import build_engine

PUSH_BATCH = 7
PULL_LIMIT = 9


def _say(*parts: object) -> None:
    print(*parts, flush=True)


def _hang(marker: str) -> None:
    _say(marker)
    time.sleep(3600)
    _say("not-killed")  # the test fails if it ever reads this


def stop_in_pull(stop_at: int) -> None:
    real = engine_module.apply_changes
    seen = 0

    def apply_then_hang(ctx: Any, session: Any, changes: list[Any], office_id: str, **kwargs: Any) -> Any:
        nonlocal seen
        result = real(ctx, session, changes, office_id, **kwargs)
        if changes or kwargs.get("tables") is not None:
            seen += 1
            if seen == stop_at:
                session.flush()
                _hang("in-pull-page")
        return result

    engine_module.apply_changes = apply_then_hang


def stop_in_push(engine: SyncEngine, stop_at: int) -> None:
    real_record = engine._record_results
    real_transaction = engine.store.transaction
    seen = 0

    @contextmanager
    def transaction_then_hang(**kwargs: Any) -> Iterator[Any]:
        with real_transaction(**kwargs) as session:
            yield session
            session.flush()
            _hang("in-push-record")

    def record_then_hang(response: Any, report: Any) -> None:
        nonlocal seen
        seen += 1
        if seen != stop_at:
            real_record(response, report)
            return
        engine.store.transaction = transaction_then_hang  # type: ignore[method-assign]
        real_record(response, report)

    engine._record_results = record_then_hang  # type: ignore[method-assign]


def stop_in_download(engine: SyncEngine) -> None:
    real_request = engine.transport.request

    def request_then_hang(method: str, path: str, **kwargs: Any) -> Any:
        response = real_request(method, path, **kwargs)
        if method == "GET" and path.startswith("/api/v1/blobs/"):
            blocks = response.iter_content

            def first_block_then_hang(size: int) -> Iterator[bytes]:
                yield next(iter(blocks(size)))
                _hang("in-download")

            response.iter_content = first_block_then_hang
        return response

    engine.transport.request = request_then_hang  # type: ignore[method-assign]


def run_child(mode: str, data_dir: Path, stop_at: int) -> None:
    keyring.set_keyring(fail.Keyring())
    engine_module.PUSH_BATCH = PUSH_BATCH
    engine_module.PULL_LIMIT = PULL_LIMIT
    paths = Paths(data_dir)
    store = open_store(paths.database, backup_dir=paths.backups)
    engine = build_engine(store, paths)
    engine.transport.sleep = lambda seconds: time.sleep(min(seconds, 0.05))
    if mode == "pull":
        stop_in_pull(stop_at)
    elif mode == "push":
        stop_in_push(engine, stop_at)
    elif mode == "download":
        stop_in_download(engine)
    _say("started")
    report = engine.run_once()
    _say("synced", report.pushed, report.pulled_complaints)


def zygote() -> None:
    _say("zygote-ready")
    for line in sys.stdin:
        mode, data_dir, stop_at = line.split()
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                run_child(mode, Path(data_dir), int(stop_at))
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                sys.stdout.flush()
                os._exit(status)
        _say("child", pid)
        _, status = os.waitpid(pid, 0)
        _say("\nexited", status)  # on a fresh line even if the child was killed mid-line (as crash_child does)


if __name__ == "__main__":
    zygote()
