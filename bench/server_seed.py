"""The offices and counter-staff accounts ``bench.server_load`` loads the server with, seeded by whichever code the
server runs: in the bench's process for the current tree, in a child process for another revision's worktree (its
own migrations and models).

This module imports nothing from ``bench``, so a child can load it by file path with the worktree first on
``sys.path``: ``python bench/server_seed.py CODE_ROOT DB_URL COUNT`` prints the seats as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

PASSWORD = "Bench-Loket-2025"


@dataclass(frozen=True)
class Seat:
    """One office with one counter-staff account and an enrolment code for its PC."""

    region_code: str
    user_id: str
    code: str


def seed(db_url: str, count: int) -> list[Seat]:
    """Migrate and create ``count`` offices (real regency codes), one PETUGAS_LOKET each, one code each."""
    from app.domain import Role
    from app.reference.regions import iter_regions
    from app.security import hash_password
    from app.timeutil import utcnow
    from server import admin
    from server.db import Database, make_engine, migrate

    regencies = [r for r in iter_regions() if r.level == 2][:count]
    if len(regencies) < count:
        raise RuntimeError(f"only {len(regencies)} regency codes for {count} offices")
    password_hash = hash_password(PASSWORD)  # one Argon2 hash for all accounts: seeding stays fast
    engine = make_engine(db_url)
    migrate(engine)
    seats = []
    now = utcnow()
    with Database(engine).transaction() as session:
        for i, region in enumerate(regencies):
            office = admin.create_office(session, region_code=region.code, name=f"Pemerintah {region.name}",
                                         tz="WIB")
            user = admin.create_user(session, office=office, username=f"loket{i:03d}", full_name=f"Petugas {i}",
                                     role=Role.PETUGAS_LOKET, password=PASSWORD, unit=None, now=now,
                                     password_hash=password_hash)
            seats.append(Seat(region.code, user.id, admin.issue_enrollment_code(session, office, now)))
    engine.dispose()
    return seats


def seed_with(code_root: Path, db_url: str, count: int) -> list[Seat]:
    """``seed`` run by the code in ``code_root`` (a worktree of another revision), in a child process."""
    done = subprocess.run([sys.executable, __file__, str(code_root), db_url, str(count)], cwd=code_root,
                          stdout=subprocess.PIPE, check=True, timeout=600)
    return [Seat(**row) for row in json.loads(done.stdout)]


def _child(argv: list[str]) -> None:
    code_root, db_url, count = argv
    sys.path[0] = code_root  # instead of this file's folder: app/ and server/ come from the worktree
    import server

    if Path(server.__file__).resolve().parent.parent != Path(code_root).resolve():
        raise SystemExit(f"seeding imported {server.__file__}, not the code in {code_root}")
    json.dump([asdict(s) for s in seed(db_url, int(count))], sys.stdout)


if __name__ == "__main__":
    _child(sys.argv[1:])
