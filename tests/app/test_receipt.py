"""What a receipt and a status letter say, assembled in app/ without Qt: the code and its PIN, the status address, the
summary, times in the office's zone with its label, the stored deadlines, the officer; and what they never say: an
anonymous or confidential reporter's identity, a named reporter's NIK, phone, e-mail or address, internal notes,
the unit's instruction, staff who handled the complaint. Every string of the content is searched. Synthetic data."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest

from app.domain import Channel, Classification, Role
from app.errors import NotFound, OutOfScope
from app.inputs import IntakeInput, ReporterInput
from app.models import Complaint, Office, User
from app.read.receipt import (
    ReceiptContent,
    Viewer,
    format_moment,
    receipt_content,
    region_text,
    status_address,
    zone_label,
)
from app.read.status_letter import status_letter_content
from app.rules import tracking
from app.rules.citizen_view import status_pin
from app.rules.sla import WorkingCalendar, load_policy
from app.services import intake, records
from app.services import workflow_actions as wf
from tests.helpers.world import World

NAME, NIK, PHONE = "Sri Wahyuningsih", "3404125508870003", "081355550123"
EMAIL, ADDRESS = "sri.w@contoh.id", "Jl. Kenanga No. 7, Minomartani"
IDENTITY = (NAME, NIK, PHONE, "+6281355550123", "81355550123", EMAIL, ADDRESS, "Kenanga")
BASE = "https://lapor.example.go.id"
NOW = datetime(2026, 3, 2, 3, 15, tzinfo=UTC)  # Monday 10:15 WIB


def strings(value: Any) -> Iterator[str]:
    """Every string anywhere in a content object (dataclasses, tuples, nested)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name))
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from strings(item)


def assert_no_identity(content: object) -> None:
    for text in strings(content):
        for secret in IDENTITY:
            assert secret.lower() not in text.lower(), (secret, text)


def take_in(world: World, *, anonymous: bool = False, confidential: bool = False,
            classification: str = Classification.PENGADUAN, by: str = Role.PETUGAS_LOKET) -> str:
    inp = IntakeInput(
        classification=classification, channel=Channel.WALK_IN, title="Lampu penerangan jalan padam di simpang",
        description="Lampu penerangan jalan di simpang pasar padam dua minggu, rawan kecelakaan malam hari.",
        category_id="infrastruktur.penerangan_jalan", region_code="34.04.12.2002", is_anonymous=anonymous,
        is_confidential=confidential,
        reporter=ReporterInput(name=NAME, nik=NIK, phone=PHONE, email=EMAIL, address=ADDRESS, consent_given=True))
    return intake(world.ctx, world.users[by], inp).complaint_id


def tracking_code_of(world: World, cid: str) -> str:
    with world.store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None
        return c.tracking_code


def full_name(world: World, role: str) -> str:
    with world.store.read() as s:
        user = s.get(User, world.users[role])
        assert user is not None
        return user.full_name


def viewer(world: World, role: str = Role.PETUGAS_LOKET, name: str | None = "Dewi Lestari") -> Viewer:
    return Viewer(world.office_id, role, name)


def receipt(world: World, cid: str, v: Viewer | None = None, base: str | None = BASE) -> ReceiptContent:
    return receipt_content(world.store, cid, v or viewer(world), status_base_url=base, now=NOW)


def line(content: ReceiptContent, label: str) -> str:
    found = [x.value for x in (*content.summary, *content.times) if x.label == label]
    assert len(found) == 1, (label, content)
    return found[0]


def test_code_pin_and_status_address(world: World) -> None:
    cid = take_in(world)
    r = receipt(world, cid)
    code = tracking_code_of(world, cid)
    assert r.tracking_code == code and r.pin == status_pin(cid) and len(r.pin) == 6
    compact = tracking.compact(code)
    assert r.access.url == f"{BASE}/cek/{compact}?pin={r.pin}" == status_address(BASE + "/", code, r.pin)
    assert "QR" in r.access.how_to[0]


