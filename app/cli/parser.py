"""The command line's own words in the chosen language: argparse writes "usage:", "positional arguments", "options"
and its help for ``-h`` and ``--version`` in English whatever the rest of the help says. :func:`parser_class` gives
an ``ArgumentParser`` whose every parser (the commands' too: argparse makes them of the same class) says them in
Indonesian for ``lang="id"``; the help an option or command brings is already in ``lang``."""

from __future__ import annotations

import argparse
from typing import Any

WORDS = {
    "id": {"usage": "penggunaan: ", "positionals": "argumen posisi", "options": "opsi",
           "help": "tampilkan bantuan ini lalu keluar", "error": "galat"},
    "en": {"usage": "usage: ", "positionals": "positional arguments", "options": "options",
           "help": "show this help message and exit", "error": "error"},
}


class _Formatter(argparse.HelpFormatter):
    usage_prefix = "usage: "

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, self.usage_prefix if prefix is None else prefix)


class LaporParser(argparse.ArgumentParser):
    """An ArgumentParser in :attr:`lang` (set by :func:`parser_class`)."""

    lang = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        words = WORDS[self.lang]
        add_help = kwargs.pop("add_help", True)
        formatter = type("Formatter", (_Formatter,), {"usage_prefix": words["usage"]})
        kwargs.setdefault("formatter_class", formatter)
        kwargs["add_help"] = False  # (our own -h below, its help in our language)
        super().__init__(*args, **kwargs)
        self._positionals.title = words["positionals"]
        self._optionals.title = words["options"]
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=words["help"])

    def error(self, message: str) -> Any:
        """As argparse's (usage, then the message; exit code 2), with "error" in :attr:`lang`."""
        self.print_usage()
        self.exit(2, f"{self.prog}: {WORDS[self.lang]['error']}: {message}\n")


def parser_class(lang: str) -> type[LaporParser]:
    return type("LaporParser", (LaporParser,), {"lang": lang if lang in WORDS else "id"})
