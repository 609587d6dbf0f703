"""The quick ways to the figures (app.kpi.index): ids read from the timelines, groups remembered per key
(``Timeline.split``), pending deadlines found from the few not known yet, a unit's index cut from the office's, give
exactly what a plain pass over the assessed values gives, on any history the workflow allows (hypothesis); and what
they remember follows every change (``Assessed.with_changes``) as an index built anew would have it."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import DeadlineKind, EventKind
from app.kpi import breakdowns
from app.kpi.assess import Assessed, assess
from app.kpi.breakdowns import DISTRICT, VILLAGE, Group
from app.kpi.definitions import Count, Median, PeriodWindow, Rate, kpi_report, percent
from app.kpi.index import Index, Timeline
from app.kpi.period import ReportPeriod
from tests.app.test_kpi_properties import RULES, START, offices, stories
from tests.app.test_kpi_scenarios import Story

_TENTH = Decimal("0.1")
_KINDS = (DeadlineKind.VERIFICATION, DeadlineKind.FOLLOW_UP, DeadlineKind.RESOLUTION)


@st.composite
def periods(draw: st.DrawFn) -> ReportPeriod:
    first = date(2025, 11, 1) + timedelta(days=draw(st.integers(0, 460)))
    return ReportPeriod(first, first + timedelta(days=draw(st.integers(0, 400))))


def _as_of(hours: int) -> datetime:
    return START + timedelta(hours=hours)


# ---- the figures as a plain pass over the values (the definitions' rules, written the slow way) -----------------


def _ids(items: object) -> Count:
    found = tuple(a.facts.id for a in items)  # type: ignore[attr-defined]
    return Count(len(found), found)


def _rate(assessed: Assessed, kind: DeadlineKind, period: ReportPeriod, as_of: datetime) -> Rate:
    w = PeriodWindow(assessed, period, as_of)
    steps = assessed.index.steps(kind)
    settled = w.of(steps.settled)
    met = tuple(s.complaint_id for s in settled if s.met)
    missed = tuple(s.complaint_id for s in settled if not s.met)
    pending = tuple(s.complaint_id for known, s in steps.started.until(w.cutoff) if known >= w.cutoff)
    return Rate(len(met), len(settled), percent(len(met), len(settled)), not settled, met, missed, pending)


def _median(assessed: Assessed, kind: DeadlineKind, period: ReportPeriod, as_of: datetime) -> Median:
    done = PeriodWindow(assessed, period, as_of).of(assessed.index.steps(kind).done)
    if not done:
        return Median(0.0, 0, True, ())
    days = [s.working_days for s in done if s.working_days is not None]
    value = Decimal(str(statistics.median(days))).quantize(_TENTH, ROUND_HALF_UP)
    return Median(float(value), len(days), False, tuple(s.complaint_id for s in done))


def plain_figures(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> dict[str, object]:
    w = PeriodWindow(assessed, period, as_of)
    index = assessed.index
    completions = w.of(index.completions)
    responses = w.of(index.responses)
    met = tuple(a.facts.id for a, ok in responses if ok)
    missed = tuple(a.facts.id for a, ok in responses if not ok)
    return {
        "received": _ids(w.of(index.arrivals)), "excluded": _ids(w.of(index.excluded_arrivals)),
        "completed": _ids(completions),
        "auto_closed": _ids(a for a in completions if a.facts.completed_by == EventKind.AUTO_CLOSED),
        "verified_on_time": _rate(assessed, DeadlineKind.VERIFICATION, period, as_of),
        "followed_up_on_time": _rate(assessed, DeadlineKind.FOLLOW_UP, period, as_of),
        "resolved_on_time": _rate(assessed, DeadlineKind.RESOLUTION, period, as_of),
        "overdue_now": _ids(index.overdue(as_of)),
        "median_days_to_verification": _median(assessed, DeadlineKind.VERIFICATION, period, as_of),
        "median_days_to_follow_up": _median(assessed, DeadlineKind.FOLLOW_UP, period, as_of),
        "reporter_responses": _ids(a for a, _ in responses),
        "satisfaction": Rate(len(met), len(responses), percent(len(met), len(responses)), not responses, met,
                             missed),
    }


def plain_breakdown(assessed: Assessed, period: ReportPeriod, as_of: datetime, key: object) -> tuple[Group, ...]:
    w = PeriodWindow(assessed, period, as_of)
    rows: dict[str | None, tuple[list[str], list[str], list[str]]] = {}
    index = assessed.index
    for which, found in enumerate((w.of(index.arrivals), w.of(index.completions), index.overdue(as_of))):
        for a in found:
            rows.setdefault(key(a.facts), ([], [], []))[which].append(a.facts.id)  # type: ignore[operator]
    groups = [Group(k, Count(len(r), tuple(r)), Count(len(c), tuple(c)), Count(len(o), tuple(o)))
              for k, (r, c, o) in rows.items()]
    groups.sort(key=lambda g: (g.key is None, -g.received.value, -g.overdue_now.value, g.key or ""))
    return tuple(groups)


_KEYS = {"status": breakdowns.STATUS, "unit": breakdowns.UNIT, "channel": breakdowns.CHANNEL,
         "district": breakdowns.region(DISTRICT), "village": breakdowns.region(VILLAGE)}


def check_figures(assessed: Assessed, period: ReportPeriod, as_of: datetime) -> None:
    report = kpi_report(assessed, period, as_of)
    for name, expected in plain_figures(assessed, period, as_of).items():
        assert getattr(report, name) == expected, name
    for name, key in _KEYS.items():
        assert breakdowns.breakdown(assessed, period, as_of, key) == plain_breakdown(assessed, period, as_of, key)
        # Any other key (a new function each call) takes the plain way, with the same answer.
        assert breakdowns.breakdown(assessed, period, as_of, lambda f, k=key: k(f)) == plain_breakdown(
            assessed, period, as_of, key), name


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offices(), periods(), st.integers(0, 900 * 24))
def test_the_figures_equal_a_plain_pass_over_the_values(office: list[Story], period: ReportPeriod,
                                                          hours: int) -> None:
    assessed = assess([s.facts() for s in office], RULES)
    check_figures(assessed, period, _as_of(hours))
    for month in period.months()[:3]:  # the groups remembered from the first answer serve the next
        check_figures(assessed, month, _as_of(hours))


def _splits_as_anew(index: Index) -> None:
    """Every group an index's timelines remember is the group a split of that timeline anew gives."""
    remembered = 0
    for name, line in index.timelines().items():
        for key, parts in line._parts.items():
            assert parts == Timeline(line.times, line.ids, line.values).split(key), (name, key)
            remembered += 1
    assert remembered or not index.arrivals.times  # not vacuous: the figures asked for groups


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offices(), st.data())
def test_the_remembered_groups_follow_every_change(office: list[Story], data: st.DataObject) -> None:
    base = assess([s.facts() for s in office], RULES)
    period, as_of = data.draw(periods()), _as_of(data.draw(st.integers(0, 900 * 24)))
    check_figures(base, period, as_of)  # the groups are remembered now
    changed = [data.draw(stories(n)) for n in data.draw(st.sets(st.integers(0, 15), max_size=4))]
    removed = data.draw(st.sets(st.sampled_from([s.id for s in office]), max_size=2)) if office else set()
    current = {s.id: s for s in office if s.id not in removed} | {s.id: s for s in changed}
    refreshed = base.with_changes([s.facts() for s in changed], removed=removed)
    _splits_as_anew(refreshed.index)
    anew = assess([s.facts() for s in current.values()], RULES)
    assert refreshed.index.timelines() == anew.index.timelines()
    check_figures(refreshed, period, as_of)
    assert kpi_report(refreshed, period, as_of) == kpi_report(anew, period, as_of)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offices(), periods(), st.integers(0, 900 * 24), st.sampled_from(["u1", "u2"]))
