"""Printing for the CLI in the chosen language: results to stdout, problems to stderr."""

from __future__ import annotations

import sys

from app.errors import Message


class Out:
    def __init__(self, lang: str = "id") -> None:
        self.lang = lang

    def t(self, id_text: str, en_text: str) -> str:
        return en_text if self.lang == "en" else id_text

    def say(self, id_text: str, en_text: str) -> None:
        print(self.t(id_text, en_text))

    def line(self, text: str) -> None:
        print(text)

    def note(self, text: str) -> None:
        """A remark for the person, on stderr, so stdout keeps only the result a script reads."""
        print(text, file=sys.stderr)

    def error(self, message: Message | str) -> None:
        text = message.text(self.lang) if isinstance(message, Message) else message
        print(self.t("Galat: ", "Error: ") + text, file=sys.stderr)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
        for row in [header, *rows]:
            print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=False)).rstrip())
