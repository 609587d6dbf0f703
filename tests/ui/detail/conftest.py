"""Helpers for the detail and action tests: complaints brought to a given status through the real services,
sample files made on the spot, and a runner that delivers results when the test says so."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
from sqlalchemy import func, select

from app.domain import ArchiveReason, Role, Status
from app.models import AuditRecord, TimelineEvent
from app.read import detail as read_detail
from app.services import workflow_actions as wf
from tests.helpers.world import World

PU = "Dinas Pekerjaan Umum"


def complaint_in(world: World, status: str, *, anonymous: bool = False) -> str:
    """A new complaint moved to ``status`` by the office admin (dispositioned to Dinas Pekerjaan Umum)."""
    cid = world.new_complaint(anonymous=anonymous)
    admin, ctx = world.users[Role.ADMIN_INSTANSI], world.ctx
    pu = world.units[PU]
    if status == Status.BELUM_TERVERIFIKASI:
        return cid
    if status == Status.DITUNDA:
        wf.postpone(ctx, admin, cid, reason="Mohon lengkapi lokasi kejadian")
    elif status == Status.BUKAN_WEWENANG:
        wf.redirect(ctx, admin, cid, reason="Kewenangan pemerintah provinsi")
    elif status == Status.DIARSIPKAN:
        wf.archive(ctx, admin, cid, reason_code=ArchiveReason.DUPLIKAT)
    else:
        wf.dispose(ctx, admin, cid, unit_id=pu, instruction="Mohon segera dicek ke lokasi.")
        if status in (Status.DITINDAKLANJUTI, Status.SELESAI):
            wf.follow_up(ctx, admin, cid, text="Jalan sudah ditambal oleh tim pemeliharaan.")
        if status == Status.SELESAI:
            wf.close(ctx, admin, cid)
    return cid


def load(world: World, cid: str, role: str = Role.ADMIN_INSTANSI) -> read_detail.ComplaintDetail:
    with world.store.read() as session:
        return read_detail.detail(session, cid, viewer_role=role, office_id=world.office_id)


@dataclass(frozen=True)
class Counts:
    status: str
    events: int
    audits: int


def counts(world: World, cid: str) -> Counts:
    with world.store.read() as session:
        events = session.execute(select(func.count()).select_from(TimelineEvent)
                                 .where(TimelineEvent.complaint_id == cid)).scalar()
        audits = session.execute(select(func.count()).select_from(AuditRecord)
                                 .where(AuditRecord.entity_id == cid)).scalar()
    return Counts(load(world, cid).status, int(events or 0), int(audits or 0))


def audit_actions(world: World, cid: str) -> list[str]:
    with world.store.read() as session:
        return list(session.execute(select(AuditRecord.action).where(AuditRecord.entity_id == cid)
                                    .order_by(AuditRecord.id)).scalars())


def make_png(path: Path, size: tuple[int, int] = (1600, 900)) -> Path:
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(QColor("#4f7cac"))
    painter = QPainter(image)
    painter.fillRect(QRect(0, size[1] // 2, size[0], size[1] // 2), QColor("#333333"))
    painter.end()
    assert image.save(str(path))
    return path


def make_pdf(path: Path, pages: int = 2) -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    for page in range(pages):
        if page:
            writer.newPage()
        painter.fillRect(QRect(500, 500, 4000, 1500), QColor("#000000"))
        painter.drawText(QRect(500, 2500, 6000, 800), Qt.AlignmentFlag.AlignLeft, f"Halaman {page + 1}")
    painter.end()
    return path


class DeferredRunner:
    """Stands in for TaskRunner: keeps each job until the test delivers it (in any order)."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any], Any, Any]] = []

    def db(self, fn: Callable[..., Any], *args: Any, on_success: Any = None, on_failure: Any = None,
           owner: Any = None, **kwargs: Any) -> None:
        self.jobs.append((fn, args, kwargs, on_success, on_failure))

    def deliver(self, index: int) -> None:
        fn, args, kwargs, on_success, on_failure = self.jobs.pop(index)
        try:
            value = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - as the real runner routes it
            if on_failure is not None:
                on_failure(exc)
            return
        if on_success is not None:
            on_success(value)

    def shutdown(self, wait: bool = True) -> None:
        self.jobs.clear()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "files"
    folder.mkdir()
    bad = folder / "virus.exe"
    bad.write_bytes(b"MZ")
    return {"png": make_png(folder / "foto-lokasi.png"), "pdf": make_pdf(folder / "surat-balasan.pdf"),
            "exe": bad}


@pytest.fixture(scope="module", autouse=True)
def _freeze_older_objects() -> Iterator[None]:
    """What the run made before this module is collected once and then left out of the collections after each test
    (gc.freeze): walking the whole heap took a third of a second per test, longer than most of these tests."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()
