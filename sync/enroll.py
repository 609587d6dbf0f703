"""Enrolment: trade the national admin's one-time code for this PC's credentials, set the PC up for its office,
keep the token in the OS keyring, and do the first full sync."""

from __future__ import annotations

import json
import secrets
import socket
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from app.config import Paths
from app.errors import Message
from app.models import Complaint, Office, StoreMeta
from app.store import meta
from app.store.db import Store
from sync import state
from sync.credentials import TokenStore
from sync.protocol import EnrollResponse
from sync.transport import SyncError, Transport, TransportSettings, decode

# The random key this data folder sends with every enrolment attempt until one succeeds: the server answers a
# retry with the same code and key with the same device, so neither the transport's retries nor IT running the
# command again after a lost reply burn the code.
ENROLLMENT_KEY = "sync_enrollment_key"


class AlreadyEnrolled(SyncError):
    """The data folder is enrolled already, or holds other data (demo, another office): enrol with a new one."""


class WrongOffice(SyncError):
    """The code enrols a PC of another office than the one the machine file (``office``) says this PC belongs to."""


@dataclass(frozen=True)
class Enrolment:
    office_name: str
    device_no: int
    token_location: str


def enroll(store: Store, paths: Paths, *, server_url: str, code: str, device_name: str | None = None,
           ca_bundle: str | None = None, proxy: str | None = None, expected_office: str | None = None,
           keep: Collection[str] = ("ca_bundle", "proxy")) -> Enrolment:
    """Enrol this data folder. ``expected_office`` (a region code or office id, from lapor-desk.toml's ``office``)
    refuses a code of another office before anything is kept on this PC. Of the CA bundle and proxy, only those in
    ``keep`` are stored with the enrolment (a person's choice); the others are used now and keep coming from the
    machine file, so IT can change them there later."""
    with store.read() as session:
        home = meta.get(session, meta.HOME_OFFICE)
        enrolled = meta.get(session, state.CLIENT_ID)
        local = session.execute(select(func.count()).select_from(Complaint)).scalar_one()
    if enrolled:
        raise AlreadyEnrolled(Message("PC ini sudah terdaftar. Untuk mendaftar ulang, gunakan folder data baru.",
                                "This PC is already enrolled. To enrol again, use a new data folder."))
    if home or local:
        raise AlreadyEnrolled(Message(
            "Folder data ini sudah berisi data (demo atau instansi lain). Daftarkan PC dengan folder data baru: "
            "lapor-desk --data-dir FOLDER_BARU enroll ...",
            "This data folder already holds data (demo or another office). Enrol with a new data folder: "
            "lapor-desk --data-dir NEW_FOLDER enroll ..."))
    body = {"code": code, "device_name": device_name or socket.gethostname(), "enrollment_key": _key(store)}
    transport = Transport(TransportSettings(base_url=server_url, ca_bundle=ca_bundle, proxy=proxy))
    try:
        response = transport.request("POST", "/api/v1/enroll", json_body=body)
    finally:
        transport.close()
    creds = decode(response, EnrollResponse)
    if expected_office and expected_office not in (creds.office.id, creds.office.region_code):
        raise WrongOffice(Message(
            f"Kode ini untuk {creds.office.name} ({creds.office.region_code}), sedangkan lapor-desk.toml menetapkan "
            f"instansi {expected_office}. PC ini tidak didaftarkan; minta kode untuk instansi yang benar, dan minta "
            f"admin nasional mencabut perangkat {creds.device_id} yang dibuat kode itu.",
            f"This code is for {creds.office.name} ({creds.office.region_code}), while lapor-desk.toml sets the "
            f"office {expected_office}. This PC was not enrolled; ask for a code of the right office, and ask the "
            f"national admin to revoke the device {creds.device_id} that code made."))
    location = TokenStore(paths.data_dir, creds.client_id).save(creds.token)
    with store.transaction() as session:
        session.add(Office(id=creds.office.id, region_code=creds.office.region_code, name=creds.office.name,
                           tz=creds.office.tz, server_version=0))
        meta.put(session, meta.HOME_OFFICE, creds.office.id)
        meta.put(session, meta.DEVICE_NO, str(creds.device_no))
        meta.put(session, state.CLIENT_ID, creds.client_id)
        meta.put(session, state.DEVICE_ID, creds.device_id)
        meta.put(session, state.SERVER_URL, server_url.rstrip("/"))
        meta.put(session, state.ERA, creds.era)
        given = {"ca_bundle": ca_bundle or "", "proxy": proxy or ""}
        meta.put(session, state.SETTINGS, json.dumps({k: v if k in keep else "" for k, v in given.items()}))
        session.execute(delete(StoreMeta).where(StoreMeta.key == ENROLLMENT_KEY))
    return Enrolment(creds.office.name, creds.device_no, location)


def _key(store: Store) -> str:
    with store.transaction() as session:
        key = meta.get(session, ENROLLMENT_KEY)
        if key is None:
            key = secrets.token_urlsafe(32)
            meta.put(session, ENROLLMENT_KEY, key)
    return key
