"""``lapor-desk intake FILE.json``: the same checks and service as the window's form; the tracking code alone on
stdout; every problem of a bad file at once, exit 4, nothing written; an account that may not take complaints in,
exit 6; the intake queues for sync like any other change. Synthetic data only."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain import Role, Status
from app.errors import ValidationError
from app.inputs import IntakeInput, ReporterInput, intake_from_mapping
from app.models import Complaint, Reporter, TimelineEvent
from app.rules import tracking
from app.store.db import Store
from tests.app.test_cli import EXIT_INVALID, EXIT_NOT_FOUND, EXIT_OK, Office, cli
from tests.app.test_cli import office as office  # noqa: F401 - the fixture: a store with one complaint

EXIT_DENIED = 6


def _good(office: Office) -> dict[str, Any]:
    return {
        "classification": "PENGADUAN", "channel": "WALK_IN", "title": "Lampu jalan padam di simpang tiga",
        "description": "Lampu penerangan jalan di simpang tiga sudah padam dua minggu, rawan kecelakaan malam hari.",
        "region_code": "34.04.01", "incident_date": (office.world.clock().date() - timedelta(days=2)).isoformat(),
        "latitude": -7.7, "longitude": 110.35, "is_confidential": True,
        "reporter": {"name": "Warga Uji Coba", "nik": "3404010101900001", "phone": "081200000001",
                     "consent_given": True},
    }


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _username(office: Office, role: str) -> str:
    return f"user.{role.lower()}"


def test_a_good_file_is_taken_in_and_prints_the_code(capsys: pytest.CaptureFixture[str], office: Office,
                                                     tmp_path: Path) -> None:
    before = office.complaint_count()
    code, out, err = cli(capsys, office.data_dir, "intake", _write(tmp_path, _good(office)), "--user",
                         _username(office, Role.PETUGAS_LOKET))
    assert code == EXIT_OK, err
    printed = out.strip()
    assert tracking.parse(printed).seq > 0 and printed in err
    assert office.complaint_count() == before + 1
    store: Store = office.open()
    try:
        with store.read() as s:
            c = s.execute(select(Complaint).where(Complaint.tracking_code == printed)).scalar_one()
            assert (c.status, c.channel, c.region_code, c.is_confidential) == (
                Status.BELUM_TERVERIFIKASI, "WALK_IN", "34.04.01", True)
            reporter = s.get(Reporter, c.reporter_id)
            assert reporter is not None and reporter.nik == "3404010101900001" and reporter.consent_at is not None
            kinds = s.execute(select(TimelineEvent.kind).where(TimelineEvent.complaint_id == c.id)).scalars().all()
            assert kinds == ["RECEIVED"] and c.created_by == office.world.users[Role.PETUGAS_LOKET]
    finally:
        store.close()


def test_stdin_and_english(capsys: pytest.CaptureFixture[str], office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(_good(office))))
    code, out, err = cli(capsys, office.data_dir, "--lang", "en", "intake", "-", "--user",
                         _username(office, Role.ADMIN_INSTANSI))
    assert code == EXIT_OK and "goes to the server at the next sync" in err
    tracking.parse(out.strip())


@pytest.mark.parametrize(("change", "fields"), [
    ({"tittle": "x"}, {"tittle"}),  # a misspelt field is never dropped silently
    ({"title": 7, "is_anonymous": "ya", "latitude": "utara"}, {"title", "is_anonymous", "latitude"}),
    ({"incident_date": "30-11-2026"}, {"incident_date"}),
    ({"reporter": {"name": "Warga Uji Coba", "nik": 3404, "telepon": "0812"}}, {"reporter.nik", "reporter.telepon"}),
    ({"title": "Pendek", "description": "kurang", "region_code": "99.99.99"}, {"title", "description", "region_code"}),
    ({"reporter": {"name": "Warga Uji Coba", "phone": "081200000001"}}, {"reporter.consent_given"}),
], ids=["unknown-field", "wrong-types", "date-format", "reporter-shapes", "values", "no-consent"])
def test_a_bad_file_lists_every_problem_and_writes_nothing(capsys: pytest.CaptureFixture[str], office: Office,
                                                           tmp_path: Path, change: dict[str, Any],
                                                           fields: set[str]) -> None:
    before = office.complaint_count()
    code, out, err = cli(capsys, office.data_dir, "intake", _write(tmp_path, _good(office) | change), "--user",
                         _username(office, Role.PETUGAS_LOKET))
    assert code == EXIT_INVALID, (out, err)
    listed = {line.strip()[2:].split(":")[0] for line in out.splitlines() if line.strip().startswith("- ")}
    assert listed == fields, out
    assert office.complaint_count() == before


@pytest.mark.parametrize("text", ["{", "[]", "", "\"just a string\""], ids=["broken", "list", "empty", "string"])
def test_not_an_object_is_a_clear_message(capsys: pytest.CaptureFixture[str], office: Office, tmp_path: Path,
                                          text: str) -> None:
    path = tmp_path / "intake.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = cli(capsys, office.data_dir, "intake", path, "--user", _username(office, Role.PETUGAS_LOKET))
    assert code == EXIT_INVALID and ("JSON" in out or "JSON" in err), (out, err)


def test_a_missing_file_and_an_unknown_or_unfit_account(capsys: pytest.CaptureFixture[str], office: Office,
                                                        tmp_path: Path) -> None:
    good = _write(tmp_path, _good(office))
    code, out, _ = cli(capsys, office.data_dir, "intake", tmp_path / "tidak-ada.json", "--user", "user.petugas_loket")
    assert code == EXIT_INVALID and "tidak dapat dibaca" in out
    code, _, err = cli(capsys, office.data_dir, "intake", good, "--user", "tidak.ada")
    assert code == EXIT_NOT_FOUND and "tidak.ada" in err
    code, _, err = cli(capsys, office.data_dir, "intake", good, "--user", _username(office, Role.PIMPINAN))
    assert code == EXIT_DENIED and "tidak boleh mencatat" in err
    assert office.complaint_count() == 1


def test_the_mapping_is_the_intake_record() -> None:
    parsed = intake_from_mapping({"classification": "ASPIRASI", "channel": "LETTER", "title": "t" * 12,
                                  "description": "d" * 25, "is_anonymous": True, "latitude": 1})
    assert parsed == IntakeInput(classification="ASPIRASI", channel="LETTER", title="t" * 12, description="d" * 25,
                                 is_anonymous=True, latitude=1.0)
    assert intake_from_mapping({"classification": "PENGADUAN", "channel": "PHONE", "title": "a", "description": "b",
                                "reporter": {"name": "Warga"}}).reporter == ReporterInput(name="Warga")
    with pytest.raises(ValidationError) as err:
        intake_from_mapping({"channel": "PHONE", "title": "", "description": None})
    assert set(err.value.fields) == {"classification", "title", "description"}
    with pytest.raises(ValidationError):
        intake_from_mapping(["not", "an", "object"])


def test_a_likely_duplicate_is_said_and_the_complaint_taken_in_all_the_same(capsys: pytest.CaptureFixture[str],
                                                                            office: Office, tmp_path: Path) -> None:
    path = _write(tmp_path, _good(office))
    first = cli(capsys, office.data_dir, "intake", path, "--user", "user.petugas_loket")[1].strip()
    code, out, err = cli(capsys, office.data_dir, "intake", path, "--user", "user.petugas_loket")
    assert code == EXIT_OK and out.strip() != first
    assert f"Kemungkinan duplikat: {first} (NIK sama, telepon sama)" in err, err
