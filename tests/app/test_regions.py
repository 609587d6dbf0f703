"""The bundled Kemendagri region list: counts, tree shape, folding, install into SQLite and name search."""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import Base, Region
from app.reference.regions import (
    RegionRow,
    all_region_codes,
    district_codes,
    fold,
    get_region,
    install_regions,
    iter_regions,
    regency_code4,
    region_path,
    search_regions,
)
from app.resources import resource_path

# Kepmendagri No 300.2.2-2138 Tahun 2025, as bundled (tools/build_wilayah.py prints the same numbers).
EXPECTED_COUNTS = {1: 38, 2: 514, 3: 7285, 4: 83762}


@pytest.fixture(scope="module")
def regions_session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        assert install_regions(session) == sum(EXPECTED_COUNTS.values())
        session.commit()
        yield session
    engine.dispose()


def test_counts_per_level_match_the_2025_edition() -> None:
    counts = Counter(row.level for row in iter_regions())
    assert dict(counts) == EXPECTED_COUNTS


def test_rows_are_sorted_unique_and_every_parent_exists() -> None:
    rows = list(iter_regions())
    codes = [row.code for row in rows]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    known = set(codes)
    for row in rows:
        assert (row.parent_code is None) == (row.level == 1)
        assert row.parent_code is None or row.parent_code in known
        assert row.name and row.name == row.name.strip()


def test_resource_is_utf8_csv_with_header_and_escaped_quotes_undone() -> None:
    with gzip.open(resource_path("reference", "wilayah.csv.gz"), "rt", encoding="utf-8") as fh:
        assert fh.readline().strip() == "code,name"
    names = {row.code: row.name for row in iter_regions()}
    assert names["34"] == "Daerah Istimewa Yogyakarta"
    assert names["34.04"] == "Kabupaten Sleman"
    assert names["11.01.02.2018"] == "Pasi Kuala Ba'u"  # '' in the SQL dump
    assert names["12.07.28.1007"] == "Lubuk Pakam I,II"  # a comma survives the CSV round trip


def test_licence_with_attribution_is_bundled() -> None:
    text = resource_path("reference", "WILAYAH-LICENSE.txt").read_text(encoding="utf-8")
    assert "github.com/cahyadsn/wilayah" in text
    assert "300.2.2-2138" in text
    assert "MIT License" in text and "Permission is hereby granted" in text


def test_district_codes_are_six_undotted_digits() -> None:
    codes = district_codes()
    assert len(codes) == EXPECTED_COUNTS[3]
    assert "340401" in codes  # Gamping, Sleman
    assert "650101" in codes  # Kalimantan Utara
    assert "3404" not in codes and "34.04.01" not in codes
    assert all(len(code) == 6 and code.isdigit() for code in codes)


def test_all_region_codes_is_dotted_and_complete() -> None:
    codes = all_region_codes()
    assert len(codes) == sum(EXPECTED_COUNTS.values())
    assert {"34", "34.04", "34.04.01", "34.04.01.2001"} <= codes


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kabupaten  Sleman", "kabupaten sleman"),
        ("Pasi Kuala Ba'u", "pasi kuala bau"),
        ("Regapu’u", "regapuu"),
        ("Lubuk Pakam I,II", "lubuk pakam i ii"),
        ("Kab. Bantul", "kab bantul"),
        ("Bélo-Bélo", "belo belo"),
        ("  TANJUNG\tPRIOK ", "tanjung priok"),
        ("", ""),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("code", "code4"),
    [("51", "5100"), ("34.04", "3404"), ("34.04.01", "3404"), ("34.04.01.2001", "3404"), ("96.71", "9671")],
)
def test_regency_code4(code: str, code4: str) -> None:
    assert regency_code4(code) == code4


@pytest.mark.parametrize("bad", ["", "5", "3404", "34.4", "34.04.01.201", "ab"])
def test_regency_code4_rejects_malformed_codes(bad: str) -> None:
    with pytest.raises(ValueError):
        regency_code4(bad)


def test_install_fills_every_row_with_folded_names(regions_session: Session) -> None:
    sleman = regions_session.get(Region, "34.04")
    assert sleman is not None
    assert (sleman.name, sleman.level, sleman.parent_code, sleman.name_folded) == (
        "Kabupaten Sleman",
        2,
        "34",
        "kabupaten sleman",
    )
    village = regions_session.get(Region, "11.01.02.2018")
    assert village is not None and village.name_folded == "pasi kuala bau"


def test_install_is_a_no_op_when_regions_exist(regions_session: Session) -> None:
    assert install_regions(regions_session) == 0


