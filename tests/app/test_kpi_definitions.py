"""The KPIs of March and April 2026 for the stories of test_kpi_scenarios, each figure worked out by hand below.

Deadlines (the end of the day, 23:59:59.999999 WIB, counted from the local day of the start; working days skip
weekends, national holidays and cuti bersama):

- verification 3 working days from arrival: A 17 Mar → 25, 26, 27 → Fri 27 Mar (without the holidays it would be
  Fri 20 Mar); B 9 Mar → 12 Mar; C 2 Mar → 5 Mar; D 4 Mar → 9 Mar; E arrived 10 Mar → 13 Mar; G 5 Mar → 10 Mar;
  H 16 Feb (Imlek's cuti bersama; 17 Feb Imlek) → 18, 19, 20 → 20 Feb; I 9 Mar → 12 Mar.
- follow-up 5 working days from each disposition: A 26 Mar → 27, 30, 31, 1 Apr, 2 Apr → 2 Apr (3 Apr Good Friday);
  C 13 Mar → 16, 17, 25, 26, 27 → 27 Mar; D 4 Mar → 11 Mar, D 10 Mar → 11, 12, 13, 16, 17 → 17 Mar, D 26 Mar →
  2 Apr; E 13 Mar → 27 Mar; H 18 Feb → 25 Feb; I 9 Mar → 16 Mar.
- resolution from arrival, 14 working days (5 for I's information request, 60 for H, supervisory): A 17 Mar → 14 Apr;
  B 9 Mar → 6 Apr; C 2 Mar → 27 Mar; D 4 Mar → 31 Mar; E 10 Mar → 7 Apr; G 5 Mar → 1 Apr; H 16 Feb → in May (14
  working days would have ended 9 Mar); I 9 Mar → 10, 11, 12, 13, 16 → Mon 16 Mar.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain import ArchiveReason, DeadlineKind, EventKind
from app.errors import ValidationError
from app.kpi import breakdowns
from app.kpi.assess import Assessed, assess
from app.kpi.definitions import (
    followed_up_on_time,
    kpi_report,
    monthly,
    percent,
    received,
    resolved_on_time,
    verified_on_time,
)
from app.kpi.period import ReportPeriod, parse_month
from tests.app.test_kpi_scenarios import AS_OF, CLINIC, HEALTH, MARCH, PU, ROAD, Story, rules, wib

K = EventKind

MARCH_2026 = ReportPeriod.month(2026, 3)


def ids(found: tuple[str, ...]) -> tuple[str, ...]:
    """The ids behind a figure, sorted (they come in the order of the instant each counts by)."""
    return tuple(sorted(found))
APRIL_2026 = ReportPeriod.month(2026, 4)


@pytest.fixture(scope="module")
def assessed() -> Assessed:
    return assess([s.facts() for s in MARCH], rules())


def test_the_deadlines_cross_nyepi_lebaran_and_good_friday(assessed: Assessed) -> None:
    by_id = {a.facts.id: a for a in assessed.items}
    end_of = {cid: a.verification.due_at for cid, a in by_id.items() if a.verification}
    assert end_of["A"] == wib(3, 27, 23, 59) + timedelta(seconds=59, microseconds=999999)
    assert by_id["A"].follow_ups[0].due_at.date() == date(2026, 4, 2)  # 16:59 UTC on 2 April = 23:59 WIB
    assert by_id["A"].resolution is not None and by_id["A"].resolution.due_at.date() == date(2026, 4, 14)
    assert by_id["H"].verification is not None and by_id["H"].verification.due_at.date() == date(2026, 2, 20)
    assert by_id["I"].resolution is not None and by_id["I"].resolution.due_at.date() == date(2026, 3, 16)
    assert [s.due_at.date() for s in by_id["D"].follow_ups] == [date(2026, 3, 11), date(2026, 3, 17),
                                                               date(2026, 4, 2)]


def test_march(assessed: Assessed) -> None:
    r = kpi_report(assessed, MARCH_2026, AS_OF)
    assert not r.partial and not r.no_data
    # Arrived in March: A, B, C, D, E (routed here 10 Mar; received elsewhere in February), G, I; H arrived in
    # February; F is spam.
    assert ids(r.received.ids) == ("A", "B", "C", "D", "E", "G", "I")
    assert ids(r.excluded.ids) == ("F",)
    # Verification settled in March: met A (26 ≤ 27 Mar), C (postponed 3 ≤ 5 Mar), D, E (13 Mar 16:00, the last
    # hour of its day), G, I; missed B (due 12 Mar, still not verified). 6 of 7 = 85.714… → 85.7.
    v = r.verified_on_time
    assert (v.numerator, v.denominator, v.percent) == (6, 7, 85.7)
    assert ids(v.met_ids) == ("A", "C", "D", "E", "G", "I") and v.missed_ids == ("B",) and v.pending_ids == ()
    # Follow-up settled in March: met C (16 ≤ 27 Mar), E (27 Mar 16:00 ≤ 27 Mar; its other office's February
    # disposition is not this office's), I (10 ≤ 16 Mar); missed D's second disposition (due 17 Mar, followed up
    # 25 Mar). D's first disposition ended by the unit's postponement before it was due: withdrawn. Pending at
    # the month's end: A (due 2 Apr) and D's third (due 2 Apr). 3 of 4 = 75.0.
    f = r.followed_up_on_time
    assert (f.numerator, f.denominator, f.percent) == (3, 4, 75.0)
    assert ids(f.met_ids) == ("C", "E", "I") and ids(f.missed_ids) == ("D",) and ids(f.pending_ids) == ("A", "D")
    # Resolution settled in March: met C (17 ≤ 27 Mar), H (16 Mar, 60 working days), I (16 Mar 10:00, its
    # deadline's day); missed D (due 31 Mar, open then). G was archived before its deadline: no outcome. Pending: A
    # (completed 8 Apr), B (late 6 Apr), E (completed 7 Apr). 3 of 4 = 75.0.
    s = r.resolved_on_time
    assert (s.numerator, s.denominator, s.percent) == (3, 4, 75.0)
    assert ids(s.met_ids) == ("C", "H", "I") and ids(s.missed_ids) == ("D",) and ids(s.pending_ids) == ("A", "B", "E")
    # Completed in March: C (17), H (16), I (16); none automatically.
    assert ids(r.completed.ids) == ("C", "H", "I") and r.auto_closed.value == 0
    # Overdue at 10 Apr: B (verification due 12 Mar), D (resolution due 31 Mar, before its follow-up's 2 Apr).
    assert ids(r.overdue_now.ids) == ("B", "D")
    # Working days to verification, verified in March: A 17→26 Mar: 25, 26 = 2; C 1; D 0; E 10→13 Mar: 3; G 0;
    # I 0 → 0 0 0 1 2 3 → median 0.5.
    assert (r.median_days_to_verification.value, r.median_days_to_verification.count) == (0.5, 6)
    # To follow-up, followed up in March: C 13→16: 1; D 10→25 Mar: 11, 12, 13, 16, 17, 25 = 6; E 13→27 Mar: 5;
    # I 1 → 1 1 5 6 → median 3.0.
    assert (r.median_days_to_follow_up.value, r.median_days_to_follow_up.count) == (3.0, 4)
    assert ids(r.median_days_to_follow_up.ids) == ("C", "D", "E", "I")
    # Responses in March: D not satisfied (26 Mar), I satisfied (16 Mar): 1 of 2.
    assert ids(r.reporter_responses.ids) == ("D", "I")
    assert (r.satisfaction.numerator, r.satisfaction.denominator, r.satisfaction.percent) == (1, 2, 50.0)


def test_april_so_far(assessed: Assessed) -> None:
    """April as of Friday 10 April 09:00: partial."""
    r = kpi_report(assessed, APRIL_2026, AS_OF)
    assert r.partial and not r.no_data
    assert r.received.value == 0
    assert r.verified_on_time.no_data and r.verified_on_time.percent == 0.0
    # A (due 2 Apr, followed up 6 Apr) and D's third disposition (due 2 Apr, not followed up): both missed.
    assert (r.followed_up_on_time.numerator, r.followed_up_on_time.denominator) == (0, 2)
    assert ids(r.followed_up_on_time.missed_ids) == ("A", "D") and not r.followed_up_on_time.no_data
    # Met A (8 ≤ 14 Apr) and E (auto-closed 7 Apr 01:00 ≤ 7 Apr); missed B (6 Apr). 2 of 3 = 66.666… → 66.7.
    assert (r.resolved_on_time.numerator, r.resolved_on_time.denominator, r.resolved_on_time.percent) == (2, 3, 66.7)
    assert ids(r.completed.ids) == ("A", "E") and ids(r.auto_closed.ids) == ("E",)
    # A: 26 Mar → 6 Apr: 27, 30, 31, 1, 2, 6 = 6 working days.
    assert r.median_days_to_follow_up.value == 6.0
    assert r.satisfaction.percent == 100.0 and ids(r.reporter_responses.ids) == ("A",)


def test_ids_come_in_the_order_they_count_by(assessed: Assessed) -> None:
    r = kpi_report(assessed, MARCH_2026, AS_OF)
    # Verified 3 (C), 4 (D), 5 (G), 9 (I), 13 (E), 26 (A) March.
    assert r.verified_on_time.met_ids == ("C", "D", "G", "I", "E", "A")
    assert r.received.ids == ("C", "D", "G", "B", "I", "E", "A")  # arrived 2, 4, 5, 9 08:00, 9 09:00, 10, 17 Mar
    assert r.overdue_now.ids == ("B", "D")  # overdue since 12 Mar (B's verification), 31 Mar (D's resolution)


def test_march_as_it_stood_on_20_march(assessed: Assessed) -> None:
    """Figures are for an instant: on Fri 20 March 09:00 A's verification (due 27 Mar) was not known yet."""
    r = kpi_report(assessed, MARCH_2026, wib(3, 20))
    assert r.partial
    assert ids(r.verified_on_time.met_ids) == ("C", "D", "E", "G", "I") and r.verified_on_time.missed_ids == ("B",)
    assert ids(r.verified_on_time.pending_ids) == ("A",) and r.verified_on_time.percent == 83.3  # 5 of 6
    assert ids(r.received.ids) == ("A", "B", "C", "D", "E", "G", "I")
    assert ids(r.completed.ids) == ("C", "H", "I")


