"""Open311 GeoReport v2 (JSON) for interoperability. Confidential (rahasia) complaints never appear, and no
reporter identity is ever shown; LAPOR! statuses map to open/closed with the detailed status in status_notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from app.domain import Channel, Classification, Status
from app.inputs import IntakeInput, ReporterInput
from app.reference.labels import label
from server import auth, national
from server.api.deps import ServerContext, check_rate, ctx
from server.errors import ApiError
from server.models import Category, Complaint, Office

router = APIRouter(prefix="/open311/v2", tags=["open311"])
CLOSED = frozenset({Status.SELESAI, Status.DIARSIPKAN})
MAX_RESULTS = 1000
DEFAULT_WINDOW = timedelta(days=90)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _request(c: Complaint, services: dict[str, str], agencies: dict[str, str]) -> dict[str, Any]:
    return {
        "service_request_id": c.tracking_code,
        "status": "closed" if c.status in CLOSED else "open",
        "status_notes": f"{c.status}: {label(Status(c.status))}",
        "service_name": services.get(c.category_id or "", ""),
        "service_code": c.category_id or "",
        "description": c.description,
        "agency_responsible": agencies.get(c.office_id or "", ""),
        "service_notice": "",
        "requested_datetime": _aware(c.received_at).isoformat(),
        "updated_datetime": _aware(c.updated_at).isoformat(),
        "expected_datetime": None,
        "address": c.address or "",
        "address_id": c.region_code or "",
        "zipcode": None,
        "lat": c.latitude,
        "long": c.longitude,
        "media_url": None,
    }


@router.get("/services.json")
def services(context: Annotated[ServerContext, Depends(ctx)]) -> list[dict[str, Any]]:
    with context.db.transaction() as session:
        cats = list(session.execute(select(Category).where(Category.active.is_(True)).order_by(Category.id))
                    .scalars())
    names = {c.id: c.name for c in cats}
    return [{"service_code": c.id, "service_name": c.name, "description": c.name_en or c.name, "metadata": False,
             "type": "realtime", "keywords": "", "group": names.get(c.parent_id or "", c.name)} for c in cats]


def _lookups(session: Any) -> tuple[dict[str, str], dict[str, str]]:
    services = {c.id: c.name for c in session.execute(select(Category)).scalars()}
    agencies = {o.id: o.name for o in session.execute(select(Office)).scalars()}
    return services, agencies


@router.get("/requests.json")
def requests_list(
    context: Annotated[ServerContext, Depends(ctx)],
    service_request_id: Annotated[str | None, Query(max_length=2000, pattern=r"^[ -~]*$")] = None,
    service_code: Annotated[str | None, Query(max_length=64, pattern=r"^[!-~]*$")] = None,
    start_date: Annotated[datetime | None, Query()] = None,
    end_date: Annotated[datetime | None, Query()] = None,
    status: Annotated[str | None, Query(pattern="^(open|closed)(,(open|closed))?$")] = None,
) -> list[dict[str, Any]]:
    """Requests, newest first; without dates the last 90 days (the spec's default), at most 1,000."""
    q = select(Complaint).where(Complaint.is_confidential.is_(False))
    if service_request_id:  # the spec: it overrides every other argument
        q = q.where(Complaint.tracking_code.in_([s.strip() for s in service_request_id.split(",") if s.strip()]))
    else:
        # The spec's default window is 90 days: before end_date, after start_date, or up to now.
        if start_date and not end_date:
            start = _aware(start_date)
            end = start + DEFAULT_WINDOW
        else:
            end = _aware(end_date) if end_date else context.clock()
            start = _aware(start_date) if start_date else end - DEFAULT_WINDOW
        if start > end:
            raise ApiError(400, "bad_dates", "start_date harus sebelum end_date.", "start_date must precede end_date.")
        q = q.where(Complaint.received_at >= start, Complaint.received_at <= end)
        if service_code:
            q = q.where(Complaint.category_id == service_code)
        if status in ("open", "closed"):
            closed = Complaint.status.in_(CLOSED)
            q = q.where(closed if status == "closed" else ~closed)
    with context.db.transaction() as session:
        services_, agencies = _lookups(session)
        rows = session.execute(q.order_by(Complaint.received_at.desc()).limit(MAX_RESULTS)).scalars()
        return [_request(c, services_, agencies) for c in rows]


@router.get("/requests/{request_id}.json")
def request_one(request_id: Annotated[str, Path(max_length=40, pattern=r"^[!-~]+$")],
                context: Annotated[ServerContext, Depends(ctx)]) -> list[dict[str, Any]]:
    with context.db.transaction() as session:
        c = session.execute(select(Complaint).where(Complaint.tracking_code == request_id,
                                                   Complaint.is_confidential.is_(False))).scalar()
        if c is None:
            raise ApiError(404, "not_found", "Laporan tidak ditemukan.", "Request not found.")
        services_, agencies = _lookups(session)
        return [_request(c, services_, agencies)]


_REQUEST_FIELDS = {
    "api_key": {"type": "string"}, "service_code": {"type": "string"}, "description": {"type": "string"},
    "title": {"type": "string"}, "lat": {"type": "string"}, "long": {"type": "string"},
    "address_string": {"type": "string"}, "first_name": {"type": "string"}, "last_name": {"type": "string"},
    "email": {"type": "string"}, "phone": {"type": "string"},
}
_REQUEST_BODY = {"required": True, "content": {
    media: {"schema": {"type": "object", "properties": _REQUEST_FIELDS,
                       "required": ["api_key", "service_code", "description"]}}
    for media in ("application/x-www-form-urlencoded", "application/json")}}


@router.post("/requests.json", status_code=201, openapi_extra={"requestBody": _REQUEST_BODY})
async def create_request(request: Request, context: Annotated[ServerContext, Depends(ctx)]) -> list[dict[str, Any]]:
    """Form-encoded per the spec (JSON accepted too). Needs ``api_key``."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            parsed = await request.json()
        except ValueError as exc:
            raise ApiError(400, "bad_json", "JSON tidak valid.", "Invalid JSON.") from exc
        if not isinstance(parsed, dict):
            raise ApiError(400, "bad_json", "Isi JSON harus berupa objek.", "The JSON body must be an object.")
        # Only scalar fields exist in the spec; anything else is ignored rather than trusted.
        raw: dict[str, Any] = {k: str(v) for k, v in parsed.items()
                               if isinstance(v, str | int | float) and not isinstance(v, bool)}
    else:
        form = await request.form()
        raw = {k: v for k, v in form.items() if isinstance(v, str)}
    for value in raw.values():
        if "\x00" in value:
            raise ApiError(400, "bad_text", "Teks berisi karakter yang tidak valid.",
                           "The text has invalid characters.")
        value.encode("utf-8")  # an unpaired surrogate raises UnicodeEncodeError: a 400 from the app's handler
    check_rate(context, "open311:" + str(raw.get("api_key", ""))[:16])
    return await run_in_threadpool(_create_request, context, raw)  # database work off the event loop


def _create_request(context: ServerContext, raw: dict[str, Any]) -> list[dict[str, Any]]:
    now = context.clock()
    with context.db.transaction() as session:
        key = auth.check_api_key(session, raw.get("api_key"))
        code = str(raw.get("service_code") or "")
        if session.get(Category, code) is None:
            raise ApiError(400, "unknown_service_code", "service_code tidak dikenal.", "Unknown service_code.")
        description = str(raw.get("description") or "")
        name = " ".join(str(raw.get(k) or "") for k in ("first_name", "last_name")).strip()
        inp = IntakeInput(
            classification=Classification.PENGADUAN, channel=Channel.LAPOR_ONLINE,
            title=(str(raw.get("title") or description[:80]) or "Laporan Open311"), description=description,
            category_id=code, address=str(raw.get("address_string") or "") or None,
            latitude=_float(raw.get("lat")), longitude=_float(raw.get("long")),
            is_anonymous=not name,
            reporter=ReporterInput(name=name, email=raw.get("email") or None, phone=raw.get("phone") or None,
                                   consent_given=True) if name else None,
        )
        c = national.create_online_complaint(session, inp, now, office_id=key.office_id)
        return [{"service_request_id": c.tracking_code, "service_notice": "", "account_id": None}]


def _float(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ApiError(400, "bad_coordinate", "lat/long harus angka.", "lat/long must be numbers.") from exc
