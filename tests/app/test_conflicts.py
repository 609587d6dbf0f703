"""The conflict review queue (app.services.conflicts): what it lists, who may decide, and that each decision is one
transaction: keep theirs changes no value; keep mine and edit go through the normal edit (validated, audited, on
the timeline, captured for sync on the current server version); every decision travels in its timeline entry, for
the office's other PCs."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app import services
from app.capture import RecordingCapture
from app.domain import EventKind, Role
from app.errors import ConflictAlreadyResolved, InvalidTransition, NotFound, PermissionDenied, ValidationError
from app.models import AuditRecord, Complaint, ConflictItem, TimelineEvent
from app.rules.scope import Scope
from app.services import conflicts
from app.services.conflicts import (
    list_conflicts,
    open_conflict_count,
    resolve_conflict,
)
from tests.helpers.world import World

THEIRS = "Jalan berlubang di depan pasar"  # the title every copy shows: the server kept it
MINE = "Lubang besar di Jalan Kaliurang km 7"


@pytest.fixture
def w(world: World) -> World:
    world.ctx.capture = RecordingCapture()
    return world


def queue(w: World, cid: str, field: str, mine: Any, theirs: Any, *, n: int = 1) -> str:
    """A conflict item as the pull writes it from the server's CONFLICT_MERGED event."""
    item_id = f"conflict-event-{n}:{field}"
    with w.store.transaction() as s:
        s.add(ConflictItem(id=item_id, complaint_id=cid, field=field, mine_json=json.dumps(mine),
                           theirs_json=json.dumps(theirs), created_at=w.clock() + timedelta(seconds=n)))
    return item_id


def mutations(w: World) -> list[Any]:
    capture = w.ctx.capture
    assert isinstance(capture, RecordingCapture)
    return capture.mutations


def item(w: World, item_id: str) -> ConflictItem:
    with w.store.read() as s:
        found = s.get(ConflictItem, item_id)
        assert found is not None
        s.expunge(found)
        return found


def complaint(w: World, cid: str) -> Complaint:
    with w.store.read() as s:
        found = s.get(Complaint, cid)
        assert found is not None
        s.expunge(found)
        return found


def edited_events(w: World, cid: str) -> list[TimelineEvent]:
    with w.store.read() as s:
        rows = list(s.execute(select(TimelineEvent).where(TimelineEvent.complaint_id == cid,
                                                          TimelineEvent.kind == EventKind.EDITED)).scalars())
        s.expunge_all()
        return rows


def tables(w: World) -> dict[str, list[tuple[Any, ...]]]:
    with w.store.read() as s:
        return {t: [tuple(r) for r in s.execute(text(f"SELECT * FROM {t} ORDER BY 1"))]
                for t in ("complaints", "timeline_events", "audit_log", "sync_conflicts")}


def test_the_queue_lists_the_office_s_open_conflicts(w: World) -> None:
    cid = w.new_complaint()
    first = queue(w, cid, "title", MINE, THEIRS, n=1)
    second = queue(w, cid, "incident_date", "2026-02-27", None, n=2)
    with w.store.transaction() as s:  # a complaint of another office never shows
        c = s.get(Complaint, w.new_complaint())
        assert c is not None
        c.office_id = w.other_office_id
        foreign = c.id
    queue(w, foreign, "address", "Jl. Sunset Road", "Jl. Bypass Ngurah Rai", n=3)

    views = list_conflicts(w.ctx, w.users[Role.PIMPINAN])
    assert [v.id for v in views] == [first, second]
    title = views[0]
    assert (title.complaint_id, title.title, title.field, title.field_label, title.field_label_en) == (
        cid, THEIRS, "title", "Judul", "Title")
    assert title.tracking_code == complaint(w, cid).tracking_code
    assert (title.mine, title.theirs, title.resolved_at, title.resolution) == (MINE, THEIRS, None, None)
    assert (views[1].field_label, views[1].mine, views[1].theirs) == ("Tanggal kejadian", "2026-02-27", None)
    assert open_conflict_count(w.ctx, Scope.whole_office(w.office_id)) == 2
    assert open_conflict_count(w.ctx, Scope.whole_office(w.other_office_id)) == 1

    resolve_conflict(w.ctx, w.users[Role.ADMIN_INSTANSI], second, choice="theirs")
    assert [v.id for v in list_conflicts(w.ctx, w.users[Role.ADMIN_INSTANSI])] == [first]
    assert [v.id for v in list_conflicts(w.ctx, w.users[Role.ADMIN_INSTANSI], include_resolved=True)] == [
        first, second]
    assert open_conflict_count(w.ctx, Scope.whole_office(w.office_id)) == 1
    with pytest.raises(PermissionDenied):
        list_conflicts(w.ctx, w.users[Role.IT_ADMIN])