def test_an_empty_period_says_so(assessed: Assessed) -> None:
    r = kpi_report(assessed, ReportPeriod.month(2026, 5), wib(6, 1))
    assert r.no_data and not r.partial
    for rate in (r.verified_on_time, r.followed_up_on_time, r.resolved_on_time, r.satisfaction):
        assert rate.no_data and (rate.numerator, rate.denominator, rate.percent) == (0, 0, 0.0)
    assert r.median_days_to_verification.no_data and r.median_days_to_verification.value == 0.0
    assert r.received.value == r.completed.value == 0
    assert ids(r.overdue_now.ids) == ("B", "D")  # the backlog is not bound to the period
    empty = assess([], rules())
    assert kpi_report(empty, MARCH_2026, AS_OF).no_data


def test_every_deadline_counts_in_exactly_one_month(assessed: Assessed) -> None:
    """Month by month, each settled deadline appears once: February to April add up to the whole span."""
    span = ReportPeriod(date(2026, 2, 1), date(2026, 4, 30))
    months = monthly(assessed, span, AS_OF)
    assert [m.period.label for m in months] == ["2026-02", "2026-03", "2026-04"]
    for rate in (verified_on_time, followed_up_on_time, resolved_on_time):
        whole = rate(assessed, span, AS_OF)
        parts = [rate(assessed, m.period, AS_OF) for m in months]
        assert sum(p.denominator for p in parts) == whole.denominator
        # In time order, so the months' ids one after the other are the span's.
        assert tuple(i for p in parts for i in p.met_ids) == whole.met_ids
    assert sum(m.received.value for m in months) == received(assessed, span, AS_OF).value == 8  # H in February


