"""Screenshots of the detail panel and two action forms over demo data (demo.seed_demo, 200 complaints):

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.detail.make_screenshots [OUT_DIR] [--lang id|en]

Writes detail.png and dispose-form.png into OUT_DIR (default docs/screenshots); with --all also the other
states, a narrow panel, a large system font and more forms, to look at.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.config import Paths  # noqa: E402
from app.domain import Role, Status  # noqa: E402
from app.models import Complaint  # noqa: E402
from app.security import use_fast_hashing_for_tests  # noqa: E402
from app.services import ServiceContext  # noqa: E402
from app.services.records import attach_file  # noqa: E402
from app.services.users import list_users  # noqa: E402
from app.store.db import open_store  # noqa: E402
from demo import seed_demo  # noqa: E402
from ui import i18n  # noqa: E402
from ui.detail import ComplaintDetailWidget  # noqa: E402
from ui.settings import Settings, WindowState  # noqa: E402
from ui.tasks import TaskRunner  # noqa: E402
from ui.workspace import ChangeHub, Workspace  # noqa: E402

NOW = datetime(2026, 3, 4, 3, 0, tzinfo=UTC)


DOCS = {"detail.png", "dispose-form.png"}
EXTRAS = [True]


def grab(widget: QWidget, path: Path) -> None:
    if path.name not in DOCS and not EXTRAS[0]:
        return
    widget.show()
    for _ in range(3):  # let deferred layout requests settle
        QApplication.processEvents()
    widget.grab().save(str(path))
    print("wrote", path)


def sample_files(folder: Path) -> list[Path]:
    """A photo and a one-page letter, made here."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter

    photo = folder / "foto-lokasi.png"
    image = QImage(640, 420, QImage.Format.Format_RGB32)
    image.fill(QColor("#8d9da8"))
    painter = QPainter(image)
    painter.fillRect(QRect(0, 260, 640, 160), QColor("#5d5d5d"))
    painter.setBrush(QColor("#3b3b3b"))
    painter.drawEllipse(250, 300, 160, 60)
    painter.end()
    image.save(str(photo))
    letter = folder / "surat-balasan-dinas.pdf"
    writer = QPdfWriter(str(letter))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    font = painter.font()
    font.setPointSize(14)
    painter.setFont(font)
    painter.drawText(QRect(600, 600, 8000, 1200), Qt.AlignmentFlag.AlignLeft, "Surat balasan tindak lanjut")
    font.setPointSize(10)
    painter.setFont(font)
    painter.drawText(QRect(600, 1600, 8000, 4000), Qt.TextFlag.TextWordWrap,
                     "Perbaikan jalan telah dijadwalkan pada minggu kedua bulan ini.")
    painter.end()
    return [photo, letter]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("--lang", default="id")
    parser.add_argument("--all", action="store_true", help="also the extra screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    EXTRAS[0] = args.all
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    i18n.install(app, args.lang)
    use_fast_hashing_for_tests()
    tmp = Path(tempfile.mkdtemp(prefix="lapor-shots-"))
    store = open_store(tmp / "lapor-desk.sqlite3", backup_dir=tmp / "backups")
    seed_demo(store, count=200, now=NOW)
    now = [NOW]
    ctx = ServiceContext(store=store, blob_dir=tmp / "attachments", clock=lambda: now[0])
    with store.read() as session:
        rows = session.execute(select(Complaint.id, Complaint.office_id, Complaint.status)
                               .order_by(Complaint.received_at.desc())).all()
    first: dict[str, tuple[str, str]] = {}
    for cid, office_id, status in rows:
        first.setdefault(status, (cid, office_id))
    print("statuses found:", sorted(first))

    def workspace_for(office_id: str) -> Workspace:
        admin = next(u for u in list_users(ctx, office_id) if u.role == Role.ADMIN_INSTANSI)
        return Workspace(paths=Paths(tmp), store=store, services=ctx, user=admin,
                         tasks=TaskRunner(synchronous=True), hub=ChangeHub(), settings=Settings(tmp / "settings.ini"),
                         window_state=WindowState(tmp / "window-state.ini"), lang=args.lang)

    # The main shot: a complaint followed up by its unit, with a photo and a letter attached.
    cid, office_id = first.get(Status.DITINDAKLANJUTI) or first[Status.SELESAI]
    ws = workspace_for(office_id)
    for path in sample_files(tmp):
        attach_file(ctx, ws.user.id, cid, path)
    now[0] = NOW + timedelta(days=9, hours=8)  # opened again days later: the response window is nearly over
    widget = ComplaintDetailWidget(ws)
    widget.resize(640, 1000)
    widget.show_complaint(cid)
    grab(widget, out / "detail.png")
    now[0] = NOW
    widget.resize(440, 760)
    grab(widget, out / "detail-narrow.png")
    widget.resize(640, 2400)
    grab(widget, out / "detail-full.png")
    widget.resize(640, 760)
    font = app.font()
    app.setFont(QFont(font.family(), round(font.pointSizeF() * 1.35)))  # a larger system font
    large = ComplaintDetailWidget(ws)
    large.resize(460, 760)
    large.show_complaint(cid)
    grab(large, out / "detail-large-font.png")
    large.close()
    app.setFont(font)
    widget.attachments.preview(widget.snapshot.detail.attachments[-1])
    grab(widget.attachments.last_preview, out / "preview-pdf.png")
    widget.attachments.last_preview.close()
    for status, name in ((Status.SELESAI, "detail-closed.png"), (Status.BUKAN_WEWENANG, "detail-redirected.png")):
        cid, office_id = first[status]
        other = ComplaintDetailWidget(workspace_for(office_id))
        other.resize(640, 760)
        other.show_complaint(cid)
        grab(other, out / name)
        other.close()
    cid, office_id = first[Status.BELUM_TERVERIFIKASI]
    ws = workspace_for(office_id)
    widget = ComplaintDetailWidget(ws)
    widget.resize(640, 760)
    widget.show_complaint(cid)
    grab(widget, out / "detail-new.png")
    form = widget.complaint_actions.form("dispose")
    names = [form.unit.itemText(i) for i in range(form.unit.count())]
    form.unit.setCurrentIndex(next((i for i, n in enumerate(names) if "Pekerjaan Umum" in n), 1))
    form.instruction.setText("Mohon dicek ke lokasi dan dilaporkan hasilnya kepada pelapor dalam 3 hari kerja.")
    form.resize(form.sizeHint())
    grab(form, out / "dispose-form.png")
    form.close()
    form = widget.complaint_actions.form("archive")
    form.resize(form.sizeHint())
    form.submit()  # no reason chosen: shows the field message
    grab(form, out / "archive-form-error.png")
    form.close()
    form = widget.complaint_actions.form("edit")
    form.resize(form.sizeHint())
    grab(form, out / "edit-form.png")
    form.close()
    form = widget.complaint_actions.form("redirect")
    grab(form, out / "redirect-form.png")
    form.close()
    widget.close()
    ws.tasks.shutdown()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
