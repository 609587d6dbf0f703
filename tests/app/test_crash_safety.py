"""kill -9 in the middle of an intake leaves the whole complaint or nothing.

A child process (forked by tests/helpers/crash_child.py) performs intakes on a real store file and is killed with
SIGKILL; after every kill the store is reopened the way the program opens it and checked from top to bottom.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.domain import Role
from app.models import AuditRecord, Complaint, ComplaintSearchDoc, TimelineEvent
from app.read.search import search_ids
from app.rules import tracking
from app.services import ServiceContext, intake
from app.store import meta
from app.store.audit import verify_chain
from app.store.db import Store, open_store
from tests.helpers.crash_child import complaint_input
from tests.helpers.world import World

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 8
MAX_DELAY_S = 0.12  # a few dozen intakes' worth
HANG_LIMIT_S = 60

pytestmark = [
    pytest.mark.filterwarnings("ignore::app.rules.scope.UnscopedRead"),  # the whole office, on purpose
    pytest.mark.timeout(120),
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the child processes are forked from a zygote"),
]


@dataclass(frozen=True)
class StoreState:
    codes: dict[str, str]  # complaint id -> tracking code
    tracking_seq: int


def check_store(path: Path) -> StoreState:
    """Reopen the store as the program does and check that every complaint is whole."""
    store = open_store(path, backup_dir=path.parent / "backups")
    try:
        with store.engine.connect() as conn:
            assert [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")] == ["ok"]
        with store.read() as s:
            codes: dict[str, str] = {r[0]: r[1] for r in s.execute(select(Complaint.id, Complaint.tracking_code))}
            received = Counter(s.execute(select(TimelineEvent.complaint_id)
                                         .where(TimelineEvent.kind == "RECEIVED")).scalars())
            assert received == Counter(codes.keys()), "every complaint has exactly one RECEIVED event"
            docs = {r[0]: r[1] for r in s.execute(select(ComplaintSearchDoc.complaint_id, ComplaintSearchDoc.docid))}
            assert set(docs) == set(codes), "every complaint has its search document"
            fts_rows = set(s.execute(text("SELECT rowid FROM complaint_fts")).scalars())
            assert fts_rows == set(docs.values()), "every search document has its full-text row"
            audits = Counter(s.execute(select(AuditRecord.entity_id)
                                       .where(AuditRecord.action == "complaint.intake")).scalars())
            assert audits == Counter(codes.keys()), "every complaint has exactly one intake audit record"
            chain = verify_chain(s)
            assert chain.ok, f"audit chain broken at record {chain.first_bad_id}"
            orphans = s.execute(text("SELECT count(*) FROM reporters r WHERE NOT EXISTS"
                                     " (SELECT 1 FROM complaints c WHERE c.reporter_id = r.id)")).scalar()
            assert orphans == 0, "no reporter without a complaint"
            device = int(meta.get(s, meta.DEVICE_NO) or -1)
            seq = int(meta.get(s, meta.TRACKING_SEQ) or 0)
            mine = sorted(tracking.parse(c).seq for c in codes.values() if tracking.parse(c).device == device)
            assert mine == list(range(1, seq + 1)), "tracking_seq counts this device's complaints, without gaps"
            if codes:
                office = s.execute(select(Complaint.office_id)).scalar()
                newest = max(codes, key=lambda cid: tracking.parse(codes[cid]).seq)
                assert search_ids(s, codes[newest], office_id=str(office), can_see_anonymous=True) == [newest]
        return StoreState(codes, seq)
    finally:
        store.close()


class Zygote:
    """The crash_child zygote; it forks one child per round. Its stdout lines are collected by a thread."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self._err = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.crash_child"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._err, text=True, bufsize=1,
        )
        self.lines: list[str] = []
        self.current: ChildRun | None = None
        self._new_line = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait_for("zygote-ready", 0)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if not line.strip():
                continue
            with self._new_line:
                self.lines.append(line.rstrip("\n"))
                self._new_line.notify_all()
        with self._new_line:
            self.lines.append("<eof>")
            self._new_line.notify_all()

    def wait_for(self, prefix: str, start: int) -> tuple[int, str]:
        """Block until a line from ``start`` on begins with ``prefix`` (a handshake, not a timing; the limit
        only turns a hung child into a readable failure)."""
        deadline = time.monotonic() + HANG_LIMIT_S
        with self._new_line:
            while True:
                for i in range(start, len(self.lines)):
                    line = self.lines[i]
                    if line.startswith(prefix):
                        return i, line
                    if line == "<eof>" or (line.startswith("exited ") and not prefix.startswith("exited")):
                        pytest.fail(f"child ended before '{prefix}': {self.lines[start:]}\n{self.log.read_text()}")
                if not self._new_line.wait(timeout=max(0.0, deadline - time.monotonic())):
                    pytest.fail(f"no '{prefix}' from the child: {self.lines[start:]}\n{self.log.read_text()}")

    def fork(self, mode: str, path: Path, actor_id: str) -> ChildRun:
        assert self.proc.stdin is not None
        start = len(self.lines)
        self.proc.stdin.write(f"{mode} {path} {actor_id}\n")
        self.proc.stdin.flush()
        pid = int(self.wait_for("child ", start)[1].split()[1])
        self.current = ChildRun(self, start, pid)
        return self.current

    def close(self) -> None:
        """Stop everything, also after a failed test: a looping child left behind would run forever."""
        if self.current is not None and not self.current.killed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.current.pid, signal.SIGKILL)
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join()
        self._err.close()


