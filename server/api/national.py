"""National-admin API: online complaints arrive here and are routed to offices."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path
from pydantic import BaseModel, ConfigDict, Field

from server import auth, national
from server.api.deps import ServerContext, ctx
from server.api.misc import ERRORS
from sync.protocol import TOKEN_PATTERN, ErrorBody, Text


class ReporterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Text = Field(default="", max_length=200)
    nik: Text | None = Field(default=None, max_length=32)
    phone: Text | None = Field(default=None, max_length=32)
    email: Text | None = Field(default=None, max_length=254)
    address: Text | None = Field(default=None, max_length=500)
    assistance_needs: Text | None = Field(default=None, max_length=500)
    consent_given: bool = False


class OnlineComplaintIn(BaseModel):
    """A complaint a citizen filed on the LAPOR! website or app."""

    model_config = ConfigDict(extra="forbid")
    classification: Text = Field(max_length=30)
    title: Text = Field(max_length=300)
    description: Text = Field(max_length=8000)
    category_id: Text | None = Field(default=None, max_length=64)
    incident_date: date | None = None
    region_code: Text | None = Field(default=None, max_length=13)
    address: Text | None = Field(default=None, max_length=500)
    latitude: float | None = None
    longitude: float | None = None
    is_anonymous: bool = False
    is_confidential: bool = False
    is_supervisory: bool = False
    reporter: ReporterIn | None = None
    office_id: str | None = Field(default=None, max_length=36, pattern=TOKEN_PATTERN,
                                  description="route at once to this office")


class ComplaintCreated(BaseModel):
    id: str
    tracking_code: str
    office_id: str | None
    status: str


class RouteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    office_id: str = Field(min_length=1, max_length=36, pattern=TOKEN_PATTERN)
    note: Text | None = Field(default=None, max_length=2000)


router = APIRouter(prefix="/api/v1/national", tags=["national"])
NATIONAL_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS, 403: {"model": ErrorBody}, 404: {"model": ErrorBody}, 409: {"model": ErrorBody},
    422: {"model": ErrorBody}}


@router.post("/complaints", response_model=ComplaintCreated, status_code=201, responses=NATIONAL_ERRORS)
def create_complaint(body: OnlineComplaintIn, context: Annotated[ServerContext, Depends(ctx)],
                     authorization: Annotated[str | None, Header()] = None) -> ComplaintCreated:
    auth.check_admin_token(context.settings.national_admin_token, authorization)
    inp = national.online_input(body.model_dump(exclude={"office_id"}))
    now = context.clock()
    with context.db.transaction() as session:
        c = national.create_online_complaint(session, inp, now, office_id=body.office_id)
        return ComplaintCreated(id=c.id, tracking_code=c.tracking_code, office_id=c.office_id, status=c.status)


@router.post("/complaints/{complaint_id}/route", response_model=ComplaintCreated, responses=NATIONAL_ERRORS)
def route_complaint(complaint_id: Annotated[str, Path(max_length=64, pattern=TOKEN_PATTERN)], body: RouteIn,
                    context: Annotated[ServerContext, Depends(ctx)],
                    authorization: Annotated[str | None, Header()] = None) -> ComplaintCreated:
    auth.check_admin_token(context.settings.national_admin_token, authorization)
    now = context.clock()
    with context.db.transaction() as session:
        c = national.route(session, complaint_id, body.office_id, now, note=body.note)
        return ComplaintCreated(id=c.id, tracking_code=c.tracking_code, office_id=c.office_id, status=c.status)


class OfficeOut(BaseModel):
    id: str
    region_code: str
    name: str
    tz: str


@router.get("/offices", response_model=list[OfficeOut], responses=NATIONAL_ERRORS)
def list_offices(context: Annotated[ServerContext, Depends(ctx)],
                 authorization: Annotated[str | None, Header()] = None) -> list[OfficeOut]:
    """Every office, for routing (and for ``lapor-server simulate-citizens``)."""
    from sqlalchemy import select

    from server.models import Office

    auth.check_admin_token(context.settings.national_admin_token, authorization)
    with context.db.transaction() as session:
        return [OfficeOut(id=o.id, region_code=o.region_code, name=o.name, tz=o.tz)
                for o in session.execute(select(Office).order_by(Office.region_code)).scalars()]
