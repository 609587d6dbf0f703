"""Office time for demo timelines: moments in office hours, and step times before or after an SLA deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from app.domain import DeadlineKind
from app.rules.sla import SlaPolicy, WorkingCalendar, due_at
from app.timeutil import zone
from demo.rand import DemoRandom

# A step forgotten for weeks: rare in an office that works its inbox every day, but each one stays overdue for a
# long time, so it weighs on what is overdue today far more than its share of steps (see demo.timeline).
NEGLECT_P = 0.004
NEGLECT_DAYS = 12.0  # mean working days a forgotten step waits past its deadline
STEP_SKEW = 1.2  # a step on time: early days of its window somewhat more likely (1: any day alike)


class OfficeClock:
    """Times in one office's zone under the store's working calendar and SLA policy."""

    def __init__(self, rng: DemoRandom, *, tz: str, policy: SlaPolicy, calendar: WorkingCalendar,
                 now: datetime) -> None:
        self.rng, self.tz_name, self.tz = rng, tz, zone(tz)
        self.policy, self.calendar, self.now = policy, calendar, now

    def office_moment(self, day: date) -> datetime:
        """A moment in office hours (08:00–15:59 local) on ``day``, in UTC."""
        minutes = int(480 * self.rng.random() ** 1.3)
        local = datetime.combine(day, time(8, 0), tzinfo=self.tz) + timedelta(minutes=minutes)
        return local.astimezone(UTC)

    def local_day(self, at: datetime) -> date:
        return at.astimezone(self.tz).date()

    def _due(self, start: datetime, kind: DeadlineKind) -> datetime:
        return due_at(start, self.policy.step_period(kind), self.calendar, self.tz_name)

    def _within(self, start: datetime, due: datetime, skew: float = 1.6) -> datetime:
        """An office-hours moment after ``start`` and before ``due``, early days more likely."""
        d0, d1 = self.local_day(start), self.local_day(due)
        span = max(0, self.calendar.working_days_between(d0, d1))
        k = int((span + 1) * self.rng.random() ** skew)
        if k == 0 and not self.calendar.is_working_day(d0) and span:
            k = 1
        at = self.office_moment(d0 if k == 0 else self.calendar.add_working_days(d0, k))
        if at <= start:
            at = start + timedelta(minutes=self.rng.uniform(10, 180))
        if at > due:
            at = start + (due - start) * self.rng.uniform(0.2, 0.9)
        return at

    def _after(self, due: datetime, mean_days: float) -> datetime:
        """An office-hours moment on a working day after ``due`` (a late step)."""
        extra = 1 + int(self.rng.expovariate(1 / mean_days))
        return self.office_moment(self.calendar.add_working_days(self.local_day(due), extra))

    def _next_working_morning(self, due: datetime) -> datetime:
        """An office-hours moment on the first working day after ``due`` (what waited for the deadline)."""
        return self.office_moment(self.calendar.add_working_days(self.local_day(due), 1))

    def _timed(self, start: datetime, due: datetime, late_p: float, late_days: float = 1.5) -> datetime:
        if self.rng.chance(NEGLECT_P):
            return self._after(due, NEGLECT_DAYS)
        if self.rng.chance(late_p):
            return self._after(due, late_days)
        return self._within(start, due, STEP_SKEW)

    def _days_later(self, start: datetime, low: int, high: int) -> datetime:
        day = self.calendar.add_working_days(self.local_day(start), self.rng.between(low, high))
        return self.office_moment(day)
