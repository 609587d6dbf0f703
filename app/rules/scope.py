"""Which complaints each role may list and open, which of a reporter's personal data it sees, and what its inbox
(Kotak Masuk) holds: the role policy of UU 27/2022 (Pelindungan Data Pribadi) for this office, in one table.

Staff see personal data only where their work needs it (DESIGN.md, Rules for personal data):

============== ======================================= ================================================ ============
role           complaints it lists and opens           a named reporter's data it sees                  anonymous
============== ======================================= ================================================ ============
ADMIN_INSTANSI every complaint of the office            name, NIK, phone, e-mail, address, assistance    identity
PETUGAS_LOKET  every complaint of the office (a         name, phone, e-mail, address, assistance needs   nothing
               returning citizen's look-up, responses,  (contacting the reporter is the counter's work;
               clarifications come through the counter) the NIK was needed at intake only)
PENGHUBUNG     complaints dispositioned to their unit   name; phone and e-mail while the complaint waits  nothing
               (none without a unit)                    for their unit's follow-up (DIDISPOSISIKAN)
PIMPINAN       every complaint of the office            nothing (oversight and reports need no identity) nothing
IT_ADMIN       none (accounts, devices, sync problems)  nothing                                          nothing
SYSTEM         every complaint of the office            nothing                                          nothing
unknown        none                                     nothing                                          nothing
============== ======================================= ================================================ ============

Every read of complaints for a person goes through a :class:`Scope` (app.read.queries, app.read.search) and every
service that opens a complaint checks it (app.services.context.load_complaint), so the window cannot widen it. An
unknown role sees nothing: nothing here defaults to "everything".

The inbox holds what the role acts on (the steps app.rules.workflow lets it take): the administrator what awaits
verification or a decision after clarification (a followed-up complaint waits for the reporter, through the counter,
and closes by itself when the reporter's window ends); the liaison their unit's complaints awaiting follow-up;
the counter the reporter's responses and clarifications; leadership what needs its attention (open complaints past
their deadline, or escalated: sent back by a reporter not satisfied, or reopened); IT no complaints (its work is sync
problems and devices).
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Protocol

from app.domain import OPEN_STATUSES, Role, Status
from app.errors import Message

NAME, NIK, PHONE, EMAIL, ADDRESS, ASSISTANCE = "name", "nik", "phone", "email", "address", "assistance_needs"
REPORTER_FIELDS = (NAME, NIK, PHONE, EMAIL, ADDRESS, ASSISTANCE)
CONTACT = frozenset({PHONE, EMAIL})


class Reach(StrEnum):
    """Which of the office's complaints a role may list and open."""

    OFFICE = "OFFICE"  # every complaint of the office
    UNIT = "UNIT"  # those dispositioned to the user's unit
    NONE = "NONE"  # none


@dataclass(frozen=True)
class Inbox:
    """What a role's Kotak Masuk holds: complaints (within its reach) at these statuses; ``attention``: only those
    that need leadership's attention (past their deadline, or escalated)."""

    statuses: tuple[Status, ...] = ()
    attention: bool = False


@dataclass(frozen=True)
class RolePolicy:
    reach: Reach
    reporter: frozenset[str] = frozenset()  # a named reporter's fields, on any complaint within reach
    contact_while: frozenset[Status] = frozenset()  # also phone and e-mail while the complaint is at these
    anonymous: bool = False  # also an anonymous reporter's identity (with the fields above)
    inbox: Inbox = Inbox()


_OPEN = tuple(sorted(OPEN_STATUSES))
NOTHING = RolePolicy(Reach.NONE)

POLICY: dict[str, RolePolicy] = {
    Role.ADMIN_INSTANSI: RolePolicy(
        Reach.OFFICE, frozenset(REPORTER_FIELDS), anonymous=True,
        inbox=Inbox((Status.BELUM_TERVERIFIKASI, Status.DITUNDA))),
    Role.PETUGAS_LOKET: RolePolicy(
        Reach.OFFICE, frozenset({NAME, PHONE, EMAIL, ADDRESS, ASSISTANCE}),
        inbox=Inbox((Status.DITINDAKLANJUTI, Status.DITUNDA))),
    Role.PENGHUBUNG: RolePolicy(
        Reach.UNIT, frozenset({NAME}), contact_while=frozenset({Status.DIDISPOSISIKAN}),
        inbox=Inbox((Status.DIDISPOSISIKAN,))),
    Role.PIMPINAN: RolePolicy(Reach.OFFICE, inbox=Inbox(_OPEN, attention=True)),
    Role.IT_ADMIN: NOTHING,
    Role.SYSTEM: RolePolicy(Reach.OFFICE),
}


