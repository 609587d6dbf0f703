"""What a data folder holds for the first-start wizard: a home office, an enrolment, a first sync that finished.

Kept apart from the wizard and its jobs (which bring in the sync engine and the demo server's HTTP client) so
that every start of the program can ask :func:`read_state` without loading them. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from app.bootstrap import home_office
from app.config import Paths
from app.store import meta
from app.store.db import Store, make_engine
from sync import state
from ui.setup.demo_server import INFO_NAME, folder_of


@dataclass(frozen=True)
class SetupState:
    """What a data folder holds: a home office, an enrolment, a first sync that finished."""

    home_office: str | None
    enrolled: bool
    synced: bool
    server_url: str | None
    demo_server: bool  # a demo server folder with its server.json

    @property
    def needs_setup(self) -> bool:
        return self.home_office is None or (self.enrolled and not self.synced)

    @property
    def resume(self) -> str | None:
        """"demo" or "enrol" when an enrolment waits for its first sync."""
        if not (self.enrolled and not self.synced):
            return None
        return "demo" if self.demo_server else "enrol"


def read_state(paths: Paths, store: Store | None = None) -> SetupState:
    """The setup state of ``paths`` (through ``store`` when one is open; else a light look at the file, which is
    neither created nor migrated here)."""
    if store is None and not paths.database.exists():
        return SetupState(None, False, False, None, False)
    own = store is None
    store = store or Store(make_engine(paths.database), paths.database)
    try:
        office = home_office(store)
        with store.read() as session:
            enrolled = meta.get(session, state.CLIENT_ID) is not None
            synced = bool(meta.get(session, state.LAST_SUCCESS))
            url = meta.get(session, state.SERVER_URL)
    except SQLAlchemyError as exc:
        if "no such table" not in str(exc):
            raise
        return SetupState(None, False, False, None, False)  # an empty (new) store file
    finally:
        if own:
            store.close()
    has_demo = (folder_of(paths.data_dir) / INFO_NAME).is_file()
    return SetupState(office.id if office else None, enrolled, synced, url, has_demo)
