"""Kemendagri regions (province → regency/city → district → village): the bundled list, install and search."""

from __future__ import annotations

import csv
import functools
import gzip
import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple, cast

from sqlalchemy import Table, case, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from app.models.reference import Region
from app.resources import resource_path

_CODE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_INSERT_CHUNK = 10_000

# Leading words that name a region's type rather than the region: "Kab. Bantul", "Kota Administrasi Jakarta".
_TYPE_WORDS = {
    "kab": "kabupaten",
    "kabupaten": "kabupaten",
    "kota": "kota",
    "kotamadya": "kota",
    "kodya": "kota",
    "kotif": "kota",
}
_OTHER_PREFIX_WORDS = frozenset(
    {"administrasi", "adm", "prov", "provinsi", "kec", "kecamatan", "distrik", "kel", "kelurahan", "desa"}
)
_REGENCY_PREFIXES = ("kabupaten ", "kota ", "kabupaten administrasi ", "kota administrasi ")


class RegionRow(NamedTuple):
    """One region: dotted ``code``, official ``name``, ``level`` 1 province … 4 village, ``parent_code``."""

    code: str
    name: str
    level: int
    parent_code: str | None


def level_of(code: str) -> int:
    """1 for a province code ("34"), 2 regency/city, 3 district, 4 village ("34.04.01.2001")."""
    return code.count(".") + 1


def parent_of(code: str) -> str | None:
    """The code one level up, or None for a province."""
    return code.rsplit(".", 1)[0] if "." in code else None


def is_region_code_format(code: str) -> bool:
    """True if ``code`` has the dotted shape of a region code (not whether it exists)."""
    return _CODE.fullmatch(code) is not None


