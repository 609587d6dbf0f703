"""The complaint detail panel: header, the actions this user may take, deadlines, details, reporter,
attachments and timeline. Loads on the database thread; refreshes when the complaint changes."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.rules.availability import primary_action
from ui.actions.controller import ComplaintActions
from ui.detail.attachments import AttachmentsSection
from ui.detail.parts import clear_layout, scaled_font, value_label
from ui.detail.printing import DetailPrinting
from ui.detail.sections import DeadlinesSection, DescriptionSection, FactsSection, HeaderView, ReporterSection
from ui.detail.snapshot import DetailSnapshot, load_snapshot
from ui.detail.timeline import TimelineSection
from ui.style import muted
from ui.tasks import known_error_message
from ui.widgets.flow_layout import FlowLayout
from ui.workspace import Workspace

MIN_WIDTH = 380  # beside the list's key columns on a 1366-pixel screen
# One style sheet on the row of buttons rather than one per button (each is parsed and styled on its own, every
# time a complaint is opened); the first status change is the primary one.
BUTTONS_STYLE = (
    "QToolButton { background: palette(button); border: 1px solid palette(mid); border-radius: 4px;"
    " padding: 4px 10px; } QToolButton:hover { background: palette(light); }"
    " QToolButton:focus { border: 2px solid palette(highlight); }"
    'QToolButton[primary="true"] { background: #1565c0; color: white; border: 1px solid #0d47a1;'
    " font-weight: bold; }"
    'QToolButton[primary="true"]:hover { background: #1976d2; }'
    'QToolButton[primary="true"]:focus { border: 2px solid #0b2f6b; }')


class ComplaintDetailWidget(QWidget):
    """Shows one complaint; ``show_complaint(None)`` shows the empty state."""

    actions_changed = Signal()
    loaded = Signal(str)  # complaint id, after its data is on screen

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._id: str | None = None
        self._token = 0
        self._stale = False
        self.snapshot: DetailSnapshot | None = None
        self.setMinimumWidth(MIN_WIDTH)
        self.setAccessibleName(self.tr("Complaint detail"))
        self._actions = ComplaintActions(ws, self)
        self._actions.changed.connect(self._rebuild_buttons)
        self._actions.changed.connect(self.actions_changed)
        self.printing = DetailPrinting(ws, self)
        self._pages = QStackedWidget(self)
        self._empty, _ = self._message_page(self.tr("No complaint selected"),
                                         self.tr("Choose a complaint in the list to see its details, timeline "
                                                 "and the steps you can take."))
        self._error, self._error_text = self._message_page(self.tr("This complaint cannot be shown"), "")
        self._pages.addWidget(self._empty)
        self._pages.addWidget(self._error)
        self._pages.addWidget(self._build_content())
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self._pages)
        ws.hub.complaints_changed.connect(self._on_complaints_changed)

    # ---- public API -------------------------------------------------------------------------------------------

    @property
    def complaint_id(self) -> str | None:
        return self._id

    @property
    def complaint_actions(self) -> ComplaintActions:
        return self._actions

    def menu_actions(self) -> list[QAction]:
        """The actions for the main window's "Pengaduan" menu (enabled per what this user may do now)."""
        return self._actions.actions()

    def print_actions(self) -> list[QAction]:
        """Print or save as PDF the receipt and the status letter of the complaint shown (enabled while one is)."""
        return self.printing.actions()

    def show_complaint(self, complaint_id: str | None) -> None:
        """Load and show a complaint (on the database thread); a result for another complaint is dropped."""
        changed = complaint_id != self._id
        self._id = complaint_id
        self._token += 1
        self._stale = False
        if complaint_id is None:
            self.snapshot = None
            self.printing.set_target(None)
            self._actions.set_target(None, ())
            self._pages.setCurrentWidget(self._empty)
            return
        if changed:
            self._actions.suspend()  # no action on the old complaint while the new one loads
            self.printing.set_target(None)
        token = self._token
        user = self._ws.user
        self._ws.tasks.db(load_snapshot, self._ws.services, complaint_id, role=user.role, office_id=user.office_id,
                          user_unit_id=user.unit_id, on_success=lambda snap: self._loaded(token, snap),
                          on_failure=lambda exc: self._failed(token, exc), owner=self)

    def refresh(self) -> None:
        if self._id is not None:
            self.show_complaint(self._id)

    # ---- building ---------------------------------------------------------------------------------------------

    def _message_page(self, title: str, text: str) -> tuple[QWidget, QLabel]:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.addStretch(1)
        heading = QLabel(title, page)
        heading.setFont(scaled_font(page, 1.2, bold=True))
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading.setWordWrap(True)
        column.addWidget(heading)
        body = muted(value_label(text, page, selectable=False))
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setObjectName("messageText")
        column.addWidget(body)
        column.addStretch(2)
        return page, body

    def _build_content(self) -> QWidget:
        page = QWidget(self)
        page.setAutoFillBackground(True)
        page.setBackgroundRole(QPalette.ColorRole.Window)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        top = QWidget(page)
        top.setAutoFillBackground(True)
        top.setBackgroundRole(QPalette.ColorRole.Base)
        top_column = QVBoxLayout(top)
        top_column.setContentsMargins(16, 12, 16, 12)
        top_column.setSpacing(10)
        self.header = HeaderView(top)
        top_column.addWidget(self.header)
        self._buttons_box = QWidget(top)
        self._buttons_box.setStyleSheet(BUTTONS_STYLE)
        self._buttons = FlowLayout(self._buttons_box, spacing=6)
        self._buttons_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        top_column.addWidget(self._buttons_box)
        self._rebuild_buttons()  # the print buttons are there from the start
        column.addWidget(top)
        line = QFrame(page)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setForegroundRole(QPalette.ColorRole.Mid)
        column.addWidget(line)
        self._scroll = QScrollArea(page)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidgetResizable(True)
        # Everything wraps; only an extreme unbreakable value (a very long e-mail address with a very large font)
        # can need more than the panel's width, and then a scroll bar keeps it reachable instead of cut off.
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._scroll.setWidget(self._build_sections())
        column.addWidget(self._scroll, 1)
        self._content = page
        return page

    def _build_sections(self) -> QWidget:
        """A fresh page of sections. Each complaint gets new ones, built while not yet on screen and swapped in at
        once: much cheaper than emptying and refilling widgets that are shown (every hide re-lays the page out).
        Built inside the scroll area's viewport, where it will live (hidden until ``setWidget`` shows it): a page
        made without a parent would be styled a second time, whole, when the scroll area adopts it."""
        inner = QWidget(self._scroll.viewport())
        inner.setAutoFillBackground(True)
        inner.setBackgroundRole(QPalette.ColorRole.Window)
        sections = QVBoxLayout(inner)
        sections.setContentsMargins(12, 12, 12, 16)
        sections.setSpacing(10)
        self.deadlines = DeadlinesSection(inner)
        self.facts = FactsSection(inner)
        self.description = DescriptionSection(inner)
        self.reporter = ReporterSection(inner)
        self.attachments = AttachmentsSection(self._ws, inner)
        self.timeline = TimelineSection(inner)
        for section in (self.deadlines, self.facts, self.description, self.reporter, self.attachments,
                        self.timeline):
            sections.addWidget(section)
        sections.addStretch(1)
        return inner

    def _rebuild_buttons(self) -> None:
        clear_layout(self._buttons)
        available = self._actions.available
        primary = primary_action(available)
        # The new buttons come up with their row, in one go: shown one by one into a shown row, each would be
        # styled and laid out on its own.
        self._buttons_box.setVisible(False)
        for key in available:
            button = QToolButton(self._buttons_box)
            button.setDefaultAction(self._actions.action(key))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setProperty("primary", key == primary)
            button.setObjectName(f"action-button-{key}")
            self._buttons.addWidget(button)
        for button in self.printing.buttons(self._buttons_box):
            self._buttons.addWidget(button)
        self._buttons_box.setVisible(True)
        self._buttons_box.updateGeometry()

    # ---- results ----------------------------------------------------------------------------------------------

    def _loaded(self, token: int, snap: DetailSnapshot) -> None:
        if token != self._token or snap.complaint_id != self._id:
            return  # stale: another complaint was asked for since
        same = self.snapshot is not None and self.snapshot.complaint_id == snap.complaint_id
        scroll = self._scroll.verticalScrollBar().value() if same else 0
        self.snapshot = snap
        lang = self._ws.lang
        self.header.show_snapshot(snap, lang)
        inner = self._build_sections()
        for section in (self.deadlines, self.facts, self.description, self.reporter, self.timeline):
            section.show_snapshot(snap, lang)
        self.attachments.show_attachments(snap.detail.attachments)
        self._scroll.setWidget(inner)  # the previous page is deleted by the scroll area
        self.printing.set_target(snap.complaint_id)
        self._actions.set_target(snap.detail, snap.actions)
        self._pages.setCurrentWidget(self._content)
        bar = self._scroll.verticalScrollBar()
        bar.setValue(0)
        if scroll:  # a refresh of the same complaint keeps the reader's place, once the new page is laid out
            QTimer.singleShot(0, self, lambda: bar.setValue(scroll))
        self.loaded.emit(snap.complaint_id)

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self.snapshot = None
        self.printing.set_target(None)
        self._actions.set_target(None, ())
        self._error_text.setText(known_error_message(exc).text(self._ws.lang))
        self._pages.setCurrentWidget(self._error)

    def _on_complaints_changed(self, ids: list[str]) -> None:
        if self._id is None or (ids and self._id not in ids):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # refresh when shown again (no work for a hidden panel)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()
