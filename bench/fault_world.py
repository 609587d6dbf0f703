"""One fault schedule run for real: a fresh ``lapor-server`` (tests/sync/serverproc.py) behind the fault proxy
(tests/sync/faultproxy.py), two offices and their PCs (tests/sync/fleet.py), and the plan's steps (bench/fault_plan.py)
taken through the program's services and sync engine; the kill -9 goes to a ``lapor-desk sync`` child
(tests/sync/sync_child.py via test_kill's Zygote); the restores are the tests' own (test_restore.py,
test_restore_detected.py). The :class:`Ledger` remembers every complaint, timeline entry and attachment any PC ever
held or created (bench/fault_ledger.py)."""

from __future__ import annotations

import contextlib
import hashlib
import random
import shutil
import traceback
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app import services
from app.domain import Channel, Classification, Role, Status
from app.errors import LaporError
from app.inputs import IntakeInput, ReporterInput
from app.models import Complaint
from app.reference.regions import iter_regions
from app.rules import workflow
from app.timeutil import utcnow
from bench.fault_ledger import Holdings, Ledger, pc_holdings, server_holdings
from bench.fault_plan import Plan, Step, describe
from demo.people import make_nik
from demo.rand import DemoRandom
from server import models as srv
from sync.transport import SyncError
from tests.sync.checks import assert_store_sound
from tests.sync.conftest import new_server
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import PC, Fleet, Office
from tests.sync.test_convergence import act
from tests.sync.test_kill import Zygote
from tests.sync.test_restore import restore, take_backup
from tests.sync.test_restore_detected import backup_pc, restore_pc, restore_server_quietly

TITLES = ("Jalan berlubang di depan pasar desa", "Lampu penerangan jalan mati di gang", "Saluran air tersumbat sampah",
          "Pelayanan puskesmas lambat sekali", "Pungutan liar di kantor kelurahan", "Sampah menumpuk di pinggir jalan")
DESCRIPTIONS = ("Sudah dua minggu tidak ada perbaikan dan warga khawatir terjadi kecelakaan.",
                "Warga sudah melapor ke RT tetapi belum ada tindak lanjut dari petugas.",
                "Kondisi semakin parah setelah hujan deras semalam, mohon segera ditangani.")
ADDRESSES = ("Jl. Magelang km 10", "Jl. Kaliurang km 5", "Jl. Parangtritis no. 12")
CHANNELS = (Channel.WALK_IN, Channel.PHONE, Channel.LETTER, Channel.EMAIL)
EDIT_FIELDS = ("title", "address", "description", "is_supervisory", "incident_date")


def short_traceback() -> str:
    """The exception being handled, with only the program's own frames (not the libraries'): short enough for a
    log line, enough to find the place."""
    import sys

    exc = sys.exc_info()[1]
    assert exc is not None
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
    message = "".join(traceback.format_exception_only(type(exc), exc))
    if len(message) > 700:  # an IntegrityError carries the whole statement and its parameters
        message = message[:700] + " …\n"
    return "".join(traceback.format_list(frames[-8:])) + message


class _PgRequest:
    """What test_restore.take_backup and conftest.new_server ask of pytest's request: the PostgreSQL server."""

    def __init__(self, pg: Any) -> None:
        self.pg = pg

    def getfixturevalue(self, name: str) -> Any:
        assert name == "postgres_server"
        return self.pg


