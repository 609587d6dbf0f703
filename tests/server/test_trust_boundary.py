"""The trust boundary, tested generically: for every kind of mutation a PC pushes and every id-bearing field in
it, pointing the field at a row of another office is refused, nothing of the other office changes, and nothing of
it appears in any later answer to the pushing office. A new id field in a mutation fails this test until it is
given a kind below (and so a check on the server)."""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from app.domain import EventKind, Role
from app.ids import new_id
from app.rules import workflow
from server.state import note_restored
from sync.protocol import Mutation, payload_hash
from tests.server.support import TIMEOUT, Backend, Device, SeededOffice, iso

# Where an id stands (its key, and the key of the object holding it) → the kind of row it names.
ID_KINDS = {
    ("complaint", "id"): "complaint", ("event", "complaint_id"): "complaint",
    ("attachment", "complaint_id"): "complaint", ("reporter", "id"): "reporter",
    ("complaint", "reporter_id"): "reporter", ("event", "id"): "event", ("attachment", "event_id"): "event",
    ("attachment", "id"): "attachment", ("complaint", "unit_id"): "unit", ("fields", "unit_id"): "unit",
    ("event", "actor_user_id"): "user", ("attachment", "created_by"): "user", ("complaint", "office_id"): "office",
}
# Ids that name no office's row: categories are national; the national tracking id is an opaque label.
NOT_OFFICE_ROWS = {("complaint", "category_id"), ("fields", "category_id"), ("complaint", "national_tracking_id")}
# The author of an entry given back after a restore (complaint.restore's events) may be the account of the office
# a re-routed complaint came from: a history the server once held, an id that reveals nothing (server.trust).
HISTORY = {("events", "actor_user_id")}


def _is_id_key(key: str) -> bool:
    return key == "id" or key.endswith("_id") or key == "created_by"


LIST_ITEMS = {"events": "event", "attachments": "attachment"}  # a list's entries stand where these would


