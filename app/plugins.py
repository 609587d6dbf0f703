"""Extensions found through the ``lapor_desk.plugins`` entry point: sync adds its CLI commands and the change
capture this way, so app never imports sync (the dependency points from sync to app)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from app.capture import ChangeCapture, NoCapture
from app.db import Store

log = logging.getLogger(__name__)
GROUP = "lapor_desk.plugins"


@functools.cache
def loaded() -> tuple[Any, ...]:
    plugins = []
    for ep in entry_points(group=GROUP):
        try:
            plugins.append(ep.load())
        except Exception:  # a broken plugin must not stop the program
            log.exception("plugin %s failed to load", ep.name)
    return tuple(plugins)


def register_commands(subparsers: Any) -> None:
    for plugin in loaded():
        hook: Callable[[Any], None] | None = getattr(plugin, "register_commands", None)
        if hook is not None:
            hook(subparsers)


def capture_for(store: Store, clock: Callable[[], Any]) -> ChangeCapture:
    """The change capture of the first plugin that wants this store (an enrolled PC), else none."""
    for plugin in loaded():
        hook = getattr(plugin, "capture_for", None)
        if hook is not None:
            capture = hook(store, clock)
            if capture is not None:
                return capture
    return NoCapture()


def launch_gui(args: Any) -> int | None:
    """Start the desktop window (the ui plugin); None when no window is installed."""
    for plugin in loaded():
        hook = getattr(plugin, "launch_gui", None)
        if hook is not None:
            return int(hook(args))
    return None
