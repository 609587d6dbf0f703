"""The complaint list and its detail, side by side when both fit across the window and one above the other when
not (a 1024-pixel screen): the list's key columns — code, title, status, next deadline — stay in view without
scrolling sideways, and the detail keeps a readable width."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QSplitter

DETAIL_MIN_CHARS = 52  # the detail beside the list is readable from this width (in average characters)
LIST_SHARE = 62  # per cent of the width the list gets beside the detail, if its key columns need no more


class ComplaintPanes(QObject):
    """Watches ``splitter`` (the list, then the detail) and turns it when its width calls for it. ``sized``: the
    splitter's sizes were restored from the window state (kept while the orientation does not change)."""

    def __init__(self, splitter: QSplitter, complaint_list: Any, detail: Any, *, sized: bool = False) -> None:
        super().__init__(splitter)
        self._splitter = splitter
        self._detail = detail
        self._key_width = getattr(complaint_list, "key_columns_width", None)
        self._sized = sized
        splitter.installEventFilter(self)

    def across(self) -> int:
        """The width that holds the list's key columns and a readable detail side by side."""
        assert self._key_width is not None
        detail = max(DETAIL_MIN_CHARS * self._splitter.fontMetrics().averageCharWidth(),
                     self._detail.minimumSizeHint().width(), self._detail.minimumWidth())
        return self._key_width() + self._splitter.handleWidth() + detail

    def fit(self) -> None:
        if self._key_width is None or not self._splitter.isVisible():  # its width is known once shown
            return
        splitter = self._splitter
        across = self.across()
        wanted = Qt.Orientation.Horizontal if splitter.width() >= across else Qt.Orientation.Vertical
        if wanted != splitter.orientation() or not self._sized:
            splitter.setOrientation(wanted)
            self._sized = True
            if wanted == Qt.Orientation.Horizontal:  # the list (with its deadline column) gets the larger part
                width = splitter.width() - splitter.handleWidth()
                list_width = max(self._key_width(), width * LIST_SHARE // 100)
                splitter.setSizes([list_width, width - list_width])
            else:
                splitter.setSizes([50, 50])  # rows above, the detail with its steps below
        if wanted == Qt.Orientation.Horizontal:
            self._keep_key_columns(across)

    def _keep_key_columns(self, across: int) -> None:
        """A wider window gives both panes more and a narrower one takes from both: never so much from the list
        that its key columns leave the view while the detail has more than its readable width."""
        assert self._key_width is not None
        sizes = self._splitter.sizes()
        key = self._key_width()
        total = sum(sizes)
        if len(sizes) == 2 and sizes[0] < key and total + self._splitter.handleWidth() >= across:
            self._splitter.setSizes([key, total - key])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._splitter and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return super().eventFilter(watched, event)
