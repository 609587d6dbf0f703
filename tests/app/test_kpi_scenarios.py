"""Hand-made complaint histories in March–April 2026 for the KPI tests, replayed through the workflow table
(app.rules.workflow) so every step is one the program allows, and the real 2026 calendar of the ``holidays`` package.

March 2026 in Sleman (WIB): Wed 18 cuti bersama Nyepi, Thu 19 Nyepi, Fri 20 cuti bersama Idul Fitri, Sat 21–Sun 22
Idul Fitri, Mon 23 and Tue 24 cuti bersama Idul Fitri; Fri 3 April Wafat Yesus Kristus; Tue 17 February Imlek and Mon
16 February its cuti bersama. So the working days around Lebaran run … Mon 16, Tue 17, Wed 25, Thu 26, Fri 27,
Mon 30, Tue 31 March, Wed 1, Thu 2, Mon 6 April …

The test modules that use these (test_kpi_definitions, test_kpi_store_facts) work each figure out by hand in their
comments; this module only checks that the histories are legal and read back as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

from app.domain import ArchiveReason, Channel, Classification, EventKind, Status
from app.kpi.assess import KpiRules
from app.kpi.facts import ComplaintFacts, ComplaintRow, build_facts
from app.rules import workflow
from app.rules.sla import SlaPolicy, WorkingCalendar, default_holidays

WIB = timezone(timedelta(hours=7))
OFFICE = "office-sleman"
PU, HEALTH = "unit-pu", "unit-kesehatan"
ROAD, CLINIC = "infrastruktur.jalan", "kesehatan.puskesmas_rs"  # bundled categories

# A step of a history: (what, when). What: an EventKind value, or SATISFIED / NOT_SATISFIED for the reporter's
# response. ROUTED: the national admin routed the complaint to this office.
SATISFIED, NOT_SATISFIED = "SATISFIED", "NOT_SATISFIED"
_ACTION = {EventKind.DISPOSED: ("dispose", Status.DIDISPOSISIKAN), EventKind.POSTPONED: ("postpone", Status.DITUNDA),
           EventKind.RESUMED: ("resume", Status.BELUM_TERVERIFIKASI),
           EventKind.REDIRECTED: ("redirect", Status.BUKAN_WEWENANG),
           EventKind.ARCHIVED: ("archive", Status.DIARSIPKAN),
           EventKind.UNARCHIVED: ("unarchive", Status.BELUM_TERVERIFIKASI),
           EventKind.FOLLOW_UP: ("follow_up", Status.DITINDAKLANJUTI), EventKind.CLOSED: ("close", Status.SELESAI),
           EventKind.AUTO_CLOSED: ("close", Status.SELESAI), EventKind.REOPENED: ("reopen", Status.DIDISPOSISIKAN),
           SATISFIED: ("respond", Status.SELESAI), NOT_SATISFIED: ("respond", Status.DIDISPOSISIKAN)}


def wib(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    """A time in Sleman (WIB, UTC+7), as aware UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=WIB).astimezone(UTC)


@dataclass
class Story:
    """One complaint's history as a test writes it."""

    id: str
    received: datetime
    steps: list[tuple[str, datetime]]
    classification: str = Classification.PENGADUAN
    supervisory: bool = False
    archive_reason: str | None = None
    unit: str = PU
    region: str | None = None
    category: str | None = None
    channel: str = Channel.WALK_IN
    confidential: bool = False
    before_arrival: list[tuple[str, datetime]] = field(default_factory=list)  # the previous office's steps

    def replay(self) -> tuple[ComplaintRow, list[tuple[datetime, str, str, str | None]]]:
        """The complaint's row as the steps leave it, and its status events (at, id, kind, to_status)."""
        row = SimpleNamespace(status=Status.BELUM_TERVERIFIKASI, unit_id=None, archive_reason=None,
                              disposed_at=None, followed_up_at=None, postponed_at=None, closed_at=None)
        events: list[tuple[datetime, str, str, str | None]] = []
        for what, at in [*self.before_arrival, *self.steps]:
            if what == EventKind.ROUTED:
                row.status, row.unit_id = Status.BELUM_TERVERIFIKASI, None
                kind, target = EventKind.ROUTED.value, Status.BELUM_TERVERIFIKASI
            else:
                action, target = _ACTION[what]
                step = workflow.find(row.status, target, action)
                assert step is not None, f"{self.id}: {what} is not allowed from {row.status}"
                reason = self.archive_reason or ArchiveReason.TIDAK_LENGKAP
                workflow.apply_effects(row, step, at, unit_id=self.unit, archive_reason=reason)
                kind = what if what not in (SATISFIED, NOT_SATISFIED) else EventKind.REPORTER_RESPONSE.value
            events.append((at, f"{self.id}-{len(events):03d}", kind, target.value))
        return ComplaintRow(
            id=self.id, office_id=OFFICE, received_at=self.received, classification=self.classification,
            is_supervisory=self.supervisory, status=row.status, archive_reason=row.archive_reason,
            category_id=self.category, unit_id=row.unit_id, region_code=self.region, channel=self.channel,
            is_confidential=self.confidential, disposed_at=row.disposed_at, followed_up_at=row.followed_up_at,
            postponed_at=row.postponed_at), events

    def facts(self) -> ComplaintFacts:
        row, events = self.replay()
        return build_facts(row, events)


def rules(tz: str = "Asia/Jakarta") -> KpiRules:
    """The bundled policy (3/5 working days, resolution 5/14/60) and the package's 2025–2027 holidays."""
    calendar = WorkingCalendar(d for d, _, _ in default_holidays([2025, 2026, 2027]))
    return KpiRules(SlaPolicy.bundled(), calendar, tz)


