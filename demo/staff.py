"""Demo accounts: one per role in every office (admin, loket, pimpinan, it) and a liaison (penghubung) per unit,
all sharing one demo password.

The accounts follow the rules of app.services.users.add_user (user-name shape, password rules, a liaison bound to
a unit) but are written in one bulk insert with ONE Argon2id hash reused for every account. add_user hashes each
password separately (about 50 ms each with the program's parameters, on purpose, to slow down guessing), which
for some fifty demo accounts would cost seconds and write an audit record per account; the demo's single
"demo.seed" audit record covers them instead. Reusing one hash (with one salt) is acceptable only because every
demo account has the same, published password anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.domain import Role
from app.models import User
from app.rules.accounts import check_password_rules
from demo.offices import DemoOffice
from demo.people import person_name
from demo.rand import DemoRandom


@dataclass
class OfficeStaff:
    """The demo accounts of one office, by role (ids)."""

    admin: str = ""
    loket: str = ""
    pimpinan: str = ""
    it: str = ""
    liaisons: dict[str, str] = field(default_factory=dict)  # unit id -> liaison user id

    def liaison(self, unit_id: str | None) -> str | None:
        return self.liaisons.get(unit_id) if unit_id else None


_ROLE_ACCOUNTS = (("admin", Role.ADMIN_INSTANSI), ("loket", Role.PETUGAS_LOKET), ("pimpinan", Role.PIMPINAN),
                  ("it", Role.IT_ADMIN))


def ensure_staff(session: Session, offices: list[DemoOffice], password: str, password_hash: str,
                 rng: DemoRandom, id_rng: DemoRandom, now: datetime) -> tuple[dict[str, OfficeStaff], int]:
    """Make sure every demo account exists (existing ones of the same office are reused); returns the staff
    per office id and how many accounts were added."""
    existing = {u.username: u for u in session.execute(select(User)).scalars()}
    rows: list[dict[str, object]] = []
    staff: dict[str, OfficeStaff] = {}
    for office in offices:
        team = OfficeStaff()
        wanted: list[tuple[str, Role, str | None]] = [(f"{p}.{office.slug}", role, None) for p, role in _ROLE_ACCOUNTS]
        wanted += [(f"penghubung.{u.key}.{office.slug}", Role.PENGHUBUNG, u.id) for u in office.units]
        for username, role, unit_id in wanted:
            user = existing.get(username)
            if user is not None and user.office_id != office.id:
                username = f"{username}.{office.region4}"  # taken by another office: make it unique
                user = existing.get(username)
            if user is not None:
                user_id = user.id
            else:
                check_password_rules(password, username)
                user_id = id_rng.uuid7_at(now)
                rows.append({"id": user_id, "office_id": office.id, "unit_id": unit_id, "username": username,
                             "full_name": person_name(rng, office.culture, rng.random() < 0.5), "role": role.value,
                             "password_hash": password_hash, "active": True, "failed_logins": 0,
                             "locked_until": None, "password_changed_at": now, "server_version": 0})
            if role == Role.PENGHUBUNG and unit_id is not None:
                team.liaisons[unit_id] = user_id
            else:
                setattr(team, username.split(".", 1)[0], user_id)
        staff[office.id] = team
    if rows:
        session.execute(insert(User), rows)
    return staff, len(rows)
