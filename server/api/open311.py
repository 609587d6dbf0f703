"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) in XML, the spec's required format, and JSON: the discovery
file, services, service definitions, requests (listed with the spec's filters, or one) and posting a request with an
API key. What a request says is app.open311's, the same serializer the desktop's export uses; confidential
complaints never appear and no reporter identity is ever shown. Every error, including a malformed argument, is
answered in the spec's error shape in the format the path asks for (server.api.open311_answers). docs/OPEN311.md
describes the mapping."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.domain import Channel, Classification
from app.inputs import IntakeInput, ReporterInput
from app.open311 import (
    ATTR_CLASSIFICATION,
    ATTR_INCIDENT_DATE,
    ATTR_TITLE,
    MAX_RESULTS,
    RequestFilter,
    discovery,
    parse_w3_datetime,
    post_receipt,
    request_conditions,
    service_definition,
    service_list,
    service_request,
    spec_window,
)
from app.rules import tracking
from server import auth, national
from server.api.deps import ServerContext, check_rate, ctx
from server.api.open311_answers import Open311Route, answer, documented, format_of
from server.errors import ApiError
from server.models import Category, Complaint, Office
from server.state import reference_version

CONTACT = "Admin nasional SP4N-LAPOR! yang mengelola server ini (national SP4N-LAPOR! administrators)."
KEY_SERVICE = ("Kunci API untuk mengirim laporan diterbitkan admin nasional server ini "
               "(lapor-server admin create-api-key); membaca tidak memerlukan kunci.")
Printable = r"^[ -~]*$"
Jurisdiction = Annotated[str | None, Query(max_length=16, pattern=Printable,
                                           description="Kode wilayah Kemendagri kantor (mis. 34.04); opsional.")]

router = APIRouter(prefix="/open311", tags=["open311"], route_class=Open311Route, default_response_class=Response)


def _office(session: Session, jurisdiction_id: str | None) -> Office | None:
    """The office a jurisdiction_id names (its Kemendagri region code); none given: the whole national server."""
    if not jurisdiction_id:
        return None
    office = session.execute(select(Office).where(Office.region_code == jurisdiction_id)).scalar()
    if office is None:
        raise ApiError(404, "jurisdiction_not_found", "jurisdiction_id tidak dikenal.", "Unknown jurisdiction_id.")
    return office


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.strip() for s in (value or "").split(",") if s.strip()))


def _id_forms(ids: Iterable[str]) -> tuple[str, ...]:
    """Request ids as stored: a tracking code typed without dashes or with spaces is found too."""
    forms: list[str] = []
    for i in ids:
        forms.append(i)
        if tracking.looks_like_code(i):
            forms.append(tracking.format_code(tracking.compact(i)))
    return tuple(dict.fromkeys(forms))


def _as_requests(session: Session, rows: list[Complaint], categories: list[Category]) -> list[dict[str, Any]]:
    office_ids = {c.office_id for c in rows if c.office_id}
    agencies = {o.id: o.name for o in session.execute(select(Office).where(Office.id.in_(office_ids))).scalars()}
    names = {c.id: c.name for c in categories}
    return [service_request(c, names, agencies) for c in rows]


@router.get("/discovery.json", responses=documented("json"))
@router.get("/discovery.xml", responses=documented("xml"))
def discovery_file(request: Request, context: Annotated[ServerContext, Depends(ctx)]) -> Response:
    """The Service Discovery file; its changeset moves whenever the categories (the services) change."""
    with context.db.transaction() as session:
        changeset = f"{reference_version(session):012d}"
    url = str(request.base_url).rstrip("/") + router.prefix + "/v2"
    return answer(format_of(request.url.path), "discovery", discovery(url, changeset, CONTACT, KEY_SERVICE))


@router.get("/v2/services.json", responses=documented("json"))
@router.get("/v2/services.xml", responses=documented("xml"))
def services(request: Request, context: Annotated[ServerContext, Depends(ctx)],
             jurisdiction_id: Jurisdiction = None) -> Response:
    """Every active category, top-level and sub-category, with ``group`` its top-level category."""
    with context.db.transaction() as session:
        _office(session, jurisdiction_id)
        listed = service_list(session.execute(select(Category)).scalars())
    return answer(format_of(request.url.path), "services", listed)


@router.get("/v2/services/{service_code}.json", responses=documented("json"))
@router.get("/v2/services/{service_code}.xml", responses=documented("xml"))
def definition(request: Request, service_code: Annotated[str, Path(max_length=64, pattern=r"^[!-~]+$")],
               context: Annotated[ServerContext, Depends(ctx)], jurisdiction_id: Jurisdiction = None) -> Response:
    with context.db.transaction() as session:
        _office(session, jurisdiction_id)
        category = session.get(Category, service_code)
        if category is None or not category.active:
            raise ApiError(404, "unknown_service_code", "service_code tidak dikenal.", "Unknown service_code.")
    return answer(format_of(request.url.path), "service_definition", service_definition(service_code))


