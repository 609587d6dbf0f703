"""End to end, with the real programs as processes (after qutebrowser's end-to-end test processes): the national
server (``lapor-server serve``) set up with its own admin commands, two office PCs enrolled with ``lapor-desk
enroll``, one complaint taken from the counter to closure in the real window of either PC (tests/e2e/desk_driver.py)
with ``lapor-desk sync`` in between — then the three databases agree, read-only, after every process ended.

After every process its log is read: the window's (``<data dir>/logs/lapor-desk.log``), the server's (JSON lines
on its stderr), the command line's (stderr). Any line at WARNING, ERROR or CRITICAL, any traceback, fails the test
unless :data:`ALLOWED` lists it with the reason it is expected. The command-line tools print nothing on stderr when
all is well, so there every stderr line counts.

Nothing waits on a fixed sleep: the test waits on process exit and on the server's /health (ServerProcess), the
driver on Qt signals. Synthetic data only (names "Uji Coba", NIK and phone number obviously fake).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.sync.serverproc import ServerProcess
from tests.ui.printing.pdfcheck import qr_codes, rendered

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROCESS_TIMEOUT = 120  # seconds; only reached when a process hangs

PASSWORD = "Rahasia123"  # synthetic accounts of a throwaway database
REGION, OFFICE_NAME, TZ = "34.04", "Pemerintah Kabupaten Sleman", "WIB"
UNIT = "Dinas Pekerjaan Umum"
ADMIN, COUNTER = "admin.ujicoba", "loket.ujicoba"
ACCOUNTS = ((ADMIN, "Admin Instansi Uji Coba", "ADMIN_INSTANSI"), (COUNTER, "Petugas Loket Uji Coba", "PETUGAS_LOKET"))
KINDS = ["RECEIVED", "DISPOSED", "FOLLOW_UP", "REPORTER_RESPONSE"]

# "lapor-desk sync" prints this line (Indonesian, the product's default language) after every run.
SYNCED = re.compile(r"Terkirim (\d+) perubahan \((\d+) diterapkan, (\d+) digabung, (\d+) konflik, (\d+) ditolak\); "
                    r"diterima (\d+) laporan dan (\d+) peristiwa")


@dataclass(frozen=True)
class Allowed:
    """A log line that is expected: ``source`` names the log (see :func:`Run.check`), ``pattern`` the whole line."""

    source: str
    pattern: str
    why: str

    def matches(self, source: str, line: str) -> bool:
        return source == self.source and re.fullmatch(self.pattern, line) is not None


ALLOWED = (
    # Qt's offscreen platform plugin (QT_QPA_PLATFORM=offscreen: no display in CI) implements no size hints and
    # says so once for each top-level window shown; the window's Qt message handler logs Qt's warnings. The suite
    # ignores the same message under pytest-qt (pyproject.toml, qt_log_ignore). Only the "qt" logger, only this text.
    Allowed("window", r"\S+ \S+ WARNING MainThread qt: This plugin does not support propagateSizeHints\(\)",
            "offscreen Qt platform plugin"),
    # The test denies the OS keyring (PYTHON_KEYRING_BACKEND=fail, as tests/sync/test_cli.py does) so that no
    # device token lands in the keyring of whoever runs the suite; enrolment then keeps the token in a private file
    # and says so on purpose (README: "where none exists it is kept in a file ... and enrolment says so").
    Allowed("lapor-desk enroll",
            r"\S+ \S+ WARNING sync\.credentials: no usable OS keyring \(NoKeyringError\); storing the device token "
            r"in a private file", "no OS keyring in tests"),
    # Not a log line: `lapor-server admin enroll` prints the code alone on stdout (for scripts) and this note for
    # the person on stderr.
    Allowed("lapor-server admin enroll", r"Kode sekali pakai untuk satu PC .+, berlaku 24 jam\.",
            "the command's note on stderr"),
)

_LEVEL = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b")


def problems_in(source: str, text: str, *, every_line: bool) -> list[str]:
    """The lines of ``text`` that are unexpected: at WARNING and above (``every_line``: any non-empty line), any
    traceback; less what :data:`ALLOWED` lists for ``source``."""
    found = []
    for line in text.splitlines():
        if not line.strip() or any(a.matches(source, line) for a in ALLOWED):
            continue
        if every_line or _LEVEL.search(line) or "Traceback" in line:
            found.append(line)
    return found


def server_problems(text: str) -> list[str]:
    """The server logs JSON lines (server/logs.py): a level at WARNING or above, an exception, or a line that is not
    JSON at all (something written past the logging) is unexpected."""
    found = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            found.append(line)
            continue
        if record.get("level") in ("WARNING", "ERROR", "CRITICAL") or "exc" in record or "Traceback" in line:
            found.append(line)
    return found


class Tail:
    """What a log file gained since the last read (whole lines only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0

    def read(self) -> str:
        if not self.path.exists():
            return ""
        with self.path.open("rb") as fh:
            fh.seek(self.offset)
            data = fh.read()
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        return complete.decode("utf-8", errors="replace")


@dataclass
class Run:
    """Every process the test starts, its output kept in ``folder`` for a failed run."""

    folder: Path
    server: ServerProcess
    env: dict[str, str]
    count: int = 0
    server_log: Tail = field(init=False)
    window_logs: dict[Path, Tail] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.server_log = Tail(self.server.log_path)

    def process(self, name: str, command: list[str], *, source: str, stdin: str | None = None,
                data_dir: Path | None = None) -> str:
        """Run one process to its end; it must exit 0 and leave no unexpected line in any log. Returns stdout."""
        self.count += 1
        done = subprocess.run(command, input=stdin, capture_output=True, text=True, env=self.env, cwd=ROOT,
                              timeout=PROCESS_TIMEOUT, check=False)
        stem = self.folder / f"{self.count:02d}-{name}"
        stem.with_suffix(".out").write_text(done.stdout)
        stem.with_suffix(".err").write_text(done.stderr)
        assert done.returncode == 0, f"{name} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        problems = [f"{name} stderr: {line}" for line in problems_in(source, done.stderr, every_line=True)]
        problems += [f"{name} stdout: {line}" for line in done.stdout.splitlines() if "Traceback" in line]
        if data_dir is not None:  # the window's own log, in the data dir given explicitly
            tail = self.window_logs.setdefault(data_dir, Tail(data_dir / "logs" / "lapor-desk.log"))
            logged = tail.read()
            assert logged, f"{name} wrote nothing to {tail.path}"
            problems += [f"{name} window log: {line}" for line in problems_in("window", logged, every_line=False)]
        problems += [f"server log: {line}" for line in server_problems(self.server_log.read())]
        assert not problems, "unexpected log lines:\n" + "\n".join(problems)
        return done.stdout

    def server_admin(self, *args: str, stdin: str | None = None) -> str:
        source = f"lapor-server admin {args[0]}"
        out = self.process(f"server-{args[0]}", [str(BIN / "lapor-server"), "admin", *args, "--db",
                                                 self.server.db_url], source=source, stdin=stdin)
        return out.strip().splitlines()[0]

    def desk(self, pc: Path, *args: str) -> str:
        return self.process(f"{pc.name}-{args[0]}", [str(BIN / "lapor-desk"), "--data-dir", str(pc), *args],
                            source=f"lapor-desk {args[0]}")

    def sync(self, pc: Path, *, sent: int, complaints: int, events: int) -> None:
        out = self.desk(pc, "sync")
        found = SYNCED.search(out)
        assert found, out
        assert [int(n) for n in found.groups()] == [sent, sent, 0, 0, 0, complaints, events], out

    def window(self, pc: Path, user: str, step: str, *args: str) -> dict[str, str]:
        out = self.process(f"{pc.name}-window-{step}",
                           [sys.executable, "-m", "tests.e2e.desk_driver", "--data-dir", str(pc), "--user", user,
                            step, *args], source="desk_driver", stdin=PASSWORD + "\n", data_dir=pc)
        return dict(json.loads(out.strip().splitlines()[-1]))


def environment(home: Path) -> dict[str, str]:
    """The sync tests' environment (no OS keyring), Qt offscreen, and the user directories inside the test's own
    folder, so nothing of the person running the suite is read or written."""
    env = {k: v for k, v in os.environ.items() if k not in ("LAPOR_DESK_DATA_DIR", "LAPOR_SERVER_ADMIN_TOKEN")}
    runtime = home / "runtime"
    runtime.mkdir(parents=True, mode=0o700)
    env.update(PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(home / "cache"), XDG_STATE_HOME=str(home / "state"), XDG_RUNTIME_DIR=str(runtime))
    return env


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    folder = tmp_path / "server"
    folder.mkdir()
    proc = ServerProcess("sqlite", f"sqlite:///{folder / 'server.sqlite3'}", folder)
    yield proc
    proc.stop()


def read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


@dataclass(frozen=True)
class Stored:
    """One database's copy of the complaint."""

    complaints: list[tuple[str, str, str]]  # every complaint in the database: id, tracking code, status
    events: list[tuple[str, str]]  # its timeline: id, kind, in order


def stored(db: Path, code: str) -> Stored:
    conn = read_only(db)
    try:
        complaints = conn.execute("SELECT id, tracking_code, status FROM complaints").fetchall()
        events = conn.execute(
            "SELECT e.id, e.kind FROM timeline_events e JOIN complaints c ON c.id = e.complaint_id "
            "WHERE c.tracking_code = ? ORDER BY e.at, e.id", (code,)).fetchall()
        return Stored(complaints, events)
    finally:
        conn.close()


def pc_queues(db: Path) -> tuple[int, int]:
    """Changes not yet acknowledged by the server, and sync conflicts waiting for review."""
    conn = read_only(db)
    try:
        pending = conn.execute("SELECT count(*) FROM sync_outbox WHERE acked_at IS NULL").fetchone()[0]
        conflicts = conn.execute("SELECT count(*) FROM sync_conflicts").fetchone()[0]
        return int(pending), int(conflicts)
    finally:
        conn.close()


def test_one_complaint_from_the_counter_to_closure_on_two_pcs(tmp_path: Path, server: ServerProcess) -> None:
    run = Run(tmp_path / "processes", server, environment(tmp_path / "home"))
    pc1, pc2 = tmp_path / "PC1", tmp_path / "PC2"

    # The national admin: the schema, then reference data (categories, SLA policy, holidays) before the first start,
    # so the server starts with a holiday calendar; then the office, its unit and accounts, and one code per PC, as
    # it runs.
    made = run.process("server-migrate", [str(BIN / "lapor-server"), "migrate", "--db", server.db_url],
                       source="lapor-server migrate")
    assert made.startswith("Skema server dibuat (revisi "), made
    run.server_admin("import-reference")
    server.start()
    office_id = run.server_admin("create-office", "--region", REGION, "--name", OFFICE_NAME, "--tz", TZ)
    run.server_admin("create-unit", "--office", REGION, "--name", UNIT)
    for username, name, role in ACCOUNTS:
        run.server_admin("create-user", "--office", REGION, "--username", username, "--name", name, "--role", role,
                         "--password-stdin", stdin=PASSWORD + "\n")
    codes = [run.server_admin("enroll", "--office", REGION) for _ in range(2)]
    assert len(set(codes)) == 2

    # IT enrols the counter's PC and the admin's PC.
    for pc, code, name in ((pc1, codes[0], "PC loket 1"), (pc2, codes[1], "PC admin 2")):
        out = run.desk(pc, "enroll", "--server", server.url, "--code", code, "--name", name)
        assert f"PC terdaftar untuk {OFFICE_NAME}" in out and "Sinkronisasi pertama: 0 laporan diterima." in out, out

    # The counter takes the walk-in complaint on PC 1 and syncs.
    taken = run.window(pc1, COUNTER, "intake")
    code, cid = taken["tracking_code"], taken["complaint_id"]
    assert taken["status"] == "BELUM_TERVERIFIKASI" and code.startswith("3404-001-"), taken
    run.sync(pc1, sent=1, complaints=0, events=0)

    # The citizen's receipt, printed to PDF as support would reprint it: its QR opens the status page of this very
    # complaint on the national server (the PC is enrolled there), which the sync has just reached.
    receipt = pc1 / "tanda-terima.pdf"
    assert run.desk(pc1, "receipt", code, "--out", str(receipt)).strip() == str(receipt)
    [address] = [found.text for page in rendered(receipt, pc1 / "receipt-pages") for found in qr_codes(page)]
    assert address.startswith(f"{server.url}/cek/{code.replace('-', '')}?pin="), address
    page = requests.get(address, timeout=30)
    assert page.status_code == 200 and code in page.text and "Laporan diterima" in page.text, page.text[:500]
    assert "Warga Uji Coba" not in page.text and "Pasar Uji Coba" not in page.text  # no name, no complaint text

    # The admin receives it on PC 2, verifies and disposes it to the unit, records the unit's follow-up, syncs.
    run.sync(pc2, sent=0, complaints=1, events=1)
    disposed = run.window(pc2, ADMIN, "dispose", "--code", code, "--unit", UNIT)
    followed = run.window(pc2, ADMIN, "follow-up", "--code", code)
    assert (disposed["status"], followed["status"]) == ("DIDISPOSISIKAN", "DITINDAKLANJUTI")
    run.sync(pc2, sent=2, complaints=0, events=0)

    # Back at the counter: the reporter is satisfied, which closes the complaint; both PCs sync.
    run.sync(pc1, sent=0, complaints=1, events=2)
    responded = run.window(pc1, COUNTER, "respond", "--code", code)
    assert responded["status"] == "SELESAI", responded
    run.sync(pc1, sent=1, complaints=0, events=0)
    run.sync(pc2, sent=0, complaints=1, events=1)

    for pc in (pc1, pc2):
        run.desk(pc, "check")
    server.stop()
    leftover = server_problems(run.server_log.read())
    assert not leftover, "unexpected server log lines at shut-down:\n" + "\n".join(leftover)

    # Every process has ended: the three databases, read-only.
    expected_events = [(taken["event_id"], "RECEIVED"), (disposed["event_id"], "DISPOSED"),
                       (followed["event_id"], "FOLLOW_UP"), (responded["event_id"], "REPORTER_RESPONSE")]
    assert [kind for _, kind in expected_events] == KINDS
    for where, db in (("server", server.folder / "server.sqlite3"), ("PC1", pc1 / "lapor-desk.sqlite3"),
                      ("PC2", pc2 / "lapor-desk.sqlite3")):
        copy = stored(db, code)
        assert copy.complaints == [(cid, code, "SELESAI")], (where, copy.complaints)
        assert copy.events == expected_events, (where, copy.events)
    for pc in (pc1, pc2):
        assert pc_queues(pc / "lapor-desk.sqlite3") == (0, 0), pc.name
    conn = read_only(server.folder / "server.sqlite3")
    try:
        assert conn.execute("SELECT id FROM offices").fetchall() == [(office_id,)]
    finally:
        conn.close()
