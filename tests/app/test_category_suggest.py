"""Category suggestions from a new complaint's text (app.read.category_suggest): learnt from this office's own past
complaints through the full-text index, offline; another office's complaints and inactive categories never count.
Synthetic data only."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import update

from app.domain import Channel, Classification, Role
from app.inputs import IntakeInput
from app.models import Category
from app.read.category_suggest import suggest_categories
from app.services.intake import intake
from tests.helpers.world import World

BASE = IntakeInput(classification=Classification.PENGADUAN, channel=Channel.WALK_IN, title="", description="",
                   is_anonymous=True)
PAST = [
    ("infrastruktur.jalan", "Jalan berlubang di depan pasar", "Aspal jalan berlubang dalam, pengendara motor jatuh."),
    ("infrastruktur.jalan", "Aspal jalan desa mengelupas", "Aspal mengelupas dan berlubang sepanjang dua ratus meter."),
    ("infrastruktur.jalan", "Jembatan kayu lapuk", "Papan jembatan lapuk dan berlubang, anak sekolah takut lewat."),
    ("lingkungan.sampah", "Sampah menumpuk di TPS", "Sampah tidak diangkut seminggu, bau menyengat sampai ke rumah."),
    ("lingkungan.sampah", "TPS liar di pinggir sungai", "Warga membuang sampah ke sungai, bau dan banyak lalat."),
    ("adminduk.ktp_el", "KTP elektronik belum jadi", "Perekaman KTP elektronik tiga bulan lalu, blangko belum ada."),
]


def _take(world: World, category: str, title: str, description: str, *, user: str = Role.ADMIN_INSTANSI) -> None:
    actor = world.users.get(user, user)
    intake(world.ctx, actor, replace(BASE, title=title, description=description, category_id=category))


def _suggest(world: World, text: str, office: str | None = None) -> list[tuple[str, float]]:
    with world.store.read() as session:
        return [(s.category_id, round(s.share, 2))
                for s in suggest_categories(session, office or world.office_id, text)]


def test_the_category_of_the_most_similar_past_complaints_comes_first(world: World) -> None:
    for past in PAST:
        _take(world, *past)
    found = _suggest(world, "Jalan di depan sekolah berlubang besar, aspal rusak")
    assert found[0][0] == "infrastruktur.jalan" and found[0][1] > 0.5
    assert _suggest(world, "Sampah tidak diangkut, baunya menyengat")[0][0] == "lingkungan.sampah"
    assert _suggest(world, "KTP elektronik saya belum jadi")[0][0] == "adminduk.ktp_el"
    assert len(_suggest(world, "Jalan berlubang, sampah menumpuk, KTP belum jadi")) <= 3
    with world.store.read() as session:
        assert suggest_categories(session, world.office_id, "Jalan berlubang")[0].name == "Jalan dan Jembatan"


def test_nothing_to_go_on_suggests_nothing(world: World) -> None:
    for past in PAST:
        _take(world, *past)
    assert _suggest(world, "") == []
    assert _suggest(world, "yang dan di ke") == []  # only words every complaint uses
    assert _suggest(world, "qwertyuiop asdfghjkl") == []


def test_only_this_offices_complaints_and_active_categories_count(world: World) -> None:
    for past in PAST[:3]:
        _take(world, *past, user=world.other_admin)
    # Another office's roads say nothing to this one; the category's own name still does.
    assert _suggest(world, "Aspal jalan mengelupas dan berlubang") == []
    assert _suggest(world, "Jembatan kayu lapuk dan berlubang") == [("infrastruktur.jalan", 1.0)]
    assert _suggest(world, "Aspal jalan mengelupas dan berlubang", world.other_office_id)[0][0] == \
        "infrastruktur.jalan"
    with world.store.transaction() as session:
        session.execute(update(Category).where(Category.id == "infrastruktur.jalan").values(active=False))
    assert _suggest(world, "Aspal jalan mengelupas dan berlubang", world.other_office_id) == []
