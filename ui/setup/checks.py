"""Checks of what a person types on the enrolment page, before anything goes over the network. Each returns a
problem key (the page turns it into a sentence) or None."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

CODE_LENGTH = 12  # e.g. K7QM-4TZP-9WXA: twelve letters and digits, dashes optional


def clean_url(text: str) -> str:
    return text.strip().rstrip("/")


def url_problem(text: str) -> str | None:
    """"empty", "scheme" (no http:// or https://), "host" (no server name) or None."""
    url = clean_url(text)
    if not url:
        return "empty"
    if "://" not in text:
        return "scheme"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port number
    except ValueError:
        return "host"
    if parts.scheme.lower() not in ("http", "https"):
        return "scheme"
    if not parts.hostname or " " in url:
        return "host"
    return None


def code_problem(text: str) -> str | None:
    """"empty", "length" or None."""
    raw = "".join(c for c in text if c.isalnum())
    if not text.strip():
        return "empty"
    if len(raw) != CODE_LENGTH or any(not (c.isalnum() or c in "- ") for c in text.strip()):
        return "length"
    return None


def proxy_problem(text: str) -> str | None:
    """None for an empty or a usable proxy address, else "proxy"."""
    proxy = text.strip()
    if not proxy:
        return None
    parts = urlsplit(proxy)
    return None if parts.scheme.lower() in ("http", "https", "socks5", "socks5h") and parts.hostname else "proxy"


def ca_problem(text: str) -> str | None:
    """None for an empty path or an existing file, else "missing"."""
    path = text.strip()
    return None if not path or Path(path).expanduser().is_file() else "missing"
