"""Disposing or archiving a selection of complaints at once (app.services.bulk): the same forms as for one complaint,
naming the selection instead of one complaint, sending all of it in one step. When some of the selection may not
take the step, nothing is changed: the form lists them with the reason and offers to go on without them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QWidget

from app.rules.availability import Actor, available_actions
from app.services.bulk import BULK_ACTIONS, SomeRefused, act_on_many
from app.services.context import ServiceContext
from ui import operations
from ui.actions import transition_forms as tf
from ui.actions.form import ActionForm
from ui.workspace import Workspace


@dataclass(frozen=True)
class Selected:
    """A selected complaint as the list knows it."""

    id: str
    tracking_code: str
    status: str
    unit_id: str | None


def bulk_allowed(ws: Workspace, action: str, selection: Sequence[Selected]) -> bool:
    """Whether every complaint of the selection may take ``action`` now, for this user."""
    actor = Actor(ws.user.role, ws.user.unit_id)
    return action in BULK_ACTIONS and len(selection) > 0 and all(
        action in available_actions(actor, s.status, s.unit_id) for s in selection)


class BulkActions(QObject):
    """Counts through ``self.tr`` in a QObject: pyside6-lupdate marks only tr() calls as plural, and only plural
    messages get their English singular and plural ("1 complaint:", "2 complaints:")."""

    def subject(self, selection: Sequence[Selected]) -> str:
        """The selection named: how many, and the first six tracking codes."""
        shown = ", ".join(s.tracking_code for s in selection[:6])
        more = len(selection) - 6
        heading = self.tr("%n complaint(s):", "", len(selection))
        tail = self.tr(" and %n more", "", more) if more > 0 else ""
        return f"{heading} {shown}{tail}"


def _subject(selection: Sequence[Selected]) -> str:
    return BulkActions().subject(selection)


class _Bulk(ActionForm):
    """Mixed in before a single-complaint form: its fields, this submit."""

    def __init__(self, ws: Workspace, selection: Sequence[Selected], parent: QWidget | None = None) -> None:
        self.selection = list(selection)
        super().__init__(ws, None, parent, subject=_subject(selection))
        self.without_refused = QPushButton(self)
        self.without_refused.setObjectName("bulk-without-refused")
        self.buttons.addButton(self.without_refused, QDialogButtonBox.ButtonRole.ActionRole)
        self.without_refused.hide()
        self.without_refused.clicked.connect(self._drop_refused)
        self._refused: set[str] = set()

    def submit(self) -> None:
        if self._busy:
            return
        self.clear_errors()
        self.without_refused.hide()
        values = self.collect()
        ids = [s.id for s in self.selection]
        self._set_busy(True)
        operations.change_complaints(self.ws.tasks, self.ws.hub, _call, self.ws.services, self.ws.user.id,
                                     self.action, ids, values, changed=lambda _result: ids,
                                     on_success=self._succeeded, on_failure=self._failed,
                                     on_done=lambda: self._set_busy(False), owner=self)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SomeRefused):
            super()._failed(exc)
            return
        self._refused = set(exc.refused)
        lines = [f"{code}: {why.text(self.ws.lang)}" for code, why in exc.refused.values()]
        heading = self.tr("Nothing was changed: %n of the selected complaints cannot take this step now.", "",
                          len(exc.refused))
        self.show_message("\n".join([heading, *lines]))
        rest = len(self.selection) - len(self._refused)
        if rest > 0:
            self.without_refused.setText(self.tr("Go on without them (%n complaints)", "", rest))
            self.without_refused.show()

    def _drop_refused(self) -> None:
        self.selection = [s for s in self.selection if s.id not in self._refused]
        self._refused = set()
        self.submit()


def _call(ctx: ServiceContext, actor_id: str, action: str, ids: list[str], values: dict[str, Any]) -> Any:
    return act_on_many(ctx, actor_id, action, ids, values)


class BulkDisposeForm(_Bulk, tf.DisposeForm):
    def title(self) -> str:
        return self.tr("Verify and dispose the selection")


class BulkArchiveForm(_Bulk, tf.ArchiveForm):
    def title(self) -> str:
        return self.tr("Archive the selection")


BULK_FORMS: dict[str, type[_Bulk]] = {"dispose": BulkDisposeForm, "archive": BulkArchiveForm}


def open_bulk_form(ws: Workspace, action: str, selection: Sequence[Selected], parent: QWidget) -> _Bulk:
    form = BULK_FORMS[action](ws, selection, parent)
    form.open()
    return form
