"""The workflow state machine: every (source, target, role) combination, reasons, allowed transitions and
messages.

The expected table is written out here, from DESIGN.md's workflow table and the roles' jobs, rather than read
from app.rules.workflow, so a change to the machine has to change this file too.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from app.domain import Role, Status
from app.errors import InvalidTransition, PermissionDenied, ValidationError
from app.reference.labels import label
from app.rules import workflow

S, R = Status, Role
ADMIN = {R.ADMIN_INSTANSI}

# (source, target, action) -> (roles allowed, reason required)
DESIGNED: dict[tuple[Status, Status, str], tuple[set[Role], bool]] = {
    (S.BELUM_TERVERIFIKASI, S.DIDISPOSISIKAN, "dispose"): (ADMIN, False),
    (S.BELUM_TERVERIFIKASI, S.DITUNDA, "postpone"): (ADMIN, True),
    (S.BELUM_TERVERIFIKASI, S.BUKAN_WEWENANG, "redirect"): (ADMIN, True),
    (S.BELUM_TERVERIFIKASI, S.DIARSIPKAN, "archive"): (ADMIN, True),
    (S.DIDISPOSISIKAN, S.DITINDAKLANJUTI, "follow_up"): ({R.ADMIN_INSTANSI, R.PENGHUBUNG}, False),
    (S.DIDISPOSISIKAN, S.DITUNDA, "postpone"): ({R.ADMIN_INSTANSI, R.PENGHUBUNG}, True),
    (S.DIDISPOSISIKAN, S.BUKAN_WEWENANG, "redirect"): (ADMIN, True),
    (S.DITINDAKLANJUTI, S.SELESAI, "close"): ({R.ADMIN_INSTANSI, R.SYSTEM}, False),
    (S.DITINDAKLANJUTI, S.SELESAI, "respond"): ({R.ADMIN_INSTANSI, R.PETUGAS_LOKET}, False),
    (S.DITINDAKLANJUTI, S.DIDISPOSISIKAN, "respond"): ({R.ADMIN_INSTANSI, R.PETUGAS_LOKET}, True),
    (S.DITUNDA, S.BELUM_TERVERIFIKASI, "resume"): ({R.ADMIN_INSTANSI, R.PETUGAS_LOKET}, False),
    (S.DITUNDA, S.DIDISPOSISIKAN, "dispose"): (ADMIN, False),
    (S.DITUNDA, S.DIARSIPKAN, "archive"): (ADMIN, True),
    (S.DIARSIPKAN, S.BELUM_TERVERIFIKASI, "unarchive"): (ADMIN, True),
    (S.SELESAI, S.DIDISPOSISIKAN, "reopen"): (ADMIN, True),
}


def _by_pair() -> dict[tuple[Status, Status], tuple[set[Role], bool]]:
    """Per status pair: every role that may make the change by some action; a reason if any permitted action
    of the pair needs one for that role (no pair mixes the two here)."""
    pairs: dict[tuple[Status, Status], tuple[set[Role], bool]] = {}
    for (a, b, _action), (roles, needs) in DESIGNED.items():
        old_roles, old_needs = pairs.get((a, b), (set(), False))
        pairs[(a, b)] = (old_roles | roles, old_needs or needs)
    return pairs


EXPECTED = _by_pair()

COMBINATIONS = list(itertools.product(Status, Status, Role))


def _id(combo: tuple[Status, Status, Role]) -> str:
    source, target, role = combo
    return f"{source.value}->{target.value}-as-{role.value}"


def test_the_table_is_the_designed_one() -> None:
    actual = {(t.source, t.target, t.action): (set(t.roles), t.needs_reason) for t in workflow.TRANSITIONS}
    assert actual == DESIGNED
    assert len(workflow.TRANSITIONS) == len(DESIGNED)  # no (pair, action) listed twice


def test_an_action_is_checked_with_its_own_roles() -> None:
    """Counter staff record a satisfied reporter's response (→ SELESAI) but may not close a complaint."""
    t = workflow.check_transition(S.DITINDAKLANJUTI, S.SELESAI, R.PETUGAS_LOKET, action="respond")
    assert t.action == "respond"
    with pytest.raises(PermissionDenied):
        workflow.check_transition(S.DITINDAKLANJUTI, S.SELESAI, R.PETUGAS_LOKET, action="close")
    with pytest.raises(InvalidTransition):
        workflow.check_transition(S.BELUM_TERVERIFIKASI, S.DIDISPOSISIKAN, R.ADMIN_INSTANSI, action="close")
    assert workflow.find(S.DITINDAKLANJUTI, S.SELESAI, "close").roles == frozenset({R.ADMIN_INSTANSI, R.SYSTEM})


