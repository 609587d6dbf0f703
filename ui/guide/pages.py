"""The user guide's pages as files: Markdown in resources/guide/<lang>/ (the same file names in every language),
their titles, the text search reads, the links between them, and the page each role starts on. No Qt here: the
window (ui.guide.window) shows what this reads."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from app.domain import Role
from app.resources import resource_path

LANGUAGES = ("id", "en")
START_PAGE = "mulai"
# The pages in the order the guide lists them; a file not named here comes after them, by name.
PAGE_ORDER = ("mulai", "admin-instansi", "petugas-loket", "penghubung", "pimpinan", "admin-ti", "tenggat",
              "sinkronisasi")
ROLE_PAGES: dict[str, str] = {
    Role.ADMIN_INSTANSI: "admin-instansi",
    Role.PETUGAS_LOKET: "petugas-loket",
    Role.PENGHUBUNG: "penghubung",
    Role.PIMPINAN: "pimpinan",
    Role.IT_ADMIN: "admin-ti",
}
SUFFIX = ".md"

_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_MARKUP = re.compile(r"[*_`#>|]+")


@dataclass(frozen=True)
class GuidePage:
    """One page: ``name`` is its file name without ``.md`` (the same in every language), ``title`` its first
    heading, ``words`` its text as search reads it (links' targets and Markdown marks left out, folded)."""

    name: str
    title: str
    markdown: str
    words: str


def guide_dir(lang: str) -> Path:
    """The folder of the guide in ``lang`` (Indonesian for a language the guide is not written in)."""
    return resource_path("guide", lang if lang in LANGUAGES else LANGUAGES[0])


def role_page(role: str | None) -> str:
    """The page a person of ``role`` starts on (the start page for a role without one of its own)."""
    return ROLE_PAGES.get(role or "", START_PAGE)


def load_pages(lang: str) -> tuple[GuidePage, ...]:
    """Every page of the guide in ``lang``, in the guide's order."""
    files = {path.stem: path for path in guide_dir(lang).glob(f"*{SUFFIX}")}
    order = [name for name in PAGE_ORDER if name in files] + sorted(set(files) - set(PAGE_ORDER))
    return tuple(read_page(files[name]) for name in order)


def read_page(path: Path) -> GuidePage:
    markdown = path.read_text(encoding="utf-8")
    return GuidePage(path.stem, title_of(markdown) or path.stem, markdown, fold(plain_text(markdown)))


def title_of(markdown: str) -> str:
    """The text of the first heading (``# Title``), or "" when the page has none."""
    for line in markdown.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def plain_text(markdown: str) -> str:
    """The words a reader sees: a link's text without its target, no emphasis, code, heading or table marks."""
    return _MARKUP.sub(" ", _LINK.sub(lambda m: m.group(2), markdown))


def fold(text: str) -> str:
    """Lower case without accents, so that a search matches however a word was typed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_words(query: str) -> list[str]:
    """The words of a search as :func:`matches` compares them."""
    return fold(query).split()


def matches(page: GuidePage, query: str) -> bool:
    """Whether every word of ``query`` appears in the page (as a word or part of one); an empty query matches."""
    return all(word in page.words for word in search_words(query))


def links(markdown: str) -> list[str]:
    """The targets of the page's links, in order."""
    return [m.group(3) for m in _LINK.finditer(markdown) if not m.group(1)]


def is_external(target: str) -> bool:
    return urlsplit(target).scheme in ("http", "https", "mailto")


def linked_page(target: str) -> str | None:
    """The page a relative link such as ``tenggat.md`` opens (its name), or None for any other link."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.endswith(SUFFIX):
        return None
    return Path(parts.path).name[: -len(SUFFIX)]
