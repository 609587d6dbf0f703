"""The main window built for a workspace: the counter's window for a counter officer, the staff window for everyone
else, with its sync controller; built hidden while the person types (ui.application.Startup.prepare_window), thrown
away if someone else logs in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.workspace import Workspace

if TYPE_CHECKING:
    from ui.crash import CrashReporter
    from ui.main_window import Features, MainWindow


@dataclass
class Prepared:
    """A main window built, hidden, while the person types (:meth:`ui.application.Startup.prepare_window`)."""

    workspace: Workspace
    controller: Any
    window: MainWindow


def build_window(ws: Workspace, features: Features, *, crash: CrashReporter | None, log_dir: Path | None) -> Prepared:
    from app.domain import Role
    from ui.main_window import MainWindow  # not at module level: the log-in form comes first (ui.crash says why)
    from ui.style import restyle

    controller = features.sync_controller(ws)
    ws.extras["sync"] = controller
    if features.counter_window is not None and ws.user.role == Role.PETUGAS_LOKET:
        window = features.counter_window(ws, features, controller, crash=crash, log_dir=log_dir)
    else:
        window = MainWindow(ws, features, controller, crash=crash, log_dir=log_dir)
    restyle(window)  # its toolbar, navigation and status bar in the scheme in use (high contrast)
    return Prepared(ws, controller, window)


def warm_first_rows(window: Any) -> None:
    """The list's first rows read and formatted while nobody looks, once its ids are in."""
    from PySide6.QtCore import Qt

    model = getattr(getattr(window, "complaint_list", None), "model", None)
    warm = getattr(model, "warm", None)
    if warm is None:
        return
    if getattr(model, "has_data", False):
        warm()
    else:
        model.loaded.connect(warm, Qt.ConnectionType.SingleShotConnection)  # type: ignore[union-attr]


def discard(prepared: Prepared, crash: CrashReporter | None) -> None:
    """A window prepared for someone else than who logged in (or for nobody, at shut-down)."""
    prepared.controller.stop()
    if crash is not None and crash.window is prepared.window:
        crash.window = None
    prepared.window.deleteLater()
