"""The short lists forms and filters offer, read from the store."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Category, Unit
from app.read import choices
from tests.helpers.world import World


def test_units_of_the_office_only_and_active_by_default(world: World) -> None:
    with world.store.transaction() as s:
        unit = s.execute(select(Unit).where(Unit.id == world.units["Dinas Kesehatan"])).scalar_one()
        unit.active = False
    with world.store.read() as s:
        assert [c.name for c in choices.office_units(s, world.office_id)] == ["Dinas Pekerjaan Umum"]
        every = choices.office_units(s, world.office_id, active_only=False)
    assert [c.name for c in every] == ["Dinas Kesehatan", "Dinas Pekerjaan Umum"]  # never Badung's units


def test_category_tree_parents_before_children_in_the_chosen_language(world: World) -> None:
    with world.store.transaction() as s:
        s.add_all([Category(id="zz", name="Zebra cross", name_en="A crossing", active=True),
                   Category(id="zz.1", parent_id="zz", name="Cat pudar", name_en="Faded paint", active=True),
                   Category(id="zz.2", parent_id="zz", name="Rambu hilang", name_en="", active=True),
                   Category(id="zz.3", parent_id="zz", name="Tidak dipakai", name_en="Unused", active=False)])
    with world.store.read() as s:
        tree_id = choices.category_tree(s, "id")
        tree_en = choices.category_tree(s, "en")
    ids = [c.id for c in tree_id]
    assert ids.index("zz") < ids.index("zz.1") < ids.index("zz.2") and "zz.3" not in ids
    parent = next(c for c in tree_id if c.id == "zz")
    assert (parent.depth, next(c for c in tree_id if c.id == "zz.1").depth) == (0, 1)
    names = [c.name for c in tree_id if c.depth == 0]
    assert names == sorted(names, key=str.casefold)
    english = {c.id: c.name for c in tree_en}
    assert (english["zz"], english["zz.1"], english["zz.2"]) == ("A crossing", "Faded paint", "Rambu hilang")
    assert [c.name for c in tree_en if c.depth == 0][0] == "A crossing"  # sorted by the shown name


def test_other_office_names(world: World) -> None:
    with world.store.read() as s:
        assert choices.other_office_names(s, world.office_id) == ["Pemerintah Kabupaten Badung"]
