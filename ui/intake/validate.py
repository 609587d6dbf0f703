"""Checking the draft as it is typed: the same checks as ``lapor-desk intake`` and the intake service
(app.inputs.intake_from_mapping for the shapes, app.rules.validation.validate_intake for the values), every problem
at once, keyed by field; plus the attachments' checks.

They run on the GUI thread: once the look-up tables are loaded (the region and district lists, read on the database
thread when the form opens: app.services.intake.intake_office) a whole draft is checked in about 0.05 ms. A field's
problem is shown once the person has changed that field and moved on from it, or tried to submit; from then on it
follows their typing. No wall of red on an empty form, and no "too short" while the first letters go in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from app.errors import Message, ValidationError
from app.inputs import IntakeInput, intake_from_mapping
from app.rules.validation import validate_intake
from ui.intake.attachment_checks import attachment_problem
from ui.intake.draft_keys import ATTACHMENTS, flatten, intake_part
from ui.intake.section import IntakeSection, has_focus_within
from ui.intake.sections import collect_draft

DELAY_MS = 250
# Stand-ins for missing or malformed values while the other fields are checked (their own problem is already
# noted): a channel that is not one, so no contact is asked for on its account.
_STAND_INS = {"classification": "PENGADUAN", "channel": "-", "title": "x" * 10, "description": "x" * 20}


def _parse_around_shape_errors(data: dict[str, Any], found: dict[str, Message]) -> IntakeInput | None:
    """The intake record with the fields whose shape is wrong set aside, so their neighbours are still checked."""
    for _ in range(2):
        try:
            return intake_from_mapping(data)
        except ValidationError as exc:
            for key, message in exc.fields.items():
                found.setdefault(key, message)
            data = dict(data)
            reporter = dict(data["reporter"]) if isinstance(data.get("reporter"), dict) else None
            for key in exc.fields:
                head, _, rest = key.partition(".")
                if head == "reporter" and rest and reporter is not None:
                    reporter.pop(rest, None)
                elif key in _STAND_INS:
                    data[key] = _STAND_INS[key]
                else:
                    data.pop(key, None)
            if reporter is not None:
                data["reporter"] = reporter
    return None


def problem_messages(draft: dict[str, Any], *, today: date | None = None,
                     check_files: bool = True) -> dict[str, Message]:
    """Every problem of ``draft``, keyed by field ("reporter.nik"); empty when it can be taken in."""
    found: dict[str, Message] = {}
    inp = _parse_around_shape_errors(intake_part(draft), found)
    if inp is not None:
        try:
            validate_intake(inp, today=today or date.today())
        except ValidationError as exc:
            for key, message in exc.fields.items():
                found.setdefault(key, message)
    files = draft.get(ATTACHMENTS)
    if check_files and isinstance(files, list):
        reasons = [r for r in (attachment_problem(Path(str(p))) for p in files) if r]
        if reasons:
            found[ATTACHMENTS] = Message("\n".join(reasons), "\n".join(reasons))  # already in the window's language
    return found


def problems_of(draft: dict[str, Any], *, lang: str = "id", today: date | None = None,
                check_files: bool = True) -> dict[str, str]:
    """:func:`problem_messages` as text in ``lang``."""
    return {key: message.text(lang) for key, message in problem_messages(draft, today=today,
                                                                       check_files=check_files).items()}


class LiveValidation(QObject):
    """Checks the sections' draft ``DELAY_MS`` after the last change and shows the problems that are due (see the
    module's docstring); ``submit_tried()`` shows them all. ``problems`` is every problem, shown or not."""

    shown_changed = Signal(dict)  # key → message, the problems now shown (all of them after a submit was tried)

    def __init__(self, sections: Sequence[IntakeSection], *, lang: str, today: Callable[[], date],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sections = list(sections)
        self._owner: dict[str, IntakeSection] = {}
        for section in self._sections:
            self._owner.update(dict.fromkeys(section.keys(), section))
        self._lang = lang
        self._today = today
        self._ready = False
        self._last: dict[str, Any] | None = None
        self._dirty: set[str] = set()
        self._touched: set[str] = set()
        self._all = False
        self.problems: dict[str, str] = {}
        self.shown: dict[str, str] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        for section in self._sections:
            section.changed.connect(self._timer.start)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def set_ready(self) -> None:
        """The look-up tables are loaded: checks may run on this thread from now on."""
        self._ready = True
        if self._timer.isActive() or self._dirty:
            self.check_now()

    def reset(self, draft: dict[str, Any] | None = None) -> None:
        """A new start (an empty or a restored form): nothing touched, nothing shown."""
        self._last = draft
        self._dirty.clear()
        self._touched.clear()
        self._all = False
        self.problems = {}
        self._show({})

    def restored(self, draft: dict[str, Any]) -> None:
        """A draft was put back: what it holds counts as touched (its problems show at once)."""
        self.reset(draft)
        filled = {k for k, v in flatten(draft).items() if v not in (None, "", [], False)}
        self._dirty |= filled
        self._touched |= filled
        self.check_now()

    @property
    def submitted(self) -> bool:
        """A submit was tried since the last reset: every problem is shown."""
        return self._all

    def show_keys(self, keys: Sequence[str]) -> dict[str, str]:
        """Show every problem of ``keys`` from now on, as if each had been touched (counter mode's "Next": the
        step's own problems at once, and they stay while the others are typed); returns them."""
        self._touched |= set(keys)
        self.check_now(force=True)
        return {k: v for k, v in self.problems.items() if k in keys}

    def submit_tried(self) -> dict[str, str]:
        """Show every problem (returned)."""
        self._all = True
        self.check_now(force=True)
        return self.problems

    def check_now(self, force: bool = False) -> None:
        self._timer.stop()
        if not self._ready and not force:
            return
        draft = collect_draft(self._sections)
        now = flatten(draft)
        before = flatten(self._last) if self._last is not None else {}
        self._dirty |= {k for k in now.keys() | before.keys() if now.get(k) != before.get(k)}
        self._last = draft
        for section in self._sections:
            section.draft_changed(draft)
        self.problems = problems_of(draft, lang=self._lang, today=self._today())
        self._refresh()

    def _focus_moved(self, _old: QWidget | None, _new: QWidget | None) -> None:
        if self._dirty - self._touched:
            self._refresh()

    def _refresh(self) -> None:
        for key in self._dirty - self._touched:
            if not has_focus_within(self._widget(key)):
                self._touched.add(key)
        if self._all:
            shown = dict(self.problems)
        else:
            shown = {k: v for k, v in self.problems.items() if k in self._touched or k in self.shown}
        self._show(shown)

    def _widget(self, key: str) -> QWidget | None:
        section = self._owner.get(key)
        return section.field_widget(key) if section is not None else None

    def _show(self, shown: dict[str, str]) -> None:
        self.shown = shown
        for section in self._sections:
            section.show_problems({k: v for k, v in shown.items() if self._owner.get(k) is section})
        self.shown_changed.emit(shown)

    def stray(self) -> dict[str, str]:
        """Shown problems no section owns (a draft from a newer program, say): the form shows them itself."""
        return {k: v for k, v in self.shown.items() if k not in self._owner}
