"""Silent set-up (issue 16 §5): ``lapor-desk enroll --code CODE --non-interactive`` with the server, office, CA bundle
and proxy from the machine file lapor-desk.toml, against the real server on 127.0.0.1, and each documented exit code:
0 enrolled, 4 bad input, 7 unreachable, 10 wrong code (or another office's), 11 certificate, 12 already enrolled."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from app.cli import run as lapor_desk
from app.config import Paths
from app.config_layers import user_settings
from app.machine_config import MACHINE_FILE_ENV
from server.auth import WRONG_CODE_ERRORS
from sync import enroll_cli
from tests.helpers.postgres import free_port
from tests.helpers.tls import FixedAnswerServer, self_signed
from tests.sync.fleet import Fleet
from tests.sync.serverproc import BIN

SQLITE = pytest.mark.parametrize("server", ["sqlite"], indirect=True)


def machine_file(folder: Path, **values: str) -> Path:
    path = folder / "lapor-desk.toml"
    path.write_text("".join(f'{k} = "{v}"\n' for k, v in values.items()), encoding="utf-8")
    return path


def enroll(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str]:
    code = lapor_desk(["--lang", "en", "--data-dir", str(data), "enroll", "--non-interactive", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_exit_codes_match_the_servers_wrong_code_answers() -> None:
    assert enroll_cli.WRONG_CODE_ERRORS == WRONG_CODE_ERRORS
    codes = [code for code, _id, _en in enroll_cli.ENROLL_EXIT_CODES]
    assert len(codes) == len(set(codes)) and {0, 4, 7, 10, 11, 12, 13} <= set(codes)


@SQLITE
def test_a_pc_set_up_by_a_script_from_the_machine_file(fleet: Fleet, tmp_path: Path) -> None:
    """The real program, no terminal, nothing typed: the machine file gives the server and the office."""
    office = fleet.office()
    office.online_complaints(1)
    config = machine_file(tmp_path, server_url=fleet.server.url, office=office.region_code)
    env = {**os.environ, MACHINE_FILE_ENV: str(config), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    data = tmp_path / "pc"

    def desk(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / "lapor-desk"), "--lang", "en", "--data-dir", str(data), *args], env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=180)

    done = desk("enroll", "--code", office.enrolment_code(), "--non-interactive", "--name", "pc-loket")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"PC enrolled for {office.name} as device 001" in done.stdout
    assert "First sync: 1 complaints received." in done.stdout
    # The server came from the machine file, and the store keeps the address it enrolled with.
    assert user_settings(Paths(data))["server_url"] == fleet.server.url
    again = desk("enroll", "--code", office.enrolment_code(), "--non-interactive")
    assert again.returncode == enroll_cli.EXIT_ALREADY_ENROLLED, again.stdout + again.stderr
    assert "already enrolled" in again.stderr
    assert desk("sync").returncode == 0


@SQLITE
def test_wrong_used_and_other_office_codes(fleet: Fleet, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    office = fleet.office()
    server = fleet.server.url
    code, out = enroll(capsys, tmp_path / "a", "--server", server, "--code", "AAAA-BBBB-CCCC")
    assert code == enroll_cli.EXIT_WRONG_CODE, out
    assert "Unknown enrolment code" in out

    used = office.enrolment_code()
    assert enroll(capsys, tmp_path / "b", "--server", server, "--code", used, "--no-sync")[0] == 0
    code, out = enroll(capsys, tmp_path / "c", "--server", server, "--code", used)
    assert code == enroll_cli.EXIT_WRONG_CODE and "already used" in out

    monkeypatch.setenv(MACHINE_FILE_ENV, str(machine_file(tmp_path, server_url=server, office="99.99")))
    code, out = enroll(capsys, tmp_path / "d", "--code", office.enrolment_code())
    assert code == enroll_cli.EXIT_WRONG_CODE, out
    assert f"This code is for {office.name} ({office.region_code}), while lapor-desk.toml sets the office 99.99" in out
    code, out = enroll(capsys, tmp_path / "d", "--code", office.enrolment_code(), "--no-sync")
    assert code == enroll_cli.EXIT_WRONG_CODE, "nothing of the refused enrolment was kept"


def test_an_unreachable_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = enroll(capsys, tmp_path / "pc", "--server", f"http://127.0.0.1:{free_port()}", "--code", "AAAA-BBBB")
    assert code == enroll_cli.EXIT_UNREACHABLE, out
    assert "The server cannot be reached" in out


def test_bad_input_never_asks_and_exits_4(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "pc"
    code, out = enroll(capsys, data, "--code", "AAAA-BBBB")
    assert code == enroll_cli.EXIT_BAD_INPUT
    assert "The server address is missing (--server, or server_url in lapor-desk.toml)." in out
    code, out = enroll(capsys, data, "--server", "https://lapor.example.go.id")
    assert code == enroll_cli.EXIT_BAD_INPUT and "The enrolment code is missing (--code)." in out
    code, out = enroll(capsys, data, "--server", "lapor.example.go.id", "--code", "AAAA-BBBB")
    assert code == enroll_cli.EXIT_BAD_INPUT and "key 'server_url': must be an address starting with" in out
    monkeypatch.setenv(MACHINE_FILE_ENV, str(machine_file(tmp_path, server_url="https://lapor.example.go.id",
                                                          ca_bundle="missing.pem")))
    code, out = enroll(capsys, data, "--code", "AAAA-BBBB")
    assert code == enroll_cli.EXIT_BAD_INPUT
    assert f"{tmp_path / 'lapor-desk.toml'}, line 2, key 'ca_bundle': file {tmp_path / 'missing.pem'} not found" in out
    assert not data.exists()  # refused before any data folder was made


def test_the_machine_files_ca_bundle_is_used_and_a_wrong_one_is_a_certificate_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = self_signed(tmp_path, "server")
    other, _other_key = self_signed(tmp_path, "other-ca")
    unknown = {"code": "enrollment_code_invalid", "message": "Kode pendaftaran tidak dikenal.",
               "message_en": "Unknown enrolment code."}
    with FixedAnswerServer(cert, key, 400, unknown) as tls:
        monkeypatch.setenv(MACHINE_FILE_ENV, str(machine_file(tmp_path, server_url=tls.url, ca_bundle="other-ca.pem")))
        code, out = enroll(capsys, tmp_path / "a", "--code", "AAAA-BBBB")
        assert code == enroll_cli.EXIT_CERTIFICATE, out
        assert "certificate could not be verified" in out
        # The command line's CA bundle wins over the machine file's: the handshake passes, the code is refused.
        code, out = enroll(capsys, tmp_path / "a", "--code", "AAAA-BBBB", "--ca-bundle", str(cert))
        assert code == enroll_cli.EXIT_WRONG_CODE, out
        # The machine file's right CA bundle is used when the command line gives none.
        monkeypatch.setenv(MACHINE_FILE_ENV, str(machine_file(tmp_path, server_url=tls.url, ca_bundle="server.pem")))
        code, out = enroll(capsys, tmp_path / "a", "--code", "AAAA-BBBB")
        assert code == enroll_cli.EXIT_WRONG_CODE, out
        # Without any CA bundle the system's certificates do not know this server.
        monkeypatch.setenv(MACHINE_FILE_ENV, str(machine_file(tmp_path, server_url=tls.url)))
        assert enroll(capsys, tmp_path / "a", "--code", "AAAA-BBBB")[0] == enroll_cli.EXIT_CERTIFICATE


def test_the_help_lists_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        lapor_desk(["enroll", "--help"])
    shown = capsys.readouterr().out
    for code, text_id, text_en in enroll_cli.ENROLL_EXIT_CODES:
        assert f"  {code:<2}  {text_id.split()[0]}" in shown and text_en.split()[0] in shown
    assert "--non-interactive" in shown and "lapor-desk.toml" in shown


def test_only_an_interactive_run_on_a_terminal_asks_for_what_is_missing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    class Terminal:
        def isatty(self) -> bool:
            return True

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return f"http://127.0.0.1:{free_port()}" if "Server" in prompt else "AAAA-BBBB"

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", answer)
    code, out = enroll(capsys, tmp_path / "a")  # --non-interactive
    assert code == enroll_cli.EXIT_BAD_INPUT and asked == []
    code = lapor_desk(["--lang", "en", "--data-dir", str(tmp_path / "b"), "enroll"])
    assert asked == ["Server address: ", "Enrolment code: "]
    assert code == enroll_cli.EXIT_UNREACHABLE  # what was typed was used
