"""A small synthetic office for tests: Kabupaten Sleman with two units and one account per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from app.bootstrap import create_office
from app.domain import Channel, Classification, Role
from app.inputs import IntakeInput, ReporterInput
from app.models import Unit
from app.services import ServiceContext, intake
from app.services.users import add_user
from app.store.db import Store

PASSWORD = "Rahasia123"


class FakeClock:
    """A clock the test moves by hand (UTC)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class World:
    store: Store
    ctx: ServiceContext
    clock: FakeClock
    office_id: str
    units: dict[str, str]
    users: dict[str, str] = field(default_factory=dict)  # role (or name) -> user id
    other_office_id: str = ""
    other_admin: str = ""

    def new_complaint(self, *, anonymous: bool = False, title: str = "Jalan berlubang di depan pasar",
                      classification: str = Classification.PENGADUAN, by: str = Role.PETUGAS_LOKET) -> str:
        reporter = ReporterInput(name="Budi Santoso", phone="081234567890", consent_given=True)
        inp = IntakeInput(
            classification=classification,
            channel=Channel.WALK_IN,
            title=title,
            description="Jalan di depan pasar berlubang besar dan membahayakan pengendara motor setiap malam.",
            is_anonymous=anonymous,
            reporter=reporter,
        )
        return intake(self.ctx, self.users[by], inp).complaint_id


def build_world(store: Store, clock: FakeClock, blob_dir: Path) -> World:
    office = create_office(store, region_code="34.04", name="Pemerintah Kabupaten Sleman", tz="WIB",
                           units=["Dinas Pekerjaan Umum", "Dinas Kesehatan"], make_home=True)
    other = create_office(store, region_code="51.03", name="Pemerintah Kabupaten Badung", tz="WITA",
                          units=["Dinas Perhubungan"])
    ctx = ServiceContext(store=store, blob_dir=blob_dir, clock=clock, device_label="test-pc")
    with store.read() as session:
        units = {u.name: u.id for u in session.execute(select(Unit).where(Unit.office_id == office.id)).scalars()}
    world = World(store, ctx, clock, office.id, units)
    pu = units["Dinas Pekerjaan Umum"]
    for role in Role:
        if role == Role.SYSTEM:
            continue
        info = add_user(ctx, username=f"user.{role.value.lower()}", full_name=f"Petugas {role.value.title()}",
                        role=role, password=PASSWORD, office_id=office.id,
                        unit_id=pu if role == Role.PENGHUBUNG else None)
        world.users[role] = info.id
    health = add_user(ctx, username="penghubung.kesehatan", full_name="Penghubung Kesehatan",
                      role=Role.PENGHUBUNG, password=PASSWORD, office_id=office.id,
                      unit_id=units["Dinas Kesehatan"])
    world.users["PENGHUBUNG_OTHER_UNIT"] = health.id
    world.other_office_id = other.id
    world.other_admin = add_user(ctx, username="admin.badung", full_name="Admin Badung",
                                 role=Role.ADMIN_INSTANSI, password=PASSWORD, office_id=other.id).id
    return world
