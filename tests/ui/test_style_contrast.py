"""Contrast, computed: every colour the window draws text or a mark in, against every background it is drawn on, in
the light scheme and the high-contrast one (WCAG 2: 4.5:1 for text, 3:1 for marks and borders); dialog buttons
carry no icon (Qt's green tick on the default button's dark blue); high contrast reaches the toolbar, the
navigation, the status bar and the forms, also of a window built after it was chosen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.domain import DeadlineState
from tests.ui.test_main_window import FakeController, fake_features
from ui import style
from ui.complaints.marks import HALO, state_colors, state_icon
from ui.dashboard.charts import PATTERNS, label_colour
from ui.dashboard.tiles import MET_COLOUR, MISSED_COLOUR
from ui.detail.format import DEADLINE_COLOURS, STATUS_COLOURS
from ui.main_window import MainWindow
from ui.style import CONTRAST, LIGHT, SCHEMES, Scheme, contrast_ratio
from ui.sync.status_widget import COLOURS as SYNC_COLOURS
from ui.window_build import build_window
from ui.workspace import Workspace

TEXT, MARK = 4.5, 3.0
MARKED = (DeadlineState.OVERDUE, DeadlineState.DUE_SOON, DeadlineState.ON_TIME)
INSIDE = {DeadlineState.OVERDUE: QPoint(14, 32), DeadlineState.DUE_SOON: QPoint(15, 46),  # on 64 px: the fill,
          DeadlineState.ON_TIME: QPoint(32, 54)}  # away from the sign and the ring


@pytest.fixture
def scheme_restored(qapp: QApplication) -> Iterator[None]:
    """Tests that change the scheme (or the application's style) leave the light one and the style they found."""
    name, palette = qapp.style().name(), qapp.palette()
    yield
    style.apply_style(qapp, LIGHT)
    if name:
        qapp.setStyle(name)
    qapp.setPalette(palette)


def low(pairs: list[tuple[str, str, str]], least: float) -> list[str]:
    return [f"{what}: {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1" for what, fg, bg in pairs
            if contrast_ratio(fg, bg) < least]


def test_the_ratio_is_wcag_s() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest grey for text
    assert contrast_ratio("#1f5f99", "#1f5f99") == 1.0


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.name)
def test_text_on_the_window_s_backgrounds(scheme: Scheme) -> None:
    s = scheme
    rows = (s.background, s.surface, s.alternate)
    navigation = (s.nav_background, s.nav_hover, s.accent_soft)
    pairs = [(f"text on {bg}", s.text, bg) for bg in (*rows, *navigation)]
    pairs += [(f"muted on {bg}", s.muted, bg) for bg in (*rows, s.nav_background)]
    pairs += [("error", s.overdue, bg) for bg in rows]
    pairs += [("default button", s.on_accent, s.accent), ("default button hovered", s.on_accent, s.accent_hover),
              ("selected row", s.highlighted_text, s.highlight), ("link", s.accent, s.surface)]
    # The list's deadline column is written in the state's colour (white when the row is selected).
    pairs += [(f"deadline {state} on a row", colour, bg) for state, colour in state_colors(s).items() for bg in rows]
    # The navigation's counts: muted (ui.style.MUTED, which ui.navigation imports once: the light scheme's) or, for
    # overdue and conflicts, the overdue colour, on the entry's background: plain, hovered or selected.
    pairs += [(f"navigation count on {bg}", colour, bg) for colour in (style.MUTED, s.overdue) for bg in navigation]
    assert not low(pairs, TEXT)


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.name)
def test_deadline_marks_on_plain_and_selected_rows(scheme: Scheme) -> None:
    """The mark's shape against the row, its white sign against the shape, and its white ring against a selected
    row (where the shape itself may be as dark as the highlight)."""
    colours = state_colors(scheme)
    pairs = [(f"{state} mark on {bg}", colours[state], bg) for state in MARKED
             for bg in (scheme.surface, scheme.alternate)]
    pairs += [(f"sign in the {state} mark", HALO, colours[state]) for state in MARKED]
    pairs += [("ring on a selected row", HALO, scheme.highlight)]
    assert not low(pairs, MARK)


