"""Readiness checks for ``/health/ready``: each names what it checked and returns None when it is fine, or a short
reason an operator can act on. No office data and no paths in the reasons: the answer is for load balancers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from server.db import Database
from server.files import FileStore
from server.files.folder import FolderStore

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


def file_store_check(files: FileStore) -> Check:
    """The file store takes requests: a folder exists and takes a new file; an object store's bucket answers with
    the configured keys (one try, short timeouts: a load balancer is waiting)."""
    return files.check


def folder_store_check(blob_dir: Path) -> Check:
    """The local file store (``--files PATH``) exists and takes a new file."""
    return FolderStore(blob_dir).check


def run_checks(checks: dict[str, Check]) -> dict[str, str]:
    """Each check's outcome: ``ok`` or its reason."""
    return {name: check() or "ok" for name, check in checks.items()}
