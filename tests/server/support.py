"""Test support for the national server: a live backend (SQLite or PostgreSQL), seeded offices, and enrolled
devices that build and push mutations the way a LAPOR Desk PC does. Synthetic data only."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import requests
from sqlalchemy import func, select

from app import __version__
from app.domain import EventKind, Role, Status
from app.ids import new_id
from app.reference.regions import regency_code4
from app.rules import tracking
from server import admin
from server.app import create_app
from server.db import Database
from server.models import ServerBase
from server.settings import Settings
from sync.protocol import HEADER_APP_VERSION, HEADER_PROTOCOL, PROTOCOL_VERSION, Mutation, payload_hash
from tests.helpers.live_server import serve_in_thread
from tests.helpers.world import FakeClock

ADMIN_TOKEN = "test-admin-token"
PASSWORD = "Rahasia123"
TIMEOUT = 30
ROLES = (Role.ADMIN_INSTANSI, Role.PENGHUBUNG, Role.PETUGAS_LOKET, Role.PIMPINAN, Role.IT_ADMIN)

STEP_TEXT = "Sudah ditangani oleh unit terkait."
# The timeline event each workflow action writes.
ACTION_EVENTS = {
    "dispose": EventKind.DISPOSED, "postpone": EventKind.POSTPONED, "redirect": EventKind.REDIRECTED,
    "archive": EventKind.ARCHIVED, "follow_up": EventKind.FOLLOW_UP, "close": EventKind.CLOSED,
    "respond": EventKind.REPORTER_RESPONSE, "resume": EventKind.RESUMED, "unarchive": EventKind.UNARCHIVED,
    "reopen": EventKind.REOPENED,
}


def iso(value: datetime) -> str:
    return value.isoformat()


@dataclass
class Backend:
    """One running server over a migrated database, with the clock the test controls."""

    kind: str  # "sqlite" or "postgresql"
    db_url: str
    db: Database
    settings: Settings
    clock: FakeClock
    url: str
    http: requests.Session

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return self.http.request(method, self.url + path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def admin_headers(self, token: str = ADMIN_TOKEN) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def count(self, model: type[ServerBase], *where: Any) -> int:
        with self.db.transaction() as session:
            return int(session.execute(select(func.count()).select_from(model).where(*where)).scalar_one())

    @contextmanager
    def serve(self, **overrides: Any) -> Iterator[str]:
        """Another server over the same database with some settings changed (e.g. a tiny rate limit)."""
        app = create_app(replace(self.settings, **overrides), self.db, clock=self.clock)
        with serve_in_thread(app) as url:
            yield url


@dataclass
class SeededOffice:
    id: str
    region_code: str
    name: str
    units: dict[str, str]  # name -> id
    users: dict[str, str]  # role -> user id
    usernames: dict[str, str]  # role -> username

    @property
    def admin(self) -> str:
        return self.users[Role.ADMIN_INSTANSI]

    @property
    def counter(self) -> str:
        return self.users[Role.PETUGAS_LOKET]

    @property
    def unit(self) -> str:
        return self.units["Dinas Pekerjaan Umum"]


def seed_office(backend: Backend, region_code: str = "34.04", name: str = "Pemerintah Kabupaten Sleman",
                tz: str = "WIB") -> SeededOffice:
    """An office with two units and one account per role (through server.admin, like the CLI)."""
    prefix = region_code.replace(".", "")
    now = backend.clock()
    with backend.db.transaction() as session:
        office = admin.create_office(session, region_code=region_code, name=name, tz=tz)
        units = {n: admin.create_unit(session, office, n, now) for n in ("Dinas Pekerjaan Umum", "Dinas Kesehatan")}
        users: dict[str, str] = {}
        usernames: dict[str, str] = {}
        for role in ROLES:
            username = f"u{prefix}.{role.value.lower()}"
            user = admin.create_user(session, office=office, username=username, full_name=f"Petugas {role.title()}",
                                     role=role, password=PASSWORD,
                                     unit=units["Dinas Pekerjaan Umum"] if role == Role.PENGHUBUNG else None,
                                     now=now)
            users[role] = user.id
            usernames[role] = username
        return SeededOffice(office.id, region_code, name, {n: u.id for n, u in units.items()}, users, usernames)


def issue_code(backend: Backend, office_id: str) -> str:
    with backend.db.transaction() as session:
        return admin.issue_enrollment_code(session, admin.find_office(session, office_id), backend.clock())


def protocol_headers(token: str | None = None) -> dict[str, str]:
    headers = {HEADER_PROTOCOL: str(PROTOCOL_VERSION), HEADER_APP_VERSION: __version__}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


@dataclass
class Device:
    """An enrolled PC: its credentials, its gap-free seq, and mutation builders shaped like the desktop's."""

    backend: Backend
    office: SeededOffice
    token: str
    client_id: str
    device_id: str
    device_no: int
    seq: itertools.count = field(default_factory=lambda: itertools.count(1))
    tracking_seq: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def headers(self) -> dict[str, str]:
        return protocol_headers(self.token)

    # ---- mutations ------------------------------------------------------------------------------------------

    def mutation(self, name: str, entity_id: str, args: dict[str, Any], *, user_id: str | None,
                 base_version: int = 0, seq: int | None = None, mutation_id: str | None = None,
                 entity_type: str = "complaint") -> Mutation:
        h = payload_hash(name, 1, entity_type, entity_id, base_version, user_id, args)
        return Mutation(seq=seq if seq is not None else next(self.seq), mutation_id=mutation_id or new_id(),
                        name=name, version=1, entity_type=entity_type, entity_id=entity_id,
                        base_version=base_version, user_id=user_id, args=args, payload_hash=h)

    def next_tracking_code(self) -> str:
        return tracking.make_code(regency_code4(self.office.region_code), self.device_no, next(self.tracking_seq))

    def intake(self, *, user_id: str | None = None, title: str = "Jalan berlubang di depan pasar",
               confidential: bool = False, anonymous: bool = False, reporter_name: str = "Budi Santoso",
               phone: str = "081234567890", category_id: str | None = None, seq: int | None = None) -> Mutation:
        now = self.backend.clock()
        cid = new_id()
        reporter = None if anonymous else {"id": new_id(), "name": reporter_name, "phone": phone,
                                           "consent_at": iso(now)}
        args = {
            "complaint": {
                "id": cid, "tracking_code": self.next_tracking_code(), "classification": "PENGADUAN",
                "category_id": category_id, "title": title,
                "description": "Jalan di depan pasar berlubang besar dan membahayakan pengendara motor setiap malam.",
                "channel": "WALK_IN", "is_anonymous": anonymous, "is_confidential": confidential,
                "status": Status.BELUM_TERVERIFIKASI, "received_at": iso(now),
                "reporter_id": reporter["id"] if reporter else None,
            },
            "reporter": reporter,
            "event": {"id": new_id(), "complaint_id": cid, "kind": EventKind.RECEIVED, "at": iso(now),
                      "actor_user_id": user_id or self.office.counter, "to_status": Status.BELUM_TERVERIFIKASI},
        }
        return self.mutation("complaint.intake", cid, args, user_id=user_id or self.office.counter, seq=seq)

    def transition(self, complaint_id: str, action: str, frm: str, to: str, *, user_id: str | None,
                   base_version: int, text: str | None = None, fields: dict[str, Any] | None = None,
                   seq: int | None = None) -> Mutation:
        now = self.backend.clock()
        # What a person writes for the step, long enough for every step's rule (app.rules.workflow), unless given.
        text = STEP_TEXT if text is None else text
        args = {"from": frm, "to": to, "fields": fields or {},
                "event": {"id": new_id(), "complaint_id": complaint_id, "kind": ACTION_EVENTS[action],
                          "at": iso(now), "actor_user_id": user_id, "from_status": frm, "to_status": to,
                          "text": text}}
        return self.mutation(f"complaint.{action}", complaint_id, args, user_id=user_id,
                             base_version=base_version, seq=seq)

    def dispose(self, complaint_id: str, base_version: int, **kw: Any) -> Mutation:
        fields = {"unit_id": self.office.unit, "disposed_at": iso(self.backend.clock())}
        return self.transition(complaint_id, "dispose", Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN,
                               user_id=kw.pop("user_id", self.office.admin), base_version=base_version,
                               fields=fields, text="Mohon ditindaklanjuti.", **kw)

    def note(self, complaint_id: str, text: str, *, user_id: str | None = None, base_version: int = 0) -> Mutation:
        args = {"event": {"id": new_id(), "complaint_id": complaint_id, "kind": EventKind.NOTE,
                          "at": iso(self.backend.clock()), "actor_user_id": user_id or self.office.admin,
                          "text": text}}
        return self.mutation("complaint.note", complaint_id, args, user_id=user_id or self.office.admin,
                             base_version=base_version)

    def edit(self, complaint_id: str, fields: dict[str, Any], *, base_version: int,
             user_id: str | None = None) -> Mutation:
        return self.mutation("complaint.edit", complaint_id, {"fields": fields},
                             user_id=user_id or self.office.admin, base_version=base_version)

    def attach(self, complaint_id: str, sha256: str, size: int, *, base_version: int = 0) -> Mutation:
        now = self.backend.clock()
        event_id = new_id()
        args = {"attachment": {"id": new_id(), "complaint_id": complaint_id, "event_id": event_id, "sha256": sha256,
                               "filename": "foto-jalan.jpg", "mime_type": "image/jpeg", "size": size,
                               "created_at": iso(now), "created_by": self.office.admin},
                "event": {"id": event_id, "complaint_id": complaint_id, "kind": EventKind.ATTACHMENT_ADDED,
                          "at": iso(now), "actor_user_id": self.office.admin, "text": "foto-jalan.jpg"}}
        return self.mutation("complaint.attach", complaint_id, args, user_id=self.office.admin,
                             base_version=base_version)

    # ---- HTTP -----------------------------------------------------------------------------------------------

    def push_raw(self, *mutations: Mutation, url: str | None = None) -> requests.Response:
        body = {"client_id": self.client_id, "mutations": [m.model_dump(mode="json") for m in mutations]}
        return requests.post((url or self.backend.url) + "/api/v1/sync/push", json=body, headers=self.headers,
                             timeout=TIMEOUT)

    def push(self, *mutations: Mutation) -> dict[str, Any]:
        response = self.push_raw(*mutations)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def push_one(self, mutation: Mutation) -> dict[str, Any]:
        """Push one mutation and return its result."""
        body = self.push(mutation)
        assert body["stopped"] is None, body
        (result,) = body["results"]
        return dict(result)

    def pull_raw(self, cursor: str | None = None, limit: int = 500, url: str | None = None,
                 headers: dict[str, str] | None = None) -> requests.Response:
        return requests.post((url or self.backend.url) + "/api/v1/sync/pull", json={"cursor": cursor, "limit": limit},
                             headers=headers or self.headers, timeout=TIMEOUT)

    def pull(self, cursor: str | None = None, limit: int = 500) -> dict[str, Any]:
        response = self.pull_raw(cursor, limit)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def pull_all(self, cursor: str | None = None, limit: int = 500) -> tuple[list[dict[str, Any]], str]:
        """Every page until ``has_more`` is false: the changes in order, and the last cursor."""
        changes: list[dict[str, Any]] = []
        for _ in range(10_000):
            page = self.pull(cursor, limit)
            changes.extend(page["changes"])
            cursor = page["cursor"]
            if not page["has_more"]:
                return changes, page["cursor"]
        raise AssertionError("pull never ended")


def enrol(backend: Backend, office: SeededOffice, name: str = "PC loket 1") -> Device:
    """Enrol a PC over HTTP with a fresh one-time code."""
    code = issue_code(backend, office.id)
    response = backend.post("/api/v1/enroll", json={"code": code, "device_name": name}, headers=protocol_headers())
    assert response.status_code == 200, response.text
    body = response.json()
    return Device(backend, office, body["token"], body["client_id"], body["device_id"], body["device_no"])


def state_of(changes: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """What a client holds after applying these changes in order (the last change of each entity wins)."""
    state: dict[tuple[str, str], dict[str, Any]] = {}
    for change in changes:
        state[(change["entity_type"], change["entity_id"])] = change
    return state


def ids_of(changes: list[dict[str, Any]], entity_type: str, op: str = "upsert") -> set[str]:
    return {c["entity_id"] for c in changes if c["entity_type"] == entity_type and c["op"] == op}


def cursor_position(raw: str) -> tuple[int, int]:
    """The (xid, id) feed position of a pull cursor (opaque to a PC; tests look inside)."""
    from server.changelog import Cursor

    cursor = Cursor.decode(raw, raw.split(".", 1)[0])
    assert cursor is not None, raw
    return cursor.xid, cursor.id
