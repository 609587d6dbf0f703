"""The ASGI app factory for ``uvicorn --factory server.main:build`` (what ``lapor-server serve`` runs, with one
worker or several): settings come from environment variables that ``serve`` sets before starting uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

from app import collector
from server.app import create_app
from server.db import Database, make_engine
from server.logs import configure_logging
from server.metrics import instrument
from server.settings import Settings

ENV_DB = "LAPOR_SERVER_DB"
ENV_BLOBS = "LAPOR_SERVER_BLOB_DIR"
ENV_FILES = "LAPOR_SERVER_FILES"  # serve --files: a folder path or s3://BUCKET[/PREFIX] (server.files)
ENV_ADMIN_TOKEN = "LAPOR_SERVER_ADMIN_TOKEN"


def settings_from_env() -> Settings:
    defaults = Settings.defaults()
    blob_dir = Path(os.environ.get(ENV_BLOBS, str(defaults.blob_dir)))
    files = os.environ.get(ENV_FILES, "").strip()
    if files and "://" not in files:  # a folder path: the blob directory
        blob_dir, files = Path(files), ""
    return Settings(db_url=os.environ.get(ENV_DB, defaults.db_url), blob_dir=blob_dir, files=files or None,
                    national_admin_token=os.environ.get(ENV_ADMIN_TOKEN) or None)


def build() -> object:
    configure_logging()
    settings = settings_from_env()
    app = instrument(create_app(settings, Database(make_engine(settings.db_url))))
    collector.tune()  # (in each worker: uvicorn builds the application there)
    return app

