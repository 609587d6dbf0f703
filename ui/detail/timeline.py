"""The timeline: every event of the complaint, newest first — who, when, what, and the text. Events from sync
that need a person's attention (a status change the server refused, a concurrent edit merged) are marked."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from app.domain import ArchiveReason, EventKind, Status
from app.read.detail import EventView
from app.reference.labels import label
from ui.detail.format import format_datetime
from ui.detail.parts import Section
from ui.detail.snapshot import DetailSnapshot

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for

MARKED_KINDS = frozenset({EventKind.TRANSITION_REJECTED, EventKind.CONFLICT_MERGED})
ATTENTION_COLOURS = ("#7a4a00", "#fff1d6")
# The stripe on the left of each event: what kind of step it was.
STRIPES: dict[str, str] = {
    EventKind.RECEIVED: "#1565c0", EventKind.DISPOSED: "#6a1b9a", EventKind.FOLLOW_UP: "#00796b",
    EventKind.REPORTER_RESPONSE: "#00796b", EventKind.CLOSED: "#2e7d32", EventKind.AUTO_CLOSED: "#2e7d32",
    EventKind.NOTE: "#90a4ae", EventKind.POSTPONED: "#b26a00", EventKind.TRANSITION_REJECTED: "#c62828",
    EventKind.CONFLICT_MERGED: "#c62828",
}
SHORT_VALUE = 80


def field_name(name: str) -> str:
    """The label of an editable field, for "edited" and "conflict" events."""
    names = {
        "title": translate("Timeline", "Title"), "description": translate("Timeline", "Description"),
        "classification": translate("Timeline", "Classification"), "category_id": translate("Timeline", "Category"),
        "incident_date": translate("Timeline", "Incident date"), "region_code": translate("Timeline", "Region"),
        "address": translate("Timeline", "Location"), "latitude": translate("Timeline", "Latitude"),
        "longitude": translate("Timeline", "Longitude"), "is_supervisory": translate("Timeline", "Supervisory"),
        "is_confidential": translate("Timeline", "Confidential"), "unit_id": translate("Timeline", "Unit"),
    }
    return names.get(name, name)


def _data(event: EventView) -> dict[str, Any]:
    try:
        data = json.loads(event.data_json) if event.data_json else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _status(value: Any, lang: str) -> str:
    try:
        return label(Status(value), lang)
    except ValueError:
        return str(value)


def _short(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= SHORT_VALUE else text[: SHORT_VALUE - 1] + "…"


def event_lines(event: EventView, snap: DetailSnapshot, lang: str) -> list[str]:
    """The facts of an event beyond its kind, actor and time, as lines of plain text."""
    data = _data(event)
    lines: list[str] = []
    kind = event.kind
    if kind == EventKind.DISPOSED and data.get("unit_id"):
        unit = snap.unit_names.get(data["unit_id"], data["unit_id"])
        lines.append(translate("Timeline", "To unit: %1").replace("%1", unit))
    if kind == EventKind.ARCHIVED and data.get("reason"):
        try:
            reason = label(ArchiveReason(data["reason"]), lang)
        except ValueError:
            reason = str(data["reason"])
        lines.append(translate("Timeline", "Reason: %1").replace("%1", reason))
    elif kind == EventKind.TRANSITION_REJECTED:
        asked = f"{_status(data.get('requested_from'), lang)} → {_status(data.get('requested_to'), lang)}"
        lines.append(translate("Timeline", "Requested: %1").replace("%1", asked))
        why = {"not_allowed_now": translate("Timeline", "the complaint's status had changed in the meantime"),
               "role_not_allowed": translate("Timeline", "this role may not make that change")}
        lines.append(translate("Timeline", "Refused because %1.").replace("%1", why.get(data.get("reason", ""),
                                                                                   str(data.get("reason", "")))))
    elif data.get("reason") and data.get("reason") != event.text:
        lines.append(translate("Timeline", "Reason: %1").replace("%1", str(data["reason"])))
    if data.get("suggested_office"):
        lines.append(translate("Timeline", "Suggested office: %1").replace("%1", str(data["suggested_office"])))
    if kind == EventKind.REPORTER_RESPONSE and "satisfied" in data:
        lines.append(translate("Timeline", "The reporter is satisfied.") if data["satisfied"]
                     else translate("Timeline", "The reporter is not satisfied."))
    if kind == EventKind.ATTACHMENT_ADDED and data.get("filename"):
        lines.append(str(data["filename"]))
    if kind == EventKind.EDITED and isinstance(data.get("changes"), dict):
        for name, change in data["changes"].items():
            old, new = (change + [None, None])[:2] if isinstance(change, list) else (None, change)
            lines.append(f"{field_name(name)}: {_short(old)} → {_short(new)}")
    if kind == EventKind.CONFLICT_MERGED and isinstance(data.get("conflicts"), dict):
        for name, both in data["conflicts"].items():
            both = both if isinstance(both, dict) else {}
            lines.append(translate("Timeline", "%1: this PC had %2, the server has %3").replace("%1", field_name(name))
                         .replace("%2", _short(both.get("mine"))).replace("%3", _short(both.get("theirs"))))
        lines.append(translate("Timeline", "Review it in the sync conflicts queue."))
    return lines


@dataclass(frozen=True)
class TimelineEntry:
    """One event as shown: what, when and who, the facts, the text, and whether it needs attention."""

    kind: str
    kind_label: str
    meta: str
    lines: tuple[str, ...]
    text: str | None
    marked: bool

    def plain(self) -> str:
        return "\n".join([self.kind_label, self.meta, *self.lines, *([self.text] if self.text else [])])


def timeline_entry(event: EventView, snap: DetailSnapshot, lang: str) -> TimelineEntry:
    try:
        kind_label = label(EventKind(event.kind), lang)
    except ValueError:
        kind_label = event.kind
    who = event.actor or translate("Timeline", "System")
    meta = f"{format_datetime(event.at, snap.tz, lang)} · {who}"
    if event.from_status and event.to_status and event.from_status != event.to_status:
        meta += f" · {_status(event.from_status, lang)} → {_status(event.to_status, lang)}"
    return TimelineEntry(event.kind, kind_label, meta, tuple(event_lines(event, snap, lang)), event.text,
                         event.kind in MARKED_KINDS)


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def entry_html(entry: TimelineEntry, muted_colour: str) -> str:
    """One event as a two-cell row: a coloured stripe for the kind of step, then the content (tinted when the
    event needs attention). Every text from the data is escaped: it may come from a reporter."""
    stripe = STRIPES.get(entry.kind, "#78909c")
    tint = f' bgcolor="{ATTENTION_COLOURS[1]}"' if entry.marked else ""
    head = f"<b>{_html(entry.kind_label)}</b>"
    if entry.marked:
        attention = translate("Timeline", "⚠ Needs attention")
        head += f' &nbsp;<span style="color:{ATTENTION_COLOURS[0]}; font-weight:600">{_html(attention)}</span>'
    parts = [head, f'<span style="color:{muted_colour}">{_html(entry.meta)}</span>']
    parts += [_html(line) for line in entry.lines]
    if entry.text:
        parts.append(_html(entry.text))
    return (f'<table width="100%" cellspacing="0" cellpadding="0" style="margin-bottom:10px"><tr>'
            f'<td width="3" bgcolor="{stripe}"></td><td width="8"{tint}></td>'
            f'<td{tint} style="padding-top:2px; padding-bottom:4px">{"<br>".join(parts)}</td></tr></table>')


def _muted_colour(palette: QPalette) -> str:
    """The placeholder colour made opaque over the background (rich text ignores a colour's alpha)."""
    fg, bg = palette.color(QPalette.ColorRole.PlaceholderText), palette.color(QPalette.ColorRole.Base)
    a = fg.alphaF()
    mix = [round(f * a + b * (1 - a)) for f, b in zip(fg.getRgb()[:3], bg.getRgb()[:3], strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


class TimelineView(QTextBrowser):
    """The events as one read-only rich-text document that is as tall as its text (the panel scrolls, not this).

    One document laid out once per width: a QLabel with rich text is laid out again for every height-for-width
    question the layouts ask, which made a long timeline the slowest part of opening a complaint.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setOpenLinks(False)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(0)
        self.setTabChangesFocus(True)

    def set_html(self, text: str) -> None:
        self.setHtml(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        self.document().setTextWidth(self.viewport().width())
        height = int(self.document().size().height()) + 2
        if self.height() != height:
            self.setFixedHeight(height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, self.height())


class TimelineSection(Section):
    """The complaint's history, newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Timeline"), parent)
        self.entries: list[TimelineEntry] = []
        self._html = ""
        self.document = TimelineView(self)
        self.document.setAccessibleName(self.tr("Timeline"))
        self.body.addWidget(self.document)

    def show_snapshot(self, snap: DetailSnapshot, lang: str) -> None:
        events = list(reversed(snap.detail.events))
        self.set_title(self.tr("Timeline (%n event(s), newest first)", "", len(events)))
        self.entries = [timeline_entry(e, snap, lang) for e in events]
        muted_colour = _muted_colour(self.palette())
        if self.entries:
            self._html = "".join(entry_html(e, muted_colour) for e in self.entries)
        else:
            self._html = _html(self.tr("No events yet."))
        self.document.set_html(self._html)
        self.document.setAccessibleDescription("\n\n".join(e.plain() for e in self.entries))

    def html(self) -> str:
        """The document as built (before Qt re-serialises it)."""
        return self._html
