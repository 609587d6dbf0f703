"""A small month of work at the world's office for the dashboard: March 2026 (WIB), figures computed on 10 April."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from app.domain import ArchiveReason, Channel, Classification, Role
from app.inputs import IntakeInput, ReporterInput
from app.services import intake
from app.services.workflow_actions import archive, dispose, follow_up, record_response
from tests.helpers.world import World

AS_OF = datetime(2026, 4, 10, 2, 0, tzinfo=UTC)  # Friday 10 April 2026, 09:00 WIB


@dataclass
class March:
    world: World
    received: list[str] = field(default_factory=list)
    spam: str = ""


def _take_in(world: World, title: str, channel: str, region: str | None) -> str:
    inp = IntakeInput(classification=Classification.PENGADUAN, channel=channel, title=title,
                      description="Uraian pengaduan yang cukup panjang untuk lolos validasi data masukan.",
                      category_id="infrastruktur.penerangan_jalan" if channel == Channel.WALK_IN else None,
                      region_code=region,
                      reporter=ReporterInput(name="Budi Santoso", phone="081234567890", email="budi@example.org",
                                            address="Jl. Kaliurang Km 5, Sleman",
                                            consent_given=True))
    return intake(world.ctx, world.users[Role.PETUGAS_LOKET], inp).complaint_id


@pytest.fixture
def march(world: World) -> March:
    """Six complaints in March 2026: verified on time and late, followed up, one completed with a satisfied reporter,
    one never touched (overdue), one spam (excluded); the clock then stands at AS_OF."""
    admin, liaison = world.users[Role.ADMIN_INSTANSI], world.users[Role.PENGHUBUNG]
    pu, health = world.units["Dinas Pekerjaan Umum"], world.units["Dinas Kesehatan"]
    m = March(world)
    world.clock.now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 2 March, 09:00 WIB
    a = _take_in(world, "Lampu jalan padam di Jalan Kaliurang", Channel.WALK_IN, "34.04.12.2002")
    b = _take_in(world, "Jalan berlubang di depan pasar Godean", Channel.PHONE, "34.04.12.2002")
    c = _take_in(world, "Antrean panjang di Puskesmas Depok", Channel.WALK_IN, "34.04.07")
    d = _take_in(world, "Drainase tersumbat di Condongcatur", Channel.EMAIL, None)
    spam = _take_in(world, "Iklan obat", Channel.EMAIL, None)
    world.clock.advance(hours=2)
    dispose(world.ctx, admin, a, unit_id=pu, instruction="Mohon ditinjau")
    dispose(world.ctx, admin, b, unit_id=pu)
    archive(world.ctx, admin, spam, reason_code=ArchiveReason.SPAM)
    world.clock.advance(days=1)
    follow_up(world.ctx, liaison, a, text="Lampu sudah diganti oleh petugas.")
    world.clock.advance(days=1)
    record_response(world.ctx, admin, a, satisfied=True, text="Terima kasih")
    world.clock.now = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # late: the 3 working days ended on 5 March
    dispose(world.ctx, admin, c, unit_id=health)
    world.clock.now = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
    e = _take_in(world, "Sampah menumpuk di Jalan Magelang", Channel.LETTER, "34.04.12.2002")
    world.clock.now = AS_OF
    m.received, m.spam = [a, b, c, d, e], spam
    return m
