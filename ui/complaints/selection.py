"""The bar shown above the list while several complaints are selected: how many, and the steps that can be taken
on all of them at once (ui.actions.bulk: dispose, archive), each enabled only when every selected complaint may
take it; a button that says why not is never hidden, so the person learns what to change in the selection."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.services.bulk import MAX_SELECTION
from ui.actions.bulk import Selected, bulk_allowed
from ui.workspace import Workspace


class SelectionBar(QFrame):
    act = Signal(str)  # "dispose" or "archive": open the form for the selection
    clear = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self.setObjectName("selection-bar")
        self.setStyleSheet("#selection-bar { background: #e8f0fb; border: 1px solid #b8cbe6; border-radius: 4px; }")
        self.label = QLabel(self)
        self.dispose_button = QPushButton(self.tr("Verify and dispose all…"), self)
        self.archive_button = QPushButton(self.tr("Archive all…"), self)
        self.clear_button = QPushButton(self.tr("Clear selection"), self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        for button in (self.dispose_button, self.archive_button, self.clear_button):
            layout.addWidget(button)
        self.dispose_button.clicked.connect(lambda: self.act.emit("dispose"))
        self.archive_button.clicked.connect(lambda: self.act.emit("archive"))
        self.clear_button.clicked.connect(self.clear.emit)
        self.hide()

    def show_for(self, selection: Sequence[Selected]) -> None:
        """Shown for two or more selected complaints; hidden otherwise."""
        if len(selection) < 2:
            self.hide()
            return
        self.label.setText(self.tr("%n complaints selected", "", len(selection)))
        too_many = len(selection) > MAX_SELECTION
        for action, button in (("dispose", self.dispose_button), ("archive", self.archive_button)):
            allowed = not too_many and bulk_allowed(self._ws, action, selection)
            button.setEnabled(allowed)
            if too_many:
                button.setToolTip(self.tr("At most %n complaints at once.", "", MAX_SELECTION))
            elif not allowed:
                button.setToolTip(self.tr("Not every selected complaint can take this step now (its status, or "
                                          "your role)."))
            else:
                button.setToolTip("")
        self.show()
