"""Opening the store the way every CLI command does."""

from __future__ import annotations

import argparse

from app import meta
from app.config import Paths, resolve_paths
from app.db import Store, open_store
from app.errors import Message, StoreError
from app.services.context import ServiceContext


def paths_of(args: argparse.Namespace) -> Paths:
    return resolve_paths(args.data_dir)


def open_for_cli(args: argparse.Namespace) -> tuple[Paths, Store, ServiceContext]:
    paths = paths_of(args)
    store = open_store(paths.database, backup_dir=paths.backups)
    return paths, store, ServiceContext(store=store, blob_dir=paths.attachments)


def require_home_office(store: Store) -> str:
    with store.read() as session:
        office_id = meta.get(session, meta.HOME_OFFICE)
    if office_id is None:
        raise StoreError(Message(
            "PC ini belum disiapkan untuk sebuah instansi. Daftarkan PC (lapor-desk enroll) "
            "atau isi data demo (lapor-desk seed-demo).",
            "This PC is not set up for an office yet. Enrol it (lapor-desk enroll) "
            "or load demo data (lapor-desk seed-demo)."))
    return office_id
