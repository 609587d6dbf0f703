"""Full-text search and the list/detail read side: prefixes, diacritics, tracking codes, follow-up text,
reporter names as the privacy rules allow, office scoping, hostile input; filters, sorts and deadline states."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app import services
from app.domain import ArchiveReason, Channel, Classification, DeadlineState, Role, Status
from app.errors import NotFound, OutOfScope
from app.inputs import IntakeInput, ReporterInput
from app.models import Complaint
from app.read import detail as read_detail
from app.read import queries
from app.read.search import search_ids
from app.rules import sla
from app.rules.privacy import can_see_anonymous
from app.rules.scope import Scope
from app.store.db import open_store
from tests.helpers.world import FakeClock, World, build_world

# These tests read the query layer for the whole office on purpose (a bare office id; app.rules.scope).
pytestmark = pytest.mark.filterwarnings("ignore::app.rules.scope.UnscopedRead")

ADMIN, LIAISON, COUNTER, LEAD, IT = (
    Role.ADMIN_INSTANSI, Role.PENGHUBUNG, Role.PETUGAS_LOKET, Role.PIMPINAN, Role.IT_ADMIN,
)
STAFF = (ADMIN, LIAISON, COUNTER, LEAD)
DESCRIPTION = "Laporan warga tentang pelayanan publik yang perlu segera ditangani oleh instansi terkait."
CONTACT = {
    Channel.WALK_IN: {"phone": "081234567890"},
    Channel.PHONE: {"phone": "081234567890"},
    Channel.LETTER: {"address": "Jl. Contoh Raya No. 1, Sleman"},
    Channel.EMAIL: {"email": "pelapor.uji@contoh.id"},
    Channel.LAPOR_ONLINE: {"email": "pelapor.uji@contoh.id"},
    Channel.SOCIAL_MEDIA: {"phone": "081234567890"},
    Channel.SMS: {"phone": "081234567890"},
}


def file_complaint(world: World, title: str, *, channel: Channel = Channel.WALK_IN, name: str = "Rina Uji Coba",
                   anonymous: bool = False, category: str | None = None, by: str | None = None,
                   classification: Classification = Classification.PENGADUAN,
                   description: str = DESCRIPTION) -> str:
    reporter = ReporterInput(name=name, consent_given=True, **CONTACT[channel])
    inp = IntakeInput(classification=classification, channel=channel, title=title, description=description,
                      category_id=category, is_anonymous=anonymous, reporter=reporter)
    return services.intake(world.ctx, by or world.users[COUNTER], inp).complaint_id


@dataclass
class Data:
    world: World
    ids: dict[str, str] = field(default_factory=dict)

    def code(self, key: str) -> str:
        with self.world.store.read() as s:
            c = s.get(Complaint, self.ids[key])
            assert c is not None
            return c.tracking_code

    def rows(self) -> list[dict[str, Any]]:
        """Our office's complaints as plain dicts, for computing expectations in Python."""
        with self.world.store.read() as s:
            found = s.execute(select(Complaint).where(Complaint.office_id == self.world.office_id)).scalars()
            return [{col.key: getattr(c, col.key) for col in Complaint.__table__.columns} for c in found]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Iterator[Data]:
    """One office with complaints of every channel, several statuses, categories and units, read-only."""
    folder = tmp_path_factory.mktemp("search")
    shutil.copyfile(template_db, folder / "lapor-desk.sqlite3")
    store = open_store(folder / "lapor-desk.sqlite3", backup_dir=folder / "backups")
    clock = FakeClock()
    world = build_world(store, clock, blob_dir=folder / "attachments")
    u, ctx, pu, health = world.users, world.ctx, world.units["Dinas Pekerjaan Umum"], world.units["Dinas Kesehatan"]
    d = Data(world)
    d.ids["road"] = file_complaint(world, "Jalan berlubang di depan pasar", category="infrastruktur.jalan")
    services.dispose(ctx, u[ADMIN], d.ids["road"], unit_id=pu)
    clock.advance(days=1)
    d.ids["cafe"] = file_complaint(world, "Pelayanan kafé desa sangat lambat", channel=Channel.PHONE,
                                   name="Joko Contoh", category="kesehatan.puskesmas_rs")
    services.dispose(ctx, u[ADMIN], d.ids["cafe"], unit_id=health)
    services.follow_up(ctx, u[ADMIN], d.ids["cafe"], text="Pelayanan sudah diperbaiki dengan petugas tambahan.")
    clock.advance(days=1)
    d.ids["anon"] = file_complaint(world, "Pungutan liar di kantor kelurahan", channel=Channel.EMAIL,
                                   name="Sulastri Samaran", anonymous=True)
    clock.advance(days=1)
    d.ids["archived"] = file_complaint(world, "Surat tanpa isi yang jelas sama sekali", channel=Channel.LETTER,
                                       category="infrastruktur")
    services.archive(ctx, u[ADMIN], d.ids["archived"], reason_code=ArchiveReason.TIDAK_LENGKAP)
    clock.advance(days=1)
    d.ids["info"] = file_complaint(world, "Jadwal pengerukan saluran drainase", channel=Channel.SOCIAL_MEDIA,
                                   category="infrastruktur.drainase",
                                   classification=Classification.PERMINTAAN_INFORMASI)
    clock.advance(days=1)
    d.ids["postponed"] = file_complaint(world, "Antrean layanan KTP elektronik terlalu panjang",
                                        channel=Channel.LAPOR_ONLINE, by=u[ADMIN])
    services.postpone(ctx, u[ADMIN], d.ids["postponed"], reason="Menunggu nomor antrean dari pelapor")
    d.ids["other"] = file_complaint(world, "Jalan berlubang di Kuta", name="Rina Uji Coba", by=world.other_admin)
    yield d
    store.close()


