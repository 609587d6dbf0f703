"""The work behind the first-start wizard, run on a worker thread: enrol this PC and do the first sync, or set up
the demo (a local national server, enrolment against it, the first sync; or local demo data when no server can
run). No Qt here; progress goes out through a plain callback, as (step, overall fraction 0..1).

A first start interrupted after enrolment (the first sync failed, or the program was closed) is resumed: the PC
is not enrolled twice, only the sync is run again.
"""

from __future__ import annotations

import logging
import shutil
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from app import machine_config as mc
from app.bootstrap import home_office
from app.config import Paths
from app.config_layers import resolve
from app.errors import Message
from app.models import Complaint
from app.store import meta
from app.store.db import Store, open_store
from demo.offices import SPECS
from sync import state
from sync.engine import Cancelled
from sync.enroll import enroll
from sync.session import build_engine
from ui.setup import demo_server as ds
from ui.setup.state import read_state

log = logging.getLogger(__name__)
Report = Callable[[str, float], None]  # step key, overall fraction done (0..1)

DEMO_COMPLAINTS = 3750  # six months of complaints on the demo server for the six offices; Sleman has 40 % (~1,500)
FIRST_SYNC_COMPLAINTS = 150  # no longer used: the whole history comes with the first sync, then the demo feed
LOCAL_DEMO_COMPLAINTS = 3750  # local-only demo (no server; Sleman ~1,500 of them): demo.seed_demo is fast
SERVER_START_TIMEOUT = 90.0

ENROL_STEPS = {"prepare": 0.15, "enrol": 0.1, "sync": 0.75}
DEMO_STEPS = {"seed": 0.6, "start": 0.15, "enrol": 0.05, "sync": 0.2}  # shares of the time taken
SEED_WARM_UP = 8.0  # seconds the demo seeding takes before its first complaint, on an ordinary PC
LOCAL_STEPS = {"prepare": 0.3, "local": 0.7}


@dataclass(frozen=True)
class SetupResult:
    mode: str  # "enrol", "demo-server" or "demo-local"
    office_name: str
    complaints: int  # complaints of this PC's office now in the store
    server_url: str | None = None
    token_location: str = "keyring"
    demo_server: ds.DemoServer | None = None
    note: Message | None = None  # e.g. why the demo runs without a server


class Steps:
    """Turns (step, fraction of that step) into the overall fraction for the progress bar."""

    def __init__(self, report: Report, weights: dict[str, float]) -> None:
        self._report = report
        self._weights = weights
        self._order = list(weights)

    def at(self, step: str, fraction: float = 0.0) -> None:
        before = sum(self._weights[s] for s in self._order[:self._order.index(step)])
        self._report(step, min(1.0, before + self._weights[step] * max(0.0, min(1.0, fraction))))


def _open(paths: Paths) -> Store:
    return open_store(paths.database, backup_dir=paths.backups)


def _sync(store: Store, paths: Paths, steps: Steps, cancel: threading.Event) -> None:
    def on_progress(phase: str, done: int, total: int, _nbytes: int) -> None:
        part = done / total if total else 1.0
        steps.at("sync", {"push": 0.05 * part, "upload": 0.1, "pull": 0.1 + 0.8 * part,
                          "download": 0.9 + 0.1 * part}.get(phase, 0.0))

    steps.at("sync")
    try:
        build_engine(store, paths, cancel=cancel, progress=on_progress).run_once()
    except Cancelled:
        raise ds.cancelled() from None
    steps.at("sync", 1.0)


def _home_complaints(store: Store) -> tuple[str, int]:
    office = home_office(store)
    assert office is not None
    with store.read() as session:
        count = session.execute(select(func.count()).select_from(Complaint)
                                .where(Complaint.office_id == office.id)).scalar_one()
    return office.name, int(count)


