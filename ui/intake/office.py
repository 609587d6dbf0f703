"""The office facts intake needs (its regency, its zone), read once per logged-in window on the database thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject

from app.services.intake import IntakeOffice, intake_office
from app.timeutil import zone
from ui.workspace import Workspace

_KEY = "intake.office"


def with_office(ws: Workspace, then: Callable[[IntakeOffice], None], owner: QObject) -> None:
    """Call ``then`` with the office's facts: at once when already read, else once the database thread has them."""
    cached = ws.extras.get(_KEY)
    if isinstance(cached, tuple) and cached[0] == ws.office_id:
        then(cached[1])
        return

    def loaded(facts: IntakeOffice) -> None:
        ws.extras[_KEY] = (ws.office_id, facts)
        then(facts)

    ws.tasks.db(intake_office, ws.store, ws.office_id, on_success=loaded, owner=owner)


def known_office(ws: Workspace) -> IntakeOffice | None:
    cached = ws.extras.get(_KEY)
    return cached[1] if isinstance(cached, tuple) and cached[0] == ws.office_id else None


def office_today(ws: Workspace) -> date:
    """Today in the office's zone (the date the service checks the incident date against), by the services' clock."""
    facts = known_office(ws)
    now = ws.services.clock()
    return now.astimezone(zone(facts.tz)).date() if facts is not None else now.astimezone().date()