class World:
    """The server, the proxy, the offices and PCs of one schedule, and what happened to them."""

    def __init__(self, plan: Plan, folder: Path, template: Path, *, backend: str = "sqlite",
                 pg: Any = None) -> None:
        self.plan = plan
        self.folder = folder
        self.rng = random.Random(plan["seed"] * 7919 + 1)
        self.request = _PgRequest(pg)
        self.server = new_server(self.request, backend, folder / "server")  # type: ignore[arg-type]
        self.server.start()
        self.proxy = FaultProxy(self.server.url).start()
        self.fleet = Fleet(self.server, folder, template, self.proxy.url)
        self.offices: list[Office] = [self.fleet.office(), self.fleet.office("WITA")]
        self.ledger = Ledger()
        self.anomalies: list[dict[str, Any]] = []
        self.events: Counter[str] = Counter()  # what happened, for the summary
        self.files: list[tuple[int, int]] = []  # (bytes seed, size) of every file attached
        self.server_backup: str | None = None
        self.pc_backup: dict[int, Path] = {}
        self.restored_pcs: set[str] = set()
        self.online_made = 0
        self.district_codes: dict[str, list[str]] = {}
        self.zygote: Zygote | None = None
        self.pcs: list[PC] = []
        for i, spec in enumerate(plan["pcs"]):
            office = self.offices[spec["office"]]
            skew = timedelta(hours=spec.get("skew_hours", 0))
            clock = (lambda skew=skew: utcnow() + skew) if skew else utcnow
            self.pcs.append(self.fleet.pc(office, clock=clock, name=f"pc{i + 1}{'AB'[spec['office']]}"))
        for pc in self.pcs:
            self.ledger.observe(pc)

    # ---- running the plan ---------------------------------------------------------------------------------------

    def anomaly(self, kind: str, step: int | None, detail: str) -> None:
        self.anomalies.append({"kind": kind, "step": step, "detail": detail[-4000:]})

    def run_step(self, index: int, step: Step) -> str:
        handler = getattr(self, f"_do_{step['do']}")
        try:
            outcome = handler(step)
        except LaporError as exc:  # the local rules refused the operation: staff would not have done it
            outcome = f"refused locally: {type(exc).__name__}"
        except Exception:  # noqa: BLE001 - a traceback in the program is a finding, recorded with its step
            self.anomaly("traceback", index, f"{describe(step)}\n{short_traceback()}")
            outcome = "TRACEBACK"
        self.events[f"{step['do']}: {outcome.split(' ')[0]}"] += 1
        return str(outcome)

    def _pick(self, pc: PC, pick: int) -> Complaint | None:
        ids = sorted(pc.complaint_ids())
        return pc.complaint(ids[pick % len(ids)]) if ids else None

    def _after(self, pc: PC, outcome: str) -> str:
        self.ledger.observe(pc)
        return outcome

    def _districts(self, office: Office) -> list[str]:
        """The office's district codes without dots (a NIK starts with the reporter's district)."""
        if not self.district_codes:
            regencies = {o.region_code for o in self.offices}
            for row in iter_regions():
                if row.level == 3 and row.parent_code in regencies:
                    self.district_codes.setdefault(row.parent_code, []).append(row.code.replace(".", ""))
        return self.district_codes[office.region_code]

    def _do_intake(self, step: Step) -> str:
        pc = self.pcs[step["pc"]]
        rng = DemoRandom(step["variant"])
        today = pc.clock().date()
        anonymous = rng.chance(0.15)
        name = f"Warga Uji {step['variant']}"
        reporter = ReporterInput(
            name=name, phone=f"0812{rng.between(1000000, 9999999)}", email=f"warga{step['variant']}@contoh.id",
            address=rng.pick(ADDRESSES), consent_given=True,
            nik=make_nik(rng, rng.pick(self._districts(pc.office)), rng.chance(0.5)) if rng.chance(0.3) else None)
        inp = IntakeInput(
            classification=rng.pick(list(Classification)), channel=rng.pick(CHANNELS),
            title=f"{rng.pick(TITLES)} {step['variant']}", description=rng.pick(DESCRIPTIONS),
            incident_date=today - timedelta(days=rng.pick((0, 0, 1, 3))) if rng.chance(0.7) else None,
            address=rng.pick(ADDRESSES), is_anonymous=anonymous, is_confidential=rng.chance(0.1),
            is_supervisory=rng.chance(0.2), reporter=None if anonymous and rng.chance(0.5) else reporter)
        cid = services.intake(pc.ctx, pc.office.counter, inp).complaint_id
        return self._after(pc, f"ok {cid[-6:]}")

    def _do_step(self, step: Step) -> str:
        pc = self.pcs[step["pc"]]
        c = self._pick(pc, step["pick"])
        if c is None:
            return "skipped: nothing to work on"
        actions = [t.action for t in workflow.allowed_transitions(c.status, Role.ADMIN_INSTANSI)]
        if c.status == Status.DITINDAKLANJUTI:
            actions += ["respond", "respond"]
        if "redirect" in actions:
            actions.append("redirect")  # so that the national side has complaints to re-route
        if not actions:
            return "skipped: no step from " + c.status
        action = actions[step["choice"] % len(actions)]
        if action == "respond":
            pc.respond(c.id, satisfied=step["choice"] % 2 == 0,
                       text="Terima kasih, sudah beres" if step["choice"] % 2 == 0 else "Masih rusak")
        else:
            act(pc, c.id, action)
        return self._after(pc, f"ok {action} {c.id[-6:]}")

    def _do_note(self, step: Step) -> str:
        pc = self.pcs[step["pc"]]
        c = self._pick(pc, step["pick"])
        if c is None:
            return "skipped: nothing to note"
        pc.note(c.id, f"Catatan {step['pick']} dari {pc.name}")
        return self._after(pc, f"ok {c.id[-6:]}")

    def _do_edit(self, step: Step) -> str:
        pc = self.pcs[step["pc"]]
        c = self._pick(pc, step["pick"])
        if c is None:
            return "skipped: nothing to edit"
        name = EDIT_FIELDS[step["field"] % len(EDIT_FIELDS)]
        value: Any = {"title": TITLES, "address": ADDRESSES, "description": DESCRIPTIONS,
                      "is_supervisory": (True, False, True)}.get(name, (0, 1, 2))[step["value"] % 3]
        if name == "incident_date":
            value = pc.clock().date() - timedelta(days=value)  # "today" by the PC's own clock, or a day or two back
        pc.edit(c.id, **{name: value})
        return self._after(pc, f"ok {name} {c.id[-6:]}")

    def _do_attach(self, step: Step) -> str:
        pc = self.pcs[step["pc"]]
        c = self._pick(pc, step["pick"])
        if c is None:
            return "skipped: nothing to attach to"
        seed, size = self.files[step["pick"] % len(self.files)] if step["reuse"] and self.files else (
            step["bytes"], step["size"])
        data = random.Random(seed).randbytes(size)
        path = self.folder / "files" / f"lampiran-{seed}.pdf"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"%PDF-1.4 " + data)
        self.files.append((seed, size))
        pc.attach(c.id, path)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._after(pc, f"ok {sha[:8]} on {c.id[-6:]}" + (" (bytes seen before)" if step["reuse"] else ""))

    def _do_online(self, step: Step) -> str:
        office = self.offices[step["office"]]
        made = office.online_complaints(step["n"], start=self.online_made)
        self.online_made += step["n"]
        self._take_from_server(made)
        return f"ok {len(made)} to office {'AB'[step['office']]}"

    def _take_from_server(self, complaint_ids: list[str]) -> None:
        with self.server.db.transaction() as s:
            events = {e: (c, k) for e, c, k in s.execute(
                select(srv.TimelineEvent.id, srv.TimelineEvent.complaint_id, srv.TimelineEvent.kind)
                .where(srv.TimelineEvent.complaint_id.in_(complaint_ids)))}
        self.ledger.take(Holdings(set(complaint_ids), events), "national")

    def _do_reroute(self, step: Step) -> str:
        ids = [o.id for o in self.offices]
        with self.server.db.transaction() as s:
            redirected = sorted(s.execute(select(srv.Complaint.id, srv.Complaint.office_id).where(
                srv.Complaint.status == Status.BUKAN_WEWENANG, srv.Complaint.office_id.in_(ids))).tuples().all())
        if not redirected:
            return "skipped: nothing redirected on the server"
        cid, office_id = redirected[step["pick"] % len(redirected)]
        target = self.offices[1 - ids.index(str(office_id))]
        target.route_here(cid, note="Dirutekan ulang oleh admin nasional")
        self._take_from_server([cid])
        return f"ok {cid[-6:]} to office {'AB'[1 - ids.index(str(office_id))]}"

    def _do_sync(self, step: Step) -> str:
        pc = self.pcs[step["pc"]]
        self.proxy.clear()
        fault = step.get("fault")
        lasting = bool(step.get("lasting"))
        rule = None
        if fault:
            times = pc.engine.transport.settings.retries + 1 if lasting else 1
            rule = self.proxy.inject("*", step["path"], fault, times=times, skip=step.get("skip", 0),
                                     at=step["at"].encode() if isinstance(step.get("at"), str) else step.get("at", 0))
        try:
            report = pc.sync()
            outcome = (f"ok pushed={report.pushed} rejected={len(report.rejected)} pulled={report.pulled_complaints}"
                       f"/{report.pulled_events} removed={report.removed} up={report.uploaded} "
                       f"down={report.downloaded}" + (" ERA" if report.era_changed else "")
                       + (" RESTORED" if report.restored else ""))
        except SyncError as exc:
            outcome = f"sync-error {type(exc).__name__}"
            if not (rule is not None and lasting and rule.fired > pc.engine.transport.settings.retries):
                self.anomaly("sync_error", None, f"{pc.name}: {type(exc).__name__}: {exc} (fault {describe(step)}, "
                             f"fired {rule.fired if rule else 0})")
        finally:
            self.proxy.clear()
        if rule is not None:
            outcome += f" [{fault} fired {rule.fired}]"
        return self._after(pc, outcome)

    def _do_kill(self, step: Step) -> str:
        """kill -9 of a ``lapor-desk sync`` child with work to do: the PC's own changes for a push stop, the
        national side's for a pull stop. If the sync ends before the kill, once more at a random moment."""
        pc = self.pcs[step["pc"]]
        if step["mode"] in ("push", "free"):
            self._notes(pc, step["stop_at"] * 10, "Catatan sebelum sinkronisasi")
        if step["mode"] in ("pull", "free"):
            self.online_made += 12
            try:
                self._take_from_server(pc.office.online_complaints(12, start=self.online_made - 12))
            except Exception:  # noqa: BLE001 - recorded; the kill goes ahead with the work there is
                self.anomaly("traceback", None, f"national complaints before the kill\n{short_traceback()}")
        self.ledger.observe(pc)
        if self.zygote is None:
            self.zygote = Zygote()
        self.proxy.clear()
        endings = []
        pc.close()  # the program is closed while the sync runs on its own (as under Task Scheduler)
        try:
            for attempt, (mode, after) in enumerate(((step["mode"], step["after"]), ("free", 0.05), ("free", 0.02))):
                ending = self.zygote.run(mode, pc, step["stop_at"], kill_after=after)
                endings.append(f"{mode}:{ending}")
                if ending != "finished" or attempt == 2:
                    break
                pc.reopen()  # more work for the next attempt
                self._notes(pc, 0, f"Catatan ulang {attempt}")
                pc.close()
        except AssertionError as exc:
            transcript = self.zygote.transcript
            if transcript and transcript[-1].endswith("exited 9"):
                # Killed between the child's words and their newline ("startedexited 9"): the zygote's reader
                # (test_kill.Zygote) waits for a line that starts with "exited". The kill did land.
                endings.append("killed (its last line cut)")
                self.zygote.close()
                self.zygote = None
            else:
                lines = [t[:300] for t in transcript if "Error" in t[:120] or "Traceback" in t] + \
                    [t[:300] for t in transcript[-2:]]
                self.anomaly("kill_child", None, f"{pc.name}: {str(exc)[:200]}\n" + "\n".join(lines))
                endings.append("child-failed")
        finally:
            pc.reopen()
        try:
            assert_store_sound(pc.store)
        except AssertionError:
            self.anomaly("store_unsound", None, f"{pc.name} after kill -9: {short_traceback()}")
        landed = any(e.endswith(("killed-at-random", "in-pull-page", "in-push-record", "line cut)")) for e in endings)
        self.events["kill landed" if landed else "kill missed"] += 1
        return self._after(pc, "ok " + ", ".join(endings))

    def _notes(self, pc: PC, first_pick: int, text: str) -> None:
        """Eight notes (a push batch of the sync child and more), where the local rules allow one."""
        for i in range(8):
            c = self._pick(pc, first_pick + i)
            if c is not None:
                with contextlib.suppress(LaporError):
                    pc.note(c.id, f"{text} {i}")

    def survivors(self) -> Holdings:
        held = server_holdings(self.server)
        for pc in self.pcs:
            held.add(pc_holdings(pc))
        return held

    def _do_server_backup(self, step: Step) -> str:
        self.server_backup = take_backup(self.server, self.request)  # type: ignore[arg-type]
        copy = self.folder / "server-blobs.backup"
        shutil.rmtree(copy, ignore_errors=True)
        if self.server.blob_dir.exists():
            shutil.copytree(self.server.blob_dir, copy)
        else:
            copy.mkdir()
        return "ok"

    def _do_server_restore(self, step: Step) -> str:
        if self.server_backup is None:
            return "skipped: no backup"
        for pc in self.pcs:
            self.ledger.observe(pc)
        # The files store goes back with the database (one backup of the server).
        shutil.rmtree(self.server.blob_dir, ignore_errors=True)
        shutil.copytree(self.folder / "server-blobs.backup", self.server.blob_dir)
        if step["rotate_era"]:
            restore(self.server, self.server_backup)
        else:
            restore_server_quietly(self.server, self.server_backup)
        self.server_backup = None
        self.proxy.retarget(self.server.url)
        gone = self.ledger.write_off(self.survivors(), "server restore")
        return f"ok {'rotate-era' if step['rotate_era'] else 'quietly'}; gone everywhere: {len(gone)}"

    def _do_pc_backup(self, step: Step) -> str:
        pc = self.pcs[step["pc"]]
        self.pc_backup[step["pc"]] = backup_pc(pc)
        copy = self.folder / f"{pc.name}-attachments.backup"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(pc.paths.attachments, copy) if pc.paths.attachments.exists() else copy.mkdir()
        return "ok"

    def _do_pc_restore(self, step: Step) -> str:
        pc = self.pcs[step["pc"]]
        copy = self.pc_backup.pop(step["pc"], None)
        if copy is None:
            return "skipped: no backup"
        for each in self.pcs:
            self.ledger.observe(each)
        if step["whole_folder"]:  # the PC's whole data folder came back from the copy, attachment files too
            shutil.rmtree(pc.paths.attachments, ignore_errors=True)
            shutil.copytree(self.folder / f"{pc.name}-attachments.backup", pc.paths.attachments)
        restore_pc(pc, copy)
        self.restored_pcs.add(pc.name)
        gone = self.ledger.write_off(self.survivors(), f"{pc.name} restore")
        return f"ok {'database and files' if step['whole_folder'] else 'database'}; gone everywhere: {len(gone)}"

    # ---- the quiet period ---------------------------------------------------------------------------------------

    def settle(self, rounds: int = 8) -> int:
        """Every PC syncs, round after round, until a round changes nothing anywhere. Returns the rounds taken."""
        self.proxy.clear()
        for n in range(1, rounds + 1):
            quiet = True
            for pc in self.pcs:
                try:
                    r = pc.sync()
                except SyncError as exc:
                    self.anomaly("quiet_sync_error", None, f"{pc.name} round {n}: {type(exc).__name__}: {exc}")
                    quiet = False
                    continue
                except Exception:  # noqa: BLE001
                    self.anomaly("traceback", None, f"{pc.name} quiet round {n}: {short_traceback()}")
                    quiet = False
                    continue
                if r.pushed or r.pulled_complaints or r.pulled_events or r.removed or r.uploaded or r.downloaded:
                    quiet = False
                self.ledger.observe(pc)
            if quiet and all(pc.pending() == 0 for pc in self.pcs):
                return n
        self.anomaly("not_settled", None, "pending: " + ", ".join(f"{pc.name}={pc.pending()}" for pc in self.pcs))
        return rounds

    def close(self) -> None:
        if self.zygote is not None:
            try:
                self.zygote.close()
            except Exception:  # noqa: BLE001 - the zygote may have died with a child
                self.zygote.proc.kill()
        self.fleet.close()
        self.proxy.stop()
        self.server.stop()
        self.server.close_db()
