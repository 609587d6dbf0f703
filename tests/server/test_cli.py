"""The administration CLI (``lapor-server admin ...``) on the same database a running server uses."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from app.security import verify_password
from server import cli
from server.models import Category, Holiday, Office, SlaPolicyRecord, User
from tests.server.support import Backend, protocol_headers


def run(backend: Backend, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run one admin command against the backend's database; (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = cli.run(["admin", argv[0], "--db", backend.db_url, *argv[1:]])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def _user(backend: Backend, username: str) -> User:
    with backend.db.transaction() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one()
        return user


def test_offices_units_and_users(backend: Backend, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    code, office_id, _ = run(backend, capsys, "create-office", "--region", "34.04", "--name",
                             "Pemerintah Kabupaten Sleman", "--tz", "WIB")
    assert code == 0
    with backend.db.transaction() as session:
        office = session.get(Office, office_id)
        assert office is not None and (office.region_code, office.tz) == ("34.04", "Asia/Jakarta")

    code, _, err = run(backend, capsys, "create-office", "--region", "34.04", "--name", "Lagi", "--tz", "WIB")
    assert code == 1 and "Sudah ada instansi" in err
    code, _, err = run(backend, capsys, "create-office", "--region", "99.99", "--name", "Tidak ada", "--tz", "WIT")
    assert code == 1 and "99.99" in err and "tidak dikenal" in err
    with pytest.raises(SystemExit) as usage:
        run(backend, capsys, "create-office", "--region", "51.03", "--name", "Badung", "--tz", "CET")
    assert usage.value.code == 2

    code, unit_id, _ = run(backend, capsys, "create-unit", "--office", "34.04", "--name", "Dinas Pekerjaan Umum")
    assert code == 0 and unit_id

    monkeypatch.setattr("sys.stdin", io.StringIO("Rahasia123\n"))
    code, user_id, _ = run(backend, capsys, "create-user", "--office", office_id, "--username", "Admin.Sleman",
                           "--name", "Admin Sleman", "--role", "ADMIN_INSTANSI", "--password-stdin")
    assert code == 0
    admin_user = _user(backend, "admin.sleman")
    assert admin_user.id == user_id and verify_password(admin_user.password_hash, "Rahasia123")

    code, out, _ = run(backend, capsys, "create-user", "--office", "34.04", "--username", "loket.sleman",
                       "--name", "Petugas Loket", "--role", "PETUGAS_LOKET")
    assert code == 0
    generated = out.splitlines()[-1].removeprefix("Kata sandi awal: ")
    assert verify_password(_user(backend, "loket.sleman").password_hash, generated)

    code, _, _ = run(backend, capsys, "create-user", "--office", "34.04", "--username", "pu.sleman", "--name",
                     "Penghubung PU", "--role", "PENGHUBUNG", "--unit", "Dinas Pekerjaan Umum")
    assert code == 0 and _user(backend, "pu.sleman").unit_id == unit_id
    for extra, message in ((["--role", "PENGHUBUNG"], "unit"),
                           (["--role", "PENGHUBUNG", "--unit", "Dinas Tidak Ada"], "Dinas Tidak Ada"),
                           (["--role", "RAJA"], "RAJA")):
        code, _, err = run(backend, capsys, "create-user", "--office", "34.04", "--username", "orang.baru",
                           "--name", "Orang Baru", *extra)
        assert code == 1 and message in err, err
    code, _, err = run(backend, capsys, "create-user", "--office", "34.04", "--username", "admin.sleman",
                       "--name", "Kembar", "--role", "PIMPINAN")
    assert code == 1 and "sudah dipakai" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    code, _, err = run(backend, capsys, "create-user", "--office", "34.04", "--username", "lemah", "--name",
                       "Sandi Lemah", "--role", "PIMPINAN", "--password-stdin")
    assert code == 1 and err.startswith("Galat:")
    # A user name the desktop's log-in could never match (app.rules.accounts): refused here too.
    code, _, err = run(backend, capsys, "create-user", "--office", "34.04", "--username", "nama dengan spasi",
                       "--name", "Spasi", "--role", "PIMPINAN")
    assert code == 1 and "Nama pengguna 3–64 karakter" in err, err
    code, _, err = run(backend, capsys, "create-unit", "--office", "12.34", "--name", "x")
    assert code == 1 and "tidak ditemukan" in err

    code, _, _ = run(backend, capsys, "disable-user", "loket.sleman")
    assert code == 0 and _user(backend, "loket.sleman").active is False
    assert run(backend, capsys, "disable-user", "tidak.ada")[0] == 1


def test_enrolment_codes_devices_and_eras(backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    run(backend, capsys, "create-office", "--region", "51.03", "--name", "Pemerintah Kabupaten Badung", "--tz", "WITA")
    code, enrol_code, err = run(backend, capsys, "enroll", "--office", "51.03")
    assert code == 0 and len(enrol_code) == 14 and "24 jam" in err
    enrolled = backend.post("/api/v1/enroll", json={"code": enrol_code, "device_name": "PC Badung"},
                            headers=protocol_headers())
    assert enrolled.status_code == 200, enrolled.text
    device = enrolled.json()
    headers = protocol_headers(device["token"])
    assert backend.post("/api/v1/sync/pull", json={}, headers=headers).status_code == 200

    era = backend.get("/version").json()["era"]
    code, out, _ = run(backend, capsys, "rotate-era")
    assert code == 0 and out.startswith("Era baru:")
    assert backend.get("/version").json()["era"] not in (era, None)
    assert backend.get("/version").json()["era"] in out

    code, _, _ = run(backend, capsys, "revoke-device", device["device_id"])
    assert code == 0
    assert backend.post("/api/v1/sync/pull", json={}, headers=headers).status_code == 401
    assert run(backend, capsys, "revoke-device", "tidak-ada")[0] == 1
    assert run(backend, capsys, "enroll", "--office", "12.34")[0] == 1


def test_reference_data_and_api_keys(backend: Backend, capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(backend, capsys, "import-reference", "--years", "2026-2027")
    assert code == 0 and "Kategori baru: 57" in out
    code, out, _ = run(backend, capsys, "import-reference", "--years", "2026")
    assert code == 0 and "Kategori baru: 0" in out  # again: nothing duplicated
    with backend.db.transaction() as session:
        assert session.execute(select(Category)).scalars().all()
        years = {h.day.year for h in session.execute(select(Holiday)).scalars()}
        assert years == {2026, 2027}
        assert session.execute(select(SlaPolicyRecord)).scalars().all()
    categories = tmp_path / "kategori.json"
    categories.write_text(json.dumps([{"id": "uji", "name": "Kategori Uji", "name_en": "Test category"}]))
    code, out, _ = run(backend, capsys, "import-reference", "--categories", str(categories), "--years", "2026")
    assert code == 0 and "Kategori baru: 1" in out
    assert any(s["service_code"] == "uji" for s in backend.get("/open311/v2/services.json").json())

    run(backend, capsys, "create-office", "--region", "73.71", "--name", "Pemerintah Kota Makassar", "--tz", "WITA")
    code, key, _ = run(backend, capsys, "create-api-key", "--name", "Aplikasi Kota", "--office", "73.71")
    assert code == 0 and len(key) >= 40
    form = {"api_key": key, "service_code": "uji", "first_name": "Rudi", "phone": "081355512345",
            "description": "Sampah menumpuk di pinggir jalan dan belum diangkut selama seminggu."}
    assert backend.post("/open311/v2/requests.json", data=form).status_code == 201
    assert backend.post("/open311/v2/requests.json", data={**form, "api_key": key[:-1]}).status_code == 403


def test_migrate_is_idempotent(backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli.run(["migrate", "--db", backend.db_url]) == 0
    assert "mutakhir" in capsys.readouterr().out
