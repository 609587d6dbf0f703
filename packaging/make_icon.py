"""Draw the program's icon once and commit the result: ``python packaging/make_icon.py`` writes
resources/lapor-desk.svg (the drawing; the window's icon, ui/application.py), packaging/lapor-desk.png (256 px:
Linux menus) and packaging/lapor-desk.ico (16–256 px: the Windows program files, the installer and the Start-menu
entry), rendered by Qt's SVG renderer.

The drawing: a speech bubble (a complaint heard) with a tick, in the blue of the window's navigation."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256">
  <rect x="8" y="8" width="240" height="240" rx="48" fill="#1f4e8c"/>
  <path d="M56 64 h144 a16 16 0 0 1 16 16 v84 a16 16 0 0 1 -16 16 h-80 l-40 36 v-36 h-24
           a16 16 0 0 1 -16 -16 v-84 a16 16 0 0 1 16 -16 z" fill="#ffffff"/>
  <path d="M88 122 l28 28 l52 -56" fill="none" stroke="#1f8c4e" stroke-width="20" stroke-linecap="round"
        stroke-linejoin="round"/>
</svg>
"""
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication(sys.argv[:1])
    (HERE.parent / "resources" / "lapor-desk.svg").write_text(SVG, encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(SVG.encode()))

    def render(size: int) -> QImage:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        return image

    if not render(256).save(str(HERE / "lapor-desk.png")):
        raise SystemExit("could not write lapor-desk.png")
    # Qt's ICO writer takes one image per file; an .ico with several sizes is these entries joined (ICONDIR).
    import struct
    import tempfile

    entries, blobs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            png = Path(tmp) / f"{size}.png"
            render(size).save(str(png))
            blobs.append(png.read_bytes())
    offset = 6 + 16 * len(SIZES)
    for size, blob in zip(SIZES, blobs, strict=True):
        entries.append(struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(blob), offset))
        offset += len(blob)
    (HERE / "lapor-desk.ico").write_bytes(struct.pack("<HHH", 0, 1, len(SIZES)) + b"".join(entries)
                                          + b"".join(blobs))
    print("wrote", HERE.parent / "resources" / "lapor-desk.svg", HERE / "lapor-desk.png", HERE / "lapor-desk.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
