"""Services: the only way to change data. One function per use case, one transaction each, the acting user's
role checked inside, with timeline, audit record and change capture written in the same transaction."""

from app.inputs import ComplaintEdit
from app.services.autoclose import apply_auto_closures
from app.services.context import ServiceContext
from app.services.intake import IntakeResult, intake
from app.services.records import add_note, attach_file, edit_complaint
from app.services.workflow_actions import (
    TransitionResult,
    archive,
    close,
    dispose,
    follow_up,
    postpone,
    record_response,
    redirect,
    reopen,
    resume,
    unarchive,
)

__all__ = [
    "ComplaintEdit",
    "IntakeResult",
    "ServiceContext",
    "TransitionResult",
    "add_note",
    "apply_auto_closures",
    "archive",
    "attach_file",
    "close",
    "dispose",
    "edit_complaint",
    "follow_up",
    "intake",
    "postpone",
    "record_response",
    "redirect",
    "reopen",
    "resume",
    "unarchive",
]
