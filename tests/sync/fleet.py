"""Offices on the server and the PCs that sync with it: a seeded office (units, one account per role, enrolment
codes), and a PC (its own data folder and store, enrolled through the fault proxy, with the real services and the
real sync engine). Synthetic data only."""

from __future__ import annotations

import contextlib
import itertools
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app import services
from app.config import Paths
from app.domain import Channel, Classification, Role
from app.inputs import IntakeInput, ReporterInput
from app.models import Complaint, ConflictItem, OutboxEntry
from app.reference.regions import iter_regions
from app.services.context import ServiceContext
from app.store.db import Store, open_store
from app.timeutil import utcnow
from server import admin, national
from sync.capture import OutboxCapture
from sync.engine import SyncEngine, SyncReport
from sync.enroll import enroll
from sync.session import build_engine
from tests.sync.digest import OfficeDigest, assert_converged, client_digest
from tests.sync.serverproc import ServerProcess

PASSWORD = "Rahasia123"
UNITS = ("Dinas Pekerjaan Umum", "Dinas Kesehatan")
ROLES = (Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET, Role.PENGHUBUNG, Role.PIMPINAN)


def _regencies() -> Iterator[tuple[str, str]]:
    for row in iter_regions():
        if row.level == 2:
            yield row.code, row.name


_REGENCIES = _regencies()
_NAMES = itertools.count(1)


@dataclass
class Office:
    """An office seeded on the server through server.admin (like ``lapor-server admin``)."""

    server: ServerProcess
    id: str
    region_code: str
    name: str
    units: dict[str, str]
    users: dict[str, str]  # role -> user id

    @property
    def admin(self) -> str:
        return self.users[Role.ADMIN_INSTANSI]

    @property
    def counter(self) -> str:
        return self.users[Role.PETUGAS_LOKET]

    @property
    def unit(self) -> str:
        return self.units[UNITS[0]]

    def enrolment_code(self) -> str:
        with self.server.db.transaction() as s:
            return admin.issue_enrollment_code(s, admin.find_office(s, self.id), utcnow())

    def online_complaints(self, n: int, *, start: int = 0) -> list[str]:
        """``n`` complaints filed online and routed here by the national side, in one server transaction."""
        now = utcnow()
        with self.server.db.transaction() as s:
            return [national.create_online_complaint(s, online(start + i), now, office_id=self.id).id
                    for i in range(n)]

    def route_here(self, complaint_id: str, note: str | None = None) -> dict[str, Any]:
        """The national admin routes (or re-routes) a complaint to this office, over the admin API."""
        r = self.server.admin("POST", f"/api/v1/national/complaints/{complaint_id}/route",
                              json={"office_id": self.id, "note": note})
        assert r.status_code == 200, r.text
        return dict(r.json())

    def digest(self) -> OfficeDigest:
        from tests.sync.digest import server_digest

        return server_digest(self.server.db, self.id)


def seed_office(server: ServerProcess, tz: str = "WIB") -> Office:
    region, name = next(_REGENCIES)
    prefix = region.replace(".", "")
    now = utcnow()
    with server.db.transaction() as s:
        office = admin.create_office(s, region_code=region, name=f"Pemerintah {name.title()}", tz=tz)
        units = {n: admin.create_unit(s, office, n, now) for n in UNITS}
        users = {str(role): admin.create_user(s, office=office, username=f"u{prefix}.{role.value.lower()}",
                                         full_name=f"Petugas {role.value.title()} {prefix}", role=role,
                                         password=PASSWORD, unit=units[UNITS[0]] if role == Role.PENGHUBUNG else None,
                                         now=now).id
                 for role in ROLES}
        return Office(server, office.id, region, office.name, {n: u.id for n, u in units.items()}, users)


def online(n: int, title: str | None = None) -> IntakeInput:
    return IntakeInput(
        classification=Classification.PENGADUAN, channel=Channel.LAPOR_ONLINE,
        title=title or f"Lampu penerangan jalan mati nomor {n}",
        description=f"Lampu penerangan jalan nomor {n} mati sejak seminggu yang lalu di dekat kampus.",
        reporter=ReporterInput(name=f"Warga Daring {n}", email=f"warga{n}@contoh.id", consent_given=True))


def counter_input(n: int, title: str | None = None) -> IntakeInput:
    return IntakeInput(
        classification=Classification.PENGADUAN, channel=Channel.WALK_IN,
        title=title or f"Jalan berlubang di depan pasar nomor {n}",
        description=f"Jalan di depan pasar nomor {n} berlubang besar dan membahayakan pengendara motor.",
        reporter=ReporterInput(name=f"Budi Santoso {n}", phone="081234567890", consent_given=True))


