"""An intake's draft on disk while it is typed, so nothing is lost when the program closes (or is killed)
mid-intake; offered back the next time that user opens the form, removed after a submit or an explicit discard.

It holds personal data (a reporter's name, NIK, phone): the file is the user's alone in the data folder
(``drafts/``, folder 0700, file 0600), written whole to a temporary file that replaces the old one (a crash leaves
the old draft or the new, never half of one), deleted as soon as it is not needed, and never logged. The staff form
keeps its draft as ``staff``, counter mode as ``counter``: each user has at most one of each.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

FORMAT = 1
SAVE_DELAY_MS = 400
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class SavedDraft:
    draft: dict[str, Any]
    saved_at: datetime


class DraftStore:
    """One user's draft of one kind (``staff``, ``counter``) in ``data_dir/drafts``."""

    def __init__(self, data_dir: Path, user_id: str, kind: str) -> None:
        self.folder = data_dir / "drafts"
        self.path = self.folder / f"{_SAFE.sub('_', kind)}-{_SAFE.sub('_', user_id)}.json"

    def exists(self) -> bool:
        return self.path.is_file()

    def load(self) -> SavedDraft | None:
        """The saved draft, or None when there is none or it cannot be read (a damaged draft is left as it is:
        it may be all that remains of an intake)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("draft"), dict):
            return None
        try:
            saved_at = datetime.fromisoformat(str(data.get("saved_at")))
        except ValueError:
            saved_at = datetime.now(UTC)
        return SavedDraft(data["draft"], saved_at)

    def save(self, draft: dict[str, Any]) -> None:
        """Write the draft atomically (temporary file, flushed to disk, then os.replace), readable by this user
        only."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(self.folder, 0o700)
        body = json.dumps({"format": FORMAT, "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
                           "draft": draft}, ensure_ascii=False, sort_keys=True)
        fd, temp = tempfile.mkstemp(prefix=".draft-", suffix=".tmp", dir=self.folder)  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


class _LeftOver:
    """What is not yet written when the form goes away without closing (plain Python: it outlives the widgets)."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store
        self.draft: dict[str, Any] | None = None
        self.empty: dict[str, Any] = {}

    def write(self, *_args: Any) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            return
        with contextlib.suppress(OSError):
            if draft == self.empty:
                self.store.discard()
            else:
                self.store.save(draft)


class DraftSaver(QObject):
    """Saves the latest draft ``SAVE_DELAY_MS`` after the last change (and at once on ``flush``, and when
    ``parent`` is destroyed with a change not yet written). A draft equal to ``empty`` (the form as it opened) is
    not kept: its file is removed. A failure to write is reported once through ``on_error`` (a full disk) and
    retried at the next change."""

    def __init__(self, store: DraftStore, *, empty: dict[str, Any] | None = None,
                 on_error: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._left = _LeftOver(store)
        self.empty = empty or {}
        self._paused = False
        self._on_error = on_error
        self._failed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        if parent is not None:
            parent.destroyed.connect(self._left.write)

    @property
    def empty(self) -> dict[str, Any]:
        return self._left.empty

    @empty.setter
    def empty(self, draft: dict[str, Any]) -> None:
        self._left.empty = draft

    @property
    def _pending(self) -> dict[str, Any] | None:
        return self._left.draft

    @_pending.setter
    def _pending(self, draft: dict[str, Any] | None) -> None:
        self._left.draft = draft

    def set_paused(self, paused: bool) -> None:
        """While paused (an old draft is being offered back) nothing is written, so the old draft is not lost."""
        self._paused = paused
        if paused:
            self._timer.stop()

    def changed(self, draft: dict[str, Any]) -> None:
        if self._paused:
            return
        self._pending = draft
        self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        draft, self._pending = self._pending, None
        if draft is None or self._paused:
            return
        try:
            if draft == self.empty:
                self.store.discard()
            else:
                self.store.save(draft)
            self._failed = False
        except OSError as exc:
            self._pending = draft
            if not self._failed and self._on_error is not None:
                self._on_error(exc)
            self._failed = True

    def discard(self) -> None:
        """The intake is done or given up: forget what is pending and remove the file."""
        self._timer.stop()
        self._pending = None
        self.store.discard()
