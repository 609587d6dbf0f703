"""What the officer sees once an intake is saved: the tracking code to give the reporter (or the complaint the
account was linked to), files that could not be attached, and the way to the next intake."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.rules.citizen_view import status_pin
from ui.intake.flow import IntakeOutcome
from ui.intake.section import ERROR_COLOUR
from ui.style import muted, scaled_font


class DonePage(QWidget):
    new_requested = Signal()
    close_requested = Signal()
    print_requested = Signal()  # the receipt, through the printer dialog
    pdf_requested = Signal()  # the receipt saved as PDF (to e-mail to a reporter who wrote in)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 12, 0, 0)
        column.setSpacing(10)
        self.heading = QLabel(self)
        self.heading.setFont(scaled_font(self.heading.font(), 1.3, bold=True))
        column.addWidget(self.heading)
        self.code = QLabel(self)
        self.code.setFont(scaled_font(self.code.font(), 2.2, bold=True))
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.code.setAccessibleName(self.tr("Tracking code"))
        column.addWidget(self.code)
        self.pin = QLabel(self)
        self.pin.setFont(scaled_font(self.pin.font(), 1.2, bold=True))
        self.pin.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pin.setAccessibleName(self.tr("Status PIN"))
        column.addWidget(self.pin)
        self.explain = QLabel(self)
        self.explain.setWordWrap(True)
        column.addWidget(self.explain)
        self.files = QLabel(self)
        self.files.setWordWrap(True)
        self.files.setTextFormat(Qt.TextFormat.PlainText)
        self.files.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.files.hide()
        column.addWidget(self.files)
        self.next_hint = QLabel(self.tr("The complaint is saved on this PC and goes to the server at the next sync."),
                                self)
        self.next_hint.setWordWrap(True)
        muted(self.next_hint)
        column.addWidget(self.next_hint)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("&Print receipt…"), self)
        self.print_button.clicked.connect(self.print_requested)
        self.pdf_button = QPushButton(self.tr("Save receipt as P&DF…"), self)
        self.pdf_button.clicked.connect(self.pdf_requested)
        row.addWidget(self.print_button)
        row.addWidget(self.pdf_button)
        row.addSpacing(12)
        self.new_button = QPushButton(self.tr("New complaint"), self)
        self.new_button.clicked.connect(self.new_requested)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.close_requested)
        row.addWidget(self.new_button)
        row.addWidget(self.close_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addStretch(1)

    def show_outcome(self, outcome: IntakeOutcome, lang: str) -> None:
        self.code.setText(outcome.tracking_code)
        self.pin.setText(self.tr("Status PIN: %1").replace("%1", status_pin(outcome.complaint_id)))
        if outcome.linked:
            self.heading.setText(self.tr("Added to an existing complaint"))
            self.explain.setText(self.tr("The account was added to complaint %1 as a note on its timeline; no new "
                                         "complaint was made. Give the reporter this code: the matter is handled "
                                         "under it.").replace("%1", outcome.tracking_code))
        else:
            self.heading.setText(self.tr("Complaint registered"))
            self.explain.setText(self.tr("Give the reporter this tracking code: with it they can follow the "
                                         "complaint at the counter or on the status page."))
        lines = [f"{name}: {message.text(lang)}" for name, message in outcome.failed_files]
        self.files.setText("\n".join([self.tr("These files could not be attached:"), *lines]) if lines else "")
        self.files.setVisible(bool(lines))
        self.new_button.setFocus()
