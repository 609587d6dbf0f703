"""What every widget of a logged-in window shares: the store, the services' context, the user, the background
runner, the change hub and the settings. Widgets get it in their constructor; none of them opens a Session."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # start-up makes the hub before the data layer is imported (ui.application)
    from app.config import Paths
    from app.services.context import ServiceContext
    from app.services.users import UserInfo
    from app.store.db import Store
    from ui.settings import Settings, WindowState
    from ui.tasks import TaskRunner


class ChangeHub(QObject):
    """After a write, say what changed (Anki's operation_did_execute); views decide whether to refresh."""

    complaints_changed = Signal(list)  # complaint ids; [] = many / unknown (e.g. after a sync pull)
    reference_changed = Signal()  # units, categories, accounts, SLA policy
    conflicts_changed = Signal()
    sync_state_changed = Signal(object)  # a sync status snapshot (ui.sync_status)


@dataclass
class Workspace:
    paths: Paths
    store: Store
    services: ServiceContext
    user: UserInfo
    tasks: TaskRunner
    hub: ChangeHub
    settings: Settings
    window_state: WindowState
    lang: str = "id"
    extras: dict[str, Any] = field(default_factory=dict)  # e.g. the sync controller, set by whoever owns it

    @property
    def office_id(self) -> str:
        return self.user.office_id

    @property
    def role(self) -> str:
        return self.user.role
