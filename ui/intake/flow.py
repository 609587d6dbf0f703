"""Submitting an intake, for the staff form and counter mode alike: check the draft, look for likely duplicates on
the database thread, and either register a new complaint or, when the officer says so, link the account to an
existing one (app.services.intake.link_to_existing); then attach the files. The result goes to ``done`` and to
the ``on_done(complaint_id, tracking_code, linked)`` hook (the receipt is offered there)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.errors import LaporError, Message, ValidationError
from app.inputs import IntakeInput, intake_from_mapping
from app.read.duplicates import LikelyDuplicate
from app.services import records
from app.services.context import ServiceContext
from app.services.intake import duplicates_for, intake, link_to_existing
from ui import operations
from ui.intake.draft_keys import ATTACHMENTS, intake_part
from ui.intake.office import office_today
from ui.intake.validate import problems_of
from ui.tasks import known_error_message
from ui.workspace import Workspace

DoneHook = Callable[[str, str, bool], None]


@dataclass(frozen=True)
class IntakeOutcome:
    """What a submit did: the complaint (new, or the existing one the account was linked to), its tracking code,
    and the files that could not be attached after it was saved (a full disk, say)."""

    complaint_id: str
    tracking_code: str
    linked: bool
    failed_files: list[tuple[str, Message]] = field(default_factory=list)


def _attach(ctx: ServiceContext, actor_id: str, complaint_id: str, paths: list[Path]) -> list[tuple[str, Message]]:
    failed = []
    for path in paths:
        try:
            records.attach_file(ctx, actor_id, complaint_id, path)
        except (LaporError, OSError) as exc:
            failed.append((path.name, known_error_message(exc)))
    return failed


def register(ctx: ServiceContext, actor_id: str, inp: IntakeInput, paths: list[Path]) -> IntakeOutcome:
    """(Database thread.) A new complaint, then its files."""
    result = intake(ctx, actor_id, inp)
    return IntakeOutcome(result.complaint_id, result.tracking_code, False,
                         _attach(ctx, actor_id, result.complaint_id, paths))


def link(ctx: ServiceContext, actor_id: str, complaint_id: str, inp: IntakeInput,
         paths: list[Path]) -> IntakeOutcome:
    """(Database thread.) The account added to an existing complaint, then its files to that complaint."""
    result = link_to_existing(ctx, actor_id, complaint_id, inp)
    return IntakeOutcome(result.complaint_id, result.tracking_code, True,
                         _attach(ctx, actor_id, result.complaint_id, paths))


class IntakeFlow(QObject):
    """One intake's way from "submit" to a saved complaint. ``submit(draft)`` checks and looks for duplicates;
    with none it registers at once, else ``duplicates_found`` lets the officer choose ``link_to(id)`` or
    ``register_new()`` (or ``back()`` to the form)."""

    busy_changed = Signal(bool)
    problems_found = Signal(dict)  # key → message: the draft cannot be taken in as it is
    duplicates_found = Signal(list)  # LikelyDuplicate, most likely first
    failed = Signal(str)  # a known error's message, in the window's language
    done = Signal(object)  # IntakeOutcome

    def __init__(self, ws: Workspace, *, on_done: DoneHook | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.on_done = on_done
        self._pending: tuple[IntakeInput, list[Path]] | None = None
        self._running = 0  # background calls in flight (the duplicate check's success starts the register)

    @property
    def busy(self) -> bool:
        return self._running > 0

    def submit(self, draft: dict[str, Any]) -> bool:
        """Start saving ``draft``; False (and ``problems_found``) when it cannot be taken in as it is."""
        if self.busy:
            return False
        problems = problems_of(draft, lang=self.ws.lang, today=office_today(self.ws))
        if problems:
            self.problems_found.emit(problems)
            return False
        inp = intake_from_mapping(intake_part(draft))
        paths = [Path(str(p)) for p in draft.get(ATTACHMENTS) or []]
        self._pending = (inp, paths)
        self._started()
        self.ws.tasks.db(duplicates_for, self.ws.store, self.ws.user.id, inp, self.ws.services.clock(),
                         on_success=self._checked, on_failure=self._failed, owner=self, on_done=self._ended)
        return True

    def _checked(self, found: list[LikelyDuplicate]) -> None:
        if found:
            self.duplicates_found.emit(found)
        elif self._pending is not None:
            inp, paths = self._pending
            self._run(register, self.ws.services, self.ws.user.id, inp, paths)

    def register_new(self) -> None:
        """Register the pending account as a new complaint."""
        if self._pending is None or self.busy:
            return
        inp, paths = self._pending
        self._run(register, self.ws.services, self.ws.user.id, inp, paths)

    def link_to(self, complaint_id: str) -> None:
        """Add the pending account to the complaint ``complaint_id`` instead."""
        if self._pending is None or self.busy:
            return
        inp, paths = self._pending
        self._run(link, self.ws.services, self.ws.user.id, complaint_id, inp, paths)

    def back(self) -> None:
        """The officer went back to the form from the duplicates: nothing was saved."""
        self._pending = None

    def _run(self, fn: Callable[..., IntakeOutcome], *args: Any) -> None:
        self._started()
        operations.change_complaints(self.ws.tasks, self.ws.hub, fn, *args,
                                     changed=lambda outcome: [outcome.complaint_id],
                                     on_success=self._saved, on_failure=self._failed, owner=self,
                                     on_done=self._ended)

    def _saved(self, outcome: IntakeOutcome) -> None:
        self._pending = None
        self.done.emit(outcome)
        if self.on_done is not None:
            self.on_done(outcome.complaint_id, outcome.tracking_code, outcome.linked)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.problems_found.emit({k: m.text(self.ws.lang) for k, m in exc.fields.items()})
        else:
            self.failed.emit(known_error_message(exc).text(self.ws.lang))

    def _started(self) -> None:
        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)

    def _ended(self) -> None:
        self._running -= 1
        if self._running == 0:
            self.busy_changed.emit(False)
