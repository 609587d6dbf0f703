"""IT's part of the window: the sync problems this PC knows of (IT's Kotak Masuk), the accounts, backups and
restore, the sync and enrolment settings, and the log — what IT did on the command line before (issue 15 §9).

Each page is a widget made as ``Page(ws, parent)``; the main window lists them under "Administrasi" for the roles
in :data:`ADMIN_ROLES` and builds each when first shown. What the pages change goes through app.services, which
check the acting account themselves (only IT manages accounts), so the window is not the only guard.
"""

from __future__ import annotations

from app.domain import Role
from ui.navigation import SYNC_PROBLEMS  # its count is drawn in the alert colour there

ADMIN_ROLES = frozenset({Role.IT_ADMIN})
ACCOUNTS = "admin_accounts"
BACKUPS = "admin_backups"
CONNECTION = "admin_connection"
LOG = "admin_log"
__all__ = ["ACCOUNTS", "ADMIN_ROLES", "BACKUPS", "CONNECTION", "LOG", "PAGES", "SYNC_PROBLEMS"]
PAGES = (SYNC_PROBLEMS, ACCOUNTS, BACKUPS, CONNECTION, LOG)
