"""Deadlines: the working-day calendar, the policy as data, due times per status, zone and holiday."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.domain import Classification, DeadlineKind, DeadlineState, Status
from app.models import Base, Holiday, SlaPolicyRecord
from app.rules.sla import (
    HOLIDAY_CUTI_BERSAMA,
    HOLIDAY_NATIONAL,
    DeadlineFacts,
    Period,
    SlaPolicy,
    WorkingCalendar,
    compute_deadlines,
    deadline_state,
    default_holidays,
    due_soon_bound,
    holiday_horizon,
    horizon_warning,
    install_holidays,
    install_policy,
    load_calendar,
    load_policy,
)

WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")
POLICY = SlaPolicy.bundled()
WEEKENDS_ONLY = WorkingCalendar()
CAL_2026_27 = WorkingCalendar(d for d, _, _ in default_holidays([2026, 2027]))


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """23:59:59.999999 local on ``day``, as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=tz).astimezone(UTC)


def facts(
    received: datetime,
    status: Status = Status.BELUM_TERVERIFIKASI,
    classification: Classification = Classification.PENGADUAN,
    supervisory: bool = False,
    *,
    disposed_at: datetime | None = None,
    followed_up_at: datetime | None = None,
    postponed_at: datetime | None = None,
) -> DeadlineFacts:
    return DeadlineFacts(
        status.value, classification.value, supervisory, received, disposed_at, followed_up_at, postponed_at
    )


def verification_due(
    received: datetime, tz: str, calendar: WorkingCalendar = WEEKENDS_ONLY
) -> datetime | None:
    return compute_deadlines(facts(received), POLICY, calendar, tz).step_due_at


# --- the calendar ---------------------------------------------------------------------------------


def test_weekends_are_never_working_days() -> None:
    assert WEEKENDS_ONLY.is_working_day(date(2026, 1, 9))  # Friday
    assert not WEEKENDS_ONLY.is_working_day(date(2026, 1, 10))  # Saturday
    assert not WEEKENDS_ONLY.is_working_day(date(2026, 1, 11))  # Sunday
    assert not CAL_2026_27.is_working_day(date(2026, 3, 20))  # cuti bersama Idul Fitri


def test_add_working_days_skips_the_weekend() -> None:
    # Friday + 1 is Monday; Saturday + 1 is Monday too; n = 0 is the start itself.
    assert WEEKENDS_ONLY.add_working_days(date(2026, 1, 9), 1) == date(2026, 1, 12)
    assert WEEKENDS_ONLY.add_working_days(date(2026, 1, 10), 1) == date(2026, 1, 12)
    assert WEEKENDS_ONLY.add_working_days(date(2026, 1, 9), 3) == date(2026, 1, 14)
    assert WEEKENDS_ONLY.add_working_days(date(2026, 1, 10), 0) == date(2026, 1, 10)
    with pytest.raises(ValueError):
        WEEKENDS_ONLY.add_working_days(date(2026, 1, 9), -1)


def test_working_days_between_counts_the_half_open_interval() -> None:
    assert WEEKENDS_ONLY.working_days_between(date(2026, 1, 9), date(2026, 1, 14)) == 3  # Mon, Tue, Wed
    assert WEEKENDS_ONLY.working_days_between(date(2026, 1, 14), date(2026, 1, 9)) == -3
    assert WEEKENDS_ONLY.working_days_between(date(2026, 1, 10), date(2026, 1, 11)) == 0
    # 19 March (Nyepi) to 31 March 2026: 20, 23, 24 cuti bersama, 21-22 Idul Fitri; 25-27, 30-31 work.
    assert CAL_2026_27.working_days_between(date(2026, 3, 19), date(2026, 3, 31)) == 5


def test_calendar_grows_beyond_its_first_window() -> None:
    calendar = WorkingCalendar([date(2026, 3, 20)])
    # 1 Jan 1990 was a Monday; 4 Jan 2100 is a Monday.
    assert calendar.add_working_days(date(1989, 12, 29), 1) == date(1990, 1, 1)
    assert calendar.add_working_days(date(2100, 1, 1), 1) == date(2100, 1, 4)
    # 2600 working days = 520 weeks after a Thursday; the one holiday pushes it to the Friday.
    assert calendar.add_working_days(date(2026, 1, 1), 2600) == date(2035, 12, 21)
    assert calendar.working_days_between(date(1990, 1, 5), date(1990, 1, 12)) == 5


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    days = draw(st.sets(st.dates(date(2025, 1, 1), date(2027, 12, 31)), max_size=60))
    return WorkingCalendar(days)


