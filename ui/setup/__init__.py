"""First start of a PC: the setup wizard (enrol with the national server, or try the demo with a local national
server), and on later launches of a demo PC, its demo server started again.

The shell calls :func:`needs_setup` before log-in; when true it shows :class:`SetupWizard`. On every launch it
calls :func:`start_demo_server_if_needed` (None on a real PC) and keeps the returned server until exit.

Importing this package is cheap: the wizard, its jobs (the sync engine) and the demo server load when first
used, so a PC that is already set up never loads them at start-up.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from app.config import Paths
from app.store.db import Store, make_engine
from ui.settings import DEMO_MODE, Settings
from ui.setup.state import SetupState, read_state

if TYPE_CHECKING:
    from ui.setup.demo_server import DemoServer, DemoServerError
    from ui.setup.jobs import SetupResult
    from ui.setup.wizard import SetupWizard

__all__ = ["DemoServer", "DemoServerError", "SetupResult", "SetupState", "SetupWizard", "needs_setup",
           "start_demo_server_if_needed"]

log = logging.getLogger(__name__)
RESTART_WAIT = 3.0  # seconds to wait for the demo server's /health on a later launch (sync retries anyway)
_LAZY = {"DemoServer": "ui.setup.demo_server", "DemoServerError": "ui.setup.demo_server",
         "SetupResult": "ui.setup.jobs", "SetupWizard": "ui.setup.wizard"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def needs_setup(paths: Paths, settings: Settings, store: Store | None = None) -> bool:
    """True on a fresh PC (no home office), and when an enrolment still waits for its first sync to finish
    (the wizard then resumes it). Reads the store file lightly (no migration); pass ``store`` if it is open."""
    del settings  # the answer lives in the store; the parameter keeps the shell's call uniform
    try:
        return read_state(paths, store).needs_setup
    except SQLAlchemyError:
        log.warning("the store could not be read to decide on setup; opening it will explain why", exc_info=True)
        return False  # a damaged or locked file: the normal opening of the store reports it (and the backups)


def start_demo_server_if_needed(paths: Paths, settings: Settings, store: Store | None = None, *,
                                wait: float = RESTART_WAIT) -> DemoServer | None:
    """On a demo PC, the local demo server running again (same data, same port when free; a new port is written
    to the store's server address). Waits at most ``wait`` seconds for it to answer. None on other PCs, and for
    a demo without a server (the local-only fallback)."""
    if not settings.get(DEMO_MODE):
        return None
    from ui.setup.jobs import start_for_store

    own = store is None
    if store is None:
        if not paths.database.exists():
            return None
        store = Store(make_engine(paths.database), paths.database)
    try:
        return start_for_store(paths, store, wait=wait)
    finally:
        if own:
            store.close()
