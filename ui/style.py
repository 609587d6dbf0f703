"""The window's look: Fusion with a calm light palette, and small style sheets on the widgets that need them.

Sizes in the stylesheet are paddings and borders only; fonts keep the system's size so text scales with it.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

W = TypeVar("W", bound=QWidget)

# One place for the colours widgets may want to reuse (deadline marks always carry a text mark too).
ACCENT = "#1f5f99"
ACCENT_SOFT = "#dde9f5"
BACKGROUND = "#f4f6f9"
SURFACE = "#ffffff"
BORDER = "#d5dbe3"
TEXT = "#1f2933"
MUTED = "#5b6775"
NAV_BACKGROUND = "#e9eef4"
DEADLINE_COLORS = {"on_time": "#2e7d32", "due_soon": "#a05a00", "overdue": "#c62828"}

# No style sheet for the whole application: with one set, every widget Qt builds goes through QStyleSheetStyle,
# which doubles the cost of building the main window's parts (opening a complaint's detail: ~36 → ~16 ms of GUI
# work; even a one-rule sheet costs the same). The palette gives the colours everywhere; the sheets below style
# the pieces that need more, each set on its own widget: the main window's chrome, and the forms (dialogs and the
# few pages built once: the lock screen, the sync pages, the list's filter bar).
TOOLBAR_STYLE = f"""
QToolBar {{ background: {SURFACE}; border: none; border-bottom: 1px solid {BORDER}; spacing: 4px; padding: 3px 6px; }}
QToolBar QToolButton {{ padding: 4px 10px; border-radius: 4px; }}
QToolBar QToolButton:hover {{ background: {ACCENT_SOFT}; }}
"""
STATUS_BAR_STYLE = f"""
QStatusBar {{ background: {SURFACE}; border-top: 1px solid {BORDER}; color: {MUTED}; }}
QStatusBar::item {{ border: none; }}
"""
NAVIGATION_STYLE = f"""
QListWidget#navigation {{
    background: {NAV_BACKGROUND}; border: none; border-right: 1px solid {BORDER}; padding: 6px 0px; outline: 0;
}}
QListWidget#navigation::item {{ padding: 7px 12px; border-left: 3px solid transparent; color: {TEXT}; }}
QListWidget#navigation::item:hover {{ background: #dfe6ee; }}
QListWidget#navigation::item:selected {{
    background: {ACCENT_SOFT}; border-left: 3px solid {ACCENT}; color: {TEXT};
}}
"""
FORM_STYLE = f"""
QDialog {{ background: {BACKGROUND}; }}
QPushButton {{ padding: 5px 14px; border-radius: 4px; border: 1px solid {BORDER}; background: {SURFACE}; }}
QPushButton:hover {{ border-color: {ACCENT}; }}
QPushButton:default {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton:default:hover {{ background: #184d7d; }}
QPushButton:disabled {{ color: #9aa5b1; background: #eef1f4; }}
QLineEdit {{ padding: 4px 6px; border: 1px solid {BORDER}; border-radius: 4px; background: {SURFACE}; }}
QLineEdit:focus {{ border: 1px solid {ACCENT}; }}
QLineEdit:disabled {{ background: #eef1f4; }}
QAbstractItemView QLineEdit {{ padding: 0px 2px; border-radius: 0px; }}
QGroupBox {{ border: 1px solid {BORDER}; border-radius: 6px; margin-top: 1.2em; padding: 10px 8px 6px 8px;
    background: {SURFACE}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {MUTED}; }}
QLabel#pageTitle {{ color: {TEXT}; font-weight: 600; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#error {{ color: {DEADLINE_COLORS["overdue"]}; }}
QFrame#card {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 8px; }}
QLabel#brand {{ color: {ACCENT}; font-weight: 700; }}
"""


def muted(widget: W) -> W:
    """Secondary text: the palette's placeholder colour (no style sheet; follows light and dark themes)."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return widget


def style_form(widget: QWidget) -> None:
    """The forms' look (buttons, fields, cards, muted and error labels) for ``widget`` and what it holds."""
    widget.setStyleSheet(FORM_STYLE)


def palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: BACKGROUND,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: SURFACE,
        QPalette.ColorRole.AlternateBase: "#f7f9fb",
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: SURFACE,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: SURFACE,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: "#8a96a3",
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.Mid: BORDER,
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor("#9aa5b1"))
    return pal


def apply_style(app: QApplication) -> None:
    """Fusion (the same on every office PC) and the calm palette; style sheets go on the widgets that need them."""
    app.setStyle("Fusion")
    app.setPalette(palette())


def scaled_font(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    """A font relative to the system's (never a fixed pixel size), e.g. for a page title."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font
