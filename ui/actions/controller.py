"""The complaint actions as QActions — for the main window's "Pengaduan" menu and the detail panel's buttons —
enabled by what this user may do in the complaint's status, each opening its form."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.read.detail import ComplaintDetail
from app.rules.availability import ALL_ACTIONS
from ui.actions import record_forms as rf
from ui.actions import transition_forms as tf
from ui.actions.form import ActionForm
from ui.workspace import Workspace

translate = QCoreApplication.translate  # the name pyside6-lupdate looks for

FORMS: dict[str, type[ActionForm]] = {
    "dispose": tf.DisposeForm,
    "postpone": tf.PostponeForm,
    "redirect": tf.RedirectForm,
    "archive": tf.ArchiveForm,
    "follow_up": rf.FollowUpForm,
    "close": tf.CloseForm,
    "respond": tf.ResponseForm,
    "resume": tf.ResumeForm,
    "unarchive": tf.UnarchiveForm,
    "reopen": tf.ReopenForm,
    "note": rf.NoteForm,
    "attach": rf.AttachForm,
    "edit": rf.EditForm,
}

SHORTCUTS: dict[str, str] = {
    "dispose": "Ctrl+Shift+D",
    "postpone": "Ctrl+Shift+P",
    "redirect": "Ctrl+Shift+R",
    "archive": "Ctrl+Shift+A",
    "follow_up": "Ctrl+Shift+T",
    "close": "Ctrl+Shift+S",
    "respond": "Ctrl+Shift+G",
    "resume": "Ctrl+Shift+K",
    "unarchive": "Ctrl+Shift+U",
    "reopen": "Ctrl+Shift+O",
    "note": "Ctrl+Shift+N",
    "attach": "Ctrl+Shift+L",
    "edit": "Ctrl+Shift+E",
}


def action_text(key: str) -> str:
    """The menu text (with a mnemonic) of an action."""
    texts = {
        "dispose": translate("ComplaintActions", "&Verify and dispose…"),
        "postpone": translate("ComplaintActions", "&Postpone…"),
        "redirect": translate("ComplaintActions", "Not our authority: &redirect…"),
        "archive": translate("ComplaintActions", "&Archive…"),
        "follow_up": translate("ComplaintActions", "&Follow up…"),
        "close": translate("ComplaintActions", "&Close complaint…"),
        "respond": translate("ComplaintActions", "Record reporter's r&esponse…"),
        "resume": translate("ComplaintActions", "Clarification recei&ved…"),
        "unarchive": translate("ComplaintActions", "&Un-archive…"),
        "reopen": translate("ComplaintActions", "Re&open…"),
        "note": translate("ComplaintActions", "Internal &note…"),
        "attach": translate("ComplaintActions", "Attac&h files…"),
        "edit": translate("ComplaintActions", "E&dit details…"),
    }
    return texts[key]


class ComplaintActions(QObject):
    """One QAction per action; ``set_target`` enables those allowed for the complaint shown."""

    changed = Signal()  # the set of enabled actions changed
    form_opened = Signal(object)  # the ActionForm just opened (tests and the main window may watch)

    def __init__(self, ws: Workspace, host: QWidget) -> None:
        super().__init__(host)
        self._ws = ws
        self._host = host
        self._target: ComplaintDetail | None = None
        self._available: tuple[str, ...] = ()
        self._actions: dict[str, QAction] = {}
        for key in ALL_ACTIONS:
            action = QAction(action_text(key), host)
            action.setObjectName(f"complaint-action-{key}")
            action.setShortcut(QKeySequence(SHORTCUTS[key]))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setEnabled(False)
            action.triggered.connect(lambda _checked=False, k=key: self.open_form(k))
            host.addAction(action)
            self._actions[key] = action

    def actions(self) -> list[QAction]:
        return [self._actions[key] for key in ALL_ACTIONS]

    def action(self, key: str) -> QAction:
        return self._actions[key]

    @property
    def available(self) -> tuple[str, ...]:
        return self._available

    def set_target(self, detail: ComplaintDetail | None, available: tuple[str, ...]) -> None:
        self._target = detail
        available = available if detail is not None else ()
        for key, action in self._actions.items():
            action.setEnabled(key in available)
        if available != self._available:
            self._available = available
            self.changed.emit()

    def suspend(self) -> None:
        """Disable every action until the next ``set_target`` (the buttons stay, greyed, to avoid flicker)."""
        self._target = None
        for action in self._actions.values():
            action.setEnabled(False)

    def form(self, key: str, parent: QWidget | None = None) -> ActionForm:
        """The form of ``key`` for the complaint shown (not opened)."""
        if self._target is None:
            raise RuntimeError("no complaint is shown")
        return FORMS[key](self._ws, self._target, parent or self._host.window())

    def open_form(self, key: str) -> ActionForm | None:
        if self._target is None or key not in self._available:
            return None
        form = self.form(key)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.open()
        self.form_opened.emit(form)
        return form