@given(calendars(), st.dates(date(2024, 6, 1), date(2028, 6, 30)), st.integers(1, 80))
def test_add_working_days_lands_on_the_nth_working_day(
    calendar: WorkingCalendar, start: date, n: int
) -> None:
    result = calendar.add_working_days(start, n)
    assert result > start
    assert calendar.is_working_day(result)
    span = (result - start).days
    # Counted one day at a time, independently of the calendar's precomputed list.
    assert sum(calendar.is_working_day(start + timedelta(days=k)) for k in range(1, span + 1)) == n
    assert calendar.working_days_between(start, result) == n


# --- the holiday list ------------------------------------------------------------------------------


def test_default_holidays_2026_has_national_days_and_cuti_bersama_in_indonesian() -> None:
    rows = {day: (name, kind) for day, name, kind in default_holidays([2026])}
    joint = sorted(day for day, (_, kind) in rows.items() if kind == HOLIDAY_CUTI_BERSAMA)
    assert joint == [
        date(2026, 2, 16),
        date(2026, 3, 18),
        date(2026, 3, 20),
        date(2026, 3, 23),
        date(2026, 3, 24),
        date(2026, 5, 15),
        date(2026, 5, 28),
        date(2026, 12, 24),
    ]
    assert rows[date(2026, 3, 21)] == ("Hari Raya Idul Fitri", HOLIDAY_NATIONAL)
    assert rows[date(2026, 8, 17)] == ("Hari Kemerdekaan Republik Indonesia", HOLIDAY_NATIONAL)
    assert rows[date(2026, 3, 20)][0].startswith("Cuti Bersama")


# --- deadlines ------------------------------------------------------------------------------------


def test_received_friday_morning_is_due_wednesday_end_of_day() -> None:
    received = datetime(2026, 1, 9, 10, 0, tzinfo=WIB)
    assert verification_due(received, "WIB") == end_of_day(date(2026, 1, 14), WIB)


def test_received_on_nyepi_before_idul_fitri_2026() -> None:
    # Thu 19 Mar is Nyepi; 20 cuti, 21-22 Idul Fitri (weekend), 23-24 cuti: work resumes Wed 25.
    received = datetime(2026, 3, 19, 10, 0, tzinfo=WIB)
    deadlines = compute_deadlines(facts(received), POLICY, CAL_2026_27, "WIB")
    assert deadlines.step_due_at == end_of_day(date(2026, 3, 27), WIB)  # 25, 26, 27
    # 14 working days: 25-27 (3), 30 Mar-2 Apr (7), 3 Apr Good Friday off, 6-10 (12), 13-14 (14).
    assert deadlines.resolution_due_at == end_of_day(date(2026, 4, 14), WIB)
    assert deadlines.next_due_kind == DeadlineKind.VERIFICATION


def test_year_boundary_with_new_year_and_weekend() -> None:
    received = datetime(2026, 12, 30, 10, 0, tzinfo=WIB)  # Wednesday
    calendar = WorkingCalendar([date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)])
    # 31 Dec (1); 1 Jan holiday; 2-3 Jan weekend; 4 Jan (2); 5 Jan (3).
    assert verification_due(received, "WIB", calendar) == end_of_day(date(2027, 1, 5), WIB)
    # The package also lists Isra Mikraj on Tue 5 Jan 2027, which pushes it to Wednesday.
    assert not CAL_2026_27.is_working_day(date(2027, 1, 5))
    assert verification_due(received, "WIB", CAL_2026_27) == end_of_day(date(2027, 1, 6), WIB)


