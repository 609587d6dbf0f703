"""Likely duplicates at intake (app.read.duplicates): the same NIK or phone, or much the same words in the same
village, within 30 days, in this office only. Synthetic data only."""

from __future__ import annotations

from dataclasses import replace

from app.domain import Channel, Classification, Role
from app.inputs import IntakeInput, ReporterInput
from app.read.duplicates import likely_duplicates, similarity, words
from app.services.intake import intake
from tests.helpers.world import World

VILLAGE = "34.04.01.2001"
LAMP = IntakeInput(
    classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title="Lampu jalan padam di simpang Condong",
    description="Lampu penerangan jalan di simpang Condong padam dua minggu, rawan kecelakaan malam hari.",
    region_code=VILLAGE,
    reporter=ReporterInput(name="Warga Uji Coba", nik="3404010101900001", phone="081200000001", consent_given=True),
)
OTHER_PERSON = ReporterInput(name="Warga Lain", nik="3404014101900002", phone="081200000002", consent_given=True)
ROADS = replace(LAMP, title="Saluran air tersumbat di gang Melati",
                description="Saluran air di gang Melati tersumbat sampah sehingga banjir setiap hujan deras.",
                reporter=OTHER_PERSON)


def _take(world: World, inp: IntakeInput) -> str:
    return intake(world.ctx, world.users[Role.PETUGAS_LOKET], inp).tracking_code


def _check(world: World, inp: IntakeInput) -> dict[str, tuple[str, ...]]:
    with world.store.read() as session:
        return {d.tracking_code: d.reasons for d in likely_duplicates(session, world.office_id, inp, world.clock())}


def test_the_same_reporter_by_nik_or_phone(world: World) -> None:
    first = _take(world, LAMP)
    world.clock.advance(days=3)
    again = replace(ROADS, reporter=replace(OTHER_PERSON, nik=LAMP.reporter.nik if LAMP.reporter else None))
    assert _check(world, again) == {first: ("nik",)}
    by_phone = replace(ROADS, reporter=replace(OTHER_PERSON, phone="0812-0000-0001"))  # typed another way
    assert _check(world, by_phone) == {first: ("phone",)}
    assert _check(world, ROADS) == {}


def test_much_the_same_words_in_the_same_village(world: World) -> None:
    first = _take(world, replace(LAMP, reporter=None, is_anonymous=True))
    retold = replace(LAMP, title="Lampu PJU mati di simpang Condong", reporter=OTHER_PERSON,
                     description="Lampu penerangan jalan umum di simpang Condong mati, rawan kecelakaan malam hari.")
    assert _check(world, retold) == {first: ("text",)}
    assert _check(world, replace(retold, region_code="34.04.01.2002")) == {}  # another village
    assert _check(world, replace(retold, region_code="34.04.01")) == {}  # a district is too wide to say
    assert _check(world, ROADS) == {}  # the same village, another matter


def test_every_reason_and_most_reasons_first(world: World) -> None:
    text_only = _take(world, replace(LAMP, reporter=OTHER_PERSON))
    world.clock.advance(hours=1)
    same_person = _take(world, replace(ROADS, reporter=LAMP.reporter))
    world.clock.advance(hours=1)
    found = _check(world, LAMP)
    assert found == {same_person: ("nik", "phone"), text_only: ("text",)}
    assert list(found) == [same_person, text_only]  # two reasons before one


def test_only_the_last_thirty_days_of_this_office(world: World) -> None:
    _take(world, LAMP)
    world.clock.advance(days=31)
    assert _check(world, LAMP) == {}
    with world.store.read() as session:
        assert likely_duplicates(session, world.other_office_id, LAMP, world.clock()) == []


def test_nothing_to_compare_is_no_query_and_no_duplicate(world: World) -> None:
    _take(world, LAMP)
    anonymous = replace(LAMP, reporter=None, is_anonymous=True, region_code=None)
    assert _check(world, anonymous) == {}
    assert _check(world, replace(LAMP, reporter=replace(OTHER_PERSON, nik="12", phone="abc"), region_code=None)) == {}


def test_words_leave_out_what_every_complaint_says() -> None:
    assert words("Jalan di depan pasar RUSAK, sudah 3 minggu!") == {"pasar", "rusak"}
    assert similarity({"a", "b"}, {"b", "c"}) == 1 / 3 and similarity(set(), {"a"}) == 0.0
