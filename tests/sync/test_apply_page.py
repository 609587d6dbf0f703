"""Applying a pulled page to the local store: what a complaint kept aside while this PC's changes waited becomes
once they are pushed; a conflict decided on another PC (sync/apply_pull.py)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from app.domain import EventKind, Role
from app.models import Complaint, ConflictItem, Reporter
from app.store import meta
from sync.apply_pull import DEFERRED_UPSERTS_KEY, apply_changes
from sync.protocol import Change, ChangeOp
from tests.helpers.world import World


def _local(world: World, cid: str) -> tuple[int, str, str]:
    with world.store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None and c.reporter_id is not None
        reporter = s.get(Reporter, c.reporter_id)
        assert reporter is not None
        return c.server_version, c.title, reporter.name


def _keep_aside(world: World, cid: str, *, version: int, title: str, reporter_name: str) -> None:
    """The server's state of ``cid`` as the pull keeps it aside while the PC's own changes to it wait."""
    with world.store.transaction() as s:
        c = s.get(Complaint, cid)
        assert c is not None
        c.server_version = 5
        data: dict[str, Any] = {"id": cid, "version": version, "title": title, "tracking_code": c.tracking_code,
                                "classification": c.classification, "description": c.description,
                                "channel": c.channel, "status": c.status, "is_anonymous": False,
                                "is_confidential": False, "is_supervisory": False,
                                "received_at": c.received_at.isoformat(), "updated_at": c.updated_at.isoformat(),
                                "reporter": {"id": c.reporter_id, "name": reporter_name}}
        meta.put(s, DEFERRED_UPSERTS_KEY, json.dumps({cid: data}))


def _apply_empty_page(world: World) -> None:
    with world.store.transaction() as s:
        apply_changes(world.ctx, s, [], world.office_id)
        assert json.loads(meta.get(s, DEFERRED_UPSERTS_KEY) or "{}") == {}


def test_an_older_deferred_state_changes_nothing_not_even_the_reporter(world: World) -> None:
    cid = world.new_complaint(title="Jalan berlubang di depan pasar")
    _keep_aside(world, cid, version=3, title="Judul lama dari server", reporter_name="Nama Lama")
    _apply_empty_page(world)
    assert _local(world, cid) == (5, "Jalan berlubang di depan pasar", "Budi Santoso")


def test_a_newer_deferred_state_is_applied_with_its_reporter(world: World) -> None:
    cid = world.new_complaint(title="Jalan berlubang di depan pasar")
    _keep_aside(world, cid, version=7, title="Jalan berlubang besar di depan pasar", reporter_name="Budi S.")
    _apply_empty_page(world)
    assert _local(world, cid) == (7, "Jalan berlubang besar di depan pasar", "Budi S.")


def _event(cid: str, event_id: str, kind: str, at: str, actor: str, data: dict[str, Any]) -> Change:
    return Change(op=ChangeOp.UPSERT, entity_type="event", entity_id=event_id, version=1, data={
        "id": event_id, "complaint_id": cid, "kind": kind, "at": at, "actor_user_id": actor,
        "data_json": json.dumps(data)})


def test_a_decision_pulled_before_its_conflict_still_closes_it(world: World) -> None:
    """Another PC's decision on a conflict (its EDITED entry) may come in an earlier page than the conflict itself:
    the item is created decided, and is not counted as a conflict to review."""
    cid = world.new_complaint()
    admin, at = world.users[Role.ADMIN_INSTANSI], world.clock().isoformat()
    decision = _event(cid, "ev-decision", EventKind.EDITED, at, admin,
                      {"changes": {}, "resolves": {"ev-conflict:title": "theirs"}})
    conflict = _event(cid, "ev-conflict", EventKind.CONFLICT_MERGED, at, admin,
                      {"conflicts": {"title": {"mine": "Judul dari PC kedua", "theirs": "Judul dari PC pertama"},
                                     "address": {"mine": "Jl. Magelang", "theirs": "Jl. Kaliurang"}}})
    results = []
    for page in ([decision], [conflict]):
        with world.store.transaction() as s:
            results.append(apply_changes(world.ctx, s, page, world.office_id))
    assert [r.conflicts for r in results] == [0, 1]  # the address: nobody decided it yet
    with world.store.read() as s:
        items = {i.field: (i.resolution, i.resolved_by) for i in s.execute(select(ConflictItem)).scalars()}
    assert items == {"title": ("theirs", admin), "address": (None, None)}
