"""Property: whatever three PCs in two offices and the national side do, in whatever order they sync, through whatever
faults of the network, once everyone syncs in a quiet period every PC's copy of its office equals the server's, no
timeline entry is lost or stored twice, and every conflict is either merged or waiting in the review queues.

Bounded to stay quick (SQLite only): ``LAPOR_SYNC_EXAMPLES`` and ``LAPOR_SYNC_STEPS`` raise the bounds,
``LAPOR_SYNC_SHRINK=1`` turns shrinking on to get a minimal failing sequence.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test
from sqlalchemy import select

from app.domain import ArchiveReason, EventKind, Role, Status
from app.errors import LaporError
from app.rules import workflow
from server import models as srv
from sync.transport import SyncError
from tests.sync.checks import assert_no_duplicates, assert_outbox_settled, assert_store_sound
from tests.sync.faultproxy import FAULTS, FaultProxy
from tests.sync.fleet import PC, Fleet, Office, online
from tests.sync.serverproc import ServerProcess

pytestmark = pytest.mark.parametrize("server", ["sqlite"], indirect=True)

EXAMPLES = int(os.environ.get("LAPOR_SYNC_EXAMPLES", "10"))
STEPS = int(os.environ.get("LAPOR_SYNC_STEPS", "20"))
PHASES = tuple(Phase) if os.environ.get("LAPOR_SYNC_SHRINK") else (Phase.explicit, Phase.reuse, Phase.generate)

TITLES = ("Jalan berlubang besar di depan pasar", "Jalan rusak parah di dekat sekolah dasar")
ADDRESSES = ("Jl. Magelang km 10", "Jl. Kaliurang km 5")
DESCRIPTIONS = ("Lubang di jalan semakin lebar setelah hujan deras semalam.",
                "Warga sudah tiga kali jatuh dari motor karena jalan rusak.")
PATHS = ("/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/reference", "/api/v1/blobs/")
# Refusals a correct PC can meet: a status change another PC or the national side overtook, and a change to a
# complaint that left the office before the change was pushed.
# What a correct PC meets when others acted first: a step another PC took already, a complaint that left, an edit of a
# complaint another PC closed, archived or redirected before the two synced (docs/SYNC.md).
EXPECTED_REFUSALS = {"transition_rejected", "not_found", "edit_after_close"}
WORK = ("intake", "step", "step", "step", "note", "edit", "edit", "edit", "attach", "national_intake",
        "national_reroute", "national_reroute")


def act(pc: PC, cid: str, action: str) -> None:
    """One workflow step through the services, as an ADMIN_INSTANSI would take it."""
    admin = pc.office.admin
    ctx = pc.ctx
    from app import services

    steps: dict[str, Callable[[], Any]] = {
        "dispose": lambda: services.dispose(ctx, admin, cid, unit_id=pc.office.unit),
        "postpone": lambda: services.postpone(ctx, admin, cid, reason="Menunggu keterangan pelapor"),
        "resume": lambda: services.resume(ctx, admin, cid),
        "redirect": lambda: services.redirect(ctx, admin, cid, reason="Bukan kewenangan kabupaten"),
        "archive": lambda: services.archive(ctx, admin, cid, reason_code=ArchiveReason.DUPLIKAT),
        "unarchive": lambda: services.unarchive(ctx, admin, cid, reason="Ternyata bukan duplikat"),
        "follow_up": lambda: services.follow_up(ctx, admin, cid, text="Sudah ditangani oleh dinas terkait."),
        "close": lambda: services.close(ctx, admin, cid),
        "respond": lambda: services.record_response(ctx, admin, cid, satisfied=False,
                                                    text="Belum selesai, masih rusak"),
        "reopen": lambda: services.reopen(ctx, admin, cid, reason="Pelapor melapor ulang"),
    }
    steps[action]()


def test_offices_converge(server: ServerProcess, proxy: FaultProxy, tmp_path: Path, template_db: Path) -> None:
    examples = iter(range(10_000))
    seen: Counter[str] = Counter()

    def event(what: str) -> None:
        seen[what] += 1

    class Offices(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.fleet = Fleet(server, tmp_path / f"example-{next(examples)}", template_db, proxy.url)
            self.fleet.folder.mkdir()
            proxy.clear()
            self.offices: list[Office] = [self.fleet.office(), self.fleet.office("WITA")]
            self.pcs: list[PC] = [self.fleet.pc(self.offices[0]), self.fleet.pc(self.offices[0]),
                                  self.fleet.pc(self.offices[1])]
            self.attachments = 0
            # Some shared complaints to start from, known to every PC of their office.
            for n in range(2):
                self.pcs[0].intake(n)
                self._national_intake(self.offices[n], 100 + n)
            self.pcs[2].intake(2)
            for pc in (self.pcs[0], self.pcs[2], self.pcs[1]):
                pc.sync()

        # ---- helpers ----------------------------------------------------------------------------------------

        def _pick(self, pc: PC, pick: int) -> Any:
            ids = sorted(pc.complaint_ids())
            return pc.complaint(ids[pick % len(ids)]) if ids else None

        # ---- what people do (one rule, so that about half the steps change something and half sync) ----------

        @rule(kind=st.sampled_from(WORK), which=st.integers(0, 2), pick=st.integers(0, 1000),
              choice=st.integers(0, 10))
        def work(self, kind: str, which: int, pick: int, choice: int) -> None:
            pc = self.pcs[which]
            if kind == "intake":
                pc.intake(pick)
            elif kind == "national_intake":
                self._national_intake(self.offices[which % 2], pick)
            elif kind == "national_reroute":
                self._national_reroute(pick)
            elif (c := self._pick(pc, pick)) is None:
                return
            elif kind == "step":
                self._step(pc, c, choice)
            elif kind == "note":
                pc.note(c.id, f"Catatan {pick}")
            elif kind == "edit":
                self._edit(pc, c, choice)
            elif kind == "attach" and self.attachments < 3:
                self.attachments += 1
                doc = self.fleet.folder / f"lampiran-{self.attachments}.pdf"
                doc.write_bytes(b"%PDF-1.4 lampiran uji " + os.urandom(2000))
                pc.attach(c.id, doc)

        def _step(self, pc: PC, c: Any, choice: int) -> None:
            steps = [t.action for t in workflow.allowed_transitions(c.status, Role.ADMIN_INSTANSI)]
            if c.status == Status.DITINDAKLANJUTI:
                steps.append("respond")
            if not steps:
                pc.note(c.id, "Dicatat walau sudah dialihkan")
                return
            action = steps[choice % len(steps)]
            event(f"step {action}")
            act(pc, c.id, action)

        def _edit(self, pc: PC, c: Any, choice: int) -> None:
            if c.status in (Status.SELESAI, Status.DIARSIPKAN, Status.BUKAN_WEWENANG):
                return
            field = ("title", "address", "description", "is_supervisory")[choice % 4]
            new = {"title": TITLES, "address": ADDRESSES, "description": DESCRIPTIONS,
                   "is_supervisory": (True, False)}[field][choice // 4 % 2]
            pc.edit(c.id, **{field: new})

        def _national_intake(self, office: Office, n: int) -> None:
            r = server.admin("POST", "/api/v1/national/complaints",
                             json={"classification": "PENGADUAN", "title": online(n).title,
                                   "description": online(n).description, "office_id": office.id,
                                   "reporter": {"name": f"Warga {n}", "email": f"warga{n}@contoh.id",
                                                "consent_given": True}})
            assert r.status_code == 201, r.text

        def _national_reroute(self, pick: int) -> None:
            """The national admin re-routes a complaint an office redirected (bukan wewenang) to the other office."""
            ids = [o.id for o in self.offices]
            with server.db.transaction() as s:
                redirected = sorted(s.execute(select(srv.Complaint.id, srv.Complaint.office_id).where(
                    srv.Complaint.status == Status.BUKAN_WEWENANG, srv.Complaint.office_id.in_(ids))).all())
            if redirected:
                cid, office_id = redirected[pick % len(redirected)]
                self.offices[1 - ids.index(str(office_id))].route_here(cid, note="Dirutekan ulang")
                event("re-routed")

        @rule(which=st.integers(0, 2), fault=st.sampled_from((None, *FAULTS)), path=st.sampled_from(PATHS),
              lasting=st.booleans())
        def sync(self, which: int, fault: str | None, path: str, lasting: bool) -> None:
            pc = self.pcs[which]
            proxy.clear()
            if fault is not None:
                proxy.inject("*", path, fault, times=pc.engine.transport.settings.retries + 1 if lasting else 1)
            try:
                pc.sync()
            except SyncError:
                assert fault is not None and lasting, "a sync failed without a lasting fault"
            finally:
                proxy.clear()

        # ---- the quiet period and the properties -------------------------------------------------------------

        def teardown(self) -> None:
            try:
                self._settle()
                self._check()
            finally:
                self.fleet.close()

        def _settle(self) -> None:
            for _ in range(8):
                reports = [pc.sync() for pc in self.pcs]
                quiet = all(not (r.pushed or r.pulled_complaints or r.pulled_events or r.removed or r.uploaded
                                 or r.downloaded) for r in reports)
                if quiet and all(pc.pending() == 0 for pc in self.pcs):
                    return
            raise AssertionError("the PCs did not settle in eight rounds of syncs")

        def _check(self) -> None:
            for pc in self.pcs:
                for entry in pc.outbox():
                    code = json.loads(entry.result_json or "{}").get("code")
                    event(f"result {entry.result_status} {code or ''}".strip())
                if pc.conflicts():
                    event("conflict in a review queue")
            for office in self.offices:
                assert_no_duplicates(server.db, office.id)
            for pc in self.pcs:
                assert_store_sound(pc.store)
                pc.assert_converged()
                assert_outbox_settled(pc, allowed=("applied", "merged", "conflict", "rejected"))
                refused = {json.loads(e.result_json or "{}").get("code") for e in pc.outbox()
                           if e.result_status == "rejected"}
                assert refused <= EXPECTED_REFUSALS, refused
            self._check_events_kept()
            self._check_conflicts()

        def _check_events_kept(self) -> None:
            """Every timeline entry a PC wrote is on the server exactly as written, unless the server refused the step
            (then a transition_rejected entry keeps its text) or the complaint had left the office."""
            with server.db.transaction() as s:
                events = {e.id: e for e in s.execute(select(srv.TimelineEvent)).scalars()}
                rejections = {json.loads(e.data_json or "{}").get("original_event_id") for e in events.values()
                              if e.kind == EventKind.TRANSITION_REJECTED}
            for pc in self.pcs:
                for entry in pc.outbox():
                    event = json.loads(entry.args_json).get("event")
                    result = json.loads(entry.result_json or "{}")
                    if not event:
                        continue
                    if entry.result_status == "rejected":
                        assert event["id"] not in events
                        if result.get("code") == "transition_rejected":
                            assert event["id"] in rejections, (pc.name, entry.name)
                    elif result.get("code") == "already_there" and event["kind"] not in (
                            EventKind.FOLLOW_UP, EventKind.REPORTER_RESPONSE):
                        assert event["id"] not in events
                    else:
                        assert event["id"] in events, (pc.name, entry.seq, entry.name, result)
                        stored = events[event["id"]]
                        assert (stored.kind, stored.text, stored.complaint_id) == (
                            event["kind"], event["text"], event["complaint_id"])

        def _check_conflicts(self) -> None:
            """Every edit that met another is in the review queue of every PC of the complaint's office, with both
            values; and a review queue holds nothing the server did not report."""
            with server.db.transaction() as s:
                merged = list(s.execute(select(srv.TimelineEvent, srv.Complaint.office_id).join(
                    srv.Complaint, srv.Complaint.id == srv.TimelineEvent.complaint_id).where(
                    srv.TimelineEvent.kind == EventKind.CONFLICT_MERGED)))
                expected: dict[str, set[tuple[str, str, str, str]]] = {o.id: set() for o in self.offices}
                for conflict_event, office_id in merged:
                    for name, values in json.loads(conflict_event.data_json or "{}")["conflicts"].items():
                        both = [json.dumps(values[k], ensure_ascii=False, default=str) for k in ("mine", "theirs")]
                        expected.setdefault(str(office_id), set()).add((conflict_event.complaint_id, name, *both))
            for pc in self.pcs:
                queue = {(i.complaint_id, i.field, i.mine_json, i.theirs_json) for i in pc.conflicts()
                         if i.resolved_at is None}
                assert queue == expected[pc.office.id], pc.name
            for pc in self.pcs:
                for entry in pc.outbox():
                    if entry.result_status != "conflict":
                        continue
                    fields = json.loads(entry.args_json)["fields"]
                    clashing = json.loads(entry.result_json or "{}").get("server_values") or {}
                    assert clashing and set(clashing) <= set(fields)
                    pushed = {(entry.entity_id, name, json.dumps(fields[name], ensure_ascii=False, default=str))
                              for name in clashing}
                    everywhere = {(cid, name, m) for office in expected.values() for cid, name, m, _ in office}
                    assert pushed <= everywhere, (pc.name, entry.seq)

    run_state_machine_as_test(Offices, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, database=None, phases=PHASES,
        suppress_health_check=list(HealthCheck), print_blob=True))
    print("convergence: what happened", dict(sorted(seen.items())))


__all__ = ["LaporError"]