def test_timezone_decides_the_day() -> None:
    """The same instants for an office in WIT (UTC+9): I's satisfied response at 10:00 WIB is 12:00 WIT, still 16
    March; but A, received 17 Mar 10:00 WIB, is 12:00 WIT too. What moves is a time near midnight: D's follow-up
    deadline ends at 23:59 WIT, two hours earlier in UTC."""
    wit = assess([s.facts() for s in MARCH], rules("Asia/Jayapura"))
    wib_ = assess([s.facts() for s in MARCH], rules())
    d_wit = next(a for a in wit.items if a.facts.id == "D").follow_ups[1].due_at
    d_wib = next(a for a in wib_.items if a.facts.id == "D").follow_ups[1].due_at
    assert d_wib - d_wit == timedelta(hours=2)


def test_breakdowns(assessed: Assessed) -> None:
    units = {g.key: g for g in breakdowns.by_unit(assessed, MARCH_2026, AS_OF)}
    # Dispositioned now: A, D, E, H, I to PU (the stories' default unit), C to Kesehatan; B and G never were.
    assert ids(units[PU].received.ids) == ("A", "D", "E", "I") and ids(units[PU].overdue_now.ids) == ("D",)
    assert ids(units[PU].completed.ids) == ("H", "I")
    assert ids(units[HEALTH].received.ids) == ("C",) and ids(units[HEALTH].completed.ids) == ("C",)
    assert ids(units[None].received.ids) == ("B", "G") and ids(units[None].overdue_now.ids) == ("B",)
    districts = breakdowns.by_region(assessed, MARCH_2026, AS_OF)
    assert [(g.key, g.received.value) for g in districts] == [("34.04.01", 2), ("34.04.02", 1), (None, 4)]
    villages = {g.key: g.received.ids for g in breakdowns.by_region(assessed, MARCH_2026, AS_OF, breakdowns.VILLAGE)}
    assert villages["34.04.01.2001"] == ("A",)
    statuses = {g.key: g.received.value for g in breakdowns.by_status(assessed, MARCH_2026, AS_OF)}
    assert statuses == {"SELESAI": 4, "BELUM_TERVERIFIKASI": 1, "DIDISPOSISIKAN": 1, "DIARSIPKAN": 1}
    channels = {g.key: g.received.ids for g in breakdowns.by_channel(assessed, MARCH_2026, AS_OF)}
    assert channels["LAPOR_ONLINE"] == ("E",) and channels["PHONE"] == ("B",)
    categories = {g.key: g.received.value for g in breakdowns.by_category(assessed, MARCH_2026, AS_OF)}
    assert categories == {ROAD: 3, CLINIC: 1, None: 3}
    per_month = breakdowns.per_month(assessed, ReportPeriod(date(2026, 2, 1), date(2026, 3, 31)), AS_OF)
    assert [(m.label, sum(g.received.value for g in groups)) for m, groups in per_month] == [("2026-02", 1),
                                                                                            ("2026-03", 7)]


