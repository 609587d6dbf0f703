"""The filter bar above the complaint list: status, category, unit, channel, period and deadline state, each a
combo whose first entry ("All …") filters nothing, and a Reset button. A field the current view fixes (the
status of "To verify", the unit of a liaison's inbox) is disabled."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QPushButton, QWidget

from app.domain import Channel, DeadlineState, Status
from app.read.queries import ComplaintFilter
from app.reference.labels import label
from ui.complaints.fetch import FilterChoices
from ui.widgets.flow_layout import FlowLayout

PERIODS = ("any", "7d", "30d", "year", "custom")
_INDENT = "    "


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lang = lang
        self._quiet = False
        self.status = self._combo(self.tr("Filter by status"))
        self.category = self._combo(self.tr("Filter by category"), chars=18)
        self.unit = self._combo(self.tr("Filter by unit"), chars=18)
        self.channel = self._combo(self.tr("Filter by channel"))
        self.period = self._combo(self.tr("Filter by date received"))
        self.deadline = self._combo(self.tr("Filter by deadline state"))
        self.date_from = self._date_edit(self.tr("Received from"))
        self.date_to = self._date_edit(self.tr("Received until"))
        self.reset_button = QPushButton(self.tr("&Reset"), self)
        self.reset_button.setToolTip(self.tr("Clear every filter and the search"))
        self.reset_button.setAccessibleName(self.tr("Reset filters"))
        layout = FlowLayout(self)
        for w in (self.status, self.category, self.unit, self.channel, self.period, self.date_from, self.date_to,
                  self.deadline, self.reset_button):
            layout.addWidget(w)
        self._fill_static()
        self.set_choices(FilterChoices([], []))
        self.set_view_filter(ComplaintFilter())
        self.period.currentIndexChanged.connect(self._period_changed)
        self.date_from.dateChanged.connect(self._emit)
        self.date_to.dateChanged.connect(self._emit)
        self._period_changed()

    def _combo(self, name: str, *, chars: int = 0) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        if chars:  # long names (categories, units): a fixed width, the list itself as wide as its entries
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(chars)
        else:
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setAccessibleName(name)
        edit.setToolTip(name)
        return edit

    def _fill_static(self) -> None:
        self._quiet = True
        self.channel.addItem(self.tr("All channels"), None)
        for ch in Channel:
            self.channel.addItem(label(ch, self._lang), ch.value)
        for key, text in zip(PERIODS, (self.tr("Any time"), self.tr("Last 7 days"), self.tr("Last 30 days"),
                                       self.tr("This year"), self.tr("Date range…")), strict=True):
            self.period.addItem(text, key)
        self.deadline.addItem(self.tr("All deadlines"), None)
        for st in (DeadlineState.OVERDUE, DeadlineState.DUE_SOON, DeadlineState.ON_TIME, DeadlineState.NONE):
            self.deadline.addItem(label(st, self._lang), st.value)
        self._quiet = False

    # ---- what the bar offers ---------------------------------------------------------------------------------

    def set_choices(self, choices: FilterChoices) -> None:
        """Categories and units from the database (kept selected if still offered)."""
        self._quiet = True
        for combo, all_text, items in ((self.category, self.tr("All categories"), choices.categories),
                                       (self.unit, self.tr("All units"), choices.units)):
            keep = combo.currentData()
            combo.clear()
            combo.addItem(all_text, None)
            for item in items:
                combo.addItem(_INDENT * item.depth + item.name, item.id)
            combo.setCurrentIndex(max(0, combo.findData(keep)) if keep else 0)
            view = combo.view()
            view.setMinimumWidth(view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width() + 8)
        self._quiet = False
        self._mark_active()

    def set_view_filter(self, base: ComplaintFilter) -> None:
        """Offer only the statuses the view shows; disable what the view fixes."""
        self._quiet = True
        keep = self.status.currentData()
        self.status.clear()
        statuses = [s for s in Status if not base.statuses or s in base.statuses]
        self.status.addItem(self.tr("All statuses"), None)
        for s in statuses:
            self.status.addItem(label(s, self._lang), s.value)
        self.status.setCurrentIndex(max(0, self.status.findData(keep)) if keep else 0)
        self.status.setEnabled(len(statuses) > 1)
        self.unit.setEnabled(not base.unit_id)
        self.deadline.setEnabled(not base.deadline_state)
        self._quiet = False
        self._mark_active()

    # ---- what the bar asks for -------------------------------------------------------------------------------

    def merged(self, base: ComplaintFilter, today: date) -> ComplaintFilter:
        """The view's filter narrowed by the bar."""
        status = self.status.currentData() if self.status.isEnabled() else None
        statuses = (status,) if status else base.statuses
        start, end = self.period_range(today)
        return replace(
            base, statuses=tuple(statuses),
            category_id=self.category.currentData() or base.category_id,
            unit_id=base.unit_id or self.unit.currentData(),
            channel=self.channel.currentData() or base.channel,
            received_from=start, received_to=end,
            deadline_state=base.deadline_state or self.deadline.currentData(),
        )

    def period_range(self, today: date) -> tuple[date | None, date | None]:
        key = self.period.currentData()
        if key == "7d":
            return today - timedelta(days=6), today
        if key == "30d":
            return today - timedelta(days=29), today
        if key == "year":
            return date(today.year, 1, 1), today
        if key == "custom":
            start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
            return (start, end) if start <= end else (end, start)
        return None, None

    def is_active(self) -> bool:
        return any(c.isEnabled() and c.currentIndex() > 0
                   for c in (self.status, self.category, self.unit, self.channel, self.period, self.deadline))

    def reset(self) -> None:
        """Every combo back to "All …" (one ``changed``)."""
        self._quiet = True
        for combo in (self.status, self.category, self.unit, self.channel, self.period, self.deadline):
            combo.setCurrentIndex(0)
        self._quiet = False
        self._period_changed()

    def set_today(self, today: date) -> None:
        """The default range of the date edits (the last 30 days)."""
        self._quiet = True
        self.date_from.setDate(QDate(today - timedelta(days=29)))
        self.date_to.setDate(QDate(today))
        self._quiet = False

    # ---- internals -------------------------------------------------------------------------------------------

    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self._emit()

    def _emit(self) -> None:
        if self._quiet:
            return
        self._mark_active()
        self.changed.emit()

    def _mark_active(self) -> None:
        for combo in (self.status, self.category, self.unit, self.channel, self.period, self.deadline):
            active = combo.isEnabled() and combo.currentIndex() > 0
            if combo.property("active") != active:
                combo.setProperty("active", active)
                combo.style().unpolish(combo)
                combo.style().polish(combo)
