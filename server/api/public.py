"""The citizen's status page: ``GET /cek/{code}?pin=`` (HTML for a phone, no scripts; what the receipt's QR code
opens), the form at ``GET /cek``, and the same answer as JSON at ``GET /api/v1/public/status/{code}?pin=``.

Tracking codes are sequential per device, so a code alone shows nothing: the complaint appears only with its status
PIN (app.rules.citizen_view, which also decides what a citizen may see). Every answer is one state, decided so that
no answer tells whether a particular complaint exists: ``found`` (code and PIN match), ``pin_required``,
``mistyped`` (shape or check digit), ``not_received_yet`` (the PC that made the code has not sent that many
intakes yet: ``Device.tracking_high``), ``unknown`` (everything else, a wrong PIN included).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, PackageLoader
from markupsafe import Markup
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from starlette.convertors import PathConvertor, register_url_convertor

from app.domain import Status
from app.errors import Message, MistypedCode
from app.reference.regions import regency_code4
from app.rules import tracking
from app.rules.citizen_view import PIN_LENGTH, CitizenStatus, citizen_status, event_fact, normalise_pin, pin_matches
from app.timeutil import OFFICE_ZONES, as_utc, zone
from server.api.deps import ServerContext, ctx
from server.models import Complaint, Device, Office, TimelineEvent

log = logging.getLogger(__name__)
router = APIRouter(tags=["public"])


class _AnyText(PathConvertor):
    """Everything after the prefix, slashes and line breaks too (``path``'s ``.*`` stops at a newline, and a code
    with one would get a bare 404 instead of the page saying to check the code)."""

    regex = r"[\s\S]*"


register_url_convertor("anytext", _AnyText())

State = Literal["form", "found", "pin_required", "mistyped", "not_received_yet", "unknown", "rate_limited", "busy"]
MAX_CODE_CHARS = 64  # a code is 14–20 characters with its dashes; anything longer is not one
MAX_PIN_CHARS = 32
RATE_KEY = "public-status:"
DEFAULT_ZONE = "Asia/Jakarta"  # a national complaint not yet routed to an office
ZONE_LABELS = {iana: label for label, iana in OFFICE_ZONES.items()}
ZONE_NAMES = {"WIB": "Waktu Indonesia Barat", "WITA": "Waktu Indonesia Tengah", "WIT": "Waktu Indonesia Timur"}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
_TONES: dict[str, str] = {Status.SELESAI: "done", Status.DITUNDA: "you", Status.DIARSIPKAN: "other",
                          Status.BUKAN_WEWENANG: "other"}

_templates = Environment(loader=PackageLoader("server", "templates"), autoescape=True, trim_blocks=True,
                         lstrip_blocks=True)
_CSS = _templates.loader.get_source(_templates, "status/status.css")[0]  # type: ignore[union-attr]
_CSS_HASH = base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()
# No scripts, no images, nothing from elsewhere: the one inline style block is allowed by its hash.
PAGE_CSP = (f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")
_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
            "X-Robots-Tag": "noindex"}


@dataclass(frozen=True)
class Answer:
    state: State
    http_status: int
    title: Message
    message: Message
    code: str | None = None  # display form, once the code is well-formed
    view: CitizenStatus | None = None
    tz: str = DEFAULT_ZONE
    more: tuple[Message, ...] = ()
    refill: tuple[str, str] = ("", "")  # what the form shows again: only what looks like a code and a PIN
    headers: dict[str, str] = field(default_factory=dict)


_FORM = Answer("form", 200, Message("Cek status laporan", "Check a complaint's status"),
               Message("Masukkan kode pelacakan dan PIN dari tanda terima.",
                       "Enter the tracking code and PIN from the receipt."))


def _mistyped(typed_code: str, refill: tuple[str, str]) -> Answer:
    """A code the tracking rules refuse, in words for a citizen (the parser's own message speaks to staff)."""
    digits = tracking.compact(typed_code) if len(typed_code) <= MAX_CODE_CHARS else ""
    if digits.isascii() and digits.isdigit() and tracking.MIN_LENGTH <= len(digits) <= MAX_CODE_CHARS:
        detail = Message("Kode ini tidak valid: kemungkinan ada angka yang salah ketik atau tertukar. Periksa kembali "
                         "kode pada tanda terima, lalu coba lagi.",
                         "This code is not valid: a digit is probably mistyped or two are swapped. Check the code "
                         "on the receipt and try again.")
    else:
        detail = Message(f"Kode pelacakan terdiri dari {tracking.MIN_LENGTH} angka atau lebih, misalnya "
                         "3404-012-000123-1. Periksa kembali kode pada tanda terima, lalu coba lagi.",
                         f"A tracking code has {tracking.MIN_LENGTH} or more digits, for example 3404-012-000123-1. "
                         "Check the code on the receipt and try again.")
    return Answer("mistyped", 400, Message("Periksa kembali kode", "Check the code again"), detail, refill=refill)


def _refill(typed_code: str, typed_pin: str | None) -> tuple[str, str]:
    """The form filled again with what was typed, but never arbitrary text: a page on a government address must not
    repeat whatever a crafted link puts in it. A code of digits comes back grouped like the receipt prints it."""
    digits = tracking.compact(typed_code) if len(typed_code) <= 40 else ""
    code = ""
    if digits.isascii() and digits.isdigit():
        code = tracking.format_code(digits) if len(digits) >= tracking.MIN_LENGTH else digits
    pin = (typed_pin or "").strip()
    return code, pin if len(pin) <= 12 and pin.replace("-", "").replace(" ", "").isalnum() and pin.isascii() else ""


def decide(context: ServerContext, typed_code: str, typed_pin: str | None) -> Answer:
    """The answer for a typed (or scanned) code and PIN."""
    refill = _refill(typed_code, typed_pin)
    if len(typed_code) > MAX_CODE_CHARS:
        return _mistyped(typed_code, refill)
    try:
        parsed = tracking.parse(typed_code)  # the shape, then the check digit
    except MistypedCode:
        return _mistyped(typed_code, refill)
    code = str(parsed)
    refill = (code, refill[1])
    pin = (typed_pin or "").strip()
    if not pin:
        return Answer("pin_required", 200, Message("Masukkan PIN", "Enter the PIN"), Message(
            f"Demi keamanan, status laporan {code} hanya dapat dilihat dengan PIN. PIN terdiri dari 6 huruf/angka "
            "dan tercetak pada tanda terima, di dekat kode pelacakan.",
            f"To protect your complaint, the status of {code} is shown only with its PIN: 6 letters or digits, "
            "printed on the receipt next to the tracking code."), code=code, refill=refill)
    typed = normalise_pin(pin[:MAX_PIN_CHARS + 1])
    if len(pin) > MAX_PIN_CHARS or len(typed) != PIN_LENGTH or not (typed.isascii() and typed.isalnum()):
        return Answer("pin_required", 400, Message("Periksa kembali PIN", "Check the PIN again"), Message(
            "PIN terdiri dari tepat 6 huruf/angka, misalnya 7K3QX9. Periksa kembali PIN pada tanda terima.",
            "The PIN is exactly 6 letters or digits, for example 7K3QX9. Check the PIN on the receipt."),
            code=code, refill=(code, ""))
    with context.db.transaction() as session:
        found = _found(session, code, pin)
        if found is not None:
            return found
        if _beyond_what_its_pc_sent(session, parsed):
            return Answer("not_received_yet", 404, Message("Laporan belum masuk ke sistem pusat",
                                                           "The complaint has not reached the server yet"),
                          Message(f"Kode {code} benar, tetapi laporannya belum masuk ke sistem pusat. Biasanya "
                                  "karena komputer di kantor tempat Anda melapor belum terhubung ke internet sejak "
                                  "laporan dicatat.",
                                  f"The code {code} is valid, but the national server has not received this "
                                  "complaint yet, usually because the office's computer that recorded it has not "
                                  "connected since."),
                          code=code, refill=refill, more=(
                              Message("Silakan coba lagi besok, atau setelah kantor terhubung ke internet. Laporan "
                                      "yang sudah Anda sampaikan tetap tercatat di kantor tersebut.",
                                      "Please try again tomorrow, or once the office is connected. A complaint you "
                                      "made stays recorded at the office where you made it."),))
    return Answer("unknown", 404, Message("Laporan tidak ditemukan", "No complaint found"), Message(
        "Kode dan PIN tidak cocok dengan laporan mana pun; periksa keduanya pada tanda terima.",
        "The code and PIN match no complaint; check both on the receipt."), code=code, refill=refill, more=(
        Message("Jika keduanya sudah benar, silakan hubungi kantor tempat Anda melapor.",
                "If both are right, please contact the office where you made the complaint."),))


def _found(session: Session, code: str, pin: str) -> Answer | None:
    """The complaint with this code wherever it is now (re-routed to another office included), if the PIN is its."""
    row = session.execute(select(Complaint.id, Complaint.office_id, Complaint.status, Complaint.received_at,
                                 Complaint.is_confidential, Complaint.tracking_code)
                          .where(Complaint.tracking_code == code)).first()
    if row is None or not pin_matches(row.id, pin):
        return None
    events = session.execute(select(TimelineEvent.kind, TimelineEvent.at, TimelineEvent.text, TimelineEvent.data_json)
                             .where(TimelineEvent.complaint_id == row.id)).all()
    view = citizen_status(tracking_code=row.tracking_code, status=row.status, received_at=row.received_at,
                          is_confidential=row.is_confidential,
                          events=[event_fact(e.kind, e.at, e.text, e.data_json) for e in events])
    tz = session.execute(select(Office.tz).where(Office.id == row.office_id)).scalar() if row.office_id else None
    return Answer("found", 200, view.status_label, view.explanation, code=row.tracking_code, view=view,
                  tz=tz or DEFAULT_ZONE)


def _beyond_what_its_pc_sent(session: Session, parsed: tracking.TrackingCode) -> bool:
    """Whether the code's sequence is above the highest its PC has sent: made, but not synced yet. Only that count
    is read, never whether this code exists, so the answer says nothing about any one complaint."""
    if parsed.device == tracking.NATIONAL_DEVICE:
        return False  # the server makes these itself: every one it made, it has
    offices = [office_id for office_id, region in session.execute(
        select(Office.id, Office.region_code).where(Office.region_code.startswith(parsed.region[:2])))
        if _region4(region) == parsed.region]
    if not offices:
        return False
    high = session.execute(select(func.max(Device.tracking_high)).where(
        Device.office_id.in_(offices), Device.device_no == parsed.device)).scalar()
    return high is not None and parsed.seq > high


def _region4(region_code: str) -> str | None:
    try:
        return regency_code4(region_code)
    except ValueError:
        return None


def _answer(request: Request, context: ServerContext, typed_code: str, typed_pin: str | None) -> Answer:
    """Rate-limited per client address (people behind one mobile network's address share it, hence the server's
    general limit rather than a tight one: the PIN, not the limit, is what stops guessing)."""
    address = request.client.host if request.client else "unknown"
    try:
        # The budget is counted in the database (server.ratelimit): a database that is down is the busy page too.
        wait = context.limiter.retry_after(RATE_KEY + address)
        if wait > 0:
            minutes = max(1, math.ceil(wait / 60))
            return Answer("rate_limited", 429, Message("Terlalu banyak permintaan", "Too many requests"), Message(
                f"Terlalu banyak pemeriksaan dari jaringan Anda dalam waktu singkat. Silakan coba lagi dalam {minutes} "
                "menit.", f"Too many look-ups from your network in a short time. Please try again in {minutes} "
                f"minute{'s' if minutes > 1 else ''}."), headers={"Retry-After": str(max(1, math.ceil(wait)))})
        return decide(context, typed_code, typed_pin)
    except OperationalError as exc:
        log.warning("status page: database unavailable (%s)", type(exc.orig).__name__)
        return Answer("busy", 503, Message("Layanan sedang sibuk", "The service is busy"), Message(
            "Status laporan tidak dapat diperiksa saat ini. Silakan coba lagi beberapa saat lagi.",
            "The status cannot be checked right now. Please try again in a little while."),
            headers={"Retry-After": "30"})


# ---- HTML ---------------------------------------------------------------------------------------------------------

def _when(at: datetime, tz: ZoneInfo, label: str) -> str:
    local = as_utc(at).astimezone(tz)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, pukul {local:%H.%M} {label}"


def _zone(answer: Answer) -> tuple[ZoneInfo, str]:
    try:
        tz = zone(answer.tz)
    except (KeyError, ValueError):
        tz = zone(DEFAULT_ZONE)
    return tz, ZONE_LABELS.get(str(tz), str(tz))


def _html(request: Request, answer: Answer) -> HTMLResponse:
    tz, label = _zone(answer)
    view = answer.view
    entries: list[dict[str, Any]] = []
    if view is not None:
        entries = [{"when": _when(e.at, tz, label), "iso": as_utc(e.at).astimezone(tz).isoformat(),
                    "label": e.label.id, "text": e.text} for e in view.entries]
    received = _when(view.received_at, tz, label) if view is not None and view.received_at else None
    zone_note = (f"Waktu ditampilkan dalam {label} ({ZONE_NAMES[label]})." if view is not None
                 and not view.is_confidential and label in ZONE_NAMES else None)
    body = _templates.get_template("status/page.html").render(
        state=answer.state, title=answer.title.id, message=answer.message.id, more=[m.id for m in answer.more],
        code=answer.code, view=view, entries=entries, received=received, zone_note=zone_note,
        tone=_TONES.get(view.status, "work") if view is not None else "work", css=Markup(_CSS),
        form_action=request.url_for("status_form").path, refill_code=answer.refill[0], refill_pin=answer.refill[1])
    return HTMLResponse(body, status_code=answer.http_status,
                        headers={**_HEADERS, "Content-Security-Policy": PAGE_CSP, **answer.headers})


@router.get("/cek", response_class=HTMLResponse, include_in_schema=False, name="status_form")
def status_form(request: Request, context: Annotated[ServerContext, Depends(ctx)]) -> HTMLResponse:
    """The form (code and PIN, sent back here by GET), or the answer once it was filled in."""
    typed_code = request.query_params.get("kode")
    if typed_code is None or not typed_code.strip():
        return _html(request, _FORM)
    return _html(request, _answer(request, context, typed_code, request.query_params.get("pin")))


@router.get("/cek/{code:anytext}", response_class=HTMLResponse, include_in_schema=False)
def status_page(code: str, request: Request, context: Annotated[ServerContext, Depends(ctx)]) -> HTMLResponse:
    """What the receipt's QR code opens: ``/cek/{compact code}?pin={PIN}``."""
    if not code.strip():
        return _html(request, _FORM)
    return _html(request, _answer(request, context, code, request.query_params.get("pin")))


# ---- JSON ---------------------------------------------------------------------------------------------------------

class PublicEntry(BaseModel):
    at: datetime  # in the office's zone
    label: str
    label_en: str
    text: str | None  # only what is meant for the reporter


class PublicComplaint(BaseModel):
    tracking_code: str
    status: str
    status_label: str
    status_label_en: str
    explanation: str
    explanation_en: str
    confidential: bool  # then only the status: no dates, no entries
    received_at: datetime | None
    time_zone: str  # WIB, WITA or WIT
    entries: list[PublicEntry]


class PublicStatus(BaseModel):
    state: State
    code: str | None  # the code in display form, once it is well-formed
    title: str
    title_en: str
    message: str
    message_en: str
    complaint: PublicComplaint | None


def _complaint(answer: Answer) -> PublicComplaint | None:
    view = answer.view
    if view is None:
        return None
    tz, label = _zone(answer)
    return PublicComplaint(
        tracking_code=view.tracking_code, status=view.status, status_label=view.status_label.id,
        status_label_en=view.status_label.en, explanation=view.explanation.id, explanation_en=view.explanation.en,
        confidential=view.is_confidential,
        received_at=as_utc(view.received_at).astimezone(tz) if view.received_at else None, time_zone=label,
        entries=[PublicEntry(at=as_utc(e.at).astimezone(tz), label=e.label.id, label_en=e.label.en, text=e.text)
                 for e in view.entries])


_JSON_ANSWERS: dict[int | str, dict[str, Any]] = {
    status: {"model": PublicStatus, "description": what} for status, what in (
        (400, "mistyped (the code's shape or check digit), or pin_required when the PIN given has not the "
              "shape of one"),
        (404, "not_received_yet or unknown"), (429, "rate_limited (see Retry-After)"), (503, "busy"))}


@router.get("/api/v1/public/status/{code:anytext}", response_model=PublicStatus, responses=_JSON_ANSWERS,
            summary="A complaint's status as the citizen sees it")
def status_json(code: str, request: Request, context: Annotated[ServerContext, Depends(ctx)],
                pin: Annotated[str | None, Query(description="the status PIN printed on the receipt")] = None,
                ) -> JSONResponse:
    """A complaint's citizen-visible status by tracking code and PIN: the status page's answer as JSON."""
    answer = _answer(request, context, code, pin)
    body = PublicStatus(state=answer.state, code=answer.code, title=answer.title.id, title_en=answer.title.en,
                        message=" ".join([answer.message.id, *(m.id for m in answer.more)]),
                        message_en=" ".join([answer.message.en, *(m.en for m in answer.more)]),
                        complaint=_complaint(answer))
    return JSONResponse(body.model_dump(mode="json"), status_code=answer.http_status,
                        headers={**_HEADERS, "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
                                 **answer.headers})
