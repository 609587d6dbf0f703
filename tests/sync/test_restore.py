"""A server restored from an older backup: its database goes back in time (changes and files pushed after the backup
are gone), the national admin rotates the era (``lapor-server admin rotate-era``), and the PCs re-push what they kept
and download again. Nothing a PC holds is discarded; afterwards every PC equals the server again."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain import EventKind, Status
from server import models as srv
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.conftest import BACKENDS, new_server
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import Fleet
from tests.sync.serverproc import BIN, ServerProcess


@pytest.fixture(params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of this test's own: it is stopped, rolled back and started again."""
    proc = new_server(request, request.param, tmp_path / "server").start()
    yield proc
    proc.stop()
    proc.close_db()


def take_backup(server: ServerProcess, request: pytest.FixtureRequest) -> str:
    """A consistent copy of the live database; returns its URL."""
    if server.kind == "sqlite":
        live = server.db_url.removeprefix("sqlite:///")
        copy = live + ".backup"
        with sqlite3.connect(live) as src, sqlite3.connect(copy) as dst:
            src.backup(dst)
        return f"sqlite:///{copy}"
    import psycopg

    pg = request.getfixturevalue("postgres_server")
    server.stop()  # CREATE DATABASE ... TEMPLATE needs the source without connections
    server.close_db()
    name = server.db_url.rsplit("/", 1)[1]
    with psycopg.connect(f"host=127.0.0.1 port={pg.port} user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}_backup" TEMPLATE "{name}"')
    server.start()
    return f"{server.db_url}_backup"


def restore(server: ServerProcess, backup_url: str) -> None:
    """Stop the server, put the backup in place, rotate the era with the CLI, start again."""
    server.stop()
    server.close_db()
    if server.kind == "sqlite":
        live = Path(server.db_url.removeprefix("sqlite:///"))
        for suffix in ("-wal", "-shm"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        os.replace(backup_url.removeprefix("sqlite:///"), live)
    else:
        server.db_url = backup_url
    done = subprocess.run([str(BIN / "lapor-server"), "admin", "rotate-era", "--db", server.db_url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    server.start()


def test_restored_server_gets_everything_back(fleet: Fleet, proxy: FaultProxy, server: ServerProcess,
                                              request: pytest.FixtureRequest, tmp_path: Path) -> None:
    office = fleet.office()
    a, b = fleet.pc(office), fleet.pc(office)
    old = a.intake(1)
    a.dispose(old)
    a.sync()
    b.sync()

    backup = take_backup(server, request)

    # After the backup: more work from both PCs, pushed, and pulled by the other.
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(os.urandom(40_000))
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    a.note(old, "Tim sudah ke lokasi")
    a.attach(old, photo)
    a.follow_up(old)
    newer = a.intake(2)
    b_new = b.intake(3)
    b.dispose(b_new)
    a.sync()
    b.sync()
    a.sync()
    kept_a, kept_b = a.digest(), b.digest()
    assert kept_a == kept_b

    restore(server, backup)
    (server.blob_dir / sha[:2] / sha).unlink()  # the files store went back in time too
    proxy.retarget(server.url)
    with server.db.transaction() as s:
        assert s.get(srv.Complaint, newer) is None  # the restored server really lost the later work

    report = a.sync()
    assert report.era_changed
    assert b.sync().era_changed
    a.sync()
    b.sync()

    for pc, kept in ((a, kept_a), (b, kept_b)):
        now = pc.digest()
        assert kept.complaints.keys() <= now.complaints.keys()  # nothing local discarded
        assert kept.events.keys() <= now.events.keys()
        assert kept.attachments.keys() <= now.attachments.keys()
        assert_outbox_settled(pc)
        pc.assert_converged()
    assert_no_duplicates(server.db, office.id)
    with server.db.transaction() as s:
        c = s.get(srv.Complaint, old)
        assert c is not None and c.status == Status.DITINDAKLANJUTI
        assert s.get(srv.Complaint, newer) is not None and s.get(srv.Complaint, b_new) is not None
        kinds = sorted(s.execute(select(srv.TimelineEvent.kind).where(srv.TimelineEvent.complaint_id == old)
                                 ).scalars())
        assert kinds == sorted([EventKind.RECEIVED, EventKind.DISPOSED, EventKind.NOTE, EventKind.ATTACHMENT_ADDED,
                                EventKind.FOLLOW_UP])
        blob = s.get(srv.Blob, sha)
        assert blob is not None and blob.complete
    assert (server.blob_dir / sha[:2] / sha).read_bytes() == photo.read_bytes()