@pytest.mark.parametrize("combo", COMBINATIONS, ids=[_id(c) for c in COMBINATIONS])
def test_check_transition(combo: tuple[Status, Status, Role]) -> None:
    source, target, role = combo
    rule = EXPECTED.get((source, target))
    if rule is None:
        with pytest.raises(InvalidTransition):
            workflow.check_transition(source, target, role)
    elif role not in rule[0]:
        with pytest.raises(PermissionDenied):
            workflow.check_transition(source, target, role)
    else:
        t = workflow.check_transition(source, target, role)
        assert (t.source, t.target) == (source, target)


@pytest.mark.parametrize("combo", COMBINATIONS, ids=[_id(c) for c in COMBINATIONS])
def test_check_transition_takes_plain_strings(combo: tuple[Status, Status, Role]) -> None:
    """Statuses and roles come back from the database as plain str: the answer must be the same."""
    source, target, role = combo
    rule = EXPECTED.get((source, target))
    expected: type[Exception] | None = (
        InvalidTransition if rule is None else PermissionDenied if role not in rule[0] else None
    )
    plain = (str(source.value), str(target.value), str(role.value))
    if expected is None:
        workflow.check_transition(*plain)
    else:
        with pytest.raises(expected):
            workflow.check_transition(*plain)


REASONED = [t for t in workflow.TRANSITIONS if t.needs_reason]


@pytest.mark.parametrize("transition", REASONED, ids=[f"{t.source.value}->{t.target.value}" for t in REASONED])
@pytest.mark.parametrize("reason", [None, "", "   ", "\n\t"])
def test_a_reason_is_required(transition: workflow.Transition, reason: str | None) -> None:
    values = {i.name: reason for i in transition.inputs} | {"reason_code": reason}
    with pytest.raises(ValidationError) as err:
        workflow.check_inputs(transition, values)
    wanted = {i.name for i in transition.inputs if i.required} | (
        {"reason_code"} if transition.archive_reason == "set" else set())
    assert set(err.value.fields) == wanted


def test_reasons_cover_reopen_unarchive_archive_redirect_postpone() -> None:
    actions = {t.action for t in workflow.TRANSITIONS if t.needs_reason}
    assert {"reopen", "unarchive", "archive", "redirect", "postpone"} <= actions
    assert not {t.action for t in workflow.TRANSITIONS if not t.needs_reason} & {
        "reopen", "unarchive", "archive", "redirect", "postpone"
    }


# What each step takes, written out from DESIGN.md (name, required, minimum length); every text at most 4,000.
DESIGNED_INPUTS: dict[tuple[Status, str], set[tuple[str, bool, int]]] = {
    (S.DIDISPOSISIKAN, "dispose"): {("instruction", False, 1)},
    (S.DITUNDA, "postpone"): {("reason", True, 5)},
    (S.BELUM_TERVERIFIKASI, "resume"): {("note", False, 1)},
    (S.BUKAN_WEWENANG, "redirect"): {("reason", True, 5)},
    (S.DIARSIPKAN, "archive"): {("note", False, 1)},
    (S.BELUM_TERVERIFIKASI, "unarchive"): {("reason", True, 5)},
    (S.DITINDAKLANJUTI, "follow_up"): {("text", True, 10)},
    (S.SELESAI, "close"): {("note", False, 1)},
    (S.SELESAI, "respond"): {("text", False, 5)},
    (S.DIDISPOSISIKAN, "respond"): {("text", True, 5)},
    (S.DIDISPOSISIKAN, "reopen"): {("reason", True, 5)},
}


@pytest.mark.parametrize("transition", workflow.TRANSITIONS, ids=lambda t: f"{t.source.value}-{t.action}")
def test_each_steps_inputs_and_their_limits(transition: workflow.Transition) -> None:
    got = {(i.name, i.required, i.min_len) for i in transition.inputs}
    assert got == DESIGNED_INPUTS[(transition.target, transition.action)]
    base = {"unit_id": "u", "reason_code": "SPAM"}
    unit = SimpleNamespace(office_id="o", active=True)
    for spec in transition.inputs:
        others = {i.name: "x" * max(i.min_len, 10) for i in transition.inputs if i is not spec}
        for text, ok in (("a" * (spec.min_len - 1), spec.min_len == 1 and not spec.required),
                         ("a" * spec.min_len, True), ("a" * 4000, True), ("a" * 4001, False),
                         ("  " + "a" * spec.min_len + "  ", True)):
            values = base | others | {spec.name: text}
            if ok:
                assert workflow.check_inputs(transition, values, unit=unit, office_id="o")[spec.name] == (
                    text.strip() or None)
            else:
                with pytest.raises(ValidationError) as err:
                    workflow.check_inputs(transition, values, unit=unit, office_id="o")
                assert set(err.value.fields) == {spec.name}


@pytest.mark.parametrize("unit", [None, SimpleNamespace(office_id="other", active=True),
                                  SimpleNamespace(office_id="o", active=False)], ids=["missing", "other", "inactive"])
def test_a_disposition_needs_an_active_unit_of_the_office(unit: object) -> None:
    dispose = workflow.find(S.BELUM_TERVERIFIKASI, S.DIDISPOSISIKAN, "dispose")
    assert dispose is not None
    with pytest.raises(ValidationError) as err:
        workflow.check_inputs(dispose, {"unit_id": "u"}, unit=unit, office_id="o")
    assert err.value.fields["unit_id"].id == "Pilih unit kerja yang aktif di instansi ini."


