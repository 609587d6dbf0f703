"""What the enrolment page accepts before anything goes over the network."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.setup import checks


@pytest.mark.parametrize(("text", "problem"), [
    ("", "empty"),
    ("   ", "empty"),
    ("lapor.example.go.id", "scheme"),
    ("localhost:8000", "scheme"),
    ("ftp://lapor.example.go.id", "scheme"),
    ("https://", "host"),
    ("https://lapor example.go.id", "host"),
    ("https://lapor.example.go.id:99999", "host"),
    ("https://lapor.example.go.id", None),
    ("https://lapor.example.go.id/", None),
    ("HTTP://10.0.0.5:8000", None),
    ("http://127.0.0.1:8765", None),
])
def test_server_address(text: str, problem: str | None) -> None:
    assert checks.url_problem(text) == problem


def test_clean_url_drops_spaces_and_trailing_slash() -> None:
    assert checks.clean_url("  https://lapor.example.go.id/ ") == "https://lapor.example.go.id"


@pytest.mark.parametrize(("text", "problem"), [
    ("", "empty"),
    ("K7QM-4TZP-9WX", "length"),
    ("K7QM-4TZP-9WXAB", "length"),
    ("K7QM/4TZP/9WXA", "length"),
    ("K7QM-4TZP-9WXA", None),
    (" k7qm 4tzp 9wxa ", None),
    ("K7QM4TZP9WXA", None),
])
def test_enrolment_code(text: str, problem: str | None) -> None:
    assert checks.code_problem(text) == problem


def test_proxy_and_ca_bundle(tmp_path: Path) -> None:
    assert checks.proxy_problem("") is None
    assert checks.proxy_problem("http://proxy.pemda.go.id:8080") is None
    assert checks.proxy_problem("proxy.pemda.go.id:8080") == "proxy"
    pem = tmp_path / "ca.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\n")
    assert checks.ca_problem("") is None
    assert checks.ca_problem(str(pem)) is None
    assert checks.ca_problem(str(tmp_path / "missing.pem")) == "missing"
