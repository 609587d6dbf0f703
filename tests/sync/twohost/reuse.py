"""The single-host sync tests, run through two hosts: a test function imported from tests/sync keeps its body and
its own parametrizations but not its choice of database kind (two hosts share one PostgreSQL), and its fixtures
(``server``, ``proxy``, ``fleet``) resolve to this folder's two-host ``server``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def through_two_hosts(test: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        test(*args, **kwargs)

    marks = getattr(test, "pytestmark", [])
    run.pytestmark = [m for m in marks  # type: ignore[attr-defined]
                      if not (m.name == "parametrize" and m.args and m.args[0] == "server")]
    return run
