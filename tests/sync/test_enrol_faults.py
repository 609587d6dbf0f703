"""Enrolment over a bad network, against the real ``lapor-server`` through the fault proxy: a reply lost after the
server committed (or a request delivered twice) still ends with one device on the server and a PC whose token
works; when the retries run out, running the enrolment again gets the same device back instead of "code already
used"; another PC with the same code is still refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import Paths
from app.store import meta
from app.store.db import Store, open_store
from server import models as srv
from sync import enroll as enroll_module
from sync import state
from sync.enroll import enroll
from sync.session import build_engine
from sync.transport import ServerRefused, ServerUnreachable, Transport, TransportSettings
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import Fleet, Office
from tests.sync.test_cli import lapor

ENROLL = "/api/v1/enroll"


def devices_of(office: Office) -> list[srv.Device]:
    with office.server.db.transaction() as s:
        rows = list(s.execute(select(srv.Device).where(srv.Device.office_id == office.id)).scalars())
        s.expunge_all()
        return rows


def new_store(folder: Path, template_db: Path) -> tuple[Store, Paths]:
    paths = Paths(folder)
    paths.data_dir.mkdir(parents=True)
    shutil.copyfile(template_db, paths.database)
    return open_store(paths.database, backup_dir=paths.backups), paths


@pytest.mark.parametrize("fault", ["drop_after", "twice"])
def test_a_lost_or_repeated_reply_still_enrols_one_device(fleet: Fleet, proxy: FaultProxy, fault: str) -> None:
    office = fleet.office()
    proxy.inject("POST", ENROLL, fault)
    pc = fleet.pc(office, first_sync=False)  # enrols through the proxy
    answered = [e.status for e in proxy.exchanges(ENROLL)]
    assert answered == ([200, 200] if fault == "drop_after" else [200])  # "twice": the server answered both
    [device] = devices_of(office)
    with pc.store.read() as s:
        assert meta.get(s, state.DEVICE_ID) == device.id and meta.get(s, state.CLIENT_ID) == device.client_id
        assert meta.get(s, enroll_module.ENROLLMENT_KEY) is None  # used up: not left lying in the store
    pc.sync()  # the token of the reply the PC read is the one that works: the office's accounts come down
    pc.intake(1)
    report = pc.sync()
    assert (report.pushed, report.applied) == (1, 1)


def test_enrolling_again_after_the_retries_ran_out_gets_the_same_device(
        fleet: Fleet, proxy: FaultProxy, tmp_path: Path, template_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Transport, "_wait", lambda self, attempt, retry_after: None)  # no back-off pauses
    office = fleet.office()
    office.online_complaints(1)
    code = office.enrolment_code()
    store, paths = new_store(tmp_path / "pc-loket", template_db)
    attempts = TransportSettings.retries + 1
    proxy.inject("POST", ENROLL, "drop_after", times=attempts)
    with pytest.raises(ServerUnreachable):
        enroll(store, paths, server_url=proxy.url, code=code, device_name="pc-loket")
    assert [e.status for e in proxy.exchanges(ENROLL)] == [200] * attempts  # the server said yes every time
    assert len(devices_of(office)) == 1

    other, other_paths = new_store(tmp_path / "pc-lain", template_db)
    with pytest.raises(ServerRefused) as refused:
        enroll(other, other_paths, server_url=proxy.url, code=code, device_name="pc-lain")
    assert refused.value.code == "enrollment_code_used"
    other.close()

    done = enroll(store, paths, server_url=proxy.url, code=code, device_name="pc-loket")  # IT runs it again
    [device] = devices_of(office)
    assert done.device_no == device.device_no == 1
    engine = build_engine(store, paths)
    try:
        assert engine.run_once().pulled_complaints == 1
    finally:
        engine.transport.close()
        store.close()


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_the_cli_rides_over_a_lost_enrolment_reply(fleet: Fleet, proxy: FaultProxy, tmp_path: Path) -> None:
    office = fleet.office()
    office.online_complaints(1)
    data = tmp_path / "pc-loket"
    proxy.inject("POST", ENROLL, "drop_after")
    code, out = lapor("--data-dir", str(data), "enroll", "--server", proxy.url, "--code", office.enrolment_code(),
                      "--name", "PC loket 1")
    assert code == 0, out
    assert f"PC enrolled for {office.name} as device 001" in out
    assert "First sync: 1 complaints received." in out
    assert [e.fault for e in proxy.exchanges(ENROLL)] == ["drop_after", None]
    assert len(devices_of(office)) == 1
    code, out = lapor("--data-dir", str(data), "sync")
    assert code == 0, out
