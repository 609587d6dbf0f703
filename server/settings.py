"""Server settings: from the command line, with defaults that run on one machine with nothing installed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8470


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("lapor-server", "LAPOR Desk"))


def default_db_url() -> str:
    return f"sqlite:///{default_data_dir() / 'lapor-server.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    db_url: str
    blob_dir: Path  # attachment files when ``files`` is None: a folder on this host
    # Attachment files elsewhere (server.files): s3://BUCKET[/PREFIX] (endpoint and keys from LAPOR_S3_*), or a
    # folder path. None: ``blob_dir``.
    files: str | None = None
    max_body_bytes: int = 8 * 1024 * 1024  # after decompression
    max_blob_bytes: int = 25 * 1024 * 1024
    rate_limit_per_minute: int = 600  # sync requests per device token
    # File downloads per device, in bytes: a first sync may fetch gigabytes at once, then 512 MiB a minute.
    download_bytes_per_minute: int = 512 * 1024 * 1024
    download_burst_bytes: int = 4 * 1024 * 1024 * 1024
    # Files a PC uploaded that no attachment of its office refers to: at most this much per PC, kept this long.
    max_unreferenced_bytes: int = 200 * 1024 * 1024
    unreferenced_grace_hours: int = 7 * 24
    national_admin_token: str | None = None  # for /api/v1/national/*; hashed comparison

    @staticmethod
    def defaults() -> Settings:
        return Settings(db_url=default_db_url(), blob_dir=default_data_dir() / "blobs")