@pytest.mark.parametrize(
    ("tz", "info", "expected_utc"),
    [
        ("WIB", WIB, datetime(2026, 1, 14, 16, 59, 59, 999999, tzinfo=UTC)),
        ("WITA", WITA, datetime(2026, 1, 14, 15, 59, 59, 999999, tzinfo=UTC)),
        ("WIT", WIT, datetime(2026, 1, 14, 14, 59, 59, 999999, tzinfo=UTC)),
        ("Asia/Makassar", WITA, datetime(2026, 1, 14, 15, 59, 59, 999999, tzinfo=UTC)),
    ],
)
def test_same_local_deadline_is_a_different_instant_per_zone(
    tz: str, info: ZoneInfo, expected_utc: datetime
) -> None:
    received = datetime(2026, 1, 9, 10, 0, tzinfo=info)  # Friday, local
    due = verification_due(received, tz)
    assert due == expected_utc
    assert due is not None and due.tzinfo == UTC


def test_late_evening_wib_counts_from_the_local_date() -> None:
    # Thu 23:30 WIB (16:30 UTC Thu) counts from Thursday; Fri 00:30 WIB (17:30 UTC Thu) from Friday.
    assert verification_due(datetime(2026, 1, 8, 23, 30, tzinfo=WIB), "WIB") == end_of_day(
        date(2026, 1, 13), WIB
    )
    assert verification_due(datetime(2026, 1, 9, 0, 30, tzinfo=WIB), "WIB") == end_of_day(
        date(2026, 1, 14), WIB
    )
    # Friday 23:30 WIB counts from Friday: Mon, Tue, Wed.
    assert verification_due(datetime(2026, 1, 9, 23, 30, tzinfo=WIB), "WIB") == end_of_day(
        date(2026, 1, 14), WIB
    )
    # Calendar days too: Sat 00:30 WIB is still Friday in UTC, but the 10 days run from Saturday.
    followed_up = datetime(2026, 1, 10, 0, 30, tzinfo=WIB)
    got = compute_deadlines(
        facts(followed_up, Status.DITINDAKLANJUTI, followed_up_at=followed_up), POLICY, WEEKENDS_ONLY, "WIB"
    )
    assert got.step_due_at == end_of_day(date(2026, 1, 20), WIB)


def test_early_morning_wit_counts_from_the_local_date_not_the_utc_date() -> None:
    received = datetime(2026, 1, 12, 6, 0, tzinfo=WIT)  # Monday local, Sunday 21:00 UTC
    assert received.astimezone(UTC).date() == date(2026, 1, 11)
    assert verification_due(received, "WIT") == end_of_day(date(2026, 1, 15), WIT)  # Tue, Wed, Thu


def test_one_instant_falls_on_different_local_days_per_zone() -> None:
    instant = datetime(2026, 1, 8, 16, 30, tzinfo=UTC)  # Thu 23:30 WIB, Fri 00:30 WITA, Fri 01:30 WIT
    assert verification_due(instant, "WIB") == end_of_day(date(2026, 1, 13), WIB)
    assert verification_due(instant, "WITA") == end_of_day(date(2026, 1, 14), WITA)
    assert verification_due(instant, "WIT") == end_of_day(date(2026, 1, 14), WIT)


RECEIVED = datetime(2026, 1, 5, 9, 0, tzinfo=WIB)  # Monday
EVENTS: dict[str, Any] = {
    "disposed_at": datetime(2026, 1, 7, 9, 0, tzinfo=WIB),  # Wednesday
    "followed_up_at": datetime(2026, 1, 12, 9, 0, tzinfo=WIB),  # Monday
    "postponed_at": datetime(2026, 1, 6, 9, 0, tzinfo=WIB),  # Tuesday
}
RESOLUTION_14 = end_of_day(date(2026, 1, 23), WIB)  # 14 working days after Mon 5 Jan


@pytest.mark.parametrize(
    ("status", "kind", "step_day"),
    [
        (Status.BELUM_TERVERIFIKASI, DeadlineKind.VERIFICATION, date(2026, 1, 8)),  # Tue, Wed, Thu
        (Status.DIDISPOSISIKAN, DeadlineKind.FOLLOW_UP, date(2026, 1, 14)),  # Thu, Fri, Mon, Tue, Wed
        (Status.DITINDAKLANJUTI, DeadlineKind.RESPONSE_WINDOW, date(2026, 1, 22)),  # 12 Jan + 10
        (Status.DITUNDA, DeadlineKind.CLARIFICATION, date(2026, 1, 16)),  # 6 Jan + 10
    ],
)
def test_open_status_runs_its_step_and_the_resolution(
    status: Status, kind: DeadlineKind, step_day: date
) -> None:
    got = compute_deadlines(facts(RECEIVED, status, **EVENTS), POLICY, WEEKENDS_ONLY, "WIB")
    assert (got.step_due_kind, got.step_due_at) == (kind, end_of_day(step_day, WIB))
    assert got.resolution_due_at == RESOLUTION_14
    assert (got.next_due_kind, got.next_due_at) == (kind, end_of_day(step_day, WIB))


