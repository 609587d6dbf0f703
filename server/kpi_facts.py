"""The KPI facts of an office and period from the national server's tables, for the same app.kpi definitions the PCs
use (app.kpi.definitions, app.kpi.breakdowns): two statements, SQLite or PostgreSQL, no ORM object per complaint.

The complaints the server holds for an office are the ones its PCs hold after a sync (a complaint re-routed away
has left both), and the selection and the meaning of the rows are app.kpi.facts's: so an office's figures on its PC
and here are equal once the PC has synced (tests/sync/test_kpi_agreement.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, or_, select
from sqlalchemy.orm import Session, aliased

from app.domain import OPEN_STATUSES
from app.kpi.assess import Assessed, KpiRules, assess, bulk_build
from app.kpi.facts import (
    STATUS_EVENT_KINDS,
    ComplaintFacts,
    ComplaintRow,
    SelectionWindow,
    build_facts,
    group_events,
    selection_window,
)
from app.kpi.period import ReportPeriod
from app.rules.sla import load_calendar, load_policy
from app.timeutil import utcnow
from server.models import Complaint, Holiday, Office, SlaPolicyRecord, TimelineEvent

_OPEN = sorted(s.value for s in OPEN_STATUSES)


def load_rules(session: Session, office_id: str, today: date | None = None) -> KpiRules:
    """The server's policy in force on ``today`` (UTC date; default today), its working calendar and the office's
    zone: what the PCs receive as reference data."""
    tz = session.scalar(select(Office.tz).where(Office.id == office_id))
    return KpiRules(load_policy(session, today or utcnow().date(), table=SlaPolicyRecord),
                    load_calendar(session, table=Holiday), tz or "Asia/Jakarta")


def _selected(office_id: str, window: SelectionWindow) -> ColumnElement[bool]:
    """app.kpi.facts.SelectionWindow as SQL: the office's complaints the period may need."""
    touched = aliased(TimelineEvent)
    return and_(
        Complaint.office_id == office_id,
        Complaint.received_at < window.received_until,
        or_(Complaint.received_at >= window.since, Complaint.status.in_(_OPEN),
            exists().where(touched.complaint_id == Complaint.id, touched.at >= window.since,
                           touched.kind.in_(STATUS_EVENT_KINDS))),
    )


def read_facts(session: Session, office_id: str, window: SelectionWindow) -> list[ComplaintFacts]:
    """The facts of the office's complaints inside ``window``, in one transaction's view."""
    selected = _selected(office_id, window)
    with bulk_build():
        return _read(session, selected)


def read_by_ids(session: Session, complaint_ids: Sequence[str]) -> list[ComplaintFacts]:
    """The facts of these complaints, each for the office that holds it (none for one no office holds). The two
    statements are built once (every push reads its complaints here: building them was half the reading)."""
    ids = {"ids": list(complaint_ids)}
    events = group_events(session.execute(_EVENTS_BY_IDS, ids).all())
    return [build_facts(ComplaintRow._make(row), events.get(row[0], ()))
            for row in session.execute(_ROWS_BY_IDS, ids).all()]


def read_office(session: Session, office_id: str) -> list[ComplaintFacts]:
    """The facts of every complaint the office holds."""
    return _read(session, Complaint.office_id == office_id)


def _events_query(selected: ColumnElement[bool]) -> Select[Any]:
    return (select(TimelineEvent.complaint_id, TimelineEvent.at, TimelineEvent.id, TimelineEvent.kind,  # type: ignore[return-value]
                   TimelineEvent.to_status)
            .join(Complaint, Complaint.id == TimelineEvent.complaint_id)
            .where(selected, TimelineEvent.kind.in_(STATUS_EVENT_KINDS), TimelineEvent.to_status.is_not(None)))


def _rows_query(selected: ColumnElement[bool]) -> Select[Any]:
    return select(  # type: ignore[return-value]
        Complaint.id, Complaint.office_id, Complaint.received_at, Complaint.classification, Complaint.is_supervisory,
        Complaint.status, Complaint.archive_reason, Complaint.category_id, Complaint.unit_id, Complaint.region_code,
        Complaint.channel, Complaint.is_confidential, Complaint.disposed_at, Complaint.followed_up_at,
        Complaint.postponed_at).where(selected)


_BY_IDS = and_(Complaint.id.in_(bindparam("ids", expanding=True)), Complaint.office_id.is_not(None))
# What a complaint's KPI facts are read from: these columns, and its timeline entries of STATUS_EVENT_KINDS with a
# status. A change to nothing else (a title, an address, a note) cannot move its marks (kpi_national.quiet).
FACT_COLUMNS = frozenset(column.key for column in _rows_query(_BY_IDS).selected_columns)
_EVENTS_BY_IDS, _ROWS_BY_IDS = _events_query(_BY_IDS), _rows_query(_BY_IDS)


def _read(session: Session, selected: ColumnElement[bool]) -> list[ComplaintFacts]:
    events = group_events(session.execute(_events_query(selected)).all())
    rows = session.execute(_rows_query(selected)).all()
    return [build_facts(ComplaintRow._make(row), events.get(row[0], ())) for row in rows]


def assess_office(session: Session, office_id: str, period: ReportPeriod, today: date | None = None) -> Assessed:
    """The office's complaints that may count for ``period``, assessed under the server's rules."""
    rules = load_rules(session, office_id, today)
    start, end = period.bounds(rules.tz)
    return assess(read_facts(session, office_id, selection_window(start, end, rules.policy)), rules)
