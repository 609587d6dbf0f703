"""What the demo adds to LAPOR Desk through the ``lapor_desk.plugins`` entry point: the ``seed-demo`` command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def register_commands(subparsers: Any, t: Callable[[str, str], str]) -> None:
    from demo import cli

    cli.register(subparsers, t)