def _search(d: Data, typed: str, role: Role = ADMIN, office: str | None = None) -> list[str]:
    with d.world.store.read() as s:
        return search_ids(s, typed, office_id=office or d.world.office_id, can_see_anonymous=can_see_anonymous(role))


# ---- search ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["berlub", "Berlubang", "BERLUB", "jalan berlub", "berlub pasar", "  berlub  "])
def test_title_words_match_as_prefixes(data: Data, typed: str) -> None:
    assert _search(data, typed) == [data.ids["road"]]


def test_every_word_is_required(data: Data) -> None:
    assert _search(data, "berlubang kelurahan") == []
    assert _search(data, "pungutan kelurahan") == [data.ids["anon"]]


@pytest.mark.parametrize("typed", ["kafe", "kafé", "KAFÉ", "Kafe desa"])
def test_diacritics_are_folded(data: Data, typed: str) -> None:
    assert _search(data, typed) == [data.ids["cafe"]]


def test_diacritics_in_the_query_are_folded_too(data: Data) -> None:
    assert _search(data, "jálan berlúbang") == [data.ids["road"]]


def test_by_tracking_code_with_and_without_dashes(data: Data) -> None:
    code = data.code("anon")
    for typed in (code, code.replace("-", ""), code.replace("-", " "), f" {code} "):
        for role in STAFF:
            assert _search(data, typed, role) == [data.ids["anon"]], (typed, role)


@pytest.mark.parametrize("role", STAFF)
def test_named_reporter_found_by_any_staff_role(data: Data, role: Role) -> None:
    assert _search(data, "Joko", role) == [data.ids["cafe"]]
    assert _search(data, "joko contoh", role) == [data.ids["cafe"]]


@pytest.mark.parametrize("role", STAFF)
def test_anonymous_reporter_found_only_by_the_admin(data: Data, role: Role) -> None:
    expected = [data.ids["anon"]] if role == ADMIN else []
    assert _search(data, "Sulastri", role) == expected
    assert _search(data, "sulastri samaran", role) == expected
    assert _search(data, "pungutan", role) == [data.ids["anon"]]  # the complaint itself is not hidden


def test_counter_staff_never_finds_an_anonymous_reporter(data: Data) -> None:
    assert not can_see_anonymous(COUNTER)
    for typed in ("Sulastri", "sulas", "Samaran", "Sulastri pungutan"):
        assert _search(data, typed, COUNTER) == []


def test_other_offices_complaints_are_never_returned(data: Data) -> None:
    other = data.ids["other"]
    assert _search(data, "berlubang", office=data.world.other_office_id) == [other]
    for typed in ("berlubang", "jalan", "Kuta", "Rina", data.code("other")):
        for role in STAFF:
            assert other not in _search(data, typed, role), typed
    assert _search(data, "Kuta") == []