def iter_regions() -> Iterator[RegionRow]:
    """Every bundled region in code order, read from resources/reference/wilayah.csv.gz."""
    with gzip.open(resource_path("reference", "wilayah.csv.gz"), "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)  # header: code,name
        for code, name in reader:
            yield RegionRow(code, name, level_of(code), parent_of(code))


@functools.cache
def all_region_codes() -> frozenset[str]:
    """Every dotted region code of the bundled list (for existence checks without a database)."""
    return frozenset(row.code for row in iter_regions())


@functools.cache
def _names_above_villages() -> dict[str, str]:
    return {row.code: row.name for row in iter_regions() if row.level < 4}


def region_name(code: str) -> str | None:
    """The name of a province, regency/city or district without a database (the server has no regions table)."""
    return _names_above_villages().get(code)


@functools.cache
def district_codes() -> frozenset[str]:
    """The 6-digit undotted district (kecamatan) codes, e.g. "340401": the first six digits of a valid NIK."""
    return frozenset(code.replace(".", "") for code in all_region_codes() if code.count(".") == 2)


def fold(text: str) -> str:
    """Fold a name for matching: lowercase, no diacritics, apostrophes dropped, other punctuation to spaces.

    Apostrophes join rather than split ("Pu'uk" → "puuk") because people type such names both ways.
    """
    lowered = text.casefold()
    if not lowered.isascii():
        decomposed = unicodedata.normalize("NFKD", lowered)
        lowered = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", lowered)).strip()


def regency_code4(code: str) -> str:
    """The first four undotted digits of a region code; province "51" gives "5100" (for tracking codes)."""
    if not is_region_code_format(code):
        raise ValueError(f"not a region code: {code!r}")
    return code.replace(".", "")[:4].ljust(4, "0")


def install_regions(session: Session) -> int:
    """Fill the empty ``regions`` table from the bundled list; return the rows inserted (0 if already filled).

    Runs inside the caller's transaction and does not commit.
    """
    if session.scalar(select(Region.code).limit(1)) is not None:
        return 0
    # A Core insert on the table: executemany without the ORM's per-row bookkeeping (about twice as fast).
    table_insert = insert(cast(Table, Region.__table__))
    total = 0
    chunk: list[dict[str, object]] = []
    for row in iter_regions():
        chunk.append(dict(row._asdict(), name_folded=fold(row.name)))
        if len(chunk) >= _INSERT_CHUNK:
            session.execute(table_insert, chunk)
            total += len(chunk)
            chunk = []
    if chunk:
        session.execute(table_insert, chunk)
        total += len(chunk)
    return total


def _split_query(folded: str) -> tuple[str | None, str]:
    """Split a folded query into its regency type word (canonical, if any) and the name part."""
    words = folded.split()
    type_word: str | None = None
    while words and (words[0] in _TYPE_WORDS or words[0] in _OTHER_PREFIX_WORDS):
        type_word = type_word or _TYPE_WORDS.get(words[0])
        words.pop(0)
    core = " ".join(words)
    return type_word, core or folded


def search_regions(
    session: Session,
    text: str,
    *,
    level: int | None = None,
    parent_code: str | None = None,
    limit: int = 20,
) -> list[RegionRow]:
    """Regions whose folded name matches ``text``: prefix matches first, then word starts, then contains.

    Type words in the query ("Kab.", "Kabupaten", "Kota", "Kotamadya", "Kecamatan", "Desa" …) are not required
    to match, but "kota bandung" ranks Kota Bandung above Kabupaten Bandung. ``parent_code`` keeps regions
    under that code (any depth; combine with ``level`` for direct children). An empty ``text`` lists regions
    in code order. Ties are ordered by level (provinces first), then name.
    """
    conditions = []
    if level is not None:
        conditions.append(Region.level == level)
    if parent_code:
        conditions.append(Region.code.like(f"{parent_code}.%"))
    folded = fold(text)
    columns = (Region.code, Region.name, Region.level, Region.parent_code)
    if not folded:
        stmt = select(*columns).where(*conditions).order_by(Region.code).limit(limit)
        return [RegionRow(*row) for row in session.execute(stmt)]

    type_word, core = _split_query(folded)
    name = Region.name_folded
    prefix_any = or_(name.like(f"{core}%"), *(name.like(f"{p}{core}%") for p in _REGENCY_PREFIXES))
    if type_word:
        preferred = or_(
            name.like(f"{folded}%"),
            name.like(f"{type_word} {core}%"),
            name.like(f"{type_word} administrasi {core}%"),
        )
    else:
        preferred = prefix_any
    rank = case(
        (preferred, literal(0)),
        (prefix_any, literal(1)),
        (name.like(f"% {core}%"), literal(2)),
        else_=literal(3),
    )
    stmt = (
        select(*columns)
        .where(*conditions, name.like(f"%{core}%"))
        .order_by(rank, Region.level, name, Region.code)
        .limit(limit)
    )
    return [RegionRow(*row) for row in session.execute(stmt)]


def get_region(session: Session, code: str) -> RegionRow | None:
    """The region with this dotted code, or None."""
    row = session.execute(
        select(Region.code, Region.name, Region.level, Region.parent_code).where(Region.code == code)
    ).first()
    return RegionRow(*row) if row else None


def region_path(session: Session, code: str) -> list[RegionRow]:
    """The chain province → … → ``code`` (empty if the code is unknown)."""
    if not is_region_code_format(code):
        return []
    parts = code.split(".")
    chain = [".".join(parts[: i + 1]) for i in range(len(parts))]
    stmt = (
        select(Region.code, Region.name, Region.level, Region.parent_code)
        .where(Region.code.in_(chain))
        .order_by(Region.level)
    )
    rows = [RegionRow(*row) for row in session.execute(stmt)]
    return rows if rows and rows[-1].code == code else []


def count_regions(session: Session) -> int:
    """How many regions the local table holds."""
    return session.scalar(select(func.count()).select_from(Region)) or 0


# The region picker's look-ups (ui/intake/region_picker.py): one level's list under a parent, and the lists along a
# code's path, so a picker can show a chosen village with its province, regency and district lists filled at once.

def region_children(session: Session, parent_code: str | None) -> list[RegionRow]:
    """The regions one level under ``parent_code`` (the provinces for None), by name."""
    columns = (Region.code, Region.name, Region.level, Region.parent_code)
    if parent_code is None:
        stmt = select(*columns).where(Region.level == 1)
    else:
        stmt = select(*columns).where(Region.parent_code == parent_code)
    return sorted((RegionRow(*row) for row in session.execute(stmt)), key=lambda r: (fold(r.name), r.code))


def region_lists_along(session: Session, code: str | None) -> dict[str | None, list[RegionRow]]:
    """Parent code (None for the provinces) → its children, for every level down to ``code``'s own children
    (none below a village). An unknown or malformed ``code`` gives the provinces only."""
    lists: dict[str | None, list[RegionRow]] = {None: region_children(session, None)}
    if not code or not is_region_code_format(code):
        return lists
    parts = code.split(".")
    for depth in range(1, min(len(parts), 3) + 1):
        parent = ".".join(parts[:depth])
        children = region_children(session, parent)
        if not children:
            break
        lists[parent] = children
    return lists


def normalise_region_code(text: str) -> str | None:
    """A typed region code in dotted form ("3404072005" or "34.04.07.2005" → "34.04.07.2005"), or None when the
    text is not shaped like one (a name, for instance). Whether the region exists is not checked."""
    compact = "".join(text.split())
    if compact.isascii() and compact.isdigit() and len(compact) in (2, 4, 6, 10):
        compact = ".".join(p for p in (compact[:2], compact[2:4], compact[4:6], compact[6:]) if p)
    return compact if is_region_code_format(compact) else None
