"""Pulled pages are written two to a transaction (sync.engine.PAGES_PER_TRANSACTION) only when the second page asks
for nothing to happen between them (sync.engine._continues): a new era, a restart of the download, this PC's state
on the server, or changed reference data each wait for their own turn of the pull loop."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sync.engine import PAGES_PER_TRANSACTION, _continues
from sync.protocol import DeviceState, PullResponse


def _page(**kwargs: Any) -> PullResponse:
    fields: dict[str, Any] = {"changes": [], "cursor": "c", "has_more": True, "era": "era-1",
                              "server_time": datetime(2026, 12, 5, 8, 0, tzinfo=UTC), "reference_version": 7}
    return PullResponse(**{**fields, **kwargs})


def test_a_plain_next_page_continues() -> None:
    assert PAGES_PER_TRANSACTION == 2
    assert _continues(_page(), _page(cursor="d", has_more=False))
    device = DeviceState(acked_seq=3, tracking_high=1)  # the same state of this PC on both pages: taken in already
    assert _continues(_page(device=device), _page(device=DeviceState(acked_seq=3, tracking_high=1)))


@pytest.mark.parametrize("after", [
    _page(era="era-2"),  # the server was restored meanwhile
    _page(restart=True),  # its change log no longer holds this PC's position
    _page(device=DeviceState(acked_seq=3, tracking_high=1)),  # a state of this PC the page before did not bring
    _page(reference_version=8),  # accounts, units or categories changed: fetched before the page that uses them
])
def test_a_page_that_asks_for_a_step_waits_for_its_own_turn(after: PullResponse) -> None:
    assert not _continues(_page(), after)
