"""Helpers for the sync widgets: a stand-in engine (what the controller runs instead of the real one) and a store
marked as enrolled, without a server."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from app.models import OutboxEntry
from app.store import meta
from sync import state
from sync.engine import Cancelled, SyncReport
from tests.helpers.world import World
from ui.workspace import Workspace


@dataclass
class FakeEngine:
    """Reports ``steps`` as progress, then returns ``outcome`` (or raises it). ``gate`` holds it until set;
    ``before_return`` runs on the worker thread just before the end (e.g. writes what a pull would)."""

    outcome: SyncReport | BaseException
    cancel: threading.Event
    progress: Callable[[str, int, int, int], None]
    steps: list[tuple[str, int, int, int]]
    gate: threading.Event | None = None
    before_return: Callable[[], None] | None = None
    store: Any = None
    clock: Callable[[], Any] | None = None
    threads: list[str] = field(default_factory=list)

    def run_once(self) -> SyncReport:
        self.threads.append(threading.current_thread().name)
        for step in self.steps:
            self.progress(*step)
        if self.gate is not None:
            while not self.gate.wait(0.01):
                if self.cancel.is_set():
                    raise Cancelled()
        if self.before_return is not None:
            self.before_return()
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        if self.store is not None and self.clock is not None:  # as the real engine does after a good run
            with self.store.transaction() as session:
                meta.put(session, state.LAST_SUCCESS, self.clock().isoformat())
        return self.outcome


@dataclass
class FakeFactory:
    """Stands in for sync.session.build_engine; ``outcomes`` are used in turn (the last one repeats)."""

    outcomes: list[SyncReport | BaseException]
    steps: list[tuple[str, int, int, int]] = field(default_factory=lambda: [("push", 1, 2, 120), ("pull", 1, 1, 480)])
    gate: threading.Event | None = None
    before_return: Callable[[], None] | None = None
    engines: list[FakeEngine] = field(default_factory=list)

    def __call__(self, store: Any, paths: Any, *, cancel: threading.Event,
                 progress: Callable[[str, int, int, int], None], ctx: Any = None) -> FakeEngine:
        outcome = self.outcomes[min(len(self.engines), len(self.outcomes) - 1)]
        engine = FakeEngine(outcome, cancel, progress, self.steps, self.gate, self.before_return, store,
                            ctx.clock if ctx is not None else None)
        self.engines.append(engine)
        return engine

    @property
    def calls(self) -> int:
        return len(self.engines)


def add_pending(world: World, n: int) -> None:
    """``n`` captured changes waiting to be pushed (outbox rows as sync/capture.py writes them)."""
    with world.store.transaction() as session:
        start = len(session.execute(select(OutboxEntry.seq)).all())
        for seq in range(start + 1, start + n + 1):
            session.add(OutboxEntry(seq=seq, mutation_id=str(uuid.uuid4()), name="complaint.edit", version=1,
                                    entity_type="complaint", entity_id="c", base_version=1, user_id=None,
                                    args_json=json.dumps({}), payload_hash="0" * 64, created_at=world.clock()))


def mark_enrolled(ws: Workspace, *, server_url: str = "https://lapor.example.go.id") -> None:
    """What enrolment leaves in store_meta (the controller only asks whether there is a client id)."""
    with ws.store.transaction() as session:
        meta.put(session, state.CLIENT_ID, "client-test")
        meta.put(session, state.SERVER_URL, server_url)


@pytest.fixture
def enrolled_ws(workspace: Workspace, world: World) -> Workspace:
    mark_enrolled(workspace)
    return workspace
