"""The guide's pages as files: the same pages in Indonesian and English, links that lead somewhere, Indonesian that
is Indonesian, and the facts it states (deadlines, tracking codes) as the program has them."""

from __future__ import annotations

import re

import pytest

from app.domain import DeadlineKind, Role
from app.rules.sla import SlaPolicy
from app.rules.tracking import parse
from ui.guide import pages
from ui.guide.pages import LANGUAGES, PAGE_ORDER, ROLE_PAGES, START_PAGE, guide_dir, load_pages

# Words that only one of the two languages uses often; a paragraph is in the language whose words it has more of.
INDONESIAN = frozenset({"yang", "dan", "di", "ke", "dari", "untuk", "dengan", "atau", "ini", "itu", "tidak", "ada",
                        "bila", "lalu", "akan", "sudah", "dapat", "juga", "pada", "oleh", "setiap", "saat", "belum",
                        "masih", "anda", "laporan"})
ENGLISH = frozenset({"the", "and", "of", "to", "is", "are", "a", "an", "with", "for", "from", "or", "this", "that",
                     "not", "when", "then", "will", "has", "have", "can", "also", "on", "by", "every", "while", "yet",
                     "still", "your", "its"})


def names(lang: str) -> set[str]:
    return {path.stem for path in guide_dir(lang).glob("*.md")}


def paragraphs(markdown: str) -> list[str]:
    """The prose of a page: its blocks between blank lines, without code blocks."""
    without_code = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    return [block for block in re.split(r"\n\s*\n", without_code) if block.strip()]


def counts(text: str) -> tuple[int, int]:
    words = re.findall(r"[a-z]+", pages.plain_text(text).lower())
    return sum(w in INDONESIAN for w in words), sum(w in ENGLISH for w in words)


def test_every_page_is_there_in_both_languages_under_the_same_name() -> None:
    indonesian, english = names("id"), names("en")
    assert indonesian == english
    assert indonesian == set(PAGE_ORDER)  # and listed in the guide's order, none forgotten
    assert START_PAGE in indonesian
    assert {ROLE_PAGES[role] for role in Role if role != Role.SYSTEM} <= indonesian
    assert set(ROLE_PAGES) == {role.value for role in Role if role != Role.SYSTEM}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_load_in_the_guides_order_with_their_titles(lang: str) -> None:
    loaded = load_pages(lang)
    assert [page.name for page in loaded] == list(PAGE_ORDER)
    for page in loaded:
        assert page.title and page.title != page.name
        assert page.markdown.startswith(f"# {page.title}\n")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_link_leads_to_a_page_of_the_same_language_or_to_the_web(lang: str) -> None:
    found = 0
    for page in load_pages(lang):
        for target in pages.links(page.markdown):
            found += 1
            if pages.is_external(target):
                assert target.startswith("https://"), (page.name, target)
                continue
            linked = pages.linked_page(target)
            assert linked is not None and target == f"{linked}.md", (page.name, target)  # no folders, no anchors
            assert (guide_dir(lang) / target).is_file(), (page.name, target)
    assert found >= 10


def test_a_link_is_read_as_the_page_it_names() -> None:
    assert pages.linked_page("tenggat.md") == "tenggat"
    assert pages.linked_page("https://www.lapor.go.id/tenggat.md") is None
    assert pages.linked_page("tenggat.html") is None
    assert pages.links("See [Deadlines](tenggat.md) and ![a picture](x.png).") == ["tenggat.md"]


def test_the_indonesian_guide_has_no_page_left_in_english() -> None:
    english_titles = {page.name: page.title for page in load_pages("en")}
    for page in load_pages("id"):
        assert page.title != english_titles[page.name], page.name
        assert page.markdown != (guide_dir("en") / f"{page.name}.md").read_text(encoding="utf-8")
        for block in paragraphs(page.markdown):
            indonesian, english = counts(block)
            assert english <= indonesian or english < 3, (page.name, block[:120])


def test_the_english_guide_is_english() -> None:
    for page in load_pages("en"):
        for block in paragraphs(page.markdown):
            indonesian, english = counts(block)
            assert indonesian <= english or indonesian < 3, (page.name, block[:120])


def test_the_language_check_tells_the_languages_apart() -> None:
    """The check above would catch an English paragraph left in the Indonesian guide."""
    indonesian, english = counts("When the reporter is not satisfied, the complaint goes back to the unit and the "
                                 "follow-up deadline is counted again.")
    assert english >= 3 > indonesian
    indonesian, english = counts("Bila pelapor tidak puas, laporan kembali ke unit kerja dan tenggat tindak lanjut "
                                 "dihitung lagi dari hari itu.")
    assert indonesian >= 3 > english


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_deadline_page_gives_the_policys_periods(lang: str) -> None:
    policy = SlaPolicy.bundled()
    page = (guide_dir(lang) / "tenggat.md").read_text(encoding="utf-8")
    working, calendar = ("hari kerja", "hari") if lang == "id" else ("working days", "days")
    for kind in (DeadlineKind.VERIFICATION, DeadlineKind.FOLLOW_UP, DeadlineKind.RESPONSE_WINDOW,
                 DeadlineKind.CLARIFICATION):
        period = policy.step_period(kind)
        assert f"{period.days} {working if period.unit == 'working' else calendar}" in page, kind
    for period in policy.resolution.values():
        assert f"{period.days} {working}" in page
    assert f"{policy.due_soon_hours} " in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_example_tracking_codes_pass_their_check_digit(lang: str) -> None:
    codes = {code for page in load_pages(lang) for code in re.findall(r"\b\d{4}-\d{3}-\d{6}-\d\b", page.markdown)}
    assert codes
    for code in codes:
        assert str(parse(code)) == code
