"""No OS keyring in tests: device tokens go to the private fallback file, never to the real keyring of whoever runs
the suite."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import keyring
from keyring.backends import fail


@contextlib.contextmanager
def no_os_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)
