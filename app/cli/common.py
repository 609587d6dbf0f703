"""Opening the store the way every CLI command does."""

from __future__ import annotations

import argparse

from sqlalchemy import select

from app import plugins
from app.config import Paths, resolve_paths
from app.errors import Message, StoreError
from app.models import Unit
from app.services.context import ServiceContext
from app.store import meta
from app.store.db import Store, open_store
from app.store.restore import apply_pending


def paths_of(args: argparse.Namespace) -> Paths:
    return resolve_paths(args.data_dir)


def open_for_cli(args: argparse.Namespace) -> tuple[Paths, Store, ServiceContext]:
    paths = paths_of(args)
    apply_pending(paths)  # a restore asked for in the window and not yet done: the window would do it first
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


def unit_named(store: Store, office_id: str, typed: str) -> tuple[str | None, Message]:
    """The office's unit named (or whose id is) ``typed``, case ignored, or None with the message that lists the
    office's units (each command raises it as its own kind of error)."""
    with store.read() as session:
        units = session.execute(select(Unit.id, Unit.name).where(Unit.office_id == office_id)
                                .order_by(Unit.name)).all()
    for unit_id, name in units:
        if typed.strip().casefold() in (name.casefold(), unit_id.casefold()):
            return str(unit_id), Message("", "")
    names = "; ".join(name for _id, name in units)
    return None, Message(f"Unit kerja {typed!r} tidak ada di instansi ini. Unit yang ada: {names}.",
                         f"There is no unit {typed!r} in this office. Its units: {names}.")