@pytest.mark.usefixtures("scheme_restored")
@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.name)
def test_the_marks_are_drawn_in_those_colours(qapp: QApplication, scheme: Scheme) -> None:
    style.apply_style(qapp, scheme)
    for state in MARKED:
        image = state_icon(state).pixmap(64, 64).toImage()
        selected = state_icon(state).pixmap(64, 64, mode=state_icon(state).Mode.Selected).toImage()
        fill = image.pixelColor(INSIDE[state])
        ring = image.pixelColor(QPoint(32, 58) if state == DeadlineState.DUE_SOON else QPoint(32, 3))
        assert fill.name() == QColor(state_colors(scheme)[state]).name(), state
        assert ring.name() == HALO and ring.alpha() == 255, state
        assert selected == image  # not tinted with the highlight when its row is selected


def test_sync_dots_and_detail_pills() -> None:
    bars = {(s.surface, s.background) for s in SCHEMES}  # the status bar, either scheme
    dots = [(f"sync {kind}", colour, bg) for kind, colour in SYNC_COLOURS.items() for pair in bars for bg in pair]
    assert not low(dots, MARK)
    pills = [(f"pill {key}", fg, bg) for key, (fg, bg) in {**DEADLINE_COLOURS, **STATUS_COLOURS}.items()]
    error_text = [("sync error", SYNC_COLOURS["error"], s.surface) for s in SCHEMES]
    assert not low(pills + error_text, TEXT)


def test_the_dashboard_s_bars_and_target_lines() -> None:
    bars = [(f"bar set {i}", colour, "#ffffff") for i, (colour, _pattern) in enumerate(PATTERNS)]
    assert not low(bars, MARK)  # QtCharts' light theme: white behind the bars
    values = [(f"value of set {i} beside its bar", label_colour(i, False), "#ffffff") for i in range(len(PATTERNS))]
    values += [(f"value inside a column of set {i}", label_colour(i, True), colour)
               for i, (colour, pattern) in enumerate(PATTERNS) if pattern == Qt.BrushStyle.SolidPattern]
    assert not low(values, TEXT)
    targets = [(what, colour, s.background) for s in SCHEMES for what, colour in
               (("target met", MET_COLOUR), ("target missed", MISSED_COLOUR))]
    assert not low(targets, TEXT)


def test_high_contrast_has_strong_borders_and_focus() -> None:
    s = CONTRAST
    pairs = [("border", s.border, s.background), ("border", s.border, s.surface), ("focus", s.accent, s.surface),
             ("focus", s.highlight, s.surface), ("disabled text", s.disabled_text, s.disabled_background)]
    assert not low(pairs, MARK) and s.border_width >= 2


@pytest.mark.usefixtures("scheme_restored")
def test_high_contrast_darkens_fusion_s_own_frames(qapp: QApplication, qtbot: QtBot) -> None:
    """A check box's frame is drawn by Fusion, not by a sheet: light grey on white (2:1) unless the scheme asks."""

    def darkest_frame() -> str:
        box = QCheckBox()  # no text: only the frame is drawn
        qtbot.addWidget(box)
        image = box.grab().toImage()
        pixels = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
        return min(pixels, key=lambda c: c.lightnessF()).name()

    style.apply_style(qapp, LIGHT)
    assert contrast_ratio(darkest_frame(), LIGHT.background) < MARK  # what the light scheme keeps (its soft look)
    style.apply_style(qapp, CONTRAST)
    assert contrast_ratio(darkest_frame(), CONTRAST.background) >= MARK
    assert qapp.palette().window().color().name() == CONTRAST.background  # the texture keeps the colour


def test_a_low_contrast_colour_would_be_caught() -> None:
    """The light scheme's old muted text colour (the palette's placeholder, #8a96a3) and the sync dot's amber."""
    assert low([("old muted", "#8a96a3", LIGHT.surface)], TEXT)
    assert low([("old amber dot", "#ef8f00", LIGHT.surface)], MARK)


class _IconsWanted(QProxyStyle):
    """A desktop that asks for icons on dialog buttons (GNOME, KDE and other X11 desktops do; offscreen does not)."""

    def styleHint(self, hint: QStyle.StyleHint, option: QStyleOption | None = None,  # type: ignore[override]
                  widget: QWidget | None = None, returnData: object = None) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 1
        return super().styleHint(hint, option, widget, returnData)  # type: ignore[arg-type]


