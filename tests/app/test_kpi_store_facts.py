"""The facts read from a real store (app.kpi.store_facts): the March stories of test_kpi_scenarios taken through the
desktop's own services on a clock the test moves, read back with the store's SQL, give exactly the figures the
hand-written facts give (test_kpi_definitions works them out by hand); and the reader selects what a period needs."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import services
from app.domain import Channel, Classification, EventKind, Role, Status
from app.ids import new_id
from app.inputs import IntakeInput, ReporterInput
from app.kpi.assess import assess
from app.kpi.definitions import KpiReport, kpi_report
from app.kpi.facts import selection_window
from app.kpi.period import ReportPeriod
from app.kpi.store_facts import assess_office, load_rules, read_facts, read_facts_of
from app.models import Complaint, TimelineEvent
from app.services import ServiceContext
from tests.app.test_kpi_scenarios import AS_OF, HEALTH, MARCH, NOT_SATISFIED, PU, SATISFIED, Story, rules, wib
from tests.helpers.world import World

MARCH_2026 = ReportPeriod.month(2026, 3)
APRIL_2026 = ReportPeriod.month(2026, 4)


def story_intake(story: Story) -> IntakeInput:
    return IntakeInput(
        classification=story.classification, channel=story.channel, title=f"Laporan uji KPI {story.id}",
        description=f"Laporan uji untuk indikator kinerja, cerita {story.id}, dengan uraian yang cukup panjang.",
        category_id=story.category, region_code=story.region, is_confidential=story.confidential,
        is_supervisory=story.supervisory,
        reporter=ReporterInput(name="Siti Aminah", phone="081234567890", email="siti@contoh.id", consent_given=True))


def take_step(ctx: ServiceContext, admin: str, units: dict[str, str], story: Story, cid: str, what: str,
              at: datetime) -> None:
    """One step of a story, as the office's admin takes it through the desktop's services at ``at``."""
    k = EventKind
    if what == k.DISPOSED:
        services.dispose(ctx, admin, cid, unit_id=units[story.unit], instruction="Mohon ditindaklanjuti")
    elif what == k.POSTPONED:
        services.postpone(ctx, admin, cid, reason="Mohon lengkapi lokasi kejadian")
    elif what == k.RESUMED:
        services.resume(ctx, admin, cid)
    elif what == k.ARCHIVED:
        services.archive(ctx, admin, cid, reason_code=story.archive_reason or "TIDAK_LENGKAP")
    elif what == k.UNARCHIVED:
        services.unarchive(ctx, admin, cid, reason="Ternyata relevan")
    elif what == k.REDIRECTED:
        services.redirect(ctx, admin, cid, reason="Kewenangan instansi lain")
    elif what == k.FOLLOW_UP:
        services.follow_up(ctx, admin, cid, text="Sudah ditangani oleh unit di lapangan.")
    elif what == k.CLOSED:
        services.close(ctx, admin, cid)
    elif what == k.REOPENED:
        services.reopen(ctx, admin, cid, reason="Masalah muncul lagi")
    elif what in (SATISFIED, NOT_SATISFIED):
        services.record_response(ctx, admin, cid, satisfied=what == SATISFIED, text="Tanggapan pelapor lewat telepon")
    elif what == k.AUTO_CLOSED:
        assert services.apply_auto_closures(ctx, now=at) == [cid]
    else:
        raise AssertionError(f"no service for {what}")


def replay(stories: list[Story], ctx: ServiceContext, set_clock: Callable[[datetime], None], counter: str,
           admin: str, units: dict[str, str], routed: Callable[[Story, str, datetime], None]) -> dict[str, str]:
    """Take every story in, then every step of every story in time order (the automatic close acts on the whole
    office); ``routed`` brings a complaint here from another office. Returns story id → complaint id."""
    ids: dict[str, str] = {}
    work: list[tuple[datetime, str, Story, str]] = [(s.received, "intake", s, "") for s in stories]
    work += [(at, "step", s, what) for s in stories for what, at in s.steps]
    for at, action, story, what in sorted(work, key=lambda w: (w[0], w[2].id)):
        set_clock(at)
        if action == "intake":
            ids[story.id] = services.intake(ctx, counter, story_intake(story)).complaint_id
        elif what == EventKind.ROUTED:
            routed(story, ids[story.id], at)
        else:
            take_step(ctx, admin, units, story, ids[story.id], what, at)
    return ids


def named(report: KpiReport, names: dict[str, str]) -> dict[str, Any]:
    """The report as plain data, complaint ids replaced by the stories' names (ids stay sorted)."""
    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if key == "ids" or key.endswith("_ids"):
            return tuple(sorted(names[i] for i in value))
        return value
    return walk(dataclasses.asdict(report))  # type: ignore[no-any-return]


def _routed_on_the_store(world: World) -> Callable[[Story, str, datetime], None]:
    """What a pull leaves on a PC for a complaint re-routed here: the other office's steps and the ROUTED entry."""
    def route(story: Story, cid: str, at: datetime) -> None:
        with world.store.transaction() as s:
            status = Status.BELUM_TERVERIFIKASI.value
            for what, when in [*story.before_arrival, (EventKind.ROUTED.value, at)]:
                target = {EventKind.DISPOSED: Status.DIDISPOSISIKAN, EventKind.REDIRECTED: Status.BUKAN_WEWENANG,
                          EventKind.ROUTED: Status.BELUM_TERVERIFIKASI}[EventKind(what)]
                s.add(TimelineEvent(id=new_id(), complaint_id=cid, kind=what, at=when, from_status=status,
                                    to_status=target.value, data_json=json.dumps({"routed_by": "national"})))
                status = target.value
    return route


