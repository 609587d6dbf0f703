"""A complaint taken in at Sleman's counter through the real intake service, and its papers' content as the window
loads it (ui.printing.service). Synthetic data only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.domain import Channel, Classification, Role
from app.inputs import IntakeInput, ReporterInput
from app.read.receipt import ReceiptContent, Viewer
from app.read.status_letter import StatusLetterContent
from app.services import intake
from app.store import meta
from tests.helpers.world import World
from ui.printing import service

NAME, NIK, PHONE = "Sri Wahyuningsih", "3404125508870003", "081355550123"
BASE = "https://lapor.example.go.id"


def take_in(world: World, *, anonymous: bool = False, title: str = "Lampu penerangan jalan padam di simpang") -> str:
    inp = IntakeInput(
        classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title=title,
        description="Lampu penerangan jalan di simpang pasar padam dua minggu, rawan kecelakaan malam hari.",
        category_id="infrastruktur.penerangan_jalan", region_code="34.04.12.2002", is_anonymous=anonymous,
        reporter=ReporterInput(name=NAME, nik=NIK, phone=PHONE, consent_given=True))
    return intake(world.ctx, world.users[Role.PETUGAS_LOKET], inp).complaint_id


def set_status_page(world: World, url: str | None) -> None:
    from app.read.receipt import STATUS_PAGE_KEY

    with world.store.transaction() as s:
        meta.put(s, STATUS_PAGE_KEY, url or "")


def set_contact(world: World, **columns: str | None) -> None:
    """Sleman's contact as a reference download leaves it in the store (app.rules.office_contact's forms)."""
    from app.models import Office

    with world.store.transaction() as s:
        office = s.get(Office, world.office_id)
        assert office is not None
        for column, value in columns.items():
            setattr(office, column, value)


def counter_viewer(world: World) -> Viewer:
    return Viewer(world.office_id, Role.PETUGAS_LOKET, "Dewi Lestari")


@pytest.fixture
def receipt_of(world: World) -> Callable[..., ReceiptContent]:
    def make(cid: str, *, base: str | None = BASE) -> ReceiptContent:
        set_status_page(world, base)
        return service.load_receipt(world.store, cid, counter_viewer(world), clock=world.clock)

    return make


@pytest.fixture
def letter_of(world: World) -> Callable[..., StatusLetterContent]:
    def make(cid: str, *, base: str | None = BASE) -> StatusLetterContent:
        set_status_page(world, base)
        return service.load_status_letter(world.store, cid, counter_viewer(world), clock=world.clock)

    return make
