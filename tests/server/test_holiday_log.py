"""``lapor-server serve`` says in its log, before it answers anyone, how far the holiday calendar it hands to the
PCs reaches, and warns before that calendar ends (deadlines past it count holidays as working days)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import uvicorn

from app.rules.sla import HOLIDAY_CUTI_BERSAMA, HOLIDAY_NATIONAL
from server import cli
from server.db import Database, make_engine
from server.models import Holiday


@pytest.fixture
def logging_as_it_was() -> Iterator[None]:
    """serve configures the process's logging; the tests after this one get theirs back."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


TODAY = datetime(2027, 11, 1, 3, 0, tzinfo=UTC)  # 60 days before the end of 2027


def serve_log(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
              holidays_until: int | None) -> list[dict[str, str]]:
    """The JSON log lines of ``lapor-server serve`` on :data:`TODAY`, up to the moment uvicorn would start."""
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    db = Database(make_engine(url))
    cli._database(url).dispose()
    if holidays_until is not None:
        with db.transaction() as session:
            session.add_all([Holiday(day=date(holidays_until, 12, 25), name="Natal", kind=HOLIDAY_NATIONAL),
                             Holiday(day=date(holidays_until, 12, 24), name="Cuti bersama Natal",
                                     kind=HOLIDAY_CUTI_BERSAMA)])
    db.dispose()
    started: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: started.append(app))
    monkeypatch.setattr(cli, "utcnow", lambda: TODAY)
    capsys.readouterr()
    assert cli.run(["serve", "--db", url, "--blob-dir", str(tmp_path / "blobs")]) == 0
    assert started == ["server.main:build"]
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]


@pytest.mark.usefixtures("logging_as_it_was")
def test_serve_warns_when_the_holiday_calendar_ends_within_ninety_days(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    lines = serve_log(tmp_path, capsys, monkeypatch, holidays_until=2027)
    warnings = [line["msg"] for line in lines if line["level"] == "WARNING" and "holiday calendar" in line["msg"]]
    assert len(warnings) == 1, lines
    assert "ends on 2027-12-31" in warnings[0] and "import-reference --years 2028-2029" in warnings[0]

    lines = serve_log(tmp_path / "later", capsys, monkeypatch, holidays_until=2026)
    assert any(line["level"] == "WARNING" and "ended on 2026-12-31" in line["msg"] for line in lines), lines


@pytest.mark.usefixtures("logging_as_it_was")
def test_serve_names_the_calendar_s_end_and_warns_when_there_is_none(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    lines = serve_log(tmp_path, capsys, monkeypatch, holidays_until=2028)
    assert any(line["level"] == "INFO" and "holiday calendar for the PCs until 2028-12-31" in line["msg"]
               for line in lines), lines
    assert not [line for line in lines if line["level"] == "WARNING"]

    lines = serve_log(tmp_path / "empty", capsys, monkeypatch, holidays_until=None)
    assert any(line["level"] == "WARNING" and "no holiday calendar" in line["msg"] for line in lines), lines
