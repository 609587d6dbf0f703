"""Typed errors of the core, each carrying a message a person can act on in Indonesian and English.

Services raise these; the CLI and the UI show ``str(err)`` (Indonesian) or ``err.message.en``.
Anything else that escapes a service is a bug.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """A text shown to a person, in Indonesian (the product's main language) and English."""

    id: str
    en: str

    def text(self, lang: str = "id") -> str:
        return self.en if lang.startswith("en") else self.id

    def __str__(self) -> str:
        return self.id


class LaporError(Exception):
    """Base of every error a person is meant to read."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.id)
        self.message = message

    def text(self, lang: str = "id") -> str:
        return self.message.text(lang)


class ValidationError(LaporError):
    """Bad input: ``fields`` maps each offending field name to its message."""

    def __init__(self, fields: Mapping[str, Message]) -> None:
        self.fields: dict[str, Message] = dict(fields)
        joined_id = "; ".join(f"{k}: {v.id}" for k, v in self.fields.items())
        joined_en = "; ".join(f"{k}: {v.en}" for k, v in self.fields.items())
        super().__init__(Message(f"Data tidak valid — {joined_id}", f"Invalid input — {joined_en}"))


class PermissionDenied(LaporError):
    """The acting user's role may not do this."""


class InvalidTransition(LaporError):
    """The workflow does not allow this status change from the complaint's current status."""


class NotFound(LaporError):
    """No such record (or not visible to this user)."""


class OutOfScope(NotFound, PermissionDenied):
    """A complaint of the office that this user's role may not open or act on (app.rules.scope): not found for
    the lists, refused for the services, with a message saying why."""


class ConflictAlreadyResolved(LaporError):
    """A sync conflict was already decided on this PC."""


class MistypedCode(LaporError):
    """A tracking code whose check digit does not match: a typing error, not an unknown complaint."""


class AccountLocked(LaporError):
    """Too many failed log-ins; the account is locked for a while."""


class AuthenticationFailed(LaporError):
    """Wrong user name or password (deliberately not saying which)."""


class StoreError(LaporError):
    """The local database cannot be used (corrupt, unreadable, newer schema, disk full)."""


class StoreCorrupt(StoreError):
    """The database file is damaged or not a database; it is never overwritten."""


class StoreTooNew(StoreError):
    """The database was written by a newer LAPOR Desk than this one."""


def msg(id_text: str, en_text: str) -> Message:
    return Message(id_text, en_text)


_OS_REASONS = {
    errno.EACCES: ("izin ditolak", "permission denied"),
    errno.EPERM: ("izin ditolak", "permission denied"),
    errno.EROFS: ("disk hanya dapat dibaca", "the disk is read-only"),
    errno.ENOSPC: ("disk penuh", "the disk is full"),
    errno.ENOENT: ("tidak ada", "does not exist"),
    errno.ENOTDIR: ("sebagian jalurnya bukan folder", "part of the path is not a folder"),
    errno.EISDIR: ("itu sebuah folder", "it is a folder"),
}


def reason_of(exc: BaseException) -> Message:
    """Why a file operation failed, in both languages (the system says it in one); other errors in their own
    words (SQLite's, for example, which IT can look up)."""
    known = _OS_REASONS.get(exc.errno or 0) if isinstance(exc, OSError) else None
    if known is not None:
        return Message(*known)
    text = (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__
    return Message(text, text)