K = EventKind
MARCH: list[Story] = [
    # A: received just before Nyepi and Lebaran; verified on the second working day after; followed up late
    # (Good Friday); the reporter satisfied in April.
    Story("A", wib(3, 17, 10), [(K.DISPOSED, wib(3, 26, 14)), (K.FOLLOW_UP, wib(4, 6)),
                                (SATISFIED, wib(4, 8))], region="34.04.01.2001", category=ROAD),
    # B: never verified: late since 12 March, still open.
    Story("B", wib(3, 9, 8), [], region="34.04.01.2002", category=ROAD, channel=Channel.PHONE),
    # C: postponed for clarification at once, resumed, dispositioned, followed up, closed by the office.
    Story("C", wib(3, 2), [(K.POSTPONED, wib(3, 3, 10)), (K.RESUMED, wib(3, 12, 10)),
                           (K.DISPOSED, wib(3, 13, 10)), (K.FOLLOW_UP, wib(3, 16, 11)), (K.CLOSED, wib(3, 17, 15))],
          region="34.04.02.2001", category=CLINIC, unit=HEALTH),
    # D: the unit postpones (clarification), dispositioned again, followed up late, the reporter not satisfied,
    # dispositioned back to the unit and still there.
    Story("D", wib(3, 4), [(K.DISPOSED, wib(3, 4, 11)), (K.POSTPONED, wib(3, 5, 10)), (K.DISPOSED, wib(3, 10)),
                           (K.FOLLOW_UP, wib(3, 25, 10)), (NOT_SATISFIED, wib(3, 26, 10))], category=ROAD),
    # E: received by another office in February, redirected (bukan wewenang), routed here on 10 March.
    Story("E", wib(2, 26), [(K.ROUTED, wib(3, 10, 13)), (K.DISPOSED, wib(3, 13, 16)), (K.FOLLOW_UP, wib(3, 27, 16)),
                            (K.AUTO_CLOSED, wib(4, 7, 1))],
          before_arrival=[(K.DISPOSED, wib(2, 27)), (K.REDIRECTED, wib(3, 2))], channel=Channel.LAPOR_ONLINE),
    # F: spam.
    Story("F", wib(3, 11), [(K.ARCHIVED, wib(3, 11, 10))], archive_reason=ArchiveReason.SPAM),
    # G: postponed, the reporter never clarified: archived as incomplete before its resolution deadline.
    Story("G", wib(3, 5), [(K.POSTPONED, wib(3, 5, 10)), (K.ARCHIVED, wib(3, 16, 10))]),
    # H: berkadar pengawasan (60 working days), received on Imlek's cuti bersama, closed in March.
    Story("H", wib(2, 16), [(K.DISPOSED, wib(2, 18)), (K.FOLLOW_UP, wib(2, 23)), (K.CLOSED, wib(3, 16, 10))],
          supervisory=True),
    # I: a request for information (5 working days), completed on its deadline's day.
    Story("I", wib(3, 9), [(K.DISPOSED, wib(3, 9, 9, 30)), (K.FOLLOW_UP, wib(3, 10)), (SATISFIED, wib(3, 16, 10))],
          classification=Classification.PERMINTAAN_INFORMASI, confidential=True),
]
AS_OF = wib(4, 10)  # Friday 10 April 2026, 09:00 WIB


def test_every_story_is_a_legal_history() -> None:
    for story in MARCH:
        row, events = story.replay()
        assert row.status == (events[-1][3] if events else Status.BELUM_TERVERIFIKASI)


def test_a_routed_complaint_starts_at_its_arrival_and_keeps_only_this_office_steps() -> None:
    e = next(s for s in MARCH if s.id == "E").facts()
    assert e.routed and e.arrived_at == wib(3, 10, 13) and e.received_at == wib(2, 26)
    assert [ev.kind for ev in e.history] == [K.DISPOSED, K.FOLLOW_UP, K.AUTO_CLOSED]
    assert e.verified_at == e.first_disposed_at == wib(3, 13, 16)  # not the other office's 27 February
    assert e.completed_at == wib(4, 7, 1) and e.completed_by == K.AUTO_CLOSED


def test_facts_read_the_history_as_written() -> None:
    c = next(s for s in MARCH if s.id == "C").facts()
    assert not c.routed and c.arrived_at == c.received_at
    assert c.verified_at == wib(3, 3, 10)  # the postponement is the verification decision
    assert c.first_disposed_at == wib(3, 13, 10) and c.first_followed_up_at == wib(3, 16, 11)
    assert c.postponements == ((wib(3, 3, 10), wib(3, 12, 10)),)
    assert c.completed_at == wib(3, 17, 15) and c.completed_by == K.CLOSED
    d = next(s for s in MARCH if s.id == "D").facts()
    assert d.postponements == ((wib(3, 5, 10), wib(3, 10)),)
    assert d.responses == ((wib(3, 26, 10), False),) and d.status == Status.DIDISPOSISIKAN
    assert d.disposed_at == wib(3, 26, 10)  # the current stamp: the reporter sent it back
    f = next(s for s in MARCH if s.id == "F").facts()
    assert f.excluded
    g = next(s for s in MARCH if s.id == "G").facts()
    assert not g.excluded and g.archive_reason == ArchiveReason.TIDAK_LENGKAP


def test_a_second_copy_of_a_step_is_not_a_second_step() -> None:
    """Two PCs took the same step; the server kept both entries ("already there"): one change of status."""
    row, events = MARCH[3].replay()  # D
    twin = (events[0][0] + timedelta(minutes=5), "D-zzz", K.DISPOSED.value, Status.DIDISPOSISIKAN.value)
    once, twice = build_facts(row, events), build_facts(row, [*events, twin])
    assert once.history == twice.history
