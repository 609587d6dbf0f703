"""``lapor-server serve`` as IT runs it: a real process with one and with two workers answers on loopback."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.helpers.live_server import answers
from tests.helpers.postgres import free_port


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_with_one_and_two_workers(tmp_path: Path, workers: int) -> None:
    port = free_port()
    _cli("migrate", "--db", f"sqlite:///{tmp_path / 'server.sqlite3'}")
    cmd = [sys.executable, "-c", "from server.cli import main; main()", "serve", "--db",
           f"sqlite:///{tmp_path / 'server.sqlite3'}", "--blob-dir", str(tmp_path / "blobs"), "--port", str(port),
           "--workers", str(workers)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        answers: list[dict[str, str]] = []
        while time.monotonic() < deadline and len(answers) < 3:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else "server exited"
            try:
                answers.append(requests.get(f"http://127.0.0.1:{port}/health", timeout=2).json())
            except requests.ConnectionError:
                time.sleep(0.3)
        assert answers and all(a == {"status": "ok", "database": "sqlite"} for a in answers)
        version = requests.get(f"http://127.0.0.1:{port}/version", timeout=5).json()
        assert version["app"] == "lapor-server" and version["era"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _cli(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", "from server.cli import main; main()", *args], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_request_in_flight_finishes_after_sigterm(request: pytest.FixtureRequest, tmp_path: Path, kind: str,
                                                      workers: int) -> None:
    """A PC's enrolment whose body is still arriving when the server is told to stop gets its whole answer, and the
    server then exits 0: a deploy does not cut requests off."""
    db = (f"sqlite:///{tmp_path / 'server.sqlite3'}" if kind == "sqlite"
          else request.getfixturevalue("postgres_server").create_database())
    _cli("migrate", "--db", db)
    _cli("admin", "create-office", "--db", db, "--region", "34.04", "--name", "Kabupaten Sleman", "--tz", "WIB")
    code = _cli("admin", "enroll", "--db", db, "--office", "34.04").strip()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from server.cli import main; main()", "serve", "--db", db,
                             "--blob-dir", str(tmp_path / "blobs"), "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not answers(f"http://127.0.0.1:{port}/health/live"):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.2)
        body = json.dumps({"code": code, "device_name": "PC loket 1"}).encode()
        log: list[str] = []
        shutting_down = threading.Event()

        def read_log() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                log.append(line)
                if sum("Shutting down" in seen for seen in log) >= workers:  # uvicorn's line, one per worker
                    shutting_down.set()

        threading.Thread(target=read_log, daemon=True).start()
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock, sock.makefile("rb") as reply:
            # The head first, asking to be told when to send the body: uvicorn says "100 Continue" once the
            # application reads the body, so the request has begun before the server is told to stop (a
            # connection with no request begun yet is one a stopping server may close).
            sock.sendall(f"POST /api/v1/enroll HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                         f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                         "Expect: 100-continue\r\nConnection: close\r\n\r\n".encode())
            assert reply.readline().startswith(b"HTTP/1.1 100 ") and reply.readline() == b"\r\n"
            proc.send_signal(signal.SIGTERM)
            assert shutting_down.wait(timeout=30), "".join(log)
            sock.sendall(body)
            head, _, answer = reply.read().partition(b"\r\n\r\n")  # (the server closes once it has answered)
        assert head.startswith(b"HTTP/1.1 200 "), head + answer
        enrolled = json.loads(answer)
        assert enrolled["office"]["region_code"] == "34.04" and enrolled["token"]
        assert proc.wait(timeout=60) == 0, "".join(log)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_serve_refuses_a_database_that_needs_migrating(request: pytest.FixtureRequest, tmp_path: Path, kind: str,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Migrating is its own step: serve on an empty database or one a revision behind says to run migrate, and
    starts nothing (in-process, with uvicorn replaced: a start that should not happen would not bind a port)."""
    import uvicorn

    from server import cli
    from server.db import alembic_config, make_engine, migrate
    from server.schema_check import schema_behind

    db = (f"sqlite:///{tmp_path / 'server.sqlite3'}" if kind == "sqlite"
          else request.getfixturevalue("postgres_server").create_database())
    started: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: started.append(app))
    serve = ["serve", "--db", db, "--blob-dir", str(tmp_path / "blobs")]
    assert cli.run(serve) == 1
    assert "lapor-server migrate" in capsys.readouterr().err
    if kind == "sqlite":
        assert not (tmp_path / "server.sqlite3").exists()  # not made empty by the refusal
    engine = make_engine(db)
    try:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(alembic_config()).get_revision("head")
        assert head is not None and isinstance(head.down_revision, str)
        migrate(engine, head.down_revision)
        assert schema_behind(engine) == (head.down_revision, head.revision)
        assert cli.run(serve) == 1
        err = capsys.readouterr().err
        assert "Jalankan lapor-server migrate dulu" in err and head.down_revision in err
        assert started == []
        assert cli.run(["migrate", "--db", db]) == 0  # after which serve starts (the tests above run it so)
        assert schema_behind(engine) is None
    finally:
        engine.dispose()


