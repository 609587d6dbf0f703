"""Local accounts: the rules for adding one, offline log-in, lockout, password changes, and what the audit
log keeps of a log-in (never the password)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from app.domain import Role
from app.errors import AccountLocked, AuthenticationFailed, NotFound, PermissionDenied, ValidationError
from app.models import AuditRecord, User
from app.services import users
from app.store.audit import verify_chain
from tests.helpers.world import PASSWORD, World

LOCKOUT = timedelta(minutes=5)


def _add(world: World, **overrides: object) -> users.UserInfo:
    args: dict[str, object] = dict(username="staf.baru", full_name="Staf Baru", role=Role.PETUGAS_LOKET,
                                   password="Sandi4Uji", office_id=world.office_id)
    args.update(overrides)
    return users.add_user(world.ctx, **args)  # type: ignore[arg-type]


def _user_count(world: World) -> int:
    with world.store.read() as s:
        return int(s.execute(select(func.count()).select_from(User)).scalar() or 0)


def test_add_user_then_log_in(world: World) -> None:
    info = _add(world, username="  Staf.Baru  ")
    assert info.username == "staf.baru"  # trimmed and lower-cased
    assert info.role == Role.PETUGAS_LOKET and info.active and info.locked_until is None
    assert users.authenticate(world.ctx, "STAF.BARU", "Sandi4Uji").id == info.id
    with world.store.read() as s:
        stored = s.get(User, info.id)
        assert stored is not None and "Sandi4Uji" not in stored.password_hash
        assert stored.password_hash.startswith("$argon2id$")


def test_username_format(world: World) -> None:
    before = _user_count(world)
    for username in ("ab", "a" * 65, "staf baru", "staf@kantor", "staf/baru", "", "   "):
        with pytest.raises(ValidationError) as err:
            _add(world, username=username)
        assert set(err.value.fields) == {"username"}, username
    assert _user_count(world) == before
    for username in ("abc", "a" * 64, "staf_baru-2.loket"):
        assert _add(world, username=username).username == username


def test_duplicate_username_in_any_case(world: World) -> None:
    _add(world, username="staf.baru")
    before = _user_count(world)
    with pytest.raises(ValidationError) as err:
        _add(world, username="STAF.Baru", full_name="Orang Lain")
    assert set(err.value.fields) == {"username"}
    assert "staf.baru" in err.value.fields["username"].id
    assert _user_count(world) == before


def test_unknown_role(world: World) -> None:
    for role in ("KEPALA", "", "admin_instansi", Role.SYSTEM):
        with pytest.raises(ValidationError) as err:
            _add(world, role=role)
        assert set(err.value.fields) == {"role"}, role


def test_liaison_needs_a_unit_of_the_office(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        _add(world, role=Role.PENGHUBUNG)
    assert set(err.value.fields) == {"unit"}
    with world.store.read() as s:
        other_unit = s.execute(text("SELECT id FROM units WHERE office_id = :o"),
                               {"o": world.other_office_id}).scalar()
    with pytest.raises(ValidationError) as err:
        _add(world, role=Role.PENGHUBUNG, unit_id=other_unit)
    assert set(err.value.fields) == {"unit"}
    ok = _add(world, role=Role.PENGHUBUNG, unit_id=world.units["Dinas Kesehatan"])
    assert ok.unit_id == world.units["Dinas Kesehatan"]


def test_unknown_office_and_empty_name(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        _add(world, office_id="tidak-ada")
    assert set(err.value.fields) == {"office"}
    with pytest.raises(ValidationError) as err:
        _add(world, full_name="   ")
    assert set(err.value.fields) == {"full_name"}


WEAK = [
    ("staf.baru", "Ab1"),  # too short
    ("staf.baru", "abcdefghij"),  # letters only
    ("staf.baru", "1234567890"),  # digits only
    ("staf.baru", "abcdefgh!"),  # no digit
    ("staf.baru", "12345678!"),  # no letter
    ("staf.baru", "!!!!!!!!!!"),  # neither
    ("staf.baru1", "STAF.BARU1"),  # the user name in another case
]


def test_weak_passwords_refused(world: World) -> None:
    before = _user_count(world)
    for username, password in WEAK:
        with pytest.raises(ValidationError) as err:
            _add(world, username=username, password=password)
        assert set(err.value.fields) == {"password"}, password
    assert _user_count(world) == before


def test_weak_password_message_names_every_problem(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        _add(world, password="abc")
    m = err.value.fields["password"]
    assert "minimal 8 karakter" in m.id and "huruf dan angka" in m.id
    assert "at least 8 characters" in m.en and "letters and digits" in m.en


def test_authenticate_ok(world: World) -> None:
    info = users.authenticate(world.ctx, "user.admin_instansi", PASSWORD)
    assert info.id == world.users[Role.ADMIN_INSTANSI]
    assert info.role == Role.ADMIN_INSTANSI


def test_wrong_password_and_unknown_user_read_the_same(world: World) -> None:
    with pytest.raises(AuthenticationFailed) as wrong:
        users.authenticate(world.ctx, "user.admin_instansi", "Salah12345")
    with pytest.raises(AuthenticationFailed) as unknown:
        users.authenticate(world.ctx, "tidak.ada", PASSWORD)
    assert wrong.value.message == unknown.value.message
    assert wrong.value.message.id == "Nama pengguna atau kata sandi salah."


def test_disabled_account_cannot_log_in_and_reads_the_same(world: World) -> None:
    users.set_active(world.ctx, "user.petugas_loket", False)
    with pytest.raises(AuthenticationFailed) as err:
        users.authenticate(world.ctx, "user.petugas_loket", PASSWORD)
    assert err.value.message.id == "Nama pengguna atau kata sandi salah."
    users.set_active(world.ctx, "user.petugas_loket", True)
    assert users.authenticate(world.ctx, "user.petugas_loket", PASSWORD).active


def _fail(world: World, username: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(world.ctx, username, "Salah12345")


def test_lockout_after_five_failures_for_five_minutes(world: World) -> None:
    name = "user.pimpinan"
    _fail(world, name, 4)
    assert users.authenticate(world.ctx, name, PASSWORD)  # four failures do not lock
    _fail(world, name, 5)  # the fifth failure still says "wrong", and locks
    with pytest.raises(AccountLocked) as locked:
        users.authenticate(world.ctx, name, PASSWORD)  # even the right password
    assert "dalam 5 menit" in locked.value.message.id and "in 5 minutes" in locked.value.message.en
    with world.store.read() as s:
        user = s.get(User, world.users[Role.PIMPINAN])
        assert user is not None and user.locked_until == world.clock() + LOCKOUT
    world.clock.advance(minutes=3, seconds=59)
    with pytest.raises(AccountLocked) as locked:
        users.authenticate(world.ctx, name, PASSWORD)
    assert "dalam 2 menit" in locked.value.message.id  # 61 seconds left
    world.clock.advance(minutes=1)
    with pytest.raises(AccountLocked) as locked:
        users.authenticate(world.ctx, name, PASSWORD)
    assert "dalam 1 menit" in locked.value.message.id  # one second left
    world.clock.advance(seconds=2)
    assert users.authenticate(world.ctx, name, PASSWORD).locked_until is None


def test_failures_are_counted_from_zero_after_a_lockout_ends(world: World) -> None:
    name = "user.pimpinan"
    _fail(world, name, 5)
    world.clock.advance(minutes=6)
    _fail(world, name, 4)
    assert users.authenticate(world.ctx, name, PASSWORD)


def test_a_success_resets_the_failure_count(world: World) -> None:
    name = "user.pimpinan"
    _fail(world, name, 4)
    users.authenticate(world.ctx, name, PASSWORD)
    _fail(world, name, 4)
    assert users.authenticate(world.ctx, name, PASSWORD)


def test_lockout_is_per_account(world: World) -> None:
    _fail(world, "user.pimpinan", 5)
    assert users.authenticate(world.ctx, "user.admin_instansi", PASSWORD)


def test_set_password_unlocks(world: World) -> None:
    name = "user.pimpinan"
    _fail(world, name, 5)
    users.set_password(world.ctx, name, "Baru4Sandi", actor_id=world.users[Role.IT_ADMIN])
    assert users.authenticate(world.ctx, name, "Baru4Sandi").id == world.users[Role.PIMPINAN]
    with pytest.raises(AuthenticationFailed):
        users.authenticate(world.ctx, name, PASSWORD)


def test_set_password_rules_and_unknown_user(world: World) -> None:
    with pytest.raises(ValidationError):
        users.set_password(world.ctx, "user.pimpinan", "pendek")
    assert users.authenticate(world.ctx, "user.pimpinan", PASSWORD)  # unchanged
    with pytest.raises(NotFound):
        users.set_password(world.ctx, "tidak.ada", "Baru4Sandi")


def test_change_own_password(world: World) -> None:
    uid = world.users[Role.PETUGAS_LOKET]
    with pytest.raises(AuthenticationFailed):
        users.change_own_password(world.ctx, uid, "Salah12345", "Baru4Sandi")
    with pytest.raises(ValidationError):
        users.change_own_password(world.ctx, uid, PASSWORD, "user.petugas_loket")
    assert users.authenticate(world.ctx, "user.petugas_loket", PASSWORD)  # nothing changed yet
    users.change_own_password(world.ctx, uid, PASSWORD, "Baru4Sandi")
    assert users.authenticate(world.ctx, "user.petugas_loket", "Baru4Sandi").id == uid
    with pytest.raises(AuthenticationFailed):
        users.authenticate(world.ctx, "user.petugas_loket", PASSWORD)


def _audit_rows(world: World) -> list[tuple[object, ...]]:
    with world.store.read() as s:
        return [tuple(r) for r in s.execute(text("SELECT * FROM audit_log ORDER BY id"))]


def test_logins_are_audited_without_the_password(world: World) -> None:
    uid = world.users[Role.ADMIN_INSTANSI]
    wrong = "Keliru98765"
    with pytest.raises(AuthenticationFailed):
        users.authenticate(world.ctx, "user.admin_instansi", wrong)
    users.authenticate(world.ctx, "user.admin_instansi", PASSWORD)
    users.change_own_password(world.ctx, uid, PASSWORD, "Baru4Sandi")
    with world.store.read() as s:
        actions = s.execute(
            select(AuditRecord.action).where(AuditRecord.entity_id == uid).order_by(AuditRecord.id)
        ).scalars().all()
        assert actions[-3:] == ["user.login_failed", "user.login", "user.password"]
        assert verify_chain(s).ok
    dump = repr(_audit_rows(world))
    assert uid in dump  # the rows are there, by account id
    for secret in (PASSWORD, wrong, "Baru4Sandi"):
        assert secret not in dump
        assert secret.lower() not in dump.lower()


def test_a_failed_login_of_an_unknown_user_is_audited_without_the_typed_name(world: World) -> None:
    before = _audit_rows(world)
    with pytest.raises(AuthenticationFailed):
        users.authenticate(world.ctx, "tidak.ada", PASSWORD)
    after = _audit_rows(world)
    assert len(after) == len(before) + 1
    new = after[-1]
    assert "tidak.ada" not in repr(new) and PASSWORD not in repr(new)


def test_an_attempt_on_a_locked_account_is_audited(world: World) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(world.ctx, "user.petugas_loket", "SalahSekali1")
    before = len(_audit_rows(world))
    with pytest.raises(AccountLocked):
        users.authenticate(world.ctx, "user.petugas_loket", PASSWORD)
    assert len(_audit_rows(world)) == before + 1


def test_list_users_by_office(world: World) -> None:
    ours = users.list_users(world.ctx, world.office_id)
    assert {u.role for u in ours} == {r for r in Role if r != Role.SYSTEM}
    assert all(u.office_id == world.office_id for u in ours)
    theirs = users.list_users(world.ctx, world.other_office_id)
    assert [u.username for u in theirs] == ["admin.badung"]


def test_a_form_with_every_field_wrong_reports_every_field_at_once(world: World) -> None:
    before = _user_count(world)
    with pytest.raises(ValidationError) as err:
        _add(world, username="a b", full_name="  ", role=Role.PENGHUBUNG, password="pendek")
    assert set(err.value.fields) == {"username", "full_name", "password", "unit"}
    with pytest.raises(ValidationError) as err:
        _add(world, role="KEPALA_DESA", office_id="kantor-tidak-ada")
    assert set(err.value.fields) == {"role", "office"}
    assert _user_count(world) == before


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.SYSTEM, Role.IT_ADMIN)])
def test_only_it_manages_accounts_from_the_window(world: World, role: Role) -> None:
    """The window passes the person acting; any role but IT is refused before anything changes."""
    actor = world.users[role]
    before = _user_count(world)
    with pytest.raises(PermissionDenied):
        _add(world, actor_id=actor)
    with pytest.raises(PermissionDenied):
        users.set_password(world.ctx, "user.pimpinan", "Baru4Sandi", actor_id=actor)
    with pytest.raises(PermissionDenied):
        users.set_active(world.ctx, "user.pimpinan", False, actor_id=actor)
    with pytest.raises(PermissionDenied):
        users.unlock(world.ctx, "user.pimpinan", actor_id=actor)
    assert _user_count(world) == before
    assert users.authenticate(world.ctx, "user.pimpinan", PASSWORD).active


def test_it_adds_an_account_and_the_audit_names_who(world: World) -> None:
    it = world.users[Role.IT_ADMIN]
    info = _add(world, actor_id=it)
    with world.store.read() as s:
        actor = s.execute(select(AuditRecord.user_id).where(AuditRecord.action == "user.add",
                                                             AuditRecord.entity_id == info.id)).scalar()
    assert actor == it


def test_unlock_ends_a_lockout_and_keeps_the_password(world: World) -> None:
    for _ in range(users.MAX_FAILURES):
        with pytest.raises(AuthenticationFailed):
            users.authenticate(world.ctx, "user.pimpinan", "salah-salah1")
    with pytest.raises(AccountLocked):
        users.authenticate(world.ctx, "user.pimpinan", PASSWORD)
    users.unlock(world.ctx, "user.pimpinan", actor_id=world.users[Role.IT_ADMIN])
    assert users.authenticate(world.ctx, "user.pimpinan", PASSWORD).locked_until is None


def test_the_last_active_it_account_cannot_be_disabled(world: World) -> None:
    it_name = next(u.username for u in users.list_users(world.ctx) if u.role == Role.IT_ADMIN)
    with pytest.raises(ValidationError) as err:
        users.set_active(world.ctx, it_name, False, actor_id=world.users[Role.IT_ADMIN])
    assert "satu-satunya" in err.value.fields["username"].id
    _add(world, username="it.kedua", role=Role.IT_ADMIN)
    users.set_active(world.ctx, it_name, False)  # another IT account is active now
    assert not next(u for u in users.list_users(world.ctx) if u.username == it_name).active
