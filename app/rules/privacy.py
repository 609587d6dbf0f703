"""Who may see a reporter's identity. Anonymous reporters are visible only to the office administrator."""

from __future__ import annotations

from app.domain import Role

IDENTITY_OF_ANONYMOUS_ROLES = frozenset({Role.ADMIN_INSTANSI})


def can_see_anonymous(role: str) -> bool:
    return role in IDENTITY_OF_ANONYMOUS_ROLES


def can_see_reporter(role: str, *, is_anonymous: bool) -> bool:
    if role in (Role.IT_ADMIN, Role.SYSTEM):
        return False
    return (not is_anonymous) or can_see_anonymous(role)
