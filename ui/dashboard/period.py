"""The period and unit chooser: month, quarter, year (typed, so a malformed one is possible and answered with a
clear message) or a custom range of days, in the office's zone; and the unit (or the whole office)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.read.choices import Choice
from ui.dashboard.compute import CUSTOM, MONTH, QUARTER, YEAR, PeriodChoice


def default_text(kind: str, today: date) -> str:
    if kind == MONTH:
        return f"{today:%Y-%m}"
    if kind == QUARTER:
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return str(today.year)


class PeriodBar(QWidget):
    """``requested`` when the person asks for figures (the button, Enter in the text, another kind or unit)."""

    requested = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.kind = QComboBox(self)
        for key, title in ((MONTH, self.tr("Month")), (QUARTER, self.tr("Quarter")), (YEAR, self.tr("Year")),
                           (CUSTOM, self.tr("From – to"))):
            self.kind.addItem(title, key)
        self.kind.setAccessibleName(self.tr("Kind of period"))
        self.text = QLineEdit(default_text(MONTH, today), self)
        self.text.setAccessibleName(self.tr("Period"))
        self.text.setMaximumWidth(110)
        self.first = self._date_edit(today.replace(day=1), self.tr("First day"))
        self.last = self._date_edit(today, self.tr("Last day"))
        self.unit = QComboBox(self)
        self.unit.setAccessibleName(self.tr("Unit"))
        self.unit.addItem(self.tr("All units"), None)
        self.show_button = QPushButton(self.tr("&Show"), self)
        period_label = QLabel(self.tr("&Period:"), self)
        period_label.setBuddy(self.kind)
        unit_label = QLabel(self.tr("&Unit:"), self)
        unit_label.setBuddy(self.unit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (period_label, self.kind, self.text, self.first, self.last, unit_label, self.unit):
            layout.addWidget(w)
        layout.addWidget(self.show_button)
        layout.addStretch(1)
        self._kind_changed()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.kind.currentIndexChanged.connect(self.requested)
        self.unit.currentIndexChanged.connect(self.requested)
        self.text.returnPressed.connect(self.requested)
        self.show_button.clicked.connect(self.requested)

    def _date_edit(self, day: date, name: str) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd-MM-yyyy")
        edit.setAccessibleName(name)
        return edit

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        custom = kind == CUSTOM
        self.text.setVisible(not custom)
        self.first.setVisible(custom)
        self.last.setVisible(custom)
        if not custom:
            self.text.setText(default_text(kind, self._today))
            hints = {MONTH: self.tr("year-month, e.g. 2026-10"), QUARTER: self.tr("year-quarter, e.g. 2026-Q3"),
                     YEAR: self.tr("year, e.g. 2026")}
            self.text.setToolTip(hints[kind])
            self.text.setPlaceholderText(hints[kind])

    def set_units(self, units: list[Choice]) -> None:
        current = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem(self.tr("All units"), None)
        for u in units:
            self.unit.addItem(u.name, u.id)
        found = self.unit.findData(current)
        self.unit.setCurrentIndex(max(0, found))
        self.unit.blockSignals(False)

    def choice(self) -> PeriodChoice:
        kind = self.kind.currentData()
        if kind == CUSTOM:
            return PeriodChoice(CUSTOM, first=self.first.date().toPython(), last=self.last.date().toPython())
        return PeriodChoice(kind, self.text.text())

    def set_choice(self, choice: PeriodChoice) -> None:
        """Set the chooser without asking for figures (the caller refreshes)."""
        self.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(choice.kind))
        if choice.kind == CUSTOM and choice.first and choice.last:
            self.first.setDate(QDate(choice.first.year, choice.first.month, choice.first.day))
            self.last.setDate(QDate(choice.last.year, choice.last.month, choice.last.day))
        else:
            self.text.setText(choice.text)
        self.blockSignals(False)

    def unit_id(self) -> str | None:
        return self.unit.currentData()