def policy_of(role: str | None) -> RolePolicy:
    """The role's policy; an unknown role (or none) sees nothing."""
    return POLICY.get(role or "", NOTHING)


def within_reach(role: str, user_unit_id: str | None, complaint_unit_id: str | None) -> bool:
    """Whether a complaint of the user's office dispositioned to ``complaint_unit_id`` is within the role's reach
    (a liaison's: their own unit's, and none without a unit)."""
    reach = policy_of(role).reach
    if reach == Reach.UNIT:
        return user_unit_id is not None and complaint_unit_id == user_unit_id
    return reach == Reach.OFFICE


class _Account(Protocol):
    @property
    def office_id(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def unit_id(self) -> str | None: ...


@dataclass(frozen=True)
class Scope:
    """Who reads or acts: their office, role and (a liaison's) unit. Build it from the account
    (:meth:`of`), not from what a form says."""

    office_id: str
    role: str
    unit_id: str | None = None

    @classmethod
    def of(cls, account: _Account) -> Scope:
        """The scope of an account (a User row or app.services.users.UserInfo)."""
        return cls(account.office_id, account.role, account.unit_id)

    @classmethod
    def whole_office(cls, office_id: str) -> Scope:
        """The program's own reads of an office (the CLI run on the data file, automatic closing): every
        complaint, no reporter's data."""
        return cls(office_id, Role.SYSTEM)

    # Cached: the list queries ask on every scroll and filter change.
    @cached_property
    def policy(self) -> RolePolicy:
        return policy_of(self.role)

    @cached_property
    def reach(self) -> Reach:
        reach = self.policy.reach
        return Reach.NONE if reach == Reach.UNIT and not self.unit_id else reach

    def may_open(self, office_id: str, unit_id: str | None) -> bool:
        """Whether a complaint of ``office_id`` dispositioned to ``unit_id`` (None: no unit yet) is within reach."""
        return office_id == self.office_id and within_reach(self.role, self.unit_id, unit_id)

    def reporter_fields(self, *, is_anonymous: bool, status: str) -> frozenset[str]:
        """Which of the reporter's fields this viewer sees on a complaint within reach at ``status``."""
        policy = self.policy
        if is_anonymous and not policy.anonymous:
            return frozenset()
        fields = policy.reporter
        if status in policy.contact_while:
            fields = fields | CONTACT
        return fields

    def refusal(self) -> Message:
        """Why a complaint outside this scope cannot be opened or acted on, for the person."""
        if self.role == Role.PENGHUBUNG:
            if not self.unit_id:
                return Message(
                    "Akun penghubung Anda belum terhubung ke unit kerja, jadi belum ada laporan yang dapat dibuka. "
                    "Minta admin TI mengatur unit Anda.",
                    "Your liaison account has no unit yet, so there is no complaint you may open. "
                    "Ask IT to set your unit.")
            return Message(
                "Laporan ini tidak didisposisikan ke unit Anda; penghubung hanya dapat membuka dan menindaklanjuti "
                "laporan yang didisposisikan ke unitnya.",
                "This complaint was not dispositioned to your unit; a unit liaison may open and act only on the "
                "complaints dispositioned to their unit.")
        if self.role == Role.IT_ADMIN:
            return Message(
                "Peran Admin TI tidak membuka isi laporan pengaduan (data pribadi pelapor); tugasnya akun, "
                "perangkat, cadangan dan sinkronisasi.",
                "The IT admin role does not open complaints (the reporter's personal data); its work is accounts, "
                "devices, backups and sync.")
        return Message("Laporan ini di luar cakupan peran Anda.", "This complaint is outside your role's scope.")


class UnscopedRead(UserWarning):
    """A read of complaints given a bare office id instead of a :class:`Scope`: the program's own whole-office read
    (the CLI on the data file, the benchmarks). A read made for a person passes that person's scope."""


_WHOLE_OFFICE: dict[str, Scope] = {}
_WARNED: set[tuple[object, int]] = set()


def as_scope(scope: Scope | str) -> Scope:
    """``scope``; a bare office id is read as :meth:`Scope.whole_office`, with an :class:`UnscopedRead` warning so
    that a call site that forgot the person's scope does not pass silently (once per call site, as Python's default
    warning filter would show it: the benchmarks call these thousands of times a second)."""
    if isinstance(scope, Scope):
        return scope
    caller = sys._getframe(2)
    site = (caller.f_code, caller.f_lineno)
    if site not in _WARNED:
        _WARNED.add(site)
        warnings.warn(UnscopedRead(f"complaints of office {scope} read without a viewer's scope (whole office)"),
                      stacklevel=3)
    found = _WHOLE_OFFICE.get(scope)
    if found is None:
        found = _WHOLE_OFFICE[scope] = Scope.whole_office(scope)
    return found