def _ok_icons(qtbot: QtBot) -> list[bool]:
    """Whether an OK button carries an icon: in a button box, in a message box."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    message = QMessageBox(QMessageBox.Icon.Information, "LAPOR Desk", "Tersimpan.", QMessageBox.StandardButton.Ok)
    for widget in (box, message):
        qtbot.addWidget(widget)
    return [not box.button(QDialogButtonBox.StandardButton.Ok).icon().isNull(),
            not message.button(QMessageBox.StandardButton.Ok).icon().isNull()]


@pytest.mark.usefixtures("scheme_restored")
def test_dialog_buttons_carry_no_icon_even_where_the_desktop_asks_for_them(qapp: QApplication,
                                                                          qtbot: QtBot) -> None:
    qapp.setStyle(_IconsWanted(QStyleFactory.create("Fusion")))
    assert _ok_icons(qtbot) == [True, True]  # plain Fusion on such a desktop: the green tick
    qapp.setStyle(_IconsWanted(style.OfficeStyle()))
    assert _ok_icons(qtbot) == [False, False]
    style.apply_style(qapp)
    assert isinstance(qapp.style(), style.OfficeStyle)
    assert not qapp.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).isNull()  # others are kept


@pytest.mark.usefixtures("scheme_restored")
def test_high_contrast_reaches_the_window_and_the_forms(qapp: QApplication, qtbot: QtBot,
                                                        workspace: Workspace) -> None:
    style.apply_style(qapp, LIGHT)
    window = MainWindow(workspace, fake_features(), FakeController(workspace))
    qtbot.addWidget(window)
    form = QDialog(window)
    style.style_form(form)
    assert window.toolbar.styleSheet() == style.toolbar_style(LIGHT)

    style.apply_style(qapp, CONTRAST)  # as Settings does on saving
    assert style.active() is CONTRAST and qapp.palette().highlight().color().name() == CONTRAST.highlight
    assert window.toolbar.styleSheet() == style.toolbar_style(CONTRAST)
    assert window.nav.styleSheet() == style.navigation_style(CONTRAST)
    assert window.statusBar().styleSheet() == style.status_bar_style(CONTRAST)
    assert form.styleSheet() == style.form_style(CONTRAST)
    assert style.DEADLINE_COLORS["overdue"] == CONTRAST.overdue  # what the navigation paints its alerts with
    later = QDialog()
    qtbot.addWidget(later)
    style.style_form(later)
    assert later.styleSheet() == style.form_style(CONTRAST)
    built = build_window(workspace, fake_features(), crash=None, log_dir=None).window  # e.g. after a log-out
    qtbot.addWidget(built)
    assert built.toolbar.styleSheet() == style.toolbar_style(CONTRAST)
    assert built.nav.styleSheet() == style.navigation_style(CONTRAST)

    style.apply_style(qapp, LIGHT)
    assert window.toolbar.styleSheet() == style.toolbar_style(LIGHT) and form.styleSheet() == style.FORM_STYLE
    assert style.DEADLINE_COLORS["overdue"] == LIGHT.overdue


def test_the_sheets_use_the_scheme_s_colours_only() -> None:
    """No light colour left in a high-contrast sheet (each made from the scheme, not from fixed values)."""
    light_only = {LIGHT.background, LIGHT.border, LIGHT.accent_soft, LIGHT.nav_background, LIGHT.nav_hover,
                  LIGHT.accent, LIGHT.muted, LIGHT.text} - {getattr(CONTRAST, f) for f in CONTRAST.__dataclass_fields__}
    for make in (style.toolbar_style, style.status_bar_style, style.navigation_style, style.form_style):
        sheet = make(CONTRAST)
        assert not [c for c in light_only if c in sheet], make.__name__


def test_a_system_asking_for_high_contrast_gets_it(monkeypatch: pytest.MonkeyPatch) -> None:
    class Hints:  # QAccessibilityHints as Windows' contrast themes or GNOME's high contrast set it
        def __init__(self, preference: Qt.ContrastPreference) -> None:
            self.preference = preference

        def styleHints(self) -> Hints:
            return self

        def accessibility(self) -> Hints:
            return self

        def contrastPreference(self) -> Qt.ContrastPreference:
            return self.preference

    monkeypatch.setattr(style, "QGuiApplication", Hints(Qt.ContrastPreference.HighContrast))
    assert style.wanted_scheme(False) is CONTRAST
    monkeypatch.setattr(style, "QGuiApplication", Hints(Qt.ContrastPreference.NoPreference))
    assert style.wanted_scheme(False) is LIGHT and style.wanted_scheme(True) is CONTRAST
