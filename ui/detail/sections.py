"""The parts of the detail panel above the timeline: header, deadlines, details, description and reporter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain import ArchiveReason, Channel, Classification, DeadlineKind, DeadlineState, Status
from app.reference.labels import label
from ui.detail.format import (
    DEADLINE_COLOURS,
    DEADLINE_MARKS,
    STATUS_COLOURS,
    format_date,
    format_datetime,
    relative_due,
)
from ui.detail.parts import Section, pill, scaled_font, value_label
from ui.detail.snapshot import DetailSnapshot
from ui.style import muted
from ui.widgets.flow_layout import FlowLayout

FLAG_COLOURS = ("#37474f", "#eceff1")
SECRET_COLOURS = ("#7a4a00", "#fff1d6")


class FieldGrid(QWidget):
    """Name/value rows: side by side when there is room, the name above its value in a narrow panel (or with a
    large system font), so a long e-mail address never pushes the panel wider than its splitter.

    A grid rather than a QFormLayout: wrapped values get their real height there.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(6)
        self._pairs: list[tuple[QLabel, QLabel]] = []
        self._stacked: bool | None = None
        self._widest = 0
        # One key width for every grid of the panel, so Details and Reporter line up.
        self._key_width = self.fontMetrics().averageCharWidth() * 17

    def add(self, name: str, value: str) -> QLabel:
        key = muted(QLabel(name, self))
        key.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        shown = value_label(value, self)
        shown.setAccessibleName(name)
        self._pairs.append((key, shown))
        # Measured once per pair (a wrapped label's size hint lays its text out), not again for every pair added.
        self._widest = max(self._widest, key.sizeHint().width(), shown.minimumSizeHint().width())
        self.setMinimumWidth(self._widest)  # the stacked arrangement's need; side by side only when it fits
        if self._stacked is not None and self._grid.count() == 2 * (len(self._pairs) - 1):
            self._place(len(self._pairs) - 1, key, shown, self._stacked)  # the others stay where they are
        else:
            self._arrange(self._stacked is True)
        return shown

    def _place(self, i: int, key: QLabel, value: QLabel, stacked: bool) -> None:
        if stacked:
            self._grid.addWidget(key, 2 * i, 0)
            self._grid.addWidget(value, 2 * i + 1, 0)
        else:
            self._grid.addWidget(key, i, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(value, i, 1, Qt.AlignmentFlag.AlignTop)

    def side_by_side_width(self) -> int:
        keys = max([self._key_width] + [k.sizeHint().width() for k, _ in self._pairs])
        values = max([0] + [v.minimumSizeHint().width() for _, v in self._pairs])
        return keys + self._grid.horizontalSpacing() + values

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange(event.size().width() < self.side_by_side_width())

    def _arrange(self, stacked: bool) -> None:
        if stacked == self._stacked and self._grid.count() == 2 * len(self._pairs):
            return
        self._stacked = stacked
        while self._grid.count():
            self._grid.takeAt(0)
        for i, (key, value) in enumerate(self._pairs):
            self._place(i, key, value, stacked)
        self._grid.setColumnMinimumWidth(0, 0 if stacked else self._key_width)
        self._grid.setColumnStretch(0, 1 if stacked else 0)
        self._grid.setColumnStretch(1, 0 if stacked else 1)


class HeaderView(QWidget):
    """Tracking code, title, status and the complaint's kind, channel and time of receipt."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        self.code = value_label("", self)
        self.code.setFont(scaled_font(self, 1.0, bold=True))
        self.code.setAccessibleName(self.tr("Tracking code"))
        self.code.setWordWrap(False)
        top = QWidget(self)
        self.flags = FlowLayout(top, spacing=6)  # the code, then its marks; wraps in a narrow panel
        self.flags.addWidget(self.code)
        column.addWidget(top)
        self.title = value_label("", self)
        self.title.setFont(scaled_font(self, 1.35, bold=True))
        self.title.setAccessibleName(self.tr("Title"))
        column.addWidget(self.title)
        meta = QHBoxLayout()
        meta.setSpacing(10)
        self.status = pill("", STATUS_COLOURS[Status.BELUM_TERVERIFIKASI], self)
        self.status.setAccessibleName(self.tr("Status"))
        meta.addWidget(self.status)
        self.meta = muted(value_label("", self))
        meta.addWidget(self.meta, 1)
        column.addLayout(meta)

    def show_snapshot(self, snap: DetailSnapshot, lang: str) -> None:
        d = snap.detail
        self.code.setText(d.tracking_code)
        self.title.setText(d.title)
        self.status.setText(label(Status(d.status), lang))
        self.status.set_colours(STATUS_COLOURS.get(d.status, FLAG_COLOURS))
        received = format_datetime(d.received_at, snap.tz, lang)
        self.meta.setText(" · ".join([label(Classification(d.classification), lang), label(Channel(d.channel), lang),
                                      self.tr("received %1").replace("%1", received)]))
        while self.flags.count() > 1:  # keep the code, drop the old marks
            item = self.flags.takeAt(1)
            if item is not None and item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        marks = []
        if d.is_anonymous:
            marks.append((self.tr("Anonymous"), SECRET_COLOURS))
        if d.is_confidential:
            marks.append((self.tr("Confidential"), SECRET_COLOURS))
        if d.is_supervisory:
            marks.append((self.tr("Supervisory"), FLAG_COLOURS))
        for text, colours in marks:
            self.flags.addWidget(pill(text, colours, self))


class DeadlinesSection(Section):
    """Each running deadline with its state, as colour and as words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Deadlines"), parent)

    def show_snapshot(self, snap: DetailSnapshot, lang: str) -> None:
        self.clear()
        if not snap.deadlines:
            self.body.addWidget(muted(value_label(self.tr("No running deadline: the complaint is no longer open."),
                                                  self)))
            return
        self.body.setSpacing(10)
        for info in snap.deadlines:
            row = QHBoxLayout()
            row.setSpacing(10)
            state = DeadlineState(info.state)
            mark = f"{DEADLINE_MARKS[state]} {label(state, lang)}"
            if state != DeadlineState.NONE:
                mark += f" · {relative_due(info.due_at, snap.now)}"
            badge = pill(mark, DEADLINE_COLOURS[state], self, wrap=True)
            badge.setAccessibleName(self.tr("Deadline state"))
            text = QVBoxLayout()
            text.setSpacing(0)
            name = value_label(label(DeadlineKind(info.kind), lang), self)
            name.setFont(scaled_font(self, 1.0, bold=True))
            text.addWidget(name)
            when = format_datetime(info.due_at, snap.tz, lang)
            due = value_label((self.tr("due %1 (estimate)") if info.estimated else self.tr("due %1")).replace(
                "%1", when), self)
            if info.estimated:
                due.setToolTip(self.tr("Counted past the end of the holiday calendar: national holidays and cuti "
                                       "bersama after that are not known yet. Update LAPOR Desk or sync to get "
                                       "the new calendar."))
            text.addWidget(muted(due))
            row.addLayout(text, 1)
            row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
            self.body.addLayout(row)


class FactsSection(Section):
    """Category, unit, place and dates."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Details"), parent)

    def show_snapshot(self, snap: DetailSnapshot, lang: str) -> None:
        self.clear()
        d = snap.detail
        form = FieldGrid(self)
        none = self.tr("—")
        form.add(self.tr("Category"), d.category or self.tr("not set"))
        form.add(self.tr("Unit"), d.unit or self.tr("not yet dispositioned"))
        form.add(self.tr("Region"), " › ".join(snap.region_names) or (d.region_code or none))
        form.add(self.tr("Location"), d.address or none)
        if d.latitude is not None and d.longitude is not None:
            form.add(self.tr("Coordinates"), f"{d.latitude:.5f}, {d.longitude:.5f}")
        form.add(self.tr("Incident date"), format_date(d.incident_date, lang) if d.incident_date
                 else self.tr("not known"))
        if d.archive_reason:
            form.add(self.tr("Archive reason"), label(ArchiveReason(d.archive_reason), lang))
        self.body.addWidget(form)


class DescriptionSection(Section):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Description"), parent)
        self.text = value_label("", self)
        self.text.setAccessibleName(self.tr("Description"))
        self.body.addWidget(self.text)

    def show_snapshot(self, snap: DetailSnapshot, lang: str) -> None:
        self.text.setText(snap.detail.description)


class ReporterSection(Section):
    """The reporter as the privacy rules allow: an anonymous reporter's identity only for roles that may see it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Reporter"), parent)

    def show_snapshot(self, snap: DetailSnapshot, lang: str) -> None:
        self.clear()
        d, r = snap.detail, snap.detail.reporter
        if not r.visible:
            hidden = value_label(self.tr("Identity withheld") if d.is_anonymous
                                 else self.tr("Identity not shown for your role"), self)
            hidden.setFont(scaled_font(self, 1.0, bold=True))
            hidden.setObjectName("reporterHidden")
            self.body.addWidget(hidden)
            if d.is_anonymous:
                self.body.addWidget(muted(value_label(
                    self.tr("The reporter asked to stay anonymous. Only the office administrator sees who it is."),
                    self)))
            return
        if d.is_anonymous:
            warn = pill(self.tr("Anonymous: do not pass this identity on"), SECRET_COLOURS, self)
            self.body.addWidget(warn)
        form = FieldGrid(self)
        rows = [(self.tr("Name"), r.name), (self.tr("NIK"), r.nik), (self.tr("Phone"), r.phone),
                (self.tr("E-mail"), r.email), (self.tr("Address"), r.address),
                (self.tr("Assistance needs"), r.assistance_needs)]
        for name, value in rows:
            if value:
                form.add(name, value)
        if not any(value for _, value in rows):
            self.body.addWidget(muted(value_label(self.tr("No contact details recorded."), self)))
        self.body.addWidget(form)
