"""docs/DEPLOY.md stays true to this version: every ``lapor-server`` command and option it names exists in the CLI's
parser (server.cli.build_parser), and every environment variable it names is read by the server (or by uvicorn,
which ``serve`` starts). Text between ``<!-- pending:NAME -->`` and ``<!-- /pending:NAME -->`` describes what was
not in this version when the page was written (it says so in the page) and is not checked."""

from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from server.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "DEPLOY.md"
PENDING = re.compile(r"<!-- pending:(?P<name>[\w-]+) -->.*?<!-- /pending:(?P=name) -->", re.S)
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
SPAN = re.compile(r"`([^`\n]+(?:\n[^`\n]+)?)`")  # inline code, at most across one line break
# Where a shell command ends: what follows is another command or a comment.
COMMAND_END = {"|", "||", "&&", ";", "#", ">", ">>", "2>&1", ")"}
ENV_NAME = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
# A name is used as an environment variable where it is assigned, read with $, or has a prefix only variables use.
_NAME = r"(?P<name>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"
ENV_USES = (re.compile(rf"\$\{{?{_NAME}\b"), re.compile(rf"(?:\bexport\s+|\bEnvironment=|^\s*){_NAME}=", re.M))
ENV_PREFIXES = ("LAPOR_", "PROMETHEUS_", "FORWARDED_")


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]  # the subcommand path: ("admin", "enroll")
    options: tuple[str, ...]
    where: str


def checked_text() -> str:
    return PENDING.sub("", DOC.read_text(encoding="utf-8"))


