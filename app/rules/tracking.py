"""Tracking codes made offline: region + device + per-device sequence + a Damm check digit.

``3404-012-000123-1`` reads as: regency 34.04 (Sleman), device 012 of that office, complaint 123 of that device,
check digit 1. Codes are unique without asking the server because the device number is handed out at enrolment
and the sequence is per device. The Damm check digit catches every single-digit error and every transposition of
adjacent digits, so a mistyped code is told apart from an unknown one. Look-up ignores case, spaces and dashes, and
reads full-width and other scripts' digits (an IME, a pasted text) as ASCII.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import damm

from app.errors import Message, MistypedCode
from app.rules.typed_text import normalise

REGION_DIGITS = 4
DEVICE_DIGITS = 3
SEQ_MIN_DIGITS = 6
MIN_LENGTH = REGION_DIGITS + DEVICE_DIGITS + SEQ_MIN_DIGITS + 1
NATIONAL_DEVICE = 0  # codes made by the national server itself
_SEPARATORS = re.compile(r"[\s\-./_\u2010-\u2015\u2212]+")  # with the dashes a word processor makes


@dataclass(frozen=True)
class TrackingCode:
    region: str
    device: int
    seq: int

    @property
    def compact(self) -> str:
        body = f"{self.region}{self.device:0{DEVICE_DIGITS}d}{self.seq:0{SEQ_MIN_DIGITS}d}"
        return body + damm.calc_check_digit(body)

    def __str__(self) -> str:
        return format_code(self.compact)


def make_code(region4: str, device: int, seq: int) -> str:
    """The display form of a new code."""
    if not (len(region4) == REGION_DIGITS and region4.isdigit()):
        raise ValueError(f"region must be {REGION_DIGITS} digits: {region4!r}")
    if not 0 <= device < 10**DEVICE_DIGITS:
        raise ValueError(f"device number out of range: {device}")
    if seq < 1:
        raise ValueError("sequence starts at 1")
    return str(TrackingCode(region4, device, seq))


def compact(text: str) -> str:
    """Strip spaces, dashes, dots; fold full-width and non-ASCII digits; upper-case (codes are digits, but people
    type what they type)."""
    return _SEPARATORS.sub("", normalise(text)).upper()


def format_code(compact_code: str) -> str:
    r, d = REGION_DIGITS, REGION_DIGITS + DEVICE_DIGITS
    return f"{compact_code[:r]}-{compact_code[r:d]}-{compact_code[d:-1]}-{compact_code[-1]}"


def looks_like_code(text: str) -> bool:
    c = compact(text)
    return c.isascii() and c.isdigit() and len(c) >= MIN_LENGTH


def parse(text: str) -> TrackingCode:
    """Parse a typed code; raise :class:`MistypedCode` if its shape or check digit is wrong."""
    c = compact(text)
    if not (c.isascii() and c.isdigit()) or len(c) < MIN_LENGTH:
        raise MistypedCode(
            Message(
                f"Kode pelacakan harus berupa {MIN_LENGTH} digit atau lebih, misalnya 3404-012-000123-1.",
                f"A tracking code has {MIN_LENGTH} or more digits, for example 3404-012-000123-1.",
            )
        )
    if not damm.is_valid(c):
        raise MistypedCode(
            Message(
                "Kode pelacakan salah ketik: digit pemeriksanya tidak cocok. Periksa kembali kode pada tanda terima.",
                "The tracking code is mistyped: its check digit does not match. Check the code on the receipt.",
            )
        )
    r, d = REGION_DIGITS, REGION_DIGITS + DEVICE_DIGITS
    return TrackingCode(c[:r], int(c[r:d]), int(c[d:-1]))