def test_keep_theirs_changes_no_value_and_sends_the_decision(w: World) -> None:
    cid = w.new_complaint()
    with w.store.transaction() as s:
        c = s.get(Complaint, cid)
        assert c is not None
        c.server_version = 4
    item_id = queue(w, cid, "title", MINE, THEIRS)
    before = complaint(w, cid)
    captured = len(mutations(w))
    w.clock.advance(minutes=5)
    view = resolve_conflict(w.ctx, w.users[Role.ADMIN_INSTANSI], item_id, choice="theirs")
    assert (view.resolution, view.resolved_at) == ("theirs", w.clock())
    stored = item(w, item_id)
    assert (stored.resolution, stored.resolved_at, stored.resolved_by) == (
        "theirs", w.clock(), w.users[Role.ADMIN_INSTANSI])
    after = complaint(w, cid)
    assert (after.title, after.description) == (before.title, before.description)
    # The decision, for the office's other PCs: a timeline entry that changes nothing, sent as an edit of no field.
    (event,) = edited_events(w, cid)
    assert json.loads(event.data_json or "{}") == {"changes": {}, "resolves": {item_id: "theirs"}}
    assert conflicts.decisions_in(event.data_json) == {item_id: "theirs"}
    (edit,) = mutations(w)[captured:]
    assert (edit.name, edit.entity_id, edit.base_version, edit.args) == (
        "complaint.edit", cid, 4, {"fields": {}, "event_id": event.id})
    with w.store.read() as s:
        audit = s.execute(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).scalar_one()
        assert (audit.action, audit.entity_id) == ("conflict.resolve", cid)
        assert json.loads(audit.details_json or "{}") == {"choice": "theirs", "conflict": item_id, "field": "title"}


def test_keep_mine_is_a_normal_edit(w: World) -> None:
    cid = w.new_complaint()
    with w.store.transaction() as s:  # the copy is at the server's version 4 (after the pull that brought it)
        c = s.get(Complaint, cid)
        assert c is not None
        c.server_version = 4
    item_id = queue(w, cid, "title", MINE, THEIRS)
    w.clock.advance(minutes=5)
    view = resolve_conflict(w.ctx, w.users[Role.ADMIN_INSTANSI], item_id, choice="mine")
    assert view.resolution == "mine" and view.resolved_at == w.clock()
    assert complaint(w, cid).title == MINE
    (event,) = edited_events(w, cid)
    assert json.loads(event.data_json or "{}") == {"changes": {"title": [THEIRS, MINE]},
                                                   "resolves": {item_id: "mine"}}
    edit = mutations(w)[-1]
    assert (edit.name, edit.entity_id, edit.base_version, edit.user_id) == (
        "complaint.edit", cid, 4, w.users[Role.ADMIN_INSTANSI])
    assert edit.args == {"fields": {"title": MINE}, "event_id": event.id}
    with w.store.read() as s:
        actions = list(s.execute(select(AuditRecord.action).order_by(AuditRecord.id.desc()).limit(2)).scalars())
        assert actions == ["conflict.resolve", "complaint.edit"]
        found = s.execute(select(Complaint.id).where(Complaint.title == MINE)).scalars().all()
        assert found == [cid]


def test_mine_already_in_place_still_sends_the_decision(w: World) -> None:
    """Someone typed the same value meanwhile: no change to make, yet the other PCs must learn it was decided."""
    cid = w.new_complaint()
    services.edit_complaint(w.ctx, w.users[Role.ADMIN_INSTANSI], cid, services.ComplaintEdit(title=MINE))
    item_id = queue(w, cid, "title", MINE, THEIRS)
    captured = len(mutations(w))
    resolve_conflict(w.ctx, w.users[Role.ADMIN_INSTANSI], item_id, choice="mine")
    (decision,) = [e for e in edited_events(w, cid) if "resolves" in (e.data_json or "")]
    assert json.loads(decision.data_json or "{}") == {"changes": {}, "resolves": {item_id: "mine"}}
    (edit,) = mutations(w)[captured:]
    assert edit.args == {"fields": {}, "event_id": decision.id}


@pytest.mark.parametrize("data_json", [None, "", "[]", "{}", '{"resolves": ["x:title"]}',
                                       '{"resolves": {"x:title": "both"}}', '{"resolves": {"x:title": ["mine"]}}'])
def test_a_timeline_entry_without_a_valid_decision_decides_nothing(data_json: str | None) -> None:
    assert conflicts.decisions_in(data_json) == {}


