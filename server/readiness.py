"""Readiness checks for ``/health/ready``: each names what it checked and returns None when it is fine, or a short
reason an operator can act on. No office data and no paths in the reasons: the answer is for load balancers."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from server.db import Database

log = logging.getLogger("lapor.server")

Check = Callable[[], str | None]


def database_check(db: Database) -> Check:
    """The database answers a cheap query (``SELECT 1``) on a pooled connection."""

    def check() -> str | None:
        try:
            db.ping()
        except SQLAlchemyError as exc:
            log.warning("readiness: database unreachable: %s", type(exc).__name__)
            return "unreachable"
        return None

    return check


def folder_store_check(blob_dir: Path) -> Check:
    """The local file store (``--blob-dir``) exists and takes a new file. An object store adds its own check."""

    def check() -> str | None:
        if not blob_dir.is_dir():
            return "missing"
        try:
            with tempfile.TemporaryFile(dir=blob_dir, prefix=".ready-"):
                pass
        except OSError as exc:
            log.warning("readiness: file store not writable: %s", type(exc).__name__)
            return "not_writable"
        return None

    return check


def run_checks(checks: dict[str, Check]) -> dict[str, str]:
    """Each check's outcome: ``ok`` or its reason."""
    return {name: check() or "ok" for name, check in checks.items()}
