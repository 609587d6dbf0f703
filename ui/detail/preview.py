"""A small preview of an attachment: images through QImageReader (scaled, EXIF orientation applied) and the
first page of a PDF through QtPdf. Rendering happens on the GUI thread: the image is bounded in size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.detail.parts import value_label
from ui.style import muted, style_form

try:  # QtPdf ships in its own wheel (PySide6_Pdf) from PySide6 6.12 on; without it PDFs are opened, not previewed
    from PySide6.QtPdf import QPdfDocument
except ImportError:  # pragma: no cover - depends on the installation
    QPdfDocument = None

PREVIEW_BOUND = QSize(820, 600)  # fits a 1366×768 screen with the dialog's frame
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})


def can_preview(mime_type: str) -> bool:
    return mime_type in IMAGE_TYPES or (mime_type == "application/pdf" and QPdfDocument is not None)


def render_image(path: Path, bound: QSize = PREVIEW_BOUND) -> QImage:
    """The image scaled to fit ``bound`` (never enlarged); a null QImage if it cannot be read."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > bound.width() or size.height() > bound.height()):
        reader.setScaledSize(size.scaled(bound, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def render_pdf_first_page(path: Path, bound: QSize = PREVIEW_BOUND) -> tuple[QImage, int]:
    """Page 1 rendered to fit ``bound``, and the page count; a null QImage if the PDF cannot be read."""
    if QPdfDocument is None:
        return QImage(), 0
    document = QPdfDocument()
    document.load(str(path))
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        document.close()
        return QImage(), 0
    points = document.pagePointSize(0)
    target = QSize(max(1, round(points.width())), max(1, round(points.height())))
    target = target.scaled(bound, Qt.AspectRatioMode.KeepAspectRatio)
    image = document.render(0, target)
    pages = document.pageCount()
    document.close()
    if not image.isNull():
        # Transparent page background: lay it on white, as paper.
        page = QImage(image.size(), QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)
        painter = QPainter(page)
        painter.drawImage(0, 0, image)
        painter.end()
        image = page
    return image, pages


class PreviewDialog(QDialog):
    """Shows an image or the first page of a PDF; says so plainly when it cannot."""

    def __init__(self, path: Path, mime_type: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        style_form(self)
        self.setWindowTitle(self.tr("Preview: %1").replace("%1", title))
        pages = 0
        if mime_type == "application/pdf":
            self.image, pages = render_pdf_first_page(path)
        else:
            self.image = render_image(path)
        column = QVBoxLayout(self)
        if self.image.isNull():
            column.addWidget(value_label(self.tr("This file cannot be previewed. Use Open to view it."), self))
        else:
            picture = QLabel(self)
            picture.setPixmap(QPixmap.fromImage(self.image))
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setAccessibleName(self.tr("Preview of %1").replace("%1", title))
            scroll = QScrollArea(self)
            scroll.setWidget(picture)
            scroll.setWidgetResizable(True)
            scroll.setMinimumSize(self.image.width() + 24, self.image.height() + 24)
            column.addWidget(scroll, 1)
        if pages > 1:
            column.addWidget(muted(value_label(self.tr("Page 1 of %n", "", pages), self)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))  # no qtbase_id.qm
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