@router.get("/v2/requests.json", responses=documented("json"))
@router.get("/v2/requests.xml", responses=documented("xml"))
def requests_list(
    request: Request,
    context: Annotated[ServerContext, Depends(ctx)],
    jurisdiction_id: Jurisdiction = None,
    service_request_id: Annotated[str | None, Query(max_length=2000, pattern=Printable)] = None,
    service_code: Annotated[str | None, Query(max_length=1000, pattern=Printable)] = None,
    start_date: Annotated[str | None, Query(max_length=40, description="W3C date-time, e.g. 2026-01-01T00:00:00Z")
                          ] = None,
    end_date: Annotated[str | None, Query(max_length=40, description="W3C date-time, e.g. 2026-03-31T00:00:00Z")
                        ] = None,
    status: Annotated[str | None, Query(max_length=20, pattern=Printable, description="open, closed or both")
                      ] = None,
) -> Response:
    """Requests, newest first: ``service_request_id`` (comma-separated) overrides the other arguments; otherwise
    the spec's 90-day window (the last 90 days without dates), at most 1,000. A ``service_code`` matches that
    service and every sub-category under it."""
    statuses = _split(status)
    if set(statuses) - {"open", "closed"}:
        raise ApiError(400, "bad_status", "status hanya open dan/atau closed.", "status is open and/or closed.")
    ids = _id_forms(_split(service_request_id))
    if ids:
        f = RequestFilter(service_request_ids=ids)
    else:
        try:
            start, end = spec_window(_date(start_date, "start_date"), _date(end_date, "end_date"), context.clock())
        except ValueError as exc:
            raise ApiError(400, "bad_dates", str(exc)) from exc
        f = RequestFilter(service_codes=_split(service_code), start=start, end=end, statuses=statuses)
    with context.db.transaction() as session:
        office = _office(session, jurisdiction_id)
        categories = list(session.execute(select(Category)).scalars())
        q = select(Complaint).where(*request_conditions(Complaint, f, categories))
        if office is not None:
            q = q.where(Complaint.office_id == office.id)
        rows = list(session.execute(q.order_by(Complaint.received_at.desc(), Complaint.id.desc())
                                    .limit(MAX_RESULTS)).scalars())
        payload = _as_requests(session, rows, categories)
    return answer(format_of(request.url.path), "service_requests", payload)


def _date(text: str | None, name: str) -> datetime | None:
    if not text:
        return None
    try:
        return parse_w3_datetime(text)
    except ValueError as exc:
        raise ApiError(400, "bad_dates", f"{name} bukan tanggal W3C (mis. 2026-01-01T00:00:00Z).",
                       f"{name} is not a W3C date-time (e.g. 2026-01-01T00:00:00Z).") from exc


@router.get("/v2/requests/{request_id}.json", responses=documented("json"))
@router.get("/v2/requests/{request_id}.xml", responses=documented("xml"))
def request_one(request: Request, request_id: Annotated[str, Path(max_length=40, pattern=r"^[!-~]+$")],
                context: Annotated[ServerContext, Depends(ctx)], jurisdiction_id: Jurisdiction = None) -> Response:
    with context.db.transaction() as session:
        office = _office(session, jurisdiction_id)
        q = select(Complaint).where(Complaint.tracking_code.in_(_id_forms([request_id])),
                                    Complaint.is_confidential.is_(False))
        if office is not None:
            q = q.where(Complaint.office_id == office.id)
        c = session.execute(q).scalar()
        if c is None:
            raise ApiError(404, "not_found", "Laporan tidak ditemukan.", "Request not found.")
        categories = list(session.execute(select(Category)).scalars())
        payload = _as_requests(session, [c], categories)
    return answer(format_of(request.url.path), "service_requests", payload)


_REQUEST_FIELDS: dict[str, Any] = {
    name: {"type": "string"} for name in (
        "api_key", "jurisdiction_id", "service_code", "description", "lat", "long", "address_string", "address_id",
        "email", "device_id", "account_id", "first_name", "last_name", "phone", "media_url", "title",
        f"attribute[{ATTR_CLASSIFICATION}]", f"attribute[{ATTR_TITLE}]", f"attribute[{ATTR_INCIDENT_DATE}]")}
_REQUEST_BODY = {"required": True, "content": {
    media: {"schema": {"type": "object", "properties": _REQUEST_FIELDS,
                       "required": ["api_key", "service_code", "description"]}}
    for media in ("application/x-www-form-urlencoded", "application/json")}}


