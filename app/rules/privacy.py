"""Who may see a reporter's identity: the name part of the role policy (app.rules.scope). Anonymous reporters are
visible only to the office administrator."""

from __future__ import annotations

from app.domain import Role
from app.rules.scope import NAME, POLICY, policy_of

IDENTITY_OF_ANONYMOUS_ROLES = frozenset(Role(r) for r, p in POLICY.items() if p.anonymous)


def can_see_anonymous(role: str) -> bool:
    return policy_of(role).anonymous


def can_see_reporter(role: str, *, is_anonymous: bool) -> bool:
    """Whether the role sees the reporter's name (on a complaint within its reach; app.rules.scope says which)."""
    policy = policy_of(role)
    return NAME in policy.reporter and ((not is_anonymous) or policy.anonymous)
