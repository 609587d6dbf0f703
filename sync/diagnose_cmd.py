"""The ``lapor-desk diagnose`` command: the report on stdout (text, or JSON for scripts), the support bundle on
request; exit code 0 when no finding failed, 1 otherwise."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.common import paths_of
from app.cli.output import Out
from app.config import DATA_DIR_ENV, log_dir
from app.errors import reason_of
from app.timeutil import utcnow


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    d = sub.add_parser("diagnose", help=t("periksa PC ini untuk dukungan TI (OK/WARN/FAIL), opsional bundel zip",
                                          "check this PC for IT support (OK/WARN/FAIL), optionally a zip bundle"),
                       description=t("Versi, lokasi, ruang disk, keutuhan dan skema basis data, cadangan, antrean dan "
                                     "konflik sinkronisasi, sinkronisasi terakhir, konfigurasi, keterjangkauan server, "
                                     "TLS, proxy dan selisih jam. Tidak mengubah apa pun.",
                                     "Versions, locations, disk space, database integrity and schema, backups, sync "
                                     "queue and conflicts, last sync, configuration, server reachability, TLS, proxy "
                                     "and clock offset. Changes nothing."),
                       epilog=t("Kode keluar: 0 tidak ada FAIL, 1 ada FAIL (atau bundel tidak dapat ditulis).",
                                "Exit codes: 0 no FAIL, 1 some FAIL (or the bundle could not be written)."))
    d.add_argument("--bundle", metavar=t("BERKAS.zip", "FILE.zip"),
                   help=t("tulis bundel dukungan: laporan, log, konfigurasi; tanpa data pribadi",
                          "write a support bundle: report, logs, configuration; no personal data"))
    d.add_argument("--json", action="store_true", help=t("laporan sebagai JSON", "the report as JSON"))
    d.add_argument("--timeout", type=float, default=5.0, metavar=t("DETIK", "SECONDS"),
                   help=t("batas waktu menghubungi server (bawaan: 5)", "time limit for the server (default: 5)"))
    d.set_defaults(handler=cmd_diagnose)


def data_dir_source(args: argparse.Namespace) -> str:
    if args.data_dir:
        return "--data-dir"
    return f"environment:{DATA_DIR_ENV}" if os.environ.get(DATA_DIR_ENV) else "default"


def cmd_diagnose(args: argparse.Namespace, out: Out) -> int:
    from sync.diagnose import diagnose

    paths = paths_of(args)
    source = data_dir_source(args)
    folder = log_dir(paths, explicit_data_dir=source != "default")
    report, local = diagnose(paths, folder, timeout=args.timeout)
    if args.json:
        out.line(json.dumps(report.as_json(), ensure_ascii=False, indent=2, default=str))
    else:
        out.line(report.as_text(out.lang).rstrip("\n"))
    if not args.bundle:
        return report.exit_code
    from sync.diagnose_bundle import write_bundle

    target = Path(args.bundle).expanduser()
    try:
        result = write_bundle(target, report, paths, folder, lang=out.lang, data_dir_source=source, local=local,
                              now=utcnow())
    except OSError as exc:
        reason = reason_of(exc)
        out.error(out.t(f"Bundel tidak dapat ditulis ke {target} ({reason.id}).",
                        f"The bundle cannot be written to {target} ({reason.en})."))
        return 1
    out.note(out.t(f"Bundel dukungan ditulis: {result.path} ({len(result.files)} berkas; {result.masked} tempat "
                   "disamarkan).",
                   f"Support bundle written: {result.path} ({len(result.files)} files; {result.masked} places "
                   "masked)."))
    if not result.complete_scan:
        out.note(out.t("Peringatan: basis data tidak terbaca utuh, jadi nama dan teks laporan tidak dapat dicari di "
                       "log; periksa log dalam bundel sebelum dikirim.",
                       "Warning: the database could not be read in full, so names and complaint texts could not be "
                       "looked for in the logs; check the bundle's logs before sending it."))
    return report.exit_code
