"""``lapor-desk report --month YYYY-MM --out FILE.pdf [--unit NAME] [--user NAME]``: the monthly report for leadership
as a PDF, from this PC's store, offline; ``--out FILE.xlsx`` writes its tables to Excel instead (KPIs, trend, top
categories and places, overdue per unit, notes: app.export.kpi_tables) and ``--out FILE.csv`` its KPI table. The
figures are computed without Qt (app.report); Qt loads only to paint a PDF, on the offscreen platform when there is
no display. The path alone on stdout. Exit codes as every command's:
4 a malformed month or one that has not begun, 3 an unknown unit or account, 6 an account whose role may not make
the report (or, for a unit liaison, not of that unit), 1 a file that cannot be written."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from app.cli.common import open_for_cli, require_home_office, unit_named
from app.cli.output import Out
from app.errors import Message, NotFound, ValidationError
from app.export.kpi_tables import write_kpi_tables
from app.kpi.period import check_not_future, parse_month
from app.report import monthly_report_content
from app.report.access import report_unit
from app.services.users import active_user
from app.store.db import Store
from app.timeutil import server_now, zone

EXIT_OK = 0


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    p = sub.add_parser("report", help=t("tulis laporan bulanan untuk pimpinan sebagai PDF (atau tabelnya ke Excel/CSV)",
                                        "write the monthly report for leadership as a PDF (or its tables to "
                                        "Excel/CSV)"),
                       description=t("Laporan bulanan (A4, bahasa Indonesia): indikator kinerja dibanding bulan lalu "
                                     "dan target, grafik, kategori dan lokasi teratas, laporan terlambat per unit, "
                                     "catatan. Tanpa data pribadi pelapor. BERKAS.xlsx: tabel-tabelnya dalam Excel; "
                                     "BERKAS.csv: tabel indikator kinerja. Mencetak jalur berkas yang ditulis.",
                                     "The monthly report (A4, in Indonesian): KPIs against the previous month and the "
                                     "targets, charts, top categories and locations, overdue complaints per unit, "
                                     "notes. No reporter's personal data. FILE.xlsx: its tables in Excel; FILE.csv: "
                                     "the KPI table. Prints the path of the file written."))
    p.add_argument("--month", required=True, metavar=t("TTTT-BB", "YYYY-MM"),
                   help=t("bulan laporan, misalnya 2026-10", "the report's month, e.g. 2026-10"))
    p.add_argument("--out", required=True, metavar=t("BERKAS.pdf", "FILE.pdf"),
                   help=t("berkas yang ditulis: .pdf (laporan), .xlsx atau .csv (tabelnya)",
                          "the file to write: .pdf (the report), .xlsx or .csv (its tables)"))
    p.add_argument("--unit", metavar=t("NAMA", "NAME"), help=t("hanya laporan unit kerja ini",
                                                               "only this unit's complaints"))
    p.add_argument("--user", metavar=t("AKUN", "ACCOUNT"), help=t("akun yang membuat laporan (namanya tercantum)",
                                                                  "the account making the report (named on it)"))
    p.set_defaults(handler=cmd_report)


def unit_id_of(store: Store, office_id: str, typed: str | None) -> str | None:
    """The unit named (or whose id is) ``typed``, case ignored; NotFound listing the office's units."""
    if typed is None:
        return None
    found, missing = unit_named(store, office_id, typed)
    if found is None:
        raise NotFound(missing)
    return found


TABLE_SUFFIXES = (".xlsx", ".csv")


def cmd_report(args: argparse.Namespace, out: Out) -> int:
    parse_month(args.month, date.max)  # its shape first: a malformed month opens no store
    suffix = Path(args.out).suffix.lower()
    if suffix not in (".pdf", *TABLE_SUFFIXES):
        raise ValidationError({"out": Message(
            f"Akhiran berkas {suffix or '(tidak ada)'} tidak dikenal: tulis .pdf (laporan), .xlsx atau .csv "
            "(tabelnya).", f"Unknown file ending {suffix or '(none)'}: write .pdf (the report), .xlsx or .csv "
            "(its tables).")})
    _paths, store, ctx = open_for_cli(args)
    try:
        office_id = require_home_office(store)
        by, user = None, None
        if args.user is not None:
            user = active_user(store, args.user)
            if user is None:
                raise NotFound(Message(f"Akun aktif '{args.user}' tidak ada di PC ini.",
                                       f"There is no active account '{args.user}' on this PC."))
            by = user.full_name
        with store.read() as session:
            now = server_now(session, ctx.clock())
            today = now.astimezone(zone(ctx.office_tz(session, office_id))).date()
        period = parse_month(args.month, today)
        check_not_future(period, today, field="month")
        unit_id = unit_id_of(store, office_id, args.unit)
        if user is not None:  # an account named: its role decides what it may report on
            unit_id = report_unit(user.role, user.unit_id, unit_id)
        with store.read() as session:
            content = monthly_report_content(session, office_id, period, now, unit_id=unit_id, generated_by=by)
    finally:
        store.close()
    if suffix in TABLE_SUFFIXES:
        path = write_kpi_tables(content, Path(args.out))
    else:
        from ui.printing.cli import ensure_gui

        ensure_gui()
        from ui.report.pdf import save_report_pdf

        path = save_report_pdf(content, args.out)
    out.line(str(path.resolve()))  # alone on stdout, for scripts
    if content.no_data:
        out.note(out.t(f"Tidak ada laporan pada {content.month_label}: semua angka nol.",
                       f"Nothing happened in {args.month}: every figure is zero."))
    return EXIT_OK
