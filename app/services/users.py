"""Local accounts: add, list, change password, disable, and offline log-in with lockout."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import Role
from app.errors import (
    AccountLocked,
    AuthenticationFailed,
    LaporError,
    Message,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from app.ids import new_id
from app.models import Office, Unit, User
from app.rules.accounts import check_password_rules, check_username
from app.security import hash_password, needs_rehash, verify_password
from app.services.context import ServiceContext, record_change
from app.store import meta
from app.store.db import Store

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
LOGIN_ROLES = tuple(r for r in Role if r != Role.SYSTEM)
ACCOUNT_ADMIN_ROLES = (Role.IT_ADMIN,)  # who manages accounts in the window
T = TypeVar("T")


@dataclass(frozen=True)
class UserInfo:
    id: str
    username: str
    full_name: str
    role: str
    office_id: str
    unit_id: str | None
    active: bool
    locked_until: datetime | None


def _info(u: User) -> UserInfo:
    return UserInfo(u.id, u.username, u.full_name, u.role, u.office_id, u.unit_id, u.active, u.locked_until)


def add_user(ctx: ServiceContext, *, username: str, full_name: str, role: str, password: str,
             office_id: str, unit_id: str | None = None, actor_id: str | None = None) -> UserInfo:
    """Create an account (by IT from the CLI or the window's administration area, or by the seeder). Every problem
    of the form is reported at once. Passwords are stored as Argon2id hashes. ``actor_id``: the person acting in
    the window, who must be IT (the CLI and the seeder act as the machine's owner: None)."""
    problems: dict[str, Message] = {}
    name = _collect(problems, lambda: check_username(username)) or username.strip().lower()
    if role not in LOGIN_ROLES:
        problems["role"] = Message("Peran tidak dikenal. Pilih: " + ", ".join(LOGIN_ROLES) + ".",
                                   "Unknown role. Choose: " + ", ".join(LOGIN_ROLES) + ".")
    if not full_name.strip():
        problems["full_name"] = Message("Nama lengkap wajib diisi.", "Full name is required.")
    _collect(problems, lambda: check_password_rules(password, name))
    if role == Role.PENGHUBUNG and unit_id is None:
        problems["unit"] = Message("Penghubung harus terikat pada satu unit.", "A liaison must belong to a unit.")
    with ctx.store.transaction() as session:
        actor = _account_admin(session, actor_id)
        if session.get(Office, office_id) is None:
            problems["office"] = Message("Instansi tidak dikenal.", "Unknown office.")
        if unit_id is not None:
            unit = session.get(Unit, unit_id)
            if unit is None or unit.office_id != office_id:
                problems["unit"] = Message("Unit tidak dikenal di instansi ini.", "Unknown unit in this office.")
        if "username" not in problems and session.execute(
                select(func.count()).where(User.username == name)).scalar():
            problems["username"] = Message(f"Nama pengguna '{name}' sudah dipakai.",
                                           f"The user name '{name}' is taken.")
        if problems:
            raise ValidationError(problems)
        now = ctx.clock()
        user = User(id=new_id(), office_id=office_id, unit_id=unit_id, username=name,
                    full_name=full_name.strip(), role=role, password_hash=hash_password(password),
                    active=True, failed_logins=0, password_changed_at=now)
        session.add(user)
        session.flush()
        record_change(ctx, session, actor=actor, action="user.add", entity_type="user", entity_id=user.id,
                      details={"role": role, "username": name})
        return _info(user)


def _collect(problems: dict[str, Message], check: Callable[[], T]) -> T | None:
    """``check()``'s result, or None with its ValidationError's fields added to ``problems``."""
    try:
        return check()
    except ValidationError as exc:
        problems.update(exc.fields)
        return None


def _account_admin(session: Session, actor_id: str | None) -> User | None:
    """The acting account, which must be an active IT account of this PC; None for the CLI and the seeder (they
    act as the owner of the machine, who can open the database file anyway)."""
    if actor_id is None:
        return None
    actor = session.get(User, actor_id)
    if actor is None or not actor.active or actor.role not in ACCOUNT_ADMIN_ROLES:
        raise PermissionDenied(Message("Hanya petugas TI yang dapat mengelola akun pengguna.",
                                       "Only IT staff can manage user accounts."))
    return actor


def list_users(ctx: ServiceContext, office_id: str | None = None) -> list[UserInfo]:
    with ctx.store.read() as session:
        q = select(User).order_by(User.username)
        if office_id:
            q = q.where(User.office_id == office_id)
        return [_info(u) for u in session.execute(q).scalars()]


def _by_username(session: Session, username: str) -> User:
    user = session.execute(select(User).where(User.username == username.strip().lower())).scalar()
    if user is None:
        raise NotFound(Message(f"Pengguna '{username}' tidak ditemukan.", f"No user '{username}'."))
    return user


def set_password(ctx: ServiceContext, username: str, new_password: str, *, actor_id: str | None = None) -> None:
    """A new password chosen by IT (the person's own is :func:`change_own_password`); it also unlocks the
    account."""
    with ctx.store.transaction() as session:
        actor = _account_admin(session, actor_id)
        user = _by_username(session, username)
        check_password_rules(new_password, user.username)
        user.password_hash = hash_password(new_password)
        user.password_changed_at = ctx.clock()
        user.failed_logins = 0
        user.locked_until = None
        record_change(ctx, session, actor=actor, action="user.password", entity_type="user", entity_id=user.id)


def unlock(ctx: ServiceContext, username: str, *, actor_id: str | None = None) -> None:
    """End a lockout after failed log-ins now, keeping the password (the person remembered it, or was not the
    one who tried)."""
    with ctx.store.transaction() as session:
        actor = _account_admin(session, actor_id)
        user = _by_username(session, username)
        user.failed_logins = 0
        user.locked_until = None
        record_change(ctx, session, actor=actor, action="user.unlock", entity_type="user", entity_id=user.id)


def change_own_password(ctx: ServiceContext, user_id: str, old_password: str, new_password: str) -> None:
    with ctx.store.transaction() as session:
        user = session.get(User, user_id)
        if user is None or not verify_password(user.password_hash, old_password):
            raise AuthenticationFailed(Message("Kata sandi lama salah.", "The old password is wrong."))
        check_password_rules(new_password, user.username)
        user.password_hash = hash_password(new_password)
        user.password_changed_at = ctx.clock()
        record_change(ctx, session, actor=user, action="user.password", entity_type="user", entity_id=user.id)


def set_active(ctx: ServiceContext, username: str, active: bool, *, actor_id: str | None = None) -> None:
    """Disable or enable an account. The last active IT account is never disabled: nobody could manage the
    accounts in the window after it (the CLI still can)."""
    with ctx.store.transaction() as session:
        actor = _account_admin(session, actor_id)
        user = _by_username(session, username)
        if not active and user.active and user.role in ACCOUNT_ADMIN_ROLES:
            others = session.execute(select(func.count()).select_from(User).where(
                User.role.in_(ACCOUNT_ADMIN_ROLES), User.active.is_(True), User.id != user.id)).scalar()
            if not others:
                raise ValidationError({"username": Message(
                    f"{user.username} adalah satu-satunya akun TI yang aktif; tambahkan akun TI lain dulu.",
                    f"{user.username} is the only active IT account; add another IT account first.")})
        user.active = active
        record_change(ctx, session, actor=actor, action="user.enable" if active else "user.disable",
                      entity_type="user", entity_id=user.id)


def authenticate(ctx: ServiceContext, username: str, password: str) -> UserInfo:
    """Offline log-in. Five failures lock the account for five minutes; the message never says which part
    was wrong. Every attempt is audited (by account id, never the typed password)."""
    now = ctx.clock()
    wrong = AuthenticationFailed(Message("Nama pengguna atau kata sandi salah.", "Wrong user name or password."))
    failed: LaporError | None = None
    with ctx.store.transaction() as session:
        user = session.execute(select(User).where(User.username == username.strip().lower())).scalar()
        if user is None or not user.active:
            # Audited without the typed name: people sometimes type their password into the name field.
            record_change(ctx, session, actor=None, action="user.login_failed", entity_type="user",
                          entity_id=user.id if user else None,
                          details={"reason": "unknown_user" if user is None else "disabled"})
            failed = wrong
        elif user.locked_until is not None and user.locked_until > now:
            minutes = max(1, math.ceil((user.locked_until - now).total_seconds() / 60))
            record_change(ctx, session, actor=user, action="user.login_locked", entity_type="user",
                          entity_id=user.id)
            failed = AccountLocked(Message(
                f"Akun terkunci karena terlalu banyak percobaan gagal. Coba lagi dalam {minutes} menit.",
                f"The account is locked after too many failed attempts. Try again in {minutes} minutes."))
        elif not verify_password(user.password_hash, password):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            record_change(ctx, session, actor=user, action="user.login_failed", entity_type="user",
                          entity_id=user.id)
            failed = wrong
        else:
            user.failed_logins = 0
            user.locked_until = None
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            record_change(ctx, session, actor=user, action="user.login", entity_type="user", entity_id=user.id)
            info = _info(user)
    if failed is not None:
        raise failed  # after commit, so the failure count and the audit record are kept
    return info


def home_office_name(store: Store) -> str:
    """The name of this PC's office ("" before set-up), for the log-in and the window's title."""
    with store.read() as session:
        office_id = meta.get(session, meta.HOME_OFFICE)
        office = session.get(Office, office_id) if office_id else None
        return office.name if office else ""


def demo_usernames(store: Store) -> list[str]:
    """The home office's admin and counter accounts, to name on the log-in of a demo installation."""
    with store.read() as session:
        office_id = meta.get(session, meta.HOME_OFFICE)
        if not office_id:
            return []
        rows = session.execute(select(User.username, User.role).where(User.office_id == office_id)
                               .where(User.role.in_([Role.ADMIN_INSTANSI, Role.PETUGAS_LOKET]))
                               .order_by(User.role, User.username)).all()
    return [name for name, _role in rows][:3]


def active_user(store: Store, username: str) -> UserInfo | None:
    """The active account of this name (None for none or a disabled one); no password involved, so only for
    getting ready before a log-in (the window prepared for the name the log-in remembers), never to let anyone in."""
    if not username.strip():
        return None
    with store.read() as session:
        user = session.execute(select(User).where(User.username == username.strip().lower())).scalar()
        return _info(user) if user is not None and user.active else None
