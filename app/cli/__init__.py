"""``lapor-desk``: the program's command line, for staff and for IT scripting (Task Scheduler, cron).

Exit codes: 0 ok · 1 error · 2 usage · 3 not found · 4 invalid input or mistyped code · 5 database unusable ·
6 not allowed · 141 the output's reader went away (``lapor-desk users list | head``: 128 + SIGPIPE, as a shell
reports it; the rest of the output is dropped quietly).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from app import __version__, plugins
from app.cli.output import Out
from app.cli.parser import parser_class
from app.errors import (
    LaporError,
    MistypedCode,
    NotFound,
    PermissionDenied,
    StoreError,
    ValidationError,
)

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_INVALID, EXIT_STORE, EXIT_DENIED = 0, 1, 2, 3, 4, 5, 6
EXIT_CLOSED_PIPE = 141


def _options_parser(*, add_help: bool = True, lang: str = "id") -> argparse.ArgumentParser:
    """The options that come before a command (or alone, for the desktop window); help in ``lang``."""
    t = Out(lang).t
    p = parser_class(lang)(
        prog="lapor-desk",
        description=t("LAPOR Desk — pengelolaan pengaduan SP4N-LAPOR! di kantor daerah, juga saat luring.",
                      "LAPOR Desk — SP4N-LAPOR! complaint handling for regional offices, offline too."),
        epilog=t("Kode keluar: 0 berhasil, 1 galat, 2 penggunaan salah, 3 tidak ditemukan, 4 masukan tidak valid, "
                 "5 basis data tidak dapat dipakai, 6 tidak diizinkan, 141 pembaca keluaran sudah berhenti (| head).",
                 "Exit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 invalid input, 5 database unusable, "
                 "6 not allowed, 141 the output's reader went away (| head)."),
        add_help=add_help,
    )
    p.add_argument("--version", action="version", version=f"LAPOR Desk {__version__}",
                   help=t("tampilkan versi program lalu keluar", "show the program's version and exit"))
    p.add_argument("--data-dir", help=t("folder data (bawaan: folder data pengguna; atau $LAPOR_DESK_DATA_DIR)",
                                        "data folder (default: the user data folder; or $LAPOR_DESK_DATA_DIR)"))
    p.add_argument("--lang", choices=["id", "en"], default="id", help=t("bahasa pesan (bawaan: id)",
                                                                        "language of messages (default: id)"))
    p.add_argument("-v", "--verbose", action="store_true", help=t("tampilkan log rinci", "show detailed logs"))
    return p


def build_parser(lang: str = "id") -> argparse.ArgumentParser:
    """The whole command line, its help in ``lang`` (the commands plugins add bring their own)."""
    # the data layer: not needed to open the window
    from app.cli import config_cmds, export_cmds, intake_cmds, store_cmds, users_cmds

    p = _options_parser(lang=lang)
    sub = p.add_subparsers(dest="command", metavar=Out(lang).t("PERINTAH", "COMMAND"))
    store_cmds.register(sub, Out(lang).t)
    users_cmds.register(sub, Out(lang).t)
    intake_cmds.register(sub, Out(lang).t)
    export_cmds.register(sub, Out(lang).t)
    config_cmds.register(sub, Out(lang).t)
    plugins.register_commands(sub, Out(lang).t)
    return p


def chosen_lang(argv: Sequence[str] | None) -> str:
    """``--lang`` as given before the command (the help is written in it), else Indonesian."""
    return str(_options_parser(add_help=False).parse_known_args(argv)[0].lang)


def window_only(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The options when ``argv`` holds nothing else, so the desktop window is wanted: the commands (and the
    plugins that add some, which take a while to load) are then not needed. None when there is more (a command,
    ``--help``)."""
    args, rest = _options_parser(add_help=False).parse_known_args(argv)
    if rest:
        return None
    args.command = None
    return args


Window = Callable[[argparse.Namespace], int]


def run(argv: Sequence[str] | None = None, *, gui: Window | None = None) -> int:
    """The command line. Without a command the desktop window opens: ``gui`` when the caller brings it (the
    program's entry in ui), else the one a plugin provides.

    A closed output pipe (``| head``) ends the run quietly with :data:`EXIT_CLOSED_PIPE`, the recipe of Python's
    signal documentation: the output is flushed here, where the error can be caught, and stdout then points at
    the null device so the flush at exit has nothing to complain about."""
    try:
        try:
            return _run(argv, gui)
        finally:  # also after argparse's SystemExit (--help, --version)
            if sys.stdout is not None:  # None in a windowed build without a console
                sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_CLOSED_PIPE


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a file (a test's capture): nothing is flushed at exit
        pass


def _run(argv: Sequence[str] | None, gui: Window | None) -> int:
    window = window_only(argv)
    if window is not None:
        logging.basicConfig(level=logging.DEBUG if window.verbose else logging.WARNING,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        return launch_default(window, Out(window.lang), gui)
    parser = build_parser(chosen_lang(argv))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    out = Out(args.lang)
    handler: Callable[[argparse.Namespace, Out], int] | None = getattr(args, "handler", None)
    if handler is None:
        return launch_default(args, out, gui)
    try:
        return handler(args, out)
    except ValidationError as exc:
        out.error(exc.message)
        for name, message in exc.fields.items():
            out.line(f"  - {name}: {message.text(args.lang)}")
        return EXIT_INVALID
    except MistypedCode as exc:
        out.error(exc.message)
        return EXIT_INVALID
    except NotFound as exc:
        out.error(exc.message)
        return EXIT_NOT_FOUND
    except PermissionDenied as exc:
        out.error(exc.message)
        return EXIT_DENIED
    except StoreError as exc:
        out.error(exc.message)
        return EXIT_STORE
    except LaporError as exc:
        out.error(exc.message)
        return EXIT_ERROR


def launch_default(args: argparse.Namespace, out: Out, gui: Window | None = None) -> int:
    """Without a command: start the desktop window (``gui``, or a plugin's), else show the help."""
    code = gui(args) if gui is not None else plugins.launch_gui(args)
    if code is None:
        build_parser(args.lang).print_help()
        return EXIT_OK
    return code


def main() -> None:
    sys.exit(run())
