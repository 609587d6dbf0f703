"""Acting on a selection of complaints at once (issue 14 §6): a verifier disposing twenty new complaints to the same
unit, or archiving a batch of spam, does it in one step — one transaction, every complaint checked by the same rules
as one at a time (app.services.workflow_actions.move_in), its timeline entry, audit record and outbox row written
each, and all pushed together at the next sync.

All or nothing: when some of the selection may not take the step (already verified on another PC, archived
meanwhile, another unit's), nothing is written and :class:`SomeRefused` names each with the reason, so the person
can go on without them. A problem with what was typed (no unit chosen) is the form's, raised as the ValidationError
of its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.domain import Status
from app.errors import LaporError, Message, ValidationError
from app.models import Complaint
from app.services.context import ServiceContext, load_actor
from app.services.workflow_actions import TransitionResult, move_in

# What may be done to many at once, with the status it leads to: the steps a verifier takes in batches.
BULK_ACTIONS: dict[str, Status] = {"dispose": Status.DIDISPOSISIKAN, "archive": Status.DIARSIPKAN}
MAX_SELECTION = 500


class SomeRefused(LaporError):
    """Some of the selection may not take the step; nothing was written. ``refused``: complaint id → (tracking
    code, why)."""

    def __init__(self, refused: dict[str, tuple[str, Message]], total: int) -> None:
        self.refused = refused
        lines_id = "; ".join(f"{code}: {why.id}" for code, why in refused.values())
        lines_en = "; ".join(f"{code}: {why.en}" for code, why in refused.values())
        super().__init__(Message(
            f"{len(refused)} dari {total} laporan tidak dapat diproses, jadi tidak ada yang diubah — {lines_id}",
            f"{len(refused)} of {total} complaints cannot take this step, so none was changed — {lines_en}"))


def act_on_many(ctx: ServiceContext, actor_id: str, action: str, complaint_ids: Sequence[str],
                values: dict[str, Any]) -> list[TransitionResult]:
    """Take ``action`` (a key of :data:`BULK_ACTIONS`) on every complaint of ``complaint_ids`` with the same
    ``values`` (e.g. ``{"unit_id": …, "instruction": …}``), in one transaction; SomeRefused when any may not."""
    target = BULK_ACTIONS.get(action)
    if target is None:
        raise ValidationError({"action": Message(f"Tindakan {action!r} tidak dapat dilakukan sekaligus.",
                                                 f"The action {action!r} cannot be taken on many at once.")})
    ids = list(dict.fromkeys(complaint_ids))
    if not ids:
        raise ValidationError({"selection": Message("Pilih laporan dulu.", "Select complaints first.")})
    if len(ids) > MAX_SELECTION:
        raise ValidationError({"selection": Message(
            f"Paling banyak {MAX_SELECTION} laporan sekaligus; {len(ids)} dipilih.",
            f"At most {MAX_SELECTION} complaints at once; {len(ids)} are selected.")})
    now = ctx.clock()
    results: list[TransitionResult] = []
    refused: dict[str, tuple[str, Message]] = {}
    with ctx.store.transaction() as session:
        actor = load_actor(session, actor_id)
        for complaint_id in ids:
            try:  # move_in checks everything before it writes: a refused one has changed nothing
                results.append(move_in(ctx, session, actor, complaint_id, target, action, values, now))
            except ValidationError:
                raise  # what was typed: the same for every complaint, shown at its field
            except LaporError as exc:
                code = session.get(Complaint, complaint_id)
                refused[complaint_id] = (code.tracking_code if code is not None else complaint_id, exc.message)
        if refused:
            raise SomeRefused(refused, len(ids))  # the transaction is rolled back: nothing written
    return results