@pytest.mark.parametrize(
    ("typed", "finds_road"),
    [
        ('"berlubang', True),
        ('berlubang"', True),
        ("berlubang*", True),
        ("*", False),
        ("-berlubang", True),
        ("(berlubang)", True),
        ("berlubang)", True),
        ("NEAR(berlubang pasar)", False),
        ("berlubang AND", False),
        ("berlubang AND pasar", False),
        ("NOT", False),
        ("title:berlubang", False),
        ("{title}: berlubang", False),
        ("berlubang ^pasar", True),
        ("berlubang + pasar", True),
        ("'; DROP TABLE complaints; --", False),
        ("", False),
        ("   ", False),
        ("_", False),
        ("\u0301", False),
        ("12345678901234", False),
    ],
)
def test_fts_special_characters_do_not_raise(data: Data, typed: str, finds_road: bool) -> None:
    for role in (ADMIN, COUNTER):
        found = _search(data, typed, role)
        assert (data.ids["road"] in found) is finds_road
        assert data.ids["other"] not in found


def test_follow_up_text_is_searchable_after_follow_up(world: World) -> None:
    cid = world.new_complaint()
    services.dispose(world.ctx, world.users[ADMIN], cid, unit_id=world.units["Dinas Pekerjaan Umum"])
    with world.store.read() as s:
        assert search_ids(s, "diaspal", office_id=world.office_id, can_see_anonymous=False) == []
    services.follow_up(world.ctx, world.users[LIAISON], cid, text="Jalan sudah diaspal ulang oleh tim PU.")
    with world.store.read() as s:
        assert search_ids(s, "diaspal", office_id=world.office_id, can_see_anonymous=False) == [cid]
        assert search_ids(s, "diasp ulang", office_id=world.office_id, can_see_anonymous=True) == [cid]


# ---- detail ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [ADMIN, COUNTER, LEAD, Role.SYSTEM])
def test_detail_shows_the_reporter_as_the_rules_allow(data: Data, role: Role) -> None:
    """app.rules.scope: the administrator sees every reporter, the counter a named one's name and contact but not
    the NIK, leadership and the program none (tests/app/test_role_scope.py has every role and field)."""
    with data.world.store.read() as s:
        anon = read_detail.detail(s, data.ids["anon"], viewer_role=role, office_id=data.world.office_id)
        named = read_detail.detail(s, data.ids["cafe"], viewer_role=role, office_id=data.world.office_id)
    assert anon.is_anonymous and not named.is_anonymous
    if role == ADMIN:
        assert anon.reporter.visible and anon.reporter.name == "Sulastri Samaran"
        assert anon.reporter.email == "pelapor.uji@contoh.id"
    else:
        assert anon.reporter == read_detail.ReporterView(visible=False)
    if role in (ADMIN, COUNTER):
        assert named.reporter.visible and named.reporter.name == "Joko Contoh"
        assert named.reporter.phone == "+6281234567890"
    else:  # leadership and the program itself see no reporter at all
        assert named.reporter == read_detail.ReporterView(visible=False)
    assert anon.title == "Pungutan liar di kantor kelurahan"  # the complaint itself stays visible


@pytest.mark.parametrize("role", [IT, LIAISON])
def test_detail_outside_the_role_scope_is_refused(data: Data, role: Role) -> None:
    # IT opens no complaint; the liaison only those of their unit
    with data.world.store.read() as s, pytest.raises(OutOfScope):
        read_detail.detail(s, data.ids["cafe"], viewer_role=role, office_id=data.world.office_id)


def test_detail_of_another_office_is_not_found(data: Data) -> None:
    with data.world.store.read() as s:
        with pytest.raises(NotFound):
            read_detail.detail(s, data.ids["other"], viewer_role=ADMIN, office_id=data.world.office_id)
        with pytest.raises(NotFound):
            read_detail.detail(s, "tidak-ada", viewer_role=ADMIN, office_id=data.world.office_id)


