"""Opening the store the way every CLI command does."""

from __future__ import annotations

import argparse

from app import plugins
from app.config import Paths, resolve_paths
from app.errors import Message, StoreError
from app.services.context import ServiceContext
from app.store import meta
from app.store.db import Store, open_store


def paths_of(args: argparse.Namespace) -> Paths:
    return resolve_paths(args.data_dir)


def open_for_cli(args: argparse.Namespace) -> tuple[Paths, Store, ServiceContext]:
    paths = paths_of(args)
    store = open_store(paths.database, backup_dir=paths.backups)
    ctx = ServiceContext(store=store, blob_dir=paths.attachments)
    ctx.capture = plugins.capture_for(store, ctx.clock)  # an enrolled PC records changes for sync
    return paths, store, ctx


def require_home_office(store: Store) -> str:
    with store.read() as session:
        office_id = meta.get(session, meta.HOME_OFFICE)
    if office_id is None:
        raise StoreError(Message(
            "PC ini belum disiapkan untuk sebuah instansi. Daftarkan PC ini ke server nasional dengan kode dari "
            "admin nasional (lapor-desk enroll --server ALAMAT --code KODE), atau isi data demo untuk mencoba "
            "(lapor-desk seed-demo).",
            "This PC is not set up for an office yet. Enrol it with the national server using the code from the "
            "national admin (lapor-desk enroll --server URL --code CODE), or load demo data to try it out "
            "(lapor-desk seed-demo)."))
    return office_id
