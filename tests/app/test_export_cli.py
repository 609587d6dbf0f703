"""``lapor-desk export``: the path alone on stdout, the count on stderr, the filters as given; a malformed or
future month, reversed dates, an unknown status or unit: exit 4 before any file; personal data only with an office
administrator's account (exit 6 otherwise), audited; an unwritable path: exit 1, a clear message, no file."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app.domain import Role, Status
from app.models import AuditRecord
from app.store.db import open_store
from tests.app.test_cli import EXIT_ERROR, EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, cli
from tests.app.test_export import WIB, Office, read_csv, read_xlsx
from tests.app.test_export import office as office  # noqa: F401 - the fixture
from tests.helpers.world import World

EXIT_DENIED = 6


@pytest.fixture
def data_dir_closed(office: Office, world: World, data_dir: Path) -> Path:
    """The office's data folder with the test's store closed, as a command finds it."""
    world.store.close()
    return data_dir


def audits(data_dir: Path) -> list[tuple[str, str | None, dict[str, object]]]:
    store = open_store(data_dir / "lapor-desk.sqlite3", backup_dir=data_dir / "backups")
    try:
        with store.read() as s:
            return [(r.action, r.user_id, json.loads(r.details_json)) for r in s.execute(
                select(AuditRecord).where(AuditRecord.action.like("export%")).order_by(AuditRecord.id)).scalars()]
    finally:
        store.close()


def test_xlsx_of_this_month_prints_the_path_alone(capsys: pytest.CaptureFixture[str], data_dir_closed: Path,
                                                  world: World, tmp_path: Path) -> None:
    month = world.clock().astimezone(WIB).strftime("%Y-%m")
    code, out, err = cli(capsys, data_dir_closed, "export", "--format", "xlsx", "--out", tmp_path / "a.xlsx",
                         "--month", month, "--user", "user.pimpinan")
    assert code == EXIT_OK, err
    assert out == f"{(tmp_path / 'a.xlsx').resolve()}\n"
    assert "5 laporan diekspor (Excel; tanpa data pribadi pelapor; 1 laporan rahasia tanpa isinya)." in err
    assert len(read_xlsx(tmp_path / "a.xlsx")[1]) == 5
    notes = dict(openpyxl.load_workbook(tmp_path / "a.xlsx")["Keterangan"].iter_rows(min_row=2, values_only=True))
    assert notes["Diterima sejak"].date().isoformat() == f"{month}-01"
    assert audits(data_dir_closed)[-1][0:2] == ("export", world.users[Role.PIMPINAN])


def test_filters_and_english(capsys: pytest.CaptureFixture[str], data_dir_closed: Path, world: World,
                             tmp_path: Path) -> None:
    today = world.clock().astimezone(WIB).date()
    code, out, err = cli(capsys, data_dir_closed, "--lang", "en", "export", "--format", "csv", "--out",
                         tmp_path / "a.csv", "--status", "belum_terverifikasi,DIARSIPKAN", "--status", "DITUNDA",
                         "--from", (today - timedelta(days=1)).isoformat(), "--to", today.isoformat(),
                         "--channel", "walk_in")
    assert code == EXIT_OK, err
    header, rows = read_csv(tmp_path / "a.csv")
    assert header[0] == "Tracking code" and {r[header.index("Status")] for r in rows} == {"Not yet verified",
                                                                                         "Archived"}
    assert len(rows) == 2 and "2 complaints exported (CSV; without reporters' personal data" in err
    details = audits(data_dir_closed)[-1][2]
    assert details["filter"] == {"statuses": ["BELUM_TERVERIFIKASI", "DIARSIPKAN", "DITUNDA"], "channel": "WALK_IN",
                                 "received_from": (today - timedelta(days=1)).isoformat(),
                                 "received_to": today.isoformat()}
    code, _out, err = cli(capsys, data_dir_closed, "export", "--format", "open311", "--out", tmp_path / "u.json",
                          "--unit", "dinas pekerjaan umum")
    assert code == EXIT_OK, err
    assert [r["status_notes"] for r in json.loads((tmp_path / "u.json").read_text(encoding="utf-8"))] == [
        f"{Status.DIDISPOSISIKAN}: Didisposisikan"]
    assert "1 laporan diekspor (Open311 JSON; tanpa data pribadi pelapor; 0 laporan rahasia tidak disertakan)" in err


@pytest.mark.parametrize("args,field", [
    (["--month", "2026-13"], "month"), (["--month", "2026/03"], "month"), (["--month", "2099-01"], "month"),
    (["--month", "2026-03", "--from", "2026-03-01"], "month"), (["--from", "2026-3-1"], "from"),
    (["--from", "2026-03-05", "--to", "2026-03-01"], "to"), (["--from", "2099-01-01"], "from"),
    (["--status", "SELESAI,TUTUP"], "status"), (["--unit", "Dinas Pariwisata"], "unit"),
    (["--channel", "FAX"], "channel"), (["--deadline", "LATE"], "deadline"), (["--category", "olahraga"], "category"),
])
def test_bad_input_is_exit_4_with_a_clear_message_and_no_file(capsys: pytest.CaptureFixture[str],
                                                              data_dir_closed: Path, tmp_path: Path,
                                                              args: list[str], field: str) -> None:
    code, out, err = cli(capsys, data_dir_closed, "export", "--format", "xlsx", "--out", tmp_path / "a.xlsx", *args)
    assert code == EXIT_INVALID and "a.xlsx" not in out
    assert f"  - {field}: " in out and err.startswith("Galat: Data tidak valid")  # as every command says it
    assert not (tmp_path / "a.xlsx").exists()


def test_a_future_month_says_when_today_is(capsys: pytest.CaptureFixture[str], data_dir_closed: Path,
                                           tmp_path: Path) -> None:
    code, _out, err = cli(capsys, data_dir_closed, "--lang", "en", "export", "--format", "csv", "--out",
                          tmp_path / "a.csv", "--month", "2099-04")
    assert code == EXIT_INVALID
    assert re.search(r"The period 2099-04 has not begun yet \(today is \d{4}-\d{2}-\d{2}\)", err)


def test_personal_data_needs_the_office_administrator(capsys: pytest.CaptureFixture[str], data_dir_closed: Path,
                                                      world: World, tmp_path: Path) -> None:
    target = tmp_path / "pribadi.xlsx"
    for user in ([], ["--user", "user.penghubung"], ["--user", "user.pimpinan"]):
        code, out, err = cli(capsys, data_dir_closed, "export", "--format", "xlsx", "--out", target,
                             "--with-personal-data", *user)
        assert code == EXIT_DENIED and out == "" and "admin instansi" in err
    assert not target.exists()
    code, out, err = cli(capsys, data_dir_closed, "export", "--format", "open311", "--out", tmp_path / "a.json",
                         "--with-personal-data", "--user", "user.admin_instansi")
    assert code == EXIT_INVALID and "Open311" in err
    code, out, err = cli(capsys, data_dir_closed, "export", "--format", "xlsx", "--out", target,
                         "--with-personal-data", "--user", "user.admin_instansi")
    assert code == EXIT_OK and "dengan data pribadi pelapor (dicatat di log audit)" in err
    header, rows = read_xlsx(target)
    assert "NIK pelapor" in header and "Sri Wahyuningsih" in [r[header.index("Nama pelapor")] for r in rows]
    action, user_id, details = audits(data_dir_closed)[-1]
    assert (action, user_id, details["rows"], details["personal_data"]) == (
        "export_personal_data", world.users[Role.ADMIN_INSTANSI], 5, True)


def test_unknown_account_is_not_found(capsys: pytest.CaptureFixture[str], data_dir_closed: Path,
                                      tmp_path: Path) -> None:
    code, _out, err = cli(capsys, data_dir_closed, "export", "--format", "csv", "--out", tmp_path / "a.csv",
                          "--user", "siapa")
    assert code == EXIT_NOT_FOUND and "siapa" in err and not (tmp_path / "a.csv").exists()


def test_an_unwritable_path_is_exit_1_and_no_file(capsys: pytest.CaptureFixture[str], data_dir_closed: Path,
                                                  tmp_path: Path) -> None:
    code, out, err = cli(capsys, data_dir_closed, "export", "--format", "xlsx", "--out",
                         tmp_path / "hilang" / "a.xlsx")
    assert code == EXIT_ERROR and out == ""
    assert "Galat: Berkas ekspor tidak dapat ditulis ke" in err and "Tidak ada berkas yang ditulis." in err
    assert not (tmp_path / "hilang").exists() and audits(data_dir_closed) == []


def test_a_bad_format_is_a_usage_error(capsys: pytest.CaptureFixture[str], data_dir_closed: Path,
                                       tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        cli(capsys, data_dir_closed, "export", "--format", "pdf", "--out", tmp_path / "a.pdf")
    assert stop.value.code == 2