def test_get_region_and_path(regions_session: Session) -> None:
    assert get_region(regions_session, "34.04") == RegionRow("34.04", "Kabupaten Sleman", 2, "34")
    assert get_region(regions_session, "99.99") is None
    path = region_path(regions_session, "34.04.01.2001")
    assert [row.code for row in path] == ["34", "34.04", "34.04.01", "34.04.01.2001"]
    assert [row.level for row in path] == [1, 2, 3, 4]
    assert region_path(regions_session, "34") == [RegionRow("34", "Daerah Istimewa Yogyakarta", 1, None)]
    assert region_path(regions_session, "34.04.99") == []
    assert region_path(regions_session, "not a code") == []


def _codes(rows: list[RegionRow]) -> list[str]:
    return [row.code for row in rows]


def test_search_puts_regencies_before_districts_and_villages(regions_session: Session) -> None:
    rows = search_regions(regions_session, "sleman")
    assert rows[0].code == "34.04"
    assert "34.04.13" in _codes(rows)  # the district Sleman
    assert all("sleman" in fold(row.name) for row in rows)


def test_search_type_words_rank_but_do_not_filter(regions_session: Session) -> None:
    assert _codes(search_regions(regions_session, "Kota Bandung", level=2))[:2] == ["32.73", "32.04"]
    assert _codes(search_regions(regions_session, "kab. bandung", level=2))[0] == "32.04"
    assert _codes(search_regions(regions_session, "Kabupaten Bantul", limit=1)) == ["34.02"]
    assert _codes(search_regions(regions_session, "jakarta selatan", level=2)) == ["31.74"]
    assert "31.01" in _codes(search_regions(regions_session, "kepulauan seribu", level=2))


def test_search_finds_a_district_whose_name_starts_with_kota(regions_session: Session) -> None:
    rows = search_regions(regions_session, "kota agung", level=3)
    assert [row.name for row in rows[:4]] == [
        "Kota Agung",
        "Kota Agung",
        "Kota Agung Barat",
        "Kota Agung Timur",
    ]
    assert "18.06.01" in _codes(rows)
    assert any(row.name == "Banjar Agung" for row in rows)  # "kota" ranks, it does not filter


def test_search_prefix_before_contains(regions_session: Session) -> None:
    rows = search_regions(regions_session, "yogya", level=2)
    assert _codes(rows) == ["34.71"]
    provinces = search_regions(regions_session, "yogya", level=1)
    assert _codes(provinces) == ["34"]  # "Daerah Istimewa Yogyakarta": a contains match
    mixed = search_regions(regions_session, "papua", level=1)
    assert mixed[0].name == "Papua"
    assert {row.code for row in mixed} == {"91", "92", "93", "94", "95", "96"}


def test_search_ignores_apostrophes_and_case(regions_session: Session) -> None:
    assert "11.01.02.2018" in _codes(search_regions(regions_session, "PASI KUALA BA'U"))
    assert "11.01.02.2018" in _codes(search_regions(regions_session, "pasi kuala bau"))


def test_search_within_parent_and_limit(regions_session: Session) -> None:
    rows = search_regions(regions_session, "", level=2, parent_code="34")
    assert _codes(rows) == ["34.01", "34.02", "34.03", "34.04", "34.71"]
    under_sleman = search_regions(regions_session, "sari", parent_code="34.04", limit=500)
    assert under_sleman and all(row.code.startswith("34.04.") for row in under_sleman)
    assert len(search_regions(regions_session, "a", limit=7)) == 7


def test_search_with_no_match_is_empty(regions_session: Session) -> None:
    assert search_regions(regions_session, "qqqxxzz") == []
    count = regions_session.scalar(select(Region.code).where(Region.name_folded.like("%qqqxxzz%")))
    assert count is None


def test_build_tool_parses_the_dump_and_writes_deterministic_gzip(tmp_path: Path) -> None:
    from tools.build_wilayah import check_tree, parse_rows, write_csv_gz

    dump = (
        "INSERT INTO wilayah (kode, nama)\r\nVALUES\r\n('11','Aceh'),\r\n"
        "('11.01.02.2018','Pasi Kuala Ba''u'),\r\n('11.01','Kabupaten  Aceh Selatan'),\r\n"
        "('11.01.02','Kluet Utara');\r\n"
    )
    rows = parse_rows(dump)
    assert rows == [
        ("11", "Aceh"),
        ("11.01", "Kabupaten Aceh Selatan"),
        ("11.01.02", "Kluet Utara"),
        ("11.01.02.2018", "Pasi Kuala Ba'u"),
    ]
    check_tree(rows)
    with pytest.raises(ValueError):
        check_tree([("11.01", "Orphan")])
    first, second = tmp_path / "a.csv.gz", tmp_path / "b.csv.gz"
    write_csv_gz(rows, first)
    write_csv_gz(rows, second)
    assert first.read_bytes() == second.read_bytes()
    assert gzip.decompress(first.read_bytes()).decode("utf-8").splitlines()[0] == "code,name"
