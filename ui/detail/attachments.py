"""The complaint's attachments: name, size and type; Open (a copy in a temporary folder, handed to the system's
viewer), Save as…, and a preview of images and PDFs. An attachment whose bytes have not been downloaded from the
server yet says so. Copies run on the database thread (the disk worker)."""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.read.detail import AttachmentView
from app.services.records import copy_blob_out
from ui.detail.format import format_size
from ui.detail.parts import Section, scaled_font, value_label
from ui.detail.preview import PreviewDialog, can_preview
from ui.style import muted
from ui.tasks import known_error_message
from ui.workspace import Workspace

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_open_dir: Path | None = None


def safe_filename(name: str) -> str:
    """A file name that is valid on Windows and cannot climb out of its folder."""
    base = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    return base or "lampiran"


def open_folder() -> Path:
    """A private temporary folder for copies handed to other programs; removed when the program ends."""
    global _open_dir
    if _open_dir is None:
        _open_dir = Path(tempfile.mkdtemp(prefix="lapor-desk-open-"))
        atexit.register(shutil.rmtree, _open_dir, True)
    return _open_dir


def copy_attachment(blob_dir: Path | None, attachment: AttachmentView, dest: Path) -> Path | None:
    """Copy the attachment's bytes to ``dest``; None when they are not on this PC (runs on the disk worker)."""
    if blob_dir is None:
        return None
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        copy_blob_out(blob_dir, attachment.sha256, dest)
    except FileNotFoundError:
        return None
    return dest


def type_text(attachment: AttachmentView) -> str:
    ext = Path(attachment.filename).suffix.lstrip(".").upper() or "?"
    if attachment.mime_type == "application/pdf":
        return translate("Attachments", "PDF document")
    if attachment.mime_type.startswith("image/"):
        return translate("Attachments", "Image (%1)").replace("%1", ext)
    if attachment.mime_type.startswith("audio/"):
        return translate("Attachments", "Audio (%1)").replace("%1", ext)
    if attachment.mime_type.startswith("video/"):
        return translate("Attachments", "Video (%1)").replace("%1", ext)
    return translate("Attachments", "Document (%1)").replace("%1", ext)


class AttachmentsSection(Section):
    """The list of attachments with their buttons."""

    preview_opened = Signal(object)  # the PreviewDialog
    status_changed = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Attachments"), parent)
        self._ws = ws
        self._status = muted(value_label("", self))
        self._status.hide()
        self.layout().addWidget(self._status)
        self.attachments: list[AttachmentView] = []
        self.last_preview: PreviewDialog | None = None

    def show_attachments(self, attachments: list[AttachmentView]) -> None:
        self.clear()
        self._set_status("")
        self.attachments = list(attachments)
        self.set_title(self.tr("Attachments (%n)", "", len(attachments)))
        if not attachments:
            self.body.addWidget(muted(value_label(self.tr("No attachments."), self)))
        for att in attachments:
            self.body.addWidget(self._row(att))

    def _row(self, att: AttachmentView) -> QWidget:
        row = QWidget(self)
        row.setObjectName("attachmentRow")
        column = QVBoxLayout(row)
        column.setContentsMargins(0, 2, 0, 4)
        column.setSpacing(2)
        name = value_label(att.filename, row)
        name.setFont(scaled_font(row, 1.0, bold=True))
        column.addWidget(name)
        info = f"{type_text(att)} · {format_size(att.size, self._ws.lang)}"
        if not att.blob_present:
            info += " · " + self.tr("not downloaded yet: available after the next sync")
        column.addWidget(muted(value_label(info, row)))
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        if can_preview(att.mime_type):
            buttons.addWidget(self._button(self.tr("Pre&view"), att, self.preview, row))
        buttons.addWidget(self._button(self.tr("&Open"), att, self.open_attachment, row))
        buttons.addWidget(self._button(self.tr("Save &as…"), att, self.save_as, row))
        buttons.addStretch(1)
        column.addLayout(buttons)
        row.setAccessibleName(att.filename)
        return row

    def _button(self, text: str, att: AttachmentView, slot: object, parent: QWidget) -> QPushButton:
        button = QPushButton(text, parent)
        button.setEnabled(att.blob_present)
        button.setAccessibleName(f"{text.replace('&', '')} {att.filename}")
        button.clicked.connect(lambda _=False, a=att: slot(a))  # type: ignore[operator]
        return button

    # ---- actions ----------------------------------------------------------------------------------------------

    def _copy(self, att: AttachmentView, dest: Path, then: object) -> None:
        def done(path: Path | None) -> None:
            if path is None:
                self._set_status(self.tr("The file of \"%1\" is not on this PC yet. Sync, then try again.")
                                 .replace("%1", att.filename))
                return
            then(path)  # type: ignore[operator]

        self._ws.tasks.db(copy_attachment, self._ws.services.blob_dir, att, dest, on_success=done,
                          on_failure=lambda exc: self._set_status(known_error_message(exc).text(self._ws.lang)),
                          owner=self)

    def _temp_copy_path(self, att: AttachmentView) -> Path:
        return open_folder() / att.id / safe_filename(att.filename)

    def open_attachment(self, att: AttachmentView) -> None:
        self._copy(att, self._temp_copy_path(att),
                   lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))

    def preview(self, att: AttachmentView) -> None:
        def show(path: Path) -> None:
            dialog = PreviewDialog(path, att.mime_type, att.filename, self.window())
            self.last_preview = dialog
            dialog.open()
            self.preview_opened.emit(dialog)

        self._copy(att, self._temp_copy_path(att), show)

    def save_as(self, att: AttachmentView) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save attachment as"),
                                              str(Path(folder) / safe_filename(att.filename)))
        if name:
            self.save_to(att, Path(name))

    def save_to(self, att: AttachmentView, dest: Path) -> None:
        self._copy(att, dest, lambda path: self._set_status(self.tr("Saved to %1").replace("%1", str(path))))

    def status_text(self) -> str:
        return self._status.text() if not self._status.isHidden() else ""

    def _set_status(self, text: str) -> None:
        self._status.setText(text)
        self._status.setVisible(bool(text))
        if text:
            self.status_changed.emit(text)
