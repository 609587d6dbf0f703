"""The rules of an office's contact details (app.rules.office_contact): what the national admin may set, the forms
it is stored in, and the forms the citizen's paper prints. Synthetic data only."""

from __future__ import annotations

import pytest

from app.errors import ValidationError
from app.rules.office_contact import (
    ADDRESS_MAX,
    HOURS_MAX,
    WEBSITE_MAX,
    check_contact,
    display_phone,
    display_website,
    website,
)
from app.rules.validation import FieldInvalid


def test_every_field_checked_and_normalised() -> None:
    assert check_contact({"address": "  Jl. Contoh   No. 1,\n Sleman ", "phone": "(0274) 868-405",
                          "email": "Pengaduan@Contoh.GO.ID", "website": "Pengaduan.Contoh.go.id/",
                          "service_hours": "Senin–Jumat\t08.00–15.00 WIB"}) == {
        "address": "Jl. Contoh No. 1, Sleman", "phone": "+62274868405", "email": "Pengaduan@contoh.go.id",
        "website": "https://pengaduan.contoh.go.id", "service_hours": "Senin–Jumat 08.00–15.00 WIB"}
    assert check_contact({}) == {}


def test_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        check_contact({"address": "Jl", "phone": "112", "email": "@contoh.go.id", "website": "http://contoh.go.id",
                       "service_hours": "x" * (HOURS_MAX + 1)})
    assert set(caught.value.fields) == {"address", "phone", "email", "website", "service_hours"}
    assert "minimal 5 karakter" in caught.value.fields["address"].id
    assert f"maksimal {HOURS_MAX} karakter" in caught.value.fields["service_hours"].id
    with pytest.raises(ValidationError) as caught:
        check_contact({"address": "Jl. Contoh\x00No. 1", "phone": "0274-868405"})
    assert set(caught.value.fields) == {"address"} and "karakter kendali" in caught.value.fields["address"].id
    assert check_contact({"address": "a" * ADDRESS_MAX})["address"] == "a" * ADDRESS_MAX


@pytest.mark.parametrize(("typed", "stored"), [
    ("contoh.go.id", "https://contoh.go.id"), ("HTTPS://Contoh.GO.ID/", "https://contoh.go.id"),
    ("https://contoh.go.id/Pengaduan?tab=1", "https://contoh.go.id/Pengaduan?tab=1"),
    ("https://contoh.go.id:8443/", "https://contoh.go.id:8443"), ("https://xn--contoh-9ya.id", "https://xn--contoh-9ya.id"),
])
def test_websites_accepted(typed: str, stored: str) -> None:
    assert website(typed) == stored


@pytest.mark.parametrize(("typed", "why"), [
    ("http://contoh.go.id", "https://"), ("ftp://contoh.go.id", "https://"), ("https://admin:rahasia@contoh.go.id",
                                                                             "contoh yang benar"),
    ("https://127.0.0.1", "contoh yang benar"), ("https://localhost", "contoh yang benar"),
    ("https://contoh go.id", "contoh yang benar"), ("https://contoh.go.id:99999", "contoh yang benar"),
    ("", "belum diisi"), ("https://contoh.go.id/" + "a" * WEBSITE_MAX, "terlalu panjang"),
])
def test_websites_refused(typed: str, why: str) -> None:
    with pytest.raises(FieldInvalid) as caught:
        website(typed)
    assert why in caught.value.message.id


def test_printed_forms() -> None:
    assert display_phone("+62274868405") == "(0274) 868405"
    assert display_phone("+622112345678") == "(021) 12345678"
    assert display_phone("+6262721234") == "(0627) 21234"
    assert display_phone("+6281234567890") == "0812-3456-7890"
    assert display_phone("+628123456789") == "0812-3456-789"
    assert display_website("https://pengaduan.contoh.go.id") == "pengaduan.contoh.go.id"
    assert display_website("https://contoh.go.id/lapor") == "contoh.go.id/lapor"
