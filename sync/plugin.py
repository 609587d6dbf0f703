"""What sync adds to LAPOR Desk through the ``lapor_desk.plugins`` entry point: the ``enroll`` and ``sync``
commands, and the outbox capture for an enrolled PC."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.store import meta
from app.store.db import Store
from sync import state
from sync.capture import OutboxCapture


def register_commands(subparsers: Any, t: Callable[[str, str], str]) -> None:
    from sync import cli

    cli.register(subparsers, t)


def capture_for(store: Store, clock: Callable[[], Any]) -> OutboxCapture | None:
    with store.read() as session:
        enrolled = meta.get(session, state.CLIENT_ID) is not None
    return OutboxCapture(clock) if enrolled else None