def test_without_a_status_page_there_is_no_address_and_the_paper_says_where_to_ask(world: World) -> None:
    r = receipt(world, take_in(world), base=None)
    assert r.access.url is None
    assert not any("http" in text or "/cek" in text for text in strings(r))
    assert "loket pengaduan Pemerintah Kabupaten Sleman" in r.access.how_to[0] and "telepon" in r.access.how_to[0]


def test_summary_times_deadlines_and_officer(world: World) -> None:
    cid = take_in(world)  # Monday 2 March 2026, 09:00 WIB
    r = receipt(world, cid)
    assert line(r, "Judul") == "Lampu penerangan jalan padam di simpang"
    assert line(r, "Klasifikasi") == "Pengaduan" and line(r, "Saluran") == "Datang langsung"
    assert line(r, "Kategori") == "Infrastruktur › Penerangan Jalan Umum"
    assert line(r, "Lokasi") == "Desa Minomartani, Kec. Ngaglik, Kabupaten Sleman, Daerah Istimewa Yogyakarta"
    assert line(r, "Diterima") == "Senin, 2 Maret 2026 pukul 09.00 WIB"
    with world.store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None and c.step_due_at is not None and c.resolution_due_at is not None
        step_day, resolution_day = (d.astimezone(UTC).date() for d in (c.step_due_at, c.resolution_due_at))
    # The stored deadlines (end of the local day), shown as local dates with the period that set them.
    assert line(r, "Batas verifikasi") == "Kamis, 5 Maret 2026 (3 hari kerja)" and step_day == date(2026, 3, 5)
    assert line(r, "Target penyelesaian").endswith("(14 hari kerja)")
    assert str(resolution_day.day) in line(r, "Target penyelesaian")
    assert r.time_notes == ("Hari kerja tidak termasuk Sabtu, Minggu, hari libur nasional dan cuti bersama.",)
    assert r.officer is not None and r.officer.label == "Petugas penerima"
    assert r.officer.value == full_name(world, Role.PETUGAS_LOKET)
    assert r.printed == "Dicetak Senin, 2 Maret 2026 pukul 10.15 WIB oleh Dewi Lestari"
    assert r.office.name == "Pemerintah Kabupaten Sleman" and r.office.zone_label == "WIB"


def test_information_request_has_its_own_resolution_period(world: World) -> None:
    r = receipt(world, take_in(world, classification=Classification.PERMINTAAN_INFORMASI))
    assert line(r, "Target penyelesaian") == "Senin, 9 Maret 2026 (5 hari kerja)"


def test_a_deadline_past_the_holiday_calendar_is_marked_as_an_estimate(world: World) -> None:
    cid = take_in(world)
    with world.store.read() as s:
        policy = load_policy(s)
    r = receipt_content(world.store, cid, viewer(world), status_base_url=BASE, now=NOW,
                        rules=(policy, WorkingCalendar(horizon=date(2026, 3, 4))))
    assert line(r, "Batas verifikasi").endswith("*")
    assert any(note.startswith("* Perkiraan") for note in r.time_notes)


def test_office_in_another_zone_shows_its_own_time_and_label(world: World) -> None:
    """Badung (Bali) is WITA: 09:00 WIB is 10:00 WITA."""
    cid = take_in_badung(world)
    r = receipt(world, cid, Viewer(world.other_office_id, Role.ADMIN_INSTANSI, "Admin Badung"))
    assert r.office.zone_label == "WITA"
    assert line(r, "Diterima") == "Senin, 2 Maret 2026 pukul 10.00 WITA"
    assert r.printed.startswith("Dicetak Senin, 2 Maret 2026 pukul 11.15 WITA")


