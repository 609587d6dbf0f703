"""The ``seed-demo`` command: synthetic demo data into a store (added to the CLI through the
``lapor_desk.plugins`` entry point, so app never imports the demo)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from app.cli.common import open_for_cli
from app.cli.output import Out
from app.models import Complaint

EXIT_OK = 0


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    p = sub.add_parser("seed-demo", help=t("isi data demo sintetis (instansi, pengguna, laporan)",
                                           "load synthetic demo data (offices, users, complaints)"))
    p.add_argument("--count", type=int, default=2000, help=t("jumlah laporan (bawaan 2000)",
                                                             "number of complaints (default 2000)"))
    p.add_argument("--seed", type=int, default=1, help=t("benih acak, agar hasil dapat diulang",
                                                         "random seed, for repeatable data"))
    p.add_argument("--if-empty", action="store_true", help=t("lewati bila sudah ada laporan",
                                                             "skip when there are complaints already"))
    p.set_defaults(handler=cmd_seed_demo)


def cmd_seed_demo(args: argparse.Namespace, out: Out) -> int:
    from demo.seed import seed_demo

    _paths, store, _ctx = open_for_cli(args)
    try:
        with store.read() as session:
            existing = session.execute(select(func.count()).select_from(Complaint)).scalar() or 0
        if existing and args.if_empty:
            out.say(f"Sudah ada {existing} laporan; data demo tidak ditambahkan.",
                    f"{existing} complaints already present; no demo data added.")
            return EXIT_OK
        report = seed_demo(store, count=args.count, seed=args.seed)
    finally:
        store.close()
    out.say(f"Data demo: {report.complaints} laporan, {report.events} peristiwa, {report.users} pengguna "
            f"dalam {report.seconds:.1f} detik.",
            f"Demo data: {report.complaints} complaints, {report.events} events, {report.users} users "
            f"in {report.seconds:.1f} s.")
    out.say("Kata sandi semua pengguna demo: " + report.password,
            "Password of every demo user: " + report.password)
    return EXIT_OK
