"""A PC's first download comes as snapshot pages, applied page by page with the next one fetched meanwhile: the
result equals the server's office (digest), a page that fails to apply leaves the cursor where the last committed
transaction put it (pages are written two to a transaction), and a
server that does not know snapshots (older than protocol 3) is downloaded from its change log instead."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from app.errors import Message
from sync import apply_pull, engine
from sync.protocol import Table
from sync.transport import ServerRefused
from tests.sync.fleet import PC, Fleet, Office


def busy(office: Office, fleet: Fleet, n: int = 7) -> None:
    """An office with complaints changed in several transactions (a PC on the server's side works them)."""
    office.online_complaints(n)
    worker = fleet.pc(office)
    for cid in sorted(worker.complaint_ids())[:3]:
        worker.dispose(cid)
        worker.note(cid)
    worker.sync_until_quiet()


def record_pulls(pc: PC, monkeypatch: pytest.MonkeyPatch, *, refuse_snapshot: bool = False
                 ) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Each pull the PC makes: its body and the answer. ``refuse_snapshot``: answer as a server older than
    protocol 3 does to a field it does not know."""
    seen: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    request = pc.engine.transport.request

    def recording(method: str, path: str, **kwargs: Any) -> requests.Response:
        if not path.endswith("/sync/pull"):
            return request(method, path, **kwargs)
        body = dict(kwargs.get("json_body") or {})
        if refuse_snapshot and "snapshot" in body:
            seen.append((body, None))
            raise ServerRefused(Message("Permintaan tidak valid.", "Invalid request."), 422, "invalid_request")
        response = request(method, path, **kwargs)
        seen.append((body, response.json()))
        return response

    monkeypatch.setattr(pc.engine.transport, "request", recording)
    return seen


def test_first_download_as_snapshot_pages_equals_the_server(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    office = fleet.office()
    busy(office, fleet)
    monkeypatch.setattr(engine, "PULL_LIMIT", 2)  # 7 complaints: 4 snapshot pages
    pc = fleet.pc(office, first_sync=False)
    seen = record_pulls(pc, monkeypatch)
    pc.sync()
    assert all(body.get("snapshot") is True for body, _ in seen)
    pages = [answer["tables"] for _, answer in seen if answer and answer.get("tables")]  # protocol 6: as tables
    assert [len(p["complaints"]["rows"]) for p in pages] == [2, 2, 2, 1]
    pc.assert_converged()
    assert pc.sync().pulled_complaints == 0  # nothing sent twice afterwards


@pytest.mark.parametrize(("per_transaction", "failing", "kept"), [
    (1, 2, 2),  # a page alone in its transaction: the page before it is kept, nothing of the failed one
    (2, 2, 0),  # the second of two pages written together: neither is kept
    (2, 3, 4),  # the first page of the next transaction: the two before it are kept
])
def test_a_page_that_fails_to_apply_keeps_the_cursor_before_it(fleet: Fleet, monkeypatch: pytest.MonkeyPatch,
                                                               per_transaction: int, failing: int, kept: int) -> None:
    """Pages of 2 complaints (7 complaints: 4 pages); the ``failing``-th page written fails. What committed before
    its transaction stays, with its cursor; the next sync goes on from there and ends equal to the server."""
    office = fleet.office()
    busy(office, fleet)
    monkeypatch.setattr(engine, "PULL_LIMIT", 2)
    monkeypatch.setattr(engine, "PAGES_PER_TRANSACTION", per_transaction)
    pc = fleet.pc(office, first_sync=False)
    real = apply_pull.apply_changes
    calls = 0

    def fail_on_one(*args: Any, **kwargs: Any) -> apply_pull.PageResult:
        nonlocal calls
        calls += 1
        if calls == failing:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "apply_changes", fail_on_one)
    with pytest.raises(OSError):
        pc.sync()
    assert len(pc.complaint_ids()) == kept
    monkeypatch.setattr(engine, "apply_changes", real)
    pc.sync()
    pc.assert_converged()


def test_a_server_without_snapshots_is_read_from_its_change_log(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    office = fleet.office()
    busy(office, fleet)
    pc = fleet.pc(office, first_sync=False)
    seen = record_pulls(pc, monkeypatch, refuse_snapshot=True)
    pc.sync()
    pc.assert_converged()
    assert "snapshot" in seen[0][0] and seen[0][1] is None
    assert all("snapshot" not in body and answer is not None for body, answer in seen[1:])


def test_a_table_row_of_another_width_is_refused() -> None:
    """A snapshot table's rows are zipped with its columns: a row shorter or longer than them is a page cut or
    garbled, never a complaint with its columns shifted or left out."""
    table = Table(cols=["id", "title"], rows=[["a", "Jalan rusak"], ["b", "Lampu mati"]])
    assert table.dicts() == [{"id": "a", "title": "Jalan rusak"}, {"id": "b", "title": "Lampu mati"}]
    assert Table(cols=["id"], rows=[]).dicts() == []
    for rows in ([["a", "Jalan rusak"], ["b"]], [["a", "Jalan rusak", "lebih"]]):
        with pytest.raises(ValueError, match="2 columns"):
            Table(cols=["id", "title"], rows=rows).dicts()
