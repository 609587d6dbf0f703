"""The office's contact from the national server to the citizen's receipt: set with ``lapor-server admin
set-office-contact`` on the database the real server serves, fetched by the PC's next sync with the reference data
(because the reference version moved), stored in the home office's row and printed in the receipt's content; a field
cleared on the server is cleared on the PC. A PC updated from a version that fetched reference data with protocol 4
fetches it again; a server older than protocol 5 leaves the PC's contact as it is. Synthetic data only."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from app.models import Office, StoreMeta
from app.read.receipt import Viewer, receipt_content
from app.read.status_letter import status_letter_content
from app.timeutil import utcnow
from server import cli
from sync import state
from sync.protocol import OfficeContactData, ReferenceData
from sync.reference import sync_reference
from tests.helpers.world import World
from tests.sync.faultproxy import FaultProxy
from tests.sync.fleet import PC, Fleet

NBSP = "\u00a0"


def set_contact(fleet: Fleet, region_code: str, *argv: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The national admin's command, on the database the running server serves."""
    capsys.readouterr()
    code = cli.run(["admin", "set-office-contact", "--db", fleet.server.db_url, "--office", region_code, *argv])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out


def paths(proxy: FaultProxy) -> list[str]:
    return [e.path for e in proxy.exchanges()]


def receipt_of(pc: PC, complaint_id: str) -> tuple[tuple[str, str], ...]:
    content = receipt_content(pc.store, complaint_id, Viewer(pc.office.id), status_base_url=None, now=utcnow())
    return tuple((line.label, line.value) for line in content.office.contact) + tuple(
        ("how_to", text) for text in content.access.how_to)


def test_a_contact_set_on_the_server_reaches_the_pcs_receipts(fleet: Fleet, proxy: FaultProxy,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    office = fleet.office()
    pc = fleet.pc(office)
    cid = pc.intake(1)
    assert receipt_of(pc, cid) == (("how_to", f"Status laporan dapat ditanyakan di loket pengaduan {office.name} "
                                               "atau melalui telepon kantor dengan menyebutkan kode pelacakan dan "
                                               "PIN."),)

    out = set_contact(fleet, office.region_code, "--phone", "0274-868405", "--email", "pengaduan@contoh.go.id",
                      "--address", "Jl. Contoh Pelayanan No. 1", "--website", "https://pengaduan.contoh.go.id",
                      "--hours", "Senin–Jumat 08.00–15.00 WIB", capsys=capsys)
    assert "disimpan" in out
    proxy.reset_log()
    pc.sync()
    assert "/api/v1/reference" in paths(proxy)  # the pull answer said the reference data moved
    with pc.store.read() as s:
        home = s.get(Office, office.id)
        assert home is not None
        assert (home.contact_phone, home.contact_email, home.contact_address, home.contact_website,
                home.service_hours) == ("+62274868405", "pengaduan@contoh.go.id", "Jl. Contoh Pelayanan No. 1",
                                        "https://pengaduan.contoh.go.id", "Senin–Jumat 08.00–15.00 WIB")
    assert receipt_of(pc, cid) == (
        ("Alamat", "Jl. Contoh Pelayanan No. 1"), ("Telepon", "(0274) 868405"), ("E-mail", "pengaduan@contoh.go.id"),
        ("Situs web", "pengaduan.contoh.go.id"), ("Jam layanan", "Senin–Jumat 08.00–15.00 WIB"),
        ("how_to", f"Status laporan dapat ditanyakan di loket pengaduan {office.name} atau melalui telepon "
                   f"(0274){NBSP}868405 dengan menyebutkan kode pelacakan dan PIN."),
        ("how_to", "Loket pengaduan buka Senin–Jumat 08.00–15.00 WIB."))
    letter = status_letter_content(pc.store, cid, Viewer(pc.office.id), status_base_url=None, now=utcnow())
    assert any(f"telepon (0274){NBSP}868405" in note for note in letter.notes)

    # Cleared on the server: cleared on the PC at its next sync; what was not cleared stays.
    set_contact(fleet, office.region_code, "--clear", "phone", "hours", capsys=capsys)
    pc.sync()
    shown = dict(receipt_of(pc, cid)[:-1])
    assert "Telepon" not in shown and "Jam layanan" not in shown and shown["E-mail"] == "pengaduan@contoh.go.id"
    assert "telepon kantor" in receipt_of(pc, cid)[-1][1]
    proxy.reset_log()
    pc.sync()
    assert paths(proxy) == ["/api/v1/sync/pull"]  # nothing moved since: no download


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_pc_updated_from_protocol_4_fetches_the_reference_data_again(fleet: Fleet, proxy: FaultProxy,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The contact was set while the PC ran a version that did not ask for it: the reference version it holds equals
    the server's, yet it must fetch once more after the update to learn the contact."""
    office = fleet.office()
    set_contact(fleet, office.region_code, "--phone", "0361-000104", capsys=capsys)
    pc = fleet.pc(office)
    with pc.store.transaction() as s:  # as the protocol-4 version left the store (0005 added empty columns)
        home = s.get(Office, office.id)
        assert home is not None and home.contact_phone == "+62361000104"
        home.contact_phone = None
        s.execute(delete(StoreMeta).where(StoreMeta.key == state.REFERENCE_PROTOCOL))
    with pc.store.read() as s:
        assert state.held_reference_version(s) is None
    proxy.reset_log()
    pc.sync()
    assert paths(proxy)[0] == "/api/v1/reference"  # first, before pushing anything
    with pc.store.read() as s:
        home = s.get(Office, office.id)
        assert home is not None and home.contact_phone == "+62361000104"
        assert state.held_reference_version(s) is not None
    proxy.reset_log()
    pc.sync()
    assert paths(proxy) == ["/api/v1/sync/pull"]


class OldServer:
    """A transport whose server speaks protocol 4: its reference data has no ``office_contact``."""

    def __init__(self, version: int) -> None:
        self.version = version

    def request_model(self, method: str, path: str, model: type[ReferenceData]) -> ReferenceData:
        assert (method, path) == ("GET", "/api/v1/reference")
        return model.model_validate({"categories": [], "sla_policy": None, "holidays": [], "units": [], "users": [],
                                     "version": self.version})


def test_a_server_older_than_protocol_5_leaves_the_pcs_contact_as_it_is(world: World) -> None:
    with world.store.transaction() as s:
        home = s.get(Office, world.office_id)
        assert home is not None
        home.contact_phone, home.contact_email = "+62274868405", "pengaduan@contoh.go.id"
    assert sync_reference(world.ctx, OldServer(7), world.office_id) is True  # type: ignore[arg-type]
    with world.store.read() as s:
        home = s.get(Office, world.office_id)
        assert home is not None and (home.contact_phone, home.contact_email) == ("+62274868405",
                                                                                  "pengaduan@contoh.go.id")
        assert state.held_reference_version(s) == "7"
    assert OfficeContactData().model_dump() == dict.fromkeys(("address", "phone", "email", "website", "service_hours"))
    assert sync_reference(world.ctx, OldServer(7), world.office_id) is False  # held: nothing installed again
