"""The papers as the documentation shows them: receipts on A4, A5 and an 80 mm roll and a status letter, written as
PDF by the program and rendered by poppler (``pdftoppm``), over a small synthetic office:

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.printing.make_screenshots [OUT_DIR] [--dpi 150]

Writes receipt-a4.png, receipt-a5.png, receipt-80mm.png and status-letter.png into OUT_DIR (default
docs/screenshots). The A4 and A5 receipts are a named reporter's; the roll is an anonymous one's. The office has the
demo's synthetic contact (demo.offices.CONTACTS), as an enrolled PC receives it from the server.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication  # noqa: E402

from app.bootstrap import create_office  # noqa: E402
from app.domain import Channel, Classification, Role  # noqa: E402
from app.inputs import IntakeInput, ReporterInput  # noqa: E402
from app.read.receipt import STATUS_PAGE_KEY, Viewer  # noqa: E402
from app.security import use_fast_hashing_for_tests  # noqa: E402
from app.services import ServiceContext, intake  # noqa: E402
from app.services import workflow_actions as wf  # noqa: E402
from app.services.users import add_user  # noqa: E402
from app.store import meta  # noqa: E402
from app.store.db import open_store  # noqa: E402
from demo.offices import demo_contact  # noqa: E402
from ui.printing import service  # noqa: E402
from ui.printing.papers import Paper  # noqa: E402

RECEIVED = datetime(2026, 3, 2, 2, 7, tzinfo=UTC)  # Monday 09:07 WIB
ROOT = Path(__file__).resolve().parents[3]


def make(out_dir: Path, dpi: int) -> list[Path]:
    use_fast_hashing_for_tests()
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(folder / "lapor-desk.sqlite3", backup_dir=folder / "backups")
        now = [RECEIVED]
        ctx = ServiceContext(store=store, clock=lambda: now[0], device_label="loket-1")
        office = create_office(store, region_code="34.04", name="Pemerintah Kabupaten Sleman", tz="WIB",
                               units=["Dinas Pekerjaan Umum"], make_home=True, contact=demo_contact("34.04"))
        with store.transaction() as s:
            meta.put(s, meta.DEVICE_NO, "12")
            meta.put(s, STATUS_PAGE_KEY, "https://lapor.example.go.id")
        loket = add_user(ctx, username="rina.loket", full_name="Rina Kusumawati", role=Role.PETUGAS_LOKET,
                         password="Contoh12345", office_id=office.id)
        admin = add_user(ctx, username="admin.sleman", full_name="Agus Prasetyo", role=Role.ADMIN_INSTANSI,
                         password="Contoh12345", office_id=office.id)
        named = intake(ctx, loket.id, IntakeInput(
            classification=Classification.PENGADUAN, channel=Channel.WALK_IN,
            title="Jalan berlubang di depan Pasar Minomartani membahayakan pengendara",
            description="Lubang besar di jalan depan pasar sudah dua minggu; dua pengendara motor terjatuh.",
            category_id="infrastruktur.jalan", region_code="34.04.12.2002",
            reporter=ReporterInput(name="Budi Santoso", nik="3404121507800001", phone="081234567890",
                                   consent_given=True)))
        now[0] += timedelta(minutes=12)
        anonymous = intake(ctx, loket.id, IntakeInput(
            classification=Classification.PENGADUAN, channel=Channel.WALK_IN,
            title="Pungutan tanpa karcis di loket pembuatan KTP kecamatan",
            description="Petugas meminta uang tambahan tanpa karcis saat pengambilan KTP elektronik.",
            category_id=None, region_code="34.04.12", is_anonymous=True))
        viewer = Viewer(office.id, Role.PETUGAS_LOKET, "Rina Kusumawati")
        made = []
        for paper, cid in ((Paper.A4, named.complaint_id), (Paper.A5, named.complaint_id),
                           (Paper.ROLL_80, anonymous.complaint_id)):
            content = service.load_receipt(store, cid, viewer, clock=lambda: RECEIVED + timedelta(minutes=15))
            pdf = service.save_receipt_pdf(content, folder / f"receipt-{paper.value}.pdf", paper)
            made.append(_png(pdf, out_dir / f"receipt-{paper.value}.png", dpi))
        now[0] = RECEIVED + timedelta(days=1, hours=1)
        wf.dispose(ctx, admin.id, named.complaint_id, unit_id=_unit(store, office.id),
                   instruction="Mohon dicek ke lokasi dan segera ditambal.")
        now[0] = RECEIVED + timedelta(days=3, hours=5)
        wf.follow_up(ctx, admin.id, named.complaint_id,
                     text="Lubang sudah ditambal oleh tim pemeliharaan jalan Dinas Pekerjaan Umum pada Rabu sore. "
                          "Terima kasih atas laporan Anda; bila masih ada kerusakan, sampaikan tanggapan Anda.")
        letter = service.load_status_letter(store, named.complaint_id, viewer,
                                            clock=lambda: RECEIVED + timedelta(days=6, hours=1, minutes=30))
        pdf = service.save_status_letter_pdf(letter, folder / "status-letter.pdf", Paper.A4)
        made.append(_png(pdf, out_dir / "status-letter.png", dpi))
        store.close()
    del app
    return made


def _unit(store: object, office_id: str) -> str:
    from sqlalchemy import select

    from app.models import Unit

    with store.read() as s:  # type: ignore[attr-defined]
        return str(s.execute(select(Unit.id).where(Unit.office_id == office_id)).scalar_one())


def _png(pdf: Path, target: Path, dpi: int) -> Path:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise SystemExit("pdftoppm (poppler-utils) is needed")
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool, "-r", str(dpi), "-png", "-singlefile", str(pdf), str(target.with_suffix(""))], check=True)
    print("wrote", target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args(argv)
    make(args.out, args.dpi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
