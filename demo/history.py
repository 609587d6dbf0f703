"""An office's past, whatever store it goes to: who received each complaint, through which channel and when
(:func:`plan`), and each complaint's reporter, words and timeline up to ``now`` (:class:`ComplaintMaker`).

The desktop seeder (demo.seed) and the demo national server (server.demo) add their own columns (tracking codes,
deadlines, versions) to what is made here. A few complaints per office are made to end in each status (goals),
recently enough and on time, so that every status is found on the start day, with its history.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.domain import Channel, Classification, Status
from demo.content import CLASSIFICATIONS, PPDB_MONTHS, SENSITIVE, compose, place_values, unit_for_categories
from demo.offices import DemoOffice
from demo.people import home_address, make_person
from demo.rand import DemoRandom, Weighted
from demo.staff import OfficeStaff
from demo.timeline import State, TimelineWriter

GROWTH = 1.6  # use of the complaint channels grows: the last month sees 1.6 times the first month's volume
CHANNELS = Weighted([(Channel.WALK_IN, 33), (Channel.LAPOR_ONLINE, 35), (Channel.PHONE, 10),
                     (Channel.SOCIAL_MEDIA, 9), (Channel.EMAIL, 7), (Channel.LETTER, 6)])
COUNTER_CHANNELS = frozenset({Channel.WALK_IN, Channel.PHONE, Channel.LETTER})
ASSISTANCE = ("Pengguna kursi roda", "Tunanetra, mohon dokumen dibacakan", "Lansia, perlu pendampingan",
              "Tunarungu, mohon komunikasi tertulis")
S = Status
# How long before ``now`` a complaint that must end in a status was received (hours): open ones recently enough
# that their step is not yet due (an unverified one within about a working day), closed ones any time in the
# last weeks.
GOAL_WINDOWS: dict[Status, tuple[float, float]] = {
    S.BELUM_TERVERIFIKASI: (1, 20), S.DIDISPOSISIKAN: (24, 96), S.DITINDAKLANJUTI: (48, 168),
    S.DITUNDA: (24, 120), S.BUKAN_WEWENANG: (72, 500), S.DIARSIPKAN: (72, 500), S.SELESAI: (120, 500),
}

# And a few that are overdue on the start day, as every office has some: one unverified for over a week, one a unit
# has not answered for two (their steps were taken on time up to where they wait).
LATE_GOALS: tuple[tuple[Status, tuple[float, float]], ...] = (
    (S.BELUM_TERVERIFIKASI, (170, 230)), (S.DIDISPOSISIKAN, (300, 400)))


@dataclass
class Planned:
    """One complaint to make: its office, channel and receipt; ``goal`` the status it must end in."""

    office: DemoOffice
    channel: Channel
    received_at: datetime
    seq: int = 0
    goal: Status | None = None


@dataclass
class Made:
    """One complaint's rows: reporter (None: nobody named), the complaint's columns common to both stores, and
    its timeline events; ``state`` holds its workflow columns as the walk left them."""

    reporter: dict[str, Any] | None
    complaint: dict[str, Any]
    events: list[dict[str, Any]]
    state: State


def plan(rng: DemoRandom, offices: list[DemoOffice], writers: dict[str, TimelineWriter], count: int,
         now: datetime, history: timedelta, goals_per_status: int = 1) -> list[Planned]:
    """Who receives each complaint, through which channel and when; sorted by receipt. Recent months have more
    complaints (see GROWTH); counter channels receive in office hours. ``goals_per_status`` complaints of the home
    office (else of the largest) are made to end in each status."""
    table = Weighted([(o, o.share) for o in offices])
    planned: list[Planned] = []
    for _ in range(count):
        office, channel = table.pick(rng), CHANNELS.pick(rng)
        received = now - history * (1 - _growing(rng.random()))
        if channel in COUNTER_CHANNELS:
            received = _in_office_hours(writers[office.id], received, now)
        planned.append(Planned(office, channel, received))
    if planned:
        home = next((o for o in offices if o.is_home), max(offices, key=lambda o: o.share))
        _add_goals(rng, planned, home, writers[home.id], now, goals_per_status)
    planned.sort(key=lambda p: p.received_at)
    return planned


def _in_office_hours(writer: TimelineWriter, received: datetime, now: datetime) -> datetime:
    day = writer.local_day(received)
    while not writer.calendar.is_working_day(day):
        day -= timedelta(days=1)
    at = writer.office_moment(day)
    return at if at <= now else received


def _add_goals(rng: DemoRandom, planned: list[Planned], home: DemoOffice, writer: TimelineWriter, now: datetime,
               per_status: int) -> None:
    """Turn some of the home office's complaints into ones that end in each status, received within the goal's
    window (complaints of the home office outside every window keep their walk)."""
    mine = [p for p in planned if p.office is home]
    rng.shuffle(mine)
    goals = [(status, GOAL_WINDOWS[status], per_status) for status in Status]
    goals += [(status, window, 1) for status, window in LATE_GOALS]
    for status, (low, high), n in goals:
        for planned_one in mine[:n]:
            planned_one.goal = status
            received = now - timedelta(hours=rng.uniform(low, high))
            if planned_one.channel in COUNTER_CHANNELS:
                at = _in_office_hours(writer, received, now)
                if now - at <= timedelta(hours=high):
                    received = at
                else:  # the counter was closed then (a weekend): it came in online
                    planned_one.channel = Channel.LAPOR_ONLINE
            planned_one.received_at = received
        mine = mine[n:]


def _growing(u: float) -> float:
    """Map a uniform ``u`` in [0, 1) to a position in the history whose density grows linearly, so that the
    newest month has GROWTH times more complaints than the oldest (inverse of the linear CDF)."""
    b = GROWTH - 1
    return (math.sqrt(1 + b * u * (2 + b)) - 1) / b


class ComplaintMaker:
    """Makes the rows of planned complaints: reporter, words, place and the timeline walked to ``now``."""

    def __init__(self, rng: DemoRandom, id_rng: DemoRandom, writers: dict[str, TimelineWriter],
                 staff: dict[str, OfficeStaff], categories: Weighted[str], season: Weighted[str],
                 has_category: Callable[[str], bool]) -> None:
        self.rng, self.id_rng, self.writers, self.staff = rng, id_rng, writers, staff
        self.categories, self.season, self.has_category = categories, season, has_category
        self.unit_maps: dict[str, dict[str, str]] = {}

    def make(self, p: Planned) -> Made:
        rng, office, writer = self.rng, p.office, self.writers[p.office.id]
        local_day = writer.local_day(p.received_at)
        category = (self.season if local_day.month in PPDB_MONTHS else self.categories).pick(rng)
        classification = CLASSIFICATIONS.pick(rng)
        place = rng.pick(office.places)
        values = place_values(rng, office, place, local_day.year)
        title, description = compose(rng, category, classification, values)
        anonymous = rng.chance(0.10)
        reporter = self._reporter(p, anonymous, place.village, place.district)
        units = self.unit_maps.get(office.id) or self.unit_maps.setdefault(office.id, unit_for_categories(office))
        complaint_id = self.id_rng.uuid7_at(p.received_at)
        state = State(complaint_id, p.received_at, classification,
                      classification != Classification.PERMINTAAN_INFORMASI
                      and rng.chance(0.25 if category == "pelayanan_publik.pungli" else 0.045),
                      category, units.get(category) or office.units[0].id, place.village, place.district)
        team = self.staff[office.id]
        counter_p = 0.85 if p.channel in COUNTER_CHANNELS else 0.3
        writer.write(state, team.loket if rng.chance(counter_p) else team.admin, p.channel.value, p.goal)
        has_coords = p.channel == Channel.LAPOR_ONLINE and rng.chance(0.3)
        complaint = {
            "id": complaint_id, "office_id": office.id, "national_tracking_id": None,
            "classification": classification.value, "category_id": category if self.has_category(category) else None,
            "title": title, "description": description,
            "incident_date": local_day - timedelta(days=rng.between(0, 30)) if rng.chance(0.6) else None,
            "region_code": place.code if rng.chance(0.85) else place.code.rsplit(".", 1)[0],
            "address": f"{values['jalan']}, {place.village}, Kecamatan {place.district}" if rng.chance(0.7) else None,
            "latitude": round(office.center[0] + rng.uniform(-0.08, 0.08), 6) if has_coords else None,
            "longitude": round(office.center[1] + rng.uniform(-0.08, 0.08), 6) if has_coords else None,
            "channel": p.channel.value, "is_anonymous": anonymous,
            "is_confidential": rng.chance(0.30 if category in SENSITIVE else 0.02),
            "is_supervisory": state.is_supervisory, "reporter_id": reporter["id"] if reporter else None,
            "unit_id": state.unit_id, "status": state.status.value, "archive_reason": state.archive_reason,
            "received_at": p.received_at, "disposed_at": state.disposed_at, "followed_up_at": state.followed_up_at,
            "postponed_at": state.postponed_at, "closed_at": state.closed_at, "updated_at": state.events[-1]["at"],
        }
        return Made(reporter, complaint, state.events, state)

    def _reporter(self, p: Planned, anonymous: bool, village: str, district: str) -> dict[str, Any] | None:
        """A reporter with the contact details the channel needs; most anonymous reports name nobody."""
        rng = self.rng
        if anonymous and rng.chance(0.6):
            return None
        person = make_person(rng, p.office.culture, p.office.district_codes)
        ch = p.channel
        phone = rng.chance({Channel.PHONE: 1.0, Channel.WALK_IN: 0.9, Channel.SOCIAL_MEDIA: 0.7,
                             Channel.LAPOR_ONLINE: 0.6, Channel.LETTER: 0.5}.get(ch, 0.4))
        email = ch == Channel.EMAIL or (ch in (Channel.LAPOR_ONLINE, Channel.SOCIAL_MEDIA) and not phone)
        email = email or rng.chance(0.7 if ch == Channel.LAPOR_ONLINE else 0.15)
        address = ch == Channel.LETTER or (ch == Channel.WALK_IN and not (phone or email)) or rng.chance(0.4)
        nik = rng.chance({Channel.WALK_IN: 0.7, Channel.LETTER: 0.5}.get(ch, 0.35))
        return {
            "id": self.id_rng.uuid7_at(p.received_at), "name": person.name, "nik": person.nik if nik else None,
            "phone": person.phone if phone else None, "email": person.email if email else None,
            "address": home_address(rng, village, district) if address else None,
            "assistance_needs": rng.pick(ASSISTANCE) if rng.chance(0.02) else None,
            "consent_at": p.received_at,
        }
