"""This store's own facts (home office, device number, next tracking sequence), kept in ``store_meta``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import StoreMeta

HOME_OFFICE = "home_office_id"
DEVICE_NO = "device_no"
DEVICE_LABEL = "device_label"
TRACKING_SEQ = "tracking_seq"
DEMO = "demo"
REFERENCE_DATA = "reference_data"  # the stamp of the bundled data last installed (app.bootstrap)


def get(session: Session, key: str, default: str | None = None) -> str | None:
    value = session.execute(select(StoreMeta.value).where(StoreMeta.key == key)).scalar()
    return default if value is None else value


def put(session: Session, key: str, value: str) -> None:
    row = session.get(StoreMeta, key)
    if row is None:
        session.add(StoreMeta(key=key, value=value))
    else:
        row.value = value
