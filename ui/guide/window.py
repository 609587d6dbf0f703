"""The guide's window: the pages on the left, the page on the right, a search above that keeps only the pages holding
every word typed and marks them in the page shown. Links between pages open the page; web links open in the
browser. One window, reused: :func:`open_guide` brings it forward."""

from __future__ import annotations

import logging
from typing import Protocol

import shiboken6
from PySide6.QtCore import QSize, Qt, QUrl, Slot
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QKeySequence,
    QShortcut,
    QShowEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.guide.pages import START_PAGE, GuidePage, is_external, linked_page, load_pages, matches, role_page
from ui.screen_fit import available_rect, fitting_size, keep_on_screen_once_shown

log = logging.getLogger(__name__)

WANTED = QSize(980, 700)  # room for the list and a page of text lines of a comfortable length
LIST_WIDTH = 220
NAME_ROLE = Qt.ItemDataRole.UserRole
HIT_COLOUR = "#fff1a8"
CODE_BACKGROUND = "#eef1f4"


class _HasLanguage(Protocol):
    """A Workspace, as far as the guide needs one."""

    @property
    def lang(self) -> str: ...
    @property
    def role(self) -> str: ...


class GuideWindow(QWidget):
    """A top-level window of its own, not modal: the person reads it beside the work it explains."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("guideWindow")
        self.setWindowTitle(self.tr("LAPOR Desk — User guide"))
        self.lang = lang
        self._pages: dict[str, GuidePage] = {}
        self._placed = False

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search the guide… (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search the guide"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)

        self.page_list = QListWidget()
        self.page_list.setAccessibleName(self.tr("Pages of the guide"))
        self.page_list.setSpacing(2)  # titles packed edge to edge read as one block
        self.page_list.currentItemChanged.connect(self._on_current)
        self.no_match = QLabel(self.tr("No page holds every word searched for."))
        self.no_match.setWordWrap(True)
        self.no_match.setVisible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.no_match)  # where the titles were, right under the search
        left_layout.addWidget(self.page_list, 1)

        self.browser = QTextBrowser()
        self.browser.setAccessibleName(self.tr("Page of the guide"))
        self.browser.setOpenLinks(False)  # links are followed here: pages by name, the web in the browser
        self.browser.anchorClicked.connect(self.follow_link)
        self.browser.document().setDocumentMargin(14)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.browser)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([LIST_WIDTH, WANTED.width() - LIST_WIDTH])

        self.close_button = QPushButton(self.tr("&Close"))
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)

        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.focus_search)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.close)

        self._load()
        self.resize(fitting_size(self, WANTED))

    # ---- what the window shows -------------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        """Show the guide in ``lang`` (the page shown stays, in the other language)."""
        if lang == self.lang:
            return
        shown = self.current_page()
        self.lang = lang
        self._load()
        if shown:
            self.show_page(shown)

    def show_page(self, name: str) -> None:
        """Show the page ``name`` (its file name without .md); an unknown name shows the start page."""
        if name not in self._pages:
            log.warning("the guide has no page %r", name)
            name = START_PAGE if START_PAGE in self._pages else next(iter(self._pages), "")
        item = self._item(name)
        if item is None:
            return
        if item.isHidden():  # kept out by the search: the page asked for matters more
            self.search.clear()
        self.page_list.setCurrentItem(item)

    def current_page(self) -> str:
        item = self.page_list.currentItem()
        return str(item.data(NAME_ROLE)) if item is not None else ""

    def visible_pages(self) -> list[str]:
        """The pages the list shows now (all, or those the search found), in order."""
        items = (self.page_list.item(row) for row in range(self.page_list.count()))
        return [str(item.data(NAME_ROLE)) for item in items if not item.isHidden()]

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    @Slot(QUrl)
    def follow_link(self, url: QUrl) -> None:
        """A page of the guide for a relative ``.md`` link; the system's browser or mail program for the web."""
        target = url.toString()
        name = linked_page(target)
        if name is not None:
            self.show_page(name)
        elif is_external(target):
            QDesktopServices.openUrl(url)
        else:
            log.warning("the guide's link %r leads nowhere", target)

    # ---- inside ------------------------------------------------------------------------------------------------

    def _load(self) -> None:
        self._pages = {page.name: page for page in load_pages(self.lang)}
        self.page_list.blockSignals(True)
        self.page_list.clear()
        for page in self._pages.values():
            item = QListWidgetItem(page.title)
            item.setData(NAME_ROLE, page.name)
            self.page_list.addItem(item)
        self.page_list.blockSignals(False)
        self._filter()

    def _item(self, name: str) -> QListWidgetItem | None:
        for row in range(self.page_list.count()):
            item = self.page_list.item(row)
            if item.data(NAME_ROLE) == name:
                return item
        return None

    @Slot()
    def _filter(self) -> None:
        query = self.search.text()
        first_visible: QListWidgetItem | None = None
        for row in range(self.page_list.count()):
            item = self.page_list.item(row)
            hidden = not matches(self._pages[str(item.data(NAME_ROLE))], query)
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        self.no_match.setVisible(first_visible is None)
        current = self.page_list.currentItem()
        if first_visible is not None and (current is None or current.isHidden()):
            self.page_list.setCurrentItem(first_visible)
        else:
            self._mark_hits()

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if current is None:
            self.browser.clear()
            return
        self.browser.setMarkdown(self._pages[str(current.data(NAME_ROLE))].markdown)
        _wrap_code(self.browser.document())
        self._mark_hits()

    def _mark_hits(self) -> None:
        """Shade every word of the search in the page shown and go to the first of them (the top without one)."""
        document = self.browser.document()
        hit = QTextCharFormat()
        hit.setBackground(QColor(HIT_COLOUR))
        marks: list[QTextEdit.ExtraSelection] = []
        first: QTextCursor | None = None
        for word in self.search.text().split():
            found = document.find(word)
            while not found.isNull():
                mark = QTextEdit.ExtraSelection()
                mark.cursor = found
                mark.format = hit
                marks.append(mark)
                if first is None or found.selectionStart() < first.selectionStart():
                    first = QTextCursor(found)
                found = document.find(word, found)
        self.browser.setExtraSelections(marks)
        if first is None:
            self.browser.setTextCursor(QTextCursor(document))  # the top of the page
            return
        self.browser.setTextCursor(first)  # scrolled just far enough to show it, at the bottom edge: bring it up
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.value() + self.browser.cursorRect(first).top() - self.browser.viewport().height() // 4)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._placed:  # the first time: in the middle of the screen, within it once the frame is known
            self._placed = True
            area = available_rect(self)
            self.move(area.center() - self.rect().center())
            keep_on_screen_once_shown(self)