def test_the_store_gives_the_figures_of_the_hand_written_facts(world: World) -> None:
    units = {PU: world.units["Dinas Pekerjaan Umum"], HEALTH: world.units["Dinas Kesehatan"]}

    def set_clock(at: datetime) -> None:
        world.clock.now = at

    ids = replay(MARCH, world.ctx, set_clock, world.users[Role.PETUGAS_LOKET], world.users[Role.ADMIN_INSTANSI],
                 units, _routed_on_the_store(world))
    names = {cid: name for name, cid in ids.items()}
    expected = assess([s.facts() for s in MARCH], rules())
    for period in (MARCH_2026, APRIL_2026, ReportPeriod.year(2026)):
        with world.store.read() as s:
            from_store = assess_office(s, world.office_id, period)
        assert named(kpi_report(from_store, period, AS_OF), names) == named(
            kpi_report(expected, period, AS_OF), {n: n for n in names.values()}), period.label
    # Not vacuous: the stories really are on the store, with their units and the routed one's arrival.
    with world.store.read() as s:
        facts = {names[f.id]: f for f in read_facts(s, world.office_id, selection_window(
            *MARCH_2026.bounds("WIB"), load_rules(s, world.office_id).policy))}
    assert set(facts) == {"A", "B", "C", "D", "E", "F", "G", "H", "I"}
    assert facts["E"].routed and facts["E"].arrived_at == wib(3, 10, 13)
    assert facts["C"].unit_id == units[HEALTH] and facts["I"].is_confidential


def test_only_what_changed_is_read_again(world: World) -> None:
    """A view keeps its assessment and refreshes the complaints that changed: the same figures as reading anew."""
    units = {PU: world.units["Dinas Pekerjaan Umum"], HEALTH: world.units["Dinas Kesehatan"]}
    admin = world.users[Role.ADMIN_INSTANSI]

    def set_clock(at: datetime) -> None:
        world.clock.now = at

    ids = replay(MARCH[:4], world.ctx, set_clock, world.users[Role.PETUGAS_LOKET], admin, units,
                 _routed_on_the_store(world))
    with world.store.read() as s:
        before = assess_office(s, world.office_id, MARCH_2026)
    assert kpi_report(before, MARCH_2026, AS_OF).verified_on_time.missed_ids == (ids["B"],)
    world.clock.now = wib(4, 9)
    services.dispose(world.ctx, admin, ids["B"], unit_id=units[PU])  # B verified at last: still late (12 Mar)
    services.follow_up(world.ctx, admin, ids["D"], text="Sudah ditangani ulang oleh unit.")
    with world.store.read() as s:
        changed = read_facts_of(s, world.office_id, [ids["B"], ids["D"], "no-such-id"])
        anew = assess_office(s, world.office_id, APRIL_2026)
        assert read_facts_of(s, world.other_office_id, [ids["B"]]) == []
    assert {f.id for f in changed} == {ids["B"], ids["D"]}
    refreshed = before.with_changes(changed)
    for period in (MARCH_2026, APRIL_2026):
        assert kpi_report(refreshed, period, AS_OF) == kpi_report(anew, period, AS_OF)
    # Both past their resolution deadline (B 6 Apr, D 31 Mar), whatever their new step's deadline.
    assert set(kpi_report(refreshed, APRIL_2026, AS_OF).overdue_now.ids) == {ids["B"], ids["D"]}
    # D's third disposition (due 2 Apr) followed up on 9 Apr: late, as A's (followed up 6 Apr).
    assert set(kpi_report(refreshed, APRIL_2026, AS_OF).followed_up_on_time.missed_ids) == {ids["A"], ids["D"]}
    assert len(before.with_changes([], removed=[ids["A"]]).items) == 3


def test_the_reader_selects_what_the_period_needs(world: World) -> None:
    """Received before the period: in when still open, or touched within the look-back, else out. Received after
    the period: out. Another office's: out."""
    counter, admin = world.users[Role.PETUGAS_LOKET], world.users[Role.ADMIN_INSTANSI]
    unit = world.units["Dinas Pekerjaan Umum"]

    def take_in(at: datetime) -> str:
        world.clock.now = at
        inp = IntakeInput(classification=Classification.PENGADUAN, channel=Channel.WALK_IN,
                          title="Lampu jalan mati di depan balai desa", description="Lampu jalan mati sejak lama "
                          "di depan balai desa, mohon segera diperbaiki oleh dinas terkait.",
                          reporter=ReporterInput(name="Budi", phone="081234567890", consent_given=True))
        return services.intake(world.ctx, counter, inp).complaint_id

    def close_at(cid: str, at: datetime) -> None:
        world.clock.now = at
        services.dispose(world.ctx, admin, cid, unit_id=unit)
        services.follow_up(world.ctx, admin, cid, text="Lampu sudah diganti oleh petugas.")
        services.close(world.ctx, admin, cid)

    old_closed = take_in(wib(3, 2, year=2025))
    close_at(old_closed, wib(3, 4, year=2025))
    old_open = take_in(wib(3, 3, year=2025))
    old_closed_lately = take_in(wib(3, 5, year=2025))
    close_at(old_closed_lately, wib(2, 20))  # 2026: within the look-back of March 2026
    recent = take_in(wib(3, 12))
    later = take_in(wib(4, 2))
    with world.store.read() as s:
        selected = {a.facts.id for a in assess_office(s, world.office_id, MARCH_2026).items}
        other_office = assess_office(s, world.other_office_id, MARCH_2026).items
        assert s.scalar(select(Complaint.office_id).where(Complaint.id == recent)) == world.office_id
    assert selected == {old_open, old_closed_lately, recent}
    assert old_closed not in selected and later not in selected and other_office == ()