def test_one_unit_and_public_figures(assessed: Assessed) -> None:
    pu = breakdowns.only(assessed, lambda f: f.unit_id == PU)
    assert ids(kpi_report(pu, MARCH_2026, AS_OF).received.ids) == ("A", "D", "E", "I")
    public = breakdowns.public(assessed)  # I is confidential (rahasia)
    assert "I" not in kpi_report(public, MARCH_2026, AS_OF).received.ids


def test_steps_carry_their_kind(assessed: Assessed) -> None:
    a = next(x for x in assessed.items if x.facts.id == "A")
    assert a.verification is not None and a.verification.kind == DeadlineKind.VERIFICATION
    assert a.follow_ups[0].kind == DeadlineKind.FOLLOW_UP and not a.follow_ups[0].met


@pytest.mark.parametrize(("num", "den", "expected"), [(0, 0, 0.0), (1, 3, 33.3), (2, 3, 66.7), (1, 8, 12.5),
                                                      (1, 16, 6.3), (3, 16, 18.8), (5, 5, 100.0)])
def test_percent_rounds_half_up(num: int, den: int, expected: float) -> None:
    assert percent(num, den) == expected


def test_months_are_checked() -> None:
    today = date(2026, 4, 10)
    assert parse_month("2026-03", today) == MARCH_2026
    assert parse_month(" 2026-04 ", today) == APRIL_2026  # the current month: partial figures
    for bad in ("2026-13", "2026-3", "maret", "2026/03", ""):
        with pytest.raises(ValidationError, match="Bulan tidak valid"):
            parse_month(bad, today)
    with pytest.raises(ValidationError, match="belum dimulai") as err:
        parse_month("2026-05", today)
    assert "has not begun" in err.value.message.en


def test_reopened_and_unarchived_complaints() -> None:
    """R: completed 4 Mar, reopened 9 Mar (a new follow-up deadline: 10, 11, 12, 13, 16 → 16 Mar), followed up 11 Mar,
    closed again. U: archived as not relevant on 3 Mar, before its resolution deadline (27 Mar), un-archived on 1
    April: from then on it is open past that deadline, so it counts as late in April, not in March."""
    r = Story("R", wib(3, 2), [(K.DISPOSED, wib(3, 2, 10)), (K.FOLLOW_UP, wib(3, 3)), (K.CLOSED, wib(3, 4)),
                               (K.REOPENED, wib(3, 9, 10)), (K.FOLLOW_UP, wib(3, 11)), (K.CLOSED, wib(3, 12))])
    u = Story("U", wib(3, 2), [(K.ARCHIVED, wib(3, 3)), (K.UNARCHIVED, wib(4, 1, 10))],
              archive_reason=ArchiveReason.TIDAK_RELEVAN)
    assessed = assess([r.facts(), u.facts()], rules())
    march = kpi_report(assessed, MARCH_2026, AS_OF)
    assert ids(march.followed_up_on_time.met_ids) == ("R", "R")  # two dispositions, two deadlines, both met
    assert ids(march.completed.ids) == ("R",)  # completed once: the first time
    assert ids(march.resolved_on_time.met_ids) == ("R",) and ids(march.resolved_on_time.missed_ids) == ()
    assert ids(march.verified_on_time.met_ids) == ("R", "U")
    april = kpi_report(assessed, APRIL_2026, AS_OF)
    assert ids(april.resolved_on_time.missed_ids) == ("U",)
    u_step = next(a for a in assessed.items if a.facts.id == "U").resolution
    assert u_step is not None and u_step.settled_at == wib(4, 1, 10)
    # Open again and past both the verification (5 Mar) and the resolution deadline: overdue, as the window shows.
    assert ids(april.overdue_now.ids) == ("U",)


def test_supervisory_content_sets_the_resolution_period() -> None:
    """H closed 16 Mar: within 60 working days (supervisory), but 14 would have ended on 9 Mar."""
    h = next(s for s in MARCH if s.id == "H")
    plain = Story("H", h.received, h.steps)
    march = kpi_report(assess([plain.facts()], rules()), MARCH_2026, AS_OF)
    assert ids(march.resolved_on_time.missed_ids) == ("H",)
