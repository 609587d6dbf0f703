"""``lapor-desk receipt``, ``status-letter`` and ``status-page``, through the program's own command line (in-process,
as the other CLI tests run it, and once as the installed console script on a PC without a display): the PDF path
alone on stdout, remarks on stderr, the exit codes of every command (3 unknown, 4 mistyped, 2 usage). Synthetic data.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from stdnum import damm

from app.rules import tracking
from app.rules.citizen_view import status_pin
from tests.app.test_cli import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, Office, cli
from tests.app.test_cli import office as office  # noqa: F401 - the fixture: a store with one complaint
from tests.ui.printing.pdfcheck import page_sizes_mm, pdf_text

EXIT_USAGE, EXIT_STORE = 2, 5


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """In-process runs paint with the test's QApplication (the command makes its own only when there is none)."""


def unknown_code(office: Office) -> str:
    """A well-formed code (right check digit) that no complaint has."""
    code = tracking.parse(office.code)
    body = f"{code.region}{code.device:03d}{code.seq + 500:06d}"
    return tracking.format_code(body + damm.calc_check_digit(body))


def mistyped(code: str) -> str:
    """The code with two adjacent digits swapped: the check digit catches it."""
    digits = tracking.compact(code)
    i = next(i for i in range(len(digits) - 2) if digits[i] != digits[i + 1])
    return digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]


def test_receipt_is_written_and_its_path_printed(capsys: pytest.CaptureFixture[str], office: Office,
                                                 tmp_path: Path) -> None:
    out_file = tmp_path / "tanda-terima.pdf"
    code, out, err = cli(capsys, office.data_dir, "receipt", office.code.replace("-", " "), "--out", out_file)
    assert code == EXIT_OK, err
    assert out.strip() == str(out_file)
    assert "Tanpa kode QR" in err  # not enrolled, no status page set: the paper says where to ask instead
    text = pdf_text(out_file)
    assert office.code in text and status_pin(office.complaint_id) in text.replace(" ", "")
    assert "loket pengaduan" in text
    assert "Budi Santoso" not in text  # no --user: no account decides that the name may be shown


@pytest.mark.parametrize(("paper", "width"), [("a4", 210), ("a5", 148), ("80mm", 80)])
def test_paper(capsys: pytest.CaptureFixture[str], office: Office, tmp_path: Path, paper: str, width: float) -> None:
    out_file = tmp_path / f"{paper}.pdf"
    code, _, err = cli(capsys, office.data_dir, "receipt", office.code, "--out", out_file, "--paper", paper)
    assert code == EXIT_OK, err
    [(got, _)] = page_sizes_mm(out_file)
    assert got == pytest.approx(width, abs=0.5)


def test_with_user_the_officer_is_named_and_a_named_reporter_too(capsys: pytest.CaptureFixture[str],
                                                                office: Office, tmp_path: Path) -> None:
    out_file = tmp_path / "r.pdf"
    code, _, err = cli(capsys, office.data_dir, "receipt", office.code, "--out", out_file, "--user",
                       "user.petugas_loket")
    assert code == EXIT_OK, err
    text = pdf_text(out_file)
    assert "Budi Santoso" in text and "oleh Petugas Petugas_Loket" in text
    assert "081234567890" not in text and "81234567890" not in text.replace(" ", "")


def test_status_letter(capsys: pytest.CaptureFixture[str], office: Office, tmp_path: Path) -> None:
    out_file = tmp_path / "surat.pdf"
    code, out, err = cli(capsys, office.data_dir, "--lang", "en", "status-letter", office.code, "--out", out_file,
                         "--user", "user.admin_instansi")
    assert code == EXIT_OK, err
    assert out.strip() == str(out_file) and err == ""  # nothing on stderr when all is well
    text = pdf_text(out_file)
    assert "SURAT KETERANGAN STATUS LAPORAN" in text and "Diterima, menunggu verifikasi" in text  # paper: Indonesian
    assert "Budi Santoso" not in text


def test_mistyped_unknown_and_usage(capsys: pytest.CaptureFixture[str], office: Office, tmp_path: Path) -> None:
    out_file = tmp_path / "x.pdf"
    code, out, err = cli(capsys, office.data_dir, "receipt", mistyped(office.code), "--out", out_file)
    assert (code, out) == (EXIT_INVALID, "") and "salah ketik" in err
    code, _, err = cli(capsys, office.data_dir, "status-letter", unknown_code(office), "--out", out_file)
    assert code == EXIT_NOT_FOUND and "Tidak ada laporan dengan kode" in err
    code, _, err = cli(capsys, office.data_dir, "receipt", "12-34", "--out", out_file)
    assert code == EXIT_INVALID and "14 digit" in err
    code, _, err = cli(capsys, office.data_dir, "receipt", office.code, "--out", out_file, "--user", "nobody")
    assert code == EXIT_NOT_FOUND and "nobody" in err
    assert not out_file.exists()
    with pytest.raises(SystemExit) as stop:
        cli(capsys, office.data_dir, "receipt", office.code, "--out", out_file, "--paper", "letter")
    assert stop.value.code == EXIT_USAGE and "invalid choice" in capsys.readouterr().err


def test_a_file_that_cannot_be_written(capsys: pytest.CaptureFixture[str], office: Office, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    code, out, err = cli(capsys, office.data_dir, "receipt", office.code, "--out", blocked / "r.pdf")
    assert (code, out) == (1, "") and "PDF tidak dapat disimpan" in err


def test_status_page_set_shown_used_and_cleared(capsys: pytest.CaptureFixture[str], office: Office,
                                                tmp_path: Path) -> None:
    code, out, _ = cli(capsys, office.data_dir, "status-page")
    assert code == EXIT_OK and "Tidak ada" in out
    code, out, err = cli(capsys, office.data_dir, "status-page", "ftp://lapor.example.go.id")
    assert code == EXIT_INVALID and "alamat web lengkap" in err
    code, out, _ = cli(capsys, office.data_dir, "status-page", "https://lapor.example.go.id/")
    assert code == EXIT_OK and out.strip() == "https://lapor.example.go.id  (diatur untuk PC ini)"
    out_file = tmp_path / "r.pdf"
    code, _, err = cli(capsys, office.data_dir, "receipt", office.code, "--out", out_file)
    assert code == EXIT_OK and "Tanpa kode QR" not in err
    address = f"https://lapor.example.go.id/cek/{tracking.compact(office.code)}?pin={status_pin(office.complaint_id)}"
    assert address in pdf_text(out_file).replace(" ", "")
    code, out, _ = cli(capsys, office.data_dir, "status-page", "--clear")
    assert code == EXIT_OK and "Tidak ada" in out


def test_without_an_office_the_store_is_not_ready(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                  tmp_path: Path) -> None:
    code, _, err = cli(capsys, data_dir, "receipt", "3404-912-000123-3", "--out", tmp_path / "r.pdf")
    assert code == EXIT_STORE and "belum disiapkan" in err


@pytest.mark.slow
def test_the_console_script_on_a_pc_without_a_display(office: Office, tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "lapor-desk"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out_file = tmp_path / "struk.pdf"
    done = subprocess.run([exe, "--data-dir", office.data_dir, "receipt", office.code, "--out", out_file,
                           "--paper", "80mm"], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout.strip() == str(out_file) and office.code in pdf_text(out_file)
    done = subprocess.run([exe, "--data-dir", office.data_dir, "status-letter", mistyped(office.code), "--out",
                           out_file], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == EXIT_INVALID and "salah ketik" in done.stderr
