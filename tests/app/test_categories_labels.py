"""The bundled default category tree, its install, and display labels for the domain vocabulary."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from enum import StrEnum

import pytest
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session

from app import domain
from app.errors import Message
from app.models import Base, Category
from app.reference.categories import CategoryRow, category_label, default_categories, install_categories
from app.reference.labels import LABELS, label, label_message
from app.resources import resource_path

DOMAIN_ENUMS = [
    domain.Classification,
    domain.Channel,
    domain.Status,
    domain.Role,
    domain.EventKind,
    domain.ArchiveReason,
    domain.DeadlineKind,
    domain.DeadlineState,
]


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")

    @event.listens_for(engine, "connect")
    def _foreign_keys_on(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    Base.metadata.create_all(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_json_tree_shape() -> None:
    data = json.loads(resource_path("reference", "categories.json").read_text(encoding="utf-8"))
    top = data["categories"]
    assert 10 <= len(top) <= 14
    for node in top:
        children = node.get("children", [])
        if node["id"] != "lainnya":  # the catch-all "Other" has no sub-categories
            assert 2 <= len(children) <= 5, node["id"]
        for child in children:
            assert child["id"].startswith(node["id"] + "."), child["id"]
            assert "children" not in child


def test_ids_are_stable_slugs_and_names_complete() -> None:
    rows = default_categories()
    ids = [row.id for row in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)?", row.id), row.id
        assert len(row.id) <= 64 and len(row.name) <= 200 and len(row.name_en) <= 200
        assert row.name.strip() and row.name_en.strip()
    assert {"infrastruktur.jalan", "kesehatan", "adminduk.ktp_el", "sosial.bansos"} <= set(ids)


def test_parents_come_before_children() -> None:
    seen: set[str] = set()
    for row in default_categories():
        assert row.parent_id is None or row.parent_id in seen
        seen.add(row.id)


def test_install_inserts_tree_once(session: Session) -> None:
    expected = default_categories()
    assert install_categories(session) == len(expected)
    session.commit()
    assert install_categories(session) == 0
    stored = session.scalars(select(Category).order_by(Category.id)).all()
    assert len(stored) == len(expected)
    jalan = session.get(Category, "infrastruktur.jalan")
    assert jalan is not None
    assert (jalan.parent_id, jalan.name, jalan.name_en, jalan.active) == (
        "infrastruktur",
        "Jalan dan Jembatan",
        "Roads and bridges",
        True,
    )


def test_install_does_nothing_over_a_server_tree(session: Session) -> None:
    session.add(Category(id="srv", parent_id=None, name="Dari server", name_en="From server"))
    session.commit()
    assert install_categories(session) == 0
    assert session.scalars(select(Category.id)).all() == ["srv"]


def test_category_label_falls_back_to_indonesian() -> None:
    row = CategoryRow("kesehatan", "Kesehatan", "Health", None)
    assert category_label(row) == "Kesehatan"
    assert category_label(row, "en") == "Health"
    assert category_label(row, "en_US") == "Health"
    untranslated = Category(id="x", name="Lain-lain", name_en="")
    assert category_label(untranslated, "en") == "Lain-lain"


@pytest.mark.parametrize("enum", DOMAIN_ENUMS, ids=lambda e: e.__name__)
def test_every_enum_member_has_both_labels(enum: type[StrEnum]) -> None:
    for member in enum:
        message = label_message(member)
        assert isinstance(message, Message)
        assert message.id.strip() and message.en.strip(), member
        assert label(member) == message.id
        assert label(member, "en") == message.en
    assert set(LABELS[enum]) == {m.value for m in enum}, "labels for values that no longer exist"


@pytest.mark.parametrize("enum", DOMAIN_ENUMS, ids=lambda e: e.__name__)
def test_labels_are_distinct_within_an_enum(enum: type[StrEnum]) -> None:
    assert len({label(m) for m in enum}) == len(enum)
    assert len({label(m, "en") for m in enum}) == len(enum)


def test_same_value_in_two_enums_keeps_its_own_label() -> None:
    assert domain.EventKind.FOLLOW_UP == domain.DeadlineKind.FOLLOW_UP  # StrEnum values compare equal
    assert label(domain.Status.DITUNDA) == "Ditunda"
    assert label(domain.EventKind.ARCHIVED, "en") == "Archived"
    assert label(domain.Role.PETUGAS_LOKET) == "Petugas loket"


def test_label_of_a_plain_string_is_refused() -> None:
    with pytest.raises((KeyError, AttributeError)):
        label("BELUM_TERVERIFIKASI")  # type: ignore[arg-type]
