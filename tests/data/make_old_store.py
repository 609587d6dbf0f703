"""Make tests/data/store-rev0001.sqlite3: a real store at schema revision 0001 (before full-text search) holding a
few synthetic complaints, written with plain SQL the way LAPOR Desk 0001 stored them; and store-rev0004.sqlite3, the
same store brought to revision 0004 by the shipped migrations (what every PC had before offices had contact details).

The committed files are what old PCs have on disk (apart from their journal mode, see below); tests open copies.
Regenerate only if a file is lost (the point is that it stays as its revision wrote it):

    .venv/bin/python -m tests.data.make_old_store [--revision 0004] [OUTPUT]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, text

from app.models import AuditRecord
from app.rules import tracking
from app.security import hash_password
from app.store.audit import GENESIS, record_hash
from app.store.db import make_engine, migrate

DATA = Path(__file__).resolve().parent
REVISIONS = ("0001", "0004")
DEFAULT_OUTPUT = DATA / "store-rev0001.sqlite3"


def committed_file(revision: str) -> Path:
    return DATA / f"store-rev{revision}.sqlite3"

OFFICE_ID = "0190a000-0000-7000-8000-000000000001"
UNIT_ID = "0190a000-0000-7000-8000-000000000002"
USER_ID = "0190a000-0000-7000-8000-000000000003"
USERNAME = "petugas.lama"
PASSWORD = "Rahasia123"
DEVICE_NO = 7
REGION4 = "3404"

# (id, title, description, reporter (name, anonymous) or None, follow-up text or None)
COMPLAINTS = [
    (
        "0190a000-0000-7000-8000-000000000101",
        "Lampu penerangan jalan padam di Jalan Kaliurang",
        "Lampu penerangan jalan umum di Jalan Kaliurang km 9 padam sejak dua minggu lalu.",
        ("Siti Rahmawati", False),
        None,
    ),
    (
        "0190a000-0000-7000-8000-000000000102",
        "Sampah menumpuk di depan Pasar Godean",
        "Tumpukan sampah di depan Pasar Godean belum diangkut selama seminggu dan berbau menyengat.",
        ("Bambang Wicaksono", True),
        None,
    ),
    (
        "0190a000-0000-7000-8000-000000000103",
        "Antrean panjang layanan KTP di kecamatan",
        "Pelayanan perekaman KTP elektronik di kantor kecamatan hanya buka dua jam setiap hari.",
        None,
        "Jam layanan perekaman diperpanjang menjadi pukul delapan sampai lima belas.",
    ),
]

DUE_SORT_FREE = "9999-12-31"


def _ts(dt: datetime) -> str:
    """DateTime as SQLAlchemy stores it on SQLite (naive UTC)."""
    return dt.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _audit(conn: Connection, prev: str, at: datetime, action: str, entity_type: str, entity_id: str,
           details: dict[str, str]) -> str:
    details_json = json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    rec = AuditRecord(at=at, user_id=USER_ID, device="pc-lama", action=action, entity_type=entity_type,
                      entity_id=entity_id, details_json=details_json, prev_hash=prev)
    digest = record_hash(prev, rec)
    conn.execute(
        text("INSERT INTO audit_log (at, user_id, device, action, entity_type, entity_id, details_json,"
             " prev_hash, hash) VALUES (:at, :u, 'pc-lama', :a, :et, :eid, :d, :p, :h)"),
        {"at": _ts(at), "u": USER_ID, "a": action, "et": entity_type, "eid": entity_id, "d": details_json,
         "p": prev, "h": digest},
    )
    return digest


def fill(conn: Connection) -> None:
    created = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
    conn.execute(text("INSERT INTO offices (id, region_code, name, tz, server_version)"
                      " VALUES (:id, '34.04', 'Pemerintah Kabupaten Sleman', 'Asia/Jakarta', 0)"), {"id": OFFICE_ID})
    conn.execute(text("INSERT INTO units (id, office_id, name, active, server_version)"
                      " VALUES (:id, :o, 'Dinas Pekerjaan Umum', 1, 0)"), {"id": UNIT_ID, "o": OFFICE_ID})
    conn.execute(
        text("INSERT INTO users (id, office_id, unit_id, username, full_name, role, password_hash, active,"
             " failed_logins, locked_until, password_changed_at, server_version)"
             " VALUES (:id, :o, NULL, :u, 'Petugas Loket Lama', 'PETUGAS_LOKET', :h, 1, 0, NULL, :t, 0)"),
        {"id": USER_ID, "o": OFFICE_ID, "u": USERNAME, "h": hash_password(PASSWORD), "t": _ts(created)},
    )
    for key, value in (("home_office_id", OFFICE_ID), ("device_no", str(DEVICE_NO)),
                       ("tracking_seq", str(len(COMPLAINTS)))):
        conn.execute(text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"), {"k": key, "v": value})
    prev = _audit(conn, GENESIS, created, "user.add", "user", USER_ID,
                  {"role": "PETUGAS_LOKET", "username": USERNAME})
    for seq, (cid, title, description, reporter, follow_up) in enumerate(COMPLAINTS, start=1):
        at = created.replace(hour=2 + seq)
        reporter_id = None
        anonymous = False
        if reporter is not None:
            name, anonymous = reporter
            reporter_id = cid[:-3] + f"{seq + 200:03d}"
            conn.execute(text("INSERT INTO reporters (id, name, phone, consent_at)"
                              " VALUES (:id, :n, '+6281234567890', :t)"),
                         {"id": reporter_id, "n": name, "t": _ts(at)})
        code = tracking.make_code(REGION4, DEVICE_NO, seq)
        status = "DIDISPOSISIKAN" if follow_up else "BELUM_TERVERIFIKASI"
        conn.execute(
            text("INSERT INTO complaints (id, office_id, tracking_code, classification, title, description,"
                 " channel, is_anonymous, is_confidential, is_supervisory, reporter_id, unit_id, status,"
                 " received_at, updated_at, created_by, server_version, local_rev)"
                 " VALUES (:id, :o, :code, 'PENGADUAN', :title, :d, 'WALK_IN', :anon, 0, 0, :r, :unit,"
                 " :status, :at, :at, :u, 0, 1)"),
            {"id": cid, "o": OFFICE_ID, "code": code, "title": title, "d": description, "anon": anonymous,
             "r": reporter_id, "unit": UNIT_ID if follow_up else None, "status": status, "at": _ts(at),
             "u": USER_ID},
        )
        conn.execute(
            text("INSERT INTO timeline_events (id, complaint_id, kind, at, actor_user_id, to_status, data_json)"
                 " VALUES (:id, :c, 'RECEIVED', :at, :u, 'BELUM_TERVERIFIKASI', '{\"channel\":\"WALK_IN\"}')"),
            {"id": cid[:-3] + f"{seq + 300:03d}", "c": cid, "at": _ts(at), "u": USER_ID},
        )
        if follow_up:
            conn.execute(
                text("INSERT INTO timeline_events (id, complaint_id, kind, at, actor_user_id, text)"
                     " VALUES (:id, :c, 'FOLLOW_UP', :at, :u, :t)"),
                {"id": cid[:-3] + f"{seq + 400:03d}", "c": cid, "at": _ts(at.replace(minute=30)), "u": USER_ID,
                 "t": follow_up},
            )
        prev = _audit(conn, prev, at, "complaint.intake", "complaint", cid,
                      {"channel": "WALK_IN", "tracking_code": code})


def make_old_store(output: Path, revision: str = "0001") -> Path:
    """The store as revision 0001 wrote it, then (``revision`` later than 0001) migrated to ``revision`` as a PC
    that was updated step by step would have it."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(output) + suffix).unlink(missing_ok=True)
    engine = make_engine(output)
    try:
        migrate(engine, "0001")
        with engine.begin() as conn:
            fill(conn)
        if revision != "0001":
            migrate(engine, revision)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    # Leave the file in rollback-journal mode: one self-contained file, and reading the committed copy (even
    # read-only) never creates -wal/-shm files next to it. The store turns WAL back on when it opens a copy.
    conn = sqlite3.connect(output, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("VACUUM")
    finally:
        conn.close()
    leftovers = [s for s in ("-wal", "-shm") if Path(str(output) + s).exists()]
    if leftovers:
        raise RuntimeError(f"WAL files left next to {output}: {leftovers}")
    return output


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Make a store file of an old schema revision.")
    parser.add_argument("--revision", choices=REVISIONS, default="0001")
    parser.add_argument("output", nargs="?", type=Path)
    args = parser.parse_args(argv)
    print(make_old_store(args.output or committed_file(args.revision), args.revision))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
