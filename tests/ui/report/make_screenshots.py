"""``python -m tests.ui.report.make_screenshots [OUT]``: docs/screenshots/report-page-N.png, the monthly report's
pages as written by the program and rendered by poppler (``pdftoppm -r 100 -png``), over a synthetic demo office
(demo.seed: two years of made-up complaints, 6,000 of them), for October 2026 as made on 4 November."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication  # noqa: E402

from app.kpi.period import ReportPeriod  # noqa: E402
from app.report import monthly_report_content  # noqa: E402
from app.security import use_fast_hashing_for_tests  # noqa: E402
from app.store import meta  # noqa: E402
from app.store.db import open_store  # noqa: E402
from demo.seed import seed_demo  # noqa: E402
from ui.report.pdf import save_report_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 11, 4, 3, 0, tzinfo=UTC)  # Wednesday 4 November 10:00 WIB: October's report


def make(out_dir: Path, dpi: int, count: int) -> list[Path]:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise SystemExit("pdftoppm (poppler-utils) is needed")
    use_fast_hashing_for_tests()
    app = QGuiApplication.instance() or QGuiApplication(["screenshots"])
    made: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(folder / "demo.sqlite3", backup_dir=folder / "backups")
        seed_demo(store, count=count, seed=1, now=NOW)
        with store.read() as session:
            office_id = meta.get(session, meta.HOME_OFFICE)
            assert office_id is not None
            content = monthly_report_content(session, office_id, ReportPeriod.month(2026, 10), NOW,
                                             generated_by="Pimpinan Demo")
        store.close()
        pdf = save_report_pdf(content, folder / "report.pdf")
        subprocess.run([tool, "-r", str(dpi), "-png", str(pdf), str(folder / "page")], check=True)
        out_dir.mkdir(parents=True, exist_ok=True)
        for old in out_dir.glob("report-page-*.png"):
            old.unlink()
        for n, page in enumerate(sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1])), 1):
            target = out_dir / f"report-page-{n}.png"
            shutil.copyfile(page, target)
            made.append(target)
            print("wrote", target)
    del app
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--count", type=int, default=6000)
    args = parser.parse_args(argv)
    make(args.out, args.dpi, args.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
