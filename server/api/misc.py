"""Health, version, enrolment, token refresh and reference data."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import __version__
from app.ids import new_id
from server import auth, serialize
from server.admin import office_contact
from server.api.deps import ServerContext, check_enrolment_rate, check_rate, client_protocol, ctx, enrolment_counted
from server.errors import ApiError, unauthorized
from server.files import files_for
from server.models import Category, Device, Holiday, Office, SlaPolicyRecord, Unit, User
from server.readiness import database_check, file_store_check, run_checks
from server.state import get_era, reference_version
from sync.protocol import (
    REFERENCE_FIELDS_SINCE,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    OfficeContactData,
    OfficeInfo,
    ReferenceData,
    TokenRefreshResponse,
    VersionInfo,
)

router = APIRouter()
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorBody}, 401: {"model": ErrorBody},
                                           429: {"model": ErrorBody}}


@router.get("/health", tags=["ops"])
def health(context: Annotated[ServerContext, Depends(ctx)]) -> dict[str, str]:
    """The database answers (503 when not). What PCs and the desktop's diagnosis ask; kept as it always was. A load
    balancer asks ``/health/ready`` (the file store too) and a process supervisor ``/health/live``."""
    context.db.ping()
    return {"status": "ok", "database": "postgresql" if context.db.postgres else "sqlite"}


@router.get("/health/live", tags=["ops"])
def live() -> dict[str, str]:
    """The process answers; nothing else is touched (a restart would not cure a database that is down)."""
    return {"status": "ok"}


@router.get("/health/ready", tags=["ops"], responses={503: {"description": "what is not ready, by check"}})
def ready(context: Annotated[ServerContext, Depends(ctx)]) -> JSONResponse:
    """The database and the file store are reachable: send this host requests. 503 names what is not ready."""
    checks = run_checks({"database": database_check(context.db),
                         "files": file_store_check(files_for(context.settings))})
    ok = all(outcome == "ok" for outcome in checks.values())
    return JSONResponse({"status": "ok" if ok else "not_ready", "checks": checks}, status_code=200 if ok else 503,
                        headers=None if ok else {"Retry-After": "5"})


@router.get("/version", response_model=VersionInfo, tags=["ops"])
def version(context: Annotated[ServerContext, Depends(ctx)]) -> VersionInfo:
    with context.db.transaction() as session:
        era = get_era(session)
    return VersionInfo(version=__version__, era=era, server_time=context.clock())


@router.post("/api/v1/enroll", response_model=EnrollResponse, responses=ERRORS, tags=["sync"])
def enroll(body: EnrollRequest, request: Request,
           context: Annotated[ServerContext, Depends(ctx)]) -> EnrollResponse:
    """Trade a one-time enrolment code for this PC's device credentials. Sent again with the same
    ``enrollment_key`` (a retry after a lost reply), it returns the same device with a fresh token."""
    now = context.clock()
    address = request.client.host if request.client else "unknown"
    check_enrolment_rate(context, address, auth.digest(auth.normalise_code(body.code)))
    wrong = False
    try:
        with context.db.transaction() as session:
            return _enrol(session, body, now)
    except ApiError as exc:
        wrong = exc.code in auth.WRONG_CODE_ERRORS
        raise
    finally:
        enrolment_counted(context, address, wrong_code=wrong)


def _enrol(session: Session, body: EnrollRequest, now: datetime) -> EnrollResponse:
    code = auth.redeem_enrollment_code(session, body.code, body.enrollment_key, now)
    token = auth.new_token()
    if code.device_id is None:
        device = _new_device(session, code.office_id, body.device_name, auth.digest(token), now)
        code.used_at = now
        code.device_id = device.id
        code.enrollment_key_hash = auth.digest(body.enrollment_key) if body.enrollment_key else None
    else:  # the same PC again: its earlier reply was lost, so only the token of this reply may work
        found = session.get(Device, code.device_id, with_for_update=True, populate_existing=True)
        if found is None or found.revoked_at is not None:
            raise auth.code_used()
        device = found
        device.token_hash = auth.digest(token)
    office = session.get(Office, device.office_id)
    assert office is not None
    return EnrollResponse(device_id=device.id, client_id=device.client_id, device_no=device.device_no,
                          office=OfficeInfo(id=office.id, region_code=office.region_code, name=office.name,
                                            tz=office.tz),
                          token=token, era=get_era(session), server_time=now)


def _new_device(session: Session, office_id: str, name: str, token_hash: str, now: datetime) -> Device:
    office = session.get(Office, office_id, with_for_update=True)
    assert office is not None
    if office.next_device_no > 899:  # 900–999 are what un-enrolled PCs give themselves
        raise ApiError(409, "no_device_numbers", "Nomor perangkat instansi ini habis; hubungi admin nasional.",
                       "This office has run out of device numbers; contact the national admin.")
    device = Device(id=new_id(), office_id=office.id, client_id=new_id(), device_no=office.next_device_no,
                    name=name, token_hash=token_hash, created_at=now, last_seq=0)
    office.next_device_no += 1
    session.add(device)
    return device


@router.post("/api/v1/token/refresh", response_model=TokenRefreshResponse, responses=ERRORS, tags=["sync"])
def refresh_token(context: Annotated[ServerContext, Depends(ctx)],
                  authorization: Annotated[str | None, Header()] = None) -> TokenRefreshResponse:
    """Rotate this device's token; the old one stops working at once."""
    now = context.clock()
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, now)
        # Locked and re-read: of two refreshes with one token, the second finds it already rotated (401) instead
        # of silently voiding the token the first one handed out.
        device = session.get(Device, ident.device_id, with_for_update=True, populate_existing=True)
        if device is None or device.token_hash != auth.digest(auth.bearer_token(authorization)):
            raise unauthorized()
        token = auth.new_token()
        device.token_hash = auth.digest(token)
        return TokenRefreshResponse(token=token, server_time=now)


