"""The window's look: Fusion with one of two colour schemes (the calm light one, or high contrast for people who need
it), and small style sheets on the widgets that need them, made from the scheme in use.

Sizes in the stylesheet are paddings and borders only; fonts keep the system's size so text scales with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

W = TypeVar("W", bound=QWidget)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a cache key on every table cell painted
class Scheme:
    """The colours of one look; the palette and every style sheet below are made from them. Each pair a person
    reads (text on its background, a mark on the rows it sits on) is checked for contrast in
    tests/ui/test_style_contrast.py: 4.5:1 for text, 3:1 for marks and borders."""

    name: str
    background: str  # windows and dialogs
    surface: str  # fields, lists, the toolbar, the status bar, cards
    alternate: str  # every other row of a list
    border: str
    text: str
    muted: str  # secondary text and placeholders (palette PlaceholderText, :func:`muted`)
    accent: str  # the default button, the selected navigation entry's bar, links, focused fields
    accent_hover: str
    on_accent: str  # text on the accent
    accent_soft: str  # hover, and the selected navigation entry
    nav_background: str
    nav_hover: str
    highlight: str  # selected rows
    highlighted_text: str
    disabled_text: str
    disabled_background: str
    on_time: str  # deadline marks (always with a shape and a word too)
    due_soon: str
    overdue: str  # also the colour of error messages
    border_width: int = 1
    dark_frames: bool = False  # Fusion's own frames (check boxes, combo boxes, tables) dark, not light grey


LIGHT = Scheme(
    "light", background="#f4f6f9", surface="#ffffff", alternate="#f7f9fb", border="#d5dbe3", text="#1f2933",
    muted="#5b6775", accent="#1f5f99", accent_hover="#184d7d", on_accent="#ffffff", accent_soft="#dde9f5",
    nav_background="#e9eef4", nav_hover="#dfe6ee", highlight="#1f5f99", highlighted_text="#ffffff",
    disabled_text="#9aa5b1", disabled_background="#eef1f4", on_time="#2e7d32", due_soon="#a05a00",
    overdue="#b3261e")
# Black on white rather than white on black: the window's parts that draw with fixed dark colours (pills with their
# own tints, charts, printed pages' previews) stay readable, and the strong parts are the borders, the accent and a
# yellow hover and navigation entry. Selected rows stay dark blue with white text: Fusion draws its focus frames in
# the highlight colour, and a yellow frame on white could not be seen.
CONTRAST = Scheme(
    "high_contrast", background="#ffffff", surface="#ffffff", alternate="#f0f0f0", border="#000000", text="#000000",
    muted="#333333", accent="#00309c", accent_hover="#001a5c", on_accent="#ffffff", accent_soft="#ffe600",
    nav_background="#ffffff", nav_hover="#fff39a", highlight="#00309c", highlighted_text="#ffffff",
    disabled_text="#595959", disabled_background="#e6e6e6", on_time="#1b5e20", due_soon="#7a4a00",
    overdue="#a61b1b", border_width=2, dark_frames=True)
SCHEMES = (LIGHT, CONTRAST)


def toolbar_style(s: Scheme) -> str:
    return f"""
QToolBar {{ background: {s.surface}; border: none; border-bottom: {s.border_width}px solid {s.border}; spacing: 4px;
    padding: 3px 6px; }}
QToolBar QToolButton {{ padding: 4px 10px; border-radius: 4px; color: {s.text}; }}
QToolBar QToolButton:hover {{ background: {s.accent_soft}; }}
"""


def status_bar_style(s: Scheme) -> str:
    return f"""
QStatusBar {{ background: {s.surface}; border-top: {s.border_width}px solid {s.border}; color: {s.muted}; }}
QStatusBar::item {{ border: none; }}
"""


def navigation_style(s: Scheme) -> str:
    return f"""
QListWidget#navigation {{
    background: {s.nav_background}; border: none; border-right: {s.border_width}px solid {s.border};
    padding: 6px 0px; outline: 0;
}}
QListWidget#navigation::item {{ padding: 7px 12px; border-left: 3px solid transparent; color: {s.text}; }}
QListWidget#navigation::item:hover {{ background: {s.nav_hover}; }}
QListWidget#navigation::item:selected {{
    background: {s.accent_soft}; border-left: 3px solid {s.accent}; color: {s.text};
}}
"""


def form_style(s: Scheme) -> str:
    b = s.border_width
    return f"""
