"""``lapor-desk diagnose`` as IT runs it on a PC it supports from afar: a healthy enrolled PC against a live
``lapor-server``, the same PC offline, a damaged and a missing database (reported, never a crash, nothing changed),
and the support bundle: the report, the logs and the configuration, with none of the demo's people in it."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from app.cli import run as lapor_desk
from app.config import Paths
from app.store import meta
from app.store.db import Store, backup_name, sqlite_backup
from app.store.restore import PENDING_FILE, PENDING_NOTE
from app.timeutil import utcnow
from demo import seed_demo
from sync import state
from sync.credentials import FALLBACK_NAME
from sync.diagnose import Level, diagnose
from sync.diagnose_backups import backups_finding
from sync.diagnose_bundle import MASK, Redactor, cleaned_json
from tests.helpers.postgres import free_port
from tests.helpers.tls import FixedAnswerServer, self_signed
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import PC, Fleet
from tests.sync.serverproc import BIN, ServerProcess

SQLITE_ONLY = pytest.mark.parametrize("server", ["sqlite"], indirect=True)


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str, lang: str = "en") -> tuple[int, str, str]:
    capsys.readouterr()
    code = lapor_desk(["--data-dir", str(data_dir), "--lang", lang, "diagnose", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def line(out: str, start: str) -> str:
    found = [row for row in out.splitlines() if row.startswith(start)]
    assert found, f"no line starting {start!r} in:\n{out}"
    return found[0]


def bundle_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@SQLITE_ONLY
def test_a_healthy_enrolled_pc_passes_every_check(fleet: Fleet, proxy: FaultProxy,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    pc = fleet.pc(fleet.office())
    sqlite_backup(pc.paths.database, pc.paths.backups / backup_name("daily"))
    code, out, _err = run(pc.paths.data_dir, capsys)
    assert code == 0, out
    assert "FAIL" not in out.replace("0 FAIL", ""), out
    assert line(out, "[OK  ] Database intact (PRAGMA quick_check: ok)")
    assert line(out, "[OK  ] Database schema up to date (revision ")
    assert line(out, f"[OK  ] Enrolled with {proxy.url} (office {pc.office.id}, device ")
    assert line(out, "[OK  ] Device token kept in the private file ")  # the tests' PCs have no OS keyring
    assert line(out, "[OK  ] Waiting to be sent: 0 changes; open conflicts: 0; complaints refused by the server: 0")
    assert line(out, "[OK  ] Last successful sync: ")
    assert line(out, f"[OK  ] Server reachable: {proxy.url}/health ok in ")
    assert line(out, "[OK  ] Connection to the server without TLS (http) on this PC itself")
    assert line(out, "[OK  ] No proxy (straight to the server)")
    assert line(out, "[OK  ] Configuration without problems; machine file ")
    assert line(out, "[OK  ] Clock offset to the server, measured now: under 1 s; stored by the last sync: ")
    assert out.rstrip().endswith("Summary: 15 OK, 0 WARN, 0 FAIL"), out

    code, out, _err = run(pc.paths.data_dir, capsys, lang="id")  # Indonesian by default
    assert code == 0
    assert line(out, f"[OK  ] Server terjangkau: {proxy.url}/health ok dalam ")
    assert "Ringkasan: 15 OK, 0 WARN, 0 FAIL" in out


@SQLITE_ONLY
def test_the_clock_offset_is_measured_now_beside_the_stored_one(fleet: Fleet) -> None:
    """A PC whose clock runs two days ahead: the last sync stored the skew; diagnose measures it again, from the
    server's own time, and warns with the fix."""
    pc = fleet.pc(fleet.office(), clock=lambda: utcnow() + timedelta(days=2))
    pc.close()
    report, _local = diagnose(pc.paths, pc.paths.logs, clock=lambda: utcnow() + timedelta(days=2))
    clock = next(f for f in report.findings if f.key == "clock")
    assert clock.level is Level.WARN
    assert clock.facts["measured_seconds"] == pytest.approx(-2 * 86400, abs=30)
    assert clock.facts["stored_seconds"] == pytest.approx(-2 * 86400, abs=30)
    assert clock.what.en == ("Clock offset to the server, measured now: PC 2.0 d ahead; stored by the last sync: "
                             "PC 2.0 d ahead")
    assert "PC 2,0 hari lebih cepat" in clock.what.id
    assert clock.fix is not None and "Set time automatically" in clock.fix.en
    report, _local = diagnose(pc.paths, pc.paths.logs)  # the clock set right: measured now says so at once
    clock = next(f for f in report.findings if f.key == "clock")
    assert clock.level is Level.OK and abs(clock.facts["measured_seconds"]) < 30


