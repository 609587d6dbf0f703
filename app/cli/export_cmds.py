"""``lapor-desk export``: the office's complaints to Excel, CSV or Open311 (app.export), for leadership's spreadsheets
and IT's scheduled open-data files. The file's path alone on stdout; what was written, on stderr."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.cli.common import open_for_cli, require_home_office, unit_named
from app.cli.output import Out
from app.domain import Channel, DeadlineState, Status
from app.errors import Message, NotFound, ValidationError
from app.export import ExportFormat, ExportRequest, export_complaints
from app.kpi.period import ReportPeriod, check_not_future, parse_month
from app.models import Category
from app.read.queries import ComplaintFilter
from app.services.users import active_user
from app.store.db import Store
from app.timeutil import server_now, zone

EXIT_OK = 0
_FORMAT_NAMES = {ExportFormat.XLSX: "Excel", ExportFormat.CSV: "CSV", ExportFormat.OPEN311: "Open311 JSON",
                 ExportFormat.OPEN311_XML: "Open311 XML"}


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    p = sub.add_parser("export", help=t("ekspor laporan instansi ke Excel, CSV atau Open311",
                                        "export the office's complaints to Excel, CSV or Open311"),
                       description=t(
                           "Mengekspor laporan instansi PC ini. Tanpa data pribadi pelapor dan tanpa isi laporan "
                           "rahasia; --with-personal-data hanya untuk admin instansi (--user) dan dicatat di log "
                           "audit. Mencetak jalur berkas yang ditulis.",
                           "Exports this PC's office's complaints. No reporter's personal data and no confidential "
                           "complaint's content; --with-personal-data only for the office administrator (--user), "
                           "and audited. Prints the path of the file written."))
    p.add_argument("--format", required=True, choices=[f.value for f in ExportFormat],
                   help=t("xlsx (Excel), csv (UTF-8, pemisah ;), open311 (GeoReport v2 JSON), open311-xml",
                          "xlsx (Excel), csv (UTF-8, ; separated), open311 (GeoReport v2 JSON), open311-xml"))
    p.add_argument("--out", required=True, metavar=t("BERKAS", "FILE"), help=t("berkas tujuan", "the file to write"))
    p.add_argument("--from", dest="date_from", metavar=t("TTTT-BB-HH", "YYYY-MM-DD"),
                   help=t("diterima sejak tanggal ini", "received on or after this day"))
    p.add_argument("--to", dest="date_to", metavar=t("TTTT-BB-HH", "YYYY-MM-DD"),
                   help=t("diterima sampai tanggal ini", "received on or before this day"))
    p.add_argument("--month", metavar=t("TTTT-BB", "YYYY-MM"), help=t("diterima pada bulan ini (bukan bersama "
                                                                       "--from/--to)", "received in this month (not "
                                                                       "with --from/--to)"))
    p.add_argument("--status", action="append", default=[], metavar="STATUS",
                   help=t("hanya status ini (boleh diulang atau dipisah koma): ", "only this status (repeat it or "
                          "separate with commas): ") + ", ".join(Status))
    p.add_argument("--unit", metavar=t("NAMA", "NAME"), help=t("hanya unit kerja ini", "only this unit"))
    p.add_argument("--category", metavar=t("KODE", "CODE"), help=t("hanya kategori ini (dan sub-kategorinya)",
                                                                   "only this category (and its sub-categories)"))
    p.add_argument("--channel", metavar=t("KANAL", "CHANNEL"), help=", ".join(Channel))
    p.add_argument("--deadline", metavar=t("KEADAAN", "STATE"), help=", ".join(DeadlineState))
    p.add_argument("--user", metavar=t("AKUN", "ACCOUNT"), help=t("akun yang mengekspor (dicatat di log audit)",
                                                                  "the account exporting (recorded in the audit log)"))
    p.add_argument("--with-personal-data", action="store_true",
                   help=t("sertakan data pribadi pelapor (hanya admin instansi; dicatat di log audit)",
                          "include reporters' personal data (office administrator only; audited)"))
    p.set_defaults(handler=cmd_export)


def _invalid(field: str, id_text: str, en_text: str) -> ValidationError:
    return ValidationError({field: Message(id_text, en_text)})


def _day(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        if len(text.strip()) != 10:
            raise ValueError(text)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise _invalid(field, f"Tanggal tidak valid: {text!r}. Tulis tahun-bulan-hari, misalnya 2026-10-01.",
                       f"Invalid date: {text!r}. Write year-month-day, for example 2026-10-01.") from None


def _choice(text: str | None, allowed: list[str], field: str) -> str | None:
    if text is None:
        return None
    value = text.strip().upper()
    if value not in allowed:
        raise _invalid(field, f"Nilai tidak dikenal: {text!r}. Pilihan: {', '.join(allowed)}.",
                       f"Unknown value: {text!r}. Choose from: {', '.join(allowed)}.")
    return value


def _statuses(given: list[str]) -> tuple[str, ...]:
    wanted = [s for item in given for s in item.split(",") if s.strip()]
    return tuple(dict.fromkeys(_choice(s, list(Status), "status") or "" for s in wanted))


def _period(args: argparse.Namespace) -> tuple[date | None, date | None, ReportPeriod | None]:
    """The received days asked for (from, to, and the month when given as one), their shape checked; whether they
    have begun needs the store's today (:func:`_check_begun`)."""
    start, end = _day(args.date_from, "from"), _day(args.date_to, "to")
    if args.month is not None:
        if start or end:
            raise _invalid("month", "Pilih --month atau --from/--to, tidak keduanya.",
                           "Give --month or --from/--to, not both.")
        month = parse_month(args.month, date.max)
        return month.first_day, month.last_day, month
    if start and end and start > end:
        raise _invalid("to", f"--to ({end.isoformat()}) sebelum --from ({start.isoformat()}).",
                       f"--to ({end.isoformat()}) is before --from ({start.isoformat()}).")
    return start, end, None


