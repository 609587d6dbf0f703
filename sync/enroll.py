"""Enrolment: trade the national admin's one-time code for this PC's credentials, set the PC up for its office,
keep the token in the OS keyring, and do the first full sync."""

from __future__ import annotations

import json
import secrets
import socket
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


@dataclass(frozen=True)
class Enrolment:
    office_name: str
    device_no: int
    token_location: str


def enroll(store: Store, paths: Paths, *, server_url: str, code: str, device_name: str | None = None,
           ca_bundle: str | None = None, proxy: str | None = None) -> Enrolment:
    with store.read() as session:
        home = meta.get(session, meta.HOME_OFFICE)
        enrolled = meta.get(session, state.CLIENT_ID)
        local = session.execute(select(func.count()).select_from(Complaint)).scalar_one()
    if enrolled:
        raise SyncError(Message("PC ini sudah terdaftar. Untuk mendaftar ulang, gunakan folder data baru.",
                                "This PC is already enrolled. To enrol again, use a new data folder."))
    if home or local:
        raise SyncError(Message(
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
        meta.put(session, state.SETTINGS, json.dumps({"ca_bundle": ca_bundle or "", "proxy": proxy or ""}))
        session.execute(delete(StoreMeta).where(StoreMeta.key == ENROLLMENT_KEY))
    return Enrolment(creds.office.name, creds.device_no, location)


def _key(store: Store) -> str:
    with store.transaction() as session:
        key = meta.get(session, ENROLLMENT_KEY)
        if key is None:
            key = secrets.token_urlsafe(32)
            meta.put(session, ENROLLMENT_KEY, key)
    return key
