"""Intake tests: a complete, valid draft (the JSON shape of ``lapor-desk intake``) and the staff sections over the
test world's office (Kabupaten Sleman)."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain import Channel, Classification

# A NIK whose district (34.04.12, Ngaglik, Sleman) and birth date (17-08-90) are real.
NIK = "3404121708900001"


def good_draft(**changes: Any) -> dict[str, Any]:
    draft: dict[str, Any] = {
        "classification": Classification.PENGADUAN.value,
        "channel": Channel.PHONE.value,
        "title": "Jalan berlubang di depan Pasar Sleman",
        "description": "Jalan di depan pasar berlubang besar dan membahayakan pengendara motor setiap malam.",
        "incident_date": "2026-02-20",
        "region_code": "34.04.12.2002",
        "address": "Jl. Kaliurang km 9, depan pasar",
        "latitude": None,
        "longitude": None,
        "category_id": None,
        "is_anonymous": False,
        "is_confidential": False,
        "reporter": {"name": "Budi Santoso", "nik": NIK, "phone": "0812 3456 7890", "email": None,
                     "address": None, "assistance_needs": None, "consent_given": True},
        "attachments": [],
    }
    for key, value in changes.items():
        if key.startswith("reporter_"):
            draft["reporter"][key.removeprefix("reporter_")] = value
        else:
            draft[key] = value
    return draft


@pytest.fixture
def draft() -> dict[str, Any]:
    return good_draft()