def enrol_and_sync(paths: Paths, *, server_url: str, code: str, ca_bundle: str | None = None,
                   proxy: str | None = None, report: Report = lambda step, fraction: None,
                   cancel: threading.Event | None = None) -> SetupResult:
    """Enrol with the national server (unless an earlier attempt already did) and run the first full sync."""
    cancel = cancel or threading.Event()
    steps = Steps(report, ENROL_STEPS)
    steps.at("prepare")
    store = _open(paths)
    try:
        location = "keyring"
        if not read_state(paths, store).enrolled:
            steps.at("enrol")
            # What IT configured (lapor-desk.toml, the environment) keeps coming from there; only what the person
            # typed differently is kept with the enrolment. A code of another office than IT's ``office`` is refused.
            configured = resolve(user={})
            keep = [k.name for k, typed in ((mc.CA_BUNDLE, ca_bundle), (mc.PROXY, proxy))
                    if (typed or "") != configured.text(k)]
            location = enroll(store, paths, server_url=server_url.strip(), code=code.strip(),
                              device_name=socket.gethostname(), ca_bundle=ca_bundle or None,
                              proxy=proxy or None, expected_office=configured.text(mc.OFFICE) or None,
                              keep=keep).token_location
        _sync(store, paths, steps, cancel)
        name, count = _home_complaints(store)
        with store.read() as session:
            url = meta.get(session, state.SERVER_URL)
        return SetupResult("enrol", name, count, server_url=url, token_location=location)
    finally:
        store.close()


def setup_demo(paths: Paths, *, complaints: int = DEMO_COMPLAINTS, first_sync: int = FIRST_SYNC_COMPLAINTS,
               local_complaints: int = LOCAL_DEMO_COMPLAINTS, report: Report = lambda step, fraction: None,
               cancel: threading.Event | None = None) -> SetupResult:
    """The demo with its local national server; local demo data only when no server can run here.

    The server gets ``complaints`` complaints of the six pilot offices' last months, with their timelines (the first
    sync brings Sleman's in), and its demo feed: while it runs, new online complaints keep arriving for the next
    syncs to bring in (so sync is seen at work). ``first_sync`` is no longer used."""
    cancel = cancel or threading.Event()
    if ds.server_command() is None:
        return _local_demo(paths, local_complaints, report, ds.unavailable_error().message)
    if read_state(paths).enrolled:  # an earlier attempt enrolled: start its server again and finish the first sync
        return _resume_demo(paths, report, cancel)
    try:
        return _server_demo(paths, complaints, first_sync, report, cancel)
    except ds.DemoServerError:
        if cancel.is_set() or read_state(paths).enrolled:
            raise
        log.warning("demo server unavailable, falling back to a local-only demo", exc_info=True)
        return _local_demo(paths, local_complaints, report, _no_server_note())


def _no_server_note() -> Message:
    return Message("Server demo lokal tidak dapat dijalankan di PC ini, jadi data demo dipasang langsung di PC ini "
                   "tanpa sinkronisasi.", "The local demo server could not run on this PC, so the demo data was "
                   "set up on this PC only, without sync.")