def id_fields(args: dict[str, Any], path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every (path, kind) of an id in the arguments; fails on an id field this test does not know."""
    for key, value in args.items():
        if isinstance(value, dict):
            yield from id_fields(value, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    yield from id_fields(item, (*path, key, i))
        elif _is_id_key(key):
            holder = path[-1] if path and isinstance(path[-1], str) else LIST_ITEMS.get(path[-2], "") if path else ""
            where = (holder, key)
            if where in NOT_OFFICE_ROWS:
                continue
            assert where in ID_KINDS, f"id field {'.'.join((*path, key))} has no kind: add it (and a server check)"
            yield (*path, key), ID_KINDS[where]


def _set(args: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target = args
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _get(args: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        args = args[key]
    return args


def _replace_everywhere(obj: Any, old: str, new: str) -> Any:
    if isinstance(obj, dict):
        return {k: _replace_everywhere(v, old, new) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_replace_everywhere(v, old, new) for v in obj]
    return new if obj == old else obj


@dataclass
class OtherOffice:
    """Office B's rows, and the text of them that must never reach office A."""

    rows: dict[str, str]  # kind -> id of one of B's rows
    texts: list[str]  # what B's rows say (a reporter's name, phone, a note, the tracking code)
    sha: str  # a file B sent


def _seed_other_office(backend: Backend, device_b: Device, office_b: SeededOffice) -> OtherOffice:
    intake = device_b.intake(confidential=True, reporter_name="Rahasia Pelapor Badung", phone="081377788899")
    version = device_b.push_one(intake)["server_version"]
    version = device_b.push_one(device_b.dispose(intake.entity_id, version))["server_version"]
    note = device_b.note(intake.entity_id, "Catatan internal kantor Badung yang rahasia")
    version = device_b.push_one(note)["server_version"]
    data = b"berkas rahasia Badung " + os.urandom(500)
    sha = hashlib.sha256(data).hexdigest()
    put = requests.put(f"{backend.url}/api/v1/blobs/{sha}", params={"offset": 0, "total": len(data)}, data=data,
                       headers={**device_b.headers, "Content-Type": "application/octet-stream"}, timeout=TIMEOUT)
    assert put.json()["complete"] is True
    attach = device_b.attach(intake.entity_id, sha, len(data), base_version=version)
    device_b.push_one(attach)
    rows = {"complaint": intake.entity_id, "reporter": intake.args["reporter"]["id"],
            "event": note.args["event"]["id"], "attachment": attach.args["attachment"]["id"],
            "unit": office_b.unit, "user": office_b.admin, "office": office_b.id}
    texts = ["Rahasia Pelapor Badung", "081377788899", "6281377788899", "Catatan internal kantor Badung",
             intake.args["complaint"]["tracking_code"]]
    return OtherOffice(rows, texts, sha)


def _mutations(device: Device, office: SeededOffice) -> list[Mutation]:
    """One mutation of every kind the desktop pushes, on complaints of office A."""
    now = iso(device.backend.clock())
    intake = device.intake()
    device.push_one(intake)
    cid = intake.entity_id
    unused_seq = next(device.seq)  # the mutations below are templates: their seqs are handed out again
    out = [device.intake(), device.note(cid, "Catatan kantor A")]
    edit_event = {"id": new_id(), "complaint_id": cid, "kind": EventKind.EDITED, "at": now,
                  "actor_user_id": office.admin, "data_json": json.dumps({"title": ["lama", "baru"]})}
    out.append(device.mutation("complaint.edit", cid, {"fields": {"title": "Judul baru kantor A"},
                                                       "event": edit_event}, user_id=office.admin, base_version=1))
    out.append(device.attach(cid, hashlib.sha256(b"berkas A").hexdigest(), 8, base_version=1))
    given_back = device.intake()  # complaint.restore: a whole complaint a restored server lost
    event = given_back.args["event"]
    attachment = {"id": new_id(), "complaint_id": given_back.entity_id, "event_id": event["id"],
                  "sha256": hashlib.sha256(b"berkas A").hexdigest(), "filename": "surat.pdf",
                  "mime_type": "application/pdf", "size": 8, "created_at": now, "created_by": office.admin}
    out.append(device.mutation("complaint.restore", given_back.entity_id,
                               {"complaint": given_back.args["complaint"], "reporter": given_back.args["reporter"],
                                "events": [event], "attachments": [attachment]}, user_id=None))
    for t in workflow.TRANSITIONS:
        fields = {"unit_id": office.unit} if t.action == "dispose" else {}
        user = office.users[Role.PENGHUBUNG] if t.action == "follow_up" else office.admin
        out.append(device.transition(cid, t.action, t.source, t.target, user_id=user, base_version=1,
                                     text="Alasan yang cukup panjang", fields=fields))
    kinds = {m.name for m in out}
    assert kinds >= {f"complaint.{a}" for a in workflow.ACTIONS} | {
        "complaint.intake", "complaint.note", "complaint.edit", "complaint.attach", "complaint.restore"}
    device.seq = itertools.count(unused_seq)
    return out


def _variant(device: Device, m: Mutation, args: dict[str, Any], entity_id: str | None = None, *,
             seq: int | None = None) -> Mutation:
    entity = entity_id or m.entity_id
    h = payload_hash(m.name, 1, m.entity_type, entity, m.base_version, m.user_id, args)
    return Mutation(seq=seq or next(device.seq), mutation_id=new_id(), name=m.name, version=1,
                    entity_type=m.entity_type, entity_id=entity, base_version=m.base_version, user_id=m.user_id,
                    args=args, payload_hash=h)


def test_every_id_in_every_mutation_is_held_to_the_pushing_office(backend: Backend, device_a: Device,
                                                                  office_a: SeededOffice, device_b: Device,
                                                                  office_b: SeededOffice) -> None:
    other = _seed_other_office(backend, device_b, office_b)
    with backend.db.transaction() as session:
        note_restored(session, backend.clock())  # complaint.restore is taken: its ids are what is tested
    b_before, _ = device_b.pull_all()
    answers: list[str] = []
    tried = 0
    for m in _mutations(device_a, office_a):
        for path, kind in id_fields(m.args):
            if (path[0], path[-1]) in HISTORY:
                continue
            original = _get(m.args, path)
            foreign = other.rows[kind]
            alone = copy.deepcopy(m.args)
            _set(alone, path, foreign)
            # The field alone, then every place the same id stands (a consistent mutation about B's row).
            variants = [_variant(device_a, m, alone)]
            if isinstance(original, str):
                moved = _replace_everywhere(m.args, original, foreign)
                variants.append(_variant(device_a, m, moved, foreign if m.entity_id == original else None))
            for v in variants:
                body = device_a.push(v)
                answers.append(json.dumps(body))
                (result,) = body["results"]
                assert result["status"] == "rejected", (m.name, path, result)
                assert result["code"] in ("foreign_id", "not_found", "bad_arguments"), (m.name, path, result)
                tried += 1
    assert tried >= 60  # every kind has several id fields: the walk above really ran

    # The user of the mutation itself, and its complaint.
    for m in _mutations(device_a, office_a)[1:3]:
        answers.append(json.dumps(device_a.push(_variant_user(device_a, m, other.rows["user"]))))
        answers.append(json.dumps(device_a.push(_variant(device_a, m, _replace_everywhere(
            m.args, m.entity_id, other.rows["complaint"]), other.rows["complaint"]))))

    # Nothing of B changed, and nothing of B reached A: not in a push result, a pull (change log or snapshot),
    # the reference data, or a file answer.
    b_after, _ = device_b.pull_all()
    assert [c for c in b_after if c["entity_type"] != "user"] == [c for c in b_before if c["entity_type"] != "user"]
    pulled = [json.dumps(device_a.pull_all()[0])]
    snapshot = requests.post(f"{backend.url}/api/v1/sync/pull", json={"cursor": None, "limit": 500,
                                                                      "snapshot": True},
                             headers=device_a.headers, timeout=TIMEOUT)
    pulled.append(snapshot.text)
    pulled.append(requests.get(f"{backend.url}/api/v1/reference", headers=device_a.headers, timeout=TIMEOUT).text)
    file_answer = requests.get(f"{backend.url}/api/v1/blobs/{other.sha}", headers=device_a.headers,
                               timeout=TIMEOUT)
    assert file_answer.status_code == 404
    # Push results repeat the ids A itself sent; nothing else of B may be in them.
    for secret in other.texts:
        assert secret not in "\n".join(answers), f"office B's {secret!r} reached office A in a push result"
    for secret in (*other.texts, *other.rows.values()):
        assert secret not in "\n".join(pulled), f"office B's {secret!r} reached office A in a pull"


def _variant_user(device: Device, m: Mutation, user_id: str) -> Mutation:
    h = payload_hash(m.name, 1, m.entity_type, m.entity_id, m.base_version, user_id, m.args)
    return Mutation(seq=next(device.seq), mutation_id=new_id(), name=m.name, version=1, entity_type=m.entity_type,
                    entity_id=m.entity_id, base_version=m.base_version, user_id=user_id, args=m.args, payload_hash=h)


@pytest.mark.parametrize("field", ["reporter", "event", "attachment"])
def test_a_new_id_that_collides_with_another_offices_row_is_refused(backend: Backend, device_a: Device,
                                                                    office_a: SeededOffice, device_b: Device,
                                                                    office_b: SeededOffice, field: str) -> None:
    """The finding of the issue (an intake naming B's reporter carried B's reporter to A), and its kin."""
    other = _seed_other_office(backend, device_b, office_b)
    if field == "reporter":
        m = device_a.intake()
        args = _replace_everywhere(m.args, m.args["reporter"]["id"], other.rows["reporter"])
    else:
        intake = device_a.intake()
        version = device_a.push_one(intake)["server_version"]
        m = device_a.attach(intake.entity_id, hashlib.sha256(b"x").hexdigest(), 1, base_version=version)
        args = _replace_everywhere(m.args, m.args[field]["id"], other.rows[field])
    result = device_a.push_one(_variant(device_a, m, args, seq=m.seq))  # instead of m
    assert (result["status"], result["code"]) == ("rejected", "foreign_id")
    assert "instansi ini" in result["message"]
    changes, _ = device_a.pull_all()
    assert "Rahasia Pelapor Badung" not in json.dumps(changes)
    assert other.rows[field] not in json.dumps(changes)


def test_the_desktops_own_mutations_pass_the_boundary(backend: Backend, device_a: Device,
                                                      office_a: SeededOffice) -> None:
    """The check refuses only what it should: every kind as the desktop builds it is not refused for its ids."""
    for m in _mutations(device_a, office_a):
        result = device_a.push_one(_variant(device_a, m, m.args))
        assert result["code"] != "foreign_id", (m.name, result)
