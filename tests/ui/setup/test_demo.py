"""The demo path end to end with a real demo server (a ``lapor-server`` subprocess started by the app), its
restart on a later launch (same port, another port, or adopting one left running), and the local-only fallback
when no server can run."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.bootstrap import home_office
from app.config import Paths
from app.domain import Role
from app.models import Complaint
from app.services.context import ServiceContext
from app.services.users import authenticate
from app.store.db import Store, open_store
from demo import DEMO_PASSWORD
from server.demo import FEED_ENV
from sync import state
from sync.session import build_engine
from ui.settings import AUTO_SYNC_MINUTES, DEMO_MODE, Settings
from ui.setup import demo_server, needs_setup, start_demo_server_if_needed
from ui.setup.wizard import PAGE_CHOICE, PAGE_DEMO, PAGE_DONE, SetupWizard


def _complaints(store: Store) -> int:
    with store.read() as session:
        return int(session.execute(select(func.count()).select_from(Complaint)).scalar_one())


def _server_url(store: Store) -> str | None:
    from app.store import meta

    with store.read() as session:
        return meta.get(session, state.SERVER_URL)


def test_the_demo_sets_up_a_local_server_enrols_syncs_and_starts_again_later(
        make_wizard: Callable[..., SetupWizard], paths: Paths, settings: Settings, qtbot: QtBot,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FEED_ENV, "0.5")  # the demo feed at a test's pace: an online complaint every half second
    wizard = make_wizard(demo_complaints=60, demo_first_sync=10)
    assert wizard.currentId() == PAGE_CHOICE and wizard.choice_page.chosen() == "demo"
    wizard.next()
    assert wizard.currentId() == PAGE_DEMO
    page = wizard.demo_page
    steps: list[str] = []
    page._relay.progressed.connect(lambda step, _fraction: steps.append(step) if step not in steps else None)
    with qtbot.wait_signal(page.succeeded, timeout=300_000):
        wizard.next()
        assert page.running and page.bar.isVisibleTo(page)
    qtbot.wait_until(lambda: wizard.currentId() == PAGE_DONE)
    assert steps == ["seed", "start", "enrol", "sync"]
    result = wizard.setup_result
    assert result is not None and result.mode == "demo-server", result
    assert "Pemerintah Kabupaten Sleman" in wizard.done_page.summary.text()
    assert DEMO_PASSWORD in wizard.done_page.login.text()
    assert settings.get(DEMO_MODE) is True
    assert settings.get(AUTO_SYNC_MINUTES) == 1  # the feed's complaints show up within a minute
    server = wizard.demo_server
    assert server is not None and server.running()
    info = json.loads((demo_server.folder_of(paths.data_dir) / "server.json").read_text())
    assert info["port"] == server.port and info["era"]
    wizard.accept()
    assert not needs_setup(paths, settings)

    store = open_store(paths.database, backup_dir=paths.backups)
    try:
        office = home_office(store)
        assert office is not None and (office.region_code, office.name) == ("34.04", "Pemerintah Kabupaten Sleman")
        ctx = ServiceContext(store=store, blob_dir=paths.attachments)
        assert authenticate(ctx, "admin.sleman", DEMO_PASSWORD).role == Role.ADMIN_INSTANSI
        assert authenticate(ctx, "penghubung.pu.sleman", DEMO_PASSWORD).role == Role.PENGHUBUNG
        first = _complaints(store)
        assert first == result.complaints >= 1
        assert _server_url(store) == server.url

        # New online complaints keep arriving from the demo server's feed; the next sync brings Sleman's in.
        folder = demo_server.folder_of(paths.data_dir)
        qtbot.wait_until(lambda: demo_server.count_complaints(folder) > first, timeout=120_000)
        report = build_engine(store, paths).run_once()
        assert report.pulled_complaints > 0 and _complaints(store) == first + report.pulled_complaints
    finally:
        store.close()
    monkeypatch.setenv(FEED_ENV, "0")  # later launches without the feed: "nothing new" must mean it
    _later_launches(paths, settings, server)


def _later_launches(paths: Paths, settings: Settings, first: demo_server.DemoServer) -> None:
    """What the program does on its next starts: the demo server again, on the same port when it is free."""
    port = first.port
    assert start_demo_server_if_needed(paths, settings) is first  # still running in this process
    first.stop()
    assert not demo_server.healthy(first.url)

    again = start_demo_server_if_needed(paths, settings, wait=60)
    assert again is not None and again.port == port and demo_server.healthy(again.url)
    store = open_store(paths.database, backup_dir=paths.backups)
    try:
        build_engine(store, paths).run_once()  # what the first server's feed filed before it stopped
        assert build_engine(store, paths).run_once().pulled_complaints == 0  # nothing new; the sync works
        again.stop()

        with socket.socket() as squatter:  # something else took the port meanwhile
            squatter.bind((demo_server.HOST, port))
            squatter.listen()
            moved = start_demo_server_if_needed(paths, settings, store, wait=60)
            assert moved is not None and moved.port != port
            assert _server_url(store) == moved.url
            assert json.loads((demo_server.folder_of(paths.data_dir) / "server.json").read_text())["port"] \
                == moved.port
            build_engine(store, paths).run_once()

        demo_server._registry.clear()  # as if this process had crashed and a new one started
        adopted = start_demo_server_if_needed(paths, settings, store, wait=5)
        assert adopted is not None and adopted is not moved and adopted.port == moved.port
        assert adopted.pid == moved.pid
        adopted.stop()
        assert not demo_server.healthy(moved.url)
    finally:
        store.close()


def test_no_demo_server_on_a_pc_that_is_not_a_demo(paths: Paths, settings: Settings) -> None:
    assert start_demo_server_if_needed(paths, settings) is None


def test_without_a_server_the_demo_is_local_only(make_wizard: Callable[..., SetupWizard], paths: Paths,
                                                 settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_server, "server_command", lambda: None)  # e.g. a build without the server extra
    wizard = make_wizard(synchronous=True)
    wizard.demo_page.local_complaints = 40
    wizard.next()
    wizard.next()
    assert wizard.currentId() == PAGE_DONE
    result = wizard.setup_result
    assert result is not None and result.mode == "demo-local" and result.demo_server is None
    assert "Server demo tidak terpasang" in wizard.done_page.summary.text()
    assert settings.get(DEMO_MODE) is True
    assert start_demo_server_if_needed(paths, settings) is None
    store = open_store(paths.database, backup_dir=paths.backups)
    try:
        office = home_office(store)
        assert office is not None and office.region_code == "34.04"
        assert authenticate(ServiceContext(store=store, blob_dir=paths.attachments), "loket.sleman",
                            DEMO_PASSWORD).role == Role.PETUGAS_LOKET
        assert _complaints(store) == 40
    finally:
        store.close()


def test_closing_the_wizard_stops_the_demo_setup(make_wizard: Callable[..., SetupWizard], paths: Paths,
                                                 settings: Settings, qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[demo_server.AdminProcess] = []
    real = demo_server.AdminProcess

    def recorded(*args: str) -> demo_server.AdminProcess:
        started.append(real(*args))  # type: ignore[arg-type]
        return started[-1]

    monkeypatch.setattr(demo_server, "AdminProcess", recorded)
    wizard = make_wizard(demo_complaints=2000)
    wizard.next()
    page = wizard.demo_page
    wizard.next()
    assert page.running
    qtbot.wait_until(lambda: bool(started), timeout=30_000)
    wizard.reject()
    wizard.tasks.shutdown(wait=True)  # the job notices the cancel within a moment and stops the seeding
    assert all(proc._proc.poll() is not None for proc in started)
    assert page.result is None
    assert demo_server.running_for(demo_server.folder_of(paths.data_dir)) is None
    assert needs_setup(paths, settings)
    assert settings.get(DEMO_MODE) is False
