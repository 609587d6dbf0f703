"""The guide's window: the search keeps the pages holding every word and marks them in the page shown, links open
pages or the browser, and open_guide shows the page of the person's role in one window, reused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QWidget

from app.domain import Role
from ui.guide import ROLE_PAGES, START_PAGE, GuideWindow, open_guide
from ui.guide import window as guide_window
from ui.guide.pages import PAGE_ORDER, load_pages
from ui.workspace import Workspace


@pytest.fixture
def guide(qtbot: Any) -> Iterator[Callable[..., GuideWindow]]:
    """``guide(lang)``: a shown guide window (deleted after the test)."""
    made: list[GuideWindow] = []

    def make(lang: str = "id") -> GuideWindow:
        window = GuideWindow(lang)
        qtbot.add_widget(window)
        window.show()
        qtbot.wait_exposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.deleteLater()


@pytest.fixture
def fresh_guide(monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> Iterator[None]:
    """open_guide starts without a window of an earlier test, and the one it makes goes with this test."""
    monkeypatch.setattr(guide_window, "_window", None)
    yield
    made = guide_window._window
    if made is not None and shiboken6.isValid(made):  # not gone with a parent window of the test
        made.close()
        made.deleteLater()


def unique_word(lang: str, name: str) -> str:
    """A word of at least six letters found in the page ``name`` and in no other page."""
    loaded = load_pages(lang)
    others = " ".join(page.words for page in loaded if page.name != name)
    own = next(page for page in loaded if page.name == name)
    for word in own.words.split():
        if len(word) >= 6 and word.isalpha() and word not in others:
            return word
    raise AssertionError(f"{name} has no word of its own")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_word_of_one_page_finds_that_page_only(guide: Callable[..., GuideWindow], lang: str) -> None:
    window = guide(lang)
    for name in PAGE_ORDER:
        window.search.setText(unique_word(lang, name).upper())  # the search ignores case
        assert window.visible_pages() == [name]
        assert window.current_page() == name
        assert not window.no_match.isVisible()


def test_every_word_must_appear(guide: Callable[..., GuideWindow]) -> None:
    window = guide("id")
    window.search.setText("triwulan")
    assert window.visible_pages() == ["pimpinan"]
    window.search.setText("tenggat")
    with_deadline = window.visible_pages()
    assert len(with_deadline) > 2 and "pimpinan" in with_deadline
    window.search.setText("Tenggat  TRIWULAN")
    assert window.visible_pages() == ["pimpinan"]


def test_an_empty_search_shows_every_page_and_nothing_found_says_so(guide: Callable[..., GuideWindow]) -> None:
    window = guide("id")
    window.show_page("tenggat")
    window.search.setText("kalender zzzyx")
    assert window.visible_pages() == []
    assert window.no_match.isVisible()
    window.search.clear()
    assert window.visible_pages() == list(PAGE_ORDER)
    assert not window.no_match.isVisible()
    assert window.current_page() == "tenggat"
    assert window.browser.extraSelections() == []


def test_the_words_searched_for_are_marked_and_the_first_is_shown(guide: Callable[..., GuideWindow]) -> None:
    window = guide("id")
    window.search.setText("menimpa")  # only on the IT page, first far down it (the command line)
    assert window.current_page() == "admin-ti"
    marks = window.browser.extraSelections()
    assert len(marks) >= 2
    assert {mark.cursor.selectedText().lower() for mark in marks} == {"menimpa"}
    cursor = window.browser.textCursor()
    first = window.browser.document().find("menimpa")
    assert (cursor.selectedText().lower(), cursor.selectionStart()) == ("menimpa", first.selectionStart())
    assert window.browser.verticalScrollBar().value() > 0  # scrolled down to it
    top = window.browser.cursorRect(cursor).top()
    assert 0 <= top < window.browser.viewport().height() // 2  # with the text before it in view


def test_a_page_link_opens_that_page_and_a_web_link_the_browser(guide: Callable[..., GuideWindow]) -> None:
    window = guide("id")
    assert window.current_page() == START_PAGE
    anchors = set()
    block = window.browser.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            href = fragments.fragment().charFormat().anchorHref()
            if href:
                anchors.add(href)
            fragments += 1
        block = block.next()
    assert {"tenggat.md", "sinkronisasi.md", "https://www.lapor.go.id"} <= anchors  # links stay links on screen

    window.browser.anchorClicked.emit(QUrl("tenggat.md"))
    assert window.current_page() == "tenggat"

    class Browser(QObject):
        opened: list[str] = []

        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            self.opened.append(url.toString())

    browser = Browser()
    QDesktopServices.setUrlHandler("https", browser, "open")  # type: ignore[arg-type]  # the stub is wrong
    try:
        window.browser.anchorClicked.emit(QUrl("https://www.lapor.go.id"))
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert browser.opened == ["https://www.lapor.go.id"]
    assert window.current_page() == "tenggat"


def test_a_link_to_a_page_the_search_hides_clears_the_search(guide: Callable[..., GuideWindow]) -> None:
    window = guide("id")
    window.search.setText("triwulan")
    window.follow_link(QUrl("sinkronisasi.md"))
    assert window.current_page() == "sinkronisasi"
    assert window.search.text() == ""


def test_an_unknown_page_shows_the_start_page(guide: Callable[..., GuideWindow]) -> None:
    window = guide("id")
    window.show_page("tenggat")
    window.show_page("tidak-ada")
    assert window.current_page() == START_PAGE


def test_the_window_reads_the_language_it_is_given(guide: Callable[..., GuideWindow]) -> None:
    window = guide("en")
    assert window.page_list.item(0).text() == "Start here"
    window.show_page("tenggat")
    window.set_language("id")
    assert window.page_list.item(0).text() == "Mulai di sini"
    assert window.current_page() == "tenggat"
    assert window.browser.toPlainText().startswith("Tenggat waktu")


@pytest.mark.parametrize("role", [Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET, Role.PENGHUBUNG, Role.PIMPINAN,
                                  Role.IT_ADMIN])
def test_open_guide_opens_the_page_of_the_persons_role(fresh_guide: None, make_workspace: Callable[..., Workspace],
                                                       role: str) -> None:
    ws = make_workspace(role)
    window = open_guide(ws, None)
    assert window.isVisible() and not window.isModal()
    assert window.current_page() == ROLE_PAGES[role] != START_PAGE
    assert window.lang == ws.lang


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: an open guide is brought forward
def test_open_guide_reuses_its_window(fresh_guide: None, workspace: Workspace) -> None:
    first = open_guide(workspace, None)
    assert first.current_page() == "admin-instansi"
    first.show_page("tenggat")
    assert open_guide(workspace, None) is first  # F1 again: the open guide stays where the person is
    assert first.current_page() == "tenggat"
    assert open_guide(workspace, None, "sinkronisasi") is first
    assert first.current_page() == "sinkronisasi"
    first.close()
    assert open_guide(workspace, None) is first  # closed, opened again: the role's page
    assert first.current_page() == "admin-instansi"


def test_open_guide_with_a_language_opens_the_start_page(fresh_guide: None) -> None:
    window = open_guide("en", None)
    assert (window.lang, window.current_page()) == ("en", START_PAGE)
    assert window.windowTitle() == "LAPOR Desk — User guide"
    cursor = window.browser.textCursor()
    assert cursor.position() == QTextCursor(window.browser.document()).position()  # at the top


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_guide_belongs_to_the_window_that_opened_it(fresh_guide: None, qtbot: Any) -> None:
    """After a log-out the next person's window opens the guide: it moves there, and goes with its window."""
    main, counter = QWidget(), QWidget()
    qtbot.add_widget(main)
    qtbot.add_widget(counter)
    first = open_guide("id", main)
    assert first.parentWidget() is main and first.isWindow()
    assert open_guide("id", counter) is first
    assert first.parentWidget() is counter and first.isWindow() and first.isVisible()
    counter.close()
    counter.deleteLater()
    qtbot.wait_until(lambda: not shiboken6.isValid(first))
    again = open_guide("id", main)
    assert shiboken6.isValid(again) and again.parentWidget() is main
