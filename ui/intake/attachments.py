"""Attachments at intake: files chosen from disk, or a page just scanned (the scanner's output folder, a setting,
listed newest first). Every file is checked as it is added (ui.intake.attachment_checks) and refused with the
reason; the files are attached once the complaint is saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.rules.records import ALLOWED_EXTENSIONS, MAX_ATTACHMENT_BYTES
from ui.intake.attachment_checks import ScannedFile, attachment_problem, scanner_files
from ui.intake.draft_keys import ATTACHMENTS
from ui.intake.section import ERROR_COLOUR, IntakeSection
from ui.settings import SCANNER_FOLDER
from ui.style import muted
from ui.workspace import Workspace

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def size_text(size: int) -> str:
    locale = QLocale()
    if size >= 1024 * 1024:
        return locale.toString(size / (1024 * 1024), "f", 1) + " MB"
    return locale.toString(max(1, round(size / 1024))) + " KB"


class AttachmentsSection(IntakeSection):
    def __init__(self, ws: Workspace, *, counter: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(ws, counter=counter, parent=parent)
        self.add_keys(ATTACHMENTS)
        self._paths: list[Path] = []
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.list = QListWidget(box)
        self.list.setAccessibleName(self.tr("Files to attach"))
        self.list.setMaximumHeight(self.list.fontMetrics().lineSpacing() * 4 + 10)
        self.list.hide()
        column.addWidget(self.list)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add files…"), box)
        self.add_button.clicked.connect(self.choose_files)
        self.scanner_button = QPushButton(self.tr("From the scanner…"), box)
        self.scanner_button.clicked.connect(self.toggle_scanner)
        self.remove_button = QPushButton(self.tr("Remove"), box)
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setEnabled(False)
        self.remove_button.hide()  # shown with the list of files
        self.list.currentRowChanged.connect(lambda row: self.remove_button.setEnabled(row >= 0))
        for button in (self.add_button, self.scanner_button, self.remove_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.refused = QLabel(box)
        self.refused.setWordWrap(True)
        self.refused.setTextFormat(Qt.TextFormat.PlainText)
        self.refused.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.refused.hide()
        column.addWidget(self.refused)
        self.scanner = self._scanner_panel(box)
        column.addWidget(self.scanner)
        mb = MAX_ATTACHMENT_BYTES // (1024 * 1024)
        self.add_row(ATTACHMENTS, self.tr("Files"), box,
                     hint=self.tr("Optional: a letter, photos, a recording. PDF, images, Office documents, text, "
                                  "audio or video; at most %1 MB each.").replace("%1", str(mb)))

    def _scanner_panel(self, parent: QWidget) -> QWidget:
        panel = QWidget(parent)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(4)
        self.scanner_folder_label = QLabel(panel)
        self.scanner_folder_label.setWordWrap(True)
        self.scanner_folder_label.setTextFormat(Qt.TextFormat.PlainText)
        muted(self.scanner_folder_label)
        column.addWidget(self.scanner_folder_label)
        self.scanned = QListWidget(panel)
        self.scanned.setAccessibleName(self.tr("Scanned files, newest first"))
        self.scanned.setMaximumHeight(self.scanned.fontMetrics().lineSpacing() * 5 + 10)
        self.scanned.itemActivated.connect(lambda _item: self.attach_scanned())
        column.addWidget(self.scanned)
        row = QHBoxLayout()
        self.attach_scanned_button = QPushButton(self.tr("Attach the selected page"), panel)
        self.attach_scanned_button.clicked.connect(lambda: self.attach_scanned())
        refresh = QPushButton(self.tr("Refresh"), panel)
        refresh.clicked.connect(self.refresh_scanner)
        change = QPushButton(self.tr("Choose the scanner folder…"), panel)
        change.clicked.connect(self.choose_scanner_folder)
        for button in (self.attach_scanned_button, refresh, change):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        panel.hide()
        return panel

    def title(self) -> str:
        return self.tr("Attachments")

    # ---- values ------------------------------------------------------------------------------------------------

    def files(self) -> list[Path]:
        return list(self._paths)

    def collect(self, draft: dict[str, Any]) -> None:
        draft[ATTACHMENTS] = [str(p) for p in self._paths]

    def restore(self, draft: dict[str, Any]) -> None:
        """The files of a draft as they were listed (a file gone since shows as a problem, not silently
        dropped)."""
        self._paths = []
        self.list.clear()
        raw = draft.get(ATTACHMENTS)
        for item in raw if isinstance(raw, list) else []:
            if isinstance(item, str):
                self._append(Path(item))
        self._show_refused([])

    def clear(self) -> None:
        self._paths = []
        self.list.clear()
        self.list.hide()
        self.remove_button.hide()
        self._show_refused([])
        self.scanner.hide()
        self.show_problems({})

    def add_files(self, paths: list[Path]) -> list[str]:
        """Add the files that may be attached; returns (and shows) the reasons the others were refused."""
        refused = []
        for path in paths:
            problem = attachment_problem(path)
            if problem is not None:
                refused.append(problem)
            elif path not in self._paths:
                self._append(path)
        self._show_refused(refused)
        self.changed.emit()
        return refused

    def refusals(self) -> str:
        return self.refused.text() if not self.refused.isHidden() else ""

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            del self._paths[row]
            self.list.setVisible(bool(self._paths))
            self.remove_button.setVisible(bool(self._paths))
            self.changed.emit()

    def choose_files(self) -> None:
        patterns = " ".join(f"*{ext}" for ext in sorted(ALLOWED_EXTENSIONS))
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Choose files to attach"), "",
                                                self.tr("Files that may be attached (%1)").replace("%1", patterns))
        if names:
            self.add_files([Path(n) for n in names])

    def _append(self, path: Path) -> None:
        self._paths.append(path)
        try:
            size = " — " + size_text(path.stat().st_size)
        except OSError:
            size = ""
        item = QListWidgetItem(path.name + size)
        item.setToolTip(str(path))
        self.list.addItem(item)
        self.list.show()
        self.remove_button.show()

    def _show_refused(self, reasons: list[str]) -> None:
        self.refused.setText("\n".join(reasons))
        self.refused.setVisible(bool(reasons))

    # ---- the scanner's folder ----------------------------------------------------------------------------------

    def scanner_folder(self) -> Path | None:
        folder = self.ws.settings.get(SCANNER_FOLDER)
        return Path(folder) if folder else None

    def toggle_scanner(self) -> None:
        if not self.scanner.isHidden():
            self.scanner.hide()
            return
        if self.scanner_folder() is None:
            self.choose_scanner_folder()
            if self.scanner_folder() is None:
                return
        self.show_scanner()

    def choose_scanner_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("The folder your scanner saves its pages in"),
                                                  str(self.scanner_folder() or ""))
        if folder:
            self.set_scanner_folder(Path(folder))

    def set_scanner_folder(self, folder: Path) -> None:
        self.ws.settings.set(SCANNER_FOLDER, str(folder))
        self.ws.settings.sync()
        if not self.scanner.isHidden():
            self.refresh_scanner()

    def show_scanner(self) -> None:
        self.scanner.show()
        self.refresh_scanner()

    def refresh_scanner(self) -> None:
        folder = self.scanner_folder()
        self.scanned.clear()
        if folder is None:
            self.scanner_folder_label.setText(self.tr("No scanner folder is set."))
            return
        self.scanner_folder_label.setText(self.tr("Newest first, from %1").replace("%1", str(folder)))
        self.ws.tasks.net(scanner_files, folder, owner=self, on_success=lambda result: self._show_scanned(folder,
                                                                                                       *result))

    def _show_scanned(self, folder: Path, found: list[ScannedFile], failure: str | None) -> None:
        self.scanned.clear()
        if failure is not None:
            self.scanner_folder_label.setText(self.tr("The scanner folder %1 cannot be read (%2). Check that the "
                                                      "scanner PC or share is on, or choose another folder.")
                                              .replace("%1", str(folder)).replace("%2", failure))
            self.attach_scanned_button.setEnabled(False)
            return
        locale = QLocale()
        for f in found:
            when = locale.toString(f.modified, QLocale.FormatType.ShortFormat)
            item = QListWidgetItem(f"{f.path.name} — {when} — {size_text(f.size)}")
            item.setData(PATH_ROLE, str(f.path))
            self.scanned.addItem(item)
        if found:
            self.scanned.setCurrentRow(0)
        else:
            self.scanner_folder_label.setText(self.scanner_folder_label.text() + " — " + self.tr("no pages yet"))
        self.attach_scanned_button.setEnabled(bool(found))

    def scanned_files(self) -> list[str]:
        """The scanner folder's files as listed (tests)."""
        return [str(self.scanned.item(r).data(PATH_ROLE)) for r in range(self.scanned.count())]

    def attach_scanned(self, row: int | None = None) -> list[str]:
        row = self.scanned.currentRow() if row is None else row
        item = self.scanned.item(row) if row >= 0 else None
        if item is None:
            return []
        return self.add_files([Path(str(item.data(PATH_ROLE)))])