@pytest.mark.parametrize("status", [Status.SELESAI, Status.DIARSIPKAN, Status.BUKAN_WEWENANG])
def test_closed_archived_and_redirected_have_no_deadlines(status: Status) -> None:
    got = compute_deadlines(facts(RECEIVED, status, **EVENTS), POLICY, WEEKENDS_ONLY, "WIB")
    assert got == type(got)(None, None, None, None, None)


def test_every_status_is_covered() -> None:
    for status in Status:
        compute_deadlines(facts(RECEIVED, status, **EVENTS), POLICY, WEEKENDS_ONLY, "WIB")
    with pytest.raises(ValueError):
        compute_deadlines(
            DeadlineFacts("NOT_A_STATUS", "PENGADUAN", False, RECEIVED),
            POLICY,
            WEEKENDS_ONLY,
            "WIB",
        )


def test_next_due_is_the_resolution_when_it_comes_first() -> None:
    # An information request resolves in 5 working days (Mon 12 Jan), before the response window (22 Jan).
    got = compute_deadlines(
        facts(RECEIVED, Status.DITINDAKLANJUTI, Classification.PERMINTAAN_INFORMASI, **EVENTS),
        POLICY,
        WEEKENDS_ONLY,
        "WIB",
    )
    assert got.step_due_kind == DeadlineKind.RESPONSE_WINDOW
    assert (got.next_due_kind, got.next_due_at) == (
        DeadlineKind.RESOLUTION,
        end_of_day(date(2026, 1, 12), WIB),
    )


def test_missing_start_event_leaves_only_the_resolution() -> None:
    got = compute_deadlines(facts(RECEIVED, Status.DIDISPOSISIKAN), POLICY, WEEKENDS_ONLY, "WIB")
    assert (got.step_due_at, got.step_due_kind) == (None, None)
    assert (got.next_due_kind, got.next_due_at) == (DeadlineKind.RESOLUTION, RESOLUTION_14)


@pytest.mark.parametrize(
    ("classification", "supervisory", "due_day"),
    [
        (Classification.PERMINTAAN_INFORMASI, False, date(2026, 1, 12)),  # 5
        (Classification.PERMINTAAN_INFORMASI, True, date(2026, 1, 12)),  # no supervisory rule: still 5
        (Classification.PENGADUAN, False, date(2026, 1, 23)),  # 14
        (Classification.ASPIRASI, False, date(2026, 1, 23)),  # 14
        (Classification.PENGADUAN, True, date(2026, 3, 30)),  # 60 = 12 full weeks after a Monday
        (Classification.ASPIRASI, True, date(2026, 3, 30)),  # 60
    ],
)
def test_resolution_by_type(classification: Classification, supervisory: bool, due_day: date) -> None:
    got = compute_deadlines(
        facts(RECEIVED, Status.DIDISPOSISIKAN, classification, supervisory, **EVENTS),
        POLICY,
        WEEKENDS_ONLY,
        "WIB",
    )
    assert got.resolution_due_at == end_of_day(due_day, WIB)


# --- the policy -----------------------------------------------------------------------------------


def test_bundled_policy_matches_the_regulation() -> None:
    assert POLICY.step_period(DeadlineKind.VERIFICATION) == Period(3, "working")
    assert POLICY.step_period(DeadlineKind.FOLLOW_UP) == Period(5, "working")
    assert POLICY.step_period(DeadlineKind.RESPONSE_WINDOW) == Period(10, "calendar")
    assert POLICY.step_period(DeadlineKind.CLARIFICATION) == Period(10, "calendar")
    assert POLICY.due_soon_hours == 48
    assert "76 Tahun 2013" in POLICY.legal_basis and POLICY.name and POLICY.version >= 1


