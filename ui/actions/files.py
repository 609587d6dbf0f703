"""Choosing files to attach: a short list with Add…/Remove, and the checks the attachment service would make
(type, size, existence) done before anything is written, so a bad file never leaves half a change behind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import Message
from app.rules.records import ALLOWED_EXTENSIONS, MAX_ATTACHMENT_BYTES

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for


class FilePicker(QWidget):
    """A list of files chosen to attach."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths: list[Path] = []
        self._list = QListWidget(self)
        self._list.setAccessibleName(self.tr("Files to attach"))
        self._list.setMaximumHeight(self._list.fontMetrics().lineSpacing() * 5 + 10)
        add = QPushButton(self.tr("&Add files…"), self)
        add.clicked.connect(self.choose)
        self._remove = QPushButton(self.tr("Re&move"), self)
        self._remove.clicked.connect(self._remove_selected)
        self._remove.setEnabled(False)
        self._list.currentRowChanged.connect(lambda row: self._remove.setEnabled(row >= 0))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self._remove)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self._list)
        column.addLayout(buttons)

    def files(self) -> list[Path]:
        return list(self._paths)

    def set_files(self, paths: list[Path]) -> None:
        self._paths = []
        self._list.clear()
        self.add_files(paths)

    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            if path not in self._paths:
                self._paths.append(path)
                self._list.addItem(path.name)
        self.changed.emit()

    def choose(self) -> None:
        patterns = " ".join(f"*{ext}" for ext in sorted(ALLOWED_EXTENSIONS))
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose files to attach"), "",
                                                self.tr("Supported files (%1)").replace("%1", patterns))
        self.add_files([Path(n) for n in names])

    def _remove_selected(self) -> None:
        row = self._list.currentRow()
        if row >= 0:
            self._list.takeItem(row)
            del self._paths[row]
            self.changed.emit()


def _local(text: str) -> Message:
    """A message made here, already in the window's language (translated with Qt), as the forms expect."""
    return Message(text, text)


def file_problem(path: Path) -> Message | None:
    """Why this file cannot be attached, or None (the same rules as app.services.records.attach_file)."""
    if path.suffix.lower() not in ALLOWED_EXTENSIONS:
        text = translate("FilePicker", "%1: unsupported file type. Use PDF, images, Office documents, text, "
                                       "audio or video.")
        return _local(text.replace("%1", path.name))
    if not path.is_file():
        return _local(translate("FilePicker", "%1: file not found.").replace("%1", path.name))
    if path.stat().st_size > MAX_ATTACHMENT_BYTES:
        mb = str(MAX_ATTACHMENT_BYTES // (1024 * 1024))
        return _local(translate("FilePicker", "%1: the file is too large (at most %2 MB).").replace("%1", path.name)
                      .replace("%2", mb))
    return None


def files_problem(paths: list[Path]) -> Message | None:
    problems = [p.id for p in (file_problem(path) for path in paths) if p is not None]
    return _local("\n".join(problems)) if problems else None
