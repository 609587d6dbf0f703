"""The monthly report's content (app.report) for a small synthetic office: every figure is app.kpi's for the same
month and the month before, the groups carry names, overdue complaints only their code and category, and an empty
month says so. The office's people and its confidential complaint are made up; ``REPORT_FORBIDDEN`` lists every
string of theirs that no report may carry (tests/ui/report searches the PDF's text for them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from app.domain import ArchiveReason, Channel, Classification, Role
from app.inputs import IntakeInput, ReporterInput
from app.kpi import definitions, store_facts
from app.kpi.period import ReportPeriod
from app.models import Complaint
from app.report import MonthlyReport, formats, monthly_report_content
from app.report.build import trend_period
from app.services import archive, dispose, follow_up, intake, record_response
from tests.helpers.world import World

NAMED = ReporterInput(name="Sri Wahyuningsih", nik="3404125508870003", phone="081355550123",
                      email="sri.w@contoh.id", address="Jl. Kenanga No. 7, Minomartani", consent_given=True)
ANONYMOUS = ReporterInput(name="Bambang Sutrisno", nik="3404121507800001", phone="081377770456",
                          email="bambang.s@contoh.id", address="Jl. Flamboyan No. 12, Sariharjo", consent_given=True)
WHISTLEBLOWER = ReporterInput(name="Rina Kartikasari", nik="3404010101900001", phone="081399990789",
                              email="rina.k@contoh.id", address="Jl. Cempaka No. 3, Condongcatur", consent_given=True)
NEIGHBOUR = ReporterInput(name="Agus Setiawan", phone="081311112222", address="Jl. Melati No. 21, Caturtunggal",
                          consent_given=True)
SECRET_TITLE = "Dugaan pungutan liar oleh oknum petugas kecamatan"
SECRET_TEXT = "Setiap pengurusan surat pindah di kantor kecamatan diminta uang tambahan tanpa kuitansi resmi."
SECRET_ADDRESS = "Kantor Kecamatan Ngaglik lantai dua, loket tiga"
TITLES = ["Lampu jalan padam di simpang tiga Pasar Minomartani", "Antrean panjang pelayanan di Puskesmas Depok",
          "Saluran air tersumbat di Perumahan Griya Asri", "Jalan berlubang di Jalan Kaliurang km 9"]
DESCRIPTION = "Uraian pengaduan yang cukup panjang untuk lolos validasi data masukan dari warga setempat."


def identity_strings(person: ReporterInput) -> list[str]:
    assert person.phone
    return [s for s in (person.name, person.nik, person.phone, "+62" + person.phone[1:], person.phone[1:],
                        person.email, person.address) if s]


REPORT_FORBIDDEN = [*identity_strings(NAMED), *identity_strings(ANONYMOUS), *identity_strings(WHISTLEBLOWER),
                    *identity_strings(NEIGHBOUR), SECRET_TITLE, SECRET_TEXT, SECRET_ADDRESS, *TITLES, DESCRIPTION]
MARCH = ReportPeriod.month(2026, 3)
NOW = datetime(2026, 4, 10, 2, 0, tzinfo=UTC)  # Friday 10 April 09:00 WIB


@dataclass
class ReportOffice:
    world: World
    ids: dict[str, str] = field(default_factory=dict)


def at(world: World, day: datetime) -> None:
    world.clock.now = day


def take_in(world: World, title: str, reporter: ReporterInput, **fields: object) -> str:
    inp = IntakeInput(classification=fields.pop("classification", Classification.PENGADUAN),  # type: ignore[arg-type]
                      channel=fields.pop("channel", Channel.WALK_IN), title=title,  # type: ignore[arg-type]
                      description=fields.pop("description", DESCRIPTION), reporter=reporter,  # type: ignore[arg-type]
                      **fields)  # type: ignore[arg-type]
    return intake(world.ctx, world.users[Role.PETUGAS_LOKET], inp).complaint_id


def build_report_office(world: World) -> ReportOffice:
    """February: two complaints, one verified on time. March: a named reporter's complaint handled on time and closed
    by a satisfied response; an anonymous one verified late; a confidential one and an ordinary one never verified
    (overdue now); one archived as not relevant."""
    o = ReportOffice(world)
    admin = world.users[Role.ADMIN_INSTANSI]
    pu, health = world.units["Dinas Pekerjaan Umum"], world.units["Dinas Kesehatan"]
    at(world, datetime(2026, 2, 10, 2, 0, tzinfo=UTC))
    o.ids["feb_a"] = take_in(world, TITLES[3], NEIGHBOUR, category_id="infrastruktur.jalan", region_code="34.04.12")
    o.ids["feb_b"] = take_in(world, TITLES[2], NEIGHBOUR, category_id="infrastruktur.drainase")
    world.clock.advance(days=1)
    dispose(world.ctx, admin, o.ids["feb_a"], unit_id=pu)
    at(world, datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # Monday 2 March
    o.ids["named"] = take_in(world, TITLES[0], NAMED, category_id="infrastruktur.jalan", region_code="34.04.12.2002",
                             address="Simpang tiga Pasar Minomartani")
    o.ids["anonymous"] = take_in(world, TITLES[1], ANONYMOUS, is_anonymous=True, channel=Channel.PHONE,
                                 category_id="kesehatan.puskesmas_rs", region_code="34.04.07")
    o.ids["secret"] = take_in(world, SECRET_TITLE, WHISTLEBLOWER, is_confidential=True, description=SECRET_TEXT,
                              address=SECRET_ADDRESS, region_code="34.04.12.2002", category_id="infrastruktur.jalan")
    o.ids["ordinary"] = take_in(world, TITLES[2], NEIGHBOUR, category_id="infrastruktur.drainase",
                                region_code="34.04.12")
    o.ids["archived"] = take_in(world, TITLES[3], NEIGHBOUR)
    world.clock.advance(days=1)
    dispose(world.ctx, admin, o.ids["named"], unit_id=pu)
    archive(world.ctx, admin, o.ids["archived"], reason_code=ArchiveReason.TIDAK_RELEVAN)
    world.clock.advance(days=2)
    follow_up(world.ctx, admin, o.ids["named"], text="Lampu sudah diganti oleh petugas.")
    world.clock.advance(days=2)
    record_response(world.ctx, admin, o.ids["named"], satisfied=True)
    at(world, datetime(2026, 3, 12, 2, 0, tzinfo=UTC))  # past the 3 working days
    dispose(world.ctx, admin, o.ids["anonymous"], unit_id=health)
    at(world, NOW)
    return o


@pytest.fixture
def report_office(world: World) -> ReportOffice:
    return build_report_office(world)


def content_of(world: World, period: ReportPeriod = MARCH, **kw: object) -> MonthlyReport:
    with world.store.read() as session:
        return monthly_report_content(session, world.office_id, period, NOW, **kw)  # type: ignore[arg-type]


def test_every_figure_is_the_kpi_modules(report_office: ReportOffice) -> None:
    world = report_office.world
    c = content_of(world, generated_by="Petugas Pimpinan")
    with world.store.read() as session:
        assessed = store_facts.assess_office(session, world.office_id, trend_period(MARCH))
    this = definitions.kpi_report(assessed, MARCH, NOW)
    before = definitions.kpi_report(assessed, MARCH.previous_month(), NOW)
    rows = {k.key: k for k in c.kpis}
    assert this.received.value == 5 and before.received.value == 2  # the figures the world was built for
    assert rows["received"].value_text == "5" and rows["received"].previous_text == "2"
    assert rows["received"].change_text == "+3"
    for key in ("verified_on_time", "followed_up_on_time", "resolved_on_time", "satisfaction"):
        rate, old = getattr(this, key), getattr(before, key)
        assert rows[key].value == rate.percent and rows[key].value_text == formats.percent(rate.percent)
        assert rows[key].previous_text == ("t/d" if old.no_data else formats.percent(old.percent))
    verified = rows["verified_on_time"]
    assert (this.verified_on_time.numerator, this.verified_on_time.denominator) == (2, 5)
    assert verified.value_text == "40,0 %" and verified.target_text == "100,0 %" and verified.met is False
    assert verified.detail.startswith("2 dari 5") and verified.previous_text == "50,0 %"
    assert verified.change_text == "−10,0 poin"
    assert rows["completed"].value_text == str(this.completed.value) == "1"
    assert rows["overdue_now"].value_text == str(this.overdue_now.value) == "5"
    assert rows["overdue_now"].met is False and rows["satisfaction"].value_text == "100,0 %"
    assert c.office == "Pemerintah Kabupaten Sleman" and c.month_label == "Maret 2026" and not c.partial
    assert c.generated_by == "Petugas Pimpinan" and c.generated_at_text == "10 April 2026 09.00 WIB"
    assert [p.label for p in c.trend][-3:] == ["Jan 26", "Feb 26", "Mar 26"] and len(c.trend) == 12
    assert [(p.received, p.completed) for p in c.trend[-2:]] == [(2, 0), (5, 1)]


def test_groups_have_names_and_overdue_complaints_only_code_and_category(report_office: ReportOffice) -> None:
    world = report_office.world
    c = content_of(world)
    assert [(g.name, g.received) for g in c.top_categories] == [
        ("Jalan dan Jembatan", 2), ("Drainase dan Banjir", 1), ("Pelayanan Puskesmas dan Rumah Sakit", 1),
        ("Tanpa kategori", 1)]
    assert c.top_districts[0].name == "Ngaglik" and c.top_districts[0].received == 3
    assert [(g.name, g.received) for g in c.top_villages] == [("Minomartani", 2), ("Tanpa desa/kelurahan", 3)]
    assert c.overdue_total == 5
    assert [(u.unit, u.overdue) for u in c.overdue_by_unit] == [
        ("Dinas Kesehatan", 1), ("Dinas Pekerjaan Umum", 1), ("Belum didisposisikan ke unit", 3)]
    unit = c.overdue_by_unit[-1]
    with world.store.read() as session:
        def code(key: str) -> str:
            return session.get_one(Complaint, report_office.ids[key]).tracking_code

        # oldest deadline first: February's unverified complaint, then March's two (the confidential one by code)
        assert [(o.tracking_code, o.category) for o in unit.oldest] == [
            (code("feb_b"), "Drainase dan Banjir"), (code("secret"), "Jalan dan Jembatan"),
            (code("ordinary"), "Drainase dan Banjir")]
    assert [o.days_overdue for o in unit.oldest] == [32, 20, 20]
    text = repr(c)
    for secret in REPORT_FORBIDDEN:
        assert secret not in text, secret


def test_one_unit(report_office: ReportOffice) -> None:
    world = report_office.world
    c = content_of(world, unit_id=world.units["Dinas Kesehatan"])
    rows = {k.key: k for k in c.kpis}
    assert c.unit == "Dinas Kesehatan" and c.scope_text == "Dinas Kesehatan"
    assert rows["received"].value_text == "1" and rows["verified_on_time"].value_text == "0,0 %"
    assert rows["verified_on_time"].detail.startswith("0 dari 1")


def test_an_empty_month_is_zeros_and_says_so(report_office: ReportOffice) -> None:
    c = content_of(report_office.world, ReportPeriod.month(2025, 6))
    assert c.no_data and "Tidak ada laporan pada Juni 2025" in c.summary
    assert all(k.value == 0 for k in c.kpis if k.key != "overdue_now")
    assert {k.key: k.detail for k in c.kpis}["verified_on_time"].startswith("tidak ada data")
    assert c.top_categories == () and c.top_districts == ()


def test_the_current_month_is_partial(report_office: ReportOffice) -> None:
    c = content_of(report_office.world, ReportPeriod.month(2026, 4))
    assert c.partial and "angka sementara" in c.summary


def test_indonesian_number_formats() -> None:
    assert formats.number(1234567) == "1.234.567" and formats.number(85.7) == "85,7"
    assert formats.percent(66.66) == "66,7 %" and formats.percent(100) == "100,0 %"
    assert formats.signed(3) == "+3" and formats.signed(-2.5, " poin", decimals=True) == "−2,5 poin"
    assert formats.signed(0, " poin", decimals=True) == "0,0 poin" and formats.signed(-1200) == "−1.200"
    assert formats.month_label(ReportPeriod.month(2026, 10)) == "Oktober 2026"
    assert formats.short_month(ReportPeriod.month(2025, 8)) == "Agu 25"
    assert trend_period(ReportPeriod.month(2026, 3)) == ReportPeriod(ReportPeriod.month(2025, 4).first_day,
                                                                      ReportPeriod.month(2026, 3).last_day)


def test_who_may_make_the_report_and_of_what() -> None:
    from app.errors import PermissionDenied
    from app.report.access import report_unit

    assert report_unit(Role.PIMPINAN, None, None) is None and report_unit(Role.ADMIN_INSTANSI, None, "u2") == "u2"
    assert report_unit(Role.PENGHUBUNG, "u1", None) == "u1" and report_unit(Role.PENGHUBUNG, "u1", "u1") == "u1"
    for role, own, asked in ((Role.PENGHUBUNG, "u1", "u2"), (Role.PENGHUBUNG, None, None),
                             (Role.PETUGAS_LOKET, None, None), (Role.IT_ADMIN, None, None)):
        with pytest.raises(PermissionDenied):
            report_unit(role, own, asked)