@SQLITE_ONLY
def test_an_offline_pc_is_reported_not_crashed(fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    pc = fleet.pc(fleet.office())
    pc.intake(1)  # typed in while offline: waits to be sent
    with pc.store.transaction() as session:  # the server is gone: nothing listens at its address any more
        meta.put(session, state.SERVER_URL, f"http://127.0.0.1:{free_port()}")
    pc.close()
    code, out, _err = run(pc.paths.data_dir, capsys)
    assert code == 1, out
    assert line(out, "[FAIL] The server cannot be reached: http://127.0.0.1:")
    assert "Check the network cable or Wi-Fi" in out
    assert line(out, "[OK  ] Waiting to be sent: 1 changes;")
    assert line(out, "[OK  ] Clock offset to the server: cannot be measured now; stored by the last sync: ")
    assert line(out, "[OK  ] Database intact")
    assert out.rstrip().endswith("1 FAIL"), out


def test_a_damaged_database_is_reported_and_left_untouched(data_dir: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    db = data_dir / "lapor-desk.sqlite3"
    with db.open("r+b") as fh:  # pages in the middle overwritten, as a failing disk leaves them
        fh.seek(40 * 4096)
        fh.write(b"\xa5" * 8 * 4096)
    before = digest(db)
    code, out, err = run(data_dir, capsys, "--bundle", str(tmp_path / "support.zip"))
    assert code == 1, out
    assert line(out, "[FAIL] The database cannot be read (SQLite: ")
    assert "There is no backup in" in out and "restore FILE --force" in out
    assert line(out, "[WARN] The server was not checked")
    assert "Traceback" not in out + err
    assert digest(db) == before
    assert not (data_dir / "backups").exists()  # no backup made, no migration tried
    texts = bundle_texts(tmp_path / "support.zip")  # the bundle is still made, and says what its scan could not do
    assert "The database cannot be read" in texts["report.txt"]
    assert "ONLY the patterns" in texts["README.txt"]
    assert "could not be read in full" in err


def test_a_missing_database_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "kosong"
    empty.mkdir()
    code, out, _err = run(empty, capsys)
    assert code == 1, out
    assert line(out, f"[FAIL] The database file does not exist: {empty / 'lapor-desk.sqlite3'}")
    assert not (empty / "lapor-desk.sqlite3").exists()  # diagnose creates nothing
    code, out, _err = run(tmp_path / "tidak-ada", capsys, "--json")
    assert code == 1
    report = json.loads(out)
    levels = {f["key"]: f["level"] for f in report["findings"]}
    assert levels["paths"] == "FAIL" and levels["database.integrity"] == "FAIL" and report["exit_code"] == 1
    assert not (tmp_path / "tidak-ada").exists()


@SQLITE_ONLY
def test_before_enrolment_the_machine_files_server_is_checked(data_dir: Path, server: ServerProcess,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """IT tests a PC's network before enrolling it: the server address comes from the configuration."""
    monkeypatch.setenv("LAPOR_DESK_SERVER_URL", server.url)
    report, _local = diagnose(Paths(data_dir), data_dir / "logs")
    by_key = {f.key: f for f in report.findings}
    assert by_key["sync.enrolment"].level is Level.WARN
    assert by_key["server.reachable"].level is Level.OK, by_key["server.reachable"].what.en
    assert by_key["server.reachable"].facts["url"] == server.url + "/health"
    assert by_key["clock"].facts["measured_seconds"] is not None and by_key["clock"].facts["stored_seconds"] is None
    assert report.exit_code == 0


def test_tls_with_the_configured_ca_and_with_a_wrong_one(data_dir: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = self_signed(tmp_path, "lapor-server")
    other, _other_key = self_signed(tmp_path, "another-ca")
    with FixedAnswerServer(cert, key, 200, {"status": "ok"}) as https:
        monkeypatch.setenv("LAPOR_DESK_SERVER_URL", https.url)
        monkeypatch.setenv("LAPOR_DESK_CA_BUNDLE", str(cert))
        report, _local = diagnose(Paths(data_dir), data_dir / "logs")
        by_key = {f.key: f for f in report.findings}
        assert by_key["tls"].level is Level.OK
        assert by_key["tls"].what.en == (f"TLS verified with the CA file {cert} (from environment variable "
                                         "LAPOR_DESK_CA_BUNDLE)")
        assert by_key["server.reachable"].level is Level.OK
        assert by_key["clock"].facts["measured_seconds"] is not None  # from the Date header: no /version here

        monkeypatch.setenv("LAPOR_DESK_CA_BUNDLE", str(other))
        report, _local = diagnose(Paths(data_dir), data_dir / "logs")
        reach = next(f for f in report.findings if f.key == "server.reachable")
        assert reach.level is Level.FAIL and report.exit_code == 1
        assert reach.what.en == (f"The server's certificate cannot be verified with the CA file {other}: "
                                 f"{https.url}/health")
        assert reach.fix is not None and "--ca-bundle" in reach.fix.en

    not_pem = tmp_path / "ca.txt"
    not_pem.write_text("this is not a certificate")
    monkeypatch.setenv("LAPOR_DESK_CA_BUNDLE", str(not_pem))
    report, _local = diagnose(Paths(data_dir), data_dir / "logs", timeout=1)
    tls = next(f for f in report.findings if f.key == "tls")
    assert tls.level is Level.FAIL and tls.what.en.startswith("The CA file (from environment variable ")


@SQLITE_ONLY
def test_changes_waiting_since_an_old_last_sync_and_its_error_are_warnings(
        fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    pc = fleet.pc(fleet.office())
    pc.intake(2)
    with pc.store.transaction() as session:
        meta.put(session, state.LAST_SUCCESS, (utcnow() - timedelta(days=3)).isoformat())
        meta.put(session, state.LAST_ERROR, "Server tidak dapat dihubungi.")
        meta.put(session, state.LAST_ERROR_EN, "The server cannot be reached.")
    pc.close()
    code, out, _err = run(pc.paths.data_dir, capsys)
    assert code == 0, out  # warnings only: the server answers now
    assert line(out, "[WARN] Waiting to be sent: 1 changes; open conflicts: 0;")
    assert line(out, "[WARN] Last successful sync: ") and "last error: The server cannot be reached." in out


def test_backups_their_age_the_chosen_folder_and_a_staged_restore(data_dir: Path, tmp_path: Path) -> None:
    paths, now = Paths(data_dir), utcnow()
    found = backups_finding(paths, now)
    assert found.level is Level.WARN and found.what.en == f"No backup yet in {paths.backups}"
    assert found.fix is not None and f"lapor-desk backup {paths.backups}/" in found.fix.en

    chosen = tmp_path / "usb" / "cadangan"
    (data_dir / "settings.ini").write_text(f"[backup]\nfolder={chosen}\n", encoding="utf-8")
    sqlite_backup(paths.database, chosen / backup_name("daily", now - timedelta(days=3)))
    found = backups_finding(paths, now)
    assert found.level is Level.WARN  # three days without a backup
    assert found.what.en.startswith(f"Backups: 1 in {chosen}, {paths.backups}; newest ")
    sqlite_backup(paths.database, paths.backups / backup_name("manual", now - timedelta(hours=1)))
    found = backups_finding(paths, now)
    assert found.level is Level.OK and found.facts["count"] == 2 and found.facts["newest_reason"] == "manual"

    shutil.copyfile(paths.database, data_dir / PENDING_FILE)
    (data_dir / PENDING_NOTE).write_text(json.dumps({"source": "lapor-desk-20261201-manual.sqlite3"}))
    found = backups_finding(paths, now)
    assert found.level is Level.WARN
    assert found.what.en == "A restore of lapor-desk-20261201-manual.sqlite3 is staged: it is done when LAPOR Desk " \
                            "starts next."


def test_the_real_program_in_indonesian_with_its_exit_code(tmp_path: Path) -> None:
    """As IT types it on a PC: the installed command, Indonesian by default, stdout for the report."""
    proc = subprocess.run([str(BIN / "lapor-desk"), "--data-dir", str(tmp_path / "baru"), "diagnose"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "[FAIL] Berkas basis data tidak ada: " in proc.stdout
    assert "Perbaikan: PC baru: jalankan LAPOR Desk sekali" in proc.stdout
    assert proc.stdout.rstrip().endswith("FAIL") and "Traceback" not in proc.stderr


# ---- the bundle and privacy ------------------------------------------------------------------------------------

def people_of(store: Store) -> dict[str, set[str]]:
    """Every value of people's data the demo put in the store, by kind."""
    queries = {"reporter names": "SELECT name FROM reporters WHERE name != ''",
               "NIKs": "SELECT nik FROM reporters WHERE nik IS NOT NULL",
               "phones": "SELECT phone FROM reporters WHERE phone IS NOT NULL",
               "e-mails": "SELECT email FROM reporters WHERE email IS NOT NULL",
               "reporter addresses": "SELECT address FROM reporters WHERE address IS NOT NULL",
               "complaint titles": "SELECT title FROM complaints",
               "complaint texts": "SELECT description FROM complaints",
               "staff user names": "SELECT username FROM users",
               "staff names": "SELECT full_name FROM users"}
    with store.engine.connect() as conn:
        return {kind: {str(v) for (v,) in conn.exec_driver_sql(sql)} for kind, sql in queries.items()}


def write_logs(folder: Path, leaks: list[str]) -> None:
    """The window's log as ui.logs writes it (ids only), plus lines a careless change might write one day."""
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(folder / "lapor-desk.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log = logging.getLogger("tests.diagnose")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("sync finished: pushed=3 complaint=0193b0f2-aaaa-7bbb-8ccc-000000000001")
        for leak in leaks:
            log.error("intake failed for %s", leak)
    finally:
        log.removeHandler(handler)
        handler.close()
    (folder / "lapor-desk.log.1").write_text(f"2026-12-01 INFO older rotated log: reporter {leaks[0]}\n",
                                             encoding="utf-8")


def test_the_bundle_holds_report_logs_and_config_and_no_personal_data(
        data_dir: Path, store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed_demo(store, count=60, seed=3)
    people = people_of(store)
    store.close()
    assert all(people.values()), people  # the demo has each kind, so the check below means something
    leaks = [next(iter(sorted(values))) for values in people.values()]
    write_logs(data_dir / "logs", leaks)
    (data_dir / "settings.ini").write_text(
        "[login]\nlast_username=admin.sleman\n[sync]\nauto_sync_minutes=10\n[ui]\nlanguage=en\n", encoding="utf-8")

    code, _out, err = run(data_dir, capsys, "--bundle", str(tmp_path / "out" / "support.zip"))
    assert code == 0, err
    assert "Support bundle written:" in err
    texts = bundle_texts(tmp_path / "out" / "support.zip")
    assert set(texts) == {"README.txt", "report.txt", "report.json", "config.json", "logs/lapor-desk.log",
                          "logs/lapor-desk.log.1"}
    for name, text in texts.items():
        for kind, values in people.items():
            found = sorted(v for v in values if v in text)
            assert not found, f"{kind} in {name}: {found[:3]}"
    log = texts["logs/lapor-desk.log"]
    assert "sync finished: pushed=3 complaint=0193b0f2-aaaa-7bbb-8ccc-000000000001" in log  # ids stay
    assert log.count(f"intake failed for {MASK}") == len(leaks)
    assert "every value of people's data" in texts["README.txt"]
    assert json.loads(texts["report.json"])["exit_code"] == 0
    config = json.loads(texts["config.json"])
    assert config["data_dir"] == {"value": str(data_dir), "source": "--data-dir"}
    assert config["window_settings"] == {"sync/auto_sync_minutes": "10", "ui/language": "en"}
    assert config["effective"]["language"] == {"value": "en", "source": "user settings", "locked": False}
    assert config["store"]["active_users_by_role"]["ADMIN_INSTANSI"] >= 1
    assert config["sync"]["enrolled"] is False and config["sync"]["demo"] is True


@SQLITE_ONLY
def test_the_bundle_of_an_enrolled_pc_has_no_device_token(fleet: Fleet, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    pc: PC = fleet.pc(fleet.office())
    pc.close()
    token = (pc.paths.data_dir / FALLBACK_NAME).read_text().strip()
    monkeypatch.setenv("HTTPS_PROXY", "http://petugas:RahasiaProxy1@proxy.pemda.example:8080")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    write_logs(pc.paths.logs, [token, f"Authorization: Bearer {token}"])
    code, out, _err = run(pc.paths.data_dir, capsys, "--bundle", str(tmp_path / "support.zip"))
    assert code == 0, out
    texts = bundle_texts(tmp_path / "support.zip")
    assert FALLBACK_NAME not in " ".join(texts)
    for name, text in texts.items():
        assert token not in text, name
        assert "RahasiaProxy1" not in text and "petugas:" not in text, name
    config = json.loads(texts["config.json"])
    assert config["environment"]["HTTPS_PROXY"] == "http://***@proxy.pemda.example:8080"
    assert config["connection"]["server_url"] == config["effective"]["server_url"]["value"]
    assert config["effective"]["server_url"]["source"] == "user settings"  # the enrolled store's
    assert config["connection"]["proxy"] is None  # NO_PROXY keeps the loopback server direct


def test_the_redactor_masks_patterns_and_known_values_as_whole_words() -> None:
    clean = Redactor(["Siti Rahmawati", "Ani", "-"], home="/home/petugas")
    text = ("nama Siti Rahmawati, Ani; SITI RAHMAWATI; Animasi tetap; hp +62 812-3456-7890 dan 081234567890; "
            "nik 3404014101900001; surel siti.r@contoh.id; proxy http://u:p@proxy:8080; /home/petugas/LAPOR; "
            "kode 3404-912-000123-3; jam 2026-08-12 08:15:00")
    assert clean(text) == (
        f"nama {MASK}, {MASK}; {MASK}; Animasi tetap; hp {MASK} dan {MASK}; nik {MASK}; surel {MASK}; proxy "
        "http://***@proxy:8080; ~/LAPOR; kode 3404-912-000123-3; jam 2026-08-12 08:15:00")


def test_json_is_cleaned_before_it_is_escaped() -> None:
    """A Windows path or a quoted name is escaped in JSON text ("C:\\\\Users"): it is masked in the values first."""
    clean = Redactor(['Budi "Bud" Santoso'], home="C:\\Users\\petugas")
    raw = {"folder": "C:\\Users\\petugas\\LAPOR", "notes": ['found Budi "Bud" Santoso'], "n": 3}
    text = json.dumps(cleaned_json(raw, clean))
    assert json.loads(text) == {"folder": "~\\LAPOR", "notes": [f"found {MASK}"], "n": 3}
    assert "petugas" not in text and "Santoso" not in text

