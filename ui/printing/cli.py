"""``lapor-desk receipt``, ``status-letter`` and ``status-page``: a complaint's receipt or status letter written as a
PDF from the command line (a reprint for a citizen, a script, support), and the status-page address the papers'
QR codes point to.

The content is read as the window reads it (app.read.receipt, app.read.status_letter); the painting needs Qt, which
loads only when a paper is written, on a platform without a screen when the PC has no display (a headless server,
a scheduled task). Exit codes as every command's: 3 an unknown code or account, 4 a mistyped code or a bad address,
1 a file that cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from app.cli.common import open_for_cli, require_home_office
from app.cli.output import Out
from app.errors import Message, NotFound, ValidationError
from app.read import queries
from app.read.receipt import STATUS_PAGE_KEY, Viewer, receipt_content
from app.read.status_letter import status_letter_content
from app.services.users import active_user
from app.store import meta
from app.store.db import Store
from app.timeutil import server_now
from ui.printing.status_page import configured_status_url, status_base_url

EXIT_OK = 0
PAPERS = ("a4", "a5", "80mm")  # ui.printing.papers.Paper's values (that module loads Qt)
_app: Any = None  # the QGuiApplication the painting needs, kept for the process's life


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    for name, help_id, help_en, default in (
            ("receipt", "tulis tanda terima laporan dengan KODE sebagai PDF",
             "write the receipt of the complaint with CODE as a PDF", "a4"),
            ("status-letter", "tulis surat keterangan status laporan dengan KODE sebagai PDF",
             "write the status letter of the complaint with CODE as a PDF", "a4")):
        p = sub.add_parser(name, help=t(help_id, help_en), description=t(help_id, help_en))
        p.add_argument("code", metavar=t("KODE", "CODE"))
        p.add_argument("--out", required=True, metavar=t("BERKAS.pdf", "FILE.pdf"),
                       help=t("berkas PDF yang ditulis", "the PDF file to write"))
        p.add_argument("--paper", choices=PAPERS, default=default,
                       help=t("kertas: a4, a5 atau 80mm (struk thermal) (bawaan: a4)",
                              "paper: a4, a5 or 80mm (thermal roll) (default: a4)"))
        p.add_argument("--user", help=t("akun petugas yang mencetak (namanya tercantum; tanpa ini nama pelapor "
                                        "tidak dicetak)", "the officer's account printing it (named on the "
                                        "paper; without it the reporter's name is left off)"))
        p.set_defaults(handler=cmd_paper, paper_kind=name)
    p = sub.add_parser("status-page", help=t("tampilkan atau atur alamat halaman cek status pada kode QR tanda terima",
                                             "show or set the status page address of the receipts' QR codes"))
    p.add_argument("url", nargs="?", metavar=t("ALAMAT", "URL"),
                   help=t("alamat dasar, misalnya https://lapor.example.go.id (tanda terima menunjuk ke "
                          "ALAMAT/cek/KODE)", "the base address, e.g. https://lapor.example.go.id (receipts point to "
                          "URL/cek/CODE)"))
    p.add_argument("--clear", action="store_true", help=t("hapus alamat yang diatur (kembali ke alamat server)",
                                                          "remove the address set (back to the server's)"))
    p.set_defaults(handler=cmd_status_page)


def ensure_gui() -> None:
    """A QGuiApplication for fonts and painting; on Linux without a display, on Qt's offscreen platform."""
    global _app
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication(["lapor-desk"])


def _viewer(store: Store, username: str | None, office_id: str) -> Viewer:
    if not username:
        return Viewer(office_id)
    user = active_user(store, username)
    if user is None:
        raise NotFound(Message(f"Akun aktif '{username}' tidak ada di PC ini.",
                               f"There is no active account '{username}' on this PC."))
    return Viewer(user.office_id, user.role, user.full_name, user.unit_id)


def cmd_paper(args: argparse.Namespace, out: Out) -> int:
    _paths, store, ctx = open_for_cli(args)
    try:
        office_id = require_home_office(store)
        viewer = _viewer(store, args.user, office_id)
        with store.read() as session:
            complaint_id = queries.find_by_code(session, args.code, viewer.office_id)
            base = status_base_url(session)
            now = server_now(session, ctx.clock())
            content = (receipt_content if args.paper_kind == "receipt" else status_letter_content)(
                session, complaint_id, viewer, status_base_url=base, now=now)
    finally:
        store.close()
    ensure_gui()
    from ui.printing.documents import printable_of, save_pdf
    from ui.printing.papers import Paper

    path = save_pdf(printable_of(content), args.out, Paper(args.paper))
    out.line(str(path))  # alone on stdout, for scripts; nothing on stderr when all is well
    if base is None and args.paper_kind == "receipt":
        out.note(out.t("Tanpa kode QR: PC ini belum terdaftar ke server dan alamat halaman status belum diatur "
                       "(lapor-desk status-page ALAMAT). Tanda terima meminta warga bertanya di loket atau lewat "
                       "telepon.", "No QR code: this PC is not enrolled with a server and no status page address "
                       "is set (lapor-desk status-page URL). The receipt tells the citizen to ask at the counter or "
                       "by phone."))
    return EXIT_OK


def _check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValidationError({"url": Message(
            "Alamat harus berupa alamat web lengkap tanpa ? atau #, misalnya https://lapor.example.go.id.",
            "The address must be a full web address without ? or #, for example https://lapor.example.go.id.")})
    return url.strip().rstrip("/")


def cmd_status_page(args: argparse.Namespace, out: Out) -> int:
    url = _check_url(args.url) if args.url else None
    _paths, store, _ctx = open_for_cli(args)
    try:
        if url or args.clear:
            with store.transaction() as session:
                meta.put(session, STATUS_PAGE_KEY, url or "")
        with store.read() as session:
            configured, used = configured_status_url(session), status_base_url(session)
    finally:
        store.close()
    if used is None:
        out.line(out.t("Tidak ada: tanda terima dicetak tanpa kode QR.", "None: receipts are printed without a QR "
                       "code."))
    else:
        source = out.t("diatur untuk PC ini", "set for this PC") if configured else out.t(
            "server tempat PC ini terdaftar", "the server this PC is enrolled with")
        out.line(f"{used}  ({source})")
    return EXIT_OK
