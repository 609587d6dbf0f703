"""The services' checks asked without acting (issue 15 §4): a form that found a problem of its own (a coordinate that
is not a number, a file it cannot attach) shows it together with every other one, in one round. The answer is by
field, exactly what the acting service would refuse, and nothing is written."""

from __future__ import annotations

from datetime import date

from app.domain import Role
from app.errors import ValidationError
from app.services import ComplaintEdit, edit_complaint
from app.services.records import edit_problems
from app.services.workflow_actions import input_problems
from tests.app.test_services import snapshot
from tests.helpers.world import World

# The example: an empty-looking title, a region that does not exist (the form itself found "abc" for the
# coordinate and sends the rest).
BAD = ComplaintEdit(title="pendek", region_code="99.99.99", incident_date=date(2026, 3, 3))


def test_edit_problems_are_the_edits_refusal_by_field_and_write_nothing(world: World) -> None:
    cid = world.new_complaint()
    admin = world.users[Role.ADMIN_INSTANSI]
    before = snapshot(world)
    problems = edit_problems(world.ctx, admin, cid, BAD)
    assert snapshot(world) == before
    assert set(problems) == {"title", "region_code", "incident_date"}
    assert all(m.id and m.en for m in problems.values())
    try:
        edit_complaint(world.ctx, admin, cid, BAD)
    except ValidationError as exc:
        assert {k: (m.id, m.en) for k, m in exc.fields.items()} == {k: (m.id, m.en) for k, m in problems.items()}
    else:
        raise AssertionError("the edit took fields its check refused")
    assert edit_problems(world.ctx, admin, cid, ComplaintEdit(title="Lampu jalan padam di depan pasar")) == {}


def test_a_step_texts_problems_come_by_field_without_taking_the_step() -> None:
    assert set(input_problems("follow_up", {"text": ""})) == {"text"}
    assert input_problems("follow_up", {"text": "Jalan sudah ditambal oleh tim PU pada hari Selasa."}) == {}
    assert set(input_problems("postpone", {"reason": ""})) == {"reason"}
