"""The main window's layout kept per account between sessions: its geometry (clamped to the screen it opens on),
the splitters, the list's columns and the page last open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize

from ui import screen_fit
from ui.complaint_panes import ComplaintPanes

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.settings import WindowState


def restore_layout(win: MainWindow, state: WindowState) -> ComplaintPanes:
    """Geometry and splitters as saved (or first sizes fitted to the screen); returns the panes' keeper."""
    geometry = state.load("main/geometry")
    if geometry is None or not win.restoreGeometry(geometry):
        screen_fit.first_geometry(win, QSize(1280, 800))
    else:  # saved on a larger screen, or on a monitor no longer there
        screen_fit.keep_on_screen(win)
    for name, widget in (("main/state", win), ("main/splitter", win.splitter), ("main/body", win.body)):
        saved = state.load(name)
        if saved is not None:
            widget.restoreState(saved)
    if state.load("main/body") is None:
        win.body.setSizes([win.nav.sizeHint().width(), 1080])
    return ComplaintPanes(win.splitter, win.complaint_list, win.detail, sized=state.load("main/splitter") is not None)


def save_layout(win: MainWindow, state: WindowState, opened: str) -> None:
    """Everything :func:`restore_layout` reads, and ``opened``: the page to open next time."""
    save_columns = getattr(win.complaint_list, "save_header_state", None)
    if save_columns is not None:
        save_columns()
    state.save("main/geometry", win.saveGeometry())
    state.save("main/state", win.saveState())
    state.save("main/splitter", win.splitter.saveState())
    state.save("main/body", win.body.saveState())
    state.save("main/view", QByteArray(opened.encode()))
    state.sync()


def saved_page(state: WindowState, keys: list[str], default: str) -> str:
    """The page open when the window last closed, if it is still one of ``keys``."""
    last = state.load("main/view")
    key = bytes(last.data()).decode() if last is not None else ""
    return key if key in keys else default
