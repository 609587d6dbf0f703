"""Fixtures for the complaint list: complaints moved through the workflow by the real services, and spies that
count the list's reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from app.domain import ArchiveReason, Channel, Classification, Role
from app.inputs import IntakeInput, ReporterInput
from app.read import queries
from app.services import archive, dispose, follow_up, intake, postpone, redirect
from tests.helpers.world import World
from ui.complaints import fetch


@dataclass
class Spy:
    """Records the calls made to a wrapped function."""

    calls: list[tuple[Any, ...]] = field(default_factory=list)

    def reset(self) -> None:
        self.calls.clear()

    def __len__(self) -> int:
        return len(self.calls)


@pytest.fixture
def row_reads(monkeypatch: pytest.MonkeyPatch) -> Spy:
    """Every app.read.queries.rows_by_id call (the model's block reads), with the ids asked for."""
    spy, real = Spy(), queries.rows_by_id

    def wrapped(session: Any, scope: Any, ids: list[str]) -> Any:
        spy.calls.append(tuple(ids))
        return real(session, scope, ids)

    monkeypatch.setattr(queries, "rows_by_id", wrapped)
    return spy


@pytest.fixture
def id_reads(monkeypatch: pytest.MonkeyPatch) -> Spy:
    """Every app.read.queries.list_ids call made by the list, with its sort key."""
    spy, real = Spy(), queries.list_ids

    def wrapped(session: Any, office_id: str, f: Any, **kwargs: Any) -> list[str]:
        spy.calls.append((f, kwargs.get("sort")))
        return real(session, office_id, f, **kwargs)

    monkeypatch.setattr(fetch.queries, "list_ids", wrapped)
    return spy


@dataclass
class Office:
    """Complaints of the world's office, one in each place of the workflow."""

    world: World
    new: str = ""
    disposed_pu: str = ""
    disposed_health: str = ""
    followed_up: str = ""
    postponed: str = ""
    archived: str = ""
    redirected: str = ""

    @property
    def all(self) -> set[str]:
        return {self.new, self.disposed_pu, self.disposed_health, self.followed_up, self.postponed,
                self.archived, self.redirected}


def add_complaint(world: World, title: str = "Jalan berlubang di depan pasar", *,
                  channel: str = Channel.WALK_IN, category_id: str | None = None) -> str:
    inp = IntakeInput(classification=Classification.PENGADUAN, channel=channel, title=title,
                      description="Uraian pengaduan yang cukup panjang untuk lolos validasi data masukan.",
                      category_id=category_id,
                      reporter=ReporterInput(name="Budi Santoso", phone="081234567890", consent_given=True))
    return intake(world.ctx, world.users[Role.PETUGAS_LOKET], inp).complaint_id


@pytest.fixture
def office(world: World) -> Office:
    admin, ctx = world.users[Role.ADMIN_INSTANSI], world.ctx
    pu, health = world.units["Dinas Pekerjaan Umum"], world.units["Dinas Kesehatan"]
    o = Office(world)
    o.new = world.new_complaint(title="Lampu jalan padam di Jalan Kaliurang")
    world.clock.advance(hours=1)
    o.disposed_pu = world.new_complaint(title="Jalan berlubang di depan pasar Godean")
    dispose(ctx, admin, o.disposed_pu, unit_id=pu, instruction="Mohon ditinjau")
    world.clock.advance(hours=1)
    o.disposed_health = world.new_complaint(title="Antrean panjang di Puskesmas Depok")
    dispose(ctx, admin, o.disposed_health, unit_id=health)
    world.clock.advance(hours=1)
    o.followed_up = world.new_complaint(title="Drainase tersumbat di Perumahan Condongcatur")
    dispose(ctx, admin, o.followed_up, unit_id=pu)
    follow_up(ctx, world.users[Role.PENGHUBUNG], o.followed_up, text="Saluran sudah dibersihkan oleh petugas.")
    world.clock.advance(hours=1)
    o.postponed = world.new_complaint(title="Pungutan liar di sekolah dasar")
    postpone(ctx, admin, o.postponed, reason="Mohon lengkapi nama sekolah")
    world.clock.advance(hours=1)
    o.archived = world.new_complaint(title="Pesan tidak jelas")
    archive(ctx, admin, o.archived, reason_code=ArchiveReason.TIDAK_RELEVAN)
    world.clock.advance(hours=1)
    o.redirected = world.new_complaint(title="Jalan nasional rusak di Ring Road")
    redirect(ctx, admin, o.redirected, reason="Jalan nasional wewenang kementerian")
    world.clock.advance(hours=1)
    return o


MakeMany = Callable[[int], list[str]]


@pytest.fixture
def many(world: World) -> MakeMany:
    """``many(n)``: n new complaints received one minute apart (oldest first)."""

    def make(n: int) -> list[str]:
        made = []
        for i in range(n):
            made.append(world.new_complaint(title=f"Pengaduan nomor {i:03d} tentang jalan"))
            world.clock.advance(minutes=1)
        return made

    return make

