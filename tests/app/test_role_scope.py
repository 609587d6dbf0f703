"""Per role (app.rules.scope): which complaints it lists, counts, searches and opens, which of the reporter's data it
sees, what its inbox holds, and that the services refuse a complaint outside its scope, saying why in Indonesian."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app import services
from app.domain import ArchiveReason, Channel, Classification, Role
from app.errors import NotFound, OutOfScope, PermissionDenied
from app.inputs import IntakeInput, ReporterInput
from app.models import ConflictItem, OutboxEntry
from app.read import detail as read_detail
from app.read import queries
from app.read.inbox import inbox_filter, sync_problems
from app.read.search import search_ids
from app.rules.scope import POLICY, Scope, UnscopedRead, policy_of
from app.rules.workflow import allowed_transitions
from app.services.conflicts import list_conflicts, open_conflict_count
from tests.helpers.world import World

ADMIN, LIAISON, COUNTER, LEAD, IT = (
    Role.ADMIN_INSTANSI, Role.PENGHUBUNG, Role.PETUGAS_LOKET, Role.PIMPINAN, Role.IT_ADMIN,
)
OTHER_LIAISON = "PENGHUBUNG_OTHER_UNIT"
ALL = queries.ComplaintFilter()
REPORTER = ReporterInput(name="Sri Wahyuni", nik="3404014107850002", phone="081298765432",
                         email="sri.wahyuni@contoh.id", address="Jl. Melati 7, Mlati", assistance_needs="Kursi roda",
                         consent_given=True)
FIELDS = ("name", "nik", "phone", "email", "address", "assistance_needs")


class Office:
    """Complaints at the steps that matter for scope: new, dispositioned to PU / to Health, followed up by PU,
    postponed, one anonymous dispositioned to PU, one reopened (escalated) at PU."""

    def __init__(self, w: World) -> None:
        self.w = w
        admin, ctx = w.users[ADMIN], w.ctx
        pu, health = w.units["Dinas Pekerjaan Umum"], w.units["Dinas Kesehatan"]
        self.new = self.file("Lampu jalan padam di Dusun Karang")
        self.pu = self.file("Jalan berlubang di Jalan Magelang")
        services.dispose(ctx, admin, self.pu, unit_id=pu)
        self.health = self.file("Antrean obat lama di Puskesmas Mlati")
        services.dispose(ctx, admin, self.health, unit_id=health)
        self.followed = self.file("Saluran air tersumbat di Pasar Sleman")
        services.dispose(ctx, admin, self.followed, unit_id=pu)
        services.follow_up(ctx, w.users[LIAISON], self.followed, text="Saluran sudah dibersihkan oleh tim PU.")
        self.postponed = self.file("Pungutan di kantor kelurahan Sendangadi")
        services.postpone(ctx, admin, self.postponed, reason="Menunggu klarifikasi pelapor")
        self.anon = self.file("Jembatan retak di Dusun Gamping", anonymous=True)
        services.dispose(ctx, admin, self.anon, unit_id=pu)
        self.reopened = self.file("Trotoar rusak di depan sekolah Mlati")
        services.dispose(ctx, admin, self.reopened, unit_id=pu)
        services.follow_up(ctx, w.users[LIAISON], self.reopened, text="Trotoar sudah diperbaiki dengan paving.")
        services.record_response(ctx, w.users[COUNTER], self.reopened, satisfied=False,
                                 text="Perbaikan belum selesai, masih berlubang.")
        self.archived = self.file("Iklan obat di kolom laporan")
        services.archive(ctx, admin, self.archived, reason_code=ArchiveReason.SPAM)

    def file(self, title: str, *, anonymous: bool = False) -> str:
        inp = IntakeInput(classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title=title,
                          description=f"{title}: sudah lebih dari seminggu dan belum ada penanganan dari dinas.",
                          is_anonymous=anonymous, reporter=REPORTER)
        return services.intake(self.w.ctx, self.w.users[COUNTER], inp).complaint_id

    @property
    def everything(self) -> set[str]:
        return {self.new, self.pu, self.health, self.followed, self.postponed, self.anon, self.reopened,
                self.archived}

    @property
    def of_pu(self) -> set[str]:
        return {self.pu, self.followed, self.anon, self.reopened}


@pytest.fixture
def office(world: World) -> Office:
    return Office(world)


def scope_of(w: World, who: str) -> Scope:
    with w.store.read() as s:
        from app.models import User

        return Scope.of(s.get_one(User, w.users[who]))


def listed(w: World, who: str, f: queries.ComplaintFilter = ALL) -> set[str]:
    now = w.clock()
    with w.store.read() as s:
        scope = scope_of(w, who)
        ids = queries.list_ids(s, scope, f, now=now)
        page = [r.id for r in queries.page(s, scope, f, now=now, limit=1000)]
        counted = queries.count(s, scope, f, now=now)
        rows = queries.rows_by_id(s, scope, sorted(office_ids(w)))
    assert sorted(ids) == sorted(page) and counted == len(ids)
    if f == ALL:  # rows by id: of all the office's ids, only those within the scope
        assert sorted(rows) == sorted(ids)
    return set(ids)


def office_ids(w: World) -> set[str]:
    with w.store.read() as s:
        return set(queries.list_ids(s, Scope.whole_office(w.office_id), ALL, now=w.clock()))


# ---- what each role lists, counts, searches and opens -----------------------------------------------------------


@pytest.mark.parametrize(("who", "sees"), [
    (ADMIN, "everything"), (COUNTER, "everything"), (LEAD, "everything"),
    (LIAISON, "of_pu"), (OTHER_LIAISON, "health"), (IT, "nothing")])
def test_each_role_lists_and_counts_what_its_scope_holds(office: Office, world: World, who: str, sees: str) -> None:
    expected = {"everything": office.everything, "of_pu": office.of_pu, "health": {office.health},
                "nothing": set()}[sees]
    assert listed(world, who) == expected
    with world.store.read() as s:
        scope = scope_of(world, who)
        by_status = queries.status_counts(s, scope)
        overdue = queries.overdue_count(s, scope, world.clock() + timedelta(days=90))
        overdue_everywhere = queries.overdue_count(s, Scope.whole_office(world.office_id),
                                                   world.clock() + timedelta(days=90))
    assert sum(by_status.values()) == len(expected)
    assert overdue == len(expected - {office.archived}) and overdue_everywhere == 7


def test_a_liaison_without_a_unit_and_an_unknown_role_see_nothing(office: Office, world: World) -> None:
    for scope in (Scope(world.office_id, LIAISON, None), Scope(world.office_id, "KEPALA_DESA")):
        with world.store.read() as s:
            assert queries.list_ids(s, scope, ALL, now=world.clock()) == []
            assert queries.count(s, scope, ALL, now=world.clock()) == 0
            assert queries.status_counts(s, scope) == {}
            assert queries.rows_by_id(s, scope, [office.pu]) == {}
            assert search_ids(s, "jalan", scope) == []
            with pytest.raises(OutOfScope):
                read_detail.detail(s, office.pu, scope)
    assert policy_of("KEPALA_DESA").reach == "NONE"


@pytest.mark.parametrize(("who", "found"), [
    (ADMIN, {"pu", "reopened"}), (COUNTER, {"pu", "reopened"}), (LEAD, {"pu", "reopened"}),
    (LIAISON, {"pu", "reopened"}), (OTHER_LIAISON, set()), (IT, set())])
def test_search_finds_only_within_the_scope(office: Office, world: World, who: str, found: set[str]) -> None:
    with world.store.read() as s:
        got = set(search_ids(s, "Magelang", scope_of(world, who))) | set(
            search_ids(s, "trotoar", scope_of(world, who)))
    assert got == {getattr(office, name) for name in found}


@pytest.mark.parametrize(("who", "by_name"), [
    (ADMIN, "all"), (COUNTER, "named"), (LIAISON, "named_pu"), (LEAD, "none"), (IT, "none")])
def test_search_by_reporter_name_only_where_the_role_sees_names(office: Office, world: World, who: str,
                                                               by_name: str) -> None:
    with world.store.read() as s:
        got = set(search_ids(s, "Wahyuni", scope_of(world, who)))
    everything = office.everything
    expected = {"all": everything, "named": everything - {office.anon},
                "named_pu": office.of_pu - {office.anon}, "none": set()}[by_name]
    assert got == expected


@pytest.mark.parametrize("who", [ADMIN, COUNTER, LEAD, LIAISON, OTHER_LIAISON, IT])
def test_opening_by_detail_and_by_code_follows_the_scope(office: Office, world: World, who: str) -> None:
    scope = scope_of(world, who)
    with world.store.read() as s:
        code = queries.rows_by_id(s, Scope.whole_office(world.office_id), [office.pu])[office.pu].tracking_code
        for cid in office.everything:
            if scope.may_open(world.office_id, "x") or cid in listed(world, who):
                assert read_detail.detail(s, cid, scope).id == cid
            else:
                with pytest.raises(OutOfScope) as refused:
                    read_detail.detail(s, cid, scope)
                assert refused.value.message.id != "Laporan tidak ditemukan."  # says why, not "not found"
        if office.pu in listed(world, who):
            assert queries.find_by_code(s, code, scope) == office.pu
        else:
            with pytest.raises(OutOfScope):
                queries.find_by_code(s, code, scope)
        with pytest.raises(NotFound) as foreign:  # another office's stays "not found" for everyone
            read_detail.detail(s, office.pu, Scope(world.other_office_id, ADMIN))
    assert not isinstance(foreign.value, OutOfScope)


# ---- what each role sees of the reporter ------------------------------------------------------------------------


def reporter(world: World, who: str, cid: str) -> dict[str, str | None]:
    with world.store.read() as s:
        r = read_detail.detail(s, cid, scope_of(world, who)).reporter
    return {f: getattr(r, f) for f in FIELDS}


EVERY_FIELD = {"name": "Sri Wahyuni", "nik": "3404014107850002", "phone": "+6281298765432",
               "email": "sri.wahyuni@contoh.id", "address": "Jl. Melati 7, Mlati", "assistance_needs": "Kursi roda"}
NOTHING = dict.fromkeys(FIELDS)


@pytest.mark.parametrize(("who", "shown"), [
    (ADMIN, set(FIELDS)),
    (COUNTER, {"name", "phone", "email", "address", "assistance_needs"}),  # no NIK after intake
    (LEAD, set()),
    (LIAISON, {"name", "phone", "email"}),  # awaiting their follow-up: contact to reach the reporter
])
def test_a_named_reporter_awaiting_the_unit(office: Office, world: World, who: str, shown: set[str]) -> None:
    assert reporter(world, who, office.pu) == {f: EVERY_FIELD[f] if f in shown else None for f in FIELDS}


def test_a_liaison_loses_the_contact_once_the_unit_has_answered(office: Office, world: World) -> None:
    assert reporter(world, LIAISON, office.followed) == {**NOTHING, "name": "Sri Wahyuni"}
    assert reporter(world, COUNTER, office.followed)["phone"] == "+6281298765432"  # the counter takes the response


@pytest.mark.parametrize("who", [COUNTER, LEAD, LIAISON])
def test_an_anonymous_reporter_only_for_the_office_admin(office: Office, world: World, who: str) -> None:
    assert reporter(world, who, office.anon) == NOTHING
    assert reporter(world, ADMIN, office.anon) == EVERY_FIELD
    with world.store.read() as s:
        assert not read_detail.detail(s, office.anon, scope_of(world, who)).reporter.visible


# ---- the services refuse outside the scope ----------------------------------------------------------------------


@pytest.mark.parametrize(("who", "words"), [(OTHER_LIAISON, "tidak didisposisikan ke unit Anda"),
                                            (LIAISON, "tidak didisposisikan ke unit Anda")])
def test_a_liaison_may_not_act_on_another_units_complaint(office: Office, world: World, who: str,
                                                         words: str) -> None:
    target = office.health if who == LIAISON else office.pu
    ctx, user = world.ctx, world.users[who]
    for act in (lambda: services.follow_up(ctx, user, target, text="Sudah ditangani oleh unit kami."),
                lambda: services.postpone(ctx, user, target, reason="Menunggu klarifikasi"),
                lambda: services.add_note(ctx, user, target, text="Catatan dari unit lain")):
        with pytest.raises(PermissionDenied) as refused:
            act()
        assert isinstance(refused.value, OutOfScope) and words in str(refused.value)
        assert "your unit" in refused.value.message.en
    with pytest.raises(OutOfScope):  # nor on a complaint not yet dispositioned
        services.add_note(ctx, world.users[LIAISON], office.new, text="Catatan sebelum disposisi")
    services.add_note(ctx, world.users[LIAISON], office.pu, text="Tim PU akan meninjau lokasi besok.")


def test_it_may_not_open_a_complaint_through_a_service(office: Office, world: World) -> None:
    from app.models import User
    from app.services.context import load_complaint

    with pytest.raises(PermissionDenied):  # IT's role takes no complaint step at all
        services.add_note(world.ctx, world.users[IT], office.new, text="Catatan dari TI")
    with world.store.read() as s, pytest.raises(OutOfScope) as refused:  # and opens none, whatever asks
        load_complaint(s, s.get_one(User, world.users[IT]), office.new)
    assert "Admin TI" in str(refused.value)


def test_the_conflict_queue_follows_the_scope(office: Office, world: World) -> None:
    with world.store.transaction() as s:
        for cid in (office.pu, office.health):
            s.add(ConflictItem(id=f"c-{cid}", complaint_id=cid, field="title", mine_json='"a"', theirs_json='"b"',
                               created_at=world.clock()))
    assert {c.complaint_id for c in list_conflicts(world.ctx, world.users[LIAISON])} == {office.pu}
    assert {c.complaint_id for c in list_conflicts(world.ctx, world.users[LEAD])} == {office.pu, office.health}
    # The navigation's count is that of the same queue.
    assert [open_conflict_count(world.ctx, scope_of(world, who)) for who in (LIAISON, LEAD, IT)] == [1, 2, 0]


# ---- the inbox ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "holds"), [
    (ADMIN, {"new", "postponed"}),  # verify, decide after clarification (a followed-up one waits for the reporter)
    (COUNTER, {"followed", "postponed"}),  # the reporter's response, the clarification
    (LIAISON, {"pu", "anon", "reopened"}),  # their unit's, awaiting follow-up
    (OTHER_LIAISON, {"health"}),
    (LEAD, {"reopened"}),  # escalated: the reporter was not satisfied
    (IT, set()),
])
def test_each_inbox_holds_what_the_role_acts_on(office: Office, world: World, who: str, holds: set[str]) -> None:
    assert listed(world, who, inbox_filter(scope_of(world, who))) == {getattr(office, n) for n in holds}


def test_leadership_inbox_gets_what_runs_late(office: Office, world: World) -> None:
    world.clock.advance(days=30)
    late = listed(world, LEAD, inbox_filter(scope_of(world, LEAD)))
    assert late == office.everything - {office.archived}  # every open complaint is overdue by now


def test_inbox_statuses_are_steps_the_role_may_take() -> None:
    for role, policy in POLICY.items():
        for status in policy.inbox.statuses:
            assert policy.inbox.attention or allowed_transitions(status, role), (role, status)


def test_it_sees_sync_problems_instead_of_complaints(office: Office, world: World) -> None:
    with world.store.transaction() as s:
        s.add(OutboxEntry(seq=10_000, mutation_id="m-1", name="complaint.intake", entity_type="complaint",
                          entity_id=office.new, base_version=0, args_json="{}", payload_hash="h",
                          created_at=world.clock(), acked_at=world.clock(), result_status="rejected",
                          result_json=json.dumps({"code": "invalid_field", "message": "Kategori tidak dikenal"})))
    with world.store.read() as s:
        problems = sync_problems(s, scope_of(world, IT))
        nothing = sync_problems(s, scope_of(world, LEAD))
    assert [(p.code, p.message) for p in problems.refused] == [("invalid_field", "Kategori tidak dikenal")]
    assert problems.refused[0].tracking_code and problems.count == 1 and problems.unsent >= 0
    assert nothing.count == 0 and nothing.refused == ()
    assert inbox_filter(scope_of(world, IT)).ids == ()


def test_a_bare_office_id_reads_the_whole_office_but_says_so(office: Office, world: World) -> None:
    with world.store.read() as s, pytest.warns(UnscopedRead):
        assert set(queries.list_ids(s, world.office_id, ALL, now=world.clock())) == office.everything


@pytest.mark.parametrize("who", [LIAISON, OTHER_LIAISON, IT, ADMIN, COUNTER])
def test_receipts_and_status_letters_follow_the_scope(office: Office, world: World, who: str) -> None:
    """Paper is a way to read a complaint too: a liaison prints their unit's, IT none, the office admin and the
    counter any of the office's."""
    from datetime import UTC, datetime

    from app.models import User
    from app.read.receipt import Viewer, receipt_content
    from app.read.status_letter import status_letter_content

    with world.store.read() as s:
        user = s.get_one(User, world.users[who])
        viewer = Viewer(user.office_id, user.role, user.full_name, user.unit_id)
    scope = scope_of(world, who)
    now = datetime(2026, 12, 5, 9, tzinfo=UTC)
    printable = set()
    for cid in office.everything:
        try:
            receipt_content(world.store, cid, viewer, status_base_url=None, now=now)
            status_letter_content(world.store, cid, viewer, status_base_url=None, now=now)
            printable.add(cid)
        except OutOfScope as refused:
            assert refused.message == scope.refusal()
    assert printable == listed(world, who)
