"""The KPIs as daily counts (app.kpi.marks, what the national server keeps per office and day) give exactly the
figures of app.kpi.definitions over the same whole days, for any history the workflow allows (hypothesis), in every
zone; and the histogram median is statistics.median."""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.kpi import marks as km
from app.kpi.assess import assess
from app.kpi.definitions import KpiReport, Median, Rate, kpi_report
from app.kpi.period import ReportPeriod
from app.timeutil import zone
from tests.app.test_kpi_properties import offices
from tests.app.test_kpi_scenarios import MARCH, rules


def _rate(r: Rate) -> km.RateFigure:
    return km.RateFigure(r.numerator, r.denominator, r.percent, r.no_data)


def _median(m: Median) -> km.MedianFigure:
    return km.MedianFigure(m.value, m.count, m.no_data)


def as_summary(r: KpiReport) -> km.Summary:
    """What the daily counts can say of a report (its numbers, not the ids behind them)."""
    return km.Summary(
        received=r.received.value, excluded=r.excluded.value, completed=r.completed.value,
        auto_closed=r.auto_closed.value, verified_on_time=_rate(r.verified_on_time),
        followed_up_on_time=_rate(r.followed_up_on_time), resolved_on_time=_rate(r.resolved_on_time),
        median_days_to_verification=_median(r.median_days_to_verification),
        median_days_to_follow_up=_median(r.median_days_to_follow_up), reporter_responses=r.reporter_responses.value,
        satisfaction=_rate(r.satisfaction), overdue_now=r.overdue_now.value, no_data=r.no_data)


def before_day(day: date, tz: str) -> datetime:
    """The last instant before ``day`` begins in ``tz``: what counting the days before it means."""
    return datetime.combine(day, time(), zone(tz)) - timedelta(microseconds=1)


def from_marks(all_marks: list[km.Marks], period: ReportPeriod, cutoff: date, as_of: datetime) -> km.Summary:
    counts, durations = km.sum_marks(all_marks, period.first_day, min(period.last_day + timedelta(days=1), cutoff))
    overdue = sum(1 for m in all_marks if m.overdue_from is not None and m.overdue_from < as_of)
    return km.summarise(counts, durations, overdue)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offices(), st.sampled_from(["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]),
       st.integers(0, 500), st.integers(1, 12))
def test_daily_counts_give_the_definitions_figures(office: list, tz: str, cutoff_days: int, month: int) -> None:
    office_rules = rules(tz)
    assessed = assess([s.facts() for s in office], office_rules)
    all_marks = [km.marks_of(a, office_rules) for a in assessed.items]
    cutoff = date(2025, 12, 1) + timedelta(days=cutoff_days)
    as_of = before_day(cutoff, tz)
    for period in (ReportPeriod.month(2026, month), ReportPeriod(date(2025, 12, 1), date(2026, 12, 31))):
        assert from_marks(all_marks, period, cutoff, as_of) == as_summary(kpi_report(assessed, period, as_of))


def test_the_march_stories_add_up_by_hand_too() -> None:
    """Not vacuous: the hand-computed March of test_kpi_definitions, through the daily counts."""
    office_rules = rules()
    assessed = assess([s.facts() for s in MARCH], office_rules)
    all_marks = [km.marks_of(a, office_rules) for a in assessed.items]
    march = ReportPeriod.month(2026, 3)
    cutoff = date(2026, 6, 1)
    summary = from_marks(all_marks, march, cutoff, before_day(cutoff, "Asia/Jakarta"))
    report = kpi_report(assessed, march, before_day(cutoff, "Asia/Jakarta"))
    assert summary == as_summary(report)
    assert summary.verified_on_time.denominator >= 6 and summary.received >= 6


def test_marks_survive_their_json() -> None:
    office_rules = rules()
    for a in assess([s.facts() for s in MARCH], office_rules).items:
        m = km.marks_of(a, office_rules)
        assert km.Marks.from_json(m.to_json(), m.overdue_from) == m


@given(st.lists(st.integers(0, 40), max_size=60))
def test_the_histogram_median_is_the_median(values: list[int]) -> None:
    histogram: dict[int, int] = {}
    for v in values:
        histogram[v] = histogram.get(v, 0) + 1
    found = km.median(histogram)
    if not values:
        assert found == km.MedianFigure(0.0, 0, True)
        return
    expected = float(Decimal(str(statistics.median(values))).quantize(Decimal("0.1"), ROUND_HALF_UP))
    assert found == km.MedianFigure(expected, len(values), False)


def test_an_empty_period_is_zeros_and_says_so() -> None:
    summary = km.summarise({}, {}, 0)
    assert summary.no_data and summary.received == 0
    assert summary.verified_on_time == km.RateFigure(0, 0, 0.0, True)
    assert summary.median_days_to_follow_up == km.MedianFigure(0.0, 0, True)