def test_policy_json_round_trip() -> None:
    assert SlaPolicy.from_json(POLICY.to_json()) == POLICY
    bundled = json.loads(SlaPolicy.bundled().to_json())
    assert SlaPolicy.from_json(json.dumps(bundled)) == POLICY


def test_a_changed_policy_changes_the_deadlines() -> None:
    doc = json.loads(POLICY.to_json())
    doc["steps"]["VERIFICATION"] = {"days": 3, "unit": "calendar"}
    policy = SlaPolicy.from_json(json.dumps(doc))
    received = datetime(2026, 1, 9, 10, 0, tzinfo=WIB)  # Friday + 3 calendar days = Monday
    got = compute_deadlines(facts(received), policy, WEEKENDS_ONLY, "WIB")
    assert got.step_due_at == end_of_day(date(2026, 1, 12), WIB)


def _mutated(change: Callable[[dict[str, Any]], object]) -> str:
    doc = json.loads(POLICY.to_json())
    change(doc)
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "policy must be an object"),
        (_mutated(lambda d: d["steps"].pop("VERIFICATION")), "steps is missing VERIFICATION"),
        (_mutated(lambda d: d["steps"]["VERIFICATION"].update(unit="weeks")), "steps.VERIFICATION.unit"),
        (_mutated(lambda d: d["steps"]["FOLLOW_UP"].update(days=-1)), "steps.FOLLOW_UP.days"),
        (_mutated(lambda d: d["steps"]["FOLLOW_UP"].update(days="5")), "steps.FOLLOW_UP.days"),
        (_mutated(lambda d: d["steps"]["FOLLOW_UP"].update(days=True)), "steps.FOLLOW_UP.days"),
        (_mutated(lambda d: d["steps"].update(ESCALATION=d["steps"]["FOLLOW_UP"])), "unknown keys ESCAL"),
        (_mutated(lambda d: d["resolution"].pop("ASPIRASI")), "resolution is missing ASPIRASI"),
        (
            _mutated(lambda d: d["resolution"]["PENGADUAN"].update(supervisory=60)),
            "resolution.PENGADUAN.supervisory",
        ),
        (_mutated(lambda d: d.update(effective_from="01/01/2025")), "effective_from"),
        (_mutated(lambda d: d.update(due_soon_hours=4.5)), "due_soon_hours"),
        (_mutated(lambda d: d.pop("legal_basis")), "missing legal_basis"),
    ],
)
def test_malformed_policy_is_rejected_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SlaPolicy.from_json(text)


# --- deadline state -------------------------------------------------------------------------------

DUE = end_of_day(date(2026, 1, 14), WIB)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (DUE - timedelta(hours=48, microseconds=1), DeadlineState.ON_TIME),
        (DUE - timedelta(hours=48), DeadlineState.DUE_SOON),
        (DUE, DeadlineState.DUE_SOON),
        (DUE + timedelta(microseconds=1), DeadlineState.OVERDUE),
    ],
)
def test_deadline_state_at_the_boundaries(now: datetime, state: DeadlineState) -> None:
    assert deadline_state(DUE, now, POLICY) == state
    # The SQL form: overdue is due < now; due soon is now <= due <= bound.
    sql_state = (
        DeadlineState.OVERDUE
        if now > DUE
        else DeadlineState.DUE_SOON
        if due_soon_bound(now, POLICY) >= DUE
        else DeadlineState.ON_TIME
    )
    assert sql_state == state


def test_no_deadline_has_no_state() -> None:
    assert deadline_state(None, DUE, POLICY) == DeadlineState.NONE


# --- the database ---------------------------------------------------------------------------------


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s


def test_install_and_load_holidays(session: Session) -> None:
    # A row the server already distributed is kept as it is.
    session.add(Holiday(day=date(2026, 1, 1), name="Tahun Baru (server)", kind=HOLIDAY_NATIONAL))
    added = install_holidays(session, [2026])
    assert added == len(default_holidays([2026])) - 1 == 24
    assert install_holidays(session, [2026]) == 0
    assert session.get(Holiday, date(2026, 1, 1)).name == "Tahun Baru (server)"  # type: ignore[union-attr]
    assert session.get(Holiday, date(2026, 3, 23)).kind == HOLIDAY_CUTI_BERSAMA  # type: ignore[union-attr]
    calendar = load_calendar(session)
    assert not calendar.is_working_day(date(2026, 3, 20))
    assert calendar.is_working_day(date(2026, 3, 25))
    assert calendar.add_working_days(date(2026, 3, 19), 3) == date(2026, 3, 27)


