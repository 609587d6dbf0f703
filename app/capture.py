"""The change-capture interface: services report each change here inside their own transaction.

``app`` defines the interface and a no-op; the sync module plugs in an implementation that writes outbox rows,
so a change and its outbox entry commit (or roll back) together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Mutation:
    """One user-level change, named and versioned so the server can replay it."""

    name: str  # e.g. "complaint.intake", "complaint.transition", "complaint.edit"
    entity_type: str
    entity_id: str
    base_version: int
    args: dict[str, Any] = field(default_factory=dict)
    user_id: str | None = None
    version: int = 1


class ChangeCapture(Protocol):
    def capture(self, session: Session, mutation: Mutation) -> None: ...


class NoCapture:
    """Used until sync is configured: changes stay local."""

    def capture(self, session: Session, mutation: Mutation) -> None:
        return None


class RecordingCapture:
    """Keeps mutations in memory (tests, and the demo seeder's dry runs)."""

    def __init__(self) -> None:
        self.mutations: list[Mutation] = []

    def capture(self, session: Session, mutation: Mutation) -> None:
        self.mutations.append(mutation)