def test_edit_takes_the_typed_value_through_validation(w: World) -> None:
    cid = w.new_complaint()
    with w.store.transaction() as s:
        c = s.get(Complaint, cid)
        assert c is not None
        c.latitude, c.longitude = -7.75, 110.38
    day = queue(w, cid, "incident_date", "2026-02-27", None, n=1)
    lat = queue(w, cid, "latitude", -7.70, -7.75, n=2)
    admin = w.users[Role.ADMIN_INSTANSI]

    resolve_conflict(w.ctx, admin, day, choice="edit", value=date(2026, 2, 25))
    assert complaint(w, cid).incident_date == date(2026, 2, 25)
    resolve_conflict(w.ctx, admin, lat, choice="mine")
    c = complaint(w, cid)
    assert (c.latitude, c.longitude) == (-7.70, 110.38)  # the pair keeps its other half
    assert mutations(w)[-1].args["fields"] == {"latitude": -7.70}

    title = queue(w, cid, "title", MINE, THEIRS, n=3)
    before = tables(w)
    for value in ("pendek", None, 42):
        with pytest.raises(ValidationError):
            resolve_conflict(w.ctx, admin, title, choice="edit", value=value)
        assert tables(w) == before, value  # refused: nothing written, the item still open
    future = queue(w, cid, "incident_date", (w.clock() + timedelta(days=3)).date().isoformat(), None, n=4)
    before = tables(w)
    with pytest.raises(ValidationError):  # "mine" is checked like any edit: no incident date in the future
        resolve_conflict(w.ctx, admin, future, choice="mine")
    assert tables(w) == before
    with pytest.raises(ValidationError):
        resolve_conflict(w.ctx, admin, title, choice="both")


def test_an_empty_value_clears_an_optional_field(w: World) -> None:
    cid = w.new_complaint()
    services.edit_complaint(w.ctx, w.users[Role.ADMIN_INSTANSI], cid, services.ComplaintEdit(address="Jl. Magelang"))
    item = queue(w, cid, "address", None, "Jl. Magelang")  # the other PC had emptied it
    resolve_conflict(w.ctx, w.users[Role.ADMIN_INSTANSI], item, choice="mine")
    assert complaint(w, cid).address is None
    assert mutations(w)[-1].args["fields"] == {"address": None}


def test_a_failure_after_the_edit_leaves_nothing(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    cid = w.new_complaint()
    item_id = queue(w, cid, "title", MINE, THEIRS)
    before = tables(w)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(conflicts, "record_change", broken)
    with pytest.raises(RuntimeError):
        resolve_conflict(w.ctx, w.users[Role.ADMIN_INSTANSI], item_id, choice="mine")
    assert tables(w) == before  # the edit rolled back with the resolution: one transaction


def test_resolving_twice_is_a_clear_error(w: World) -> None:
    cid = w.new_complaint()
    item_id = queue(w, cid, "title", MINE, THEIRS)
    admin = w.users[Role.ADMIN_INSTANSI]
    resolve_conflict(w.ctx, admin, item_id, choice="mine")
    captured = len(mutations(w))
    for choice in ("theirs", "mine", "edit"):
        with pytest.raises(ConflictAlreadyResolved) as info:
            resolve_conflict(w.ctx, admin, item_id, choice=choice, value="Judul lain yang cukup panjang")
        assert "sudah diselesaikan" in str(info.value) and "already resolved" in info.value.message.en
    assert item(w, item_id).resolution == "mine" and len(mutations(w)) == captured
    with w.store.read() as s:
        assert s.execute(select(func.count()).select_from(TimelineEvent).where(
            TimelineEvent.kind == EventKind.EDITED)).scalar_one() == 1


def test_who_may_resolve(w: World) -> None:
    cid = w.new_complaint()
    item_id = queue(w, cid, "title", MINE, THEIRS)
    for role in (Role.PETUGAS_LOKET, Role.PENGHUBUNG, Role.PIMPINAN, Role.IT_ADMIN):
        with pytest.raises(PermissionDenied):
            resolve_conflict(w.ctx, w.users[role], item_id, choice="theirs")
    with pytest.raises(NotFound):  # another office's admin does not see this office's complaint
        resolve_conflict(w.ctx, w.other_admin, item_id, choice="theirs")
    with pytest.raises(NotFound):
        resolve_conflict(w.ctx, w.users[Role.ADMIN_INSTANSI], "no-such-item", choice="theirs")
    assert item(w, item_id).resolved_at is None


def test_a_closed_complaint_can_only_keep_theirs(w: World) -> None:
    cid = w.new_complaint()
    admin = w.users[Role.ADMIN_INSTANSI]
    services.archive(w.ctx, admin, cid, reason_code="DUPLIKAT")
    item_id = queue(w, cid, "title", MINE, THEIRS)
    with pytest.raises(InvalidTransition):
        resolve_conflict(w.ctx, admin, item_id, choice="mine")
    assert item(w, item_id).resolved_at is None
    assert resolve_conflict(w.ctx, admin, item_id, choice="theirs").resolution == "theirs"
