"""Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): a complaint's public facts as a service request, the
category tree as services, the service definition, the discovery file and errors, as the spec's JSON (plain dicts and
lists) and its XML. The national server's /open311 endpoints and the desktop's Open311 export both build their
output here, so the two say the same about the same complaint. docs/OPEN311.md describes the mapping.

Privacy: a confidential (rahasia) complaint is never turned into a request, and a request is built only from the
complaint's own facts (:class:`ComplaintFacts` has no reporter), so no name, NIK, phone, e-mail or address of a
reporter can reach it, anonymous or not.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from app.domain import Classification, Status
from app.reference.labels import label

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
CLOSED_STATUSES = frozenset({Status.SELESAI, Status.DIARSIPKAN})
MAX_RESULTS = 1000  # the spec's default query limit: 90 days or the first 1,000 requests
DEFAULT_WINDOW = timedelta(days=90)
DESCRIPTION_LIMIT = 4000  # the spec: free-form text limited to 4,000 characters

# The service definition every service has: what a LAPOR! complaint knows beyond the spec's own POST fields.
ATTR_CLASSIFICATION, ATTR_TITLE, ATTR_INCIDENT_DATE = "klasifikasi", "judul", "tanggal_kejadian"
ATTRIBUTES: tuple[dict[str, Any], ...] = (
    {"variable": True, "code": ATTR_CLASSIFICATION, "datatype": "singlevaluelist", "required": False,
     "datatype_description": "Pilih satu; bila kosong: Pengaduan.", "order": 1,
     "description": "Jenis laporan: pengaduan, aspirasi atau permintaan informasi.",
     "values": [{"key": c.value, "name": label(c)} for c in Classification]},
    {"variable": True, "code": ATTR_TITLE, "datatype": "string", "required": False,
     "datatype_description": "10–150 karakter; bila kosong: awal uraian.", "order": 2,
     "description": "Judul singkat laporan."},
    {"variable": True, "code": ATTR_INCIDENT_DATE, "datatype": "datetime", "required": False,
     "datatype_description": "Tanggal ISO 8601, misalnya 2026-03-02; tidak di masa depan.", "order": 3,
     "description": "Tanggal kejadian yang dilaporkan."},
)

# XML 1.0 cannot carry these characters at all, escaped or not; they become U+FFFD.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The item element of each list, following the spec's XML (JSON lists are the XML's repeated elements).
_ITEM_TAGS = {"services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
              "endpoints": "endpoint", "formats": "format", "errors": "error"}


class ComplaintFacts(Protocol):
    """What a request is made of: the complaint's own facts (a desktop or a server Complaint row), no reporter."""

    @property
    def tracking_code(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def category_id(self) -> str | None: ...
    @property
    def description(self) -> str: ...
    @property
    def office_id(self) -> str | None: ...
    @property
    def region_code(self) -> str | None: ...
    @property
    def address(self) -> str | None: ...
    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...
    @property
    def is_confidential(self) -> bool: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def closed_at(self) -> datetime | None: ...


class CategoryFacts(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def parent_id(self) -> str | None: ...
    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def active(self) -> bool: ...


# ---- requests ------------------------------------------------------------------------------------------------------

def open_or_closed(status: str) -> str:
    """The spec's two statuses: SELESAI and DIARSIPKAN are closed, everything else (BUKAN_WEWENANG too: it waits to
    be re-routed) is open. The LAPOR! status itself goes in status_notes."""
    return "closed" if status in CLOSED_STATUSES else "open"


def w3_datetime(value: datetime) -> str:
    """The spec's date format (the W3C note's subset of ISO 8601), in UTC, to the second."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_w3_datetime(text: str) -> datetime:
    """A date or date-time as the spec's clients send it; without a zone it is taken as UTC. ValueError if not."""
    value = datetime.fromisoformat(text.strip())
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def service_request(c: ComplaintFacts, service_names: Mapping[str, str],
                    agencies: Mapping[str, str]) -> dict[str, Any]:
    """One complaint as a GeoReport request, the spec's fields in the spec's order. ``service_names`` maps category
    ids to names, ``agencies`` office ids to names. Fields the complaint has no value for are None (JSON null, an
    empty XML element), so both formats read back alike."""
    if c.is_confidential:
        raise ValueError("a confidential complaint is never published")
    closed = c.status in CLOSED_STATUSES
    updated = c.closed_at if closed and c.closed_at is not None else c.updated_at
    return {
        "service_request_id": c.tracking_code,
        "status": open_or_closed(c.status),
        "status_notes": f"{c.status}: {label(Status(c.status))}",
        "service_name": service_names.get(c.category_id) if c.category_id else None,
        "service_code": c.category_id or None,
        "description": clean_text(c.description, DESCRIPTION_LIMIT),
        "agency_responsible": agencies.get(c.office_id) if c.office_id else None,
        "service_notice": None,
        "requested_datetime": w3_datetime(c.received_at),
        "updated_datetime": w3_datetime(updated),
        "expected_datetime": None,
        "address": clean_text(c.address) or None,
        "address_id": c.region_code or None,
        "zipcode": None,
        "lat": _coordinate(c.latitude),
        "long": _coordinate(c.longitude),
        "media_url": None,
    }


def post_receipt(service_request_id: str) -> list[dict[str, Any]]:
    """The answer to POST Service Request: the new request's id (this server answers in real time, no token)."""
    return [{"service_request_id": service_request_id,
             "service_notice": "Laporan diterima; statusnya dapat dipantau dengan nomor laporan ini.",
             "account_id": None}]


def clean_text(text: str | None, limit: int | None = None) -> str:
    """Text both formats can carry the same: line breaks as LF (XML reads CR LF as LF anyway), no character XML 1.0
    cannot hold, at most ``limit`` characters."""
    if not text:
        return ""
    cleaned = _NOT_XML.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1] + "…"
    return cleaned


def _coordinate(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


# ---- services ------------------------------------------------------------------------------------------------------

def service_list(categories: Iterable[CategoryFacts]) -> list[dict[str, Any]]:
    """Every active category is a service, top-level ones and their sub-categories alike, ordered by code (a parent
    before its children); ``group`` is the name of its top-level category. A parent's description names the codes
    it includes: filtering requests by a parent's code returns its sub-categories' requests too."""
    cats = list(categories)
    by_id = {c.id: c for c in cats}
    children: dict[str, list[str]] = {}
    for c in cats:
        if c.parent_id and c.active:
            children.setdefault(c.parent_id, []).append(c.id)
    services = []
    for c in sorted((c for c in cats if c.active), key=lambda c: c.id):
        root = _root(c, by_id)
        description = c.name_en or c.name
        if c.id in children:
            description += "; includes " + ", ".join(sorted(children[c.id]))
        keywords = [c.name_en] if root is c else [c.name_en, root.name, root.name_en]
        services.append({"service_code": c.id, "service_name": c.name, "description": description,
                         "metadata": True, "type": "realtime",
                         "keywords": ", ".join(dict.fromkeys(k for k in keywords if k)), "group": root.name})
    return services


def service_definition(service_code: str) -> dict[str, Any]:
    """The definition of a service: the same optional attributes for every service (see :data:`ATTRIBUTES`)."""
    return {"service_code": service_code, "attributes": [dict(a) for a in ATTRIBUTES]}


def services_matching(codes: Iterable[str], categories: Iterable[CategoryFacts]) -> set[str]:
    """The codes a ``service_code`` filter matches: each code and every category below it (active or not: old
    requests keep their code). A code no category has matches only requests carrying exactly that code."""
    children: dict[str, list[str]] = {}
    for c in categories:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c.id)
    matched: set[str] = set()
    pending = [c for c in codes if c]
    while pending:
        code = pending.pop()
        if code not in matched:
            matched.add(code)
            pending.extend(children.get(code, ()))
    return matched


def _root(c: CategoryFacts, by_id: Mapping[str, CategoryFacts]) -> CategoryFacts:
    seen = {c.id}
    while c.parent_id and c.parent_id in by_id and c.parent_id not in seen:
        c = by_id[c.parent_id]
        seen.add(c.id)
    return c


# ---- which requests ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RequestFilter:
    """Which requests: the spec's GET Service Requests arguments, parsed, and the desktop export's own. An empty
    field filters nothing. ``service_request_ids`` overrides the spec's other arguments, as the spec says; the
    export's ``complaint_statuses`` (LAPOR! statuses) and ``unit_id`` always apply. No default window here: the
    server applies the spec's 90 days with :func:`spec_window`, an export takes the dates it is given."""

    service_request_ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()  # "open", "closed"
    complaint_statuses: tuple[str, ...] = ()
    unit_id: str | None = None
    limit: int | None = None


def spec_window(start: datetime | None, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """The spec's date range: the most recent 90 days without dates, 90 days from ``start`` or up to ``end`` with
    one, and never more than 90 days. ValueError (with the reason in Indonesian and English) if the dates are
    reversed or too far apart."""
    if start is None and end is None:
        return now - DEFAULT_WINDOW, now
    if end is None:
        assert start is not None
        return start, start + DEFAULT_WINDOW
    if start is None:
        return end - DEFAULT_WINDOW, end
    if start > end:
        raise ValueError("start_date harus sebelum end_date. / start_date must precede end_date.")
    if end - start > DEFAULT_WINDOW:
        raise ValueError("Rentang tanggal paling lama 90 hari. / The date range may not span more than 90 days.")
    return start, end


def request_conditions(model: Any, f: RequestFilter, categories: Iterable[CategoryFacts]) -> list[ColumnElement[bool]]:
    """The WHERE conditions of ``f`` over a Complaint model (the desktop's or the server's: the same column
    names), confidential complaints always excluded."""
    where: list[ColumnElement[bool]] = [model.is_confidential.is_(False)]
    if f.complaint_statuses:
        where.append(model.status.in_(f.complaint_statuses))
    if f.unit_id:
        where.append(model.unit_id == f.unit_id)
    if f.service_request_ids:
        return [*where, model.tracking_code.in_(f.service_request_ids)]
    if f.start is not None:
        where.append(model.received_at >= f.start)
    if f.end is not None:
        where.append(model.received_at <= f.end)
    if f.service_codes:
        codes = services_matching(f.service_codes, categories)
        where.append(model.category_id.in_(sorted(codes)) if codes else false())
    wanted = set(f.statuses)
    if wanted == {"open"}:
        where.append(model.status.not_in(CLOSED_STATUSES))
    elif wanted == {"closed"}:
        where.append(model.status.in_(CLOSED_STATUSES))
    return where


def requests_from_store(session: Session, office_id: str, filters: RequestFilter | None = None
                        ) -> list[dict[str, Any]]:
    """The desktop's Open311 export: the office's complaints in the local store as GeoReport requests (the same
    dicts the server answers with), newest first. Write them with ``json.dumps`` or :func:`to_xml`."""
    from app.models import Category, Complaint, Office

    f = filters or RequestFilter()
    categories = list(session.execute(select(Category)).scalars())
    q = (select(Complaint)
         .where(Complaint.office_id == office_id, *request_conditions(Complaint, f, categories))
         .order_by(Complaint.received_at.desc(), Complaint.id.desc()))
    if f.limit is not None:
        q = q.limit(f.limit)
    office = session.get(Office, office_id)
    agencies = {office_id: office.name} if office is not None else {}
    names = {c.id: c.name for c in categories}
    return [service_request(c, names, agencies) for c in session.execute(q).scalars()]


# ---- discovery and errors ------------------------------------------------------------------------------------------

def discovery(endpoint_url: str, changeset: str, contact: str, key_service: str) -> dict[str, Any]:
    """The Service Discovery file: one production GeoReport v2 endpoint serving XML and JSON."""
    return {"changeset": changeset, "contact": contact, "key_service": key_service,
            "endpoints": [{"specification": SPECIFICATION, "url": endpoint_url, "changeset": changeset,
                           "type": "production", "formats": ["text/xml", "application/json"]}]}


def errors(code: int, description: str) -> list[dict[str, Any]]:
    """The spec's error list (its code is the HTTP status, as the spec suggests)."""
    return [{"code": code, "description": clean_text(description)}]


# ---- XML -----------------------------------------------------------------------------------------------------------

def to_xml(root: str, payload: Sequence[Any] | Mapping[str, Any]) -> bytes:
    """The spec's XML for a JSON payload: ``services``, ``service_requests``, ``service_definition``,
    ``discovery`` or ``errors``. Lists become repeated item elements (``<services><service>…``), booleans
    true/false, None an empty element; text is escaped by ElementTree and freed of characters XML cannot hold."""
    element = ET.Element(root)
    _fill(element, root, payload)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode").encode("utf-8")


def _fill(element: ET.Element, tag: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), key, item)
    elif isinstance(value, list | tuple):
        item_tag = _ITEM_TAGS[tag]
        for item in value:
            _fill(ET.SubElement(element, item_tag), item_tag, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("\ufffd", str(value))