def code_pieces(text: str) -> list[str]:
    """Each fenced block's logical lines (a line ending in a backslash goes on) and each inline code span."""
    pieces: list[str] = []
    for block in FENCE.findall(text):
        pieces += [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]
    outside = FENCE.sub("", text)
    pieces += [" ".join(span.split()) for span in SPAN.findall(outside)]
    return pieces


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def options_of(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def tokens(piece: str) -> list[str]:
    try:
        return shlex.split(piece, comments=False)
    except ValueError:  # an unbalanced quote in prose: words will do
        return piece.split()


def commands(pieces: list[str], top: argparse.ArgumentParser) -> list[Command]:
    """Every ``lapor-server …`` in the pieces (``/opt/…/bin/lapor-server serve``, ``$(lapor-server admin …)``
    included), and every piece that starts with a subcommand or an admin action (``admin enroll --office``,
    ``rotate-era``), with the options that follow it up to the end of its command."""
    admin_actions = set(subparsers(subparsers(top)["admin"]))
    found: list[Command] = []
    for piece in pieces:
        words = tokens(piece)
        starts = [i + 1 for i, word in enumerate(words[:-1])
                  if re.split(r"[/(=$]", word)[-1] == "lapor-server" and not words[i + 1].startswith("/")]
        if not starts and words and words[0] in subparsers(top):
            starts = [0]
        elif not starts and words and words[0] in admin_actions:
            words, starts = ["admin", *words], [0]
        found += [_command(words[start:], piece) for start in starts]
    return [command for command in found if command.words or command.options]  # not `systemctl stop lapor-server`


def _command(words: list[str], where: str) -> Command:
    path: list[str] = []
    options: list[str] = []
    for word in words:
        if word in COMMAND_END or word.startswith("#"):
            break
        if word.startswith("--"):
            options.append(word.split("=", 1)[0])
        elif not options and len(path) < 2 and re.fullmatch(r"[a-z][a-z0-9-]*", word):
            path.append(word)
    return Command(tuple(path), tuple(options), where)


def resolve(top: argparse.ArgumentParser, command: Command) -> tuple[argparse.ArgumentParser, str | None]:
    """The parser the command's options belong to, and a problem with its path (None: it exists)."""
    parser = top
    for depth, word in enumerate(command.words):
        choices = subparsers(parser)
        if not choices:
            break  # a positional argument (disable-user USERNAME)
        if word not in choices:
            return parser, f"no subcommand {' '.join(command.words[:depth + 1])!r}"
        parser = choices[word]
    return parser, None


def test_the_page_names_commands_and_variables() -> None:
    """The parsing below finds what the page is about (a page rewritten in another shape would check nothing)."""
    pieces = code_pieces(checked_text())
    found = commands(pieces, build_parser())
    paths = {c.words for c in found}
    assert {("serve",), ("migrate",), ("admin", "enroll"), ("admin", "rotate-era")} <= paths
    assert sum(len(c.options) for c in found) >= 20
    assert {"LAPOR_SERVER_DB", "FORWARDED_ALLOW_IPS", "PROMETHEUS_MULTIPROC_DIR"} <= env_names(checked_text())


def test_every_command_and_option_exists() -> None:
    top = build_parser()
    problems: list[str] = []
    for command in commands(code_pieces(checked_text()), top):
        parser, problem = resolve(top, command)
        if problem:
            problems.append(f"{problem}: {command.where}")
            continue
        known = options_of(parser)
        problems += [f"lapor-server {' '.join(command.words)} has no {option}: {command.where}"
                     for option in command.options if option not in known]
    assert not problems, "\n".join(problems)


def test_every_option_named_alone_exists() -> None:
    """An option named in the prose by itself (`--graceful-seconds`) is an option of some lapor-server command."""
    top = build_parser()
    every: set[str] = options_of(top)
    for sub in subparsers(top).values():
        every |= options_of(sub)
        for action in subparsers(sub).values():
            every |= options_of(action)
    alone = [span.split()[0].split("=", 1)[0] for span in SPAN.findall(FENCE.sub("", checked_text()))
             if span.startswith("--")]
    assert alone, "the page names options in its prose"
    assert not [option for option in alone if option not in every]


def env_names(text: str) -> set[str]:
    names: set[str] = set()
    for piece in code_pieces(text):
        names |= {m.group("name") for pattern in ENV_USES for m in pattern.finditer(piece)}
        names |= {name for name in ENV_NAME.findall(piece) if name.startswith(ENV_PREFIXES)}
    return names


def read_by(folder: Path, name: str) -> bool:
    quoted = (f'"{name}"', f"'{name}'")
    return any(q in path.read_text(encoding="utf-8") for path in folder.rglob("*.py") for q in quoted)


@pytest.mark.parametrize("name", sorted(env_names(checked_text())))
def test_every_environment_variable_is_read(name: str) -> None:
    """Read by the server's code, or by uvicorn (FORWARDED_ALLOW_IPS, which serve leaves to it)."""
    assert read_by(ROOT / "server", name) or read_by(Path(uvicorn.__file__).parent, name), \
        f"docs/DEPLOY.md names {name}, which neither server/ nor uvicorn reads"


def test_constants_named_exist() -> None:
    """Upper-case names in code spans outside environment use (KEEP_ALIVE_SECONDS, the roles) are in the code."""
    text = checked_text()
    spans = [span for span in SPAN.findall(FENCE.sub("", text)) if ENV_NAME.fullmatch(span)]
    sources = "\n".join(path.read_text(encoding="utf-8") for folder in ("server", "sync", "app")
                        for path in (ROOT / folder).rglob("*.py"))
    missing = [span for span in spans if span not in env_names(text) and not re.search(rf"\b{span}\b", sources)]
    assert spans and not missing, missing


@pytest.mark.parametrize("piece", ["lapor-server serve --no-such-flag", "lapor-server admin no-such-action",
                                   "lapor-server admin enroll --region 34.04"])
def test_a_wrong_name_is_found(piece: str) -> None:
    """The check fails on what does not exist (else it could pass on anything)."""
    top = build_parser()
    (command,) = commands([piece], top)
    parser, problem = resolve(top, command)
    assert problem or [option for option in command.options if option not in options_of(parser)]