class PC:
    """One office PC: a data folder with its own store, enrolled through ``server_url`` (the fault proxy)."""

    def __init__(self, folder: Path, template_db: Path, office: Office, server_url: str, *,
                 clock: Callable[[], datetime] = utcnow, name: str | None = None, first_sync: bool = True) -> None:
        self.name = name or f"pc{next(_NAMES)}"
        self.office = office
        self.clock = clock
        self.paths = Paths(folder / self.name)
        self.paths.data_dir.mkdir(parents=True)
        shutil.copyfile(template_db, self.paths.database)
        self.store = open_store(self.paths.database, backup_dir=self.paths.backups)
        enroll(self.store, self.paths, server_url=server_url, code=office.enrolment_code(), device_name=self.name)
        self.sleeps: list[float] = []
        self._build()
        if first_sync:
            self.sync()

    def _build(self) -> None:
        self.ctx = ServiceContext(store=self.store, blob_dir=self.paths.attachments, clock=self.clock,
                                  device_label=self.name)
        self.ctx.capture = OutboxCapture(self.ctx.clock)
        self.engine: SyncEngine = build_engine(self.store, self.paths, ctx=self.ctx)
        self.engine.transport.sleep = self.sleeps.append  # retries are exercised, not waited for

    def reopen(self) -> None:
        """Open the store again, as after a crash or a restart of the program."""
        self.close()
        self.store = open_store(self.paths.database, backup_dir=self.paths.backups)
        self._build()

    def close(self) -> None:
        self.engine.transport.close()
        self.store.close()

    # ---- sync ---------------------------------------------------------------------------------------------

    def sync(self) -> SyncReport:
        return self.engine.run_once()

    def sync_until_quiet(self, rounds: int = 5) -> SyncReport:
        """Sync until nothing is pending and a run brings nothing new."""
        for _ in range(rounds):
            report = self.sync()
            if self.pending() == 0 and not (report.pushed or report.pulled_complaints or report.pulled_events
                                            or report.removed):
                return report
        raise AssertionError(f"{self.name} did not settle in {rounds} syncs (pending {self.pending()})")

    def pending(self) -> int:
        with self.store.read() as s:
            return int(s.execute(select(func.count()).select_from(OutboxEntry)
                                 .where(OutboxEntry.acked_at.is_(None))).scalar_one())

    def outbox(self) -> list[OutboxEntry]:
        return outbox_of(self.store)

    def conflicts(self) -> list[ConflictItem]:
        with self.store.read() as s:
            rows = list(s.execute(select(ConflictItem).order_by(ConflictItem.id)).scalars())
            s.expunge_all()
            return rows

    def digest(self) -> OfficeDigest:
        return client_digest(self.store, self.office.id)

    def assert_converged(self) -> OfficeDigest:
        return assert_converged(self.store, self.office.server.db, self.office.id, self.name)

    def complaint(self, complaint_id: str) -> Complaint | None:
        with self.store.read() as s:
            found = s.get(Complaint, complaint_id)
            s.expunge_all()
            return found

    def complaint_ids(self) -> set[str]:
        with self.store.read() as s:
            return set(s.execute(select(Complaint.id).where(Complaint.office_id == self.office.id)).scalars())

    # ---- the services, as staff use them --------------------------------------------------------------------

    def intake(self, n: int = 0, title: str | None = None) -> str:
        return services.intake(self.ctx, self.office.counter, counter_input(n, title)).complaint_id

    def dispose(self, cid: str, unit: str | None = None) -> str:
        return services.dispose(self.ctx, self.office.admin, cid, unit_id=unit or self.office.unit,
                                instruction="Mohon segera ditindaklanjuti").event_id

    def follow_up(self, cid: str, text: str = "Jalan sudah ditambal oleh tim pemeliharaan pagi ini.") -> str:
        return services.follow_up(self.ctx, self.office.admin, cid, text=text).event_id

    def close_case(self, cid: str) -> str:
        return services.close(self.ctx, self.office.admin, cid, note="Selesai ditangani").event_id

    def respond(self, cid: str, *, satisfied: bool, text: str | None = None) -> str:
        return services.record_response(self.ctx, self.office.admin, cid, satisfied=satisfied, text=text).event_id

    def redirect(self, cid: str) -> str:
        return services.redirect(self.ctx, self.office.admin, cid, reason="Kewenangan instansi lain").event_id

    def note(self, cid: str, text: str = "Sudah dicek ke lapangan") -> str:
        return services.add_note(self.ctx, self.office.admin, cid, text=text)

    def edit(self, cid: str, **fields: Any) -> list[str]:
        return services.edit_complaint(self.ctx, self.office.admin, cid, services.ComplaintEdit(**fields))

    def attach(self, cid: str, source: Path) -> str:
        return services.attach_file(self.ctx, self.office.admin, cid, source)


def outbox_of(store: Store) -> list[OutboxEntry]:
    with store.read() as s:
        rows = list(s.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars())
        s.expunge_all()  # plain objects the test can read after the snapshot ends
        return rows


@dataclass
class Fleet:
    """Everything one test makes, closed at the end."""

    server: ServerProcess
    folder: Path
    template_db: Path
    proxy_url: str
    pcs: list[PC] = field(default_factory=list)

    def office(self, tz: str = "WIB") -> Office:
        return seed_office(self.server, tz)

    def pc(self, office: Office, **kwargs: Any) -> PC:
        pc = PC(self.folder, self.template_db, office, self.proxy_url, **kwargs)
        self.pcs.append(pc)
        return pc

    def close(self) -> None:
        for pc in self.pcs:
            with contextlib.suppress(Exception):  # a PC a test already closed
                pc.close()
