"""Extensions found through the ``lapor_desk.plugins`` entry point: sync adds its CLI commands and the change
capture this way, so app never imports sync (the dependency points from sync to app)."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the window's start reads this module before the data layer is imported (ui.application)
    from sqlalchemy.orm import Session

    from app.capture import ChangeCapture, Mutation
    from app.store.db import Store

log = logging.getLogger(__name__)
GROUP = "lapor_desk.plugins"
GUI_PLUGIN = "ui"  # the entry point's name in pyproject.toml: the window loads it alone (see launch_gui)
_FAILED = object()


@functools.cache
def _entry_points() -> tuple[Any, ...]:
    from importlib.metadata import entry_points  # on first use: importing it takes a while

    return tuple(entry_points(group=GROUP))


@functools.cache
def _plugin(name: str) -> Any:
    """The plugin of the entry point ``name``, loaded once (``_FAILED`` when it cannot be loaded)."""
    for ep in _entry_points():
        if ep.name == name:
            try:
                return ep.load()
            except Exception:  # a broken plugin must not stop the program
                log.exception("plugin %s failed to load", ep.name)
    return _FAILED


def loaded() -> tuple[Any, ...]:
    return tuple(p for p in (_plugin(ep.name) for ep in _entry_points()) if p is not _FAILED)


Translate = Callable[[str, str], str]  # (Indonesian, English) -> the text in the chosen language


def register_commands(subparsers: Any, t: Translate) -> None:
    """The plugins' commands, their help in the language ``t`` picks."""
    for plugin in loaded():
        hook: Callable[[Any, Translate], None] | None = getattr(plugin, "register_commands", None)
        if hook is not None:
            hook(subparsers, t)


def capture_for(store: Store, clock: Callable[[], Any]) -> ChangeCapture:
    """The change capture of the first plugin that wants this store (an enrolled PC), else none."""
    from app.capture import NoCapture

    for plugin in loaded():
        hook = getattr(plugin, "capture_for", None)
        if hook is not None:
            capture = hook(store, clock)
            if capture is not None:
                return capture
    return NoCapture()


class PluginCapture:
    """:func:`capture_for`, looked up when it is first needed: the first change captured, or :meth:`resolve`.

    Finding it loads the plugins (sync brings its wire protocol, a quarter of a second), which the window's start
    need not wait for; the window resolves it in the background once it is up. The answer is the same as at
    start-up: enrolment happens before (the set-up wizard), and a sync sets its own capture on the context.
    """

    def __init__(self, store: Store, clock: Callable[[], Any]) -> None:
        self._store = store
        self._clock = clock
        self._found: ChangeCapture | None = None
        self._lock = threading.Lock()

    def resolve(self) -> ChangeCapture:
        with self._lock:
            if self._found is None:
                self._found = capture_for(self._store, self._clock)
            return self._found

    def capture(self, session: Session, mutation: Mutation) -> None:
        self.resolve().capture(session, mutation)


def launch_gui(args: Any) -> int | None:
    """Start the desktop window (the ui plugin); None when no window is installed. The window's plugin is tried
    first and alone: the others (sync brings its wire protocol) load when first used, once the window is up."""
    names = sorted((ep.name for ep in _entry_points()), key=lambda name: name != GUI_PLUGIN)
    for name in names:
        hook = getattr(_plugin(name), "launch_gui", None)
        if hook is not None:
            return int(hook(args))
    return None
