"""Reading the papers back as a person and a phone would: the PDF's text (pypdf), its pages rendered as poppler renders
them (``pdftoppm -r 150 -png``, as .ci/run installs it) and the QR codes on them decoded (zxing-cpp)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PySide6.QtGui import QImage

DPI = 150
MM_PER_PT = 25.4 / 72


def pdf_text(path: Path) -> str:
    """The text of every page, whitespace folded to single spaces."""
    reader = pypdf.PdfReader(str(path))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def page_sizes_mm(path: Path) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(str(path))
    return [(round(float(p.mediabox.width) * MM_PER_PT, 1), round(float(p.mediabox.height) * MM_PER_PT, 1))
            for p in reader.pages]


def rendered(path: Path, folder: Path) -> list[QImage]:
    """The pages as PNG images at 150 dpi, by poppler's pdftoppm."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.fail("pdftoppm (poppler-utils) is not installed: .ci/run installs it")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool, "-r", str(DPI), "-png", str(path), str(folder / "page")], check=True, timeout=60)
    return [QImage(str(p)) for p in sorted(folder.glob("page*.png"))]


@dataclass(frozen=True)
class Found:
    text: str
    width_mm: float  # the symbol's width on paper, quiet zone not counted


def qr_codes(image: QImage) -> list[Found]:
    found = []
    for code in zxingcpp.read_barcodes(image.convertToFormat(QImage.Format.Format_Grayscale8),
                                       formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)):
        pos = code.position
        width_px = max(abs(pos.top_right.x - pos.top_left.x), abs(pos.bottom_right.x - pos.bottom_left.x))
        found.append(Found(code.text, width_px * 25.4 / DPI))
    return found
