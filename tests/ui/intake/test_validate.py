"""The intake checks behind both forms: every problem at once, keyed by field, in the window's language; a field of
the wrong shape does not hide the problems of the others."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tests.ui.intake.conftest import good_draft
from ui.intake.validate import problems_of

TODAY = date(2026, 3, 2)


def test_a_good_draft_has_no_problems(draft: dict[str, Any]) -> None:
    assert problems_of(draft, today=TODAY) == {}


def test_every_problem_at_once_keyed_by_field() -> None:
    draft = good_draft(title="Jalan", description="rusak", reporter_nik="1234", reporter_phone="12",
                       reporter_consent_given=False, incident_date="2026-03-05", region_code="99.99")
    problems = problems_of(draft, today=TODAY)
    assert set(problems) == {"title", "description", "reporter.nik", "reporter.phone", "reporter.consent_given",
                             "incident_date", "region_code"}
    assert problems["reporter.nik"] == "NIK harus 16 digit angka (tertulis 4)."
    assert problems["incident_date"] == "Tanggal kejadian tidak boleh setelah hari ini."
    assert problems_of(draft, lang="en", today=TODAY)["title"] == "Too short: at least 10 characters (5 given)."


def test_a_wrong_shape_does_not_hide_the_other_fields_problems() -> None:
    draft = good_draft(latitude="utara", longitude=110.4, reporter_nik="3404121708900000")
    del draft["channel"]
    problems = problems_of(draft, today=TODAY)
    assert problems["latitude"] == "Harus berupa angka."
    assert problems["channel"] == "Wajib diisi."
    assert problems["reporter.nik"] == "Empat digit terakhir NIK tidak boleh 0000."


def test_the_contact_the_channel_needs() -> None:
    problems = problems_of(good_draft(channel="EMAIL"), lang="en", today=TODAY)
    assert problems == {"reporter.email": "For a named reporter, give a e-mail so the reporter can be reached."}


def test_files_that_cannot_be_attached_are_named(tmp_path: Path) -> None:
    ok = tmp_path / "surat.pdf"
    ok.write_bytes(b"%PDF-1.4 ...")
    gone = tmp_path / "foto.jpg"
    problems = problems_of(good_draft(attachments=[str(ok), str(gone)]), lang="en", today=TODAY)
    assert list(problems) == ["attachments"]
    assert "foto.jpg" in problems["attachments"] and "surat.pdf" not in problems["attachments"]
