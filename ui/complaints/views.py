"""The complaint list's saved views (Kotak Masuk, Perlu Verifikasi, ...): what each shows for a given user, and
their counts for the navigation, computed with a handful of indexed counts on the DB thread."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.domain import OPEN_STATUSES, DeadlineState, Status
from app.read import queries
from app.read.inbox import inbox_filter
from app.read.queries import ComplaintFilter
from app.rules.scope import Reach, Scope
from app.services.users import UserInfo
from app.timeutil import server_now

if TYPE_CHECKING:
    from ui.workspace import Workspace

_CONTEXT = "ComplaintViews"
_OPEN = tuple(sorted(OPEN_STATUSES))


@dataclass(frozen=True)
class ViewDef:
    """One entry of the navigation. ``title`` and ``hint`` are English source text; ``label()`` and
    ``tooltip()`` give them in the window's language."""

    key: str
    title: str
    hint: str

    def label(self) -> str:
        return QCoreApplication.translate(_CONTEXT, self.title)

    def tooltip(self) -> str:
        return QCoreApplication.translate(_CONTEXT, self.hint)


VIEWS: tuple[ViewDef, ...] = (
    ViewDef("inbox", QT_TRANSLATE_NOOP("ComplaintViews", "Inbox"),
            QT_TRANSLATE_NOOP("ComplaintViews", "Complaints waiting for your action")),
    ViewDef("verify", QT_TRANSLATE_NOOP("ComplaintViews", "To verify"),
            QT_TRANSLATE_NOOP("ComplaintViews", "New complaints not yet verified")),
    ViewDef("disposed", QT_TRANSLATE_NOOP("ComplaintViews", "Dispositioned"),
            QT_TRANSLATE_NOOP("ComplaintViews", "Sent to a unit, waiting for its follow-up")),
    ViewDef("awaiting_response", QT_TRANSLATE_NOOP("ComplaintViews", "Awaiting response"),
            QT_TRANSLATE_NOOP("ComplaintViews", "Followed up, waiting for the reporter's response")),
    ViewDef("overdue", QT_TRANSLATE_NOOP("ComplaintViews", "Overdue"),
            QT_TRANSLATE_NOOP("ComplaintViews", "Open complaints past their deadline")),
    ViewDef("all", QT_TRANSLATE_NOOP("ComplaintViews", "All"),
            QT_TRANSLATE_NOOP("ComplaintViews", "Every complaint of this office")),
    ViewDef("archived", QT_TRANSLATE_NOOP("ComplaintViews", "Archived"),
            QT_TRANSLATE_NOOP("ComplaintViews", "Archived complaints and those redirected as not our authority")),
)
VIEW_KEYS = tuple(v.key for v in VIEWS)


def view_def(key: str) -> ViewDef:
    for view in VIEWS:
        if view.key == key:
            return view
    raise KeyError(key)


def _inbox(user: UserInfo) -> ComplaintFilter:
    """What this user's role acts on (app.read.inbox: one table for every role, read within the role's scope)."""
    return inbox_filter(Scope.of(user))


def filter_for(view_key: str, user: UserInfo) -> ComplaintFilter:
    """The filter of a view for this user (KeyError for an unknown view)."""
    scope = Scope.of(user)
    if scope.reach == Reach.UNIT and user.unit_id:
        # A liaison's lists hold their unit's complaints only (app.rules.scope): the filter says so, and the filter
        # bar offers no other unit.
        return replace(_unscoped_filter(view_key, user), unit_id=user.unit_id)
    return _unscoped_filter(view_key, user)


def _unscoped_filter(view_key: str, user: UserInfo) -> ComplaintFilter:
    if view_key == "inbox":
        return _inbox(user)
    fixed = {
        "verify": ComplaintFilter(statuses=(Status.BELUM_TERVERIFIKASI,)),
        "disposed": ComplaintFilter(statuses=(Status.DIDISPOSISIKAN,)),
        "awaiting_response": ComplaintFilter(statuses=(Status.DITINDAKLANJUTI,)),
        "overdue": ComplaintFilter(statuses=_OPEN, deadline_state=DeadlineState.OVERDUE),
        "all": ComplaintFilter(),
        "archived": ComplaintFilter(statuses=(Status.DIARSIPKAN, Status.BUKAN_WEWENANG)),
    }
    return fixed[view_key]


def view_counts(ws: Workspace) -> dict[str, int]:
    """How many complaints each view holds for ``ws.user``. Runs on the DB thread: one grouped count by status,
    the overdue count and, for a unit liaison's inbox, one count by unit."""
    scope = Scope.of(ws.user)
    with ws.store.read() as session:
        now = server_now(session, ws.services.clock())
        policy, _ = ws.services.rules(session)
        by_status = queries.status_counts(session, scope)
        result: dict[str, int] = {}
        for view in VIEWS:
            f = filter_for(view.key, ws.user)
            if view.key == "overdue":
                result[view.key] = queries.overdue_count(session, scope, now)
            elif f.ids is not None and not f.ids:
                result[view.key] = 0
            elif f.unit_id or f.deadline_state or f.attention or f.ids is not None:
                result[view.key] = queries.count(session, scope, f, now=now,
                                                 due_soon=timedelta(hours=policy.due_soon_hours))
            elif f.statuses:
                result[view.key] = sum(by_status.get(s, 0) for s in f.statuses)
            else:
                result[view.key] = sum(by_status.values())
        return result
