"""A small status-bar notice while the holiday calendar is about to end or has ended (app.rules.sla.horizon_warning):
deadlines counted past its end take every weekday as a working day, so they are estimates. Read when the window
opens and after a sync brings new reference data (a new calendar); hidden otherwise."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QWidget

from app.rules.sla import horizon_warning
from app.services.context import ServiceContext
from ui.detail.format import DEADLINE_COLOURS, format_date
from ui.workspace import Workspace

_TEXT, _BACKGROUND = DEADLINE_COLOURS["DUE_SOON"]


def calendar_horizon(ctx: ServiceContext) -> tuple[date | None, date]:
    """The last day the holidays are known for, and today (database thread)."""
    with ctx.store.read() as session:
        _policy, calendar = ctx.rules(session)
    return calendar.horizon, ctx.clock().date()


class CalendarNotice(QLabel):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarNotice")
        self.setStyleSheet(f"#calendarNotice {{ color: {_TEXT}; background: {_BACKGROUND}; border-radius: 3px; "
                           "padding: 0px 6px; }")
        self.setAccessibleName(self.tr("Holiday calendar"))
        self.hide()
        self._ws = ws
        ws.hub.reference_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self._ws.tasks.db(calendar_horizon, self._ws.services, on_success=self.show_horizon, owner=self)

    def show_horizon(self, found: tuple[date | None, date]) -> None:
        horizon, today = found
        if horizon is None or horizon_warning(horizon, today) is None:
            self.hide()
            return
        when = format_date(horizon, self._ws.lang)
        text = self.tr("Holiday calendar ended on %1") if today > horizon else self.tr("Holiday calendar ends on %1")
        self.setText("⚠ " + text.replace("%1", when))
        self.setToolTip(self.tr("Deadlines after %1 count national holidays and cuti bersama as working days, so "
                                "they are estimates. Update LAPOR Desk or sync this PC to get the new calendar.")
                        .replace("%1", when))
        self.setAccessibleDescription(self.toolTip())
        self.show()
