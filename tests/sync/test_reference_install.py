"""Reference data installed on a PC (sync.reference.sync_reference): categories with their parents (a parent held
already or sent before its child; one the PC cannot know leaves the child at the top), a category held already
updated in place, holidays once each, and nothing written when the version is the one held. Synthetic data only."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from app.models import Category, Holiday
from app.services.context import ServiceContext
from app.store.db import Store
from sync.protocol import ReferenceData
from sync.reference import sync_reference


class _Answers:
    """A transport that answers the reference request with ``data``."""

    def __init__(self, data: ReferenceData) -> None:
        self.data = data

    def request_model(self, method: str, path: str, model: type[Any], **_: Any) -> Any:
        assert (method, path, model) == ("GET", "/api/v1/reference", ReferenceData)
        return self.data


def _reference(version: int, categories: list[dict[str, Any]], holidays: list[dict[str, str]]) -> ReferenceData:
    return ReferenceData(categories=categories, sla_policy=None, holidays=holidays, units=[], users=[],
                         version=version)


def _categories(store: Store, ids: set[str]) -> dict[str, tuple[str | None, str, str, bool]]:
    with store.read() as s:
        return {c.id: (c.parent_id, c.name, c.name_en, c.active)
                for c in s.scalars(select(Category).where(Category.id.in_(ids)))}


def test_categories_and_holidays_install_with_their_parents_once_each(store: Store) -> None:
    ctx = ServiceContext(store=store)
    with store.read() as s:
        held = s.scalars(select(Category).where(Category.parent_id.is_(None)).order_by(Category.id)).first()
        assert held is not None  # the bundled reference data: a top category the PC holds already
        held_id, held_days = held.id, set(s.scalars(select(Holiday.day)))
    new_day = date(2099, 8, 17)
    assert new_day not in held_days
    categories: list[dict[str, Any]] = [
        {"id": "zz.uji.anak", "parent_id": "zz.uji", "name": "Anak", "name_en": "Child"},  # its parent comes later
        {"id": "zz.uji", "parent_id": None, "name": "Uji", "name_en": "Test"},
        {"id": "zz.uji.cucu", "parent_id": "zz.uji.anak", "name": "Cucu"},  # sorted after its parent
        {"id": "zz.uji.yatim", "parent_id": "zz.tidak.ada", "name": "Tanpa induk"},  # a parent nobody sent
        {"id": "zz.uji.lain", "parent_id": held_id, "name": "Di bawah yang ada", "active": False},
        {"id": held_id, "parent_id": None, "name": "Nama baru", "name_en": "New name"},  # held: updated in place
    ]
    holidays = [{"day": new_day.isoformat(), "name": "Libur uji", "kind": "national"},
                {"day": new_day.isoformat(), "name": "Libur uji lagi", "kind": "national"}]  # the same day twice

    assert sync_reference(ctx, _Answers(_reference(990001, categories, holidays)), "office")  # type: ignore[arg-type]

    ids = {row["id"] for row in categories}
    assert _categories(store, ids) == {
        "zz.uji": (None, "Uji", "Test", True),
        "zz.uji.anak": ("zz.uji", "Anak", "Child", True),
        "zz.uji.cucu": ("zz.uji.anak", "Cucu", "", True),
        "zz.uji.yatim": (None, "Tanpa induk", "", True),
        "zz.uji.lain": (held_id, "Di bawah yang ada", "", False),
        held_id: (None, "Nama baru", "New name", True),
    }
    with store.read() as s:
        assert list(s.execute(select(Holiday.name).where(Holiday.day == new_day)).scalars()) == ["Libur uji"]

    # The same version again: nothing is installed, whatever the answer holds.
    changed = [{**row, "name": "Tidak dipasang"} for row in categories]
    assert not sync_reference(ctx, _Answers(_reference(990001, changed, [])), "office")  # type: ignore[arg-type]
    assert _categories(store, {"zz.uji"})["zz.uji"][1] == "Uji"
