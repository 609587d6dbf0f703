"""The ``selftest`` command (registered by ui.plugin): prints each step's result, then OK or what failed.

Exit codes: 0 every step passed, 1 a step failed. Whatever ``--data-dir`` or $LAPOR_DESK_DATA_DIR say, the test works
in a new temporary folder (removed afterwards unless ``--keep``), so a person's data is never read or changed."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.output import Out

EXIT_OK, EXIT_FAILED = 0, 1


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    text = t("uji mandiri: buka jendela (tanpa layar) dengan data demo di folder sementara, jalani layar utama, tulis "
             "tanda terima dan laporan bulanan sebagai PDF; data di PC ini tidak disentuh",
             "self-test: open the window (offscreen) on demo data in a temporary folder, walk the main screens, write "
             "a receipt and a monthly report as PDFs; this PC's data is not touched")
    p = sub.add_parser("selftest", help=text, description=text)
    p.add_argument("--keep", action="store_true", help=t("simpan folder sementara (jalurnya dicetak) untuk diperiksa",
                                                          "keep the temporary folder (its path is printed) to look at"))
    p.set_defaults(handler=cmd_selftest)


def cmd_selftest(args: argparse.Namespace, out: Out) -> int:
    # Offscreen before Qt starts: the test never shows on a person's screen, and runs where there is none (CI).
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if not args.verbose:  # the offscreen platform's notes on window hints say nothing about the program
        logging.getLogger("qt").setLevel(logging.ERROR)
    from ui.selftest.steps import SelfTest

    folder = Path(tempfile.mkdtemp(prefix="lapor-desk-selftest-"))
    try:
        test = SelfTest(folder, report=lambda line: (out.line(line), sys.stdout.flush()), t=out.t)
        results = test.run()
    finally:
        if args.keep:
            out.line(out.t(f"Folder uji disimpan: {folder}", f"Test folder kept: {folder}"))
        else:
            shutil.rmtree(folder, ignore_errors=True)
    failed = [r for r in results if not r.ok]
    if not failed:
        out.line(f"OK ({len(results)})")
        return EXIT_OK
    out.line(out.t(f"GAGAL: {len(failed)} dari {len(results)} langkah", f"FAILED: {len(failed)} of {len(results)} "
                   "steps") + " — " + ", ".join(r.name for r in failed))
    return EXIT_FAILED
