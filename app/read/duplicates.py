"""Likely duplicates of a complaint being taken in: the office's complaints of the last 30 days from the same reporter
(the same NIK or phone number) or with much the same words in the same village. Shown to the officer, who decides;
nothing is merged here.

Only the last 30 days are read (the office's received-at index), and of them only the rows with the same NIK, phone
or village, so the check stays quick on a large store whatever the office's history; NIK and phone are compared in
the stored form intake writes (app.rules.validation).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.inputs import IntakeInput
from app.models import Complaint, Reporter
from app.rules import validation
from app.rules.typed_text import normalise

WINDOW = timedelta(days=30)
SIMILAR = 0.5  # share of the two texts' distinct words they have in common (Jaccard), for "much the same words"
VILLAGE_CODE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
# Words every complaint uses: they say nothing about whether two complaints are the same.
_COMMON = frozenset({
    "yang", "dan", "di", "ke", "dari", "untuk", "dengan", "ini", "itu", "ada", "tidak", "sudah", "belum", "akan",
    "dalam", "pada", "oleh", "atau", "juga", "sangat", "mohon", "tolong", "kami", "saya", "warga", "kepada", "bapak",
    "ibu", "agar", "segera", "karena", "sejak", "hari", "minggu", "bulan", "tahun", "setiap", "sekitar", "depan",
    "jalan",
})


@dataclass(frozen=True)
class LikelyDuplicate:
    complaint_id: str
    tracking_code: str
    title: str
    status: str
    received_at: datetime
    reasons: tuple[str, ...]  # "nik", "phone", "text": why it looks like the same complaint


def words(text: str) -> frozenset[str]:
    """The distinct telling words of a text: letters only, three or more, lower case, common ones left out."""
    return frozenset(w for w in _WORD.findall(normalise(text).lower()) if w not in _COMMON)


def similarity(a: Iterable[str], b: Iterable[str]) -> float:
    left, right = set(a), set(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def _stored(check: Callable[[str], str], value: str | None) -> str | None:
    """``value`` as intake stores it (validation's normal form), or None when it is empty or not valid."""
    if not value or not value.strip():
        return None
    try:
        return check(value)
    except validation.FieldInvalid:
        return None


def likely_duplicates(session: Session, office_id: str, inp: IntakeInput, now: datetime, *,
                      limit: int = 5) -> list[LikelyDuplicate]:
    """The office's complaints received in the 30 days before ``now`` that look like ``inp``: the same reporter's
    NIK or phone, or (in the same village) a text sharing at least half its telling words. Most reasons first, then
    the newest; at most ``limit``."""
    reporter = inp.reporter
    nik = _stored(validation.nik, reporter.nik) if reporter else None
    phone = _stored(validation.phone, reporter.phone) if reporter else None
    village = inp.region_code.strip() if inp.region_code and VILLAGE_CODE.match(inp.region_code.strip()) else None
    if nik is None and phone is None and village is None:
        return []
    mine = words(f"{inp.title} {inp.description}")
    rows = session.execute(
        select(Complaint.id, Complaint.tracking_code, Complaint.title, Complaint.description, Complaint.status,
               Complaint.received_at, Complaint.region_code, Reporter.nik, Reporter.phone)
        .outerjoin(Reporter, Reporter.id == Complaint.reporter_id)
        .where(Complaint.office_id == office_id, Complaint.received_at >= now - WINDOW,
               Complaint.received_at <= now,
               or_(*[condition for value, condition in ((nik, Reporter.nik == nik), (phone, Reporter.phone == phone),
                                                         (village, Complaint.region_code == village))
                     if value is not None]))
    ).all()
    found: list[LikelyDuplicate] = []
    for cid, code, title, description, status, received_at, region, their_nik, their_phone in rows:
        reasons = []
        if nik is not None and their_nik == nik:
            reasons.append("nik")
        if phone is not None and their_phone == phone:
            reasons.append("phone")
        if village is not None and region == village and similarity(mine, words(f"{title} {description}")) >= SIMILAR:
            reasons.append("text")
        if reasons:
            found.append(LikelyDuplicate(cid, code, title, status, received_at, tuple(reasons)))
    found.sort(key=lambda d: (-len(d.reasons), -d.received_at.timestamp()))
    return found[:limit]