def take_in_badung(world: World) -> str:
    inp = IntakeInput(classification=Classification.ASPIRASI, channel=Channel.PHONE,
                      title="Usul halte di depan sekolah",
                      description="Mohon dibangun halte di depan sekolah dasar agar anak-anak tidak kehujanan.",
                      is_anonymous=True)
    return intake(world.ctx, world.other_admin, inp).complaint_id


def test_another_offices_complaint_is_not_found(world: World) -> None:
    cid = take_in_badung(world)
    with pytest.raises(NotFound):
        receipt(world, cid)
    with pytest.raises(NotFound):
        status_letter_content(world.store, cid, viewer(world), status_base_url=BASE, now=NOW)


def test_named_reporter_name_only_and_only_for_roles_that_may_see_it(world: World) -> None:
    cid = take_in(world)
    assert line(receipt(world, cid), "Pelapor") == NAME
    for v in (Viewer(world.office_id), viewer(world, Role.PIMPINAN)):  # no account (CLI), or a role without sight
        r = receipt(world, cid, v)
        assert not [x for x in r.summary if x.label == "Pelapor"]
        assert_no_identity(r)
    with pytest.raises(OutOfScope):  # IT prints no complaint at all (app.rules.scope)
        receipt(world, cid, viewer(world, Role.IT_ADMIN))
    r = receipt(world, cid)
    for text in strings(r):  # the name may show; nothing else of the person
        for secret in (NIK, PHONE, "81355550123", EMAIL, ADDRESS, "Kenanga"):
            assert secret not in text


@pytest.mark.parametrize("role", [Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET])
def test_anonymous_reporter_never_appears_whoever_prints(world: World, role: str) -> None:
    """The office admin may see an anonymous reporter in the window; never on paper."""
    cid = take_in(world, anonymous=True)
    r = receipt(world, cid, viewer(world, role))
    assert_no_identity(r)
    assert line(r, "Pelapor") == "Dirahasiakan (laporan anonim)"
    assert r.is_anonymous and any("anonim" in note for note in r.notes)
    assert line(r, "Judul")  # an anonymous complaint's content is the reporter's to keep
    assert_no_identity(status_letter_content(world.store, cid, viewer(world, role), status_base_url=BASE, now=NOW))


def test_confidential_complaint_leaves_identity_title_and_place_off(world: World) -> None:
    cid = take_in(world, confidential=True)
    r = receipt(world, cid, viewer(world, Role.ADMIN_INSTANSI))
    assert_no_identity(r)
    labels = [x.label for x in r.summary]
    assert "Judul" not in labels and "Lokasi" not in labels
    assert not any("Lampu penerangan" in t or "Minomartani" in t for t in strings(r))
    assert line(r, "Pelapor") == "Dirahasiakan (laporan rahasia)" and r.is_confidential


def walk_through(world: World, cid: str) -> None:
    admin = world.users[Role.ADMIN_INSTANSI]
    records.add_note(world.ctx, admin, cid, text="Catatan internal: pelapor kerabat kepala dusun.")
    world.clock.advance(days=1)
    wf.dispose(world.ctx, admin, cid, unit_id=world.units["Dinas Pekerjaan Umum"],
               instruction="Instruksi unit: cek tiang lampu nomor 12.")
    world.clock.advance(days=2)
    wf.follow_up(world.ctx, admin, cid, text="Lampu sudah diganti oleh tim pemeliharaan pada Rabu malam.")