def test_every_problem_at_once() -> None:
    respond = workflow.find(S.DITINDAKLANJUTI, S.DIDISPOSISIKAN, "respond")
    archive = workflow.find(S.BELUM_TERVERIFIKASI, S.DIARSIPKAN, "archive")
    assert respond is not None and archive is not None
    with pytest.raises(ValidationError) as err:
        workflow.check_inputs(archive, {"note": "a" * 4001, "reason_code": "BOSAN"})
    assert set(err.value.fields) == {"note", "reason_code"}


@pytest.mark.parametrize("source", list(Status))
@pytest.mark.parametrize("role", list(Role))
def test_allowed_transitions(source: Status, role: Role) -> None:
    got = {(t.source, t.target, t.action) for t in workflow.allowed_transitions(source, role)}
    want = {key for key, (roles, _) in DESIGNED.items() if key[0] == source and role in roles}
    assert got == want


def test_allowed_transitions_examples() -> None:
    targets = [t.target for t in workflow.allowed_transitions(S.BELUM_TERVERIFIKASI, R.ADMIN_INSTANSI)]
    assert sorted(targets) == sorted([S.DIDISPOSISIKAN, S.DITUNDA, S.BUKAN_WEWENANG, S.DIARSIPKAN])
    assert [t.action for t in workflow.allowed_transitions(S.DITUNDA, R.PETUGAS_LOKET)] == ["resume"]
    assert [t.target for t in workflow.allowed_transitions(S.DIDISPOSISIKAN, R.PENGHUBUNG)] == [
        S.DITINDAKLANJUTI, S.DITUNDA,
    ]
    for status in Status:
        assert workflow.allowed_transitions(status, R.IT_ADMIN) == []
        assert workflow.allowed_transitions(status, R.PIMPINAN) == []
    assert workflow.allowed_transitions(S.BUKAN_WEWENANG, R.ADMIN_INSTANSI) == []


def test_next_statuses_follow_the_design_table() -> None:
    for status in Status:
        assert set(workflow.next_statuses(status)) == {b for a, b in EXPECTED if a == status}


def test_invalid_transition_message_in_indonesian_and_english() -> None:
    with pytest.raises(InvalidTransition) as err:
        workflow.check_transition(S.SELESAI, S.DIARSIPKAN, R.ADMIN_INSTANSI)
    m = err.value.message
    assert m.id == "Status tidak dapat diubah dari Selesai ke Diarsipkan."
    assert m.en == "The status cannot change from Closed to Archived."
    assert str(err.value) == m.id and err.value.text("en") == m.en


def test_permission_denied_message_in_indonesian_and_english() -> None:
    with pytest.raises(PermissionDenied) as err:
        workflow.check_transition(S.DIDISPOSISIKAN, S.DITINDAKLANJUTI, R.PETUGAS_LOKET)
    m = err.value.message
    for part in (label(R.PETUGAS_LOKET), label(S.DIDISPOSISIKAN), label(S.DITINDAKLANJUTI)):
        assert part in m.id
    for part in (label(R.PETUGAS_LOKET, "en"), label(S.DIDISPOSISIKAN, "en"), label(S.DITINDAKLANJUTI, "en")):
        assert part in m.en
    assert m.id.startswith("Peran Petugas loket tidak boleh")
    assert m.en.startswith("The role Counter staff may not")


def test_reason_message_in_indonesian_and_english() -> None:
    unarchive = workflow.find(S.DIARSIPKAN, S.BELUM_TERVERIFIKASI, "unarchive")
    assert unarchive is not None
    with pytest.raises(ValidationError) as err:
        workflow.check_inputs(unarchive, {})
    assert err.value.fields["reason"].id == "Wajib diisi."
    assert err.value.fields["reason"].en == "Required."
    with pytest.raises(ValidationError) as err:
        workflow.check_inputs(unarchive, {"reason": "abc"})
    assert err.value.fields["reason"].id == "Minimal 5 karakter."
    assert err.value.fields["reason"].en == "At least 5 characters."


def test_a_liaison_is_bound_to_their_unit_for_follow_up_and_postponing() -> None:
    """DESIGN.md: a unit liaison replies to and postpones only the complaints dispositioned to their own unit."""
    assert {"follow_up", "postpone"} == workflow.UNIT_BOUND_ACTIONS
    assert all(t.unit_bound == (t.action in {"follow_up", "postpone"}) for t in workflow.TRANSITIONS)
    assert not workflow.unit_allows("follow_up", R.PENGHUBUNG, "unit-a", "unit-b")
    assert workflow.unit_allows("follow_up", R.PENGHUBUNG, "unit-a", "unit-a")
    assert workflow.unit_allows("follow_up", R.ADMIN_INSTANSI, None, "unit-b")