def test_install_and_load_policy(session: Session) -> None:
    assert load_policy(session) == POLICY  # nothing stored: the bundled default
    assert install_policy(session) is True
    assert install_policy(session) is False
    assert session.scalars(select(SlaPolicyRecord)).one().source == "bundled"
    assert load_policy(session) == POLICY

    doc = json.loads(POLICY.to_json())
    doc.update(version=2, effective_from="2030-01-01", due_soon_hours=24)
    session.add(
        SlaPolicyRecord(effective_from=date(2030, 1, 1), policy_json=json.dumps(doc), source="server")
    )
    session.flush()
    assert load_policy(session, today=date(2029, 12, 31)) == POLICY
    assert load_policy(session, today=date(2030, 1, 1)).due_soon_hours == 24


# --- the holiday horizon ------------------------------------------------------------------------------------


def test_the_horizon_is_the_last_year_with_both_national_holidays_and_cuti_bersama(session: Session) -> None:
    assert holiday_horizon(session) is None and load_calendar(session).horizon is None
    session.add_all([Holiday(day=date(2027, 12, 25), name="Natal", kind=HOLIDAY_NATIONAL),
                     Holiday(day=date(2028, 1, 1), name="Tahun Baru", kind=HOLIDAY_NATIONAL),
                     Holiday(day=date(2027, 12, 24), name="Cuti bersama Natal", kind=HOLIDAY_CUTI_BERSAMA)])
    session.flush()
    # 2028's national holidays are computed ahead; its cuti bersama are not decreed yet
    assert holiday_horizon(session) == date(2027, 12, 31) == load_calendar(session).horizon


@pytest.mark.parametrize(("today", "warned", "says"), [
    (date(2027, 10, 1), False, ""),
    (date(2027, 10, 2), True, "(in 90 days)"),
    (date(2027, 12, 31), True, "(in 0 days)"),
    (date(2028, 1, 1), True, "ended on 2027-12-31"),
])
def test_horizon_warning_from_ninety_days_before(today: date, warned: bool, says: str) -> None:
    warning = horizon_warning(date(2027, 12, 31), today)
    assert (warning is not None) is warned
    if warning is not None:
        assert says in warning.en and "estimates" in warning.en
        assert "31-12-2027" in warning.id and "perkiraan" in warning.id
    assert horizon_warning(None, today) is None


def test_deadlines_counted_past_the_horizon_are_estimates() -> None:
    holidays_ = [d for d, _, _ in default_holidays([2026, 2027])]
    limited = WorkingCalendar(holidays_, horizon=date(2027, 12, 31))
    received = datetime(2027, 12, 20, 2, tzinfo=UTC)  # Monday: verification due in 2027, resolution in 2028
    d = compute_deadlines(facts(received), POLICY, limited, "Asia/Jakarta")
    assert d.step_due_at is not None and d.step_due_at < datetime(2027, 12, 31, tzinfo=UTC)
    assert d.resolution_due_at is not None and d.resolution_due_at.year == 2028
    assert (d.step_estimated, d.resolution_estimated, d.next_estimated) == (False, True, False)

    disposed = compute_deadlines(facts(received, Status.DIDISPOSISIKAN, disposed_at=received + timedelta(days=9)),
                                 POLICY, limited, "Asia/Jakarta")
    assert disposed.step_estimated and disposed.next_estimated  # follow-up due in January 2028
    # calendar days do not depend on holidays: the reporter's response window is never an estimate
    waiting = compute_deadlines(facts(received, Status.DITINDAKLANJUTI, followed_up_at=received + timedelta(days=9)),
                                POLICY, limited, "Asia/Jakarta")
    assert waiting.step_due_kind == DeadlineKind.RESPONSE_WINDOW and not waiting.step_estimated

    unlimited = compute_deadlines(facts(received), POLICY, WorkingCalendar(holidays_), "Asia/Jakarta")
    assert not (unlimited.step_estimated or unlimited.resolution_estimated)  # no horizon known: nothing to flag
