"""The one way to change complaints from the window (Anki's CollectionOp): the service call runs on the database
thread, and when it succeeds one change notification says which complaints it changed (views decide whether to
refresh); ``on_done`` runs whatever happened, so a form's busy state always ends; a bug goes to the crash dialog
(ui.tasks). Nothing else in ui/ emits ``complaints_changed``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject

from ui.tasks import Done, Failure, Success, TaskRunner
from ui.workspace import ChangeHub

# What a call changed, from its result: complaint ids; an empty list for "many or unknown"; None for nothing.
Changed = Callable[[Any], Iterable[str] | None]
MANY: list[str] = []


def announce(hub: ChangeHub, ids: Iterable[str] | None) -> None:
    """Say that these complaints changed (``[]``: many or unknown; None: nothing to say)."""
    if ids is not None:
        hub.complaints_changed.emit(list(ids))


def change_complaints(tasks: TaskRunner, hub: ChangeHub, fn: Callable[..., Any], *args: Any, changed: Changed,
                      on_success: Success | None = None, on_failure: Failure | None = None,
                      on_done: Done | None = None, owner: QObject | None = None, **kwargs: Any) -> None:
    """Run ``fn(*args, **kwargs)`` (a service that changes complaints) off the GUI thread; on success announce
    ``changed(result)`` before ``on_success(result)``."""

    def succeeded(result: Any) -> None:
        announce(hub, changed(result))
        if on_success is not None:
            on_success(result)

    tasks.db(fn, *args, on_success=succeeded, on_failure=on_failure, on_done=on_done, owner=owner, **kwargs)


def reload_all(hub: ChangeHub) -> None:
    """Ask every view to read its complaints again (the person pressed Refresh)."""
    announce(hub, MANY)
    hub.conflicts_changed.emit()