def test_status_letter_is_the_citizen_view_and_nothing_else(world: World) -> None:
    cid = take_in(world)
    walk_through(world, cid)
    letter = status_letter_content(world.store, cid, viewer(world), status_base_url=BASE, now=NOW)
    assert letter.status_label == "Sudah ditindaklanjuti"
    assert letter.explanation.startswith("Unit kerja sudah menanggapi")
    assert [(e.when, e.label) for e in letter.entries] == [
        ("2 Mar 2026, 09.00", "Laporan diterima"),
        ("3 Mar 2026, 09.00", "Diverifikasi dan diteruskan ke unit kerja"),
        ("5 Mar 2026, 09.00", "Tindak lanjut")]
    assert letter.entries[-1].text == "Lampu sudah diganti oleh tim pemeliharaan pada Rabu malam."
    assert letter.received == "Senin, 2 Maret 2026 pukul 09.00 WIB"
    assert letter.printed == format_moment(NOW, "WIB")
    assert letter.officer is not None and letter.officer.value == "Dewi Lestari"
    assert any(f"{BASE}/cek" in note for note in letter.notes) and "WIB" in letter.notes[0]
    everything = " ".join(strings(letter))
    # Internal notes, the unit's instruction, the unit, the staff who handled it, the title: none of it.
    for hidden in ("Catatan internal", "kepala dusun", "Instruksi unit", "tiang lampu", "Dinas Pekerjaan Umum",
                   full_name(world, Role.ADMIN_INSTANSI), "Lampu penerangan jalan padam"):
        assert hidden not in everything
    assert_no_identity(letter)
    assert status_pin(cid) not in everything  # the letter is the status; it does not hand out the PIN


def test_confidential_letter_says_the_status_alone(world: World) -> None:
    cid = take_in(world, confidential=True)
    walk_through(world, cid)
    letter = status_letter_content(world.store, cid, viewer(world, Role.ADMIN_INSTANSI), status_base_url=None,
                                   now=NOW)
    assert letter.status_label == "Sudah ditindaklanjuti" and letter.is_confidential
    assert letter.entries == () and letter.received is None
    assert "Lampu sudah diganti" not in " ".join(strings(letter))
    assert any("rahasia" in note for note in letter.notes)
    assert any("loket" in note for note in letter.notes)  # no status page known: ask at the counter
    assert_no_identity(letter)


def test_letter_without_officer_names_nobody(world: World) -> None:
    letter = status_letter_content(world.store, take_in(world), Viewer(world.office_id), status_base_url=BASE,
                                   now=NOW)
    assert letter.officer is None


def test_zone_labels_and_region_names(world: World) -> None:
    assert [zone_label(z) for z in ("WIB", "Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "WITA",
                                    "Asia/Jayapura")] == ["WIB", "WIB", "WIB", "WITA", "WITA", "WIT"]
    assert format_moment(datetime(2026, 12, 31, 16, 30, tzinfo=UTC), "Asia/Jayapura") == \
        "Jumat, 1 Januari 2027 pukul 01.30 WIT"
    with world.store.read() as s:
        assert region_text(s, "34.04") == "Kabupaten Sleman, Daerah Istimewa Yogyakarta"
        assert (region_text(s, "34.71.01.1001") or "").startswith("Kel. Kricak, Kec. Tegalrejo")
        assert region_text(s, None) is None and region_text(s, "99.99") is None


# ---- the office's contact (from the national server's reference data) -------------------------------------------

CONTACT = {"contact_address": "Jl. Contoh Pelayanan No. 1, Tridadi, Sleman 55511", "contact_phone": "+62274868405",
           "contact_email": "pengaduan@contoh.go.id", "contact_website": "https://pengaduan.contoh.go.id",
           "service_hours": "Senin–Jumat 08.00–15.00 WIB"}
NBSP = "\u00a0"


def set_contact(world: World, office_id: str | None = None, **columns: str | None) -> None:
    """The office row as sync.reference leaves it after a reference download."""
    with world.store.transaction() as s:
        office = s.get(Office, office_id or world.office_id)
        assert office is not None
        for column, value in columns.items():
            setattr(office, column, value)


