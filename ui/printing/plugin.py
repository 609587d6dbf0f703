"""What printing adds to ``lapor-desk`` through the ``lapor_desk.plugins`` entry point: the ``receipt``,
``status-letter`` and ``status-page`` commands. Registering them loads no Qt; a paper's command loads it when run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def register_commands(subparsers: Any, t: Callable[[str, str], str]) -> None:
    from ui.printing import cli

    cli.register(subparsers, t)
