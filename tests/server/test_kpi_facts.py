"""The server's KPI facts (server.kpi_facts) on SQLite and PostgreSQL: the March stories of test_kpi_scenarios stored
as the server holds complaints give the figures of the hand-written facts (worked out in test_kpi_definitions), under
the server's own policy and holiday calendar; a complaint the national admin re-routes counts for the office that
holds it, from its arrival there."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.domain import Channel, Classification, EventKind, Status
from app.inputs import IntakeInput, ReporterInput
from app.kpi.assess import assess
from app.kpi.definitions import kpi_report
from app.kpi.period import ReportPeriod
from app.rules import tracking
from server import admin, national
from server.kpi_facts import assess_office, load_rules
from server.models import Complaint, TimelineEvent
from tests.app.test_kpi_scenarios import AS_OF, HEALTH, MARCH, PU, rules, wib
from tests.app.test_kpi_store_facts import named
from tests.server.support import Backend, SeededOffice

MARCH_2026 = ReportPeriod.month(2026, 3)


def _import_calendar(backend: Backend) -> None:
    with backend.db.transaction() as s:
        admin.import_reference(s, categories_json=None, policy_json=None, holiday_years=range(2025, 2028))


def _store_stories(backend: Backend, office: SeededOffice) -> dict[str, str]:
    """Each story as the server would hold it after the office's PC pushed it: the complaint's row as its steps
    left it, and its timeline (RECEIVED, then the steps). Returns complaint id → story id."""
    units = {PU: office.units["Dinas Pekerjaan Umum"], HEALTH: office.units["Dinas Kesehatan"]}
    names: dict[str, str] = {}
    with backend.db.transaction() as s:
        for n, story in enumerate(MARCH, start=1):
            row, events = story.replay()
            cid = f"0195{n:04d}-0000-7000-8000-000000000000"
            names[cid] = story.id
            s.add(Complaint(
                id=cid, office_id=office.id, tracking_code=tracking.make_code("3404", 7, n),
                classification=row.classification, category_id=row.category_id, title=f"Laporan uji {story.id}",
                description="Uraian laporan uji indikator kinerja.", region_code=row.region_code,
                channel=row.channel, is_confidential=row.is_confidential, is_supervisory=row.is_supervisory,
                unit_id=units[row.unit_id] if row.unit_id else None, status=row.status,
                archive_reason=row.archive_reason, received_at=row.received_at, disposed_at=row.disposed_at,
                followed_up_at=row.followed_up_at, postponed_at=row.postponed_at, updated_at=AS_OF, version=1,
                field_versions="{}"))
            s.flush()
            s.add(TimelineEvent(id=f"{cid[:-3]}000", complaint_id=cid, kind=EventKind.RECEIVED, at=row.received_at,
                                to_status=Status.BELUM_TERVERIFIKASI, version=1))
            for i, (at, _eid, kind, to_status) in enumerate(events, start=1):
                s.add(TimelineEvent(id=f"{cid[:-3]}{i:03d}", complaint_id=cid, kind=kind, at=at, to_status=to_status,
                                    text="Catatan", version=1))
            # A note and a refused step change no status: the facts ignore them.
            s.add(TimelineEvent(id=f"{cid[:-3]}900", complaint_id=cid, kind=EventKind.NOTE, at=AS_OF, version=1))
            s.add(TimelineEvent(id=f"{cid[:-3]}901", complaint_id=cid, kind=EventKind.TRANSITION_REJECTED,
                                at=AS_OF, from_status=row.status, to_status=Status.SELESAI, version=1))
    return names


def test_the_server_gives_the_figures_of_the_hand_written_facts(backend: Backend, office_a: SeededOffice,
                                                                office_b: SeededOffice) -> None:
    _import_calendar(backend)
    names = _store_stories(backend, office_a)
    expected = assess([st.facts() for st in MARCH], rules())
    for period in (MARCH_2026, ReportPeriod.month(2026, 4), ReportPeriod.year(2026)):
        with backend.db.transaction() as s:
            on_server = assess_office(s, office_a.id, period, today=AS_OF.date())
        assert named(kpi_report(on_server, period, AS_OF), names) == named(
            kpi_report(expected, period, AS_OF), {n: n for n in names.values()}), period.label
    with backend.db.transaction() as s:
        assert assess_office(s, office_b.id, MARCH_2026).items == ()  # Badung holds none of them
        assert load_rules(s, office_b.id).tz == "Asia/Makassar"
        facts = {names[a.facts.id]: a.facts for a in assess_office(s, office_a.id, MARCH_2026).items}
    assert facts["E"].arrived_at == wib(3, 10, 13) and facts["E"].routed  # microseconds and zones intact
    assert facts["A"].verified_at == wib(3, 26, 14) and facts["A"].verified_at.tzinfo is not None


def test_a_rerouted_complaint_counts_for_the_office_that_holds_it(backend: Backend, office_a: SeededOffice,
                                                                  office_b: SeededOffice) -> None:
    """Filed online, routed to Sleman, redirected there as not its authority, re-routed to Badung by the national
    admin (server.national): Sleman's figures no longer hold it; Badung's count it as arrived at the re-routing,
    with Sleman's steps left out."""
    _import_calendar(backend)
    filed = wib(3, 2, 8)
    online = IntakeInput(classification=Classification.PENGADUAN, channel=Channel.LAPOR_ONLINE,
                         title="Pungutan liar di kantor kelurahan", description="Saya diminta membayar biaya "
                         "tambahan untuk mengurus surat pengantar di kantor kelurahan tanpa kuitansi resmi.",
                         reporter=ReporterInput(name="Warga Daring", email="warga@contoh.id", consent_given=True))
    with backend.db.transaction() as s:
        cid = national.create_online_complaint(s, online, filed, office_id=office_a.id).id
    with backend.db.transaction() as s:
        c = s.get(Complaint, cid)
        assert c is not None
        c.status = Status.BUKAN_WEWENANG  # Sleman's redirect, as its push leaves it
        s.add(TimelineEvent(id=f"{cid[:-3]}aaa", complaint_id=cid, kind=EventKind.REDIRECTED,
                            at=filed + timedelta(days=1), from_status=Status.BELUM_TERVERIFIKASI,
                            to_status=Status.BUKAN_WEWENANG, version=1))
    rerouted = wib(3, 10, 13)
    with backend.db.transaction() as s:
        national.route(s, cid, office_b.id, rerouted, note="Kewenangan kabupaten lain")
    with backend.db.transaction() as s:
        sleman = assess_office(s, office_a.id, MARCH_2026, today=AS_OF.date())
        badung = assess_office(s, office_b.id, MARCH_2026, today=AS_OF.date())
        kinds = set(s.scalars(select(TimelineEvent.kind).where(TimelineEvent.complaint_id == cid)))
    assert {EventKind.ROUTED, EventKind.REDIRECTED} <= kinds
    assert sleman.items == ()
    (a,) = badung.items
    assert a.facts.routed and a.facts.arrived_at == rerouted and a.facts.received_at == filed
    assert a.facts.history == () and a.facts.verified_at is None  # Sleman's redirect is not Badung's decision
    report = kpi_report(badung, MARCH_2026, AS_OF)
    # Badung (WITA): arrived Tue 10 Mar 14:00 WITA; 3 working days → 11, 12, 13 → due Fri 13 Mar, missed.
    assert report.received.ids == (cid,) and report.verified_on_time.missed_ids == (cid,)
    assert a.verification is not None and a.verification.due_at == wib(3, 13, 22, 59) + timedelta(
        seconds=59, microseconds=999999)