def test_detail_carries_the_timeline_unit_and_category(data: Data) -> None:
    with data.world.store.read() as s:
        d = read_detail.detail(s, data.ids["cafe"], viewer_role=COUNTER, office_id=data.world.office_id)
    assert [e.kind for e in d.events] == ["RECEIVED", "DISPOSED", "FOLLOW_UP"]
    assert d.events[-1].actor == "Petugas Admin_Instansi"
    assert (d.unit, d.category_id, d.status) == ("Dinas Kesehatan", "kesehatan.puskesmas_rs", Status.DITINDAKLANJUTI)
    assert d.step_due_kind == "RESPONSE_WINDOW"


# ---- lists: filters, sorts, deadline states ------------------------------------------------------------

NOW = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)


def _list(d: Data, f: queries.ComplaintFilter, sort: str = "deadline", now: datetime = NOW) -> list[str]:
    with d.world.store.read() as s:
        ids = queries.list_ids(s, d.world.office_id, f, sort=sort, now=now)
        assert queries.count(s, d.world.office_id, f, now=now) == len(ids)
        rows = queries.page(s, d.world.office_id, f, sort=sort, now=now, limit=1000)
        assert [r.id for r in rows] == ids
        return ids


FILTERS: dict[str, tuple[queries.ComplaintFilter, set[str]]] = {
    "everything": (queries.ComplaintFilter(), {"road", "cafe", "anon", "archived", "info", "postponed"}),
    "one status": (queries.ComplaintFilter(statuses=(Status.BELUM_TERVERIFIKASI,)), {"anon", "info"}),
    "two statuses": (queries.ComplaintFilter(statuses=(Status.DIDISPOSISIKAN, Status.DITUNDA)),
                     {"road", "postponed"}),
    "no such status": (queries.ComplaintFilter(statuses=(Status.SELESAI,)), set()),
    "parent category": (queries.ComplaintFilter(category_id="infrastruktur"), {"road", "archived", "info"}),
    "child category": (queries.ComplaintFilter(category_id="infrastruktur.jalan"), {"road"}),
    "other category": (queries.ComplaintFilter(category_id="kesehatan"), {"cafe"}),
    "channel": (queries.ComplaintFilter(channel=Channel.LETTER), {"archived"}),
    "received from": (queries.ComplaintFilter(received_from=date(2026, 3, 4)), {"anon", "archived", "info",
                                                                                 "postponed"}),
    "received to": (queries.ComplaintFilter(received_to=date(2026, 3, 3)), {"road", "cafe"}),
    "received on": (queries.ComplaintFilter(received_from=date(2026, 3, 5), received_to=date(2026, 3, 5)),
                    {"archived"}),
    "ids": (queries.ComplaintFilter(ids=()), set()),
    "combined": (queries.ComplaintFilter(statuses=(Status.BELUM_TERVERIFIKASI, Status.DIDISPOSISIKAN),
                                         category_id="infrastruktur"), {"road", "info"}),
    "no deadline": (queries.ComplaintFilter(deadline_state=DeadlineState.NONE), {"archived"}),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_filters(data: Data, name: str) -> None:
    f, keys = FILTERS[name]
    assert set(_list(data, f)) == {data.ids[k] for k in keys}


def test_filter_by_unit_and_ids(data: Data) -> None:
    units = data.world.units
    assert _list(data, queries.ComplaintFilter(unit_id=units["Dinas Pekerjaan Umum"])) == [data.ids["road"]]
    assert _list(data, queries.ComplaintFilter(unit_id=units["Dinas Kesehatan"])) == [data.ids["cafe"]]
    chosen = (data.ids["cafe"], data.ids["info"], data.ids["other"])
    assert set(_list(data, queries.ComplaintFilter(ids=chosen))) == {data.ids["cafe"], data.ids["info"]}


def _due_key(row: dict[str, Any]) -> tuple[bool, datetime]:
    due = row["next_due_at"]
    return (due is None, due or datetime.max.replace(tzinfo=UTC))


SORT_KEYS: dict[str, Any] = {
    "deadline": lambda r: (*_due_key(r), r["id"]),
    "received_asc": lambda r: (r["received_at"], r["id"]),
    "tracking_code": lambda r: r["tracking_code"],
    "status": lambda r: (r["status"], *_due_key(r), r["id"]),
    "title": lambda r: (r["title"], r["id"]),
}


@pytest.mark.parametrize("sort", [*SORT_KEYS, "received"])
def test_sorts(data: Data, sort: str) -> None:
    rows = data.rows()
    if sort == "received":
        expected = [r["id"] for r in sorted(rows, key=lambda r: (r["received_at"], r["id"]), reverse=True)]
    else:
        expected = [r["id"] for r in sorted(rows, key=SORT_KEYS[sort])]
    assert _list(data, queries.ComplaintFilter(), sort=sort) == expected
    with data.world.store.read() as s:  # pages are slices of the same order
        pages = [queries.page(s, data.world.office_id, queries.ComplaintFilter(), sort=sort, now=NOW,
                              limit=4, offset=o) for o in (0, 4)]
    assert [r.id for p in pages for r in p] == expected


def test_deadline_sort_puts_complaints_without_deadlines_last(data: Data) -> None:
    ids = _list(data, queries.ComplaintFilter(), sort="deadline")
    assert ids[-1] == data.ids["archived"]
    with data.world.store.read() as s:
        rows = queries.rows_by_id(s, Scope(data.world.office_id, Role.ADMIN_INSTANSI), ids)
        dues = [r.next_due_at for r in rows.values()]
    assert sum(d is None for d in dues) == 1
    ordered = [rows[i].next_due_at for i in ids[:-1]]
    assert ordered == sorted(ordered)  # type: ignore[type-var]


def _nows(d: Data) -> list[datetime]:
    """Moments that put rows on every side of every boundary: at a deadline, 48 h before it, just after."""
    dues = sorted(r["next_due_at"] for r in d.rows() if r["next_due_at"] is not None)
    soon = timedelta(hours=sla.SlaPolicy.bundled().due_soon_hours)
    picks = [NOW, datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)]
    for due in dues[:3]:
        picks += [due, due - soon, due - soon - timedelta(microseconds=1), due + timedelta(microseconds=1)]
    return picks


