"""Which status page the papers point citizens to (no Qt: the CLI reads it before any painting)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.read.receipt import STATUS_PAGE_KEY
from app.store import meta
from sync import state


def configured_status_url(session: Session) -> str | None:
    """The address IT set for this PC with ``lapor-desk status-page URL`` (None if not set)."""
    configured = (meta.get(session, STATUS_PAGE_KEY) or "").strip()
    return configured.rstrip("/") or None


def status_base_url(session: Session) -> str | None:
    """The status page's base address: the one IT set for this PC, else the national server this PC is enrolled
    with (the server serves ``/cek``); None when neither is known (the paper then says to ask at the counter)."""
    configured = configured_status_url(session)
    if configured:
        return configured
    enrolled = (meta.get(session, state.SERVER_URL) or "").strip()
    return enrolled.rstrip("/") or None