@dataclass
class ChildRun:
    zygote: Zygote
    start: int
    pid: int
    killed: bool = False

    def wait_for(self, prefix: str) -> str:
        return self.zygote.wait_for(prefix, self.start)[1]

    def kill(self) -> list[str]:
        """SIGKILL the child; returns every line it printed."""
        os.kill(self.pid, signal.SIGKILL)
        self.killed = True
        end, line = self.zygote.wait_for("exited ", self.start)
        status = int(line.split()[1])
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, self.zygote.log.read_text()
        return self.zygote.lines[self.start:end]


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zygote]:
    z = Zygote(tmp_path_factory.mktemp("crash") / "children.log")
    yield z
    z.close()


@pytest.fixture
def crash_store(world: World, store: Store) -> tuple[Path, str]:
    """A store with an office and users; closed here, so the child is the only writer."""
    assert store.path is not None
    store.close()
    return store.path, world.users[Role.PETUGAS_LOKET]


def test_kill_at_random_moments_leaves_whole_complaints(crash_store: tuple[Path, str], zygote: Zygote) -> None:
    path, actor = crash_store
    rng = random.Random()
    seed = rng.randrange(2**32)
    rng.seed(seed)
    before = check_store(path)
    acknowledged: set[str] = set()
    for round_no in range(ROUNDS):
        child = zygote.fork("loop", path, actor)
        child.wait_for("done ")  # the intake loop is running (the first intake of a process is the slow one)
        time.sleep(rng.uniform(0, MAX_DELAY_S))  # where the kill lands is the random part, not an assertion
        lines = child.kill()
        done = {line.split()[1] for line in lines if line.startswith("done ")}
        after = check_store(path)
        context = f"round {round_no}, seed {seed}"
        assert acknowledged | done <= set(after.codes.values()), f"a committed intake was lost ({context})"
        # at most one intake committed without the child living to say so
        new = len(after.codes) - len(before.codes)
        assert new - len(done) in (0, 1), context
        acknowledged |= done
        before = after
    assert len(acknowledged) >= ROUNDS


def test_kill_inside_the_intake_transaction_leaves_nothing(crash_store: tuple[Path, str], zygote: Zygote) -> None:
    path, actor = crash_store
    child = zygote.fork("hang", path, actor)
    first = child.wait_for("done ").split()[1]
    wal_before = int(child.wait_for("wal-before ").split()[1])
    _, doomed_id, wal_in_tx = child.wait_for("in-transaction ").split()
    # the uncommitted pages were spilled into the WAL file, so recovery really has something to ignore
    assert int(wal_in_tx) > wal_before
    lines = child.kill()
    assert "not-killed" not in lines

    state = check_store(path)
    assert first in state.codes.values()
    assert doomed_id not in state.codes
    assert state.tracking_seq == len(state.codes)
    store = open_store(path, backup_dir=path.parent / "backups")
    try:
        with store.read() as s:
            for table, column in (("timeline_events", "complaint_id"), ("complaint_search_docs", "complaint_id"),
                                  ("audit_log", "entity_id")):
                left = s.execute(text(f"SELECT count(*) FROM {table} WHERE {column} = :id"), {"id": doomed_id})
                assert left.scalar() == 0, table
        # the tracking number the killed intake had taken is handed out again: the sequence stays gap-free
        result = intake(ServiceContext(store=store, device_label="test-pc"), actor, complaint_input(2))
        assert tracking.parse(result.tracking_code).seq == state.tracking_seq + 1
    finally:
        store.close()
    check_store(path)
