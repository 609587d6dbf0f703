"""What the window's start does before the log-in can succeed, off the GUI thread: open the store (or say why it
cannot be opened), ask whether the first-start wizard is needed, look up the account the log-in remembers, and
import the main window's packages. ui.application runs these steps; this module holds no Qt object.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.config import Paths
from app.errors import Message, StoreError
from ui.settings import Settings
from ui.tasks import is_known_error, known_error_message

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from app.services.users import UserInfo
    from app.store.db import Store

log = logging.getLogger(__name__)

# The main window and its feature packages (Features.real), imported while the log-in waits for the person.
WINDOW_PACKAGES = ("app.read.queries", "ui.main_window", "ui.complaints", "ui.detail", "ui.sync")


@dataclass
class SetupHooks:
    """The first-start wizard and the demo's local server (ui.setup), replaceable in tests."""

    needs_setup: Callable[[Paths, Settings, Store], bool]
    wizard: Callable[..., QDialog]
    start_demo_server: Callable[[Paths, Settings], Any]

    @classmethod
    def real(cls) -> SetupHooks:
        from ui import setup  # cheap: the wizard itself is imported only when it is shown

        return cls(setup.needs_setup, _setup_wizard, setup.start_demo_server_if_needed)


def _setup_wizard(paths: Paths, settings: Settings) -> QDialog:
    from ui.setup.wizard import SetupWizard

    return SetupWizard(paths, settings)


def open_store_or_message(paths: Paths) -> Store | Message:
    """Open the store; a damaged, too new or unusable file gives the message saying what to do."""
    from app.store.db import open_store
    from app.store.restore import apply_pending

    try:
        if restored := apply_pending(paths):  # asked for in the administration area before the restart
            log.info("database restored from the backup %s before opening", restored.name)
        # Every page is read in the background once the window is up (check_integrity), not before it opens.
        return open_store(paths.database, backup_dir=paths.backups, quick_check=False)
    except StoreError as exc:
        log.error("store cannot be opened: %s", type(exc).__name__)
        return exc.message
    except OSError as exc:
        if not is_known_error(exc):
            raise
        log.error("store cannot be opened: errno %s", exc.errno)
        return known_error_message(exc)


@dataclass
class Opening:
    """What the database thread found while the log-in form waited (:func:`open_for_log_in`)."""

    store: Store | None = None
    problem: Message | None = None  # the store cannot be used; the message says what to do
    needs_setup: bool = False  # a store without an office (an enrolment whose first sync did not finish)
    error: BaseException | None = None  # a bug, raised again on the GUI thread
    remembered: UserInfo | None = None  # the active account of the name the log-in remembers

    @property
    def usable(self) -> bool:
        return self.store is not None and not self.needs_setup and self.problem is None and self.error is None


def open_for_log_in(opening: Opening, paths: Paths, settings: Settings, setup: SetupHooks | None,
                    remembered: str = "") -> Opening:
    """Database thread, while the log-in form waits: import the data layer, open the store, ask whether the
    set-up wizard is needed, look up the account named ``remembered``. Fills in ``opening`` as it goes (shut-down
    closes a store opened after the person quit) and never raises: a bug comes back in ``error``."""
    try:
        result = open_store_or_message(paths)
        if isinstance(result, Message):
            opening.problem = result
            return opening
        opening.store = result
        setup = setup or SetupHooks.real()
        opening.needs_setup = setup.needs_setup(paths, settings, result)
        if not opening.needs_setup:
            from app.services.users import active_user

            opening.remembered = active_user(result, remembered)
    except Exception as exc:  # noqa: BLE001 - given to the GUI thread, which raises it
        opening.error = exc
    return opening


def preload(packages: tuple[str, ...]) -> None:
    """Import ``packages`` (on the network pool, while the person types: the password check on the database thread
    need not wait for it). A failure is left for the real import to raise."""
    for name in packages:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - raised again where the package is really used
            log.warning("preloading %s failed", name, exc_info=True)
            return
