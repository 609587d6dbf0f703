"""The ``lapor_desk.plugins`` entry of the desktop window: ``lapor-desk`` without a command opens it.

PySide6 is imported only when the window starts, so headless CLI commands never load Qt."""

from __future__ import annotations

from typing import Any


def launch_gui(args: Any) -> int:
    from ui.application import run

    return run(args)
