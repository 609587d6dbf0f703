"""``lapor-desk enroll`` and ``lapor-desk sync`` as IT and Task Scheduler run them: the real program in a subprocess,
its exit codes (0 ok, 1 not enrolled, 7 server unreachable, 8 changes refused, 9 a complaint refused: see
tests/sync/test_clock_skew.py) and what it prints. Where no OS keyring exists the device token goes to a file only
its user can read."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from app import services
from app.cli import run as lapor_desk
from app.config import Paths
from app.services.context import ServiceContext
from app.store.db import open_store
from app.timeutil import utcnow
from server import admin
from server import models as srv
from sync.capture import OutboxCapture
from sync.credentials import FALLBACK_NAME
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import Fleet, Office, counter_input
from tests.sync.serverproc import BIN

pytestmark = pytest.mark.parametrize("server", ["sqlite"], indirect=True)
ENV = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def start(*args: str, lang: str = "en") -> subprocess.Popen[str]:
    return subprocess.Popen([str(BIN / "lapor-desk"), "--lang", lang, *args], env=ENV, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = proc.communicate(timeout=180)
    return proc.returncode, out + err


def lapor(*args: str) -> tuple[int, str]:
    return finish(start(*args))


def intake_offline(data_dir: Path, office: Office, n: int) -> str:
    """A complaint taken in at the counter of this PC while the CLI is not running."""
    paths = Paths(data_dir)
    store = open_store(paths.database, backup_dir=paths.backups)
    try:
        ctx = ServiceContext(store=store, blob_dir=paths.attachments)
        ctx.capture = OutboxCapture(ctx.clock)
        return services.intake(ctx, office.counter, counter_input(n)).complaint_id
    finally:
        store.close()


def test_enroll_sync_and_status_exit_codes(fleet: Fleet, proxy: FaultProxy, tmp_path: Path) -> None:
    office = fleet.office()
    office.online_complaints(2)
    data = tmp_path / "pc-loket"
    fresh = tmp_path / "pc-baru"
    not_enrolled = start("--data-dir", str(fresh), "sync")  # runs alongside the enrolment

    code, out = lapor("--data-dir", str(data), "enroll", "--server", proxy.url, "--code", office.enrolment_code(),
                      "--name", "PC loket 1")
    assert code == 0, out
    assert f"PC enrolled for {office.name} as device 001" in out
    assert "First sync: 2 complaints received." in out
    token = data / FALLBACK_NAME
    assert "no OS keyring" in out and str(token) in out
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    assert token.read_text().strip()

    code, out = finish(not_enrolled)
    assert code == 1, out
    assert "This PC is not enrolled. Run: lapor-desk enroll" in out

    intake_offline(data, office, 1)
    code, out = lapor("--data-dir", str(data), "sync")
    assert code == 0, out
    assert "Sent 1 changes (1 applied" in out

    code, out = lapor("--data-dir", str(data), "sync", "--status")
    assert code == 0, out
    assert "Enrolled         : yes" in out and "Pending changes  : 0" in out and "Last error       : -" in out

    intake_offline(data, office, 2)
    proxy.stop()  # the server cannot be reached
    code, out = lapor("--data-dir", str(data), "sync")
    assert code == 7, out
    assert "The server cannot be reached" in out
    code, out = lapor("--data-dir", str(data), "sync", "--status")
    assert code == 0 and "Pending changes  : 1" in out, out
    assert "Last error       : The server cannot be reached" in out, out
    code, out = finish(start("--data-dir", str(data), "sync", "--status", lang="id"))
    assert code == 0 and "Galat terakhir   : Server tidak dapat" in out, out


def test_refused_changes_exit_8(fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    """The office admin's account was disabled centrally while the PC was offline: the note they wrote is refused,
    and the run says so with exit code 8 and the reason (a refused intake is a standing problem, exit 9:
    tests/sync/test_clock_skew.py)."""
    office = fleet.office()
    pc = fleet.pc(office)
    cid = pc.intake(3)
    pc.sync()
    pc.note(cid)
    pc.close()
    with office.server.db.transaction() as s:
        user = s.get(srv.User, office.admin)
        assert user is not None
        admin.set_user_active(s, user.username, False, utcnow())
    capsys.readouterr()
    assert lapor_desk(["--data-dir", str(pc.paths.data_dir), "--lang", "en", "sync"]) == 8
    out = capsys.readouterr().out
    assert "1 rejected" in out and "permission_denied" in out
