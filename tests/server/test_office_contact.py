"""The office's contact details on the national server: ``lapor-server admin set-office-contact`` (checked and
normalised, every problem at once and nothing written, fields cleared), the migration that adds the columns (s0006,
from a database at s0005 holding an office and back down, on SQLite and PostgreSQL), and the reference data that
carries them to the calling office's PCs (and leaves them out for a client older than protocol 5). Synthetic data
only."""

from __future__ import annotations

import warnings

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from server import admin, cli
from server.db import Database, alembic_config, make_engine, migrate
from server.models import Office, ServerBase
from server.state import reference_version
from sync.protocol import CONTACT_PROTOCOL, HEADER_PROTOCOL, ReferenceData
from tests.server.support import Backend, Device, SeededOffice

COLUMNS = ("contact_address", "contact_phone", "contact_email", "contact_website", "service_hours")
SLEMAN = {"--address": "Jl. Contoh Pelayanan  No. 1,\nTridadi, Sleman 55511", "--phone": "0274-868405",
          "--email": "Pengaduan@Contoh.GO.ID", "--website": "pengaduan.contoh.go.id/",
          "--hours": "Senin–Jumat 08.00–15.00 WIB"}
STORED = ("Jl. Contoh Pelayanan No. 1, Tridadi, Sleman 55511", "+62274868405", "Pengaduan@contoh.go.id",
          "https://pengaduan.contoh.go.id", "Senin–Jumat 08.00–15.00 WIB")


