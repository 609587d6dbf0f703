"""The desktop and the server accept and refuse exactly the same workflow steps. Cases come from app.rules.workflow's
table: every step by every role with what the person should write, and by a permitted role with each input missing, too
short, too long, a unit that is inactive or of another office, an unknown archive reason. Each case runs through the
desktop's service on a PC store and, as the mutation a PC would push, through the server (both backends); the two
verdicts must agree, and must be what the table says."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import update

from app.domain import Role, Status
from app.errors import LaporError
from app.ids import new_id
from app.models import Unit as PcUnit
from app.rules import workflow
from app.services import workflow_actions as steps
from server.models import Unit as ServerUnit
from tests.helpers.world import World
from tests.server.support import Device, SeededOffice, iso

S = Status
ROLES = [r for r in Role if r != Role.SYSTEM]  # the automatic close is the program's, tested on its own
GOOD_TEXT = "Mohon segera ditangani oleh unit terkait."

# How to bring a fresh complaint to each status (every step by the office admin).
PATHS: dict[Status, list[tuple[Status, str]]] = {
    S.BELUM_TERVERIFIKASI: [],
    S.DIDISPOSISIKAN: [(S.DIDISPOSISIKAN, "dispose")],
    S.DITINDAKLANJUTI: [(S.DIDISPOSISIKAN, "dispose"), (S.DITINDAKLANJUTI, "follow_up")],
    S.SELESAI: [(S.DIDISPOSISIKAN, "dispose"), (S.DITINDAKLANJUTI, "follow_up"), (S.SELESAI, "close")],
    S.DITUNDA: [(S.DITUNDA, "postpone")],
    S.DIARSIPKAN: [(S.DIARSIPKAN, "archive")],
}


@dataclass(frozen=True)
class Case:
    transition: workflow.Transition
    role: Role
    change: str  # "good", or which input is wrong and how
    values: dict[str, Any]  # unit_id holds a unit's name here: "PU", "INACTIVE", "OTHER_OFFICE"

    @property
    def name(self) -> str:
        t = self.transition
        return f"{t.source.value}-{t.action}-{t.target.value}-as-{self.role.value}-{self.change}"

    @property
    def expected(self) -> bool:
        return self.change == "good" and self.role in self.transition.roles


def good_values(t: workflow.Transition) -> dict[str, Any]:
    values: dict[str, Any] = {i.name: GOOD_TEXT for i in t.inputs}
    if t.sets_unit:
        values["unit_id"] = "PU"
    if t.archive_reason == "set":
        values["reason_code"] = "DUPLIKAT"
    return values


def cases() -> list[Case]:
    out: list[Case] = []
    for t in workflow.TRANSITIONS:
        good = good_values(t)
        out += [Case(t, role, "good", good) for role in ROLES]
        allowed = sorted(t.roles - {Role.SYSTEM})[0]
        for spec in t.inputs:
            if spec.required:
                out.append(Case(t, allowed, f"{spec.name}-missing", good | {spec.name: None}))
            if spec.min_len > 1:
                out.append(Case(t, allowed, f"{spec.name}-short", good | {spec.name: "x" * (spec.min_len - 1)}))
            out.append(Case(t, allowed, f"{spec.name}-long", good | {spec.name: "x" * (spec.max_len + 1)}))
        if t.sets_unit:
            out.append(Case(t, allowed, "unit-inactive", good | {"unit_id": "INACTIVE"}))
            out.append(Case(t, allowed, "unit-other-office", good | {"unit_id": "OTHER_OFFICE"}))
        if t.archive_reason == "set":
            out.append(Case(t, allowed, "reason-unknown", good | {"reason_code": "BOSAN"}))
    return out


CASES = cases()

# ---- the desktop ------------------------------------------------------------------------------------------------

PC_STEPS: dict[str, Callable[..., Any]] = {
    "dispose": lambda ctx, who, cid, t, v: steps.dispose(ctx, who, cid, unit_id=v["unit_id"],
                                                          instruction=v.get("instruction")),
    "postpone": lambda ctx, who, cid, t, v: steps.postpone(ctx, who, cid, reason=v.get("reason")),
    "resume": lambda ctx, who, cid, t, v: steps.resume(ctx, who, cid, note=v.get("note")),
    "redirect": lambda ctx, who, cid, t, v: steps.redirect(ctx, who, cid, reason=v.get("reason")),
    "archive": lambda ctx, who, cid, t, v: steps.archive(ctx, who, cid, reason_code=v.get("reason_code"),
                                                          note=v.get("note")),
    "unarchive": lambda ctx, who, cid, t, v: steps.unarchive(ctx, who, cid, reason=v.get("reason")),
    "follow_up": lambda ctx, who, cid, t, v: steps.follow_up(ctx, who, cid, text=v.get("text")),
    "close": lambda ctx, who, cid, t, v: steps.close(ctx, who, cid, note=v.get("note")),
    "respond": lambda ctx, who, cid, t, v: steps.record_response(ctx, who, cid, satisfied=bool(t.satisfied),
                                                                 text=v.get("text")),
    "reopen": lambda ctx, who, cid, t, v: steps.reopen(ctx, who, cid, reason=v.get("reason")),
}


def test_the_table_has_a_desktop_service_for_every_action() -> None:
    assert set(PC_STEPS) == workflow.ACTIONS


class Desktop:
    def __init__(self, world: World) -> None:
        self.world = world
        with world.store.transaction() as session:
            inactive = PcUnit(id=new_id(), office_id=world.office_id, name="Bagian Lama", active=False)
            session.add(inactive)
            other = session.query(PcUnit).filter(PcUnit.office_id == world.other_office_id).first()
            assert other is not None
            self.units = {"PU": world.units["Dinas Pekerjaan Umum"], "INACTIVE": inactive.id,
                          "OTHER_OFFICE": other.id}

    def step(self, role: Role, cid: str, t: workflow.Transition, values: dict[str, Any]) -> bool:
        self.world.clock.advance(minutes=1)
        v = dict(values)
        if "unit_id" in v:
            v["unit_id"] = self.units[v["unit_id"]]
        try:
            PC_STEPS[t.action](self.world.ctx, self.world.users[role], cid, t, v)
        except LaporError:
            return False
        return True

    def complaint_at(self, status: Status) -> str:
        cid = self.world.new_complaint()
        for target, action in PATHS[status]:
            t = find(status_of_step(self, cid), target, action)
            assert self.step(Role.ADMIN_INSTANSI, cid, t, good_values(t))
        return cid


def status_of_step(desktop: Desktop, cid: str) -> Status:
    from app.models import Complaint

    with desktop.world.store.read() as session:
        complaint = session.get(Complaint, cid)
        assert complaint is not None
        return Status(complaint.status)


def find(source: Status, target: Status, action: str) -> workflow.Transition:
    t = workflow.find(source, target, action)
    assert t is not None
    return t


# ---- the server -------------------------------------------------------------------------------------------------


class Server:
    def __init__(self, device: Device, office: SeededOffice, other: SeededOffice) -> None:
        self.device = device
        self.office = office
        db = device.backend.db
        with db.transaction() as session:
            session.execute(update(ServerUnit).where(ServerUnit.id == office.units["Dinas Kesehatan"])
                            .values(active=False))
        self.units = {"PU": office.unit, "INACTIVE": office.units["Dinas Kesehatan"], "OTHER_OFFICE": other.unit}

    def step(self, role: Role, c: SimpleNamespace, t: workflow.Transition, values: dict[str, Any]) -> bool:
        """Push the step as the desktop would write it (its columns as the PC's copy would hold them)."""
        now = self.device.backend.clock()
        v = dict(values)
        if "unit_id" in v:
            v["unit_id"] = self.units[v["unit_id"]]
        text, data = workflow.entry_content(t, v)
        after = SimpleNamespace(**vars(c))
        workflow.apply_effects(after, t, now, unit_id=v.get("unit_id"), archive_reason=v.get("reason_code"))
        fields = {name: getattr(after, name) for name in t.wire_fields}
        fields = {k: iso(x) if hasattr(x, "isoformat") else x for k, x in fields.items()}
        user = self.office.users[role]
        args = {"from": t.source, "to": t.target, "fields": fields,
                "event": {"id": new_id(), "complaint_id": c.id, "kind": t.event_kind, "at": iso(now),
                          "actor_user_id": user, "from_status": t.source, "to_status": t.target, "text": text,
                          "data_json": _json(data)}}
        m = self.device.mutation(f"complaint.{t.action}", c.id, args, user_id=user, base_version=c.version)
        result = self.device.push_one(m)
        if result["status"] == "rejected":
            return False
        assert result["status"] == "applied", result
        for name in vars(after):
            setattr(c, name, getattr(after, name))
        c.version = result["server_version"]
        return True

    def complaint_at(self, status: Status) -> SimpleNamespace:
        m = self.device.intake()
        result = self.device.push_one(m)
        assert result["status"] == "applied", result
        c = SimpleNamespace(id=m.entity_id, version=result["server_version"], status=S.BELUM_TERVERIFIKASI,
                            unit_id=None, archive_reason=None, disposed_at=None, followed_up_at=None,
                            postponed_at=None, closed_at=None)
        for target, action in PATHS[status]:
            t = find(c.status, target, action)
            assert self.step(Role.ADMIN_INSTANSI, c, t, good_values(t))
        return c


def _json(data: dict[str, Any]) -> str | None:
    import json

    return json.dumps(data, sort_keys=True) if data else None


def test_desktop_and_server_agree_on_every_step(world: World, device_a: Device, office_a: SeededOffice,
                                                office_b: SeededOffice) -> None:
    desktop, server = Desktop(world), Server(device_a, office_a, office_b)
    verdicts: dict[str, tuple[bool, bool]] = {}
    for case in CASES:
        t = case.transition
        on_pc = desktop.step(case.role, desktop.complaint_at(t.source), t, case.values)
        on_server = server.step(case.role, server.complaint_at(t.source), t, case.values)
        verdicts[case.name] = (on_pc, on_server)
    disagree = {name: v for name, v in verdicts.items() if v[0] != v[1]}
    assert not disagree, f"(desktop, server) accepted: {disagree}"
    wrong = {c.name: verdicts[c.name][0] for c in CASES if verdicts[c.name][0] != c.expected}
    assert not wrong, f"not as the table says (accepted): {wrong}"


@pytest.mark.parametrize("case", CASES[:1], ids=lambda c: c.name)
def test_cases_cover_every_step_role_and_input(case: Case) -> None:
    names = {c.name for c in CASES}
    for t in workflow.TRANSITIONS:
        for role in ROLES:
            assert f"{t.source.value}-{t.action}-{t.target.value}-as-{role.value}-good" in names
    assert sum(c.expected for c in CASES) == sum(len(t.roles - {Role.SYSTEM}) for t in workflow.TRANSITIONS)


# ---- notes and edits --------------------------------------------------------------------------------------------

ADDRESS_TOO_LONG = "Jl. " + "x" * 500


@dataclass(frozen=True)
class RecordCase:
    kind: str  # "note" or "edit"
    role: Role
    change: str
    value: Any  # the note's text, or the edited fields
    status: Status = S.DIDISPOSISIKAN

    @property
    def name(self) -> str:
        return f"{self.kind}-in-{self.status.value}-as-{self.role.value}-{self.change}"


def record_cases() -> list[RecordCase]:
    from app.rules.records import EDIT_ROLES, NOTE_ROLES

    good_note, good_edit = "Pelapor menelepon menanyakan perkembangan.", {"title": "Lampu jalan padam di simpang tiga"}
    out = [RecordCase("note", role, "good", good_note) for role in ROLES]
    out += [RecordCase("note", NOTE_ROLES[0], change, text)
            for change, text in (("empty", "   "), ("short", "x"), ("long", "x" * 4001))]
    out += [RecordCase("edit", role, "good", good_edit) for role in ROLES]
    out += [RecordCase("edit", EDIT_ROLES[0], change, fields) for change, fields in (
        ("title-short", {"title": "Pendek"}), ("address-long", {"address": ADDRESS_TOO_LONG}),
        ("region-unknown", {"region_code": "99.99.99"}), ("coordinate-alone", {"latitude": 200.0}))]
    out += [RecordCase("edit", EDIT_ROLES[0], "good", good_edit, status) for status in (S.SELESAI, S.DIARSIPKAN)]
    return out


RECORD_CASES = record_cases()


def _pc_record(desktop: Desktop, case: RecordCase) -> bool:
    from app.inputs import ComplaintEdit
    from app.services import records

    cid = desktop.complaint_at(case.status)
    desktop.world.clock.advance(minutes=1)
    who = desktop.world.users[case.role]
    try:
        if case.kind == "note":
            records.add_note(desktop.world.ctx, who, cid, text=case.value)
        else:
            records.edit_complaint(desktop.world.ctx, who, cid, ComplaintEdit(**case.value))
    except LaporError:
        return False
    return True


def _server_record(server: Server, case: RecordCase) -> bool:
    c = server.complaint_at(case.status)
    user = server.office.users[case.role]
    m = (server.device.note(c.id, case.value, user_id=user, base_version=c.version) if case.kind == "note"
         else server.device.edit(c.id, dict(case.value), base_version=c.version, user_id=user))
    result = server.device.push_one(m)
    assert result["status"] in ("applied", "rejected"), result
    return bool(result["status"] == "applied")


def test_desktop_and_server_agree_on_notes_and_edits(world: World, device_a: Device, office_a: SeededOffice,
                                                     office_b: SeededOffice) -> None:
    from app.rules.records import EDIT_ROLES, NOTE_ROLES

    desktop, server = Desktop(world), Server(device_a, office_a, office_b)
    verdicts = {case.name: (_pc_record(desktop, case), _server_record(server, case)) for case in RECORD_CASES}
    disagree = {name: v for name, v in verdicts.items() if v[0] != v[1]}
    assert not disagree, f"(desktop, server) accepted: {disagree}"
    for case in RECORD_CASES:
        allowed = NOTE_ROLES if case.kind == "note" else EDIT_ROLES
        open_now = case.kind == "note" or case.status not in (S.SELESAI, S.DIARSIPKAN)
        assert verdicts[case.name][0] == (case.change == "good" and case.role in allowed and open_now), case.name
