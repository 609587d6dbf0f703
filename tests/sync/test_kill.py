"""kill -9 of a PC's sync: while it applies a pull page (inside the page's transaction) and while it pushes (after the
server committed a batch, before the PC recorded the answers), and at random moments, over several rounds with new
work on both sides in between. Reopened, the store is sound; synced again, the PC converges with the server with
nothing lost or duplicated."""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.checks import assert_no_duplicates, assert_outbox_settled, assert_store_sound
from tests.sync.fleet import PC, Fleet

ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("LAPOR_KILL_SEED", random.randrange(1 << 30)))
ROUNDS = ("pull", "push", "free", "pull", "push")


class Zygote:
    """The sync_child zygote: forks one sync per request; the test kills the child."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.sync.sync_child"], cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: queue.Queue[str] = queue.Queue()
        self.transcript: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.expect("zygote-ready", timeout=60)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def next_line(self, timeout: float) -> str | None:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        self.transcript.append(line)
        return line

    def expect(self, prefix: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            line = self.next_line(left)
            if line is not None and line.startswith(prefix):
                return line
        raise AssertionError(f"no {prefix!r} from the sync child; transcript:\n" + "\n".join(self.transcript[-40:]))

    def run(self, mode: str, pc: PC, stop_at: int, kill_after: float) -> str:
        """One sync in a child; killed at its stop point (or after ``kill_after`` s). Returns how it ended."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{mode} {pc.paths.data_dir} {stop_at}\n")
        self.proc.stdin.flush()
        pid = int(self.expect("child ").split()[1])
        markers = ("in-pull-page", "in-push-record") if mode != "free" else ()
        deadline = time.monotonic() + (60 if markers else kill_after)
        ended = "killed-at-random"
        while (left := deadline - time.monotonic()) > 0:
            line = self.next_line(left)
            if line is None:
                break
            if line in markers:
                ended = line
                break
            if line.startswith("synced"):
                ended = "finished"
                break
            if line.startswith("exited"):
                raise AssertionError("the sync child failed:\n" + "\n".join(self.transcript[-40:]))
        else:
            if markers:
                ended = "never-reached-" + mode
        if ended != "finished":
            os.kill(pid, signal.SIGKILL)
        status = int(self.expect("exited").split()[1])
        if ended != "finished":
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
        return ended

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    yield z
    z.close()


def test_kill_9_while_pulling_and_pushing(fleet: Fleet, zygote: Zygote) -> None:
    rng = random.Random(SEED)
    office = fleet.office()
    pc, other = fleet.pc(office), fleet.pc(office)
    endings = []
    for round_no, mode in enumerate(ROUNDS):
        # New work on both sides: this PC's changes to push, the office's changes to pull.
        for i in range(10):
            cid = pc.intake(round_no * 100 + i)
            if i % 2:
                pc.dispose(cid)
        for i in range(4):
            other.note(other.intake(round_no * 100 + 50 + i), "Catatan dari PC lain")
        other.sync()
        office.online_complaints(12, start=round_no * 100)
        pc.close()  # the program is closed while the sync runs on its own (as under Task Scheduler)
        stop_at = rng.randint(1, 2)
        endings.append(zygote.run(mode, pc, stop_at, kill_after=rng.uniform(0.3, 2.5)))
        pc.reopen()
        assert_store_sound(pc.store)
    assert endings.count("in-pull-page") == 2 and endings.count("in-push-record") == 2, (SEED, endings)

    pc.sync_until_quiet()
    other.sync_until_quiet()
    assert_store_sound(pc.store)
    for each in (pc, other):
        assert_outbox_settled(each)
        each.assert_converged()
    assert_no_duplicates(fleet.server.db, office.id)
