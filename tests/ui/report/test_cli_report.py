"""``lapor-desk report`` through the program's own command line (in-process as the other CLI tests, and once as the
installed console script without a display): the PDF's path alone on stdout, exit 4 for a malformed month or one that
has not begun, 3 for an unknown unit or account, 1 for a file that cannot be written (nothing left behind).
Synthetic data (tests/app/test_report_content.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.store.db import Store
from tests.app.test_cli import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, cli
from tests.app.test_report_content import REPORT_FORBIDDEN, build_report_office
from tests.helpers.world import World
from tests.ui.printing.pdfcheck import pdf_text

EXIT_ERROR, EXIT_DENIED = 1, 6


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """In-process runs paint with the test's QApplication."""


@pytest.fixture
def data(world: World, store: Store, data_dir: Path) -> Path:
    build_report_office(world)
    store.close()
    return data_dir


def test_the_report_is_written_and_its_path_printed(capsys: pytest.CaptureFixture[str], data: Path,
                                                    tmp_path: Path) -> None:
    out_file = tmp_path / "keluar" / "laporan-2026-03.pdf"
    code, out, err = cli(capsys, data, "report", "--month", "2026-03", "--out", out_file, "--user", "user.pimpinan")
    assert code == EXIT_OK, err
    assert out.strip() == str(out_file.resolve()) and err == ""
    text = pdf_text(out_file)
    assert "Maret 2026" in text and "Pemerintah Kabupaten Sleman" in text and "Petugas Pimpinan" in text
    assert "Seluruh unit kerja" in text
    assert not any(secret in text for secret in REPORT_FORBIDDEN)


def test_one_unit(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "kesehatan.pdf"
    code, _, err = cli(capsys, data, "report", "--month", "2026-03", "--out", out_file, "--unit", "dinas kesehatan")
    assert code == EXIT_OK, err
    assert "Laporan bulanan Maret 2026 · Pemerintah Kabupaten Sleman · Dinas Kesehatan" in pdf_text(out_file)


def test_an_empty_month_says_so(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    code, _, err = cli(capsys, data, "report", "--month", "2025-06", "--out", tmp_path / "kosong.pdf")
    assert code == EXIT_OK and "Tidak ada laporan pada Juni 2025: semua angka nol." in err
    assert "Semua angka bulan ini bernilai nol" in pdf_text(tmp_path / "kosong.pdf")


@pytest.mark.parametrize(("month", "says"), [("2026-13", "Bulan tidak valid"), ("Oktober", "Bulan tidak valid"),
                                             ("2026-3", "Bulan tidak valid"), ("2999-01", "belum dimulai")])
def test_a_malformed_or_future_month(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, month: str,
                                     says: str) -> None:
    code, out, err = cli(capsys, data, "report", "--month", month, "--out", tmp_path / "x.pdf")
    assert code == EXIT_INVALID and says in out + err  # as every command reports a field's error
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(("flag", "value", "says"), [("--unit", "Dinas Pariwisata", "Unit yang ada: Dinas Kesehatan"),
                                                     ("--user", "tidak.ada", "Akun aktif 'tidak.ada'")])
def test_an_unknown_unit_or_account(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path, flag: str,
                                    value: str, says: str) -> None:
    code, out, err = cli(capsys, data, "report", "--month", "2026-03", "--out", tmp_path / "x.pdf", flag, value)
    assert code == EXIT_NOT_FOUND and out == "" and says in err
    assert not (tmp_path / "x.pdf").exists()


def test_an_unwritable_path(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "keluar"
    folder.mkdir()
    (folder / "berkas").write_text("bukan folder")
    code, out, err = cli(capsys, data, "report", "--month", "2026-03", "--out", folder / "berkas" / "laporan.pdf")
    assert code == EXIT_ERROR and out == "" and "tidak dapat disimpan" in err
    assert sorted(p.name for p in folder.iterdir()) == ["berkas"]


def test_the_console_script_without_a_display(data: Path, tmp_path: Path) -> None:
    exe = shutil.which("lapor-desk", path=str(Path(sys.executable).parent))
    assert exe is not None
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out_file = tmp_path / "laporan.pdf"
    done = subprocess.run([exe, "--data-dir", data, "report", "--month", "2026-03", "--out", out_file],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out_file.resolve()) and "Maret 2026" in pdf_text(out_file)


@pytest.mark.parametrize(("user", "unit"), [("user.petugas_loket", None), ("user.it_admin", None),
                                            ("user.penghubung", "Dinas Kesehatan")])
def test_an_account_that_may_not_make_the_report(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path,
                                                 user: str, unit: str | None) -> None:
    extra = ["--unit", unit] if unit else []
    code, out, err = cli(capsys, data, "report", "--month", "2026-03", "--out", tmp_path / "x.pdf", "--user", user,
                         *extra)
    assert code == EXIT_DENIED and out == "" and ("Laporan bulanan hanya" in err or "unit kerjanya sendiri" in err)
    assert not (tmp_path / "x.pdf").exists()


def test_a_unit_liaison_gets_their_unit(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    code, _, err = cli(capsys, data, "report", "--month", "2026-03", "--out", tmp_path / "pu.pdf", "--user",
                       "user.penghubung")
    assert code == EXIT_OK, err
    assert "Pemerintah Kabupaten Sleman · Dinas Pekerjaan Umum" in pdf_text(tmp_path / "pu.pdf")