def _wrap_code(document: QTextDocument) -> None:
    """Let command lines wrap like the text around them: a page that scrolls sideways in a narrow window hides the
    end of a command."""
    block = document.begin()
    while block.isValid():
        shape = block.blockFormat()
        if shape.nonBreakableLines():
            shape.setNonBreakableLines(False)
            shape.setBackground(QColor(CODE_BACKGROUND))  # set apart from the text: what is typed as it stands
            QTextCursor(block).setBlockFormat(shape)
        block = block.next()


_window: GuideWindow | None = None


def open_guide(ws_or_lang: _HasLanguage | str, parent: QWidget | None = None, page: str | None = None) -> GuideWindow:
    """Show the guide (made the first time, reused after) and bring it forward. ``ws_or_lang``: the Workspace (its
    language, and its role's page) or a language ("id", "en"). ``page``: a page name (``"tenggat"``); without one,
    a window being opened shows the role's page (the start page without a role), one already open stays where the
    person is."""
    global _window
    lang = ws_or_lang if isinstance(ws_or_lang, str) else ws_or_lang.lang
    role = None if isinstance(ws_or_lang, str) else ws_or_lang.role
    window = _window if _window is not None and shiboken6.isValid(_window) else None
    was_open = window is not None and window.isVisible()
    if window is None:
        window = _window = GuideWindow(lang, parent)
    else:
        if window.parentWidget() is not parent:
            window.setParent(parent, window.windowFlags())  # the window of the person now working
        window.set_language(lang)
    if page is not None or not was_open:
        window.show_page(page or role_page(role))
    window.show()
    if was_open:  # behind the window the person works in: to the front (a window just shown is there already)
        window.raise_()
        window.activateWindow()
    return window
