"""The intake sections: one interface (keys, collect, restore, clear, problems next to fields) over the JSON shape
``lapor-desk intake`` takes; live checks that show every problem at once next to its field, but a field's only once
it has been touched, or after a submit was tried."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from tests.ui.intake.conftest import good_draft
from ui.intake.category import CategorySection
from ui.intake.draft_keys import flatten
from ui.intake.reporter import ReporterSection
from ui.intake.section import IntakeSection
from ui.intake.sections import KindSection, WhatSection, WhereSection, build_sections, collect_draft, restore_draft
from ui.intake.validate import LiveValidation
from ui.workspace import Workspace

TODAY = date(2026, 3, 2)


def make(ws: Workspace, qtbot: Any, *, counter: bool = False) -> tuple[QWidget, list[IntakeSection]]:
    host = QWidget()
    qtbot.add_widget(host)
    column = QVBoxLayout(host)
    sections = build_sections(ws, counter=counter, parent=host)
    for section in sections:
        column.addWidget(section)
    return host, sections


def of(sections: list[IntakeSection], kind: type[IntakeSection]) -> Any:
    return next(s for s in sections if isinstance(s, kind))


def test_the_sections_own_every_draft_key_once(workspace: Workspace, qtbot: Any) -> None:
    _host, sections = make(workspace, qtbot)
    keys = [k for s in sections for k in tuple(s.keys())]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(flatten(good_draft()))
    assert all(s.title() for s in sections)


def test_a_draft_restored_is_collected_back_unchanged(workspace: Workspace, qtbot: Any) -> None:
    _host, sections = make(workspace, qtbot)
    draft = good_draft(category_id="infrastruktur.jalan", latitude=-7.7156, longitude=110.3551, is_anonymous=True,
                       reporter_assistance_needs="pengguna kursi roda", reporter_address="Jl. Melati 3, Sleman")
    restore_draft(sections, draft)
    assert collect_draft(sections) == draft
    assert of(sections, WhereSection).region.combos[3].currentText() == "Minomartani"


def test_an_empty_form_starts_at_the_offices_regency(workspace: Workspace, qtbot: Any) -> None:
    _host, sections = make(workspace, qtbot)
    for section in sections:
        section.clear()
    draft = collect_draft(sections)
    assert draft["region_code"] == "34.04" and draft["title"] is None and draft["classification"] is None
    assert draft["reporter"]["consent_given"] is False and draft["attachments"] == []


def test_counter_mode_is_always_walk_in_and_does_not_ask(workspace: Workspace, qtbot: Any) -> None:
    host, sections = make(workspace, qtbot, counter=True)
    host.show()
    kind = of(sections, KindSection)
    assert not kind.channel.isVisible()
    assert collect_draft(sections)["channel"] == "WALK_IN"
    assert kind.title() == "Your report"


@pytest.fixture
def live_form(workspace: Workspace, qtbot: Any) -> tuple[QWidget, list[IntakeSection], LiveValidation]:
    host, sections = make(workspace, qtbot)
    for section in sections:
        section.clear()
    live = LiveValidation(sections, lang="en", today=lambda: TODAY, parent=host)
    live.reset(collect_draft(sections))
    live.set_ready()
    host.show()
    qtbot.wait_exposed(host)
    host.activateWindow()
    return host, sections, live


def focus(qtbot: Any, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.wait_until(widget.hasFocus)


def test_a_field_shows_its_problem_once_left_and_then_follows_the_typing(
        live_form: tuple[QWidget, list[IntakeSection], LiveValidation], qtbot: Any) -> None:
    _host, sections, live = live_form
    what, reporter = of(sections, WhatSection), of(sections, ReporterSection)
    focus(qtbot, what.title_edit)
    qtbot.keyClicks(what.title_edit, "Jalan")
    live.check_now()
    assert what.problem_text("title") == ""  # still being typed
    focus(qtbot, reporter.nik)
    assert what.problem_text("title") == "Too short: at least 10 characters (5 given)."
    assert what.title_edit.accessibleDescription() == what.problem_text("title")
    assert live.shown == {"title": "Too short: at least 10 characters (5 given)."}  # nothing untouched in red
    qtbot.keyClicks(reporter.nik, "3404")
    live.check_now()
    assert reporter.problem_text("reporter.nik") == ""
    focus(qtbot, what.title_edit)
    qtbot.keyClicks(what.title_edit, " rusak parah")
    live.check_now()
    assert what.problem_text("title") == ""  # fixed while typing: cleared at once
    assert reporter.problem_text("reporter.nik") == "NIK must be 16 digits (4 given)."


def test_a_submit_shows_every_problem_next_to_its_field(
        live_form: tuple[QWidget, list[IntakeSection], LiveValidation], qtbot: Any) -> None:
    _host, sections, live = live_form
    reporter = of(sections, ReporterSection)
    reporter.phone.setText("0812")
    problems = live.submit_tried()
    assert set(problems) == {"classification", "channel", "title", "description", "reporter.name", "reporter.phone",
                             "reporter.consent_given"}
    for key, message in problems.items():
        section = next(s for s in sections if key in tuple(s.keys()))
        assert section.problem_text(key) == message
    kind = of(sections, KindSection)
    assert kind.first_problem_widget(problems) is kind.classification_buttons["PENGADUAN"]


def test_category_suggestions_from_the_text(
        live_form: tuple[QWidget, list[IntakeSection], LiveValidation], workspace: Workspace, world: Any,
        qtbot: Any) -> None:
    _host, sections, live = live_form
    for title in ("Jalan berlubang di depan pasar", "Jalan berlubang dekat sekolah", "Aspal jalan rusak berlubang"):
        world.new_complaint(title=title)
    from sqlalchemy import update

    from app.models import Complaint
    with world.store.transaction() as session:
        session.execute(update(Complaint).values(category_id="infrastruktur.jalan"))
    what, category = of(sections, WhatSection), of(sections, CategorySection)
    what.title_edit.setText("Ada lubang besar, jalan berlubang di Ngaglik")
    live.check_now()
    qtbot.wait_until(lambda: category.suggestions() != [], timeout=3000)
    assert category.suggestions()[0] == "infrastruktur.jalan"
    category.suggest_buttons[0].click()
    assert collect_draft(sections)["category_id"] == "infrastruktur.jalan"
