"""This store's own facts (home office, device number, next tracking sequence), kept in ``store_meta``."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.store.transactions import sql_cursor

HOME_OFFICE = "home_office_id"
DEVICE_NO = "device_no"
DEVICE_LABEL = "device_label"
TRACKING_SEQ = "tracking_seq"
DEMO = "demo"
REFERENCE_DATA = "reference_data"  # the stamp of the bundled data last installed (app.bootstrap)


def get(session: Session, key: str, default: str | None = None) -> str | None:
    # Prebuilt SQL (app.store.transactions.sql_cursor): read many times per sync page, and an ORM select costs
    # several times what SQLite takes to answer it.
    row = sql_cursor(session).first('SELECT value FROM store_meta WHERE "key" = ?', (key,))
    return default if row is None or row[0] is None else row[0]


def put(session: Session, key: str, value: str) -> None:
    # Prebuilt too: a sync writes its cursor and the server's era and clock with every page and every push answer.
    sql_cursor(session).run('INSERT INTO store_meta ("key", value) VALUES (?, ?) '
                            'ON CONFLICT ("key") DO UPDATE SET value = excluded.value', (key, value))