def _server_demo(paths: Paths, complaints: int, first_sync: int, report: Report,
                 cancel: threading.Event) -> SetupResult:
    steps = Steps(report, DEMO_STEPS)
    folder = ds.folder_of(paths.data_dir)
    previous = ds.running_for(folder)
    if previous is not None:
        previous.stop()
    shutil.rmtree(folder, ignore_errors=True)  # a failed earlier attempt: start clean (nothing is enrolled yet)
    opened: list[Store] = []
    failures: list[BaseException] = []

    def open_local() -> None:  # in parallel with the server: the reference data takes a few seconds
        try:
            opened.append(_open(paths))
        except BaseException as exc:  # noqa: BLE001 - re-raised on the worker thread below
            failures.append(exc)

    opener = threading.Thread(target=open_local, name="lapor-setup-store")
    opener.start()
    sleman = max(1, round(complaints * SPECS[0].share))  # Sleman receives its share of them
    steps.at("seed")
    seeder = ds.AdminProcess(folder, "demo", "--complaints", str(complaints), "--feed")
    server: ds.DemoServer | None = None
    try:
        began = time.monotonic()

        def seeding() -> None:  # a few seconds of set-up (offices, accounts) before the first complaint is written
            warm_up = min(1.0, (time.monotonic() - began) / SEED_WARM_UP)
            written = min(1.0, ds.count_complaints(folder) / sleman)  # Sleman's, the ones that count
            steps.at("seed", 0.3 * warm_up + 0.7 * written)

        seeder.wait(600, cancel, tick=seeding)
        steps.at("start")
        server = ds.register(ds.DemoServer.launch(folder, ds.free_port()))
        code = ds.run_admin(folder, "enroll", "--office", ds.SLEMAN, cancel=cancel).strip().splitlines()[0]
        steps.at("start", 0.5)
        if not server.wait_until_healthy(SERVER_START_TIMEOUT, cancel):
            raise ds.cancelled() if cancel.is_set() else ds.failure(
                "Server demo tidak menjawab", "The demo server does not answer", server.log_tail())
        opener.join()
        if failures:
            raise failures[0]
        store = opened[0]
        steps.at("enrol")
        enroll(store, paths, server_url=server.url, code=code, device_name=socket.gethostname())
        with store.read() as session:
            era = meta.get(session, state.ERA) or ""
        ds.DemoServerInfo(port=server.port, pid=server.pid, era=era).save(folder)
        _sync(store, paths, steps, cancel)
        name, count = _home_complaints(store)
        return SetupResult("demo-server", name, count, server_url=server.url, demo_server=server)
    except BaseException:
        seeder.stop()
        if server is not None and not read_state(paths).enrolled:
            server.stop()
        raise
    finally:
        opener.join()
        for store in opened:
            store.close()


def _resume_demo(paths: Paths, report: Report, cancel: threading.Event) -> SetupResult:
    steps = Steps(report, DEMO_STEPS)
    steps.at("start")
    store = _open(paths)
    try:
        server = start_for_store(paths, store, wait=SERVER_START_TIMEOUT)
        if server is None:
            raise ds.failure("Server demo tidak dapat dijalankan", "The demo server cannot be started",
                             "server.json")
        _sync(store, paths, steps, cancel)
        name, count = _home_complaints(store)
        return SetupResult("demo-server", name, count, server_url=server.url, demo_server=server)
    finally:
        store.close()


def _local_demo(paths: Paths, count: int, report: Report, reason: Message) -> SetupResult:
    from demo import seed_demo

    steps = Steps(report, LOCAL_STEPS)
    steps.at("prepare")
    shutil.rmtree(ds.folder_of(paths.data_dir), ignore_errors=True)
    store = _open(paths)
    try:
        steps.at("local")
        seed_demo(store, count=count)
        steps.at("local", 1.0)
        name, complaints = _home_complaints(store)
        return SetupResult("demo-local", name, complaints, note=reason)
    finally:
        store.close()


def start_for_store(paths: Paths, store: Store, *, wait: float) -> ds.DemoServer | None:
    """The demo server of this data folder, running: the one already running in this process, one left running
    by an earlier session (same port and era), or a new start on the same port when free (else another port,
    and the store's server address follows). None when this folder has no demo server."""
    folder = ds.folder_of(paths.data_dir)
    info = ds.DemoServerInfo.load(folder)
    if info is None or ds.server_command() is None:
        return None
    server = ds.running_for(folder)
    if server is None and info.era and ds.era_at(f"http://{ds.HOST}:{info.port}") == info.era:
        server = ds.register(ds.DemoServer(folder, info.port, pid=info.pid))
    if server is None:
        server = ds.register(ds.DemoServer.launch(folder, ds.free_port(info.port)))
        ds.DemoServerInfo(port=server.port, pid=server.pid, era=info.era).save(folder)
    with store.read() as session:
        url = meta.get(session, state.SERVER_URL)
    if url != server.url:
        with store.transaction() as session:
            meta.put(session, state.SERVER_URL, server.url)
    if wait > 0:
        server.wait_until_healthy(wait)
    return server