@router.post("/v2/requests.json", status_code=201, openapi_extra={"requestBody": _REQUEST_BODY},
             responses=documented("json"))
@router.post("/v2/requests.xml", status_code=201, openapi_extra={"requestBody": _REQUEST_BODY},
             responses=documented("xml"))
async def create_request(request: Request, context: Annotated[ServerContext, Depends(ctx)]) -> Response:
    """Form-encoded as the spec says (JSON accepted too); needs ``api_key``. Attributes of the service definition
    come as ``attribute[code]=value``; ``address_id`` is the place's Kemendagri region code."""
    raw = await _posted_fields(request)
    for value in raw.values():
        if "\x00" in value:
            raise ApiError(400, "bad_text", "Teks berisi karakter yang tidak valid.",
                           "The text has invalid characters.")
        value.encode("utf-8")  # an unpaired surrogate raises UnicodeEncodeError: a 400
    check_rate(context, "open311:" + raw.get("api_key", "")[:16])
    code = await run_in_threadpool(_create_request, context, raw)  # database work off the event loop
    return answer(format_of(request.url.path), "service_requests", post_receipt(code), 201)


async def _posted_fields(request: Request) -> dict[str, str]:
    """The posted fields as strings; a JSON body's ``attribute`` object becomes ``attribute[code]`` fields."""
    if not request.headers.get("content-type", "").startswith("application/json"):
        form = await request.form()
        return {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        parsed = await request.json()
    except ValueError as exc:
        raise ApiError(400, "bad_json", "JSON tidak valid.", "Invalid JSON.") from exc
    if not isinstance(parsed, dict):
        raise ApiError(400, "bad_json", "Isi JSON harus berupa objek.", "The JSON body must be an object.")
    fields = {**parsed, **{f"attribute[{k}]": v for k, v in (parsed.get("attribute") or {}).items()}} \
        if isinstance(parsed.get("attribute"), dict) else parsed
    # Only scalar fields exist in the spec; anything else is ignored rather than trusted.
    return {str(k): str(v) for k, v in fields.items() if isinstance(v, str | int | float) and not isinstance(v, bool)}


def _create_request(context: ServerContext, raw: dict[str, str]) -> str:
    now = context.clock()
    with context.db.transaction() as session:
        key = auth.check_api_key(session, raw.get("api_key"))
        office = _office(session, raw.get("jurisdiction_id"))
        if office is not None and key.office_id is not None and key.office_id != office.id:
            raise ApiError(400, "jurisdiction_mismatch", "jurisdiction_id bukan kantor kunci API ini.",
                           "jurisdiction_id is not this api_key's office.")
        code = raw.get("service_code", "")
        category = session.get(Category, code) if code else None
        if category is None or not category.active:
            raise ApiError(404 if code else 400, "unknown_service_code", "service_code tidak dikenal.",
                           "Unknown service_code.")
        description = raw.get("description", "")
        name = " ".join(raw.get(k, "") for k in ("first_name", "last_name")).strip()
        title = raw.get(f"attribute[{ATTR_TITLE}]") or raw.get("title") or description[:80]
        inp = IntakeInput(
            classification=raw.get(f"attribute[{ATTR_CLASSIFICATION}]") or Classification.PENGADUAN,
            channel=Channel.LAPOR_ONLINE, title=title or "Laporan Open311", description=description,
            category_id=code, incident_date=_incident_date(raw.get(f"attribute[{ATTR_INCIDENT_DATE}]")),
            region_code=raw.get("address_id") or None, address=raw.get("address_string") or None,
            latitude=_float(raw.get("lat")), longitude=_float(raw.get("long")), is_anonymous=not name,
            reporter=ReporterInput(name=name, email=raw.get("email") or None, phone=raw.get("phone") or None,
                                   consent_given=True) if name else None,
        )
        return national.create_online_complaint(session, inp, now, office_id=key.office_id).tracking_code


def _incident_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parse_w3_datetime(text).date()
    except ValueError as exc:
        raise ApiError(400, "bad_date", f"attribute[{ATTR_INCIDENT_DATE}] bukan tanggal ISO 8601.",
                       f"attribute[{ATTR_INCIDENT_DATE}] is not an ISO 8601 date.") from exc


def _float(value: str | None) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ApiError(400, "bad_coordinate", "lat/long harus angka.", "lat/long must be numbers.")
    return number


@router.get("/{rest:path}", include_in_schema=False)
def unknown(rest: str) -> Response:
    """Anything else under /open311: the spec's 404, in the format the path asks for (XML if it names none)."""
    raise ApiError(404, "not_found", "Sumber daya Open311 tidak ada.", "No such Open311 resource.")