def test_a_units_index_cut_from_the_offices_equals_one_built_of_it(office: list[Story], period: ReportPeriod,
                                                                    hours: int, unit: str) -> None:
    whole = assess([s.facts() for s in office], RULES)
    check_figures(whole, period, _as_of(hours))  # the office's groups remembered, to be cut too
    cut = breakdowns.only(whole, lambda f: f.unit_id == unit)
    built = Assessed(RULES, cut.items)  # its index built from its own items on first use
    assert "index" in cut.__dict__ and "index" not in built.__dict__
    assert cut.index.timelines() == built.index.timelines()
    _splits_as_anew(cut.index)
    assert kpi_report(cut, period, _as_of(hours)) == kpi_report(built, period, _as_of(hours))
    check_figures(cut, period, _as_of(hours))


def test_pending_deadlines_from_the_few_not_known_yet() -> None:
    """A cutoff late in the history takes the short way (the steps not known by then), an early one the scan of
    the steps begun before it: both give what the scan gives, in the order of the starts."""
    from tests.app.test_kpi_scenarios import MARCH

    steps = assess([s.facts() for s in MARCH], RULES).index.steps(DeadlineKind.RESOLUTION)
    assert steps.known is not None
    scans = 0
    for cutoff in sorted({*steps.started.times, *steps.known.times}):
        for at in (cutoff, cutoff + timedelta(microseconds=1)):
            scanned = [s for known, s in steps.started.until(at) if known >= at]
            assert steps.pending(at) == scanned
            scans += bool(scanned)
    assert scans  # some cutoffs have deadlines pending
