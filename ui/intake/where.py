"""Where it happened: the region (starting at the office's own regency), the place, optional coordinates."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from app.services.intake import IntakeOffice
from ui.intake.office import with_office
from ui.intake.region_picker import RegionPicker
from ui.intake.section import IntakeSection, set_text, text_box
from ui.workspace import Workspace


class WhereSection(IntakeSection):
    """Where it happened: the region (starting at the office's own regency), the address, optional coordinates."""

    def __init__(self, ws: Workspace, *, counter: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(ws, counter=counter, parent=parent)
        self.add_keys("region_code", "address", "latitude", "longitude")
        self.region = RegionPicker(ws, self)
        self.region.changed.connect(self.emit_changed)
        self.add_row("region_code", self.tr("Region"), self.region)
        self.address = text_box(2, self)
        self.address.setPlaceholderText(self.tr("Street, RT/RW, a landmark nearby"))
        self.address.textChanged.connect(self.emit_changed)
        self.add_row("address", self.tr("Place"), self.address)
        coords = QWidget(self)
        row = QHBoxLayout(coords)
        row.setContentsMargins(0, 0, 0, 0)
        self.latitude = QLineEdit(coords)
        self.latitude.setPlaceholderText(self.tr("latitude, e.g. -7.7156"))
        self.latitude.setAccessibleName(self.tr("Latitude"))
        self.longitude = QLineEdit(coords)
        self.longitude.setPlaceholderText(self.tr("longitude, e.g. 110.3551"))
        self.longitude.setAccessibleName(self.tr("Longitude"))
        for edit in (self.latitude, self.longitude):
            edit.textChanged.connect(self.emit_changed)
            row.addWidget(edit)
        self.latitude.textEdited.connect(self._split_pasted_pair)
        self.coordinates_row = self.add_row(
            "latitude", self.tr("Coordinates"), coords, owns=("longitude",),
            hint=self.tr("Optional. A pair copied from a map app (-7.7156, 110.3551) can be pasted into the first "
                         "box."))
        self._home: str | None = None
        self._restored = False
        if counter:
            self.form.setRowVisible(self.coordinates_row, False)
        with_office(ws, self._office_known, self)

    def title(self) -> str:
        return self.tr("Where it happened")

    def _office_known(self, office: IntakeOffice) -> None:
        self._home = ".".join(office.region_code.split(".")[:2])
        self.region.set_home(self._home)
        if not self._restored:
            self.region.set_code(self._home)

    def _split_pasted_pair(self, text: str) -> None:
        parts = [p for p in text.replace(";", " ").replace(", ", " ").split() if p]
        if len(parts) == 2:
            self.latitude.setText(parts[0])
            self.longitude.setText(parts[1])

    @staticmethod
    def _number(edit: QLineEdit) -> float | str | None:
        """A typed coordinate as a number (a decimal comma read as a point); text that is not one is kept as it
        was typed, so the check says so and the draft gives it back."""
        text = edit.text().strip()
        if not text:
            return None
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text

    def collect(self, draft: dict[str, Any]) -> None:
        draft["region_code"] = self.region.code()
        draft["address"] = self.address.text() if self.address.text().strip() else None
        draft["latitude"] = self._number(self.latitude)
        draft["longitude"] = self._number(self.longitude)

    def restore(self, draft: dict[str, Any]) -> None:
        self._restored = True
        code = draft.get("region_code")
        self.region.set_code(code if isinstance(code, str) else None)
        set_text(self.address, draft.get("address"))
        for edit, key in ((self.latitude, "latitude"), (self.longitude, "longitude")):
            value = draft.get(key)
            edit.setText("" if value is None else str(value))

    def clear(self) -> None:
        self._restored = False
        self.region.set_code(self._home)
        self.address.clear()
        self.latitude.clear()
        self.longitude.clear()
        self.show_problems({})

    def focus_target(self, key: str) -> QWidget | None:
        if key == "region_code":
            return self.region.combos[0]
        if key in ("latitude", "longitude"):
            return self.latitude if key == "latitude" else self.longitude
        return super().focus_target(key)