QDialog {{ background: {s.background}; }}
QPushButton {{ padding: 5px 14px; border-radius: 4px; border: {b}px solid {s.border}; background: {s.surface};
    color: {s.text}; }}
QPushButton:hover {{ border-color: {s.accent}; }}
QPushButton:focus {{ border: {b + 1}px solid {s.accent}; }}
QPushButton:default {{ background: {s.accent}; color: {s.on_accent}; border-color: {s.accent}; }}
QPushButton:default:hover {{ background: {s.accent_hover}; }}
QPushButton:disabled {{ color: {s.disabled_text}; background: {s.disabled_background}; }}
QLineEdit {{ padding: 4px 6px; border: {b}px solid {s.border}; border-radius: 4px; background: {s.surface};
    color: {s.text}; }}
QLineEdit:focus {{ border: {b}px solid {s.accent}; }}
QLineEdit:disabled {{ background: {s.disabled_background}; color: {s.disabled_text}; }}
QAbstractItemView QLineEdit {{ padding: 0px 2px; border-radius: 0px; }}
QGroupBox {{ border: {b}px solid {s.border}; border-radius: 6px; margin-top: 1.2em; padding: 10px 8px 6px 8px;
    background: {s.surface}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {s.muted}; }}
QLabel#pageTitle {{ color: {s.text}; font-weight: 600; }}
QLabel#muted {{ color: {s.muted}; }}
QLabel#error {{ color: {s.overdue}; }}
QFrame#card {{ background: {s.surface}; border: {b}px solid {s.border}; border-radius: 8px; }}
QLabel#brand {{ color: {s.accent}; font-weight: 700; }}
"""


_SHEETS = (toolbar_style, status_bar_style, navigation_style, form_style)

# The light scheme's colours and sheets under the names other modules import. Those imported once (MUTED, the
# sheets set while a window is built) are the light scheme's; :func:`restyle` gives a window built with them the
# scheme in use, and DEADLINE_COLORS is changed in place by :func:`apply_style`, so what reads it at paint time
# (the navigation's counts) follows. Deadline marks always carry a shape or a word too.
ACCENT = LIGHT.accent
ACCENT_SOFT = LIGHT.accent_soft
BACKGROUND = LIGHT.background
SURFACE = LIGHT.surface
BORDER = LIGHT.border
TEXT = LIGHT.text
MUTED = LIGHT.muted
NAV_BACKGROUND = LIGHT.nav_background
DEADLINE_COLORS = {"on_time": LIGHT.on_time, "due_soon": LIGHT.due_soon, "overdue": LIGHT.overdue}
TOOLBAR_STYLE = toolbar_style(LIGHT)
STATUS_BAR_STYLE = status_bar_style(LIGHT)
NAVIGATION_STYLE = navigation_style(LIGHT)
FORM_STYLE = form_style(LIGHT)

# No style sheet for the whole application: with one set, every widget Qt builds goes through QStyleSheetStyle,
# which doubles the cost of building the main window's parts (opening a complaint's detail: ~36 → ~16 ms of GUI
# work; even a one-rule sheet costs the same). The palette gives the colours everywhere; the sheets above style
# the pieces that need more, each set on its own widget: the main window's chrome, and the forms (dialogs and the
# few pages built once: the lock screen, the sync pages, the list's filter bar).
_active = LIGHT


def active() -> Scheme:
    """The scheme in use (the last one :func:`apply_style` applied)."""
    return _active


def wanted_scheme(high_contrast: bool) -> Scheme:
    """High contrast when the person chose it in Settings, or when the system asks for it (Qt's accessibility
    hints: Windows' contrast themes, GNOME's and KDE's high-contrast settings)."""
    hints = QGuiApplication.styleHints()  # kept in a name: chained, PySide drops it and accessibility() with it
    system = hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast
    return CONTRAST if high_contrast or system else LIGHT


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1 to 21 (4.5 is enough for text, 3 for marks and borders)."""

    def luminance(name: str) -> float:
        colour = QColor(name)
        channels = []
        for c in (colour.redF(), colour.greenF(), colour.blueF()):
            channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def muted(widget: W) -> W:
    """Secondary text: the palette's placeholder colour (no style sheet; follows the scheme)."""
    widget.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return widget


def style_form(widget: QWidget) -> None:
    """The forms' look (buttons, fields, cards, muted and error labels) for ``widget`` and what it holds."""
    widget.setStyleSheet(form_style(_active))


def palette(scheme: Scheme = LIGHT) -> QPalette:
    s = scheme
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: s.background,
        QPalette.ColorRole.WindowText: s.text,
        QPalette.ColorRole.Base: s.surface,
        QPalette.ColorRole.AlternateBase: s.alternate,
        QPalette.ColorRole.Text: s.text,
        QPalette.ColorRole.Button: s.surface,
        QPalette.ColorRole.ButtonText: s.text,
        QPalette.ColorRole.Highlight: s.highlight,
        QPalette.ColorRole.HighlightedText: s.highlighted_text,
        QPalette.ColorRole.ToolTipBase: s.surface,
        QPalette.ColorRole.ToolTipText: s.text,
        QPalette.ColorRole.PlaceholderText: s.muted,
        QPalette.ColorRole.Link: s.accent,
        QPalette.ColorRole.Mid: s.border,
        QPalette.ColorRole.Accent: s.accent,
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(s.disabled_text))
    if s.dark_frames:
        # Fusion draws the frames of check boxes, combo boxes, spin boxes and tables in the window colour made 40%
        # darker (light grey on white, 2:1), except over a textured window, where it uses black at 63% (6:1):
        # the same colour as a texture, so everything reading the window colour still reads white.
        tile = QPixmap(8, 8)
        tile.fill(QColor(s.background))
        pal.setBrush(QPalette.ColorRole.Window, QBrush(QColor(s.background), tile))
    return pal


