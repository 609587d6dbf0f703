"""A PC whose clock is a year behind: the server is the authority (it assigns versions; client clocks are for display
only), so the PC syncs normally, and ``lapor-desk sync --status`` warns about the skew."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.cli import run as lapor_desk
from app.timeutil import utcnow
from sync.state import read_status
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled
from tests.sync.fleet import Fleet

YEAR = timedelta(days=365)


def test_a_year_behind_syncs_and_reports_skew(fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    office = fleet.office()
    late = fleet.pc(office, clock=lambda: utcnow() - YEAR)
    right = fleet.pc(office)

    cid = late.intake(1)
    late.dispose(cid)
    late.note(cid, "Dicatat dengan jam PC yang salah")
    other = right.intake(2)
    right.sync()
    report = late.sync()
    assert report.pushed == 3 and not report.rejected
    assert other in report.new_complaint_ids
    right.sync()
    right.dispose(other)
    right.sync()
    late.sync()

    for pc in (late, right):
        assert_outbox_settled(pc)
        pc.assert_converged()
    assert_no_duplicates(fleet.server.db, office.id)

    with late.store.read() as s:
        skew = read_status(s).clock_skew_seconds
    assert skew is not None and abs(skew - YEAR.total_seconds()) < 3600

    capsys.readouterr()
    assert lapor_desk(["--data-dir", str(late.paths.data_dir), "--lang", "en", "sync", "--status"]) == 0
    out = capsys.readouterr().out
    assert "Warning: this PC's clock is 365 days behind the server" in out
    assert "Pending changes  : 0" in out
    assert lapor_desk(["--data-dir", str(right.paths.data_dir), "--lang", "en", "sync", "--status"]) == 0
    assert "Warning" not in capsys.readouterr().out