@router.get("/api/v1/reference", response_model=ReferenceData, responses=ERRORS, tags=["sync"])
def reference(request: Request, context: Annotated[ServerContext, Depends(ctx)],
              authorization: Annotated[str | None, Header()] = None) -> ReferenceData | JSONResponse:
    """Categories, the SLA policy, holidays, and the calling office's units, accounts (with hashes) and contact
    details (protocol 5; a client older than that gets the answer without them)."""
    now = context.clock()
    data = _reference(context, authorization, now)
    newer = {name for name, since in REFERENCE_FIELDS_SINCE.items() if client_protocol(request) < since}
    return JSONResponse(data.model_dump(mode="json", exclude=newer)) if newer else data


def _reference(context: ServerContext, authorization: str | None, now: datetime) -> ReferenceData:
    with context.db.transaction() as session:
        ident = auth.device_from_token(session, authorization, now)
        check_rate(context, ident.device_id)
        cats = [{"id": c.id, "parent_id": c.parent_id, "name": c.name, "name_en": c.name_en, "active": c.active}
                for c in session.execute(select(Category).order_by(Category.id)).scalars()]
        policy = session.execute(select(SlaPolicyRecord).order_by(SlaPolicyRecord.effective_from.desc())
                                 .limit(1)).scalar()
        days = [{"day": h.day.isoformat(), "name": h.name, "kind": h.kind}
                for h in session.execute(select(Holiday).order_by(Holiday.day)).scalars()]
        units = [serialize.unit(u) for u in session.execute(
            select(Unit).where(Unit.office_id == ident.office_id).order_by(Unit.name)).scalars()]
        users = [serialize.user(u) for u in session.execute(
            select(User).where(User.office_id == ident.office_id).order_by(User.username)).scalars()]
        office = session.get(Office, ident.office_id)
        assert office is not None  # devices.office_id is a foreign key
        contact = OfficeContactData(**asdict(office_contact(office)))
        version = reference_version(session)
        return ReferenceData(categories=cats, sla_policy=json.loads(policy.policy_json) if policy else None,
                             holidays=days, units=units, users=users, version=version, office_contact=contact)
