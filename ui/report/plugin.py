"""What the monthly report adds to ``lapor-desk`` through the ``lapor_desk.plugins`` entry point: the ``report``
command. Registering it loads no Qt; writing the PDF does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def register_commands(subparsers: Any, t: Callable[[str, str], str]) -> None:
    from ui.report import cli

    cli.register(subparsers, t)