def _check_begun(start: date | None, month: ReportPeriod | None, today: date) -> None:
    if month is not None:
        check_not_future(month, today, field="month")
    elif start is not None and start > today:
        raise _invalid("from", f"Tanggal --from {start.isoformat()} belum tiba (hari ini {today:%d-%m-%Y}); belum "
                       "ada laporan.", f"--from {start.isoformat()} has not come yet (today is {today.isoformat()}); "
                       "there are no complaints yet.")


def _unit_id(store: Store, office_id: str, typed: str | None) -> str | None:
    if typed is None:
        return None
    found, missing = unit_named(store, office_id, typed)
    if found is None:
        raise ValidationError({"unit": missing})
    return found


def _category_id(store: Store, typed: str | None) -> str | None:
    if typed is None:
        return None
    with store.read() as session:
        found = session.execute(select(Category.id).where(func.lower(Category.id) == typed.strip().lower())).scalar()
    if found is None:
        raise _invalid("category", f"Kategori {typed!r} tidak dikenal (lihat kode kategori di layanan Open311).",
                       f"Unknown category {typed!r} (see the category codes in the Open311 services).")
    return str(found)


def cmd_export(args: argparse.Namespace, out: Out) -> int:
    fmt = ExportFormat(args.format)
    start, end, month = _period(args)  # shapes first: a malformed month opens no store
    statuses = _statuses(args.status)
    channel = _choice(args.channel, list(Channel), "channel")
    deadline = _choice(args.deadline, list(DeadlineState), "deadline")
    _paths, store, ctx = open_for_cli(args)
    try:
        office_id = require_home_office(store)
        user_id = None
        if args.user is not None:
            user = active_user(store, args.user)
            if user is None:
                raise NotFound(Message(f"Akun aktif '{args.user}' tidak ada di PC ini.",
                                       f"There is no active account '{args.user}' on this PC."))
            user_id = user.id
        with store.read() as session:
            today = server_now(session, ctx.clock()).astimezone(zone(ctx.office_tz(session, office_id))).date()
        _check_begun(start, month, today)
        f = ComplaintFilter(statuses=statuses, unit_id=_unit_id(store, office_id, args.unit),
                            category_id=_category_id(store, args.category), channel=channel,
                            received_from=start, received_to=end, deadline_state=deadline)
        result = export_complaints(ctx, office_id, fmt, Path(args.out),
                                   ExportRequest(f, include_personal=args.with_personal_data),
                                   user_id=user_id, lang=out.lang)
    finally:
        store.close()
    out.line(str(result.path.resolve()))  # alone on stdout, for scripts
    personal = out.t("dengan data pribadi pelapor (dicatat di log audit)", "with reporters' personal data (audited)") \
        if result.include_personal else out.t("tanpa data pribadi pelapor", "without reporters' personal data")
    secret = out.t(f"{result.confidential} laporan rahasia tanpa isinya", f"{result.confidential} confidential "
                   "complaints without their content") if not fmt.is_open311 else out.t(
        f"{result.confidential} laporan rahasia tidak disertakan", f"{result.confidential} confidential complaints "
        "left out")
    out.note(out.t(f"{result.rows} laporan diekspor ({_FORMAT_NAMES[fmt]}; {personal}; {secret}).",
                   f"{result.rows} complaints exported ({_FORMAT_NAMES[fmt]}; {personal}; {secret})."))
    return EXIT_OK
