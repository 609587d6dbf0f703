"""``lapor-desk sync --help`` documents every exit code the command can end with, as IT scripts read them: the
sync codes (7 unreachable, 8 refused, 9 a citizen's complaint refused and only on this PC) and the ones every
lapor-desk command shares, with the same numbers."""

from __future__ import annotations

import subprocess

from app import cli
from sync.cli import EXIT_REFUSED_INTAKE, EXIT_REJECTED, EXIT_UNREACHABLE, SYNC_EXIT_CODES
from tests.sync.serverproc import BIN


def test_sync_help_lists_the_exit_codes() -> None:
    done = subprocess.run([str(BIN / "lapor-desk"), "sync", "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # as one line: the table wraps long explanations
    assert "Kode keluar (exit codes):" in text
    for code, text_id, text_en in SYNC_EXIT_CODES:
        assert f" {code} {text_id}" in text, code
        assert f"({text_en})" in text, code
    assert "server cannot be reached" in text and "refused by the server" in text


def test_the_documented_codes_are_the_ones_used() -> None:
    documented = {code for code, _, _ in SYNC_EXIT_CODES}
    assert documented == {cli.EXIT_OK, cli.EXIT_ERROR, cli.EXIT_USAGE, cli.EXIT_STORE, EXIT_UNREACHABLE,
                          EXIT_REJECTED, EXIT_REFUSED_INTAKE}
    assert (EXIT_UNREACHABLE, EXIT_REJECTED, EXIT_REFUSED_INTAKE) == (7, 8, 9)
    assert (cli.EXIT_OK, cli.EXIT_ERROR, cli.EXIT_USAGE, cli.EXIT_STORE) == (0, 1, 2, 5)


def test_the_sync_commands_help_follows_the_language() -> None:
    for command, indonesian, english in (("sync", "Kirim perubahan PC ini", "Send this PC's changes"),
                                         ("enroll", "kode pendaftaran sekali pakai", "one-time enrolment code")):
        done = subprocess.run([str(BIN / "lapor-desk"), "--lang", "en", command, "--help"], capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        text = " ".join(done.stdout.split())
        assert english in text and indonesian not in text, command
        done = subprocess.run([str(BIN / "lapor-desk"), command, "--help"], capture_output=True, text=True,
                              timeout=120)
        text = " ".join(done.stdout.split())
        assert indonesian in text and english not in text, command
