"""Building a ready-to-run sync engine for an enrolled store (used by the CLI, the window and tests)."""

from __future__ import annotations

import threading
from pathlib import Path

from app.config import Paths
from app.config_layers import resolve, store_settings
from app.errors import Message
from app.machine_config import CA_BUNDLE, PROXY, SERVER_URL
from app.services.context import ServiceContext
from app.store import meta
from app.store.db import Store
from sync import state
from sync.capture import OutboxCapture
from sync.credentials import TokenStore
from sync.engine import Progress, SyncEngine
from sync.transport import SyncError, Transport, TransportSettings


def not_enrolled() -> SyncError:
    return SyncError(Message("PC ini belum terdaftar ke server. Jalankan: lapor-desk enroll --server URL --code KODE",
                             "This PC is not enrolled. Run: lapor-desk enroll --server URL --code CODE"))


def build_engine(store: Store, paths: Paths, *, cancel: threading.Event | None = None,
                 progress: Progress | None = None, token: str | None = None,
                 ctx: ServiceContext | None = None) -> SyncEngine:
    with store.read() as session:
        client_id = meta.get(session, state.CLIENT_ID)
        url = meta.get(session, state.SERVER_URL)
        office_id = meta.get(session, meta.HOME_OFFICE)
        stored = store_settings(url, meta.get(session, state.SETTINGS))
    if not client_id or not url or not office_id:
        raise not_enrolled()
    token = token or TokenStore(paths.data_dir, client_id).load()
    if not token:
        raise SyncError(Message("Token perangkat tidak ditemukan di keyring. Daftarkan ulang PC ini.",
                                "The device token is missing from the keyring. Enrol this PC again."))
    connection = resolve(user=stored)  # the store's connection over the machine file's, unless IT locked it there
    transport = Transport(TransportSettings(base_url=connection.text(SERVER_URL) or url, token=token,
                                            ca_bundle=connection.text(CA_BUNDLE) or None,
                                            proxy=connection.text(PROXY) or None))
    if ctx is None:
        ctx = ServiceContext(store=store, blob_dir=paths.attachments)
        ctx.capture = OutboxCapture(ctx.clock)
    return SyncEngine(ctx, transport, client_id=client_id, office_id=office_id, blob_dir=Path(paths.attachments),
                      cancel=cancel, progress=progress)