def test_deadline_state_filters_match_the_sla_engine(data: Data) -> None:
    policy = sla.SlaPolicy.bundled()
    soon = timedelta(hours=policy.due_soon_hours)
    rows = data.rows()
    seen: set[DeadlineState] = set()
    for now in _nows(data):
        with data.world.store.read() as s:
            for state in DeadlineState:
                f = queries.ComplaintFilter(deadline_state=state)
                got = set(queries.list_ids(s, data.world.office_id, f, now=now, due_soon=soon))
                want = {r["id"] for r in rows if sla.deadline_state(r["next_due_at"], now, policy) == state}
                assert got == want, (now, state)
                assert queries.count(s, data.world.office_id, f, now=now, due_soon=soon) == len(want)
                if want:
                    seen.add(state)
    assert seen == set(DeadlineState)  # every state was really exercised


def test_status_counts_and_overdue(data: Data) -> None:
    with data.world.store.read() as s:
        counts = queries.status_counts(s, data.world.office_id)
        overdue = queries.overdue_count(s, data.world.office_id, datetime(2026, 5, 1, tzinfo=UTC))
        nothing_yet = queries.overdue_count(s, data.world.office_id, datetime(2026, 3, 2, 3, tzinfo=UTC))
    assert counts == {Status.DIDISPOSISIKAN: 1, Status.DITINDAKLANJUTI: 1, Status.BELUM_TERVERIFIKASI: 2,
                      Status.DIARSIPKAN: 1, Status.DITUNDA: 1}
    assert overdue == 5 and nothing_yet == 0


def test_received_dates_are_calendar_days_in_the_office_zone(world: World) -> None:
    """A complaint received at 06:30 WIB on 3 March (23:30 UTC on 2 March) belongs to 3 March."""
    from datetime import UTC, date, datetime

    from app.read.queries import ComplaintFilter, count

    world.clock.now = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    world.new_complaint()
    with world.store.read() as s:
        on_3rd = ComplaintFilter(received_from=date(2026, 3, 3), received_to=date(2026, 3, 3), tz="Asia/Jakarta")
        on_2nd = ComplaintFilter(received_from=date(2026, 3, 2), received_to=date(2026, 3, 2), tz="Asia/Jakarta")
        assert count(s, world.office_id, on_3rd, now=world.clock.now) == 1
        assert count(s, world.office_id, on_2nd, now=world.clock.now) == 0
        in_utc = ComplaintFilter(received_from=date(2026, 3, 2), received_to=date(2026, 3, 2), tz="UTC")
        assert count(s, world.office_id, in_utc, now=world.clock.now) == 1