def test_office_contact_heads_the_receipt_and_the_phone_is_named_where_to_ask(world: World) -> None:
    set_contact(world, **CONTACT)
    cid = take_in(world)
    r = receipt(world, cid)
    assert [(x.label, x.value) for x in r.office.contact] == [
        ("Alamat", "Jl. Contoh Pelayanan No. 1, Tridadi, Sleman 55511"), ("Telepon", "(0274) 868405"),
        ("E-mail", "pengaduan@contoh.go.id"), ("Situs web", "pengaduan.contoh.go.id"),
        ("Jam layanan", "Senin–Jumat 08.00–15.00 WIB")]
    assert r.access.how_to[1] == ("Tanpa internet, tanyakan di loket pengaduan atau melalui telepon "
                                  f"(0274){NBSP}868405 dengan menyebutkan kode pelacakan dan PIN.")
    assert r.access.how_to[2] == "Loket pengaduan buka Senin–Jumat 08.00–15.00 WIB."
    assert not any("telepon kantor" in text for text in strings(r))
    without_page = receipt(world, cid, base=None)
    assert without_page.access.how_to == (
        f"Status laporan dapat ditanyakan di loket pengaduan Pemerintah Kabupaten Sleman atau melalui telepon "
        f"(0274){NBSP}868405 dengan menyebutkan kode pelacakan dan PIN.",
        "Loket pengaduan buka Senin–Jumat 08.00–15.00 WIB.")
    # The office's own contact is not anyone's personal data; the reporter's still never shows.
    assert_no_identity(receipt(world, take_in(world, anonymous=True), viewer(world, Role.ADMIN_INSTANSI)))


def test_only_the_contact_the_office_has_is_printed(world: World) -> None:
    """An office with an e-mail but no phone: no empty lines, and the phone is still the office's in general."""
    set_contact(world, contact_email="pengaduan@contoh.go.id")
    r = receipt(world, take_in(world), base=None)
    assert [x.label for x in r.office.contact] == ["E-mail"]
    assert r.office.phone is None and r.office.address is None and r.office.service_hours is None
    assert "telepon kantor" in r.access.how_to[0] and len(r.access.how_to) == 1
    set_contact(world, contact_phone="+6281234567890")
    mobile = receipt(world, take_in(world), base=None)
    assert mobile.office.phone == "0812-3456-7890" and "telepon 0812-3456-7890" in mobile.access.how_to[0]
    set_contact(world, service_hours="Senin–Jumat 08.00–15.00 WIB.")  # as typed, with its own full stop
    assert receipt(world, take_in(world), base=None).access.how_to[1] == (
        "Loket pengaduan buka Senin–Jumat 08.00–15.00 WIB.")


def test_each_office_prints_its_own_contact(world: World) -> None:
    set_contact(world, contact_phone="+62274868405")
    set_contact(world, world.other_office_id, contact_phone="+62361000104")
    r = receipt(world, take_in_badung(world), Viewer(world.other_office_id, Role.ADMIN_INSTANSI, "Admin Badung"))
    assert r.office.phone == "(0361) 000104" and "(0274)" not in " ".join(strings(r))


def test_status_letter_names_the_offices_phone_and_hours(world: World) -> None:
    set_contact(world, **CONTACT)
    cid = take_in(world)
    walk_through(world, cid)
    for base in (BASE, None):
        letter = status_letter_content(world.store, cid, viewer(world), status_base_url=base, now=NOW)
        assert letter.office.phone == "(0274) 868405" and len(letter.office.contact) == 5
        asks = [note for note in letter.notes if "telepon" in note]
        assert len(asks) == 1 and f"telepon (0274){NBSP}868405" in asks[0], letter.notes
        assert "Loket pengaduan buka Senin–Jumat 08.00–15.00 WIB." in letter.notes
        assert not any("telepon kantor" in note for note in letter.notes)
        assert_no_identity(letter)
    set_contact(world, **dict.fromkeys(CONTACT))  # cleared on the server: the letter says it as before
    letter = status_letter_content(world.store, cid, viewer(world), status_base_url=None, now=NOW)
    assert letter.office.contact == () and any("telepon kantor" in note for note in letter.notes)
