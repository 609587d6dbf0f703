"""Properties of the KPIs over any history the workflow allows (hypothesis): a rate's numerator never exceeds its
denominator, percentages stay within 0–100, the ids behind a figure are the figure, and every settled deadline
counts in exactly one month."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import Classification, EventKind, Status
from app.kpi import breakdowns
from app.kpi.assess import assess
from app.kpi.definitions import Median, Rate, kpi_report, monthly
from app.kpi.period import ReportPeriod
from app.rules import workflow
from tests.app.test_kpi_scenarios import _ACTION, Story, rules

RULES = rules()
START = datetime(2025, 12, 1, tzinfo=UTC)
YEAR = ReportPeriod(date(2026, 1, 1), date(2026, 12, 31))


def _choices(status: str) -> list[str]:
    found = [what for what, (action, target) in _ACTION.items() if workflow.find(status, target, action)]
    if status in (Status.BELUM_TERVERIFIKASI, Status.BUKAN_WEWENANG):
        found.append(EventKind.ROUTED.value)
    return sorted(found)


@st.composite
def stories(draw: st.DrawFn, n: int) -> Story:
    received = START + timedelta(minutes=draw(st.integers(0, 400 * 24 * 60)))
    at, status = received, Status.BELUM_TERVERIFIKASI.value
    steps: list[tuple[str, datetime]] = []
    for _ in range(draw(st.integers(0, 8))):
        what = draw(st.sampled_from(_choices(status)))
        at += timedelta(minutes=draw(st.integers(1, 30 * 24 * 60)))
        steps.append((what, at))
        status = Status.BELUM_TERVERIFIKASI.value if what == EventKind.ROUTED else _ACTION[what][1].value
    return Story(f"c{n:03d}", received, steps, classification=draw(st.sampled_from(list(Classification))),
                 supervisory=draw(st.booleans()), archive_reason=draw(st.sampled_from([None, "SPAM", "DUPLIKAT"])),
                 unit=draw(st.sampled_from(["u1", "u2"])), region=draw(st.sampled_from([None, "34.04.01.2001"])))


@st.composite
def offices(draw: st.DrawFn) -> list[Story]:
    return [draw(stories(i)) for i in range(draw(st.integers(0, 12)))]


def _check_rate(rate: Rate) -> None:
    assert 0 <= rate.numerator <= rate.denominator
    assert 0.0 <= rate.percent <= 100.0
    assert rate.no_data == (rate.denominator == 0)
    assert len(rate.met_ids) == rate.numerator and len(rate.met_ids) + len(rate.missed_ids) == rate.denominator
    if rate.no_data:
        assert rate.percent == 0.0


def _check_median(median: Median) -> None:
    assert median.count == len(median.ids) and median.no_data == (median.count == 0)
    assert median.value >= 0.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offices(), st.integers(0, 500 * 24))
def test_rates_stay_within_bounds_and_months_add_up(office: list[Story], hours: int) -> None:
    assessed = assess([s.facts() for s in office], RULES)
    as_of = START + timedelta(hours=hours)
    whole = kpi_report(assessed, YEAR, as_of)
    months = monthly(assessed, YEAR, as_of)
    for r in (whole, *months):
        for rate in (r.verified_on_time, r.followed_up_on_time, r.resolved_on_time, r.satisfaction):
            _check_rate(rate)
        _check_median(r.median_days_to_verification)
        _check_median(r.median_days_to_follow_up)
        assert r.completed.value <= len(office) and r.received.value == len(r.received.ids)
        assert set(r.received.ids).isdisjoint(r.excluded.ids)
    for name in ("verified_on_time", "followed_up_on_time", "resolved_on_time", "satisfaction"):
        total = getattr(whole, name)
        assert sum(getattr(m, name).denominator for m in months) == total.denominator
        assert tuple(i for m in months for i in getattr(m, name).met_ids) == total.met_ids
    for name in ("received", "completed", "reporter_responses", "excluded"):
        assert sum(getattr(m, name).value for m in months) == getattr(whole, name).value
    groups = breakdowns.by_unit(assessed, YEAR, as_of)
    assert sum(g.received.value for g in groups) == whole.received.value
    assert sum(g.overdue_now.value for g in groups) == whole.overdue_now.value


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offices(), st.data())
def test_refreshing_changed_complaints_equals_assessing_anew(office: list[Story], data: st.DataObject) -> None:
    """A view that keeps its assessment and refreshes what changed (Assessed.with_changes, the index moved in
    place) has exactly the index and the figures of assessing everything again."""
    base = assess([s.facts() for s in office], RULES)
    changed = [data.draw(stories(n)) for n in data.draw(st.sets(st.integers(0, 15), max_size=4))]
    removed = data.draw(st.sets(st.sampled_from([s.id for s in office]), max_size=2)) if office else set()
    current = {s.id: s for s in office if s.id not in removed} | {s.id: s for s in changed}
    refreshed = base.with_changes([s.facts() for s in changed], removed=removed)
    anew = assess([s.facts() for s in current.values()], RULES)
    assert refreshed.index.timelines() == anew.index.timelines()
    as_of = START + timedelta(days=400)
    assert kpi_report(refreshed, YEAR, as_of) == kpi_report(anew, YEAR, as_of)
