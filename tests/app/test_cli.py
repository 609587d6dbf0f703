"""``lapor-desk`` as IT and counter staff use it: driven through app.cli.run with a temporary --data-dir (and once
through the installed console script), checking exit codes, output, and what happens to the database file."""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

import app
import app.config
from app import services
from app.cli import EXIT_USAGE, build_parser, run
from app.config import DATA_DIR_ENV, DB_FILENAME, resolve_paths
from app.domain import Role, Status
from app.errors import AuthenticationFailed
from app.models import Complaint
from app.rules import tracking
from app.rules.accounts import check_password_rules
from app.rules.sla import HORIZON_WARNING_DAYS, holiday_horizon
from app.security import generate_password
from app.services.users import authenticate
from app.store.db import Store, backup_name, head_revision, open_store, probe_file
from tests.helpers.world import World

EXIT_OK, EXIT_ERROR, EXIT_NOT_FOUND, EXIT_INVALID, EXIT_STORE = 0, 1, 3, 4, 5


@dataclass
class Office:
    """A data directory holding Sleman's store with one complaint; no store is left open."""

    data_dir: Path
    world: World
    complaint_id: str
    code: str

    @property
    def db(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    def open(self) -> Store:
        return open_store(self.db, backup_dir=self.backups)

    def complaint_count(self) -> int:
        store = self.open()
        try:
            with store.read() as s:
                return int(s.execute(select(func.count()).select_from(Complaint)).scalar() or 0)
        finally:
            store.close()


@pytest.fixture
def office(world: World, store: Store, data_dir: Path) -> Office:
    cid = world.new_complaint()
    with store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None
        code = c.tracking_code
    store.close()
    return Office(data_dir, world, cid, code)


def cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: object) -> tuple[int, str, str]:
    code = run(["--data-dir", str(data_dir), *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def file_state(path: Path) -> tuple[str, ...]:
    """The bytes of the database and of its WAL (a missing WAL is the same as an empty one)."""
    return tuple(hashlib.sha256(p.read_bytes() if p.exists() else b"").hexdigest()
                 for p in (path, Path(f"{path}-wal")))


def subcommands() -> set[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(actions[0].choices)


# --- version and the console script --------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        run(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"LAPOR Desk {app.__version__}"


def test_without_a_command_the_window_starts_without_loading_the_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    """``lapor-desk [options]`` opens the window straight away: the command parser, and the plugins that add
    commands (sync loads its engine for them), are not built first."""
    import app.cli

    started: list[argparse.Namespace] = []
    monkeypatch.setattr(app.cli.plugins, "launch_gui", lambda args: started.append(args) or 0)
    monkeypatch.setattr(app.cli, "build_parser", lambda: pytest.fail("the command parser was built"))
    assert run(["--data-dir", "/somewhere", "--lang", "en", "-v"]) == 0
    assert started and started[0].data_dir == "/somewhere" and started[0].lang == "en" and started[0].command is None
    assert app.cli.window_only([]) is not None
    for argv in (["check"], ["--help"], ["--data-dir", "/x", "sync"], ["-h"]):
        assert app.cli.window_only(argv) is None, argv  # a command or the help: the whole parser


def test_console_script_is_installed(data_dir: Path) -> None:
    exe = Path(sys.executable).parent / "lapor-desk"
    assert exe.is_file(), "pip install -e . did not install the lapor-desk console script"
    check = subprocess.run([exe, "--data-dir", data_dir, "--lang", "en", "check"],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr
    assert "Result: healthy." in check.stdout


# --- check ---------------------------------------------------------------------------------------------------


def test_check_on_a_healthy_store(capsys: pytest.CaptureFixture[str], office: Office) -> None:
    code, out, _ = cli(capsys, office.data_dir, "check")
    assert code == EXIT_OK
    assert "Keutuhan berkas   : ok" in out
    assert f"Skema             : {head_revision()} (terbaru {head_revision()})" in out
    assert "Laporan           : 1" in out
    assert out.strip().endswith("Hasil: baik.")


def test_check_finds_a_tampered_audit_record(capsys: pytest.CaptureFixture[str], office: Office) -> None:
    conn = sqlite3.connect(office.db)
    target = conn.execute("SELECT min(id) FROM audit_log WHERE action = 'user.add'").fetchone()[0]
    conn.execute("UPDATE audit_log SET details_json = '{\"role\":\"IT_ADMIN\"}' WHERE id = ?", (target,))
    conn.commit()
    conn.close()
    code, out, _ = cli(capsys, office.data_dir, "check")
    assert code == EXIT_ERROR
    assert f"RUSAK mulai catatan #{target}" in out
    assert "Hasil: 1 masalah ditemukan." in out


# --- backup and restore ---------------------------------------------------------------------------------------


def test_backup_then_restore(capsys: pytest.CaptureFixture[str], office: Office, tmp_path: Path) -> None:
    saved = tmp_path / "usb" / "before.sqlite3"
    code, out, _ = cli(capsys, office.data_dir, "backup", saved)
    assert code == EXIT_OK and str(saved) in out
    assert probe_file(saved, tmp_path) == head_revision()

    office.world.new_complaint(title="Laporan yang dibuat sesudah cadangan")
    office.world.store.close()  # the restore must be the only one with the file open
    assert office.complaint_count() == 2
    before = file_state(office.db)

    code, _, err = cli(capsys, office.data_dir, "restore", saved)
    assert code == EXIT_ERROR and "--force" in err
    assert file_state(office.db) == before and office.complaint_count() == 2

    code, out, _ = cli(capsys, office.data_dir, "restore", saved, "--force")
    assert code == EXIT_OK
    assert office.complaint_count() == 1  # the state of the backup
    kept = [p for p in office.backups.iterdir() if "replaced-by-restore" in p.name]
    assert len(kept) == 1 and str(kept[0]) in out
    conn = sqlite3.connect(f"file:{kept[0]}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM complaints").fetchone()[0] == 2  # the replaced state is kept
    conn.close()
    assert cli(capsys, office.data_dir, "check")[0] == EXIT_OK


def test_restore_onto_a_new_pc(capsys: pytest.CaptureFixture[str], office: Office, tmp_path: Path) -> None:
    saved = tmp_path / "from-old-pc.sqlite3"
    assert cli(capsys, office.data_dir, "backup", saved)[0] == EXIT_OK
    new_pc = tmp_path / "new-pc"
    assert cli(capsys, new_pc, "restore", saved)[0] == EXIT_OK  # nothing to replace: no --force needed
    code, out, _ = cli(capsys, new_pc, "lookup", office.code)
    assert code == EXIT_OK and out.startswith(office.code)


def test_backup_to_an_impossible_place_is_an_error_not_a_crash(capsys: pytest.CaptureFixture[str], office: Office,
                                                                tmp_path: Path) -> None:
    not_a_folder = tmp_path / "usb"
    not_a_folder.write_text("a file where the folder should be")
    code, _, err = cli(capsys, office.data_dir, "--lang", "en", "backup", not_a_folder / "copy.sqlite3")
    assert code == EXIT_ERROR
    assert err.startswith("Error: The backup could not be written to") and str(not_a_folder) in err


def _not_a_database(path: Path) -> None:
    path.write_text("Ini bukan basis data, hanya catatan rapat.\n" * 200)


def _another_sqlite_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


def _from_a_newer_version(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.commit()
    conn.close()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("make_source", [_not_a_database, _another_sqlite_file, _from_a_newer_version, _empty],
                         ids=lambda f: f.__name__.strip("_"))
def test_restore_refuses_what_is_not_a_usable_backup(capsys: pytest.CaptureFixture[str], office: Office,
                                                     tmp_path: Path, make_source: object) -> None:
    source = tmp_path / "suspicious.sqlite3"
    if make_source is _from_a_newer_version:
        shutil.copyfile(office.db, source)
    make_source(source)  # type: ignore[operator]
    before = file_state(office.db)
    code, _, err = cli(capsys, office.data_dir, "restore", source, "--force")
    assert code == EXIT_STORE
    assert str(source) in err
    assert file_state(office.db) == before
    assert not office.backups.exists() or not any(office.backups.iterdir())


# --- users ----------------------------------------------------------------------------------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def _login(office: Office, username: str, password: str) -> str:
    store = office.open()
    try:
        return authenticate(services.ServiceContext(store=store, device_label="test-pc"), username, password).id
    finally:
        store.close()


def test_users_add_list_passwd_disable_enable(capsys: pytest.CaptureFixture[str], office: Office,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "Loket2026x\n")
    code, out, err = cli(capsys, office.data_dir, "users", "add", "Siti.Loket", "--name", "Siti Aminah",
                         "--role", "PETUGAS_LOKET", "--password-stdin")
    assert code == EXIT_OK, err
    assert "siti.loket" in out and "Loket2026x" not in out
    assert _login(office, "siti.loket", "Loket2026x")

    code, out, _ = cli(capsys, office.data_dir, "users", "list")
    row = next(line for line in out.splitlines() if line.startswith("siti.loket"))
    assert "Siti Aminah" in row and "PETUGAS_LOKET" in row and row.endswith("aktif")

    _stdin(monkeypatch, "Gantian2026y\n")
    assert cli(capsys, office.data_dir, "users", "passwd", "siti.loket", "--password-stdin")[0] == EXIT_OK
    with pytest.raises(AuthenticationFailed):
        _login(office, "siti.loket", "Loket2026x")
    assert _login(office, "siti.loket", "Gantian2026y")

    assert cli(capsys, office.data_dir, "users", "disable", "siti.loket")[0] == EXIT_OK
    with pytest.raises(AuthenticationFailed):
        _login(office, "siti.loket", "Gantian2026y")
    out = cli(capsys, office.data_dir, "users", "list")[1]
    assert next(line for line in out.splitlines() if line.startswith("siti.loket")).endswith("nonaktif")

    assert cli(capsys, office.data_dir, "users", "enable", "siti.loket")[0] == EXIT_OK
    assert _login(office, "siti.loket", "Gantian2026y")


def test_generated_passwords_pass_the_password_rules() -> None:
    """The CLI hands out generated passwords; one made only of letters (once about one draw in six) would be
    refused by the very rules it is meant to satisfy."""
    for _ in range(300):
        password = generate_password()
        check_password_rules(password, "andi.pu")


def test_users_add_without_a_terminal_generates_a_password(capsys: pytest.CaptureFixture[str], office: Office,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "")
    code, out, err = cli(capsys, office.data_dir, "--lang", "en", "users", "add", "andi.pu", "--name", "Andi",
                         "--role", "PENGHUBUNG", "--unit", "Dinas Pekerjaan Umum")
    assert code == EXIT_OK, err
    match = re.search(r"Initial password: (\S+)", out)
    assert match is not None, out
    assert _login(office, "andi.pu", match.group(1))

    code, out, err = cli(capsys, office.data_dir, "--lang", "en", "users", "passwd", "andi.pu", "--generate")
    assert code == EXIT_OK, err
    match = re.search(r"New password: (\S+)", out)
    assert match is not None, out
    assert _login(office, "andi.pu", match.group(1))


@pytest.mark.parametrize(
    ("args", "stdin", "exit_code", "says"),
    [
        (["users", "add", "budi", "--name", "Budi", "--role", "PETUGAS_LOKET", "--password-stdin"], "pendek\n",
         EXIT_INVALID, "password"),
        (["users", "add", "budi", "--name", "Budi", "--role", "PENGHUBUNG", "--unit", "Dinas Pariwisata",
          "--password-stdin"], "Rahasia2026\n", EXIT_INVALID, "Dinas Pariwisata"),
        (["users", "add", "user.pimpinan", "--name", "Lagi", "--role", "PIMPINAN", "--password-stdin"],
         "Rahasia2026\n", EXIT_INVALID, "user.pimpinan"),
        (["users", "passwd", "tidak.ada", "--password-stdin"], "Rahasia2026\n", EXIT_NOT_FOUND, "tidak.ada"),
        (["users", "disable", "tidak.ada"], "", EXIT_NOT_FOUND, "tidak.ada"),
    ],
)
def test_users_refusals(capsys: pytest.CaptureFixture[str], office: Office, monkeypatch: pytest.MonkeyPatch,
                        args: list[str], stdin: str, exit_code: int, says: str) -> None:
    _stdin(monkeypatch, stdin)
    code, _, err = cli(capsys, office.data_dir, *args)
    assert code == exit_code
    assert says in err


def test_users_add_without_a_home_office_says_what_to_do(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "Rahasia2026\n")
    code, _, err = cli(capsys, data_dir, "users", "add", "budi", "--name", "Budi", "--role", "IT_ADMIN",
                       "--password-stdin")
    assert code == EXIT_STORE
    assert "seed-demo" in err
    named = set(re.findall(r"lapor-desk ([a-z][a-z-]*)", err))
    assert named and named <= subcommands(), f"the message names commands that do not exist: {named}"


# --- lookup and language ----------------------------------------------------------------------------------------


def test_lookup_found(capsys: pytest.CaptureFixture[str], office: Office) -> None:
    typed = office.code.replace("-", " ").lower()
    code, out, _ = cli(capsys, office.data_dir, "lookup", typed)
    assert code == EXIT_OK
    lines = out.splitlines()
    assert lines[0] == f"{office.code}  Belum terverifikasi"
    assert lines[1] == "Jalan berlubang di depan pasar"
    # received Monday 2 March 2026 02:00 UTC, shown in the office's zone (Sleman: WIB)
    assert lines[2] == "Diterima: 2026-03-02 09:00 WIB"


def test_lookup_unknown_and_mistyped(capsys: pytest.CaptureFixture[str], office: Office) -> None:
    parsed = tracking.parse(office.code)
    unknown = tracking.make_code(parsed.region, parsed.device, parsed.seq + 500)
    code, _, err = cli(capsys, office.data_dir, "lookup", unknown)
    assert code == EXIT_NOT_FOUND and unknown in err

    compact = tracking.compact(office.code)
    wrong_check = compact[:-1] + str((int(compact[-1]) + 1) % 10)
    code, _, err = cli(capsys, office.data_dir, "lookup", wrong_check)
    assert code == EXIT_INVALID and "salah ketik" in err

    code, _, err = cli(capsys, office.data_dir, "lookup", "12-34")
    assert code == EXIT_INVALID


def test_lang_en_prints_english(capsys: pytest.CaptureFixture[str], office: Office) -> None:
    code, out, _ = cli(capsys, office.data_dir, "--lang", "en", "lookup", office.code)
    assert code == EXIT_OK
    assert out.splitlines()[0] == f"{office.code}  Not yet verified"
    assert "Received: 2026-03-02 09:00 WIB" in out
    code, out, _ = cli(capsys, office.data_dir, "--lang", "en", "check")
    assert code == EXIT_OK and "Result: healthy." in out and "Hasil" not in out and "Laporan" not in out
    code, _, err = cli(capsys, office.data_dir, "--lang", "en", "lookup", tracking.compact(office.code)[:-1] + "x")
    assert code == EXIT_INVALID and err.startswith("Error: ")


# --- auto-close -----------------------------------------------------------------------------------------------


def test_auto_close_closes_after_the_response_window(capsys: pytest.CaptureFixture[str], world: World,
                                                     store: Store, data_dir: Path) -> None:
    u = world.users
    waiting = world.new_complaint(title="Tanggapan pelapor tidak kunjung datang")
    services.dispose(world.ctx, u[Role.ADMIN_INSTANSI], waiting, unit_id=world.units["Dinas Pekerjaan Umum"])
    services.follow_up(world.ctx, u[Role.PENGHUBUNG], waiting, text="Jalan sudah diperbaiki oleh tim PU.")
    untouched = world.new_complaint()
    store.close()
    # the test clock is in March 2026; the CLI uses the real clock, long after the 10-day window
    code, out, _ = cli(capsys, data_dir, "auto-close")
    assert code == EXIT_OK and "1 laporan ditutup otomatis." in out
    code, out, _ = cli(capsys, data_dir, "auto-close")
    assert code == EXIT_OK and "0 laporan ditutup otomatis." in out
    s2 = open_store(data_dir / DB_FILENAME, backup_dir=data_dir / "backups")
    with s2.read() as s:
        assert s.get(Complaint, waiting).status == Status.SELESAI  # type: ignore[union-attr]
        assert s.get(Complaint, untouched).status == Status.BELUM_TERVERIFIKASI  # type: ignore[union-attr]
    s2.close()


# --- a damaged database -----------------------------------------------------------------------------------------


def _damage_middle_pages(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size, pages = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count"))
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((pages // 2) * page_size)
        fh.write(b"\xa5\x5a" * (2 * page_size))


@pytest.fixture
def damaged(office: Office) -> tuple[Office, Path]:
    """The office's store with garbage over pages in the middle, and a good backup in backups/."""
    latest = office.backups / backup_name("manual")
    assert run(["--data-dir", str(office.data_dir), "backup", str(latest)]) == EXIT_OK
    _damage_middle_pages(office.db)
    return office, latest


COMMANDS = [["check"], ["backup", "{tmp}/copy.sqlite3"], ["lookup", "{code}"], ["users", "list"],
            ["users", "disable", "user.pimpinan"], ["auto-close"]]


def test_any_command_on_a_damaged_database_exits_5_with_the_restore_hint(
        capsys: pytest.CaptureFixture[str], damaged: tuple[Office, Path], tmp_path: Path) -> None:
    office, latest = damaged
    capsys.readouterr()
    before = file_state(office.db)
    backups_before = sorted(office.backups.iterdir())
    for command in COMMANDS:
        args = [a.format(tmp=tmp_path, code=office.code) for a in command]
        code, _, err = cli(capsys, office.data_dir, *args)
        assert code == EXIT_STORE, command
        assert str(office.db) in err, command
        assert restore_line(office, latest) in err, command
        assert file_state(office.db) == before, command
        assert sorted(office.backups.iterdir()) == backups_before, command
    assert not (tmp_path / "copy.sqlite3").exists()


def restore_line(office: Office, backup: Path) -> str:
    return shlex.join(["lapor-desk", "--data-dir", str(office.data_dir), "restore", str(backup), "--force"])


def printed_command(err: str) -> list[str]:
    """The ``lapor-desk …`` command a message tells the person to run, split as their shell would."""
    found = re.search(r"(lapor-desk .+ --force)", err)
    assert found is not None, err
    return shlex.split(found.group(1))


def test_following_the_restore_hint_as_printed_brings_this_store_back(
        capsys: pytest.CaptureFixture[str], damaged: tuple[Office, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The command is run exactly as printed, from a shell that knows nothing of this data folder (which has a
    space in its name): without its --data-dir it would restore into the default folder."""
    office, good = damaged
    spaced = Office(tmp_path / "Data LAPOR", office.world, office.complaint_id, office.code)
    shutil.copytree(office.data_dir, spaced.data_dir)
    latest = spaced.backups / good.name
    default_home = tmp_path / "default-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(default_home))
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    capsys.readouterr()
    code, _, err = cli(capsys, spaced.data_dir, "check")
    assert code == EXIT_STORE
    argv = printed_command(err)
    assert argv == ["lapor-desk", "--data-dir", str(spaced.data_dir), "restore", str(latest), "--force"]
    assert run(argv[1:]) == EXIT_OK
    assert not default_home.exists(), "the restore went to the default data folder"
    code, out, _ = cli(capsys, spaced.data_dir, "check")
    assert code == EXIT_OK and "Laporan           : 1" in out
    # the damaged file was kept next to the backups, in case something can still be rescued from it
    kept = [p for p in spaced.backups.iterdir() if "replaced-by-restore" in p.name]
    assert len(kept) == 1

    # damaged again: the hint names the good backup again, never the kept copy of the damaged file
    _damage_middle_pages(spaced.db)
    code, _, err = cli(capsys, spaced.data_dir, "check")
    assert code == EXIT_STORE
    assert printed_command(err)[-2] == str(latest) and str(kept[0]) not in err



# --- where the data lives -----------------------------------------------------------------------------------------


def test_data_dir_option_beats_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "from-env"))
    assert resolve_paths(tmp_path / "from-option").data_dir == tmp_path / "from-option"
    assert resolve_paths().data_dir == tmp_path / "from-env"
    assert resolve_paths().database == tmp_path / "from-env" / DB_FILENAME


def test_relative_and_home_paths_are_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_paths("relatif").data_dir == tmp_path / "relatif"
    assert resolve_paths("~/lapor").data_dir == tmp_path / "home" / "lapor"


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_DATA_HOME is how platformdirs is steered on Linux")
def test_platform_data_dir_without_option_or_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_paths().data_dir == tmp_path / "xdg" / app.config.APP_NAME
    monkeypatch.setenv(DATA_DIR_ENV, "")
    assert resolve_paths().data_dir == tmp_path / "xdg" / app.config.APP_NAME


def test_cli_uses_the_environment_data_dir(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(data_dir))
    assert run(["check"]) == EXIT_OK
    assert f"Berkas            : {data_dir / DB_FILENAME}" in capsys.readouterr().out


# --- the store's edges: empty, read-only, folders, pipes, typed codes, languages, the holiday calendar -------------


def test_an_empty_database_file_is_refused_and_left_alone(capsys: pytest.CaptureFixture[str], office: Office,
                                                          tmp_path: Path) -> None:
    latest = office.backups / backup_name("manual")
    assert run(["--data-dir", str(office.data_dir), "backup", str(latest)]) == EXIT_OK
    office.db.write_bytes(b"")  # a copy cut short
    for command in COMMANDS:
        args = [a.format(tmp=tmp_path, code=office.code) for a in command]
        code, out, err = cli(capsys, office.data_dir, "--lang", "en", *args)
        assert code == EXIT_STORE, command
        assert "empty (0 bytes)" in err and restore_line(office, latest) in err, command
        assert "healthy" not in out
        assert office.db.stat().st_size == 0, command


def _unprivileged(*args: object) -> subprocess.CompletedProcess[str]:
    """The console script run by an account that file permissions apply to. root is one only without
    CAP_DAC_OVERRIDE, which setpriv drops."""
    cmd = [str(Path(sys.executable).parent / "lapor-desk"), *map(str, args)]
    if os.geteuid() == 0:
        drop = [shutil.which("setpriv") or "setpriv", "--bounding-set=-dac_override,-dac_read_search"]
        try:
            subprocess.run([*drop, "true"], check=True, capture_output=True, timeout=30)
        except (OSError, subprocess.CalledProcessError):
            pytest.skip("root, and setpriv cannot drop the permission override here")
        cmd = [*drop, *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_database_file_says_so_and_how_to_fix_it(office: Office) -> None:
    office.db.chmod(0o444)
    try:
        result = _unprivileged("--data-dir", office.data_dir, "--lang", "en", "check")
    finally:
        office.db.chmod(0o644)
    assert result.returncode == EXIT_STORE, result.stdout
    assert "healthy" not in result.stdout
    assert f"The database file cannot be written (permission denied): {office.db}" in result.stderr
    assert f"chmod u+w {office.db}" in result.stderr and "running twice" not in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_data_folder_says_so_and_how_to_fix_it(office: Office) -> None:
    before = file_state(office.db)
    office.data_dir.chmod(0o555)
    try:
        result = _unprivileged("--data-dir", office.data_dir, "check")
    finally:
        office.data_dir.chmod(0o755)
    assert result.returncode == EXIT_STORE, result.stdout
    assert f"Folder data tidak dapat ditulisi (izin ditolak): {office.data_dir}" in result.stderr
    assert f"chmod u+w {office.data_dir}" in result.stderr
    assert "berjalan dua kali" not in result.stderr  # the old advice: "not running twice, disk not full"
    assert file_state(office.db) == before


@pytest.mark.parametrize("how", ["missing folder with a trailing separator", "existing folder"])
def test_backup_into_a_folder_writes_a_file_inside_it(capsys: pytest.CaptureFixture[str], office: Office,
                                                      tmp_path: Path, how: str) -> None:
    folder = tmp_path / "usb" / "backups"
    if how == "existing folder":
        folder.mkdir(parents=True)
    typed = str(folder) + (os.sep if how.endswith("separator") else "")
    code, out, err = cli(capsys, office.data_dir, "backup", typed)
    assert code == EXIT_OK, err
    assert folder.is_dir()
    (written,) = folder.iterdir()
    assert written.name.startswith("lapor-desk-") and written.name.endswith("-manual.sqlite3")
    assert str(written) in out and probe_file(written, tmp_path) == head_revision()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGPIPE semantics")
def test_a_closed_output_pipe_ends_quietly(office: Office) -> None:
    """``lapor-desk users list | head``: the reader is gone before the first byte is written."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run([Path(sys.executable).parent / "lapor-desk", "--data-dir", office.data_dir, "users",
                                 "list"], stdout=writer, stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(writer)
    assert result.returncode == 141
    assert result.stderr == ""


@pytest.mark.parametrize("typed", [
    "full width", "full width with full-width dashes", "arabic-indic digits", "word processor dashes"])
def test_lookup_reads_codes_typed_in_other_scripts(capsys: pytest.CaptureFixture[str], office: Office,
                                                   typed: str) -> None:
    full_width = office.code.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    variant = {
        "full width": full_width,
        "full width with full-width dashes": full_width.replace("-", "\uff0d"),
        "arabic-indic digits": office.code.translate({ord(c): ord(c) - 48 + 0x0660 for c in "0123456789"}),
        "word processor dashes": office.code.replace("-", "\u2013"),
    }[typed]
    code, out, err = cli(capsys, office.data_dir, "lookup", variant)
    assert code == EXIT_OK, err
    assert out.startswith(office.code)


ENGLISH_WORDS = ("Error", "Result", "healthy", "cannot", "Restore", "backup", "Received", "deadline", "calendar",
                 "complaints", "verified", "USER", "active", "not a SQLite")
INDONESIAN_WORDS = ("Galat", "Hasil", "baik", "basis data", "Berkas", "cadangan", "Pulihkan", "tidak", "bukan",
                    "laporan", "Diterima", "Tenggat", "Kalender", "terverifikasi", "PENGGUNA", "aktif", "perkiraan")


def _other_language(lang: str, text: str, data: tuple[str, ...]) -> list[str]:
    """Marker words of the language not chosen found in ``text``, once the data shown as stored (a title, a
    name) and paths (a backup folder is called "backups") are left out."""
    for value in data:
        text = text.replace(value, "")
    text = re.sub(r"\S*[/\\]\S*", "", text)
    return [w for w in (INDONESIAN_WORDS if lang == "en" else ENGLISH_WORDS) if w in text]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_message_follows_the_language_choice(capsys: pytest.CaptureFixture[str], office: Office,
                                                   tmp_path: Path, lang: str) -> None:
    """Each command on a healthy store, an empty folder, a damaged store, a file that is not a database and an
    empty file, in English and in Indonesian: no text of the other language."""
    data = ("Jalan berlubang di depan pasar", "Petugas", "Penghubung Kesehatan", "Admin Badung")
    parsed = tracking.parse(office.code)
    unknown = tracking.make_code(parsed.region, parsed.device, parsed.seq + 50)
    healthy = [["check"], ["lookup", office.code], ["lookup", unknown], ["lookup", office.code[:-1] + "x"],
               ["users", "list"], ["users", "disable", "budi.x"], ["auto-close"], ["sync", "--status"],
               ["backup", "{tmp}/copies/"], ["restore", "{tmp}/missing.sqlite3"], ["--help"], ["backup", "--help"]]
    broken = [["check"], ["lookup", office.code], ["users", "list"], ["backup", "{tmp}/copy.sqlite3"]]
    runs: list[tuple[Path, list[str]]] = [(office.data_dir, c) for c in healthy]
    runs.append((tmp_path / f"new-{lang}", ["seed-demo", "--count", "3"]))
    latest = office.backups / backup_name("manual")
    assert run(["--data-dir", str(office.data_dir), "backup", str(latest)]) == EXIT_OK
    damages: list[tuple[str, object]] = [("middle pages", _damage_middle_pages),
                                         ("not a database", _not_a_database), ("empty", lambda p: p.write_bytes(b""))]
    for name, damage in damages:
        folder = tmp_path / name
        shutil.copytree(office.data_dir, folder)
        damage(folder / DB_FILENAME)  # type: ignore[operator]
        runs += [(folder, c) for c in broken]
    capsys.readouterr()
    for folder, command in runs:
        args = [a.format(tmp=tmp_path) for a in command]
        try:
            code, out, err = cli(capsys, folder, "--lang", lang, *args)
        except SystemExit:  # --help
            captured = capsys.readouterr()
            out, err = captured.out, captured.err
        assert out or err, command
        names = tuple(subcommands()) if "--help" in command else ()  # command names are the same in both
        found = _other_language(lang, out + err, data + names)
        assert not found, f"{command} on {folder.name} in {lang}: {found}\n{out}{err}"


def _horizon(office: Office) -> date:
    store = office.open()
    try:
        with store.read() as session:
            horizon = holiday_horizon(session)
    finally:
        store.close()
    assert horizon is not None
    return horizon


@pytest.mark.parametrize(("days_before", "says"), [
    (200, None), (HORIZON_WARNING_DAYS, "(in 90 days)"), (30, "(in 30 days)"), (-1, "ended on")])
def test_check_warns_of_the_end_of_the_holiday_calendar(capsys: pytest.CaptureFixture[str], office: Office,
                                                        monkeypatch: pytest.MonkeyPatch, days_before: int,
                                                        says: str | None) -> None:
    horizon = _horizon(office)
    today = datetime.combine(horizon - timedelta(days=days_before), time(3), UTC)
    monkeypatch.setattr("app.cli.store_cmds.utcnow", lambda: today)
    code, out, _ = cli(capsys, office.data_dir, "--lang", "en", "check")
    assert code == EXIT_OK  # the store is sound: the calendar needs an update
    assert f"Holiday calendar  : until {horizon.isoformat()}" in out
    warning = [line for line in out.splitlines() if line.startswith("Warning: ")]
    if says is None:
        assert not warning
    else:
        assert len(warning) == 1 and says in warning[0] and horizon.isoformat() in warning[0]
        assert "estimates" in warning[0] and "Update LAPOR Desk or sync" in warning[0]


def test_lookup_marks_a_deadline_past_the_holiday_calendar_as_an_estimate(capsys: pytest.CaptureFixture[str],
                                                                           office: Office) -> None:
    horizon = _horizon(office)
    office.world.clock.now = datetime.combine(horizon - timedelta(days=1), time(2), UTC)
    late = office.world.new_complaint(title="Diterima di akhir kalender hari libur")
    with office.world.store.read() as session:
        code_late = session.get(Complaint, late).tracking_code  # type: ignore[union-attr]
    office.world.store.close()
    code, out, _ = cli(capsys, office.data_dir, "lookup", code_late)
    assert code == EXIT_OK and out.splitlines()[-1].endswith("(perkiraan)")  # due 3 working days later
    code, out, _ = cli(capsys, office.data_dir, "--lang", "en", "lookup", office.code)
    assert code == EXIT_OK and "Next deadline" in out and "estimate" not in out  # due in March 2026


@pytest.mark.parametrize(("lang", "said", "unsaid"), [
    ("id", ("penggunaan: ", "argumen posisi:", "opsi:", "tampilkan bantuan ini lalu keluar"),
     ("usage:", "positional arguments", "options:", "show this help")),
    ("en", ("usage: ", "positional arguments:", "options:", "show this help message and exit"),
     ("penggunaan", "argumen posisi", "opsi:", "tampilkan bantuan")),
])
def test_the_help_is_in_its_language_argparse_words_included(capsys: pytest.CaptureFixture[str], lang: str,
                                                             said: tuple[str, ...], unsaid: tuple[str, ...]) -> None:
    for command in ([], ["backup"], ["users", "add"]):
        with pytest.raises(SystemExit) as done:
            run(["--lang", lang, *command, "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert all(w in out for w in said) and not any(w in out for w in unsaid), (command, out)
    with pytest.raises(SystemExit) as done:
        run(["--lang", lang, "no-such-command"])
    assert done.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert ("lapor-desk: galat: " if lang == "id" else "lapor-desk: error: ") in err
