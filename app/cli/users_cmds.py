"""``lapor-desk users add|list|passwd|disable|enable``: local accounts, for IT."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.cli.common import open_for_cli, require_home_office
from app.cli.output import Out
from app.domain import Role
from app.errors import Message, ValidationError
from app.models import Unit
from app.reference.labels import label
from app.security import generate_password
from app.services import users

ROLES = [r.value for r in Role if r != Role.SYSTEM]


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    """The ``users`` commands, their help in the language ``t`` picks (Indonesian, English)."""
    p = sub.add_parser("users", help=t("kelola akun pengguna lokal", "manage local user accounts"))
    usub = p.add_subparsers(dest="users_command", metavar=t("TINDAKAN", "ACTION"), required=True)
    a = usub.add_parser("add", help=t("tambah pengguna", "add a user"))
    a.add_argument("username")
    a.add_argument("--name", required=True, help=t("nama lengkap", "full name"))
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--unit", help=t("nama unit (wajib untuk PENGHUBUNG)", "unit name (required for PENGHUBUNG)"))
    a.add_argument("--password-stdin", action="store_true", help=t("baca kata sandi dari stdin (untuk skrip)",
                                                                   "read the password from stdin (for scripts)"))
    a.set_defaults(handler=cmd_add)
    ls = usub.add_parser("list", help=t("daftar pengguna", "list the users"))
    ls.set_defaults(handler=cmd_list)
    pw = usub.add_parser("passwd", help=t("ganti kata sandi pengguna (membuka kunci akun)",
                                          "change a user's password (unlocks the account)"))
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true", help=t("baca kata sandi dari stdin (untuk skrip)",
                                                                    "read the password from stdin (for scripts)"))
    pw.add_argument("--generate", action="store_true", help=t("buat kata sandi acak dan tampilkan",
                                                              "make a random password and show it"))
    pw.set_defaults(handler=cmd_passwd)
    d = usub.add_parser("disable", help=t("nonaktifkan pengguna", "disable a user"))
    d.add_argument("username")
    d.set_defaults(handler=lambda args, out: _set_active(args, out, False))
    e = usub.add_parser("enable", help=t("aktifkan kembali pengguna", "enable a user again"))
    e.add_argument("username")
    e.set_defaults(handler=lambda args, out: _set_active(args, out, True))


def _read_password(from_stdin: bool, out: Out) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        raise ValidationError({"password": Message(
            "Tidak ada terminal untuk mengetik kata sandi: gunakan --password-stdin.",
            "No terminal to type a password: use --password-stdin.")})
    first = getpass.getpass(out.t("Kata sandi baru: ", "New password: "))
    second = getpass.getpass(out.t("Ulangi kata sandi: ", "Repeat password: "))
    if first != second:
        raise ValidationError({"password": Message("Kedua kata sandi tidak sama.", "The passwords differ.")})
    return first


def cmd_add(args: argparse.Namespace, out: Out) -> int:
    _paths, store, ctx = open_for_cli(args)
    try:
        office_id = require_home_office(store)
        unit_id = None
        if args.unit:
            with store.read() as session:
                unit_id = session.execute(
                    select(Unit.id).where(Unit.office_id == office_id, Unit.name == args.unit)).scalar()
            if unit_id is None:
                raise ValidationError({"unit": Message(f"Unit '{args.unit}' tidak ada di instansi ini.",
                                                       f"No unit '{args.unit}' in this office.")})
        generated = not args.password_stdin and not sys.stdin.isatty()
        password = generate_password() if generated else _read_password(args.password_stdin, out)
        info = users.add_user(ctx, username=args.username, full_name=args.name, role=args.role,
                              password=password, office_id=office_id, unit_id=unit_id)
    finally:
        store.close()
    out.say(f"Pengguna {info.username} ({label(Role(info.role))}) ditambahkan.",
            f"User {info.username} ({label(Role(info.role), 'en')}) added.")
    if generated:
        out.say(f"Kata sandi awal: {password}", f"Initial password: {password}")
    return 0


def cmd_list(args: argparse.Namespace, out: Out) -> int:
    _paths, store, ctx = open_for_cli(args)
    try:
        rows = users.list_users(ctx)
    finally:
        store.close()
    header = [out.t("PENGGUNA", "USER"), out.t("NAMA", "NAME"), out.t("PERAN", "ROLE"), "STATUS"]
    out.table(header, [[u.username, u.full_name, u.role,
                        out.t("aktif", "active") if u.active else out.t("nonaktif", "disabled")] for u in rows])
    return 0


def cmd_passwd(args: argparse.Namespace, out: Out) -> int:
    _paths, store, ctx = open_for_cli(args)
    try:
        password = generate_password() if args.generate else _read_password(args.password_stdin, out)
        users.set_password(ctx, args.username, password)
    finally:
        store.close()
    out.say(f"Kata sandi {args.username} diganti.", f"Password of {args.username} changed.")
    if args.generate:
        out.say(f"Kata sandi baru: {password}", f"New password: {password}")
    return 0


def _set_active(args: argparse.Namespace, out: Out, active: bool) -> int:
    _paths, store, ctx = open_for_cli(args)
    try:
        users.set_active(ctx, args.username, active)
    finally:
        store.close()
    if active:
        out.say(f"Pengguna {args.username} diaktifkan.", f"User {args.username} enabled.")
    else:
        out.say(f"Pengguna {args.username} dinonaktifkan.", f"User {args.username} disabled.")
    return 0