# Qt's standard icons of dialog buttons (a green tick for OK, a red cross for Cancel...), which GNOME, KDE and the
# other X11 desktops ask for: on the default button's accent background the tick is dark on dark. The buttons say
# what they do in words; they carry no icon.
_DIALOG_BUTTON_ICONS = frozenset(
    pixmap for name, pixmap in QStyle.StandardPixmap.__members__.items()
    if name.startswith("SP_Dialog") and name.endswith("Button"))


class OfficeStyle(QProxyStyle):
    """Fusion, with no icon on dialog buttons. Asked through ``standardIcon``, which Qt calls when it makes a
    button, not through the style hint that turns them off (SH_DialogButtonBox_ButtonsHaveIcons): hints are asked
    thousands of times per window, and answering them in Python cost ~15 ms per main window built and painted."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def standardIcon(self, standardIcon: QStyle.StandardPixmap, option: QStyleOption | None = None,
                     widget: QWidget | None = None) -> QIcon:
        if standardIcon in _DIALOG_BUTTON_ICONS:
            return QIcon()
        return super().standardIcon(standardIcon, option, widget)


def apply_style(app: QApplication, scheme: Scheme = LIGHT) -> None:
    """Fusion (the same on every office PC) and ``scheme``'s palette; style sheets go on the widgets that need
    them. Called again with another scheme, it changes the look of what is open already."""
    global _active
    if not isinstance(app.style(), OfficeStyle):
        app.setStyle(OfficeStyle())
    app.setPalette(palette(scheme))
    if scheme is _active:
        return
    _active = scheme
    DEADLINE_COLORS.update(on_time=scheme.on_time, due_soon=scheme.due_soon, overdue=scheme.overdue)
    _swap_sheets(app.allWidgets())


def restyle(window: QWidget) -> None:
    """A window just built, which set the sheets named above (the light scheme's) on its parts: the scheme in use's
    sheets instead. Nothing to do in the light scheme."""
    if _active is not LIGHT:
        _swap_sheets([window, *window.findChildren(QWidget)])


@cache
def _swaps(scheme: Scheme) -> dict[str, str]:
    """Every other scheme's sheet → ``scheme``'s sheet of the same part."""
    return {make(other): make(scheme) for other in SCHEMES if other is not scheme for make in _SHEETS}


def _swap_sheets(widgets: Iterable[QWidget]) -> None:
    swaps = _swaps(_active)
    for widget in widgets:
        sheet = widget.styleSheet()
        if sheet and sheet in swaps:
            widget.setStyleSheet(swaps[sheet])


def scaled_font(base: QFont, factor: float, *, bold: bool = False) -> QFont:
    """A font relative to the system's (never a fixed pixel size), e.g. for a page title."""
    font = QFont(base)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    return font
