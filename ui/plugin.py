"""The desktop program's entry (``lapor-desk``) and its ``lapor_desk.plugins`` entry: the window opens when the
command line holds only options, the command line (app.cli) runs otherwise.

PySide6 is imported only when the window starts, so headless CLI commands never load Qt. The window is launched
from here without looking up the plugins' entry points (importing importlib.metadata and reading every installed
package's metadata takes ~50 ms of a start whose first screen is the log-in form); ``python -m app.cli`` and other
callers of app.cli still find the window through its entry point.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any


def launch_gui(args: Any) -> int:
    from ui.application import run

    return run(args)


def run_program(argv: Sequence[str] | None = None) -> int:
    """``lapor-desk ARGS``: app.cli with this module's window (looked up when called, so a caller may wrap it)."""
    from app.cli import run

    return run(argv, gui=lambda args: launch_gui(args))


def main() -> None:
    from app import collector

    collector.tune()
    sys.exit(run_program())


def register_commands(subparsers: Any, t: Any) -> None:
    """The window's own command: ``selftest`` (ui.selftest; Qt loads only when it runs)."""
    from ui.selftest import cli

    cli.register(subparsers, t)