def test_serve_on_a_database_a_newer_version_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """An old host started again in the middle of a rolling upgrade: it says a newer version migrated the database
    (not "run migrate", which could not help), and starts when the operator allows it."""
    import logging.config
    import sqlite3

    import uvicorn

    from server import cli, main

    db_file = tmp_path / "server.sqlite3"
    assert cli.run(["migrate", "--db", f"sqlite:///{db_file}"]) == 0
    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 's9999'")
    started: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: started.append(app))
    # What a start changes in this process (the log's configuration, the workers' environment) is put back after.
    monkeypatch.setattr(logging.config, "dictConfig", lambda _config: None)
    for name in (main.ENV_DB, main.ENV_FILES, main.ENV_BLOBS, main.ENV_ADMIN_TOKEN):
        monkeypatch.delenv(name, raising=False)
    serve = ["serve", "--db", f"sqlite:///{db_file}", "--files", str(tmp_path / "files")]
    assert cli.run(serve) == 1
    err = capsys.readouterr().err
    assert "s9999" in err and "newer" in err and "lapor-server migrate" not in err and started == []
    assert cli.run([*serve, "--allow-newer-schema"]) == 0
    assert started == ["server.main:build"]


def test_serve_names_the_load_balancer_it_trusts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--forwarded-allow-ips reaches uvicorn (else every PC behind nginx shares nginx's address, and the enrolment
    limit per address counts them all as one); without it uvicorn's own default (FORWARDED_ALLOW_IPS) holds."""
    import logging.config

    import uvicorn

    from server import cli, main

    db = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    assert cli.run(["migrate", "--db", db]) == 0
    seen: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda _app, **options: seen.append(options["forwarded_allow_ips"]))
    monkeypatch.setattr(logging.config, "dictConfig", lambda _config: None)
    for name in (main.ENV_DB, main.ENV_FILES, main.ENV_BLOBS, main.ENV_ADMIN_TOKEN):
        monkeypatch.delenv(name, raising=False)
    serve = ["serve", "--db", db, "--files", str(tmp_path / "files")]
    assert cli.run([*serve, "--forwarded-allow-ips", "10.0.0.5,10.0.0.6"]) == 0
    assert cli.run(serve) == 0
    assert seen == ["10.0.0.5,10.0.0.6", None]


def test_migrate_says_from_which_revision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An IT technician upgrading many hosts reads what ``migrate`` did on each: created, upgraded from which
    revision, or nothing to do; a database a newer version migrated is left as it is, with what to do instead."""
    import sqlite3

    from alembic.script import ScriptDirectory

    from server import cli
    from server.db import alembic_config, make_engine, migrate

    db_file = tmp_path / "data" / "server.sqlite3"
    db = f"sqlite:///{db_file}"
    head = ScriptDirectory.from_config(alembic_config()).get_revision("head")
    assert head is not None and isinstance(head.down_revision, str)

    assert cli.run(["migrate", "--db", db]) == 0
    assert f"Skema server dibuat (revisi {head.revision})" in capsys.readouterr().out
    assert cli.run(["migrate", "--db", db]) == 0
    assert f"sudah mutakhir (revisi {head.revision}); tidak ada yang diubah" in capsys.readouterr().out

    older = f"sqlite:///{tmp_path / 'older.sqlite3'}"
    engine = make_engine(older)
    try:
        migrate(engine, head.down_revision)  # as the version before left it
    finally:
        engine.dispose()
    assert cli.run(["migrate", "--db", older]) == 0
    out = capsys.readouterr().out
    assert f"dimutakhirkan dari revisi {head.down_revision} ke {head.revision}" in out, out

    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 's9999'")
    assert cli.run(["migrate", "--db", db]) == 1
    captured = capsys.readouterr()
    assert "s9999" in captured.err and "lebih baru" in captured.err and captured.out == ""
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("s9999",)


def test_an_admin_command_never_migrates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Migrating is its own step, run once per upgrade while the hosts of the version before may still serve: an
    administrative command on a database behind this version's schema (or never made) changes nothing and says to
    run ``migrate`` first; on one a newer version migrated it says that."""
    import sqlite3

    from alembic.script import ScriptDirectory

    from server import cli
    from server.db import alembic_config, make_engine, migrate
    from server.schema_check import schema_behind

    head = ScriptDirectory.from_config(alembic_config()).get_revision("head")
    assert head is not None and isinstance(head.down_revision, str)
    create = ["admin", "create-office", "--region", "34.04", "--name", "Kabupaten Sleman", "--tz", "WIB"]

    missing = tmp_path / "never-made.sqlite3"
    assert cli.run([*create, "--db", f"sqlite:///{missing}"]) == 1
    err = capsys.readouterr().err
    assert "Jalankan lapor-server migrate dulu" in err and "lalu ulangi perintah ini" in err, err
    assert not missing.exists()

    older = f"sqlite:///{tmp_path / 'older.sqlite3'}"
    engine = make_engine(older)
    try:
        migrate(engine, head.down_revision)
        assert cli.run([*create, "--db", older]) == 1
        assert head.down_revision in capsys.readouterr().err
        assert schema_behind(engine) == (head.down_revision, head.revision)  # left as it was
        assert cli.run(["migrate", "--db", older]) == 0
        assert cli.run([*create, "--db", older]) == 0
    finally:
        engine.dispose()

    with sqlite3.connect(tmp_path / "older.sqlite3") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 's9999'")
    capsys.readouterr()
    assert cli.run(["admin", "enroll", "--office", "34.04", "--db", older]) == 1
    err = capsys.readouterr().err
    assert "s9999" in err and "lebih baru" in err
