"""A new PC with nothing to send asks for its first pull page while its reference data is installed
(sync.first_page.EarlyPage): the page is asked for once, used by the pull, and the download equals the office. A PC
with a change waiting pushes first, as before. A reference step that fails leaves no fetch running, and the next sync
downloads everything. Synthetic data only.

The reference step is held (up to a bound) until the first page has been asked for, so the overlap is shown by the
order of the requests, not by a time."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests

from app.errors import Message
from app.store import meta
from sync import reference, state
from sync.transport import SyncError
from tests.sync.fleet import PC, Fleet

ENOUGH = 10.0  # seconds the held reference step waits for the early page before it goes on anyway


def record_requests(pc: PC, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Each request the PC's sync sends (path, JSON body), in the order they were sent, from any thread."""
    seen: list[tuple[str, dict[str, Any]]] = []
    request = pc.engine.transport.request

    def recording(method: str, path: str, **kwargs: Any) -> requests.Response:
        seen.append((path, dict(kwargs.get("json_body") or {})))
        return request(method, path, **kwargs)

    monkeypatch.setattr(pc.engine.transport, "request", recording)
    return seen


def pulls(seen: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [body for path, body in seen if path.endswith("/sync/pull")]


def hold_reference(monkeypatch: pytest.MonkeyPatch, seen: list[tuple[str, dict[str, Any]]], wait: float,
                   fail: bool = False) -> list[int]:
    """The reference step, first waiting up to ``wait`` s for a pull request to go out; what it saw is returned
    (the number of pulls sent before it installed). ``fail``: it then fails as a refused request would."""
    during: list[int] = []
    real = reference.sync_reference

    def held(*args: Any, **kwargs: Any) -> bool:
        deadline = time.monotonic() + wait
        while not pulls(seen) and time.monotonic() < deadline:
            time.sleep(0.01)
        during.append(len(pulls(seen)))
        if fail:
            raise SyncError(Message("Server menolak permintaan.", "The server refused the request."))
        return real(*args, **kwargs)

    monkeypatch.setattr(reference, "sync_reference", held)
    return during


def new_pc(fleet: Fleet, monkeypatch: pytest.MonkeyPatch, complaints: int, *, fail: bool = False
           ) -> tuple[PC, set[str], list[tuple[str, dict[str, Any]]], list[int]]:
    """A new PC of an office with ``complaints`` complaints filed online, its requests recorded, its reference step
    held until its first page is asked for (``fail``: the step then fails)."""
    office = fleet.office()
    online = set(office.online_complaints(complaints))
    pc = fleet.pc(office, first_sync=False)
    seen = record_requests(pc, monkeypatch)
    return pc, online, seen, hold_reference(monkeypatch, seen, ENOUGH, fail=fail)


def early_fetches_running() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("lapor-pull-first")]


def test_a_new_pcs_first_page_is_asked_for_while_its_reference_data_installs(
        fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    pc, online, seen, during = new_pc(fleet, monkeypatch, 6)

    pc.sync()

    assert during[0] == 1  # the first page was asked for before the reference data was in
    first_pages = [body for body in pulls(seen) if body.get("cursor") is None]
    assert len(first_pages) == 1  # and the pull used it: not asked for again
    assert first_pages[0]["snapshot"] is True
    assert pc.complaint_ids() == online
    assert early_fetches_running() == []
    # Synced since: no reference step, no early page.
    seen.clear()
    pc.sync()
    assert all(body.get("cursor") for body in pulls(seen))


@pytest.mark.parametrize("cursor", ["kept", "cleared"])
def test_a_pc_with_a_change_waiting_pushes_it_before_it_pulls(fleet: Fleet, monkeypatch: pytest.MonkeyPatch,
                                                              cursor: str) -> None:
    """An update to a newer protocol has a PC fetch its reference data again before anything else (as a new PC
    does); with a change waiting (and its download's position kept, or starting again) it pushes before it pulls."""
    office = fleet.office()
    online = set(office.online_complaints(3))
    pc = fleet.pc(office)
    mine = pc.intake(1)
    with pc.store.transaction() as s:
        meta.put(s, state.REFERENCE_PROTOCOL, "5")  # installed by the version before the update
        if cursor == "cleared":
            meta.put(s, state.CURSOR, "")
    seen = record_requests(pc, monkeypatch)
    during = hold_reference(monkeypatch, seen, 0.5)  # (an early page would go out at once)

    pc.sync()

    assert during == [0]
    paths = [path.rsplit("/", 1)[-1] for path, _ in seen]
    assert "push" in paths and paths.index("push") < paths.index("pull")
    assert pc.complaint_ids() == online | {mine}
    assert pc.pending() == 0


def test_a_failed_reference_step_leaves_no_fetch_and_the_next_sync_downloads_all(
        fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    pc, online, _seen, during = new_pc(fleet, monkeypatch, 4, fail=True)

    with pytest.raises(SyncError):
        pc.sync()
    assert during == [1]  # the early page had been asked for; it is dropped with the failed sync
    assert early_fetches_running() == []
    assert pc.complaint_ids() == set()

    monkeypatch.undo()  # the reference step as it is, and nothing recorded
    pc.sync()
    assert pc.complaint_ids() == online
