"""``lapor-desk config show``: each effective value and where it came from, in Indonesian by default and in English
with --lang en; the problems of a bad machine file, and exit code 4 while there are any."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import run
from app.machine_config import MACHINE_FILE_ENV


def show(capsys: pytest.CaptureFixture[str], *args: str, lang: str = "id") -> tuple[int, dict[str, str], str]:
    code = run(["--lang", lang, *args])
    out = capsys.readouterr().out
    rows = {}
    for line in out.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0] in {"server_url", "office", "ca_bundle", "proxy", "auto_sync_minutes",
                                             "backup.daily", "backup.weekly", "language"}:
            rows[parts[0]] = parts[1] + "  " + parts[2]
    return code, rows, out


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "lapor-desk.toml"
    path.write_text('server_url = "https://lapor.example.go.id"\nproxy = "http://proxy.pemda:8080"\n'
                    'locked = ["proxy"]\n[backup]\ndaily = 14\n', encoding="utf-8")
    monkeypatch.setenv(MACHINE_FILE_ENV, str(path))
    return path


def test_every_source_is_named_in_indonesian(capsys: pytest.CaptureFixture[str], machine: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.ini").write_text("[sync]\nauto_sync_minutes=3\n")
    monkeypatch.setenv("LAPOR_DESK_BACKUP_WEEKLY", "9")
    code, rows, out = show(capsys, "--data-dir", str(data), "config", "show", "--office", "34.04")
    assert code == 0, out
    assert f"Berkas mesin: {machine} (ada;" in out
    assert rows == {
        "server_url": f"https://lapor.example.go.id  berkas mesin {machine}",
        "office": "34.04  baris perintah",
        "ca_bundle": "-  bawaan",
        "proxy": f"http://proxy.pemda:8080  berkas mesin {machine} (dikunci TI)",
        "auto_sync_minutes": "3  pengaturan pengguna",
        "backup.daily": f"14  berkas mesin {machine}",
        "backup.weekly": "9  variabel lingkungan LAPOR_DESK_BACKUP_WEEKLY",
        "language": "id  bawaan",
    }


def test_english_with_lang_en(capsys: pytest.CaptureFixture[str], machine: Path, tmp_path: Path) -> None:
    code, rows, out = show(capsys, "--data-dir", str(tmp_path / "data"), "config", "show", lang="en")
    assert code == 0, out
    assert f"Machine file: {machine} (present;" in out
    assert rows["proxy"] == f"http://proxy.pemda:8080  machine file {machine} (locked by IT)"
    assert rows["language"] == "id  default"
    assert not (tmp_path / "data").exists()  # showing the configuration makes no data folder


def test_a_bad_machine_file_is_shown_with_its_line_and_key_and_exits_4(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "lapor-desk.toml"
    path.write_text('language = "id"\nauto_sync_minutes = "lima"\n', encoding="utf-8")
    monkeypatch.setenv(MACHINE_FILE_ENV, str(path))
    code, rows, out = show(capsys, "--data-dir", str(tmp_path / "d"), "config", "show")
    assert code == 4
    assert rows["auto_sync_minutes"] == "10  bawaan" and rows["language"] == f"id  berkas mesin {path}"
    assert f"{path}, baris 2, kunci 'auto_sync_minutes': harus bilangan bulat" in out
    code, _rows, out = show(capsys, "--data-dir", str(tmp_path / "d"), "config", "show", lang="en")
    assert code == 4 and f"{path}, line 2, key 'auto_sync_minutes': must be a whole number" in out


def test_without_a_machine_file_everything_is_a_default(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, rows, out = show(capsys, "--data-dir", str(tmp_path / "d"), "config", "show", lang="en")
    assert code == 0 and "(absent;" in out
    assert all(row.endswith("default") for row in rows.values()) and len(rows) == 8
