"""``lapor-desk intake FILE.json``: a complaint taken in from a file or stdin, for scripted use and support, through
the same checks and service as the window's form (app.services.intake); it queues for sync like any other change."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.common import open_for_cli, require_home_office
from app.cli.output import Out
from app.errors import Message, NotFound, PermissionDenied, ValidationError
from app.inputs import intake_from_mapping
from app.read.duplicates import likely_duplicates
from app.services.intake import INTAKE_ROLES, intake
from app.services.users import active_user

EXIT_OK = 0


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    p = sub.add_parser("intake", help=t("catat pengaduan baru dari BERKAS JSON (atau - untuk stdin)",
                                        "take in a new complaint from a JSON FILE (or - for stdin)"),
                       description=t(
                           "Satu objek JSON dengan kolom: classification, channel, title, description, category_id, "
                           "incident_date (TTTT-BB-HH), region_code, address, latitude, longitude, is_anonymous, "
                           "is_confidential, is_supervisory, reporter {name, nik, phone, email, address, "
                           "assistance_needs, consent_given}. Mencetak kode pelacakan.",
                           "One JSON object with the fields: classification, channel, title, description, "
                           "category_id, incident_date (YYYY-MM-DD), region_code, address, latitude, longitude, "
                           "is_anonymous, is_confidential, is_supervisory, reporter {name, nik, phone, email, address, "
                           "assistance_needs, consent_given}. Prints the tracking code."))
    p.add_argument("file", metavar=t("BERKAS", "FILE"))
    p.add_argument("--user", required=True, help=t("akun petugas yang mencatat (admin instansi, petugas loket atau "
                                                   "penghubung)", "the account that takes it in (office admin, "
                                                   "counter staff or unit liaison)"))
    p.set_defaults(handler=cmd_intake)


def _read(file: str) -> Any:
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError({"file": Message(f"Berkas tidak dapat dibaca: {file} ({exc.__class__.__name__}).",
                                               f"The file cannot be read: {file} ({exc.__class__.__name__}).")}) \
            from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError({"file": Message(
            f"Bukan JSON yang sah: {exc.msg} (baris {exc.lineno}, kolom {exc.colno}).",
            f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).")}) from None


def cmd_intake(args: argparse.Namespace, out: Out) -> int:
    inp = intake_from_mapping(_read(args.file))  # shapes first: a bad file opens no store
    _paths, store, ctx = open_for_cli(args)
    try:
        require_home_office(store)
        user = active_user(store, args.user)
        if user is None:
            raise NotFound(Message(f"Akun aktif '{args.user}' tidak ada di PC ini.",
                                   f"There is no active account '{args.user}' on this PC."))
        if user.role not in INTAKE_ROLES:
            raise PermissionDenied(Message(
                "Akun ini tidak boleh mencatat pengaduan (hanya admin instansi, petugas loket atau penghubung).",
                "This account may not take in complaints (only the office admin, counter staff or unit liaisons)."))
        with store.read() as session:
            duplicates = likely_duplicates(session, user.office_id, inp, ctx.clock())
        result = intake(ctx, user.id, inp)
    finally:
        store.close()
    reasons = {"nik": out.t("NIK sama", "same NIK"), "phone": out.t("telepon sama", "same phone"),
               "text": out.t("isi mirip, desa sama", "similar text, same village")}
    for d in duplicates:  # taken in all the same: the officer decides (the window will offer to link it)
        out.note(out.t("Kemungkinan duplikat: ", "Likely duplicate: ") + f"{d.tracking_code} "
                 f"({', '.join(reasons[r] for r in d.reasons)}) — {d.title}")
    out.line(result.tracking_code)  # alone on stdout, for scripts
    out.note(out.t(f"Pengaduan dicatat dengan kode {result.tracking_code}; terkirim ke server pada sinkronisasi "
                   "berikutnya.", f"Complaint taken in as {result.tracking_code}; it goes to the server at the next "
                   "sync."))
    return EXIT_OK
