"""``lapor-desk config show``: each setting's effective value and where it came from (command line, environment
variable, user settings, the machine file lapor-desk.toml, default), and what is wrong in the configuration."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.cli.common import paths_of
from app.cli.output import Out
from app.config_layers import EffectiveConfig, resolve, user_settings
from app.machine_config import MACHINE_FILE_ENV, Value

EXIT_OK, EXIT_PROBLEMS = 0, 4
# The options ``enroll`` takes, accepted here too so IT sees what an enrolment with them would use.
PREVIEW_OPTIONS = (("--server", "server_url"), ("--office", "office"), ("--ca-bundle", "ca_bundle"),
                   ("--proxy", "proxy"))


def register(sub: Any, t: Callable[[str, str], str]) -> None:
    c = sub.add_parser("config", help=t("konfigurasi PC ini (lapor-desk.toml untuk banyak PC)",
                                        "this PC's configuration (lapor-desk.toml for many PCs)"))
    inner = c.add_subparsers(dest="config_command", metavar=t("PERINTAH", "COMMAND"), required=True)
    show = inner.add_parser(
        "show", help=t("tampilkan setiap nilai yang berlaku dan asalnya", "show each effective value and its source"),
        description=t("Urutan: baris perintah > variabel lingkungan > pengaturan pengguna > berkas mesin > bawaan. "
                      "Kode keluar 0: konfigurasi tanpa masalah; 4: ada masalah (dicetak; nilai itu tidak dipakai).",
                      "Order: command line > environment > user settings > machine file > defaults. Exit code 0: "
                      "no problems; 4: problems found (printed; those values are not used)."))
    for option, name in PREVIEW_OPTIONS:
        show.add_argument(option, dest=f"preview_{name}", metavar=t("NILAI", "VALUE"),
                          help=t(f"seperti pada enroll: nilai {name} dari baris perintah",
                                 f"as with enroll: {name} from the command line"))
    show.set_defaults(handler=cmd_show)


def cmd_show(args: argparse.Namespace, out: Out) -> int:
    command_line: dict[str, Value | None] = {name: getattr(args, f"preview_{name}", None)
                                             for _option, name in PREVIEW_OPTIONS}
    config = resolve(command_line=command_line, user=user_settings(paths_of(args)))
    print_config(config, out)
    return EXIT_PROBLEMS if config.problems else EXIT_OK


def print_config(config: EffectiveConfig, out: Out) -> None:
    machine = config.machine
    state = out.t("ada", "present") if machine.exists else out.t("tidak ada", "absent")
    out.line(out.t("Berkas mesin", "Machine file") + f": {machine.path} ({state}; ${MACHINE_FILE_ENV} "
             + out.t("memilih berkas lain)", "chooses another)"))
    rows = []
    locked = out.t("dikunci TI", "locked by IT")
    for setting in config.settings.values():
        value = str(setting.value) if setting.value != "" else "-"
        source = setting.source.text(out.lang) + (f" ({locked})" if setting.locked else "")
        rows.append([setting.key.name, value, source])
    out.table([out.t("KUNCI", "KEY"), out.t("NILAI", "VALUE"), out.t("ASAL", "SOURCE")], rows)
    if config.problems:
        out.line("")
        out.line(out.t("Masalah konfigurasi (nilai itu tidak dipakai; program memakai lapisan berikutnya):",
                       "Configuration problems (those values are not used; the program uses the next layer):"))
        for problem in config.problems:
            out.line(f"  - {problem.text(out.lang)}")
