"""The highest tracking number this PC has issued, kept in a small file beside its store as well as in it. A store
put back from an older copy (a backup restored, a disk image) remembers fewer codes than were handed to citizens;
the file beside it does not go back with the store, so the next code is still above every one issued, even before
the PC is back online. (A data folder restored whole, file and all, is caught by the server's record of the codes
it has seen from this PC at the next sync: sync.restore.)

The file is written once an intake has committed (so a failed intake leaves no gap in the numbers), replaced
atomically but not synced to disk (that would double an intake's cost): after a power cut it may lag the store by
the last codes, which are then still the store's own and are reissued only if the store is also put back from an
older copy before the next sync.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


def path_for(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".tracking")


def floor(store_path: Path | None) -> int:
    """The highest tracking number issued here according to the file (0 if there is none, or it is unreadable)."""
    if store_path is None:
        return 0
    try:
        return int(path_for(store_path).read_text(encoding="ascii").strip() or 0)
    except FileNotFoundError:
        return 0
    except (OSError, ValueError) as exc:
        log.warning("tracking number file unreadable (%s): relying on the store", type(exc).__name__)
        return 0


def remember(store_path: Path | None, seq: int) -> None:
    """Note ``seq`` as issued (once its intake has committed; the file only ever goes up)."""
    if store_path is None or seq <= floor(store_path):
        return
    target = path_for(store_path)
    tmp = target.with_name(target.name + ".new")
    try:
        tmp.write_text(str(seq), encoding="ascii")
        os.replace(tmp, target)
    except OSError as exc:  # a full disk: the store's own counter still holds
        log.warning("tracking number file not written (%s)", type(exc).__name__)
