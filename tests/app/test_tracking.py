"""Tracking codes: shape, round trip, forgiving look-up, the Damm check digit's guarantees, uniqueness across
devices, and look-up in the store (a mistyped code is told apart from an unknown one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import Role
from app.errors import MistypedCode, NotFound
from app.models import Complaint
from app.read import queries
from app.rules import tracking
from tests.helpers.world import World

DIGITS = "0123456789"
regions = st.text(alphabet=DIGITS, min_size=4, max_size=4)
devices = st.integers(min_value=0, max_value=999)
seqs = st.integers(min_value=1, max_value=10**10)
PROPERTY = settings(max_examples=100, deadline=None)  # no deadline: timing is not under test


def test_make_code_shape() -> None:
    code = tracking.make_code("3404", 12, 123)
    assert re.fullmatch(r"3404-012-000123-\d", code)
    assert tracking.parse(code) == tracking.TrackingCode("3404", 12, 123)


def test_long_sequences_grow_the_code() -> None:
    code = tracking.make_code("3404", 7, 12_345_678)
    assert re.fullmatch(r"3404-007-12345678-\d", code)
    assert tracking.parse(code).seq == 12_345_678


@pytest.mark.parametrize(
    ("region", "device", "seq"),
    [("340", 1, 1), ("34.04", 1, 1), ("34a4", 1, 1), ("3404", -1, 1), ("3404", 1000, 1), ("3404", 1, 0)],
)
def test_make_code_refuses_bad_parts(region: str, device: int, seq: int) -> None:
    with pytest.raises(ValueError):
        tracking.make_code(region, device, seq)


@given(regions, devices, seqs)
@PROPERTY
def test_round_trip(region: str, device: int, seq: int) -> None:
    code = tracking.make_code(region, device, seq)
    parsed = tracking.parse(code)
    assert (parsed.region, parsed.device, parsed.seq) == (region, device, seq)
    assert str(parsed) == code


def test_parse_ignores_case_spaces_and_dashes() -> None:
    code = tracking.make_code("3404", 912, 42)
    compact = code.replace("-", "")
    for typed in (
        compact,
        code.replace("-", " "),
        f"  {code}  ",
        code.replace("-", "."),
        code.replace("-", " - "),
        " ".join(compact),
        code.lower(),
        code.replace("-", "\t"),
    ):
        assert str(tracking.parse(typed)) == code, typed


def test_parse_reads_full_width_and_other_scripts() -> None:
    """Typed with an IME (full-width), on an Arabic keyboard, or pasted from a word processor (en dash)."""
    code = tracking.make_code("3404", 912, 42)
    full_width = code.translate({ord(c): 0xFF10 + int(c) for c in DIGITS} | {ord("-"): "\uff0d"})
    arabic = code.translate({ord(c): 0x0660 + int(c) for c in DIGITS})
    for typed in (full_width, full_width.replace("\uff0d", "\u3000"), arabic, code.replace("-", "\u2013"),
                  code.replace("-", "\u2212")):
        assert str(tracking.parse(typed)) == code, typed
        assert tracking.looks_like_code(typed), typed
        assert tracking.compact(typed) == code.replace("-", ""), typed


@pytest.mark.parametrize("typed", ["", "abc", "3404-912-00004", "3404-912-0000A2-1", "3404x912000042",
                                   "3404-912-000042-\U00010a40"])
def test_parse_refuses_what_is_not_a_code(typed: str) -> None:
    with pytest.raises(MistypedCode):
        tracking.parse(typed)


@given(regions, devices, seqs, st.data())
@PROPERTY
def test_every_single_digit_substitution_is_caught(
    region: str, device: int, seq: int, data: st.DataObject
) -> None:
    compact = tracking.compact(tracking.make_code(region, device, seq))
    for i, original in enumerate(compact):
        for other in DIGITS:
            if other == original:
                continue
            typo = compact[:i] + other + compact[i + 1:]
            with pytest.raises(MistypedCode):
                tracking.parse(typo)
    # Also through the display form a person reads from the receipt.
    i = data.draw(st.integers(min_value=0, max_value=len(compact) - 1))
    other = data.draw(st.sampled_from([d for d in DIGITS if d != compact[i]]))
    with pytest.raises(MistypedCode):
        tracking.parse(tracking.format_code(compact[:i] + other + compact[i + 1:]))


@given(regions, devices, seqs)
@PROPERTY
def test_every_adjacent_transposition_is_caught(region: str, device: int, seq: int) -> None:
    compact = tracking.compact(tracking.make_code(region, device, seq))
    swaps = 0
    for i in range(len(compact) - 1):
        a, b = compact[i], compact[i + 1]
        if a == b:
            continue
        swaps += 1
        with pytest.raises(MistypedCode):
            tracking.parse(compact[:i] + b + a + compact[i + 2:])
    assert swaps > 0 or len(set(compact)) == 1


@given(regions, devices, seqs, regions, devices, seqs)
@PROPERTY
def test_codes_never_collide(r1: str, d1: int, s1: int, r2: str, d2: int, s2: int) -> None:
    a, b = tracking.make_code(r1, d1, s1), tracking.make_code(r2, d2, s2)
    if (r1, d1, s1) != (r2, d2, s2):
        assert a != b
        assert tracking.compact(a) != tracking.compact(b)  # also after separators are dropped
    else:
        assert a == b


@given(
    st.lists(st.tuples(st.sampled_from(["3404", "3471", "5103"]), st.integers(0, 3)), min_size=2, max_size=4,
             unique=True),
    st.integers(1, 50),
)
@settings(max_examples=50, deadline=None)
def test_devices_issuing_sequences_side_by_side_never_collide(pairs: list[tuple[str, int]], n: int) -> None:
    codes = [tracking.make_code(region, device, seq) for region, device in pairs for seq in range(1, n + 1)]
    assert len(set(codes)) == len(codes)
    assert len({tracking.compact(c) for c in codes}) == len(codes)


def _code_of(world: World, cid: str) -> str:
    with world.store.read() as s:
        c = s.get(Complaint, cid)
        assert c is not None
        return c.tracking_code


def test_find_by_code_forgives_spacing(world: World) -> None:
    cid = world.new_complaint()
    code = _code_of(world, cid)
    full_width = code.translate({ord(c): 0xFF10 + int(c) for c in DIGITS} | {ord("-"): "\uff0d"})
    with world.store.read() as s:
        for typed in (code, code.replace("-", ""), code.replace("-", " "), f" {code.lower()} ", full_width):
            assert queries.find_by_code(s, typed) == cid
            assert queries.find_by_code(s, typed, world.office_id) == cid


def test_find_by_code_mistyped_and_unknown_are_different_errors(world: World) -> None:
    cid = world.new_complaint()
    code = tracking.compact(_code_of(world, cid))
    typo = code[:-2] + str((int(code[-2]) + 1) % 10) + code[-1]
    parsed = tracking.parse(code)
    unknown = tracking.make_code(parsed.region, parsed.device, parsed.seq + 1)
    with world.store.read() as s:
        with pytest.raises(MistypedCode) as mistyped:
            queries.find_by_code(s, typo)
        with pytest.raises(NotFound) as missing:
            queries.find_by_code(s, unknown)
        assert not isinstance(mistyped.value, NotFound)
        assert mistyped.value.message != missing.value.message
        assert "salah ketik" in mistyped.value.message.id and "mistyped" in mistyped.value.message.en
        assert unknown in missing.value.message.id and unknown in missing.value.message.en


def test_find_by_code_is_scoped_to_the_office_when_asked(world: World) -> None:
    cid = world.new_complaint()
    code = _code_of(world, cid)
    with world.store.read() as s, pytest.raises(NotFound):
        queries.find_by_code(s, code, world.other_office_id)


def test_intake_codes_carry_the_office_region_and_a_rising_sequence(world: World) -> None:
    ids = [world.new_complaint(by=role) for role in (Role.PETUGAS_LOKET, Role.ADMIN_INSTANSI)]
    codes = [_code_of(world, cid) for cid in ids]
    first, second = (tracking.parse(c) for c in codes)
    assert first.region == second.region == "3404"  # Kabupaten Sleman, 34.04
    assert first.device == second.device
    assert second.seq == first.seq + 1


def test_the_examples_people_read_are_valid_codes() -> None:
    """The codes shown as examples (help, messages, placeholders, README) pass their own check digit: a person who
    types one to try the look-up gets "not found", not "mistyped"."""
    root = Path(__file__).resolve().parents[2]
    shown = [root / p for p in ("README.md", "app/rules/tracking.py", "ui/counter/lookup.py", "server/api/public.py",
                                "server/templates/status/form.html", "ui/complaints/header.py")]
    examples = {m for path in shown for m in re.findall(r"\b\d{4}-\d{3}-\d{6}-\d\b", path.read_text(encoding="utf-8"))}
    assert len(examples) >= 3, examples
    for code in sorted(examples):
        tracking.parse(code)  # raises MistypedCode for a wrong check digit