def run(backend: Backend, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.run(["admin", "set-office-contact", "--db", backend.db_url, *argv])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def stored(backend: Backend, office_id: str) -> tuple[str | None, ...]:
    with backend.db.transaction() as session:
        office = session.get(Office, office_id)
        assert office is not None
        return tuple(getattr(office, column) for column in COLUMNS)


def version(backend: Backend) -> int:
    with backend.db.transaction() as session:
        return reference_version(session)


def flags(values: dict[str, str]) -> list[str]:
    return [part for flag, value in values.items() for part in (flag, value)]


# ---- the admin command --------------------------------------------------------------------------------------------


def test_set_office_contact_checks_normalises_and_bumps_the_reference_version(
        backend: Backend, office_a: SeededOffice, office_b: SeededOffice, capsys: pytest.CaptureFixture[str]) -> None:
    before = version(backend)
    code, out, err = run(backend, capsys, "--office", "34.04", *flags(SLEMAN))
    assert (code, err) == (0, "")
    assert stored(backend, office_a.id) == STORED
    assert stored(backend, office_b.id) == (None,) * 5  # another office untouched
    assert version(backend) == before + 1
    assert out.startswith("Kontak Pemerintah Kabupaten Sleman disimpan") and f"versi {before + 1}" in out
    assert "(0274) 868405 · +62274868405" in out and "https://pengaduan.contoh.go.id" in out
    # The same again changes nothing, and the PCs are not sent to fetch anything.
    code, out, _ = run(backend, capsys, "--office", office_a.id, "--phone", "(0274) 868405")
    assert code == 0 and "tidak ada yang diubah" in out and version(backend) == before + 1
    # One field changed, the others kept; a mobile number as the office's phone is fine too.
    code, out, _ = run(backend, capsys, "--office", "34.04", "--phone", "+62 812 3456 7890")
    assert code == 0 and stored(backend, office_a.id) == (STORED[0], "+6281234567890", *STORED[2:])
    assert version(backend) == before + 2 and "0812-3456-7890" in out


@pytest.mark.parametrize(("landline", "e164"), [
    ("0274-123456", "+62274123456"), ("(0274) 123456", "+62274123456"), ("021-12345678", "+622112345678"),
    ("0627-21234", "+6262721234"), ("+62 274 123456", "+62274123456")])
def test_landlines_are_accepted(backend: Backend, office_a: SeededOffice, capsys: pytest.CaptureFixture[str],
                                landline: str, e164: str) -> None:
    code, _, err = run(backend, capsys, "--office", "34.04", "--phone", landline)
    assert (code, err) == (0, "") and stored(backend, office_a.id)[1] == e164


def test_invalid_input_is_refused_whole_with_every_problem_at_once(
        backend: Backend, office_a: SeededOffice, capsys: pytest.CaptureFixture[str]) -> None:
    run(backend, capsys, "--office", "34.04", *flags(SLEMAN))
    before = version(backend)
    code, out, err = run(backend, capsys, "--office", "34.04", "--address", "x" * 301, "--phone", "1500-123",
                         "--email", "pengaduan@", "--website", "http://pengaduan.contoh.go.id",
                         "--hours", "y" * 201)
    assert code == 1 and out == ""
    assert err.startswith("Galat: kontak instansi tidak disimpan")
    assert "Error: the office's contact was not saved" in err
    for flag, id_text, en_text in (
            ("--address", "maksimal 300 karakter (tertulis 301)", "at most 300 characters (301 given)"),
            ("--phone", "Nomor telepon harus diawali 0, 8, 62, atau +62", "must start with 0, 8, 62 or +62"),
            ("--email", "Alamat e-mail tidak valid", "E-mail address is not valid"),
            ("--website", "harus diawali https://", "must start with https://"),
            ("--hours", "maksimal 200 karakter (tertulis 201)", "at most 200 characters (201 given)")):
        [line] = [line for line in err.splitlines() if line.strip().startswith(flag + ":")]
        assert id_text in line, line
        assert en_text in err, en_text
    # Nothing written, not even the fields that were fine, and the PCs have nothing new to fetch.
    code, _, err = run(backend, capsys, "--office", "34.04", "--phone", "0274-999888", "--website", "ftp://x.go.id")
    assert code == 1 and "--website" in err and "--phone" not in err
    assert stored(backend, office_a.id) == STORED and version(backend) == before


def test_clear_fields(backend: Backend, office_a: SeededOffice, capsys: pytest.CaptureFixture[str]) -> None:
    run(backend, capsys, "--office", "34.04", *flags(SLEMAN))
    before = version(backend)
    code, out, _ = run(backend, capsys, "--office", "34.04", "--clear", "website", "hours")
    assert code == 0 and stored(backend, office_a.id) == (*STORED[:3], None, None)
    assert version(backend) == before + 1 and "Situs web:   -" in out and "Jam layanan: -" in out
    code, _, _ = run(backend, capsys, "--office", "34.04", "--clear", "address", "--clear", "email", "--phone",
                     "0274-777666")
    assert code == 0 and stored(backend, office_a.id) == (None, "+62274777666", None, None, None)
    code, _, err = run(backend, capsys, "--office", "34.04", "--phone", "0274-868405", "--clear", "phone")
    assert code == 1 and "--phone: diisi dan dikosongkan sekaligus" in err
    assert stored(backend, office_a.id)[1] == "+62274777666"


def test_usage_and_unknown_office(backend: Backend, office_a: SeededOffice,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(backend, capsys, "--office", "34.04")
    assert code == 2 and "tidak ada yang diubah" in err and "nothing to change" in err
    code, _, err = run(backend, capsys, "--office", "12.34", "--phone", "0274-868405")
    assert code == 1 and "Instansi '12.34' tidak ditemukan" in err
    with pytest.raises(SystemExit) as usage:
        run(backend, capsys, "--office", "34.04", "--clear", "fax")
    assert usage.value.code == 2


# ---- the reference data -------------------------------------------------------------------------------------------


def test_reference_data_carries_the_calling_offices_contact(backend: Backend, device_a: Device, device_b: Device,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    body = ReferenceData.model_validate_json(backend.get("/api/v1/reference", headers=device_a.headers).content)
    assert body.office_contact is not None and body.office_contact.model_dump() == dict.fromkeys(
        ("address", "phone", "email", "website", "service_hours"))
    run(backend, capsys, "--office", "34.04", *flags(SLEMAN))
    run(backend, capsys, "--office", "51.03", "--phone", "0361-000104")
    mine = ReferenceData.model_validate_json(backend.get("/api/v1/reference", headers=device_a.headers).content)
    assert mine.office_contact is not None
    assert tuple(mine.office_contact.model_dump().values()) == STORED
    theirs = ReferenceData.model_validate_json(backend.get("/api/v1/reference", headers=device_b.headers).content)
    assert theirs.office_contact is not None and theirs.office_contact.phone == "+62361000104"
    assert theirs.office_contact.address is None and theirs.version == mine.version


def test_a_client_older_than_protocol_5_gets_no_contact_field(backend: Backend, device_a: Device,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Older clients refuse unknown fields (their ReferenceData forbids extras): the field must not be there."""
    run(backend, capsys, "--office", "34.04", *flags(SLEMAN))
    old = backend.get("/api/v1/reference", headers={**device_a.headers, HEADER_PROTOCOL: str(CONTACT_PROTOCOL - 1)})
    assert old.status_code == 200 and "office_contact" not in old.json()
    assert set(old.json()) == {"categories", "sla_policy", "holidays", "units", "users", "version"}
    assert "0274" not in old.text
    assert "office_contact" in backend.get("/api/v1/reference", headers=device_a.headers).json()


# ---- the migration ------------------------------------------------------------------------------------------------


def test_s0006_adds_the_contact_columns_to_offices_that_exist(empty_database: str) -> None:
    engine = make_engine(empty_database)
    try:
        migrate(engine, "s0005")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO offices (id, region_code, name, tz, next_device_no, version) "
                              "VALUES ('kantor-1', '34.04', 'Pemerintah Kabupaten Sleman', 'Asia/Jakarta', 3, 2)"))
            conn.execute(text("INSERT INTO units (id, office_id, name, active, version) "
                              "VALUES ('unit-1', 'kantor-1', 'Dinas Pekerjaan Umum', true, 1)"))
        assert not set(COLUMNS) & {c["name"] for c in inspect(engine).get_columns("offices")}
        migrate(engine)
        columns = {c["name"]: c for c in inspect(engine).get_columns("offices")}
        assert all(columns[name]["nullable"] for name in COLUMNS)
        assert [columns[name]["type"].length for name in COLUMNS] == [300, 20, 254, 200, 200]
        db = Database(engine)
        with db.transaction() as session:
            office = session.execute(select(Office)).scalar_one()
            assert (office.id, office.name, office.next_device_no, office.version) == (
                "kantor-1", "Pemerintah Kabupaten Sleman", 3, 2)
            assert [getattr(office, name) for name in COLUMNS] == [None] * 5
            admin.set_office_contact(session, office, values={"phone": "0274-868405", "address": "x" * 300})
        with db.transaction() as session:
            office = session.execute(select(Office)).scalar_one()
            assert (office.contact_phone, office.contact_address) == ("+62274868405", "x" * 300)
        # Down again (foreign keys on: the offices table is altered in place, not copied) and back up.
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "s0005")
        assert not set(COLUMNS) & {c["name"] for c in inspect(engine).get_columns("offices")}
        with engine.begin() as conn:  # the office and the unit that points at it are still there
            assert conn.execute(text("SELECT o.name FROM units u JOIN offices o ON o.id = u.office_id")
                                ).scalar_one() == "Pemerintah Kabupaten Sleman"
        migrate(engine)
        assert set(COLUMNS) <= {c["name"] for c in inspect(engine).get_columns("offices")}
    finally:
        engine.dispose()


def test_the_migrated_schema_matches_the_models(empty_database: str) -> None:
    """Every server migration, applied from nothing, gives the tables server.models declares (s0006 included)."""
    engine = make_engine(empty_database)
    try:
        migrate(engine)
        with engine.connect() as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLite's reflection warns about what it cannot read back
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "target_metadata": ServerBase.metadata})
            diff = compare_metadata(ctx, ServerBase.metadata)
    finally:
        engine.dispose()
    assert diff == []
