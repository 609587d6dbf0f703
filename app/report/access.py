"""Who may make the monthly report, and of what: leadership and the office administrator for the whole office or any
unit; a unit liaison only for their own unit (they see the complaints dispositioned to it, DESIGN.md). Counter staff
and IT do not need the office's performance figures."""

from __future__ import annotations

from app.domain import Role
from app.errors import Message, PermissionDenied

REPORT_ROLES = frozenset({Role.PIMPINAN, Role.ADMIN_INSTANSI, Role.PENGHUBUNG})


def report_unit(role: str, own_unit_id: str | None, asked_unit_id: str | None) -> str | None:
    """The unit the report may cover for this account (None: the whole office); PermissionDenied otherwise."""
    if role not in REPORT_ROLES:
        raise PermissionDenied(Message(
            "Laporan bulanan hanya untuk pimpinan, admin instansi dan penghubung unit.",
            "The monthly report is for leadership, the office administrator and unit liaisons only."))
    if role == Role.PENGHUBUNG:
        if own_unit_id is None or asked_unit_id not in (None, own_unit_id):
            raise PermissionDenied(Message(
                "Penghubung hanya dapat membuat laporan bulanan untuk unit kerjanya sendiri.",
                "A unit liaison may make the monthly report of their own unit only."))
        return own_unit_id
    return asked_unit_id
