"""The device token in the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service). Where no
keyring backend exists (a bare Linux PC), a file readable only by this user in the data directory, and a
warning that says so."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

import keyring
from keyring.errors import KeyringError, NoKeyringError

log = logging.getLogger(__name__)
SERVICE = "lapor-desk"
FALLBACK_NAME = "device-token"


class TokenStore:
    def __init__(self, data_dir: Path, client_id: str) -> None:
        self.data_dir = data_dir
        self.account = f"device:{client_id}"
        self.fallback_path = data_dir / FALLBACK_NAME

    def save(self, token: str) -> str:
        """Returns where it went: "keyring" or the fallback file's path."""
        try:
            keyring.set_password(SERVICE, self.account, token)
            self.fallback_path.unlink(missing_ok=True)
            return "keyring"
        except (NoKeyringError, KeyringError, RuntimeError) as exc:
            log.warning("no usable OS keyring (%s); storing the device token in a private file",
                        type(exc).__name__)
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.fallback_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(token)
            return str(self.fallback_path)

    def load(self) -> str | None:
        try:
            token = keyring.get_password(SERVICE, self.account)
            if token:
                return token
        except (NoKeyringError, KeyringError, RuntimeError):
            pass
        if self.fallback_path.is_file():
            return self.fallback_path.read_text().strip() or None
        return None

    def delete(self) -> None:
        with contextlib.suppress(NoKeyringError, KeyringError, RuntimeError):
            keyring.delete_password(SERVICE, self.account)
        self.fallback_path.unlink(missing_ok=True)
